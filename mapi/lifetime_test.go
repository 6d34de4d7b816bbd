package mapi_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
)

// traceLog collects a session's trace.
type traceLog struct {
	mu    sync.Mutex
	calls []mapi.Call
}

func (l *traceLog) add(c mapi.Call) {
	l.mu.Lock()
	l.calls = append(l.calls, c)
	l.mu.Unlock()
}

// methods returns the traced methods, in order, that have prefix and
// were made for service (any service when it is "").
func (l *traceLog) methods(prefix string, service ...string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, c := range l.calls {
		if strings.HasPrefix(c.Method, prefix) && (len(service) == 0 || c.Service == service[0]) {
			out = append(out, c.Method+" "+c.Args)
		}
	}
	return out
}

func (l *traceLog) all() []mapi.Call {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]mapi.Call(nil), l.calls...)
}

// TestStoreLogoffWaitsForTheLastHandle: StoreLogoff on one handle closes
// nothing; the store runs StoreLogoffTransports, with the flag recorded,
// and then IMSLogon::Logoff when the last handle is closed (the
// IMsgStore::StoreLogoff page's notes to implementers). One client's Close
// leaves another's handle working.
func TestStoreLogoffWaitsForTheLastHandle(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "Mailbox")
	var log traceLog
	s := w.logon(t, &mapi.Options{Trace: log.add})
	defer s.Logoff(ctx)
	stores, _ := s.MsgStores(ctx)
	a, err := s.OpenMsgStore(ctx, stores[0].EntryID, 0)
	require.NoError(t, err)
	b, err := s.OpenMsgStore(ctx, stores[0].EntryID, 0)
	require.NoError(t, err)

	_, err = a.StoreLogoff(ctx, mapispi.LogoffOrderly)
	require.NoError(t, err)
	require.NoError(t, a.Close(ctx))
	assert.Empty(t, log.methods("IMAPISupport::StoreLogoffTransports"), "StoreLogoffTransports before the last handle was closed")
	assert.Empty(t, log.methods("IMSLogon::Logoff"), "IMSLogon::Logoff before the last handle was closed")
	assert.Equal(t, "Mailbox", displayName(t, b), "the other client's handle after one client's StoreLogoff and Close")

	require.NoError(t, b.Close(ctx))
	assert.Equal(t, []string{"IMAPISupport::StoreLogoffTransports LOGOFF_ORDERLY"}, log.methods("IMAPISupport::StoreLogoffTransports", "Mailbox"),
		"the store's transports at its last Close: once, with the flag StoreLogoff recorded")
	assert.Equal(t, []string{"IMAPISupport::StoreLogoffTransports LOGOFF_ABORT"}, log.methods("IMAPISupport::StoreLogoffTransports", "Mailbox (spooler)"),
		"the spooler's store, which it releases when the client's store calls StoreLogoffTransports")
	var order []string
	for _, c := range log.all() {
		switch c.Method {
		case "IMsgStore::Release", "IMAPISupport::StoreLogoffTransports", "IMSLogon::Logoff":
			if c.Service == "Mailbox" && len(order) < 3 {
				order = append(order, c.Method)
			}
		}
	}
	assert.Equal(t, []string{"IMAPISupport::StoreLogoffTransports", "IMsgStore::Release", "IMSLogon::Logoff"}, order,
		"the store's release (whose transports call finishes first), then IMSLogon::Logoff")
	stores, _ = s.MsgStores(ctx)
	assert.False(t, stores[0].Open, "the store after its last handle closed")
}

