package mapi_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
)

func nopInit(context.Context, *mapispi.InitParams) (mapispi.MSProvider, mapispi.Version, error) {
	return nil, mapispi.SPIVersion, mapispi.ErrCallFailed
}

func TestRegistry(t *testing.T) {
	var r mapi.Registry // zero value ready
	if _, ok := r.Lookup("msprovider.dll"); ok {
		t.Fatalf("Lookup on an empty Registry found a provider")
	}
	if got := r.Names(); len(got) != 0 {
		t.Errorf("Names() of an empty Registry = %v, want none", got)
	}
	if err := r.Register("msprovider.dll", nopInit); err != nil {
		t.Fatalf("Register(msprovider.dll) = %v", err)
	}
	if err := r.Register("Alpha.DLL", nopInit); err != nil {
		t.Fatalf("Register(Alpha.DLL) = %v", err)
	}
	for _, name := range []string{"msprovider.dll", "MSPROVIDER.DLL", "MsProvider.Dll"} {
		if init, ok := r.Lookup(name); !ok || init == nil {
			t.Errorf("Lookup(%q) = %v, %v, want the registered InitFunc", name, init, ok)
		}
	}
	if got, want := r.Names(), []string{"Alpha.DLL", "msprovider.dll"}; !slices.Equal(got, want) {
		t.Errorf("Names() = %v, want %v", got, want)
	}
	err := r.Register("MSPROVIDER.dll", nopInit)
	if !errors.Is(err, mapispi.ErrCollision) {
		t.Errorf("Register of a name registered in another case = %v, want ErrCollision", err)
	}
	if err := r.Register("", nopInit); !errors.Is(err, mapispi.ErrInvalidParameter) {
		t.Errorf("Register(\"\") = %v, want ErrInvalidParameter", err)
	}
	if err := r.Register("x.dll", nil); !errors.Is(err, mapispi.ErrInvalidParameter) {
		t.Errorf("Register(x.dll, nil) = %v, want ErrInvalidParameter", err)
	}
	if _, ok := r.Lookup("x.dll"); ok {
		t.Errorf("a refused Register left x.dll behind")
	}
}

func TestRegistryConcurrent(t *testing.T) {
	var r mapi.Registry
	var wg sync.WaitGroup
	names := []string{"a.dll", "b.dll", "c.dll", "d.dll"}
	ok := make([]int, len(names))
	var mu sync.Mutex
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			i := g % len(names)
			if r.Register(names[i], nopInit) == nil {
				mu.Lock()
				ok[i]++
				mu.Unlock()
			}
			r.Lookup(names[i])
			r.Names()
		}()
	}
	wg.Wait()
	for i, n := range ok {
		if n != 1 {
			t.Errorf("%s registered %d times by racing goroutines, want exactly 1", names[i], n)
		}
	}
}

// TestRegisterRefusesNamesAWrapCannotCarry: every store ID of a provider
// carries its name as an 8-bit Windows-1252 string, so a name outside
// that code page, or with a NUL, is refused (it used to register, and
// every store ID of it came out empty).
func TestRegisterRefusesNamesAWrapCannotCarry(t *testing.T) {
	var r mapi.Registry
	for _, name := range []string{"прoвайдер.dll", "store\x00.dll", "邮件.dll"} {
		if err := r.Register(name, nopInit); !errors.Is(err, mapispi.ErrInvalidParameter) {
			t.Errorf("Register(%q) = %v, want ErrInvalidParameter", name, err)
		}
	}
	if err := r.Register("Zoë.dll", nopInit); err != nil {
		t.Errorf("Register(%q), a Windows-1252 name = %v, want nil", "Zoë.dll", err)
	}
}
