package mapi_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/alloc"
	"github.com/mapiemu/mapiemu/internal/hostkit"
	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
)

// hooked is a provider over the reference provider whose Logon can be
// replaced, to act out a provider's failures.
type hooked struct {
	mapispi.MSProvider
	alloc mapispi.Allocator
	logon func(h *hooked, ctx context.Context, sup mapispi.Support, req *mapispi.LogonRequest) (*mapispi.LogonResult, error)
	calls *atomic.Int32
}

func (h *hooked) Logon(ctx context.Context, sup mapispi.Support, req *mapispi.LogonRequest) (*mapispi.LogonResult, error) {
	h.calls.Add(1)
	return h.logon(h, ctx, sup, req)
}

// hookedWorld registers, under the reference provider's name, a provider
// whose client Logon is logon.
func hookedWorld(t *testing.T, logon func(h *hooked, ctx context.Context, sup mapispi.Support, req *mapispi.LogonRequest) (*mapispi.LogonResult, error)) (*world, *atomic.Int32) {
	w := newWorld(t, "Mailbox")
	calls := new(atomic.Int32)
	w.wrapProvider(t, func(inner mapispi.MSProvider, p *mapispi.InitParams) mapispi.MSProvider {
		return &hooked{MSProvider: inner, alloc: p.Allocator, logon: logon, calls: calls}
	})
	return w, calls
}

func TestProviderPanicIsRecovered(t *testing.T) {
	ctx := context.Background()
	w, calls := hookedWorld(t, func(*hooked, context.Context, mapispi.Support, *mapispi.LogonRequest) (*mapispi.LogonResult, error) {
		panic("provider bug 42")
	})
	var stack string
	s := w.logon(t, &mapi.Options{Trace: func(c mapi.Call) {
		if c.Stack != "" {
			stack = c.Stack
		}
	}})
	stores, _ := s.MsgStores(ctx)
	_, err := s.OpenMsgStore(ctx, stores[0].EntryID, 0)
	var merr *mapispi.Error
	require.ErrorAs(t, err, &merr)
	assert.ErrorIs(t, err, mapispi.ErrCallFailed)
	assert.Equal(t, "Mailbox", merr.Component, "the panic's Component names the service")
	assert.Contains(t, merr.Message, "provider bug 42")
	assert.Contains(t, stack, "TestProviderPanicIsRecovered", "the trace has the panic's stack")

	_, err = s.OpenMsgStore(ctx, stores[0].EntryID, 0)
	assert.ErrorIs(t, err, mapispi.ErrCallFailed, "a service disabled by a panic")
	assert.Contains(t, err.Error(), "disabled")
	assert.EqualValues(t, 1, calls.Load(), "the disabled service's provider was called again")
	assert.NoError(t, s.Logoff(ctx))
}

func TestLogonFailureDisablesService(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		code      mapispi.SCode
		disabled  bool
		component string
	}{
		{mapispi.ErrLogonFailed, true, ""},
		{mapispi.ErrNetworkError, true, ""},
		{mapispi.ErrFailOneProvider, false, ""},
		{mapispi.ErrUserCancel, false, ""},
		{mapispi.ErrUnconfigured, false, "Mailbox"}, // MAPI configures the service and retries
	} {
		t.Run(tc.code.String(), func(t *testing.T) {
			w, calls := hookedWorld(t, func(*hooked, context.Context, mapispi.Support, *mapispi.LogonRequest) (*mapispi.LogonResult, error) {
				return nil, mapispi.Errorf(tc.code, "hooked", "refused")
			})
			s := w.logon(t, nil)
			defer s.Logoff(ctx)
			stores, _ := s.MsgStores(ctx)
			_, err := s.OpenMsgStore(ctx, stores[0].EntryID, 0)
			assert.ErrorIs(t, err, tc.code)
			if tc.component != "" {
				var merr *mapispi.Error
				require.ErrorAs(t, err, &merr)
				assert.Equal(t, tc.component, merr.Component, "ErrUnconfigured names the service")
			}
			_, err = s.OpenMsgStore(ctx, stores[0].EntryID, 0)
			assert.ErrorIs(t, err, tc.code, "second open")
			want := int32(2)
			if tc.disabled {
				want = 1
				assert.Contains(t, err.Error(), "disabled")
			}
			assert.Equal(t, want, calls.Load(), "Logon calls after two opens")
		})
	}
}

