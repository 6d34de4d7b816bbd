package msprovider

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/mapiemu/mapiemu/alloc"
	"github.com/mapiemu/mapiemu/mapispi"
)

// TestStoreLogoffRecordsFlags: StoreLogoff only records how to log off
// (the IMsgStore::StoreLogoff page's notes to implementers); a second
// call replaces the flag. Close runs StoreLogoffTransports once, with the
// flag recorded last, and Logoff does not run it again.
func TestStoreLogoffRecordsFlags(t *testing.T) {
	h := newHarness(t)
	sup := newFakeSupport(h.heap)
	sup.transportOut = mapispi.LogoffOutbound
	res := h.mustLogon(sup, h.store("busy", ""), mapispi.LogonWrite)
	defer h.free(res)
	s := res.Store.(*Store)
	for _, flags := range []mapispi.LogoffFlags{mapispi.LogoffOrderly, mapispi.LogoffPurge, mapispi.LogoffNoWait} {
		out, err := s.StoreLogoff(h.ctx, flags)
		if err != nil || out != 0 {
			t.Errorf("StoreLogoff(%v) = %v, %v; want 0, nil: the store knows of no transport activity", flags, out, err)
		}
	}
	if got := sup.transportCalls(); len(got) != 0 {
		t.Errorf("StoreLogoffTransports calls after StoreLogoff = %v, want none before Close", got)
	}
	if _, err := s.GetProps(h.ctx, nil); err != nil {
		t.Errorf("GetProps after StoreLogoff = %v, want the store still usable", err)
	}
	if err := s.Close(h.ctx); err != nil {
		t.Fatalf("Close = %v", err)
	}
	if err := res.Logon.Logoff(h.ctx); err != nil {
		t.Fatalf("Logoff after Close = %v, want nil", err)
	}
	if got := sup.transportCalls(); !slices.Equal(got, []mapispi.LogoffFlags{mapispi.LogoffNoWait}) {
		t.Errorf("StoreLogoffTransports calls = %v, want one, with the last flag, LOGOFF_NO_WAIT", got)
	}
}

// TestCloseThenLogoff: Close releases the store object (its methods
// return ErrInvalidObject, a second Close too) while the logon stays
// usable until MAPI's Logoff, which succeeds and takes the store off the
// list.
func TestCloseThenLogoff(t *testing.T) {
	h := newHarness(t)
	sup := newFakeSupport(h.heap)
	res := h.mustLogon(sup, h.store("S", ""), 0)
	defer h.free(res)
	if err := res.Store.Close(h.ctx); err != nil {
		t.Fatalf("Close = %v", err)
	}
	wantErr(t, "second Close", res.Store.Close(h.ctx), mapispi.ErrInvalidObject, "released")
	_, err := res.Store.GetProps(h.ctx, nil)
	wantErr(t, "GetProps after Close", err, mapispi.ErrInvalidObject, "released")
	_, err = res.Store.StoreLogoff(h.ctx, mapispi.LogoffOrderly)
	wantErr(t, "StoreLogoff after Close", err, mapispi.ErrInvalidObject, "released")
	if _, err := res.Logon.CompareEntryIDs(res.Store.(*Store).UnwrappedEntryID(), res.Store.(*Store).UnwrappedEntryID()); err != nil {
		t.Errorf("Logon.CompareEntryIDs between Close and Logoff = %v, want the logon usable", err)
	}
	if h.p.Stats().OpenStores != 1 {
		t.Errorf("Close took the store off the list: Logoff does that")
	}
	if err := res.Logon.Logoff(h.ctx); err != nil {
		t.Fatalf("Logoff after Close = %v, want nil", err)
	}
	if got := sup.transportCalls(); !slices.Equal(got, []mapispi.LogoffFlags{mapispi.LogoffAbort}) {
		t.Errorf("StoreLogoffTransports calls = %v, want [LOGOFF_ABORT]: Close without StoreLogoff", got)
	}
	if st := h.p.Stats(); st.OpenStores != 0 || st.Logoffs != 1 {
		t.Errorf("Stats() = %+v, want no open store and one logoff", st)
	}
}

