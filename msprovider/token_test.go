package msprovider

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/mapiemu/mapiemu/mapispi"
)

// tokenWorld is a store with a password, logged on to by the provider
// object of one session (h.p), which holds the spool token it returned;
// other sessions and spoolers are other provider objects over the same
// backend.
type tokenWorld struct {
	h     *harness
	id    mapispi.EntryID
	res   *mapispi.LogonResult
	token []byte
}

func newTokenWorld(t *testing.T) *tokenWorld {
	h := newHarness(t)
	w := &tokenWorld{h: h, id: h.store("Locked", "pw")}
	w.res, w.token = w.logon(h.p)
	return w
}

// logon logs p on to the store with the password in its profile
// section, and takes the spool token as MAPI does: a copy, the buffer
// freed.
func (w *tokenWorld) logon(p *Provider) (*mapispi.LogonResult, []byte) {
	w.h.t.Helper()
	sup := newFakeSupport(w.h.heap)
	sup.section.set(PropPassword, "pw")
	res, err := p.Logon(w.h.ctx, sup, &mapispi.LogonRequest{EntryID: w.id, Flags: mapispi.LogonNoDialog})
	if err != nil {
		w.h.t.Fatalf("Logon = %v", err)
	}
	token := slices.Clone(res.SpoolSecurity)
	w.h.free(res)
	if len(token) == 0 {
		w.h.t.Fatalf("Logon returned no spool security data")
	}
	return res, token
}

// spool is a SpoolerLogon of the store with token through p; a logon
// that succeeds is logged off again.
func (w *tokenWorld) spool(p *Provider, token []byte) error {
	res, err := p.SpoolerLogon(w.h.ctx, newFakeSupport(w.h.heap), spoolerRequest(w.id, token))
	if err == nil {
		if lerr := res.Logon.Logoff(w.h.ctx); lerr != nil {
			w.h.t.Errorf("the spooler's Logoff = %v", lerr)
		}
	}
	return err
}

func wantRefused(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, mapispi.ErrNoAccess) {
		t.Errorf("SpoolerLogon %s = %v, want ErrNoAccess", what, err)
	}
}

// TestSpoolTokenSingleUse: a token opens one spooler logon, in any
// provider object; a replay fails, through the spooler's provider object
// or another session's (whose profile has no password, and whose logon
// did not issue the token), also after a rename.
func TestSpoolTokenSingleUse(t *testing.T) {
	w := newTokenWorld(t)
	spooler, other := w.h.newProvider(), w.h.newProvider()
	if err := w.spool(spooler, w.token); err != nil {
		t.Fatalf("SpoolerLogon with the token Logon returned = %v", err)
	}
	wantRefused(t, "replaying the token through the same spooler", w.spool(spooler, w.token))
	wantRefused(t, "replaying the token through another session", w.spool(other, w.token))
	if err := w.h.backend.Rename(w.id, "Renamed"); err != nil {
		t.Fatal(err)
	}
	wantRefused(t, "replaying the token after a rename", w.spool(other, w.token))
	// The other session cannot log on itself: no password in its profile.
	if _, err := other.Logon(w.h.ctx, newFakeSupport(w.h.heap), &mapispi.LogonRequest{EntryID: w.id, Flags: mapispi.LogonNoDialog}); !errors.Is(err, mapispi.ErrFailOneProvider) {
		t.Errorf("Logon with no password = %v, want ErrFailOneProvider", err)
	}
}

// TestSpoolTokenRename: a rename is no change of credentials: an unused
// token still opens its one spooler logon.
func TestSpoolTokenRename(t *testing.T) {
	w := newTokenWorld(t)
	if err := w.h.backend.Rename(w.id, "Renamed"); err != nil {
		t.Fatal(err)
	}
	if err := w.spool(w.h.newProvider(), w.token); err != nil {
		t.Errorf("SpoolerLogon with an unused token after a rename = %v, want success", err)
	}
}

// TestSpoolTokenSetPassword: a password change voids the tokens issued
// before it, even unused ones of logons still open.
func TestSpoolTokenSetPassword(t *testing.T) {
	w := newTokenWorld(t)
	if err := w.h.backend.SetPassword(w.id, "pw"); err != nil { // the same password again
		t.Fatal(err)
	}
	err := w.spool(w.h.newProvider(), w.token)
	wantErr(t, "SpoolerLogon with an unused token after SetPassword", err, mapispi.ErrNoAccess, "password changed")
}

