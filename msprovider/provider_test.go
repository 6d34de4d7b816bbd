package msprovider

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/alloc"
	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
)

// testIterations keeps password hashing fast in tests.
const testIterations = 1000

type harness struct {
	t       testing.TB
	ctx     context.Context
	backend *Backend
	heap    *alloc.Heap
	p       *Provider
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	h := &harness{t: t, ctx: context.Background(), backend: NewBackend(WithPasswordIterations(testIterations)), heap: &alloc.Heap{}}
	h.p = h.newProvider()
	return h
}

func (h *harness) newProvider() *Provider {
	h.t.Helper()
	mp, v, err := h.backend.Init(h.ctx, &mapispi.InitParams{Allocator: h.heap, Malloc: &alloc.Malloc{}, MAPIVersion: mapispi.SPIVersion})
	if err != nil || v != mapispi.SPIVersion {
		h.t.Fatalf("Init() = %v, %v, want a provider and %v", v, err, mapispi.SPIVersion)
	}
	return mp.(*Provider)
}

func (h *harness) store(name, password string) mapispi.EntryID {
	h.t.Helper()
	id, err := h.backend.CreateStore(name, &StoreOptions{Password: password})
	require.NoError(h.t, err, "CreateStore(%q)", name)
	return id
}

func (h *harness) logon(sup *fakeSupport, id mapispi.EntryID, flags mapispi.LogonFlags) (*mapispi.LogonResult, error) {
	return h.p.Logon(h.ctx, sup, &mapispi.LogonRequest{ProfileName: "test", EntryID: id, Flags: flags})
}

func (h *harness) mustLogon(sup *fakeSupport, id mapispi.EntryID, flags mapispi.LogonFlags) *mapispi.LogonResult {
	h.t.Helper()
	res, err := h.logon(sup, id, flags)
	require.NoError(h.t, err, "Logon(%v, %v)", id, flags)
	return res
}

// spoolerRequest is a SpoolerLogon request for the store id with the
// spool security data tok.
func spoolerRequest(id mapispi.EntryID, tok []byte) *mapispi.SpoolerLogonRequest {
	return &mapispi.SpoolerLogonRequest{LogonRequest: mapispi.LogonRequest{EntryID: id}, SpoolSecurity: tok}
}

// free releases what the provider handed to MAPI, as MAPI would.
func (h *harness) free(res *mapispi.LogonResult) {
	if res != nil && res.SpoolSecurity != nil {
		if err := h.heap.FreeBuffer(res.SpoolSecurity); err != nil {
			h.t.Errorf("FreeBuffer(spool security) = %v", err)
		}
	}
}

// wantErr checks errors.Is(err, code), that err is a *mapispi.Error
// naming a component, and that its text, causes included, names cause.
func wantErr(t *testing.T, op string, err error, code mapispi.SCode, cause string) {
	t.Helper()
	if !errors.Is(err, code) {
		t.Fatalf("%s = %v, want %v", op, err, code)
	}
	e, ok := err.(*mapispi.Error)
	if !ok {
		t.Fatalf("%s = %T %v, want a *mapispi.Error", op, err, err)
	}
	if e.Component == "" || !strings.Contains(e.Error(), cause) {
		t.Fatalf("%s = %q (component %q), want a message naming %q", op, e.Error(), e.Component, cause)
	}
}

func TestInit(t *testing.T) {
	b := NewBackend()
	heap := &alloc.Heap{}
	tests := []struct {
		name string
		p    *mapispi.InitParams
		want mapispi.SCode
	}{
		{"current version", &mapispi.InitParams{Allocator: heap, MAPIVersion: mapispi.SPIVersion}, mapispi.OK},
		{"newer MAPI", &mapispi.InitParams{Allocator: heap, MAPIVersion: 0x00020000}, mapispi.OK},
		{"NT service", &mapispi.InitParams{Allocator: heap, MAPIVersion: mapispi.SPIVersion, Flags: mapispi.InitNTService}, mapispi.OK},
		{"PDK2 MAPI is older", &mapispi.InitParams{Allocator: heap, MAPIVersion: mapispi.PDK2SPIVersion}, mapispi.ErrVersion},
		{"undefined flag", &mapispi.InitParams{Allocator: heap, MAPIVersion: mapispi.SPIVersion, Flags: 1}, mapispi.ErrUnknownFlags},
		{"no allocator", &mapispi.InitParams{MAPIVersion: mapispi.SPIVersion}, mapispi.ErrInvalidParameter},
		{"nil params", nil, mapispi.ErrInvalidParameter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mp, v, err := b.Init(context.Background(), tt.p)
			if v != mapispi.SPIVersion {
				t.Errorf("Init() version = %v, want %v even on failure", v, mapispi.SPIVersion)
			}
			if tt.want == mapispi.OK {
				if err != nil || mp == nil {
					t.Fatalf("Init() = %v, %v, want a provider", mp, err)
				}
				return
			}
			if !errors.Is(err, tt.want) || mp != nil {
				t.Fatalf("Init() = %v, %v, want nil, %v", mp, err, tt.want)
			}
		})
	}
}

func TestInitReturnsDistinctProviders(t *testing.T) {
	h := newHarness(t)
	p2 := h.newProvider()
	if p2 == h.p {
		t.Fatalf("Init() returned the same provider twice")
	}
	id := h.store("Shared", "")
	r1 := h.mustLogon(newFakeSupport(h.heap), id, 0)
	r2, err := p2.Logon(h.ctx, newFakeSupport(h.heap), &mapispi.LogonRequest{EntryID: id})
	if err != nil {
		t.Fatalf("second provider Logon = %v", err)
	}
	if r2.Logon == nil || r1.Store == r2.Store {
		t.Errorf("second session got the first session's store, want its own first logon")
	}
	if got := h.p.Stats().OpenStores; got != 1 {
		t.Errorf("first provider OpenStores = %d, want 1", got)
	}
	h.free(r1)
	h.free(r2)
}