// TestLogonBetweenCloseAndLogoff: a logon of a store whose object was
// released but not yet logged off is a first logon of a new pair.
func TestLogonBetweenCloseAndLogoff(t *testing.T) {
	h := newHarness(t)
	id := h.store("S", "")
	res := h.mustLogon(newFakeSupport(h.heap), id, 0)
	defer h.free(res)
	if err := res.Store.Close(h.ctx); err != nil {
		t.Fatal(err)
	}
	again := h.mustLogon(newFakeSupport(h.heap), id, 0)
	defer h.free(again)
	if again.Logon == nil || again.Store == res.Store {
		t.Fatalf("a logon after Close returned the released store (MSLogon %v)", again.Logon)
	}
	if err := res.Logon.Logoff(h.ctx); err != nil {
		t.Errorf("Logoff of the released pair = %v", err)
	}
	if _, err := again.Store.GetProps(h.ctx, nil); err != nil {
		t.Errorf("the new pair after the old one's Logoff: GetProps = %v", err)
	}
}

// TestTransportsCallBack: the host may call back into the store from
// inside StoreLogoffTransports (here, logging the logon off); nothing
// deadlocks (go test's -timeout catches a deadlock here) and the store
// leaves the list once.
func TestTransportsCallBack(t *testing.T) {
	h := newHarness(t)
	sup := newFakeSupport(h.heap)
	res := h.mustLogon(sup, h.store("reentrant", ""), mapispi.LogonWrite)
	defer h.free(res)
	var inner error
	sup.onTransports = func() { inner = res.Logon.Logoff(h.ctx) }
	if _, err := res.Store.StoreLogoff(h.ctx, mapispi.LogoffOrderly); err != nil {
		t.Errorf("StoreLogoff = %v", err)
	}
	if err := res.Store.Close(h.ctx); err != nil {
		t.Errorf("Close = %v", err)
	}
	if inner != nil {
		t.Errorf("Logoff from inside StoreLogoffTransports = %v, want nil", inner)
	}
	if got := sup.transportCalls(); len(got) != 1 {
		t.Errorf("StoreLogoffTransports calls = %v, want one", got)
	}
	if st := h.p.Stats(); st.OpenStores != 0 || st.Logoffs != 1 {
		t.Errorf("Stats() = %+v, want no open store and one logoff", st)
	}
}

// TestSpoolerStoreReportsWrappedID: PR_ENTRYID and PR_STORE_ENTRYID of
// every store, the spooler's included, are the wrapped store ID.
func TestSpoolerStoreReportsWrappedID(t *testing.T) {
	h := newHarness(t)
	id := h.store("spooled", "")
	res := h.mustLogon(newFakeSupport(h.heap), id, mapispi.LogonWrite)
	defer h.free(res)
	spool, err := h.p.SpoolerLogon(h.ctx, newFakeSupport(h.heap), spoolerRequest(id, res.SpoolSecurity))
	if err != nil {
		t.Fatalf("SpoolerLogon = %v", err)
	}
	vals, err := spool.Store.GetProps(h.ctx, []mapispi.PropTag{mapispi.PropEntryID, mapispi.PropStoreEntryID})
	if err != nil {
		t.Fatalf("GetProps = %v", err)
	}
	want := string(testWrap(DLLName, id))
	for _, v := range vals {
		if b, _ := v.Value.([]byte); string(b) != want {
			t.Errorf("spooler store %v = %X, want the wrapped ID %X", v.Tag, v.Value, want)
		}
	}
}

// TestNTServiceShowsNoDialog: a provider initialised with MAPI_NT_SERVICE
// never prompts (no UI can appear in a service), as if every logon had
// MDB_NO_DIALOG.
func TestNTServiceShowsNoDialog(t *testing.T) {
	h := newHarness(t)
	mp, _, err := h.backend.Init(h.ctx, &mapispi.InitParams{Allocator: h.heap, MAPIVersion: mapispi.SPIVersion, Flags: mapispi.InitNTService})
	if err != nil {
		t.Fatal(err)
	}
	sup := newFakeSupport(h.heap)
	sup.prompt = func(*mapispi.PromptRequest) (*mapispi.PromptResponse, error) {
		t.Error("Prompt called under MAPI_NT_SERVICE")
		return nil, mapispi.ErrUserCancel
	}
	_, err = mp.Logon(h.ctx, sup, &mapispi.LogonRequest{EntryID: h.store("locked", "pw"), Flags: mapispi.LogonWrite})
	wantErr(t, "Logon under MAPI_NT_SERVICE without a saved password", err, mapispi.ErrFailOneProvider, "no dialog")
}

