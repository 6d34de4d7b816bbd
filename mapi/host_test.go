package mapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msprovider"
)

// world is a registry with the reference provider over one backend, and
// a profile with a store per name.
type world struct {
	backend *msprovider.Backend
	reg     *mapi.Registry
	profile mapi.Profile
	ids     []mapispi.EntryID // unwrapped, in profile order
	inits   atomic.Int32
}

func newWorld(t testing.TB, names ...string) *world {
	t.Helper()
	w := &world{backend: msprovider.NewBackend(msprovider.WithPasswordIterations(1)), reg: new(mapi.Registry)}
	init := func(ctx context.Context, p *mapispi.InitParams) (mapispi.MSProvider, mapispi.Version, error) {
		w.inits.Add(1)
		return w.backend.Init(ctx, p)
	}
	require.NoError(t, w.reg.Register(msprovider.DLLName, init))
	w.profile.Name = "Test"
	for _, name := range names {
		id, err := w.backend.CreateStore(name, nil)
		require.NoError(t, err)
		w.ids = append(w.ids, id)
		w.profile.Services = append(w.profile.Services, mapi.Service{
			Name: name, Provider: msprovider.DLLName,
			Props: []mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte(id)}, {Tag: mapispi.PropDisplayName, Value: name}},
		})
	}
	return w
}

// wrapProvider registers, in a registry of its own, the reference
// provider with every provider object MSProviderInit makes passed
// through wrap.
func (w *world) wrapProvider(t testing.TB, wrap func(inner mapispi.MSProvider, p *mapispi.InitParams) mapispi.MSProvider) {
	t.Helper()
	w.reg = new(mapi.Registry)
	require.NoError(t, w.reg.Register(msprovider.DLLName, func(ctx context.Context, p *mapispi.InitParams) (mapispi.MSProvider, mapispi.Version, error) {
		inner, v, err := w.backend.Init(ctx, p)
		if err != nil {
			return nil, v, err
		}
		return wrap(inner, p), v, nil
	}))
}

func (w *world) logon(t testing.TB, opts *mapi.Options) *mapi.Session {
	t.Helper()
	s, err := mapi.Logon(context.Background(), w.reg, w.profile, opts)
	require.NoError(t, err)
	return s
}

func displayName(t testing.TB, st mapi.Object) string {
	t.Helper()
	vals, err := st.GetProps(context.Background(), []mapispi.PropTag{mapispi.PropDisplayName})
	require.NoError(t, err)
	name, _ := vals[0].Value.(string)
	return name
}

