package spitest

import (
	"bytes"
	"fmt"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
)

// entryIDOf returns obj's PR_ENTRYID, or nil.
func (e *env) entryIDOf(obj mapispi.Properties) []byte {
	vals, err := obj.GetProps(e.ctx, []mapispi.PropTag{mapispi.PropEntryID})
	if err != nil || len(vals) != 1 {
		return nil
	}
	b, _ := vals[0].Value.([]byte)
	return b
}

func describe(obj mapispi.Object, err error) string {
	if err != nil {
		return fmt.Sprintf("error %v", err)
	}
	if obj == nil {
		return "a nil object"
	}
	return fmt.Sprintf("a %v", obj.ObjectType())
}

func checkOpenEntryPathsAgree(e *env) {
	s := e.session(1, sessOpts{})
	l := e.mustLogon(s, 0, rw)
	id := e.store(0).id
	garbage := make(mapispi.EntryID, 24)
	copy(garbage, id[:min(len(id), minStoreIDLen)])
	for i := minStoreIDLen; i < len(garbage); i++ {
		garbage[i] = 0xA5
	}
	inputs := []struct {
		what string
		id   mapispi.EntryID
	}{
		{"nil (the root folder)", nil},
		{"the store's entry ID", id.Clone()},
		{"the store's PR_ENTRYID", e.entryIDOf(l.st)},
		{"an ID of no object", garbage},
	}
	for _, in := range inputs {
		for _, flags := range []mapispi.OpenFlags{0, mapispi.OpenBestAccess} {
			o1, e1 := l.ml.OpenEntry(e.ctx, in.id.Clone(), flags)
			o2, e2 := l.st.OpenEntry(e.ctx, in.id.Clone(), flags)
			disagree := false
			switch {
			case (e1 == nil) != (e2 == nil):
				disagree = true
			case e1 != nil:
				disagree = mapispi.CodeOf(e1) != mapispi.CodeOf(e2)
			case o1 == nil || o2 == nil:
				disagree = (o1 == nil) != (o2 == nil)
			case o1.ObjectType() != o2.ObjectType():
				disagree = true
			default:
				a, b := e.entryIDOf(o1), e.entryIDOf(o2)
				if !bytes.Equal(a, b) {
					same, err := l.st.CompareEntryIDs(a, b)
					disagree = err != nil || !same
				}
			}
			if disagree {
				e.errorf("OpenEntry(%s, %v): MSLogon gives %s, MsgStore %s", in.what, flags, describe(o1, e1), describe(o2, e2))
			}
		}
	}
}

func checkCompareEntryIDsAgree(e *env) {
	s := e.session(2, sessOpts{})
	p := e.provider(s, 0)
	st, err := s.OpenMsgStore(e.ctx, e.tableID(s, 0), rw)
	if err != nil {
		e.fatalf("precondition: OpenMsgStore failed: %w", err)
	}
	all := append(e.ids(e.store(0)), e.ids(e.store(1))...)
	wrap := func(id mapispi.EntryID) mapispi.EntryID { return entryid.WrapStore(e.providerName(), id) }
	for _, a := range all {
		for _, b := range all {
			want, err := e.compare(p, a, b)
			if err != nil {
				continue // the CompareStoreIDs cases report it
			}
			paths := []struct {
				name string
				f    func() (bool, error)
			}{
				{"IMsgStore::CompareEntryIDs", func() (bool, error) { return st.CompareEntryIDs(a.Clone(), b.Clone()) }},
				// The session routes unwrapped IDs by their provider UID
				// to the store's IMSLogon::CompareEntryIDs.
				{"IMAPISession::CompareEntryIDs (IMSLogon::CompareEntryIDs)", func() (bool, error) { return s.CompareEntryIDs(e.ctx, a.Clone(), b.Clone()) }},
				{"IMAPISession::CompareEntryIDs of the wrapped IDs", func() (bool, error) { return s.CompareEntryIDs(e.ctx, wrap(a), wrap(b)) }},
			}
			for _, path := range paths {
				got, err := path.f()
				switch {
				case isCode(err, mapispi.ErrUnknownEntryID), isCode(err, mapispi.ErrNoSupport):
					// The path does not handle store IDs.
				case err != nil:
					e.errorf("%s(%X, %X): %v, but CompareStoreIDs answers %v", path.name, []byte(a), []byte(b), err, want)
				case got != want:
					e.errorf("%s(%X, %X) = %v, but CompareStoreIDs = %v", path.name, []byte(a), []byte(b), got, want)
				}
			}
		}
	}
}
