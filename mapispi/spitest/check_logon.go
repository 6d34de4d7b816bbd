package spitest

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
)

// undefinedLogonBits are bits no MAPI header or host gives a meaning in a
// logon's flags.
var undefinedLogonBits = []mapispi.LogonFlags{0x00000040, 0x00400000}

// knownLogonFlags are bits real hosts pass to Logon, which a provider
// tolerates (the Logon page's six flags and what hosts add).
const knownLogonFlags = rw | mapispi.LogonDeferredErrors | mapispi.LogonBestAccess |
	mapispi.LogonOnline | mapispi.LogonOSTUnicode | mapispi.LogonUnicode

func checkLogonUnknownFlags(e *env) {
	s := e.session(1, sessOpts{})
	p := e.provider(s, 0)
	for _, bad := range undefinedLogonBits {
		flags := rw | bad
		res, err := e.rawLogon(s, p, e.support(s, e.store(0).svc.Name, false), e.store(0).id.Clone(), flags)
		switch {
		case err == nil:
			s.take(res.SpoolSecurity)
			e.errorf("Logon(%v) with undefined bit 0x%08X succeeded, want ErrUnknownFlags", flags, uint32(bad))
			if res.Logon != nil {
				_ = protect(func() error { return res.Logon.Logoff(e.ctx) })
			}
		case !isCode(err, mapispi.ErrUnknownFlags):
			e.errorf("Logon(%v) with undefined bit 0x%08X: error %v, want ErrUnknownFlags", flags, uint32(bad), err)
		}
	}
	l, err := e.logon(s, 0, knownLogonFlags)
	switch {
	case err != nil:
		e.errorf("Logon(%v), with only bits MAPI's headers or real hosts define: %v, want success", knownLogonFlags, err)
	case l.ml == nil:
		e.errorf("after refused logons, Logon(%v) reopened the store (nil MSLogon): a refused Logon left it open", knownLogonFlags)
	}
}

func checkLogonNoDialogNoStore(e *env) {
	e.store(0)
	empty := mapi.Service{Name: "spitest unconfigured", Provider: e.providerName()}
	s := e.session(1, sessOpts{extra: []mapi.Service{empty}, prompt: true})
	p := e.provider(s, 0)
	sup := e.support(s, empty.Name, false)
	res, err := e.rawLogon(s, p, sup, nil, mapispi.LogonNoDialog)
	if err == nil {
		s.take(res.SpoolSecurity)
		e.errorf("Logon with no entry ID, under MDB_NO_DIALOG, for a service whose profile section is empty opened a store; want an error such as ErrLogonFailed")
	}
	if n := len(sup.callsOf("IMAPISupport::Prompt")); n > 0 {
		e.errorf("Logon under MDB_NO_DIALOG called Support.Prompt %d time(s)", n)
	}
}

func checkLogonSupportCalls(e *env) {
	s := e.session(1, sessOpts{})
	l := e.mustLogon(s, 0, rw)
	uids := l.sup.callsOf("IMAPISupport::SetProviderUID")
	if len(uids) == 0 {
		e.errorf("a first logon did not call SetProviderUID")
	}
	for _, c := range uids {
		if c.uid.IsZero() {
			e.errorf("a first logon called SetProviderUID with the zero UID")
		}
	}
	if !slices.ContainsFunc(l.sup.callsOf("IMAPISupport::ModifyProfile"), func(c supCall) bool { return c.logon&mapispi.LogonTemporary == 0 }) {
		e.errorf("a first logon without MDB_TEMPORARY did not call ModifyProfile without MDB_TEMPORARY (support calls: %v)", l.sup.methods())
	}
	rows := l.sup.callsOf("IMAPISupport::ModifyStatusRow")
	i := slices.IndexFunc(rows, func(c supCall) bool { return c.status&mapispi.StatusRowUpdate == 0 })
	if i < 0 {
		e.errorf("a first logon did not call ModifyStatusRow without STATUSROW_UPDATE (support calls: %v)", l.sup.methods())
		return
	}
	for _, want := range statusColumns {
		if !slices.ContainsFunc(rows[i].tags, func(t mapispi.PropTag) bool { return t.ID() == want.ID() && t.Type() != mapispi.PtError }) {
			e.errorf("a first logon's status row (ModifyStatusRow) has no %v, a column every status object gives (columns: %v)", want, rows[i].tags)
		}
	}
}