func TestSessionEndToEnd(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "Mailbox", "Archive")
	s := w.logon(t, nil)

	stores, err := s.MsgStores(ctx)
	require.NoError(t, err)
	require.Len(t, stores, 2)
	for i, st := range stores {
		assert.Equal(t, w.profile.Services[i].Name, st.Service)
		assert.Equal(t, msprovider.DLLName, st.Provider)
		assert.False(t, st.Open)
		assert.Equal(t, []byte(entryid.WrapStore(msprovider.DLLName, w.ids[i])), []byte(st.EntryID), "MsgStores()[%d].EntryID", i)
	}
	assert.Zero(t, w.inits.Load(), "Logon loaded a provider before any store was opened")

	mbx, err := s.OpenMsgStore(ctx, stores[0].EntryID, mapispi.LogonWrite)
	require.NoError(t, err)
	assert.Equal(t, "Mailbox", displayName(t, mbx))
	again, err := s.OpenMsgStore(ctx, stores[0].EntryID, 0)
	require.NoError(t, err)
	assert.NotSame(t, mbx, again, "each OpenMsgStore gives a handle of its own")
	assert.Equal(t, "Mailbox", displayName(t, again), "a second handle on an open store")
	arc, err := s.OpenMsgStore(ctx, stores[1].EntryID, 0)
	require.NoError(t, err)
	assert.Equal(t, "Archive", displayName(t, arc))
	// One provider object for the session's client side, one for its spooler.
	assert.EqualValues(t, 2, w.inits.Load(), "MSProviderInit calls for two stores of one provider")

	stores, _ = s.MsgStores(ctx)
	assert.True(t, stores[0].Open && stores[1].Open, "MsgStores after opening both: %+v", stores)

	// The store's PR_ENTRYID is wrapped and names the same store.
	vals, err := mbx.GetProps(ctx, []mapispi.PropTag{mapispi.PropEntryID})
	require.NoError(t, err)
	storeID := mapispi.EntryID(vals[0].Value.([]byte))
	other := append(mapispi.EntryID(nil), stores[0].EntryID...)
	other[0] = 0x01 // other abFlags
	for name, tc := range map[string]struct {
		a, b mapispi.EntryID
		want bool
	}{
		"PR_ENTRYID vs MsgStores":    {storeID, stores[0].EntryID, true},
		"wrapped vs unwrapped":       {stores[0].EntryID, w.ids[0], true},
		"unwrapped vs wrapped":       {w.ids[0], stores[0].EntryID, true},
		"other abFlags":              {stores[0].EntryID, other, true},
		"two stores":                 {stores[0].EntryID, stores[1].EntryID, false},
		"wrapped vs unwrapped other": {stores[0].EntryID, w.ids[1], false},
	} {
		got, err := s.CompareEntryIDs(ctx, tc.a, tc.b)
		if assert.NoError(t, err, name) {
			assert.Equal(t, tc.want, got, "CompareEntryIDs(%s)", name)
		}
	}

	// The spooler logged on to both with the spool security data.
	sp := s.Spooler().Stores()
	require.Len(t, sp, 2)
	for _, info := range sp {
		assert.NoError(t, info.Err, "spooler logon of %s", info.Service)
		assert.True(t, info.Open, "spooler logon of %s", info.Service)
	}

	// Status table: MAPI's subsystem and spooler rows, and one per client
	// logon (the spooler's logons set none).
	table, err := s.StatusTable(ctx)
	require.NoError(t, err)
	n, err := table.RowCount(ctx)
	require.NoError(t, err)
	assert.Equal(t, 4, n, "status rows with two stores open")

	// StoreLogoff records how to log off; the last Close logs the store off,
	// and with it go its row and the spooler's logon.
	out, err := arc.StoreLogoff(ctx, mapispi.LogoffOrderly)
	require.NoError(t, err)
	assert.Zero(t, out&mapispi.LogoffComplete, "StoreLogoff completes nothing: the last Close does")
	assert.Equal(t, "Archive", displayName(t, arc), "the store works after StoreLogoff, until it is closed")
	require.NoError(t, arc.Close(ctx))
	_, err = arc.GetProps(ctx, nil)
	assert.ErrorIs(t, err, mapispi.ErrInvalidObject, "GetProps after Close")
	assert.ErrorIs(t, arc.Close(ctx), mapispi.ErrInvalidObject, "a second Close of one handle")
	n, _ = table.RowCount(ctx)
	assert.Equal(t, 3, n, "status rows after one store logged off")
	stores, _ = s.MsgStores(ctx)
	assert.False(t, stores[1].Open)
	assert.False(t, s.Spooler().Stores()[1].Open, "the spooler released the store")

	// Closing one of two handles on a store closes nothing of the other.
	require.NoError(t, again.Close(ctx))
	assert.Equal(t, "Mailbox", displayName(t, mbx), "the other handle after one Close")
	stores, _ = s.MsgStores(ctx)
	assert.True(t, stores[0].Open)

	require.NoError(t, table.Close(ctx))
	require.NoError(t, mbx.Close(ctx))
	require.NoError(t, s.Logoff(ctx), "Logoff (leak check included)")
	_, err = s.MsgStores(ctx)
	assert.ErrorIs(t, err, mapispi.ErrInvalidObject, "MsgStores after Logoff")
	_, err = mbx.GetProps(ctx, nil)
	assert.ErrorIs(t, err, mapispi.ErrInvalidObject, "a store's GetProps after Logoff")
	assert.ErrorIs(t, s.Logoff(ctx), mapispi.ErrInvalidObject, "second Logoff")
}