func TestLogoffReportsLeaks(t *testing.T) {
	ctx := context.Background()
	w, _ := hookedWorld(t, func(h *hooked, ctx context.Context, sup mapispi.Support, req *mapispi.LogonRequest) (*mapispi.LogonResult, error) {
		if _, err := h.alloc.AllocateBuffer(123); err != nil { // never freed
			return nil, err
		}
		return h.MSProvider.Logon(ctx, sup, req)
	})
	heap := &alloc.Heap{Trace: true}
	s := w.logon(t, &mapi.Options{Allocator: heap})
	stores, _ := s.MsgStores(ctx)
	_, err := s.OpenMsgStore(ctx, stores[0].EntryID, 0)
	require.NoError(t, err)
	err = s.Logoff(ctx)
	var leak *alloc.LeakError
	require.ErrorAs(t, err, &leak, "Logoff of a session whose provider leaked")
	assert.Equal(t, 123, leak.Size)
	assert.Contains(t, err.Error(), "fault_test.go", "the leak report says where the buffer was allocated")
}

func TestProviderVersionChecked(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "Mailbox")
	w.reg = new(mapi.Registry)
	require.NoError(t, w.reg.Register(w.profile.Services[0].Provider, func(ctx context.Context, p *mapispi.InitParams) (mapispi.MSProvider, mapispi.Version, error) {
		obj, _, err := w.backend.Init(ctx, p)
		return obj, mapispi.SPIVersion + 1, err // newer than MAPI: refused
	}))
	s := w.logon(t, nil)
	stores, _ := s.MsgStores(ctx)
	_, err := s.OpenMsgStore(ctx, stores[0].EntryID, 0)
	assert.ErrorIs(t, err, mapispi.ErrVersion)
	assert.NoError(t, s.Logoff(ctx))
}

func TestSupportAfterLogoffIsInvalidObject(t *testing.T) {
	ctx := context.Background()
	var kept mapispi.Support
	w, _ := hookedWorld(t, func(h *hooked, ctx context.Context, sup mapispi.Support, req *mapispi.LogonRequest) (*mapispi.LogonResult, error) {
		kept = sup
		return h.MSProvider.Logon(ctx, sup, req)
	})
	s := w.logon(t, nil)
	stores, _ := s.MsgStores(ctx)
	st, err := s.OpenMsgStore(ctx, stores[0].EntryID, 0)
	require.NoError(t, err)
	_, err = st.StoreLogoff(ctx, mapispi.LogoffNoWait)
	require.NoError(t, err)
	require.NoError(t, kept.SetProviderUID(ctx, mapispi.UID{1}), "the support object after StoreLogoff, before the last Close")
	require.NoError(t, st.Close(ctx))
	for name, call := range map[string]func() error{
		"SetProviderUID": func() error { return kept.SetProviderUID(ctx, mapispi.UID{1}) },
		"ModifyProfile":  func() error { return kept.ModifyProfile(ctx, 0) },
		"NewUID":         func() error { _, err := kept.NewUID(); return err },
		"Notify":         func() error { _, err := kept.Notify(ctx, []byte{1}, nil); return err },
		"StoreLogoffTransports": func() error {
			_, err := kept.StoreLogoffTransports(ctx, mapispi.LogoffAbort)
			return err
		},
	} {
		assert.ErrorIs(t, call(), mapispi.ErrInvalidObject, "Support.%s after the store logged off", name)
	}
	require.NoError(t, s.Logoff(ctx))
}

// openKeepingSupport opens the world's store through a session and
// returns the support object the provider got.
func openKeepingSupport(t *testing.T) (*world, *mapi.Session, []mapi.StoreInfo, mapispi.Support) {
	t.Helper()
	ctx := context.Background()
	var sup mapispi.Support
	w, _ := hookedWorld(t, func(h *hooked, ctx context.Context, s mapispi.Support, req *mapispi.LogonRequest) (*mapispi.LogonResult, error) {
		sup = s
		return h.MSProvider.Logon(ctx, s, req)
	})
	s := w.logon(t, nil)
	stores, _ := s.MsgStores(ctx)
	st, err := s.OpenMsgStore(ctx, stores[0].EntryID, 0)
	require.NoError(t, err)
	t.Cleanup(func() {
		st.Close(ctx)
		s.Logoff(ctx)
	})
	return w, s, stores, sup
}