// TestCleanSessionTracesNoFailure: a session that opens, uses, closes and
// logs off cleanly traces no failed call (it used to log IMSLogon::Logoff
// with MAPI_E_INVALID_OBJECT at every clean logoff).
func TestCleanSessionTracesNoFailure(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "Mailbox", "Archive")
	var log traceLog
	s := w.logon(t, &mapi.Options{Trace: log.add})
	stores, _ := s.MsgStores(ctx)
	mbx, err := s.OpenMsgStore(ctx, stores[0].EntryID, mapispi.LogonWrite)
	require.NoError(t, err)
	arc, err := s.OpenMsgStore(ctx, stores[1].EntryID, 0)
	require.NoError(t, err)
	table, err := s.StatusTable(ctx)
	require.NoError(t, err)
	_, err = table.QueryRows(ctx, 10)
	require.NoError(t, err)
	require.NoError(t, table.Close(ctx))
	_, err = mbx.StoreLogoff(ctx, mapispi.LogoffNoWait)
	require.NoError(t, err)
	require.NoError(t, mbx.Close(ctx))
	_ = arc // left for Logoff to close: reported as a leak, but no provider call fails
	require.NoError(t, arc.Close(ctx))
	require.NoError(t, s.Logoff(ctx))
	for _, c := range log.all() {
		assert.False(t, c.SCode.Failed(), "a clean session traced a failure: %s %s: %s", c.Method, c.SCode, c.Err)
	}
	assert.NotEmpty(t, log.methods("IMSLogon::Logoff"))
}

// TestStatusTableClose: a closed status table is detached: its sinks are
// not called for later changes, and every call is ErrInvalidObject. (A
// dropped table used to stay attached, so every status change updated
// every table ever opened.)
func TestStatusTableClose(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "Mailbox", "Archive")
	s := w.logon(t, nil)
	defer s.Logoff(ctx)
	table, err := s.StatusTable(ctx)
	require.NoError(t, err)
	var mu sync.Mutex
	var got []mapispi.TableEvent
	_, err = table.Advise(ctx, mapispi.TableSinkFunc(func(ns []mapispi.TableNotification) mapispi.CallbackResult {
		mu.Lock()
		defer mu.Unlock()
		for _, n := range ns {
			got = append(got, n.Event)
		}
		return 0
	}))
	require.NoError(t, err)
	stores, _ := s.MsgStores(ctx)
	st, err := s.OpenMsgStore(ctx, stores[0].EntryID, 0)
	require.NoError(t, err)
	defer st.Close(ctx)
	assert.Eventually(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(got) == 1 }, 5*time.Second, time.Millisecond,
		"the sink's TABLE_ROW_ADDED for the store's row")

	require.NoError(t, table.Close(ctx))
	st2, err := s.OpenMsgStore(ctx, stores[1].EntryID, 0)
	require.NoError(t, err)
	defer st2.Close(ctx)
	time.Sleep(20 * time.Millisecond)
	mu.Lock()
	assert.Equal(t, []mapispi.TableEvent{mapispi.TableRowAdded}, got, "a closed table's sink was called")
	mu.Unlock()
	_, err = table.RowCount(ctx)
	assert.ErrorIs(t, err, mapispi.ErrInvalidObject, "RowCount on a closed table")
	assert.ErrorIs(t, table.Close(ctx), mapispi.ErrInvalidObject, "a second Close of a table")
}

