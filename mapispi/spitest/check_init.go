package spitest

import (
	"slices"

	"github.com/mapiemu/mapiemu/alloc"
	"github.com/mapiemu/mapiemu/mapispi"
)

// checkInitNewObject: two sessions and two direct calls get four distinct
// objects, and the second session's object does not see the first's
// open store (the IMSProvider page: one provider object per session).
func checkInitNewObject(e *env) {
	s1 := e.session(1, sessOpts{})
	s2 := e.session(1, sessOpts{})
	e.provider(s1, 0)
	e.provider(s2, 0)
	heap := &alloc.Heap{}
	for range 2 {
		if _, _, err := e.callInit(heap, mapispi.SPIVersion); err != nil {
			e.fatalf("precondition: MSProviderInit(%v) failed: %w", mapispi.SPIVersion, err)
		}
	}
	e.mu.Lock()
	objs := slices.Clone(e.objs)
	e.mu.Unlock()
	for i := range objs {
		for j := i + 1; j < len(objs); j++ {
			if same, known := sameObject(objs[i], objs[j]); known && same {
				e.errorf("MSProviderInit calls %d and %d returned the same provider object (%T)", i+1, j+1, objs[i])
			}
		}
	}
	e.mustLogon(s1, 0, rw)
	l, err := e.logon(s2, 0, rw)
	switch {
	case err != nil:
		e.errorf("a second session's provider object could not log on to a store the first session's object has open: %w", err)
	case l.ml == nil:
		e.errorf("a second session's provider object reopened (nil MSLogon) the store the first session's object opened: the objects share their list of open stores")
	}
}

// checkInitVersion follows MSProviderInit's version rule: ErrVersion when
// MAPI is older than the provider.
func checkInitVersion(e *env) {
	heap := &alloc.Heap{}
	obj, v, err := e.callInit(heap, mapispi.SPIVersion)
	switch {
	case err != nil:
		e.fatalf("precondition: MSProviderInit(%v) failed: %w", mapispi.SPIVersion, err)
	case obj == nil:
		e.fatalf("MSProviderInit(%v) returned no provider object and no error", mapispi.SPIVersion)
	case v == 0:
		e.fatalf("MSProviderInit reported SPI version 0")
	case v > mapispi.SPIVersion:
		e.fatalf("MSProviderInit reported SPI version %v, newer than MAPI's %v: MAPI refuses it", v, mapispi.SPIVersion)
	}
	olds := []mapispi.Version{v - 1}
	for _, old := range []mapispi.Version{mapispi.PDK2SPIVersion, mapispi.PDK1SPIVersion} {
		if old < v-1 {
			olds = append(olds, old)
		}
	}
	for _, old := range olds {
		obj, ver, err := e.callInit(heap, old)
		if !isCode(err, mapispi.ErrVersion) {
			e.errorf("MSProviderInit with MAPI's SPI version %v, older than the provider's %v: error %v, want ErrVersion", old, v, err)
			continue
		}
		if obj != nil {
			e.errorf("MSProviderInit with MAPI's SPI version %v returned a provider object with ErrVersion", old)
		}
		if ver != v {
			e.errorf("MSProviderInit with MAPI's SPI version %v reported SPI version %v with ErrVersion, want %v, the version it speaks", old, ver, v)
		}
	}
}