// TestSpoolTokenVoidedByLogoff: when the logon that issued a token ends,
// by Close and Logoff, by Logoff, or by Shutdown, its unused token opens
// nothing, even while another session has the store open; that
// session's own token does.
func TestSpoolTokenVoidedByLogoff(t *testing.T) {
	for _, end := range []struct {
		name string
		f    func(ctx context.Context, w *tokenWorld) error
	}{
		{"Close and Logoff", func(ctx context.Context, w *tokenWorld) error {
			if err := w.res.Store.Close(ctx); err != nil {
				return err
			}
			return w.res.Logon.Logoff(ctx)
		}},
		{"Logoff", func(ctx context.Context, w *tokenWorld) error { return w.res.Logon.Logoff(ctx) }},
		{"Shutdown", func(ctx context.Context, w *tokenWorld) error { return w.h.p.Shutdown(ctx) }},
	} {
		t.Run(end.name, func(t *testing.T) {
			w := newTokenWorld(t)
			if err := end.f(w.h.ctx, w); err != nil {
				t.Fatalf("%s = %v", end.name, err)
			}
			spooler := w.h.newProvider()
			err := w.spool(spooler, w.token)
			wantErr(t, "SpoolerLogon with the token of a logon that has ended", err, mapispi.ErrNoAccess, "has ended")

			session := w.h.newProvider()
			res, token := w.logon(session)
			defer res.Logon.Logoff(w.h.ctx)
			wantRefused(t, "with the token of a logon that has ended, while another session has the store open", w.spool(spooler, w.token))
			if err := w.spool(spooler, token); err != nil {
				t.Errorf("SpoolerLogon with the open session's own token = %v, want success", err)
			}
		})
	}
}

// TestSpoolTokenAfterClose: Close alone does not end the logon (MAPI
// calls Logoff next), so the token still opens the spooler's logon,
// which StoreLogoffTransports is about to release.
func TestSpoolTokenAfterClose(t *testing.T) {
	w := newTokenWorld(t)
	if err := w.res.Store.Close(w.h.ctx); err != nil {
		t.Fatal(err)
	}
	if err := w.spool(w.h.newProvider(), w.token); err != nil {
		t.Errorf("SpoolerLogon between Close and Logoff = %v, want success", err)
	}
	if err := w.res.Logon.Logoff(w.h.ctx); err != nil {
		t.Fatal(err)
	}
}

// TestSpoolTokenFailedSpoolerLogon: a SpoolerLogon that fails after the
// token checked out (WrapStoreEntryID failed) does not use it up.
func TestSpoolTokenFailedSpoolerLogon(t *testing.T) {
	w := newTokenWorld(t)
	spooler := w.h.newProvider()
	sup := newFakeSupport(w.h.heap)
	sup.fail = map[string]error{"WrapStoreEntryID": mapispi.ErrNotEnoughMemory}
	if _, err := spooler.SpoolerLogon(w.h.ctx, sup, spoolerRequest(w.id, w.token)); !errors.Is(err, mapispi.ErrNotEnoughMemory) {
		t.Fatalf("SpoolerLogon with a failing WrapStoreEntryID = %v, want ErrNotEnoughMemory", err)
	}
	if err := w.spool(spooler, w.token); err != nil {
		t.Errorf("SpoolerLogon again after a failed one = %v, want success", err)
	}
}

// TestSpoolTokenRace: of concurrent SpoolerLogons with one token, in
// different provider objects, exactly one succeeds.
func TestSpoolTokenRace(t *testing.T) {
	w := newTokenWorld(t)
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		p := w.h.newProvider()
		wg.Go(func() { errs[i] = w.spool(p, w.token) })
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, mapispi.ErrNoAccess):
			t.Errorf("a concurrent SpoolerLogon = %v, want success or ErrNoAccess", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d of %d concurrent SpoolerLogons with one token succeeded, want 1", ok, n)
	}
}

// TestSpoolTokenFailedLogon: a Logon that fails leaves no live token
// behind: neither when a support call fails, nor when Shutdown races it
// and it fails after making its store and token.
func TestSpoolTokenFailedLogon(t *testing.T) {
	for _, c := range []struct {
		name string
		set  func(h *harness, sup *fakeSupport)
		code mapispi.SCode
	}{
		{"ModifyStatusRow fails", func(h *harness, sup *fakeSupport) {
			sup.fail = map[string]error{"ModifyStatusRow": mapispi.ErrCallFailed}
		}, mapispi.ErrCallFailed},
		{"Shutdown during the logon", func(h *harness, sup *fakeSupport) {
			sup.section.log = func() { _ = h.p.Shutdown(h.ctx) }
		}, mapispi.ErrInvalidObject},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			id := h.store("S", "")
			sup := newFakeSupport(h.heap)
			c.set(h, sup)
			if res, err := h.logon(sup, id, mapispi.LogonNoDialog); !errors.Is(err, c.code) {
				t.Fatalf("Logon = %v, %v, want %v", res, err, c.code)
			}
			d, err := h.backend.lookupID(id)
			if err != nil {
				t.Fatal(err)
			}
			d.mu.RLock()
			live := len(d.tokens)
			d.mu.RUnlock()
			if live != 0 {
				t.Errorf("after a failed Logon, %d live spool tokens, want 0", live)
			}
			if err := h.heap.CheckLeaks(); err != nil {
				t.Errorf("the failed Logon leaked: %v", err)
			}
		})
	}
}