func TestSecondSessionSeesSameStore(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "Mailbox")
	s1 := w.logon(t, nil)
	s2 := w.logon(t, nil)
	stores, _ := s1.MsgStores(ctx)
	st1, err := s1.OpenMsgStore(ctx, stores[0].EntryID, mapispi.LogonWrite)
	require.NoError(t, err)
	st2, err := s2.OpenMsgStore(ctx, stores[0].EntryID, mapispi.LogonWrite)
	require.NoError(t, err)
	assert.EqualValues(t, 4, w.inits.Load(), "each session and each spooler gets its own provider object")
	_, err = st1.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropDisplayName, Value: "Renamed"}})
	require.NoError(t, err)
	assert.Equal(t, "Renamed", displayName(t, st2), "the second session sees the first's change")
	require.NoError(t, st1.Close(ctx))
	require.NoError(t, s1.Logoff(ctx))
	assert.Equal(t, "Renamed", displayName(t, st2), "the second session's store outlives the first session")
	require.NoError(t, st2.Close(ctx))
	require.NoError(t, s2.Logoff(ctx))

	// Re-logon on the same profile and registry: fresh provider objects, same data.
	s3 := w.logon(t, nil)
	st3, err := s3.OpenMsgStore(ctx, stores[0].EntryID, 0)
	require.NoError(t, err)
	assert.Equal(t, "Renamed", displayName(t, st3))
	assert.EqualValues(t, 6, w.inits.Load())
	require.NoError(t, st3.Close(ctx))
	require.NoError(t, s3.Logoff(ctx))
}

func TestOpenMsgStoreErrors(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "Mailbox")
	s := w.logon(t, nil)
	defer s.Logoff(ctx)
	_, err := s.OpenMsgStore(ctx, mapispi.EntryID{1, 2, 3}, 0)
	assert.ErrorIs(t, err, mapispi.ErrInvalidEntryID, "a 3-byte ID")
	_, err = s.OpenMsgStore(ctx, w.ids[0], 0)
	assert.ErrorIs(t, err, mapispi.ErrInvalidEntryID, "an unwrapped ID")
	_, err = s.OpenMsgStore(ctx, entryid.WrapStore("nosuch.dll", w.ids[0]), 0)
	assert.ErrorIs(t, err, mapispi.ErrNotFound, "an unregistered DLL")
}

func TestOpenTemporaryStore(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "Mailbox")
	extra, err := w.backend.CreateStore("Extra", nil)
	require.NoError(t, err)
	s := w.logon(t, nil)
	defer s.Logoff(ctx)

	// Opened with MDB_TEMPORARY: not in the store table or the profile.
	tmp, err := s.OpenMsgStore(ctx, entryid.WrapStore(msprovider.DLLName, extra), mapispi.LogonTemporary)
	require.NoError(t, err)
	defer tmp.Close(ctx)
	stores, _ := s.MsgStores(ctx)
	assert.Len(t, stores, 1, "a temporary store is not listed")
	assert.Len(t, s.Profile().Services, 1)

	// A permanent open: the provider's ModifyProfile lists it.
	other, err := w.backend.CreateStore("Other", nil)
	require.NoError(t, err)
	perm, err := s.OpenMsgStore(ctx, entryid.WrapStore(msprovider.DLLName, other), 0)
	require.NoError(t, err)
	defer perm.Close(ctx)
	stores, _ = s.MsgStores(ctx)
	require.Len(t, stores, 2, "ModifyProfile listed the store")
	assert.Equal(t, "Other", stores[1].DisplayName)
	assert.Len(t, s.Profile().Services, 2)
}

