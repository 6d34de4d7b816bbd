package mapi

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/mapispi"
)

// Registry stands in for the provider DLLs MAPI can load: it maps a
// provider name, which plays the DLL's role ("msprovider.dll"), to the
// provider's entry point. Names compare without regard to case, as Windows
// compares DLL names. The zero Registry is empty and ready; there is no
// package-level registry. A Registry is safe for concurrent use.
type Registry struct {
	mu    sync.RWMutex
	inits map[string]registered // by strings.ToLower(name)
}

type registered struct {
	name string
	init mapispi.InitFunc
}

// Register makes init the entry point (MSProviderInit) of the provider
// called name. An empty name, a nil init, or a name already registered
// (in any case) is an error wrapping ErrInvalidParameter or ErrCollision.
// So is a name that a wrapped store entry ID cannot carry, since every
// store ID of the provider carries it ([MS-OXCDATA] 2.2.4.3: an 8-bit
// string): one with a NUL, or with a character not in Windows-1252.
func (r *Registry) Register(name string, init mapispi.InitFunc) error {
	if strings.TrimSpace(name) == "" {
		return mapispi.Errorf(mapispi.ErrInvalidParameter, "mapi.Registry", "provider name is empty")
	}
	if strings.IndexByte(name, 0) >= 0 {
		return mapispi.Errorf(mapispi.ErrInvalidParameter, "mapi.Registry", "provider name %q has a NUL, which ends the DLL name in a wrapped store entry ID", name)
	}
	if _, err := codepage.Windows1252.Encode(name); err != nil {
		return &mapispi.Error{Code: mapispi.ErrInvalidParameter, Component: "mapi.Registry",
			Message: fmt.Sprintf("provider name %q cannot be the DLL name of a wrapped store entry ID, an 8-bit Windows-1252 string", name), Err: err}
	}
	if init == nil {
		return mapispi.Errorf(mapispi.ErrInvalidParameter, "mapi.Registry", "provider %q has a nil InitFunc", name)
	}
	key := strings.ToLower(name)
	r.mu.Lock()
	defer r.mu.Unlock()
	if old, ok := r.inits[key]; ok {
		return mapispi.Errorf(mapispi.ErrCollision, "mapi.Registry", "provider %q is already registered as %q", name, old.name)
	}
	if r.inits == nil {
		r.inits = make(map[string]registered)
	}
	r.inits[key] = registered{name: name, init: init}
	return nil
}

// Lookup returns the entry point registered under name, compared without
// regard to case.
func (r *Registry) Lookup(name string) (mapispi.InitFunc, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	e, ok := r.inits[strings.ToLower(name)]
	return e.init, ok
}

// Names returns the registered names, as they were registered, sorted
// without regard to case.
func (r *Registry) Names() []string {
	r.mu.RLock()
	names := make([]string, 0, len(r.inits))
	for _, e := range r.inits {
		names = append(names, e.name)
	}
	r.mu.RUnlock()
	slices.SortFunc(names, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return names
}