func TestSubscribeNotify(t *testing.T) {
	ctx := context.Background()
	_, _, _, sup := openKeepingSupport(t)

	var mu sync.Mutex
	got := map[string][]string{}
	sink := func(name string, res mapispi.CallbackResult) mapispi.AdviseSink {
		return mapispi.AdviseSinkFunc(func(ns []mapispi.Notification) mapispi.CallbackResult {
			mu.Lock()
			for _, n := range ns {
				got[name] = append(got[name], n.Event.String())
			}
			mu.Unlock()
			ns[0].EntryID[0] = 0xFF // MAPI copied: the provider's value is safe
			return res
		})
	}
	take := func(name string) []string {
		mu.Lock()
		defer mu.Unlock()
		out := got[name]
		delete(got, name)
		return out
	}
	key := []byte("folder-1")
	c1, err := sup.Subscribe(ctx, key, mapispi.EventObjectCreated|mapispi.EventObjectDeleted, 0, sink("a", mapispi.CallbackContinue))
	require.NoError(t, err)
	c2, err := sup.Subscribe(ctx, key, mapispi.EventObjectDeleted, mapispi.NotifySync, sink("b", mapispi.CallbackDiscontinue))
	require.NoError(t, err)
	assert.NotZero(t, c1)
	assert.NotEqual(t, c1, c2)
	_, err = sup.Subscribe(ctx, key, mapispi.EventNewMail, 0x1, sink("x", 0))
	assert.ErrorIs(t, err, mapispi.ErrUnknownFlags)

	id := mapispi.EntryID{1, 2, 3}
	out, err := sup.Notify(ctx, key, []mapispi.Notification{{Event: mapispi.EventObjectCreated, EntryID: id}, {Event: mapispi.EventObjectDeleted, EntryID: id}})
	require.NoError(t, err)
	assert.Equal(t, mapispi.NotifyCanceled, out, "a NOTIFY_SYNC sink returned CALLBACK_DISCONTINUE")
	assert.Equal(t, []string{mapispi.EventObjectDeleted.String()}, take("b"), "the NOTIFY_SYNC sink had run when Notify returned")
	assert.Eventually(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(got["a"]) == 2
	}, 5*time.Second, time.Millisecond, "the asynchronous sink's two notifications")
	assert.Equal(t, []string{mapispi.EventObjectCreated.String(), mapispi.EventObjectDeleted.String()}, take("a"), "in order")
	assert.Equal(t, byte(1), id[0], "a sink changed the provider's entry ID")

	require.NoError(t, sup.Unsubscribe(ctx, c2))
	assert.ErrorIs(t, sup.Unsubscribe(ctx, c2), mapispi.ErrNotFound)
	require.NoError(t, sup.Unsubscribe(ctx, c1))
	out, err = sup.Notify(ctx, []byte("folder-1"), []mapispi.Notification{{Event: mapispi.EventObjectDeleted, EntryID: id}})
	require.NoError(t, err)
	assert.Zero(t, out)
	time.Sleep(10 * time.Millisecond)
	assert.Empty(t, take("a"), "no delivery after Unsubscribe")
	_, err = sup.Notify(ctx, []byte("other"), []mapispi.Notification{{Event: mapispi.EventObjectDeleted}})
	assert.NoError(t, err)
}

// TestNotifyIsAsynchronous: without NOTIFY_SYNC, Notify returns before
// the sink runs (the IMAPISupport::Subscribe page), so a provider that
// notifies while it holds a lock its sink needs does not deadlock.
func TestNotifyIsAsynchronous(t *testing.T) {
	ctx := context.Background()
	_, _, _, sup := openKeepingSupport(t)
	release := make(chan struct{})
	ran := make(chan struct{})
	_, err := sup.Subscribe(ctx, []byte("k"), mapispi.EventObjectCreated, 0, mapispi.AdviseSinkFunc(func([]mapispi.Notification) mapispi.CallbackResult {
		<-release
		close(ran)
		return 0
	}))
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() {
		_, err := sup.Notify(ctx, []byte("k"), []mapispi.Notification{{Event: mapispi.EventObjectCreated}})
		done <- err
	}()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("Notify without NOTIFY_SYNC waited for the sink")
	}
	close(release)
	select {
	case <-ran:
	case <-time.After(5 * time.Second):
		t.Fatal("the sink never ran")
	}
}