func TestPromptAndTrace(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	id, err := w.backend.CreateStore("Secret", &msprovider.StoreOptions{Password: "hunter2"})
	require.NoError(t, err)
	w.profile.Services = []mapi.Service{{Name: "Secret", Provider: msprovider.DLLName, Props: []mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte(id)}}}}
	var calls []mapi.Call
	var mu sync.Mutex
	opts := &mapi.Options{
		Trace: func(c mapi.Call) { mu.Lock(); calls = append(calls, c); mu.Unlock() },
		Prompt: func(ctx context.Context, req *mapispi.PromptRequest) (*mapispi.PromptResponse, error) {
			return &mapispi.PromptResponse{Password: "hunter2"}, nil
		},
	}
	s := w.logon(t, opts)
	stores, _ := s.MsgStores(ctx)
	st, err := s.OpenMsgStore(ctx, stores[0].EntryID, 0)
	require.NoError(t, err, "a password store with a Prompt that answers")
	_, err = st.StoreLogoff(ctx, mapispi.LogoffOrderly)
	require.NoError(t, err)
	require.NoError(t, st.Close(ctx))
	require.NoError(t, s.Logoff(ctx))

	methods := map[string]bool{}
	var all bytes.Buffer
	for _, c := range calls {
		methods[c.Method] = true
		b, err := json.Marshal(c)
		require.NoError(t, err)
		all.Write(b)
	}
	for _, m := range []string{"MSProviderInit", "IMSProvider::Logon", "IMAPISupport::SetProviderUID", "IMAPISupport::ModifyProfile",
		"IMAPISupport::ModifyStatusRow", "IMAPISupport::Prompt", "IMSProvider::SpoolerLogon", "IMsgStore::StoreLogoff",
		"IMAPISupport::StoreLogoffTransports", "IMSProvider::Shutdown", "MAPIAllocateBuffer", "MAPIFreeBuffer"} {
		assert.True(t, methods[m], "the trace has no %s call", m)
	}
	assert.NotContains(t, all.String(), "hunter2", "the trace shows a password")
	assert.Contains(t, all.String(), `"scode":"S_OK"`)
}

func TestLogonWithoutPromptFails(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	id, _ := w.backend.CreateStore("Secret", &msprovider.StoreOptions{Password: "pw"})
	w.profile.Services = []mapi.Service{{Name: "Secret", Provider: msprovider.DLLName, Props: []mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte(id)}}}}
	var logged bytes.Buffer
	s := w.logon(t, &mapi.Options{Trace: mapi.LogTo(slog.New(slog.NewJSONHandler(&logged, nil)))})
	stores, _ := s.MsgStores(ctx)
	_, err := s.OpenMsgStore(ctx, stores[0].EntryID, 0)
	require.Error(t, err)
	assert.Contains(t, logged.String(), `"msg":"IMSProvider::Logon"`)
	assert.Contains(t, logged.String(), `"level":"WARN"`)
	require.NoError(t, s.Logoff(ctx))
}

func TestFaultsFailEachStepWithoutLeaks(t *testing.T) {
	ctx := context.Background()
	for _, method := range []string{"IMAPISupport::SetProviderUID", "IMAPISupport::WrapStoreEntryID", "IMAPISupport::ModifyProfile",
		"IMAPISupport::ModifyStatusRow", "IMAPISupport::OpenProfileSection", "MAPIAllocateBuffer"} {
		t.Run(method, func(t *testing.T) {
			w := newWorld(t, "Mailbox")
			s := w.logon(t, &mapi.Options{Faults: []mapi.Fault{{Method: method, N: 1, Code: mapispi.ErrNotEnoughMemory}}})
			stores, _ := s.MsgStores(ctx)
			_, err := s.OpenMsgStore(ctx, stores[0].EntryID, 0)
			assert.ErrorIs(t, err, mapispi.ErrNotEnoughMemory, "OpenMsgStore with %s #1 failing", method)
			stores, _ = s.MsgStores(ctx)
			assert.False(t, stores[0].Open)
			assert.NoError(t, s.Logoff(ctx), "Logoff after the failed open: a leak or a shutdown error")
		})
	}
}

func TestFaultsValidated(t *testing.T) {
	w := newWorld(t)
	for _, f := range []mapi.Fault{{Method: "IMAPISupport::Nope", N: 1, Code: mapispi.ErrCallFailed}, {Method: "MAPIAllocateBuffer", N: 0, Code: mapispi.ErrCallFailed}, {Method: "MAPIAllocateBuffer", N: 1, Code: mapispi.OK}, {Method: "IMAPISupport::GetMemAllocRoutines", N: 1, Code: mapispi.ErrCallFailed}} {
		_, err := mapi.Logon(context.Background(), w.reg, w.profile, &mapi.Options{Faults: []mapi.Fault{f}})
		assert.ErrorIs(t, err, mapispi.ErrInvalidParameter, "Logon with fault %v", f)
	}
}