// TestSeparateAllocators: the buffers MAPI allocates (the wrapped entry
// ID) go back to MAPI's allocator from GetMemAllocRoutines, and the spool
// security data comes from the provider's own Allocator.
func TestSeparateAllocators(t *testing.T) {
	h := newHarness(t)
	sup := newFakeSupport(h.heap)
	sup.mem = &alloc.Heap{}
	res := h.mustLogon(sup, h.store("two heaps", ""), mapispi.LogonWrite)
	if !h.heap.Owns(res.SpoolSecurity) {
		t.Errorf("spool security data is not from the provider's Allocator")
	}
	if err := sup.mem.CheckLeaks(); err != nil {
		t.Errorf("MAPI's allocator after Logon: %v, want the wrapped ID freed", err)
	}
	h.free(res)
	if err := res.Logon.Logoff(h.ctx); err != nil && !errors.Is(err, mapispi.ErrInvalidObject) {
		t.Errorf("Logoff = %v", err)
	}
}

// TestClosedPairRefusesEverything: after Logoff, every method of the pair
// says the store is gone, OpenEntry even with bad flags.
func TestClosedPairRefusesEverything(t *testing.T) {
	h := newHarness(t)
	res := h.mustLogon(newFakeSupport(h.heap), h.store("gone", ""), mapispi.LogonWrite)
	defer h.free(res)
	if err := res.Logon.Logoff(h.ctx); err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func() error{
		"OpenEntry(bad flags)":  func() error { _, err := res.Store.OpenEntry(h.ctx, nil, 0xFFFFFFFF); return err },
		"GetPropList":           func() error { _, err := res.Store.GetPropList(h.ctx); return err },
		"SetProps":              func() error { _, err := res.Store.SetProps(h.ctx, nil); return err },
		"DeleteProps":           func() error { _, err := res.Store.DeleteProps(h.ctx, nil); return err },
		"CompareEntryIDs":       func() error { _, err := res.Store.CompareEntryIDs(nil, nil); return err },
		"Logon.CompareEntryIDs": func() error { _, err := res.Logon.CompareEntryIDs(nil, nil); return err },
		"OpenStatusEntry":       func() error { _, err := res.Logon.OpenStatusEntry(h.ctx, 0); return err },
	} {
		wantErr(t, name+" after Logoff", call(), mapispi.ErrInvalidObject, "logged off")
	}
}

// TestReleaseWithActivity: when the transports report activity, the store
// is released all the same (its last reference is gone), with the flag
// StoreLogoff recorded; Logoff does not call the transports again.
func TestReleaseWithActivity(t *testing.T) {
	for _, flags := range []mapispi.LogoffFlags{mapispi.LogoffQuiet, mapispi.LogoffAbort, mapispi.LogoffNoWait, mapispi.LogoffPurge} {
		h := newHarness(t)
		sup := newFakeSupport(h.heap)
		sup.transportOut = mapispi.LogoffInbound
		res := h.mustLogon(sup, h.store("busy", ""), mapispi.LogonWrite)
		if _, err := res.Store.StoreLogoff(h.ctx, flags); err != nil {
			t.Errorf("StoreLogoff(%v) = %v", flags, err)
		}
		if err := res.Store.Close(h.ctx); err != nil {
			t.Errorf("Close after StoreLogoff(%v) = %v", flags, err)
		}
		if _, err := res.Store.GetProps(h.ctx, nil); !errors.Is(err, mapispi.ErrInvalidObject) {
			t.Errorf("GetProps after Close with transport activity = %v, want ErrInvalidObject", err)
		}
		if err := res.Logon.Logoff(h.ctx); err != nil {
			t.Errorf("Logoff after StoreLogoff(%v) = %v", flags, err)
		}
		if got := sup.transportCalls(); !slices.Equal(got, []mapispi.LogoffFlags{flags}) {
			t.Errorf("StoreLogoff(%v), Close, Logoff: transports got %v, want [%v]", flags, got, flags)
		}
		h.free(res)
	}
}

