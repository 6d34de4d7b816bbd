package spitest

import (
	"errors"
	"math/rand/v2"

	"github.com/mapiemu/mapiemu/mapispi"
)

// compare calls CompareStoreIDs with copies of a and b, turning a panic
// into an error.
func (e *env) compare(p mapispi.MSProvider, a, b mapispi.EntryID) (same bool, err error) {
	err = protect(func() error {
		var err error
		same, err = p.CompareStoreIDs(a.Clone(), b.Clone())
		return err
	})
	return same, err
}

func checkCompareNoStoreOpen(e *env) {
	s := e.session(2, sessOpts{})
	p := e.provider(s, 0)
	a, b := e.store(0).id, e.store(1).id
	pairs := []struct {
		what string
		a, b mapispi.EntryID
	}{{"a store's ID and a copy", a, a}, {"two stores' IDs", a, b}}
	ask := func() []answer {
		out := make([]answer, len(pairs))
		for i, c := range pairs {
			out[i] = sample(func() (bool, error) { return e.compare(p, c.a, c.b) })
		}
		return out
	}
	before := ask()
	l := e.mustLogon(s, 0, rw)
	open := ask()
	_ = protect(func() error { return l.ml.Logoff(e.ctx) })
	after := ask()
	for _, x := range []struct {
		when string
		got  []answer
	}{{"before any logon", before}, {"after the only store opened was logged off", after}} {
		for i, c := range pairs {
			if x.got[i].err || x.got[i] != open[i] {
				e.errorf("CompareStoreIDs of %s gives %s %s, but %s with a store open", c.what, x.got[i], x.when, open[i])
			}
		}
	}
}

func checkCompareSameStore(e *env) {
	s := e.session(1, sessOpts{})
	p := e.provider(s, 0)
	ids := e.ids(e.store(0))
	for _, x := range ids {
		if same, err := e.compare(p, x, x); err != nil || !same {
			e.errorf("CompareStoreIDs(%X, a copy) = %v, %v; want true", []byte(x), same, err)
		}
	}
	for _, x := range ids[1:] {
		if same, err := e.compare(p, ids[0], x); err != nil || !same {
			e.errorf("CompareStoreIDs(%X, its alias %X) = %v, %v; want true", []byte(ids[0]), []byte(x), same, err)
		}
	}
}

func checkCompareSymmetric(e *env) {
	s := e.session(2, sessOpts{})
	p := e.provider(s, 0)
	all := append(e.ids(e.store(0)), e.ids(e.store(1))...)
	for i, a := range all {
		for _, b := range all[i+1:] {
			ab, errAB := e.compare(p, a, b)
			ba, errBA := e.compare(p, b, a)
			if (errAB == nil) != (errBA == nil) || errAB == nil && ab != ba {
				e.errorf("CompareStoreIDs(%X, %X) = %v, %v but swapped = %v, %v", []byte(a), []byte(b), ab, errAB, ba, errBA)
			}
		}
	}
}

func checkCompareOtherStore(e *env) {
	s := e.session(2, sessOpts{})
	p := e.provider(s, 0)
	others := e.ids(e.store(1))
	for _, a := range e.ids(e.store(0)) {
		for _, b := range others {
			if same, err := e.compare(p, a, b); err != nil || same {
				e.errorf("CompareStoreIDs(%X, %X), IDs of two stores, = %v, %v; want false", []byte(a), []byte(b), same, err)
			}
		}
	}
}

// minStoreIDLen is the shortest entry ID that can hold abFlags and a
// provider UID: MAPI's convention puts a provider UID at bytes 4..19 of
// every entry ID.
const minStoreIDLen = 20

func checkCompareMalformed(e *env) {
	s := e.session(1, sessOpts{})
	p := e.provider(s, 0)
	id := e.store(0).id
	report := func(a, b mapispi.EntryID, err error) bool {
		var pe *panicError
		if errors.As(err, &pe) {
			e.errorf("CompareStoreIDs(%X, %X) panicked: %v", []byte(a), []byte(b), pe.value)
			return true
		}
		return false
	}
	// Too short for flags and a provider UID: ErrInvalidEntryID.
	short := []mapispi.EntryID{nil, {}}
	for n := 1; n < min(minStoreIDLen, len(id)); n++ {
		short = append(short, id[:n].Clone())
	}
	for _, x := range short {
		for _, pair := range [][2]mapispi.EntryID{{x, id}, {id, x}} {
			_, err := e.compare(p, pair[0], pair[1])
			if !report(pair[0], pair[1], err) && !isCode(err, mapispi.ErrInvalidEntryID) {
				e.errorf("CompareStoreIDs(%X, %X), with an ID of %d bytes: error %v, want ErrInvalidEntryID", []byte(pair[0]), []byte(pair[1]), len(x), err)
			}
		}
	}
	// Anything else: any answer, never a panic.
	var inputs []mapispi.EntryID
	for _, a := range e.ids(e.store(0)) {
		for n := range len(a) + 1 {
			inputs = append(inputs, a[:n].Clone())
		}
		inputs = append(inputs, append(a.Clone(), 0), append(a.Clone(), a...))
	}
	for i := range id {
		x := id.Clone()
		x[i] ^= 0xFF
		inputs = append(inputs, x)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 64 {
		x := make(mapispi.EntryID, rng.IntN(2*len(id)+8))
		for i := range x {
			x[i] = byte(rng.Uint32())
		}
		if len(x) >= minStoreIDLen && rng.IntN(2) == 0 {
			copy(x, id[:minStoreIDLen]) // this provider's UID, garbage after it
		}
		inputs = append(inputs, x)
	}
	for _, x := range inputs {
		for _, pair := range [][2]mapispi.EntryID{{x, id}, {id, x}, {x, x}} {
			_, err := e.compare(p, pair[0], pair[1])
			report(pair[0], pair[1], err)
		}
	}
}