func TestFirstLogon(t *testing.T) {
	h := newHarness(t)
	id := h.store("Archive 2026", "")
	sup := newFakeSupport(h.heap)
	res := h.mustLogon(sup, id, mapispi.LogonWrite|mapispi.LogonNoDialog)
	defer h.free(res)

	if res.Logon == nil || res.Store == nil {
		t.Fatalf("Logon() = %+v, want a paired MSLogon and MsgStore", res)
	}
	if res.Logon.(*Logon).Store() != res.Store.(*Store) {
		t.Errorf("the MSLogon and MsgStore are not paired")
	}
	want := []string{"OpenProfileSection", "WrapStoreEntryID", "SetProps", "SetProviderUID", "ModifyProfile", "ModifyStatusRow"}
	if got := sup.callLog(); !slices.Equal(got, want) {
		t.Errorf("support calls = %v, want %v", got, want)
	}
	// The registered UID is the store's own, which its entry IDs carry
	// at offset 4; the provider's UID is at offset 24.
	storeUID := mapispi.UID(id[4:20])
	if len(sup.uids) != 1 || sup.uids[0] != storeUID || storeUID == ProviderUID {
		t.Errorf("SetProviderUID calls = %v, want one, of the store's UID %v (bytes 4..19 of %v)", sup.uids, storeUID, id)
	}
	if got := mapispi.UID(id[24:40]); got != ProviderUID {
		t.Errorf("bytes 24..39 of the store entry ID %v = %v, want ProviderUID %v", id, got, ProviderUID)
	}
	// The profile section holds the documented properties, PR_ENTRYID wrapped.
	wrapped := testWrap(DLLName, id)
	for tag, want := range map[mapispi.PropTag]any{
		mapispi.PropDisplayName:     "Archive 2026",
		mapispi.PropProviderDisplay: ProviderDisplay,
	} {
		if got, _ := sup.section.get(tag); got != want {
			t.Errorf("profile section %v = %v, want %v", tag, got, want)
		}
	}
	if got, _ := sup.section.get(mapispi.PropEntryID); string(got.([]byte)) != string(wrapped) {
		t.Errorf("profile section PR_ENTRYID = %X, want the wrapped ID %X", got, wrapped)
	}
	if got, _ := sup.section.get(mapispi.PropRecordKey); string(got.([]byte)) != string(storeUID[:]) {
		t.Errorf("profile section PR_RECORD_KEY = %X, want the store UID %X", got, storeUID[:])
	}
	// The spool security data comes from the provider's allocator.
	if len(res.SpoolSecurity) == 0 || !h.heap.Owns(res.SpoolSecurity) {
		t.Errorf("SpoolSecurity = %X, want a buffer from the Init allocator", res.SpoolSecurity)
	}
	if st := h.p.Stats(); st.Logons != 1 || st.OpenStores != 1 {
		t.Errorf("Stats() = %+v, want 1 logon and 1 open store", st)
	}
	stores := slices.Collect(h.p.Stores())
	if len(stores) != 1 || stores[0] != res.Store {
		t.Errorf("Stores() = %v, want the one store", stores)
	}
}

func TestReopenHasNoSideEffects(t *testing.T) {
	h := newHarness(t)
	id := h.store("Mail", "")
	res := h.mustLogon(newFakeSupport(h.heap), id, mapispi.LogonNoDialog)
	defer h.free(res)

	sup2 := newFakeSupport(h.heap)
	aliased := slices.Clone(id)
	aliased[0] = 0x80 // a short-term form of the same ID
	again := h.mustLogon(sup2, aliased, mapispi.LogonNoDialog)
	if again.Store != res.Store || again.Logon != nil || again.SpoolSecurity != nil {
		t.Errorf("reopen = %+v, want the same store, a nil MSLogon and no spool data", again)
	}
	if calls := sup2.callLog(); len(calls) != 0 {
		t.Errorf("reopen made support calls %v, want none", calls)
	}
	if st := h.p.Stats(); st.Reopens != 1 || st.Logons != 1 || st.OpenStores != 1 {
		t.Errorf("Stats() = %+v, want 1 logon, 1 reopen, 1 open store", st)
	}
}

func TestLogonFlags(t *testing.T) {
	tests := []struct {
		name          string
		flags         mapispi.LogonFlags
		wantErr       mapispi.SCode
		modifyProfile bool
		spool         bool
		writable      bool
	}{
		{"read-only", mapispi.LogonNoDialog, 0, true, true, false},
		{"write", mapispi.LogonWrite, 0, true, true, true},
		{"temporary skips ModifyProfile", mapispi.LogonTemporary, 0, false, true, false},
		{"no mail has no spool data", mapispi.LogonNoMail, 0, true, false, false},
		{"every documented flag", mapispi.LogonDocumented, 0, false, false, true},
		{"bits real hosts pass", mapispi.LogonOnline | mapispi.LogonOSTUnicode | mapispi.LogonOSTANSI, 0, true, true, false},
		{"best access grants write", mapispi.LogonBestAccess, 0, true, true, true},
		{"undefined bit", mapispi.LogonWrite | 0x2, mapispi.ErrUnknownFlags, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			id := h.store("S", "")
			sup := newFakeSupport(h.heap)
			res, err := h.logon(sup, id, tt.flags)
			if tt.wantErr != 0 {
				wantErr(t, "Logon", err, tt.wantErr, "undefined flag bits")
				return
			}
			if err != nil {
				t.Fatalf("Logon(%v) = %v", tt.flags, err)
			}
			defer h.free(res)
			if got := slices.Contains(sup.callLog(), "ModifyProfile"); got != tt.modifyProfile {
				t.Errorf("ModifyProfile called = %v, want %v", got, tt.modifyProfile)
			}
			if got := res.SpoolSecurity != nil; got != tt.spool {
				t.Errorf("spool data returned = %v, want %v", got, tt.spool)
			}
			s := res.Store.(*Store)
			vals, _ := s.GetProps(h.ctx, []mapispi.PropTag{mapispi.PropStoreSupportMask})
			mask := mapispi.StoreSupportMask(vals[0].Value.(int32))
			if got := mask&(mapispi.StoreModifyOK|mapispi.StoreCreateOK) != 0; got != tt.writable {
				t.Errorf("PR_STORE_SUPPORT_MASK = %v, want MODIFY_OK|CREATE_OK = %v", mask, tt.writable)
			}
			_, err = s.SetProps(h.ctx, []mapispi.PropValue{{Tag: mapispi.PropDisplayName, Value: "Renamed"}})
			if tt.writable && err != nil {
				t.Errorf("SetProps on a writable store = %v", err)
			}
			if !tt.writable {
				wantErr(t, "SetProps on a read-only store", err, mapispi.ErrNoAccess, "read-only")
			}
		})
	}
}

