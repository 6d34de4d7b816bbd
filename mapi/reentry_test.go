package mapi_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msprovider"
)

// The host holds no lock while it calls a provider or a client's callback
// (Options.Prompt and Trace, notification sinks), so each may call back
// into the session. Every test here bounds what it waits for: a deadlock
// fails the test instead of hanging it.

// hangLimit bounds each wait below.
const hangLimit = 10 * time.Second

// noHang runs f and fails the test if it has not returned within
// hangLimit.
func noHang(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(hangLimit):
		t.Fatalf("%s did not return within %v: a deadlock", what, hangLimit)
	}
}

// secretWorld is a world whose one store, "Secret", has a password that
// the profile does not hold, so that opening it calls Options.Prompt.
func secretWorld(t *testing.T) (*world, mapispi.EntryID) {
	w := newWorld(t)
	id, err := w.backend.CreateStore("Secret", &msprovider.StoreOptions{Password: "pw"})
	require.NoError(t, err)
	w.ids = append(w.ids, id)
	w.profile.Services = []mapi.Service{{Name: "Secret", Provider: msprovider.DLLName, Props: []mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte(id)}}}}
	return w, id
}

func wrappedOf(t *testing.T, s *mapi.Session, i int) mapispi.EntryID {
	t.Helper()
	stores, err := s.MsgStores(context.Background())
	require.NoError(t, err)
	return stores[i].EntryID
}

// TestPromptOpensTheStoreBeingOpened: a Prompt that opens the store whose
// logon asked it gets MAPI_E_BUSY at once (it cannot wait for the call it
// is made from); the outer open goes on.
func TestPromptOpensTheStoreBeingOpened(t *testing.T) {
	ctx := context.Background()
	w, _ := secretWorld(t)
	var s *mapi.Session
	var inner error
	s = w.logon(t, &mapi.Options{Prompt: func(ctx context.Context, req *mapispi.PromptRequest) (*mapispi.PromptResponse, error) {
		st, err := s.OpenMsgStore(ctx, wrappedOf(t, s, 0), 0)
		if err == nil {
			st.Close(ctx)
		}
		inner = err
		return &mapispi.PromptResponse{Password: "pw"}, nil
	}})
	var st *mapi.Store
	var err error
	noHang(t, "OpenMsgStore whose Prompt opens the same store", func() { st, err = s.OpenMsgStore(ctx, wrappedOf(t, s, 0), 0) })
	require.NoError(t, err, "the outer open")
	assert.ErrorIs(t, inner, mapispi.ErrBusy, "the Prompt's open of the store being opened")
	require.NoError(t, st.Close(ctx))
	require.NoError(t, s.Logoff(ctx))
}

// TestPromptWithBackgroundContextOpensTheStoreBeingOpened: the same with a
// Prompt that drops the context it got: the host tells the call apart by
// its goroutine.
func TestPromptWithBackgroundContextOpensTheStoreBeingOpened(t *testing.T) {
	ctx := context.Background()
	w, _ := secretWorld(t)
	var s *mapi.Session
	var inner error
	s = w.logon(t, &mapi.Options{Prompt: func(context.Context, *mapispi.PromptRequest) (*mapispi.PromptResponse, error) {
		_, inner = s.OpenMsgStore(context.Background(), wrappedOf(t, s, 0), 0)
		return &mapispi.PromptResponse{Password: "pw"}, nil
	}})
	var st *mapi.Store
	var err error
	noHang(t, "OpenMsgStore whose Prompt opens the same store with a background context", func() { st, err = s.OpenMsgStore(ctx, wrappedOf(t, s, 0), 0) })
	require.NoError(t, err)
	assert.ErrorIs(t, inner, mapispi.ErrBusy)
	require.NoError(t, st.Close(ctx))
	require.NoError(t, s.Logoff(ctx))
}