func TestLogonValidatesProfile(t *testing.T) {
	var reg mapi.Registry
	for name, p := range map[string]mapi.Profile{
		"no name":     {Services: []mapi.Service{{Provider: "x.dll"}}},
		"no provider": {Services: []mapi.Service{{Name: "a"}}},
		"duplicate":   {Services: []mapi.Service{{Name: "a", Provider: "x.dll"}, {Name: "a", Provider: "x.dll"}}},
	} {
		_, err := mapi.Logon(context.Background(), &reg, p, nil)
		assert.ErrorIs(t, err, mapispi.ErrInvalidParameter, "Logon with a profile with %s", name)
	}
	_, err := mapi.Logon(context.Background(), nil, mapi.Profile{}, nil)
	assert.ErrorIs(t, err, mapispi.ErrInvalidParameter, "Logon with a nil Registry")
}

func TestConcurrentSessions(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "A", "B", "C")
	sessions := []*mapi.Session{w.logon(t, nil), w.logon(t, nil)}
	stores, _ := sessions[0].MsgStores(ctx)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := sessions[g%2]
			id := stores[g%3].EntryID
			st, err := s.OpenMsgStore(ctx, id, 0)
			if err != nil {
				errs <- fmt.Errorf("goroutine %d: OpenMsgStore: %w", g, err)
				return
			}
			if same, err := s.CompareEntryIDs(ctx, id, stores[g%3].EntryID); err != nil || !same {
				errs <- fmt.Errorf("goroutine %d: CompareEntryIDs = %v, %v", g, same, err)
			}
			if _, err := st.GetProps(ctx, nil); err != nil {
				errs <- fmt.Errorf("goroutine %d: GetProps on its own handle: %w", g, err)
			}
			if g%5 == 0 {
				if _, err := st.StoreLogoff(ctx, mapispi.LogoffOrderly); err != nil {
					errs <- fmt.Errorf("goroutine %d: StoreLogoff: %w", g, err)
				}
			}
			if _, err := s.MsgStores(ctx); err != nil {
				errs <- err
			}
			if err := st.Close(ctx); err != nil {
				errs <- fmt.Errorf("goroutine %d: Close: %w", g, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, s := range sessions {
		assert.NoError(t, s.Logoff(ctx))
	}
}

// bareProvider is the reference provider with its stores and logons
// stripped of every optional interface.
type bareProvider struct{ mapispi.MSProvider }

type bareStore struct{ mapispi.MsgStore }

type bareLogon struct{ mapispi.MSLogon }

// bareFolder and bareMessage are the reference store's folders and
// messages without their optional interfaces (a message that cannot be
// submitted).
type bareFolder struct{ mapispi.Folder }

type bareMessage struct{ mapispi.Message }

func (s bareStore) OpenEntry(ctx context.Context, id mapispi.EntryID, flags mapispi.OpenFlags) (mapispi.Object, error) {
	obj, err := s.MsgStore.OpenEntry(ctx, id, flags)
	switch o := obj.(type) {
	case mapispi.Folder:
		return bareFolder{o}, err
	case mapispi.Message:
		return bareMessage{o}, err
	}
	return obj, err
}

func (f bareFolder) CreateMessage(ctx context.Context, flags mapispi.CreateMessageFlags) (mapispi.Message, error) {
	m, err := f.Folder.CreateMessage(ctx, flags)
	if err != nil {
		return nil, err
	}
	return bareMessage{m}, nil
}

func (p *bareProvider) Logon(ctx context.Context, sup mapispi.Support, req *mapispi.LogonRequest) (*mapispi.LogonResult, error) {
	res, err := p.MSProvider.Logon(ctx, sup, req)
	if err == nil && res.Store != nil {
		res.Store, res.Logon = bareStore{res.Store}, bareLogon{res.Logon}
	}
	return res, err
}

func TestUnsupportedCapabilityIsNoSupport(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "Mailbox")
	w.wrapProvider(t, func(inner mapispi.MSProvider, p *mapispi.InitParams) mapispi.MSProvider {
		return &bareProvider{inner}
	})
	s := w.logon(t, nil)
	defer s.Logoff(ctx)
	stores, _ := s.MsgStores(ctx)
	st, err := s.OpenMsgStore(ctx, stores[0].EntryID, mapispi.LogonWrite)
	require.NoError(t, err)
	defer st.Close(ctx)
	for _, c := range []mapi.Capability{mapi.CapAdvise, mapi.CapReceiveFolders, mapi.CapSubmit} {
		assert.False(t, st.Supports(c), "Supports(%v) on a store that lacks it", c)
	}
	_, _, err = st.ReceiveFolder(ctx, "IPM.Note")
	assert.ErrorIs(t, err, mapispi.ErrNoSupport, "ReceiveFolder")
	_, err = st.ReceiveFolderTable(ctx, 0)
	assert.ErrorIs(t, err, mapispi.ErrNoSupport, "ReceiveFolderTable")
	_, err = st.Advise(ctx, nil, mapispi.EventNewMail, mapispi.AdviseSinkFunc(func([]mapispi.Notification) mapispi.CallbackResult { return 0 }))
	assert.ErrorIs(t, err, mapispi.ErrNoSupport, "Advise")
	assert.ErrorIs(t, st.AbortSubmit(ctx, w.ids[0]), mapispi.ErrNoSupport, "AbortSubmit")
	root, err := st.OpenFolder(ctx, nil, mapispi.OpenModify)
	require.NoError(t, err)
	defer root.Close(ctx)
	msg, err := root.CreateMessage(ctx, 0)
	require.NoError(t, err)
	defer msg.Close(ctx)
	assert.False(t, msg.Supports(mapi.CapSubmit), "Supports(CapSubmit) on a message that lacks it")
	assert.ErrorIs(t, msg.SubmitMessage(ctx, 0), mapispi.ErrNoSupport, "SubmitMessage")
	// The client's store is the host's type: it claims no SPI interface
	// the provider's store lacks, and none of the spooler's.
	var x any = st
	_, isRF := x.(mapispi.ReceiveFolders)
	_, isSpooler := x.(mapispi.SpoolerStore)
	_, isStore := x.(mapispi.MsgStore)
	assert.False(t, isRF || isSpooler || isStore, "*mapi.Store is a mapispi.ReceiveFolders (%t), SpoolerStore (%t) or MsgStore (%t)", isRF, isSpooler, isStore)
}