// TestCompareStoreIDsMalformedWrap checks that a malformed wrapped store
// ID is reported like any other malformed ID: a *mapispi.Error with
// ErrInvalidEntryID, whose Context is the offset and whose cause is the
// entryid.ParseError saying why.
func TestCompareStoreIDsMalformedWrap(t *testing.T) {
	h := newHarness(t)
	good := h.store("Real", "")
	badPad := testWrap("xy.dll", good) // name and NUL end at 29, padding 29..31
	badPad[30] = 1
	for _, tt := range []struct {
		name   string
		id     mapispi.EntryID
		offset int
		reason string
	}{
		{"no inner ID", testWrap("x.dll", nil), 28, "no provider store entry ID"},
		{"padding not zero", badPad, 30, "DLL name padding is not zero"},
		{"no NUL after the DLL name", testWrap("mapiemu.dll", nil)[:30], 22, "DLL name has no terminating NUL"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			same, err := h.p.CompareStoreIDs(tt.id, good)
			if same {
				t.Errorf("CompareStoreIDs(%v, good) = true with an error", tt.id)
			}
			wantErr(t, "CompareStoreIDs("+tt.id.String()+")", err, mapispi.ErrInvalidEntryID, "wrapped store entry ID")
			var pe *entryid.ParseError
			if !errors.As(err, &pe) || pe.Offset != tt.offset || !strings.Contains(pe.Reason, tt.reason) {
				t.Errorf("CompareStoreIDs(%v) cause = %v, want a ParseError at offset %d: %s", tt.id, pe, tt.offset, tt.reason)
			}
			if e := err.(*mapispi.Error); e.Context != uint32(tt.offset) {
				t.Errorf("CompareStoreIDs(%v) Context = %d, want %d", tt.id, e.Context, tt.offset)
			}
		})
	}
}

func TestLogonEntryIDErrors(t *testing.T) {
	h := newHarness(t)
	good := h.store("Real", "")
	unknown := mapispi.EntryID(appendStoreID(nil, mapispi.NewUID()))
	badVersion := slices.Clone(good)
	badVersion[20] = 9
	otherProvider := slices.Clone(good)
	otherProvider[24] ^= 0xFF
	tests := []struct {
		name  string
		id    mapispi.EntryID
		code  mapispi.SCode
		cause string
	}{
		{"truncated", good[:30], mapispi.ErrInvalidEntryID, "offset 30"},
		{"short", mapispi.EntryID{0, 0}, mapispi.ErrInvalidEntryID, "offset 2"},
		{"other provider", testWrap("x.dll", otherProvider), mapispi.ErrInvalidEntryID, "not this provider's"},
		{"other provider, unwrapped", otherProvider, mapispi.ErrInvalidEntryID, "offset 24: provider UID"},
		{"unknown version", badVersion, mapispi.ErrInvalidEntryID, "version 9"},
		{"over-long", append(slices.Clone(good), 0), mapispi.ErrInvalidEntryID, "41 bytes"},
		{"unknown store", unknown, mapispi.ErrNotFound, "no store with entry ID " + unknown.String()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := h.logon(newFakeSupport(h.heap), tt.id, mapispi.LogonNoDialog)
			if res != nil {
				t.Errorf("Logon(%v) returned a result with an error", tt.id)
			}
			wantErr(t, "Logon("+tt.id.String()+")", err, tt.code, tt.cause)
		})
	}
	if st := h.p.Stats(); st.OpenStores != 0 {
		t.Errorf("OpenStores = %d after failed logons, want 0", st.OpenStores)
	}
	if err := h.heap.CheckLeaks(); err != nil {
		t.Errorf("failed logons leaked: %v", err)
	}
}

func TestLogonInterface(t *testing.T) {
	h := newHarness(t)
	id := h.store("S", "")
	for _, iid := range []mapispi.UID{{}, mapispi.IIDMsgStore, mapispi.IIDUnknown} {
		res, err := h.p.Logon(h.ctx, newFakeSupport(h.heap), &mapispi.LogonRequest{EntryID: id, Interface: iid})
		if err != nil {
			t.Errorf("Logon(interface %v) = %v", iid, err)
		}
		h.free(res)
	}
	_, err := h.p.Logon(h.ctx, newFakeSupport(h.heap), &mapispi.LogonRequest{EntryID: id, Interface: mapispi.IIDMessage})
	wantErr(t, "Logon(IID_IMessage)", err, mapispi.ErrInterfaceNotSupported, "interface")
}

func TestLogonWithoutEntryID(t *testing.T) {
	h := newHarness(t)
	id := h.store("From profile", "")

	t.Run("from the profile section", func(t *testing.T) {
		sup := newFakeSupport(h.heap)
		sup.section.set(mapispi.PropEntryID, testWrap(DLLName, id))
		res, err := h.p.Logon(h.ctx, sup, &mapispi.LogonRequest{Flags: mapispi.LogonNoDialog})
		if err != nil {
			t.Fatalf("Logon(nil ID, section has PR_ENTRYID) = %v", err)
		}
		h.free(res)
		if got := res.Store.(*Store).UnwrappedEntryID(); !slices.Equal(got, id) {
			t.Errorf("opened %v, want %v", got, id)
		}
	})
	t.Run("nothing and no dialog", func(t *testing.T) {
		_, err := h.p.Logon(h.ctx, newFakeSupport(h.heap), &mapispi.LogonRequest{Flags: mapispi.LogonNoDialog})
		wantErr(t, "Logon(nil ID, empty section, no dialog)", err, mapispi.ErrLogonFailed, "no dialog allowed")
	})
	t.Run("the user chooses", func(t *testing.T) {
		h2 := newHarness(t)
		id2 := h2.store("Chosen", "")
		sup := newFakeSupport(h2.heap)
		sup.prompt = func(r *mapispi.PromptRequest) (*mapispi.PromptResponse, error) {
			if r.Kind != mapispi.PromptChooseStore {
				t.Errorf("prompt kind = %v, want PromptChooseStore", r.Kind)
			}
			return &mapispi.PromptResponse{EntryID: id2}, nil
		}
		res, err := h2.p.Logon(h2.ctx, sup, &mapispi.LogonRequest{})
		if err != nil {
			t.Fatalf("Logon(nil ID, prompt) = %v", err)
		}
		h2.free(res)
	})
	t.Run("the user cancels", func(t *testing.T) {
		sup := newFakeSupport(h.heap)
		sup.prompt = func(*mapispi.PromptRequest) (*mapispi.PromptResponse, error) { return nil, mapispi.ErrUserCancel }
		_, err := h.p.Logon(h.ctx, sup, &mapispi.LogonRequest{})
		wantErr(t, "Logon(nil ID, cancelled prompt)", err, mapispi.ErrUserCancel, "cancelled")
	})
}