func TestSpoolerNotifyAndProfileSection(t *testing.T) {
	ctx := context.Background()
	w, s, stores, sup := openKeepingSupport(t)

	require.NoError(t, sup.SpoolerNotify(ctx, mapispi.NotifyReadyToSend, nil))
	require.NoError(t, sup.SpoolerNotify(ctx, mapispi.NotifyNewMailReceived, &mapispi.Notification{Event: mapispi.EventNewMail}))
	assert.ErrorIs(t, sup.SpoolerNotify(ctx, mapispi.NotifyNewMail, nil), mapispi.ErrUnknownFlags, "a transport's flag")
	info := s.Spooler().Stores()[0]
	assert.True(t, info.ReadyToSend)
	assert.Equal(t, 1, info.NewMail)

	ro, err := sup.OpenProfileSection(ctx, mapispi.UID{}, 0)
	require.NoError(t, err)
	_, err = ro.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropComment, Value: "x"}})
	assert.ErrorIs(t, err, mapispi.ErrNoAccess, "SetProps on a section opened without MAPI_MODIFY")
	other := mapispi.UID{9}
	_, err = sup.OpenProfileSection(ctx, other, 0)
	assert.ErrorIs(t, err, mapispi.ErrNotFound, "a missing section opened read-only")
	rw, err := sup.OpenProfileSection(ctx, other, mapispi.OpenModify)
	require.NoError(t, err)
	_, err = rw.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropComment, Value: "kept"}})
	require.NoError(t, err)
	again, err := sup.OpenProfileSection(ctx, other, 0)
	require.NoError(t, err)
	vals, _ := again.GetProps(ctx, []mapispi.PropTag{mapispi.PropComment})
	assert.Equal(t, "kept", vals[0].Value)

	wrapped, err := sup.WrapStoreEntryID(ctx, w.ids[0])
	require.NoError(t, err)
	assert.Equal(t, []byte(stores[0].EntryID), []byte(wrapped), "WrapStoreEntryID = entryid.WrapStore with the service's DLL name")
	require.NoError(t, sup.MemAllocRoutines().FreeBuffer(wrapped))

	_, err = sup.Prompt(ctx, &mapispi.PromptRequest{Kind: mapispi.PromptPassword})
	assert.ErrorIs(t, err, mapispi.ErrNoSupport, "Prompt with no Options.Prompt")
	u1, _ := sup.NewUID()
	u2, _ := sup.NewUID()
	assert.NotEqual(t, u1, u2)
}

func TestDirectSupportOutlivesShutdown(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "Mailbox")
	s := w.logon(t, nil)
	p, err := hostkit.Provider(s, ctx, "Mailbox")
	require.NoError(t, err)
	sup, err := hostkit.Support(s, ctx, "Mailbox", false)
	require.NoError(t, err)
	res, err := p.Logon(ctx, sup, &mapispi.LogonRequest{EntryID: w.ids[0], Flags: mapispi.LogonNoDialog})
	require.NoError(t, err)
	require.NoError(t, sup.MemAllocRoutines().FreeBuffer(res.SpoolSecurity))
	// The store is still open when the session logs off: Shutdown logs it
	// off through the support object, which must still answer.
	assert.NoError(t, s.Logoff(ctx))
	_, err = hostkit.Provider(s, ctx, "Mailbox")
	assert.ErrorIs(t, err, mapispi.ErrInvalidObject)
	_, err = hostkit.Support(s, ctx, "nosuch", false)
	assert.ErrorIs(t, err, mapispi.ErrInvalidObject)
}

func TestDirectSupportUnknownService(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "Mailbox")
	s := w.logon(t, nil)
	defer s.Logoff(ctx)
	_, err := hostkit.Support(s, ctx, "nosuch", false)
	assert.ErrorIs(t, err, mapispi.ErrNotFound)
	_, err = hostkit.Provider(s, ctx, "nosuch")
	assert.ErrorIs(t, err, mapispi.ErrNotFound)
}