// TestPromptLogsOff: Logoff from a Prompt cannot wait for the logon it is
// called from: MAPI_E_BUSY, and the session goes on.
func TestPromptLogsOff(t *testing.T) {
	ctx := context.Background()
	w, _ := secretWorld(t)
	var s *mapi.Session
	var inner error
	s = w.logon(t, &mapi.Options{Prompt: func(ctx context.Context, req *mapispi.PromptRequest) (*mapispi.PromptResponse, error) {
		inner = s.Logoff(ctx)
		return &mapispi.PromptResponse{Password: "pw"}, nil
	}})
	var st *mapi.Store
	var err error
	noHang(t, "OpenMsgStore whose Prompt logs the session off", func() { st, err = s.OpenMsgStore(ctx, wrappedOf(t, s, 0), 0) })
	assert.ErrorIs(t, inner, mapispi.ErrBusy, "Logoff from inside a Prompt")
	require.NoError(t, err, "the open whose Prompt called Logoff")
	require.NoError(t, st.Close(ctx))
	require.NoError(t, s.Logoff(ctx))
}

// TestPromptLogsOnASecondSession: a Prompt may log on another session and
// open a store there.
func TestPromptLogsOnASecondSession(t *testing.T) {
	ctx := context.Background()
	w, _ := secretWorld(t)
	other, err := w.backend.CreateStore("Other", nil)
	require.NoError(t, err)
	var inner error
	s := w.logon(t, &mapi.Options{Prompt: func(ctx context.Context, req *mapispi.PromptRequest) (*mapispi.PromptResponse, error) {
		p := mapi.Profile{Services: []mapi.Service{{Name: "Other", Provider: msprovider.DLLName, Props: []mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte(other)}}}}}
		s2, err := mapi.Logon(ctx, w.reg, p, nil)
		if err != nil {
			inner = err
		} else {
			st, err := s2.OpenMsgStore(ctx, wrappedOf(t, s2, 0), 0)
			if err == nil {
				err = st.Close(ctx)
			}
			inner = errors.Join(err, s2.Logoff(ctx))
		}
		return &mapispi.PromptResponse{Password: "pw"}, nil
	}})
	var st *mapi.Store
	noHang(t, "OpenMsgStore whose Prompt uses a second session", func() { st, err = s.OpenMsgStore(ctx, wrappedOf(t, s, 0), 0) })
	require.NoError(t, err)
	assert.NoError(t, inner, "a second session from inside a Prompt")
	require.NoError(t, st.Close(ctx))
	require.NoError(t, s.Logoff(ctx))
}

// TestTraceOpensStores: a Trace callback may open a store, also when the
// record is of MSProviderInit or IMSProvider::Logon of that store; a
// record made from inside the logon (a support call) gets MAPI_E_BUSY for
// the store being opened.
func TestTraceOpensStores(t *testing.T) {
	for _, method := range []string{"MSProviderInit", "IMSProvider::Logon", "IMAPISupport::ModifyStatusRow"} {
		t.Run(method, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, "Mailbox")
			var s *mapi.Session
			var first atomic.Bool
			var inner error
			s = w.logon(t, &mapi.Options{Trace: func(c mapi.Call) {
				if c.Method != method || !first.CompareAndSwap(false, true) {
					return
				}
				st, err := s.OpenMsgStore(ctx, wrappedOf(t, s, 0), 0)
				if err == nil {
					err = st.Close(ctx)
				}
				inner = err
			}})
			var st *mapi.Store
			var err error
			noHang(t, "OpenMsgStore whose Trace of "+method+" opens the store", func() { st, err = s.OpenMsgStore(ctx, wrappedOf(t, s, 0), 0) })
			require.NoError(t, err)
			if method == "IMAPISupport::ModifyStatusRow" {
				assert.ErrorIs(t, inner, mapispi.ErrBusy, "an open from a Trace record made inside the logon")
			} else {
				assert.NoError(t, inner, "an open from a Trace record of %s", method)
			}
			require.NoError(t, st.Close(ctx))
			require.NoError(t, s.Logoff(ctx))
		})
	}
}