func TestLogonPassword(t *testing.T) {
	const pw = "correct horse"
	answer := func(answers ...string) func(*mapispi.PromptRequest) (*mapispi.PromptResponse, error) {
		return func(*mapispi.PromptRequest) (*mapispi.PromptResponse, error) {
			if len(answers) == 0 {
				return nil, mapispi.ErrUserCancel
			}
			a := answers[0]
			answers = answers[1:]
			return &mapispi.PromptResponse{Password: a, Remember: true}, nil
		}
	}
	tests := []struct {
		name    string
		saved   string // in the profile section; "" for none
		flags   mapispi.LogonFlags
		prompt  func(*mapispi.PromptRequest) (*mapispi.PromptResponse, error)
		code    mapispi.SCode
		cause   string
		prompts int
	}{
		{"saved and right", pw, mapispi.LogonNoDialog, nil, 0, "", 0},
		{"saved and wrong, no dialog", "nope", mapispi.LogonNoDialog, nil, mapispi.ErrFailOneProvider, "wrong password in the profile section", 0},
		{"none saved, no dialog", "", mapispi.LogonNoDialog, nil, mapispi.ErrFailOneProvider, "none in the profile section, and no dialog allowed", 0},
		{"prompted and right", "", 0, answer(pw), 0, "", 1},
		{"saved wrong, then prompted", "old", 0, answer(pw), 0, "", 1},
		{"prompted wrong then right", "", 0, answer("x", pw), 0, "", 2},
		{"prompted wrong three times", "", 0, answer("a", "b", "c"), mapispi.ErrLogonFailed, "wrong password", 3},
		{"user cancels", "", 0, answer(), mapispi.ErrUserCancel, "cancelled", 1},
		{"host cannot prompt", "", 0, nil, mapispi.ErrLogonFailed, "cannot show one", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			id := h.store("Locked", pw)
			sup := newFakeSupport(h.heap)
			if tt.saved != "" {
				sup.section.set(PropPassword, tt.saved)
			}
			sup.prompt = tt.prompt
			res, err := h.logon(sup, id, tt.flags)
			if got := len(sup.prompts); got != tt.prompts {
				t.Errorf("prompts = %d, want %d", got, tt.prompts)
			}
			if tt.code != 0 {
				wantErr(t, "Logon", err, tt.code, tt.cause)
				if h.p.Stats().OpenStores != 0 {
					t.Errorf("a failed logon left a store open")
				}
				return
			}
			if err != nil {
				t.Fatalf("Logon = %v", err)
			}
			h.free(res)
			if tt.prompt != nil {
				if got, _ := sup.section.get(PropPassword); got != pw {
					t.Errorf("remembered password = %v, want it saved in the profile section", got)
				}
			}
		})
	}
}

func TestLogonSupportFailures(t *testing.T) {
	for _, method := range []string{"OpenProfileSection", "WrapStoreEntryID", "SetProviderUID", "ModifyProfile", "ModifyStatusRow"} {
		t.Run(method, func(t *testing.T) {
			h := newHarness(t)
			id := h.store("S", "")
			sup := newFakeSupport(h.heap)
			injected := &mapispi.Error{Code: mapispi.ErrNotEnoughResources, Component: "host", Message: "injected"}
			sup.fail = map[string]error{method: injected}
			res, err := h.logon(sup, id, 0)
			if res != nil || !errors.Is(err, mapispi.ErrNotEnoughResources) || !errors.Is(err, injected) {
				t.Fatalf("Logon with %s failing = %v, %v, want ErrNotEnoughResources caused by the host's error", method, res, err)
			}
			var e *mapispi.Error
			if !errors.As(err, &e) || !strings.Contains(e.Component, method) {
				t.Errorf("error component = %q, want it to name %s", e.Component, method)
			}
			if err := h.heap.CheckLeaks(); err != nil {
				t.Errorf("leaked after %s failed: %v", method, err)
			}
			if h.p.Stats().OpenStores != 0 {
				t.Errorf("store left open after %s failed", method)
			}
		})
	}
}

// TestLogonAllocationFailure fails every allocation step of Logon in turn:
// each gives ErrNotEnoughMemory and leaks nothing.
func TestLogonAllocationFailure(t *testing.T) {
	h := newHarness(t)
	id := h.store("S", "")
	for n := 0; ; n++ {
		h.heap.FailAfter(n)
		res, err := h.logon(newFakeSupport(h.heap), id, mapispi.LogonWrite)
		h.heap.FailAfter(-1)
		if err == nil {
			if n == 0 {
				t.Fatalf("Logon succeeded with every allocation failing")
			}
			h.free(res)
			t.Logf("Logon makes %d allocations", n)
			break
		}
		if !errors.Is(err, mapispi.ErrNotEnoughMemory) {
			t.Fatalf("Logon with allocation %d failing = %v, want ErrNotEnoughMemory", n+1, err)
		}
		if err := h.heap.CheckLeaks(); err != nil {
			t.Fatalf("Logon with allocation %d failing leaked: %v", n+1, err)
		}
		if h.p.Stats().OpenStores != 0 {
			t.Fatalf("Logon with allocation %d failing left a store open", n+1)
		}
		if n > 10 {
			t.Fatalf("Logon still failing after %d allocations", n)
		}
	}
}

func TestSpoolerLogon(t *testing.T) {
	h := newHarness(t)
	id := h.store("Outbox owner", "secret")
	sup := newFakeSupport(h.heap)
	sup.section.set(PropPassword, "secret")
	res := h.mustLogon(sup, id, mapispi.LogonWrite)
	defer h.free(res)

	spool, err := h.p.SpoolerLogon(h.ctx, newFakeSupport(h.heap), &mapispi.SpoolerLogonRequest{
		LogonRequest:  mapispi.LogonRequest{EntryID: id, Flags: mapispi.LogonNoDialog | mapispi.LogonWrite},
		SpoolSecurity: res.SpoolSecurity,
	})
	if err != nil {
		t.Fatalf("SpoolerLogon = %v", err)
	}
	s := spool.Store.(*Store)
	if spool.Logon == nil || s == res.Store || !s.IsSpooler() || res.Store.(*Store).IsSpooler() {
		t.Errorf("SpoolerLogon = %+v, want a distinct pair marked as the spooler's", spool)
	}
	if st := h.p.Stats(); st.SpoolerLogons != 1 || st.OpenStores != 2 {
		t.Errorf("Stats() = %+v, want 1 spooler logon and 2 open stores", st)
	}
	if got := res.Store.(*Store).DisplayName(); got != s.DisplayName() {
		t.Errorf("spooler store name = %q, want the same store data %q", s.DisplayName(), got)
	}
}