func TestRegistryNameIsCaseInsensitiveInIDs(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "Mailbox")
	s := w.logon(t, nil)
	defer s.Logoff(ctx)
	upper := entryid.WrapStore(strings.ToUpper(msprovider.DLLName), w.ids[0])
	st, err := s.OpenMsgStore(ctx, upper, 0)
	require.NoError(t, err, "OpenMsgStore with the DLL name in upper case")
	defer st.Close(ctx)
	assert.Equal(t, "Mailbox", displayName(t, st))
	stores, _ := s.MsgStores(ctx)
	same, err := s.CompareEntryIDs(ctx, upper, stores[0].EntryID)
	require.NoError(t, err)
	assert.True(t, same)
}

func TestTraceRecordsWarnings(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "Mailbox")
	var scodes []mapispi.SCode
	var mu sync.Mutex
	s := w.logon(t, &mapi.Options{Trace: func(c mapi.Call) {
		if c.Method == "IMsgStore::GetProps" {
			mu.Lock()
			scodes = append(scodes, c.SCode)
			mu.Unlock()
		}
	}})
	defer s.Logoff(ctx)
	stores, _ := s.MsgStores(ctx)
	st, err := s.OpenMsgStore(ctx, stores[0].EntryID, 0)
	require.NoError(t, err)
	defer st.Close(ctx)
	_, err = st.GetProps(ctx, []mapispi.PropTag{mapispi.PropDisplayName})
	require.NoError(t, err)
	vals, err := st.GetProps(ctx, []mapispi.PropTag{mapispi.PropDisplayName, mapispi.PropComment})
	require.NoError(t, err, "GetProps with a missing property fails only in C's warning")
	assert.Error(t, vals[1].Err())
	assert.Equal(t, []mapispi.SCode{mapispi.OK, mapispi.WarnErrorsReturned}, scodes, "the trace's SCodes for GetProps")
}