// TestLogoffReportsOpenHandles: Logoff closes the handles a client left
// open and lists each with where it was opened, as an allocator lists
// the buffers it still holds.
func TestLogoffReportsOpenHandles(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "Mailbox")
	s := w.logon(t, nil)
	stores, _ := s.MsgStores(ctx)
	st, err := s.OpenMsgStore(ctx, stores[0].EntryID, 0)
	require.NoError(t, err)
	_, err = s.StatusTable(ctx) // dropped
	require.NoError(t, err)
	closed, err := s.StatusTable(ctx)
	require.NoError(t, err)
	require.NoError(t, closed.Close(ctx))

	err = s.Logoff(ctx)
	require.Error(t, err, "Logoff of a session with two handles open")
	var leaks []*mapi.LeakError
	for _, e := range unwrapAll(err) {
		if leak, ok := e.(*mapi.LeakError); ok {
			leaks = append(leaks, leak)
		}
	}
	var first *mapi.LeakError
	require.True(t, errors.As(err, &first), "errors.As(Logoff's error, *mapi.LeakError)")
	require.Len(t, leaks, 2, "Logoff's leak reports: %v", err)
	assert.Equal(t, "IMsgStore", leaks[0].Kind)
	assert.Equal(t, "Mailbox", leaks[0].Service)
	assert.Equal(t, "IMAPITable", leaks[1].Kind)
	assert.Empty(t, leaks[1].Service, "the status table belongs to no service")
	assert.Less(t, leaks[0].Seq, leaks[1].Seq, "leaks in the order their handles were opened")
	for _, l := range leaks {
		assert.Contains(t, l.Error(), "lifetime_test.go", "the leak report says where the handle was opened")
	}
	assert.ErrorIs(t, err, mapispi.ErrCallFailed)
	_, err = st.GetProps(ctx, nil)
	assert.ErrorIs(t, err, mapispi.ErrInvalidObject, "a leaked handle after Logoff")
}

// unwrapAll returns err and every error it wraps, depth first.
func unwrapAll(err error) []error {
	out := []error{err}
	switch x := err.(type) {
	case interface{ Unwrap() []error }:
		for _, e := range x.Unwrap() {
			out = append(out, unwrapAll(e)...)
		}
	case interface{ Unwrap() error }:
		if e := x.Unwrap(); e != nil {
			out = append(out, unwrapAll(e)...)
		}
	}
	return out
}

// objProvider is the reference provider whose stores' OpenEntry returns
// obj.
type objProvider struct {
	mapispi.MSProvider
	obj mapispi.Object
}

func (p *objProvider) Logon(ctx context.Context, sup mapispi.Support, req *mapispi.LogonRequest) (*mapispi.LogonResult, error) {
	res, err := p.MSProvider.Logon(ctx, sup, req)
	if err == nil && res.Store != nil {
		res.Store = &objStore{MsgStore: res.Store, obj: p.obj}
	}
	return res, err
}

type objStore struct {
	mapispi.MsgStore
	obj mapispi.Object
}

func (s *objStore) OpenEntry(ctx context.Context, id mapispi.EntryID, flags mapispi.OpenFlags) (mapispi.Object, error) {
	return s.obj, nil
}

// panicky is a provider object whose every method panics.
type panicky struct{ calls int }

func (p *panicky) ObjectType() mapispi.ObjectType { p.calls++; panic("ObjectType bug") }
func (p *panicky) GetProps(context.Context, []mapispi.PropTag) ([]mapispi.PropValue, error) {
	p.calls++
	panic("GetProps bug")
}
func (p *panicky) GetPropList(context.Context) ([]mapispi.PropTag, error) {
	p.calls++
	panic("GetPropList bug")
}
func (p *panicky) SetProps(context.Context, []mapispi.PropValue) ([]mapispi.PropProblem, error) {
	p.calls++
	panic("SetProps bug")
}
func (p *panicky) DeleteProps(context.Context, []mapispi.PropTag) ([]mapispi.PropProblem, error) {
	p.calls++
	panic("DeleteProps bug")
}
func (p *panicky) Close(context.Context) error { p.calls++; panic("Close bug") }

// folderLike answers ObjectType and Close, and panics in GetProps.
type folderLike struct {
	panicky
	closes int
}

func (f *folderLike) ObjectType() mapispi.ObjectType { return mapispi.ObjFolder }
func (f *folderLike) Close(context.Context) error    { f.closes++; return nil }

func objWorld(t *testing.T, obj mapispi.Object) *world {
	w := newWorld(t, "Mailbox")
	w.wrapProvider(t, func(inner mapispi.MSProvider, p *mapispi.InitParams) mapispi.MSProvider {
		return &objProvider{MSProvider: inner, obj: obj}
	})
	return w
}