// TestSpoolTokenTampering: every single-byte change, every truncation, a
// token for another store and one issued before a password change are all
// refused with ErrNoAccess.
func TestSpoolTokenTampering(t *testing.T) {
	h := newHarness(t)
	idA := h.store("A", "pw-a")
	idB := h.store("B", "")
	supA := newFakeSupport(h.heap)
	supA.section.set(PropPassword, "pw-a")
	resA := h.mustLogon(supA, idA, 0)
	defer h.free(resA)
	resB := h.mustLogon(newFakeSupport(h.heap), idB, 0)
	defer h.free(resB)
	token := slices.Clone(resA.SpoolSecurity)

	spoolerLogon := func(id mapispi.EntryID, tok []byte) error {
		res, err := h.p.SpoolerLogon(h.ctx, newFakeSupport(h.heap), spoolerRequest(id, tok))
		if err == nil {
			res.Logon.Logoff(h.ctx)
		}
		return err
	}
	if err := spoolerLogon(idA, token); err != nil {
		t.Fatalf("SpoolerLogon with the genuine token = %v", err)
	}
	for i := range token {
		for d := 1; d < 256; d++ { // every other value of every byte
			delta := byte(d)
			bad := slices.Clone(token)
			bad[i] ^= delta
			if err := spoolerLogon(idA, bad); !errors.Is(err, mapispi.ErrNoAccess) {
				t.Fatalf("SpoolerLogon with byte %d ^ 0x%02X = %v, want ErrNoAccess", i, delta, err)
			}
		}
	}
	for n := range len(token) {
		if err := spoolerLogon(idA, token[:n]); !errors.Is(err, mapispi.ErrNoAccess) {
			t.Fatalf("SpoolerLogon with %d of %d bytes = %v, want ErrNoAccess", n, len(token), err)
		}
	}
	if err := spoolerLogon(idA, append(slices.Clone(token), 0)); !errors.Is(err, mapispi.ErrNoAccess) {
		t.Errorf("SpoolerLogon with a padded token = %v, want ErrNoAccess", err)
	}
	wantErr(t, "SpoolerLogon(B, A's token)", spoolerLogon(idB, token), mapispi.ErrNoAccess, "another store")
	wantErr(t, "SpoolerLogon(A, B's token)", spoolerLogon(idA, resB.SpoolSecurity), mapispi.ErrNoAccess, "another store")

	if err := h.backend.SetPassword(idA, "new password"); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "SpoolerLogon after a password change", spoolerLogon(idA, token), mapispi.ErrNoAccess, "password changed")
}

func TestCompareStoreIDs(t *testing.T) {
	h := newHarness(t) // no store is open in h.p
	a := h.store("A", "")
	b := h.store("B", "")
	shortTerm := slices.Clone(a)
	shortTerm[0] = 0xFF
	tests := []struct {
		name string
		x, y mapispi.EntryID
		want bool
	}{
		{"same", a, a, true},
		{"same, copy", a, slices.Clone(a), true},
		{"abFlags differ", a, shortTerm, true},
		{"wrapped and unwrapped", testWrap(DLLName, a), a, true},
		{"wrapped with another DLL name", a, testWrap("MAPIEMU.DLL", shortTerm), true},
		{"different stores", a, b, false},
	}
	for _, tt := range tests {
		for _, swap := range []bool{false, true} {
			x, y := tt.x, tt.y
			if swap {
				x, y = y, x
			}
			got, err := h.p.CompareStoreIDs(x, y)
			if err != nil || got != tt.want {
				t.Errorf("%s: CompareStoreIDs(%v, %v) = %v, %v, want %v", tt.name, x, y, got, err, tt.want)
			}
		}
	}
	for _, bad := range []mapispi.EntryID{nil, {}, a[:39], append(slices.Clone(a), 1), testWrap("nul-less", nil)[:24]} {
		if _, err := h.p.CompareStoreIDs(a, bad); !errors.Is(err, mapispi.ErrInvalidEntryID) {
			t.Errorf("CompareStoreIDs(a, %v) = %v, want ErrInvalidEntryID", bad, err)
		}
	}
	wrapped := testWrap(DLLName, shortTerm)
	if n := testing.AllocsPerRun(100, func() { h.p.CompareStoreIDs(a, wrapped) }); n != 0 {
		t.Errorf("CompareStoreIDs allocates %v times per call, want 0", n)
	}
}

func TestStoreLogoff(t *testing.T) {
	for _, flag := range []mapispi.LogoffFlags{mapispi.LogoffNoWait, mapispi.LogoffOrderly, mapispi.LogoffPurge, mapispi.LogoffAbort, mapispi.LogoffQuiet} {
		t.Run(flag.String(), func(t *testing.T) {
			h := newHarness(t)
			sup := newFakeSupport(h.heap)
			res := h.mustLogon(sup, h.store("S", ""), 0)
			defer h.free(res)
			out, err := res.Store.StoreLogoff(h.ctx, flag)
			if err != nil || out != 0 {
				t.Fatalf("StoreLogoff(%v) = %v, %v, want 0, nil", flag, out, err)
			}
			if err := res.Store.Close(h.ctx); err != nil {
				t.Fatalf("Close = %v", err)
			}
			if got := sup.transportCalls(); !slices.Equal(got, []mapispi.LogoffFlags{flag}) {
				t.Errorf("StoreLogoffTransports calls = %v, want [%v]", got, flag)
			}
			if err := res.Logon.Logoff(h.ctx); err != nil {
				t.Fatalf("Logoff = %v", err)
			}
			if h.p.Stats().OpenStores != 0 {
				t.Errorf("store still on the list after Close and Logoff")
			}
			for name, err := range map[string]error{
				"StoreLogoff": func() error { _, err := res.Store.StoreLogoff(h.ctx, flag); return err }(),
				"GetProps":    func() error { _, err := res.Store.GetProps(h.ctx, nil); return err }(),
				"Logoff":      res.Logon.Logoff(h.ctx),
				"OpenEntry":   func() error { _, err := res.Logon.OpenEntry(h.ctx, nil, 0); return err }(),
			} {
				if !errors.Is(err, mapispi.ErrInvalidObject) {
					t.Errorf("%s after Logoff = %v, want ErrInvalidObject", name, err)
				}
			}
			if got := sup.transportCalls(); len(got) != 1 {
				t.Errorf("StoreLogoffTransports called %d times, want once", len(got))
			}
		})
	}
}