// TestShutdownReportsTransportFailure: a failing StoreLogoffTransports
// during Shutdown is reported with the support call as the component, and
// the store is still logged off.
func TestShutdownReportsTransportFailure(t *testing.T) {
	h := newHarness(t)
	sup := newFakeSupport(h.heap)
	res := h.mustLogon(sup, h.store("stuck", ""), mapispi.LogonWrite)
	defer h.free(res)
	sup.fail = map[string]error{"StoreLogoffTransports": mapispi.ErrNotEnoughResources}
	err := h.p.Shutdown(h.ctx)
	wantErr(t, "Shutdown with a failing StoreLogoffTransports", err, mapispi.ErrNotEnoughResources, "logging off 1 open store")
	var cause *mapispi.Error
	if !errors.As(err.(*mapispi.Error).Err, &cause) || cause.Component != "IMAPISupport::StoreLogoffTransports" {
		t.Errorf("Shutdown error cause = %v, want the failing support call", cause)
	}
	if st := h.p.Stats(); st.OpenStores != 0 {
		t.Errorf("Stats().OpenStores = %d after Shutdown, want 0", st.OpenStores)
	}
}

// TestReadOnlyDeleteProps: a store opened without MDB_WRITE refuses
// DeleteProps as it refuses SetProps.
func TestReadOnlyDeleteProps(t *testing.T) {
	h := newHarness(t)
	res := h.mustLogon(newFakeSupport(h.heap), h.store("ro", ""), 0)
	defer h.free(res)
	_, err := res.Store.DeleteProps(h.ctx, []mapispi.PropTag{mapispi.PropDisplayName})
	wantErr(t, "DeleteProps on a read-only store", err, mapispi.ErrNoAccess, "read-only")
}

// TestSpoolerLogonErrors: SpoolerLogon validates like Logon.
func TestSpoolerLogonErrors(t *testing.T) {
	h := newHarness(t)
	id := h.store("spool", "")
	res := h.mustLogon(newFakeSupport(h.heap), id, mapispi.LogonWrite)
	defer h.free(res)
	unknown := mapispi.EntryID(appendStoreID(nil, mapispi.NewUID()))
	for _, c := range []struct {
		name  string
		req   mapispi.SpoolerLogonRequest
		code  mapispi.SCode
		cause string
	}{
		{"undefined flag", mapispi.SpoolerLogonRequest{LogonRequest: mapispi.LogonRequest{EntryID: id, Flags: 0x40000000}, SpoolSecurity: res.SpoolSecurity}, mapispi.ErrUnknownFlags, "SpoolerLogon"},
		{"malformed entry ID", *spoolerRequest(id[:10], res.SpoolSecurity), mapispi.ErrInvalidEntryID, "offset"},
		{"unknown store", *spoolerRequest(unknown, res.SpoolSecurity), mapispi.ErrNotFound, "no store"},
		{"unsupported interface", mapispi.SpoolerLogonRequest{LogonRequest: mapispi.LogonRequest{EntryID: id, Interface: mapispi.UID{1}}, SpoolSecurity: res.SpoolSecurity}, mapispi.ErrInterfaceNotSupported, "interface"},
	} {
		_, err := h.p.SpoolerLogon(h.ctx, newFakeSupport(h.heap), &c.req)
		wantErr(t, "SpoolerLogon("+c.name+")", err, c.code, c.cause)
	}
	// A reopen asking for an interface the store lacks fails too, with no
	// side effects.
	sup := newFakeSupport(h.heap)
	_, err := h.p.Logon(h.ctx, sup, &mapispi.LogonRequest{EntryID: id, Interface: mapispi.UID{1}})
	wantErr(t, "reopen with an unsupported interface", err, mapispi.ErrInterfaceNotSupported, "interface")
	if calls := sup.callLog(); len(calls) != 0 {
		t.Errorf("reopen with an unsupported interface made support calls %v", calls)
	}
}