// TestStatusSinkOpensTheStore: a status table sink that opens the store
// whose row just appeared (while that store's OpenMsgStore is under way)
// does not deadlock: the sink runs on the dispatcher's goroutine and waits
// for the open to finish.
func TestStatusSinkOpensTheStore(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "Mailbox")
	s := w.logon(t, nil)
	table, err := s.StatusTable(ctx)
	require.NoError(t, err)
	opened := make(chan error, 1)
	_, err = table.Advise(ctx, mapispi.TableSinkFunc(func(ns []mapispi.TableNotification) mapispi.CallbackResult {
		if ns[0].Event == mapispi.TableRowAdded {
			st, err := s.OpenMsgStore(ctx, wrappedOf(t, s, 0), 0)
			if err == nil {
				err = st.Close(ctx)
			}
			opened <- err
		}
		return 0
	}))
	require.NoError(t, err)
	var st *mapi.Store
	noHang(t, "OpenMsgStore with a status sink that opens the store", func() { st, err = s.OpenMsgStore(ctx, wrappedOf(t, s, 0), 0) })
	require.NoError(t, err)
	select {
	case err := <-opened:
		assert.NoError(t, err, "the sink's open")
	case <-time.After(hangLimit):
		t.Fatal("the sink's open never returned")
	}
	require.NoError(t, st.Close(ctx))
	require.NoError(t, table.Close(ctx))
	require.NoError(t, s.Logoff(ctx))
}

// TestStatusSinkLogsOff: a status table sink may log the session off;
// Logoff closes the sink's own connection without waiting for itself.
func TestStatusSinkLogsOff(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "Mailbox")
	s := w.logon(t, nil)
	table, err := s.StatusTable(ctx)
	require.NoError(t, err)
	loggedOff := make(chan error, 1)
	_, err = table.Advise(ctx, mapispi.TableSinkFunc(func([]mapispi.TableNotification) mapispi.CallbackResult {
		loggedOff <- s.Logoff(ctx)
		return 0
	}))
	require.NoError(t, err)
	// The sink runs after the provider's ModifyStatusRow, while
	// OpenMsgStore may still be under way: the open may finish first, or
	// find the session logged off.
	st, err := s.OpenMsgStore(ctx, wrappedOf(t, s, 0), 0)
	if err != nil {
		assert.ErrorIs(t, err, mapispi.ErrInvalidObject, "OpenMsgStore that the sink's Logoff overtook")
	}
	select {
	case err := <-loggedOff:
		// The client's handles were still open: Logoff reports them (the
		// status table's at least).
		var leak *mapi.LeakError
		assert.True(t, errors.As(err, &leak), "Logoff from a status sink = %v, want the leak report of the handles left open", err)
	case <-time.After(hangLimit):
		t.Fatal("Logoff from a status sink never returned")
	}
	if st != nil {
		_, err = st.GetProps(ctx, nil)
		assert.ErrorIs(t, err, mapispi.ErrInvalidObject, "the store after the sink's Logoff")
	}
}

// TestStatusSinkPanicIsTheClients: a client's status sink that panics
// during a logon is the client's fault: the open succeeds, the service
// stays enabled, nothing is reported as the provider's leak, and the trace
// records the panic against no service.
func TestStatusSinkPanicIsTheClients(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "Mailbox")
	var log traceLog
	s := w.logon(t, &mapi.Options{Trace: log.add})
	table, err := s.StatusTable(ctx)
	require.NoError(t, err)
	_, err = table.Advise(ctx, mapispi.TableSinkFunc(func([]mapispi.TableNotification) mapispi.CallbackResult {
		panic("client sink bug")
	}))
	require.NoError(t, err)
	var st *mapi.Store
	assert.NotPanics(t, func() { st, err = s.OpenMsgStore(ctx, wrappedOf(t, s, 0), 0) })
	require.NoError(t, err, "OpenMsgStore with a client status sink that panics")
	assert.Eventually(t, func() bool { return len(log.methods("client IMAPIAdviseSink::OnNotify")) == 1 }, hangLimit, time.Millisecond,
		"the trace's record of the client sink's panic")
	for _, c := range log.all() {
		if strings.HasPrefix(c.Method, "client ") {
			assert.Empty(t, c.Service, "the client sink's panic is charged to a service")
			assert.Contains(t, c.Err, "client sink bug")
		}
	}
	require.NoError(t, st.Close(ctx))
	again, err := s.OpenMsgStore(ctx, wrappedOf(t, s, 0), 0)
	require.NoError(t, err, "the service after a client sink panicked")
	require.NoError(t, again.Close(ctx))
	require.NoError(t, table.Close(ctx))
	assert.NoError(t, s.Logoff(ctx), "Logoff: no leak, no disabled service")
}