func TestStoreLogoffBadFlags(t *testing.T) {
	h := newHarness(t)
	res := h.mustLogon(newFakeSupport(h.heap), h.store("S", ""), 0)
	defer h.free(res)
	for _, tt := range []struct {
		flags mapispi.LogoffFlags
		code  mapispi.SCode
	}{
		{0, mapispi.ErrInvalidParameter},
		{mapispi.LogoffNoWait | mapispi.LogoffAbort, mapispi.ErrInvalidParameter},
		{mapispi.LogoffComplete, mapispi.ErrUnknownFlags},
		{0x100, mapispi.ErrUnknownFlags},
	} {
		if _, err := res.Store.StoreLogoff(h.ctx, tt.flags); !errors.Is(err, tt.code) {
			t.Errorf("StoreLogoff(%v) = %v, want %v", tt.flags, err, tt.code)
		}
	}
	if h.p.Stats().OpenStores != 1 {
		t.Errorf("a refused StoreLogoff closed the store")
	}
}

func TestLogoffWithoutStoreLogoff(t *testing.T) {
	h := newHarness(t)
	sup := newFakeSupport(h.heap)
	res := h.mustLogon(sup, h.store("S", ""), 0)
	defer h.free(res)
	if err := res.Logon.Logoff(h.ctx); err != nil {
		t.Fatalf("Logoff = %v", err)
	}
	if got := sup.transportCalls(); !slices.Equal(got, []mapispi.LogoffFlags{mapispi.LogoffAbort}) {
		t.Errorf("StoreLogoffTransports calls = %v, want [LOGOFF_ABORT]", got)
	}
	wantErr(t, "second Logoff", res.Logon.Logoff(h.ctx), mapispi.ErrInvalidObject, "logged off")
	// The store can be logged on again afterwards, as a first logon.
	again := h.mustLogon(newFakeSupport(h.heap), res.Store.(*Store).UnwrappedEntryID(), 0)
	defer h.free(again)
	if again.Logon == nil || again.Store == res.Store {
		t.Errorf("logon after logoff reused the closed store")
	}
}

func TestShutdown(t *testing.T) {
	h := newHarness(t)
	sups := []*fakeSupport{newFakeSupport(h.heap), newFakeSupport(h.heap)}
	var results []*mapispi.LogonResult
	for i, sup := range sups {
		results = append(results, h.mustLogon(sup, h.store(string(rune('A'+i)), ""), 0))
	}
	if err := h.p.Shutdown(h.ctx); err != nil {
		t.Fatalf("Shutdown = %v", err)
	}
	for i, sup := range sups {
		if got := sup.transportCalls(); !slices.Equal(got, []mapispi.LogoffFlags{mapispi.LogoffAbort}) {
			t.Errorf("store %d: StoreLogoffTransports calls = %v, want [LOGOFF_ABORT]", i, got)
		}
		if _, err := results[i].Store.GetProps(h.ctx, nil); !errors.Is(err, mapispi.ErrInvalidObject) {
			t.Errorf("store %d GetProps after Shutdown = %v, want ErrInvalidObject", i, err)
		}
	}
	if st := h.p.Stats(); st.OpenStores != 0 || !st.ShutDown {
		t.Errorf("Stats() = %+v, want no open stores and ShutDown", st)
	}
	if err := h.p.Shutdown(h.ctx); err != nil {
		t.Errorf("second Shutdown = %v, want nil", err)
	}
	_, err := h.logon(newFakeSupport(h.heap), h.store("late", ""), 0)
	wantErr(t, "Logon after Shutdown", err, mapispi.ErrInvalidObject, "shut down")
	_, err = h.p.SpoolerLogon(h.ctx, newFakeSupport(h.heap), spoolerRequest(results[0].Store.(*Store).UnwrappedEntryID(), results[0].SpoolSecurity))
	wantErr(t, "SpoolerLogon after Shutdown", err, mapispi.ErrInvalidObject, "shut down")
	_, err = h.p.CompareStoreIDs(results[0].Store.(*Store).UnwrappedEntryID(), results[0].Store.(*Store).UnwrappedEntryID())
	wantErr(t, "CompareStoreIDs after Shutdown", err, mapispi.ErrInvalidObject, "shut down")
	// Shutdown is checked first: bad arguments after it still say so.
	_, err = h.p.Logon(h.ctx, nil, nil)
	wantErr(t, "Logon(nil, nil) after Shutdown", err, mapispi.ErrInvalidObject, "shut down")
	_, err = h.p.SpoolerLogon(h.ctx, nil, nil)
	wantErr(t, "SpoolerLogon(nil, nil) after Shutdown", err, mapispi.ErrInvalidObject, "shut down")

	// Only the buffers handed to MAPI remain; MAPI frees them.
	if got := h.heap.Live(); got != len(results) {
		t.Errorf("live buffers after Shutdown = %d, want %d (the spool data)", got, len(results))
	}
	for _, r := range results {
		h.free(r)
	}
	if err := h.heap.CheckLeaks(); err != nil {
		t.Errorf("CheckLeaks after Shutdown and freeing spool data = %v", err)
	}
}