func TestConcurrentOpensOfATemporaryStore(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t) // no services: every open makes a temporary one
	id, err := w.backend.CreateStore("Loose", nil)
	require.NoError(t, err)
	s := w.logon(t, nil)
	wrapped := entryid.WrapStore(msprovider.DLLName, id)
	var wg sync.WaitGroup
	stores := make([]*mapi.Store, 8)
	errs := make([]error, 8)
	for i := range stores {
		wg.Go(func() { stores[i], errs[i] = s.OpenMsgStore(ctx, wrapped, mapispi.LogonTemporary) })
	}
	wg.Wait()
	for i := range stores {
		require.NoError(t, errs[i], "open %d", i)
		assert.Equal(t, stores[0].Service(), stores[i].Service(), "racing opens of one store give handles on one store")
	}
	var logons int
	for _, c := range s.Spooler().Stores() {
		if c.Err == nil {
			logons++
		}
	}
	assert.Equal(t, 1, logons, "spooler logons after racing opens of one store")
	for _, st := range stores {
		require.NoError(t, st.Close(ctx))
	}
	assert.NoError(t, s.Logoff(ctx))
}

func TestBrokenServiceDoesNotBlockOthers(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "Good")
	w.profile.Services = append([]mapi.Service{{Name: "Broken", Provider: msprovider.DLLName,
		Props: []mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte{1, 2, 3}}}}}, w.profile.Services...)
	s := w.logon(t, nil)
	defer s.Logoff(ctx)
	stores, err := s.MsgStores(ctx)
	require.NoError(t, err)
	st, err := s.OpenMsgStore(ctx, stores[1].EntryID, 0)
	require.NoError(t, err, "opening Good beside a service whose PR_ENTRYID is malformed")
	defer st.Close(ctx)
	assert.Equal(t, "Good", displayName(t, st))
	_, err = s.OpenMsgStore(ctx, entryid.WrapStore(msprovider.DLLName, mapispi.EntryID{1, 2, 3}), 0)
	assert.ErrorIs(t, err, mapispi.ErrInvalidEntryID, "opening the malformed ID itself")
}

func TestMsgStoresKeepsAWrappedProfileID(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "Mailbox")
	stored := entryid.WrapStore(strings.ToUpper(msprovider.DLLName), w.ids[0])
	w.profile.Services[0].Props[0] = mapispi.PropValue{Tag: mapispi.PropEntryID, Value: []byte(stored)}
	s := w.logon(t, nil)
	defer s.Logoff(ctx)
	stores, err := s.MsgStores(ctx)
	require.NoError(t, err)
	assert.Equal(t, []byte(stored), []byte(stores[0].EntryID), "a wrapped PR_ENTRYID in the profile is given as it is")
}

func TestNoProviderLoadsAfterLogoff(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "Mailbox")
	release := make(chan struct{})
	entered := make(chan struct{})
	var inits, shutdowns atomic.Int32
	w.reg = new(mapi.Registry)
	require.NoError(t, w.reg.Register(msprovider.DLLName, func(ctx context.Context, p *mapispi.InitParams) (mapispi.MSProvider, mapispi.Version, error) {
		inits.Add(1)
		close(entered)
		<-release
		obj, v, err := w.backend.Init(ctx, p)
		return &countShutdown{MSProvider: obj, n: &shutdowns}, v, err
	}))
	s := w.logon(t, nil)
	stores, _ := s.MsgStores(ctx)
	done := make(chan error)
	go func() { _, err := s.CompareEntryIDs(ctx, stores[0].EntryID, stores[0].EntryID); done <- err }()
	<-entered
	logoff := make(chan error)
	go func() { logoff <- s.Logoff(ctx) }()
	close(release)
	<-done
	assert.NoError(t, <-logoff)
	assert.Equal(t, inits.Load(), shutdowns.Load(), "every provider object loaded is shut down by Logoff")
}

type countShutdown struct {
	mapispi.MSProvider
	n *atomic.Int32
}

func (c *countShutdown) Shutdown(ctx context.Context) error {
	c.n.Add(1)
	return c.MSProvider.Shutdown(ctx)
}