// TestLogoffHonoursItsContext: with a logon waiting in a Prompt that
// ignores its context, Logoff returns by its deadline with an error that
// says what it waited for; the session finishes logging off when the
// Prompt returns.
func TestLogoffHonoursItsContext(t *testing.T) {
	ctx := context.Background()
	w, _ := secretWorld(t)
	release := make(chan struct{})
	entered := make(chan struct{})
	var shutdowns atomic.Int32
	inner := w.reg
	w.reg = new(mapi.Registry)
	require.NoError(t, w.reg.Register(msprovider.DLLName, func(ctx context.Context, p *mapispi.InitParams) (mapispi.MSProvider, mapispi.Version, error) {
		init, _ := inner.Lookup(msprovider.DLLName)
		obj, v, err := init(ctx, p)
		return &countShutdown{MSProvider: obj, n: &shutdowns}, v, err
	}))
	s := w.logon(t, &mapi.Options{Prompt: func(context.Context, *mapispi.PromptRequest) (*mapispi.PromptResponse, error) {
		close(entered)
		<-release // ignores its context
		return &mapispi.PromptResponse{Password: "pw"}, nil
	}})
	openErr := make(chan error, 1)
	go func() {
		st, err := s.OpenMsgStore(ctx, wrappedOf(t, s, 0), 0)
		if err == nil {
			st.Close(ctx)
		}
		openErr <- err
	}()
	<-entered
	dctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := s.Logoff(dctx)
	assert.Less(t, time.Since(start), 5*time.Second, "Logoff waited past its deadline")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorIs(t, err, mapispi.ErrTimeout)
	assert.Contains(t, err.Error(), `IMSProvider::Logon of service "Secret"`, "Logoff's error says what it waited for")
	_, err = s.MsgStores(ctx)
	assert.ErrorIs(t, err, mapispi.ErrInvalidObject, "the session after a Logoff that gave up waiting")

	close(release)
	select {
	case err := <-openErr:
		assert.Error(t, err, "the open the session logged off under")
	case <-time.After(hangLimit):
		t.Fatal("the open never returned")
	}
	assert.Eventually(t, func() bool { return shutdowns.Load() == 1 }, hangLimit, time.Millisecond,
		"the provider object's Shutdown, once the logon it waited for returned")
}

// TestLogoffCancelsAPromptThatListens: a Prompt that honours its context
// gives up when the session logs off, and Logoff does not wait for the
// user.
func TestLogoffCancelsAPromptThatListens(t *testing.T) {
	ctx := context.Background()
	w, _ := secretWorld(t)
	entered := make(chan struct{})
	s := w.logon(t, &mapi.Options{Prompt: func(ctx context.Context, req *mapispi.PromptRequest) (*mapispi.PromptResponse, error) {
		close(entered)
		<-ctx.Done()
		return nil, ctx.Err()
	}})
	openErr := make(chan error, 1)
	go func() {
		_, err := s.OpenMsgStore(ctx, wrappedOf(t, s, 0), 0)
		openErr <- err
	}()
	<-entered
	noHang(t, "Logoff with a logon waiting in a Prompt that honours its context", func() {
		assert.NoError(t, s.Logoff(ctx))
	})
	assert.Error(t, <-openErr, "the open whose Prompt the logoff cancelled")
}