func TestStoreProps(t *testing.T) {
	h := newHarness(t)
	id := h.store("Props", "")
	sup := newFakeSupport(h.heap)
	res := h.mustLogon(sup, id, mapispi.LogonWrite)
	defer h.free(res)
	s := res.Store

	vals, err := s.GetProps(h.ctx, nil)
	if err != nil {
		t.Fatalf("GetProps(nil) = %v", err)
	}
	got := map[mapispi.PropTag]any{}
	for _, v := range vals {
		if err := v.Check(); err != nil {
			t.Errorf("GetProps value %v: %v", v, err)
		}
		got[v.Tag] = v.Value
	}
	wrapped := testWrap(DLLName, id)
	uid := mapispi.UID(id[4:20]) // the store's own UID, its record key
	for tag, want := range map[mapispi.PropTag]string{
		mapispi.PropEntryID:        string(wrapped),
		mapispi.PropStoreEntryID:   string(wrapped),
		mapispi.PropRecordKey:      string(uid[:]),
		mapispi.PropStoreRecordKey: string(uid[:]),
		mapispi.PropMDBProvider:    string(ProviderUID[:]),
	} {
		if b, _ := got[tag].([]byte); string(b) != want {
			t.Errorf("GetProps %v = %X, want %X", tag, got[tag], want)
		}
	}
	if got[mapispi.PropDisplayName] != "Props" || got[mapispi.PropObjectType] != int32(mapispi.ObjStore) {
		t.Errorf("GetProps name, type = %v, %v", got[mapispi.PropDisplayName], got[mapispi.PropObjectType])
	}
	if _, ok := got[mapispi.PropStoreSupportMask]; !ok {
		t.Errorf("GetProps(nil) has no PR_STORE_SUPPORT_MASK")
	}

	// A missing property is a PT_ERROR value, not an error: MAPI would
	// return MAPI_W_ERRORS_RETURNED with these values.
	vals, err = s.GetProps(h.ctx, []mapispi.PropTag{mapispi.PropDisplayName, mapispi.PropSubject})
	if err != nil || mapispi.PropsWarning(vals) != mapispi.WarnErrorsReturned {
		t.Errorf("GetProps with a missing tag = %v, %v, want a PT_ERROR value and a nil error", vals, err)
	}
	if len(vals) != 2 || vals[0].Value != "Props" || !errors.Is(vals[1].Err(), mapispi.ErrNotFound) || vals[1].Tag.Type() != mapispi.PtError {
		t.Errorf("GetProps with a missing tag = %v, want the name and a PT_ERROR ErrNotFound", vals)
	}
	// Returned bytes are the caller's: changing them changes nothing.
	vals, _ = s.GetProps(h.ctx, []mapispi.PropTag{mapispi.PropEntryID})
	vals[0].Value.([]byte)[0] = 0xEE
	vals, _ = s.GetProps(h.ctx, []mapispi.PropTag{mapispi.PropEntryID})
	if vals[0].Value.([]byte)[0] != 0 {
		t.Errorf("GetProps returned the store's own buffer")
	}

	probs, err := s.SetProps(h.ctx, []mapispi.PropValue{
		{Tag: mapispi.PropDisplayName, Value: "New name"},
		{Tag: mapispi.PropEntryID, Value: []byte{1}},
	})
	if err != nil || len(probs) != 1 || probs[0].Index != 1 || probs[0].Code != mapispi.ErrComputed {
		t.Errorf("SetProps = %v, %v, want one ErrComputed problem for PR_ENTRYID, a computed property", probs, err)
	}
	if got := s.(*Store).DisplayName(); got != "New name" {
		t.Errorf("DisplayName after SetProps = %q, want %q", got, "New name")
	}

	status, err := res.Logon.OpenStatusEntry(h.ctx, 0)
	if err != nil || status.ObjectType() != mapispi.ObjStatus {
		t.Fatalf("OpenStatusEntry = %v, %v", status, err)
	}
	sv, _ := status.GetProps(h.ctx, []mapispi.PropTag{mapispi.PropResourceType})
	if sv[0].Value != int32(33) {
		t.Errorf("status PR_RESOURCE_TYPE = %v, want MAPI_STORE_PROVIDER (33)", sv[0].Value)
	}
	if err := res.Logon.Logoff(h.ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := status.GetProps(h.ctx, nil); !errors.Is(err, mapispi.ErrInvalidObject) {
		t.Errorf("status GetProps after Logoff = %v, want ErrInvalidObject", err)
	}
}

func TestCompareEntryIDs(t *testing.T) {
	h := newHarness(t)
	a, b := h.store("A", ""), h.store("B", "")
	res := h.mustLogon(newFakeSupport(h.heap), a, 0)
	defer h.free(res)
	short := slices.Clone(a)
	short[0] = 0x80
	other := mapispi.NewUID()
	foreign := append([]byte{0, 0, 0, 0}, other[:]...)
	for _, c := range []struct {
		name string
		f    func(a, b mapispi.EntryID) (bool, error)
	}{{"MSLogon", res.Logon.CompareEntryIDs}, {"MsgStore", res.Store.CompareEntryIDs}} {
		for _, tt := range []struct {
			name string
			x, y mapispi.EntryID
			want bool
			code mapispi.SCode
		}{
			{"a and wrapped a", a, testWrap(DLLName, a), true, mapispi.OK},
			{"a and a short-term alias", a, short, true, mapispi.OK},
			// b is another store's: its logon is where MAPI routes it.
			{"a and b", a, b, false, mapispi.ErrUnknownEntryID},
			{"b and b", b, b, false, mapispi.ErrUnknownEntryID},
			{"wrapped b and a", testWrap(DLLName, b), a, false, mapispi.ErrUnknownEntryID},
			{"a and another provider's", a, foreign, false, mapispi.ErrUnknownEntryID},
			{"a and a short ID", a, a[:10], false, mapispi.ErrInvalidEntryID},
			{"a and a truncated ID of a", a, a[:30], false, mapispi.ErrInvalidEntryID},
		} {
			got, err := c.f(tt.x, tt.y)
			if tt.code != mapispi.OK {
				if !errors.Is(err, tt.code) {
					t.Errorf("%s.CompareEntryIDs(%s) = %v, %v, want %v", c.name, tt.name, got, err, tt.code)
				}
				continue
			}
			if err != nil || got != tt.want {
				t.Errorf("%s.CompareEntryIDs(%s) = %v, %v, want %v", c.name, tt.name, got, err, tt.want)
			}
		}
	}
}

// TestStoresRegisterTheirOwnUIDs: two stores open in one provider object
// register a UID each, their own, which their entry IDs carry; an ID of
// store B given to store A's logon is not store A's to answer
// (ErrUnknownEntryID), so that MAPI passes it on, as "Registering
// Service Provider Unique Identifiers" describes.
func TestStoresRegisterTheirOwnUIDs(t *testing.T) {
	h := newHarness(t)
	a, b := h.store("A", ""), h.store("B", "")
	supA, supB := newFakeSupport(h.heap), newFakeSupport(h.heap)
	resA := h.mustLogon(supA, a, 0)
	defer h.free(resA)
	resB := h.mustLogon(supB, b, 0)
	defer h.free(resB)
	if len(supA.uids) != 1 || len(supB.uids) != 1 || supA.uids[0] == supB.uids[0] {
		t.Fatalf("SetProviderUID calls = %v and %v, want one each, and different", supA.uids, supB.uids)
	}
	for _, x := range []struct {
		name string
		id   mapispi.EntryID
		uid  mapispi.UID
	}{{"A", a, supA.uids[0]}, {"B", b, supB.uids[0]}} {
		if got := mapispi.UID(x.id[4:20]); got != x.uid {
			t.Errorf("store %s's entry ID carries UID %v, but its logon registered %v", x.name, got, x.uid)
		}
	}
	for _, id := range []mapispi.EntryID{b, testWrap(DLLName, b)} {
		if obj, err := resA.Logon.OpenEntry(h.ctx, id, 0); !errors.Is(err, mapispi.ErrUnknownEntryID) {
			t.Errorf("store A's Logon.OpenEntry(%v, an ID of store B) = %v, %v, want ErrUnknownEntryID", id, obj, err)
		}
		if obj, err := resA.Store.OpenEntry(h.ctx, id, 0); !errors.Is(err, mapispi.ErrUnknownEntryID) {
			t.Errorf("store A's Store.OpenEntry(%v, an ID of store B) = %v, %v, want ErrUnknownEntryID", id, obj, err)
		}
		if same, err := resA.Logon.CompareEntryIDs(id, id); !errors.Is(err, mapispi.ErrUnknownEntryID) {
			t.Errorf("store A's Logon.CompareEntryIDs(%v, itself), an ID of store B, = %v, %v, want ErrUnknownEntryID", id, same, err)
		}
	}
	// Its own IDs are its to answer: the store's own ID is not opened
	// with OpenEntry; nil is the root folder.
	for _, id := range []mapispi.EntryID{a, testWrap(DLLName, a)} {
		if _, err := resA.Logon.OpenEntry(h.ctx, id, 0); !errors.Is(err, mapispi.ErrNoSupport) {
			t.Errorf("store A's Logon.OpenEntry(%v) = %v, want ErrNoSupport", id, err)
		}
	}
	if obj, err := resA.Logon.OpenEntry(h.ctx, nil, 0); err != nil || obj.ObjectType() != mapispi.ObjFolder {
		t.Errorf("store A's Logon.OpenEntry(nil) = %v, %v, want the root folder", obj, err)
	}
	if _, err := resA.Logon.OpenEntry(h.ctx, a[:12], 0); !errors.Is(err, mapispi.ErrInvalidEntryID) {
		t.Errorf("Logon.OpenEntry(an ID of 12 bytes) = %v, want ErrInvalidEntryID", err)
	}
}

// TestOptionalCapabilities: the store implements Adviser (on the store
// and the logon), ReceiveFolders and the spooler's interface, and its
// messages Submitter.
func TestOptionalCapabilities(t *testing.T) {
	h := newHarness(t)
	res := h.mustLogon(newFakeSupport(h.heap), h.store("S", ""), 0)
	defer h.free(res)
	for _, c := range []struct {
		name      string
		has, want bool
	}{
		{"MsgStore implements Adviser", is[mapispi.Adviser](res.Store), true},
		{"MsgStore implements ReceiveFolders", is[mapispi.ReceiveFolders](res.Store), true},
		{"MsgStore implements SpoolerStore", is[mapispi.SpoolerStore](res.Store), true},
		{"Message implements Submitter", is[mapispi.Submitter](&Message{}), true},
		{"MSLogon implements Adviser", is[mapispi.Adviser](res.Logon), true},
	} {
		if c.has != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.has, c.want)
		}
	}
}