// TestOpenEntryObjectsAreTheHosts: what OpenEntry returns is the host's
// handle, not the provider's object: a panic in the provider's object
// (ObjectType included) is recovered as ErrCallFailed, and after the
// store's logoff the provider's object is not called at all.
func TestOpenEntryObjectsAreTheHosts(t *testing.T) {
	ctx := context.Background()
	obj := &folderLike{}
	w := objWorld(t, obj)
	s := w.logon(t, nil)
	defer s.Logoff(ctx)
	stores, _ := s.MsgStores(ctx)
	st, err := s.OpenMsgStore(ctx, stores[0].EntryID, 0)
	require.NoError(t, err)
	o, err := st.OpenEntry(ctx, nil, 0)
	require.NoError(t, err)
	var x any = o
	_, isProvider := x.(*folderLike)
	assert.False(t, isProvider, "OpenEntry returned the provider's own object")
	assert.Equal(t, mapispi.ObjFolder, o.ObjectType())
	var got []mapispi.PropValue
	assert.NotPanics(t, func() { got, err = o.GetProps(ctx, nil) }, "a provider's panic reached the client")
	assert.Nil(t, got)
	assert.ErrorIs(t, err, mapispi.ErrCallFailed, "GetProps of an object whose GetProps panics")
	again, err := st.OpenEntry(ctx, nil, 0)
	require.NoError(t, err, "OpenEntry after a panic in an object's method (the store's own methods still answer)")
	require.NoError(t, again.Close(ctx))
	assert.Zero(t, obj.closes, "the provider's object was closed while a handle remains")

	require.NoError(t, st.Close(ctx)) // the store logs off: its objects are invalid
	calls := obj.calls
	_, err = o.GetProps(ctx, nil)
	assert.ErrorIs(t, err, mapispi.ErrInvalidObject, "an object's GetProps after its store logged off")
	assert.Equal(t, calls, obj.calls, "the host called a logged-off store's object")
	require.NoError(t, o.Close(ctx), "closing a handle on an object of a logged-off store")
	assert.ErrorIs(t, o.Close(ctx), mapispi.ErrInvalidObject, "a second Close")
	assert.Zero(t, obj.closes, "the host called Close on an object after its logon ended")
}

// TestObjectTypePanicIsRecovered: a provider's object whose ObjectType
// panics (the one call the host used to make without recovering) fails
// the open with ErrCallFailed.
func TestObjectTypePanicIsRecovered(t *testing.T) {
	ctx := context.Background()
	w := objWorld(t, &panicky{})
	s := w.logon(t, nil)
	defer s.Logoff(ctx)
	stores, _ := s.MsgStores(ctx)
	st, err := s.OpenMsgStore(ctx, stores[0].EntryID, 0)
	require.NoError(t, err)
	defer st.Close(ctx)
	assert.NotPanics(t, func() { _, err = st.OpenEntry(ctx, nil, 0) })
	assert.ErrorIs(t, err, mapispi.ErrCallFailed, "OpenEntry of an object whose ObjectType panics")
}

// TestLastObjectHandleClosesTheObject: the provider's object is closed
// once, when its last handle is.
func TestLastObjectHandleClosesTheObject(t *testing.T) {
	ctx := context.Background()
	obj := &folderLike{}
	w := objWorld(t, obj)
	s := w.logon(t, nil)
	defer s.Logoff(ctx)
	stores, _ := s.MsgStores(ctx)
	st, err := s.OpenMsgStore(ctx, stores[0].EntryID, 0)
	require.NoError(t, err)
	defer st.Close(ctx)
	a, err := st.OpenEntry(ctx, nil, 0)
	require.NoError(t, err)
	b, err := st.OpenEntry(ctx, nil, 0)
	require.NoError(t, err)
	require.NoError(t, a.Close(ctx))
	assert.Zero(t, obj.closes, "the object's Close with one handle left")
	require.NoError(t, b.Close(ctx))
	assert.Equal(t, 1, obj.closes, "the object's Close calls after its last handle closed")
}