// statusColumns are the columns the "Status Tables" page has every status
// object provide in its row; MAPI supplies or computes the others.
var statusColumns = []mapispi.PropTag{mapispi.PropDisplayName, mapispi.PropStatusCode, mapispi.PropResourceMethods}

func checkLogonTemporary(e *env) {
	s := e.session(1, sessOpts{})
	flags := mapispi.LogonNoDialog | mapispi.LogonTemporary
	l, err := e.logon(s, 0, flags)
	if err != nil {
		e.fatalf("Logon(%v) failed: %w", flags, err)
	}
	for _, c := range l.sup.callsOf("IMAPISupport::ModifyProfile") {
		if c.logon&mapispi.LogonTemporary == 0 {
			e.errorf("during Logon(%v) the provider called ModifyProfile(%v), which makes the temporary store permanent", flags, c.logon)
		}
	}
}

// reopenAllowed are the support calls without side effects, which a
// reopen may make.
var reopenAllowed = map[string]bool{
	"IMAPISupport::GetMemAllocRoutines": true,
	"IMAPISupport::NewUID":              true,
	"IMAPISupport::CompareEntryIDs":     true,
	"IMAPISupport::WrapStoreEntryID":    true,
}

func checkLogonReopen(e *env) {
	s := e.session(1, sessOpts{})
	first := e.mustLogon(s, 0, rw)
	l, err := e.logon(s, 0, rw)
	if err != nil {
		e.fatalf("Logon of a store the provider object has open: %v, want the open store", err)
	}
	if l.ml != nil {
		e.errorf("Logon of a store the provider object has open returned an MSLogon (%T); a reopen returns a nil MSLogon", l.ml)
	}
	if same, known := sameObject(first.st, l.st); known && !same {
		e.errorf("Logon of a store the provider object has open returned another MsgStore, want the open one")
	}
	if l.token != nil {
		e.errorf("Logon of a store the provider object has open returned %d bytes of spool security data, want none", len(l.token))
	}
	var made []string
	for _, m := range l.sup.methods() {
		if !reopenAllowed[m] {
			made = append(made, m)
		}
	}
	if len(made) > 0 {
		e.errorf("Logon of a store the provider object has open made support calls %s; a reopen has no side effects", strings.Join(made, ", "))
	}
}

// tableID returns the i-th store's wrapped entry ID from s's message
// store table, as a client gets it.
func (e *env) tableID(s *session, i int) mapispi.EntryID {
	rows, err := s.MsgStores(e.ctx)
	if err != nil {
		e.setupf("mapi.Session.MsgStores: %w", err)
	}
	for _, r := range rows {
		if r.Service == e.store(i).svc.Name && r.EntryID != nil {
			return r.EntryID
		}
	}
	e.setupf("the message store table has no entry ID for %q", e.store(i).svc.Name)
	return nil
}

func checkStoreEntryIDWrapped(e *env) {
	s := e.session(1, sessOpts{})
	st, err := s.OpenMsgStore(e.ctx, e.tableID(s, 0), rw)
	if err != nil {
		e.fatalf("precondition: OpenMsgStore failed: %w", err)
	}
	p := e.provider(s, 0)
	tags := []mapispi.PropTag{mapispi.PropEntryID, mapispi.PropStoreEntryID}
	vals, err := st.GetProps(e.ctx, tags)
	if err != nil || len(vals) != len(tags) {
		e.fatalf("the store's GetProps(%v) = %d values, %v", tags, len(vals), err)
	}
	for _, v := range vals {
		e.checkWrapped(p, "the store's "+v.Tag.String(), v, 0)
	}
	for _, svc := range s.Profile().Services {
		if svc.Name != e.store(0).svc.Name {
			continue
		}
		v := mapispi.PropValue{Tag: mapispi.PropEntryID, Value: mapispi.ErrNotFound}
		for _, x := range svc.Props {
			if x.Tag == mapispi.PropEntryID {
				v = x
			}
		}
		e.checkWrapped(p, "the profile section's PR_ENTRYID after Logon", v, 0)
	}
}