// TestReadOnlyStore: a store that cannot be written opens read-only for
// every logon, also one that asks for write access, which succeeds (the
// IMAPISession::OpenMsgStore page: with MDB_WRITE "you still might not be
// granted read/write permission"); a writable store opens read/write
// for a client only when asked, and always for the spooler, which
// writes what it sends (PR_RESPONSIBILITY, locks, FinishedMsg).
func TestReadOnlyStore(t *testing.T) {
	h := newHarness(t)
	ro, err := h.backend.CreateStore("Archive", &StoreOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	rw := h.store("Mailbox", "")
	const (
		writable = mapispi.StoreModifyOK | mapispi.StoreCreateOK
		readOnly = mapispi.StoreReadOnly
	)
	for _, tt := range []struct {
		name     string
		id       mapispi.EntryID
		flags    mapispi.LogonFlags
		writable bool
	}{
		{"read-only store, MDB_WRITE", ro, mapispi.LogonWrite, false},
		{"read-only store, MAPI_BEST_ACCESS", ro, mapispi.LogonBestAccess, false},
		{"read-only store, no flag", ro, 0, false},
		{"writable store, MDB_WRITE", rw, mapispi.LogonWrite, true},
		{"writable store, MAPI_BEST_ACCESS", rw, mapispi.LogonBestAccess, true},
		{"writable store, no flag", rw, 0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := h.newProvider()
			res, err := p.Logon(h.ctx, newFakeSupport(h.heap), &mapispi.LogonRequest{EntryID: tt.id, Flags: tt.flags | mapispi.LogonNoDialog})
			if err != nil {
				t.Fatalf("Logon(%v) = %v, want success", tt.flags, err)
			}
			defer p.Shutdown(h.ctx)
			token := slices.Clone(res.SpoolSecurity)
			h.free(res)
			stores := []mapispi.MsgStore{res.Store}
			spool, err := h.newProvider().SpoolerLogon(h.ctx, newFakeSupport(h.heap), &mapispi.SpoolerLogonRequest{
				LogonRequest: mapispi.LogonRequest{EntryID: tt.id, Flags: tt.flags | mapispi.LogonNoDialog}, SpoolSecurity: token})
			if err != nil {
				t.Fatalf("SpoolerLogon(%v) = %v", tt.flags, err)
			}
			defer spool.Logon.Logoff(h.ctx)
			stores = append(stores, spool.Store)
			for i, st := range stores {
				who := []string{"Logon", "SpoolerLogon"}[i]
				vals, err := st.GetProps(h.ctx, []mapispi.PropTag{mapispi.PropStoreSupportMask})
				if err != nil {
					t.Fatal(err)
				}
				mask, _ := vals[0].Value.(int32)
				got, want := mapispi.StoreSupportMask(mask)&(writable|readOnly), readOnly
				writableWant := tt.writable || (who == "SpoolerLogon" && bytes.Equal(tt.id, rw))
				if writableWant {
					want = writable
				}
				if got != want {
					t.Errorf("%s(%v): PR_STORE_SUPPORT_MASK has %v of STORE_MODIFY_OK|STORE_CREATE_OK|STORE_READONLY, want %v", who, tt.flags, got, want)
				}
				_, serr := st.SetProps(h.ctx, []mapispi.PropValue{{Tag: mapispi.PropDisplayName, Value: tt.name}})
				_, derr := st.DeleteProps(h.ctx, []mapispi.PropTag{mapispi.PropSubject})
				for _, err := range []error{serr, derr} {
					if writableWant && err != nil || !writableWant && !errors.Is(err, mapispi.ErrNoAccess) {
						t.Errorf("%s(%v): SetProps, DeleteProps = %v, %v; want writable %v", who, tt.flags, serr, derr, writableWant)
					}
				}
			}
		})
	}
	res := h.mustLogon(newFakeSupport(h.heap), ro, mapispi.LogonWrite)
	defer h.free(res)
	_, err = res.Store.SetProps(h.ctx, []mapispi.PropValue{{Tag: mapispi.PropDisplayName, Value: "x"}})
	wantErr(t, "SetProps on a read-only store", err, mapispi.ErrNoAccess, "the store is read-only")
}