func is[T any](v any) bool { _, ok := v.(T); return ok }

// TestLogonWaitCancelled: while a first logon of a store is under way (its
// password prompt is open), a second logon of the store waits for it; if
// its context ends first it fails with ErrLogonFailed whose cause is the
// context's error. When the first logon fails, a waiting logon makes its
// own first logon.
func TestLogonWaitCancelled(t *testing.T) {
	h := newHarness(t)
	id := h.store("Slow", "pw")
	entered, gate := make(chan struct{}), make(chan struct{})
	slow := newFakeSupport(h.heap)
	slow.prompt = func(*mapispi.PromptRequest) (*mapispi.PromptResponse, error) {
		close(entered)
		<-gate
		return nil, mapispi.ErrUserCancel
	}
	first := make(chan error, 1)
	go func() { _, err := h.logon(slow, id, 0); first <- err }()
	<-entered // the first logon holds the store's claim until gate opens

	ctx, cancel := context.WithCancel(h.ctx)
	cancel()
	_, err := h.p.Logon(ctx, newFakeSupport(h.heap), &mapispi.LogonRequest{EntryID: id, Flags: mapispi.LogonNoDialog})
	wantErr(t, "Logon with an ended context during another's first logon", err, mapispi.ErrLogonFailed, "waiting for another logon")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Logon error %v does not wrap context.Canceled", err)
	}

	next := make(chan *mapispi.LogonResult, 1)
	go func() {
		sup := newFakeSupport(h.heap)
		sup.section.set(PropPassword, "pw")
		res, err := h.logon(sup, id, mapispi.LogonNoDialog)
		if err != nil {
			t.Errorf("Logon after the first one failed = %v", err)
		}
		next <- res
	}()
	close(gate)
	if err := <-first; !errors.Is(err, mapispi.ErrUserCancel) {
		t.Errorf("first Logon = %v, want ErrUserCancel", err)
	}
	res := <-next
	if res == nil || res.Logon == nil {
		t.Fatalf("Logon after a failed first logon = %+v, want a first logon of its own", res)
	}
	h.free(res)
	if st := h.p.Stats(); st.Logons != 1 || st.Reopens != 0 || st.OpenStores != 1 {
		t.Errorf("Stats() = %+v, want 1 logon, no reopen, 1 open store", st)
	}
}

// failingFree is an Allocator whose FreeBuffer fails.
type failingFree struct {
	*alloc.Heap
	err error
}

func (f failingFree) FreeBuffer([]byte) error { return f.err }

// TestLogonReportsFreeFailure: when a logon fails after allocating its
// spool security data and freeing that buffer fails too, both errors
// come back.
func TestLogonReportsFreeFailure(t *testing.T) {
	h := newHarness(t)
	freeErr := &mapispi.Error{Code: mapispi.ErrInvalidParameter, Component: "alloc", Message: "injected"}
	mp, _, err := h.backend.Init(h.ctx, &mapispi.InitParams{Allocator: failingFree{&alloc.Heap{}, freeErr}, MAPIVersion: mapispi.SPIVersion})
	if err != nil {
		t.Fatal(err)
	}
	sup := newFakeSupport(h.heap)
	sup.fail = map[string]error{"ModifyStatusRow": mapispi.ErrNotEnoughResources}
	_, err = mp.Logon(h.ctx, sup, &mapispi.LogonRequest{EntryID: h.store("S", "")})
	if !errors.Is(err, mapispi.ErrNotEnoughResources) || !errors.Is(err, freeErr) {
		t.Errorf("Logon = %v, want the ModifyStatusRow failure and the FreeBuffer failure", err)
	}
	if got := mapispi.CodeOf(err); got != mapispi.ErrNotEnoughResources {
		t.Errorf("CodeOf(Logon error) = %v, want the logon's own failure first", got)
	}
}