// checkWrapped checks that v is the wrapped entry ID of the i-th store.
func (e *env) checkWrapped(p mapispi.MSProvider, what string, v mapispi.PropValue, i int) {
	b, ok := v.Value.([]byte)
	if !ok || v.Tag.Type() != mapispi.PtBinary {
		e.errorf("%s is missing or not binary: %v", what, v)
		return
	}
	dll, inner, err := entryid.UnwrapStore(b)
	if err != nil {
		e.errorf("%s = %X is not a wrapped store entry ID (WrapStoreEntryID): %v", what, b, err)
		return
	}
	if !strings.EqualFold(dll, e.providerName()) {
		e.errorf("%s is wrapped with DLL name %q, want %q", what, dll, e.providerName())
	}
	if same, err := p.CompareStoreIDs(inner, e.store(i).id.Clone()); err != nil || !same {
		e.errorf("%s wraps %X, which CompareStoreIDs does not match with the store's ID %X (%v, %v)", what, []byte(inner), []byte(e.store(i).id), same, err)
	}
}

func checkSpoolSecurityAllocator(e *env) {
	s := e.session(1, sessOpts{})
	res, err := e.rawLogon(s, e.provider(s, 0), e.support(s, e.store(0).svc.Name, false), e.store(0).id.Clone(), rw)
	if err != nil {
		e.fatalf("precondition: Logon(%v) failed: %w", rw, err)
	}
	buf := res.SpoolSecurity
	switch {
	case buf == nil:
		// The spooler logs on from the profile section alone.
	case !s.heap.Owns(buf):
		e.errorf("the spool security data (%d bytes) is not a buffer from the Allocator MSProviderInit received", len(buf))
	default:
		if err := s.heap.FreeBuffer(buf); err != nil {
			e.errorf("MAPI cannot free the spool security data (%d bytes) with FreeBuffer: %v", len(buf), err)
		}
	}
}

// tokenVariant is spool security data SpoolerLogon must refuse.
type tokenVariant struct {
	what  string
	token []byte
}

// tokenVariants returns the changed forms of token: none, shorter,
// longer, each byte flipped (at most 64 positions, spread over it) and
// other (another store's), if it differs.
func tokenVariants(token, other []byte) []tokenVariant {
	vs := []tokenVariant{
		{"none (nil)", nil},
		{"truncated by one byte", slices.Clone(token[:len(token)-1])},
		{"extended by one byte", append(slices.Clone(token), 0)},
	}
	step := max(1, len(token)/64)
	for i := 0; i < len(token); i += step {
		t := slices.Clone(token)
		t[i] ^= 0xFF
		vs = append(vs, tokenVariant{fmt.Sprintf("with byte %d changed", i), t})
	}
	if other != nil && !bytes.Equal(other, token) {
		vs = append(vs, tokenVariant{"of another store", slices.Clone(other)})
	}
	return vs
}

func checkSpoolerLogonToken(e *env) {
	s := e.session(2, sessOpts{})
	first := e.mustLogon(s, 0, rw)
	second := e.mustLogon(s, 1, rw)
	sp := e.session(2, sessOpts{}) // the spooler is another process
	p := e.provider(sp, 0)
	id := e.store(0).id
	// The changed forms first and the genuine data last, once, as MAPI's
	// spooler presents it: a provider may accept spool security data for
	// one spooler logon only.
	if len(first.token) > 0 {
		for _, v := range tokenVariants(first.token, second.token) {
			l, err := e.spoolerLogon(sp, p, 0, id.Clone(), v.token)
			switch {
			case err == nil:
				e.errorf("SpoolerLogon accepted spool security data %s", v.what)
				_ = protect(func() error { return l.ml.Logoff(e.ctx) })
			case !isCode(err, mapispi.ErrNoAccess):
				e.errorf("SpoolerLogon with spool security data %s: error %v, want ErrNoAccess", v.what, err)
			}
		}
	}
	// Without any, the spooler logs on from the profile section alone.
	l, err := e.spoolerLogon(sp, p, 0, id.Clone(), slices.Clone(first.token))
	if err != nil {
		e.errorf("SpoolerLogon with the spool security data Logon returned (%d bytes): %v, want success", len(first.token), err)
		return
	}
	if same, known := sameObject(l.st, first.st); known && same {
		e.errorf("SpoolerLogon returned the client's MsgStore, want a distinct pair")
	}
	_ = protect(func() error { return l.ml.Logoff(e.ctx) })
}

// displayName returns obj's PR_DISPLAY_NAME, or "" without one.
func displayName(ctx context.Context, obj mapispi.Properties) string {
	vals, err := obj.GetProps(ctx, []mapispi.PropTag{mapispi.PropDisplayName})
	if err != nil || len(vals) != 1 {
		return ""
	}
	name, _ := vals[0].Value.(string)
	return name
}
