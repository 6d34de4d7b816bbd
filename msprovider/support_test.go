package msprovider

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/mapiemu/mapiemu/alloc"
	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
)

// fakeSupport is a test double for mapispi.Support: MAPI's side of one
// store logon. It records the calls a provider makes, keeps one profile
// section, wraps entry IDs with the allocator it shares with the provider,
// and lets tests inject failures and prompt answers.
type fakeSupport struct {
	heap    *alloc.Heap
	section *fakeSection

	mu         sync.Mutex
	calls      []string // in order: "SetProps", "SetProviderUID", ...
	uids       []mapispi.UID
	transports []mapispi.LogoffFlags
	prompts    []*mapispi.PromptRequest
	spooler    []mapispi.SpoolerNotifyFlags // SpoolerNotify calls, in order
	subs       map[mapispi.Connection]fakeSub
	lastConn   mapispi.Connection

	// Set by tests before use.
	mem          *alloc.Heap      // MAPI's own allocator, if not the provider's heap
	onTransports func()           // runs inside StoreLogoffTransports, no lock held
	fail         map[string]error // method name -> error to return
	prompt       func(*mapispi.PromptRequest) (*mapispi.PromptResponse, error)
	transportOut mapispi.LogoffFlags // StoreLogoffTransports result; LogoffComplete if zero
}

var _ mapispi.Support = (*fakeSupport)(nil)

func newFakeSupport(h *alloc.Heap) *fakeSupport {
	f := &fakeSupport{heap: h, section: &fakeSection{props: map[mapispi.PropTag]mapispi.PropValue{}}}
	f.section.log = func() { f.record("SetProps") }
	return f
}

// memHeap is the heap MAPI's own allocations (WrapStoreEntryID) use.
func (f *fakeSupport) memHeap() *alloc.Heap {
	if f.mem != nil {
		return f.mem
	}
	return f.heap
}

func (f *fakeSupport) record(name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, name)
	return f.fail[name]
}

func (f *fakeSupport) callLog() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

func (f *fakeSupport) transportCalls() []mapispi.LogoffFlags {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.transports)
}

func (f *fakeSupport) SetProviderUID(ctx context.Context, uid mapispi.UID) error {
	if err := f.record("SetProviderUID"); err != nil {
		return err
	}
	f.mu.Lock()
	f.uids = append(f.uids, uid)
	f.mu.Unlock()
	return nil
}

// WrapStoreEntryID builds the MAPI-wrapped form (MS-OXCDATA 2.2.4.3) in a
// buffer from the shared heap, as MAPI's WrapStoreEntryID does.
func (f *fakeSupport) WrapStoreEntryID(ctx context.Context, inner mapispi.EntryID) (mapispi.EntryID, error) {
	if err := f.record("WrapStoreEntryID"); err != nil {
		return nil, err
	}
	w := testWrap(DLLName, inner)
	buf, err := f.memHeap().AllocateBuffer(len(w))
	if err != nil {
		return nil, err
	}
	copy(buf, w)
	return buf, nil
}

func (f *fakeSupport) ModifyProfile(ctx context.Context, flags mapispi.LogonFlags) error {
	return f.record("ModifyProfile")
}

func (f *fakeSupport) ModifyStatusRow(ctx context.Context, values []mapispi.PropValue, flags mapispi.StatusRowFlags) error {
	return f.record("ModifyStatusRow")
}

func (f *fakeSupport) OpenProfileSection(ctx context.Context, uid mapispi.UID, flags mapispi.OpenFlags) (mapispi.ProfileSection, error) {
	if err := f.record("OpenProfileSection"); err != nil {
		return nil, err
	}
	return f.section, nil
}

// fakeSub is one Subscribe of a fakeSupport.
type fakeSub struct {
	key    []byte
	events mapispi.EventMask
	sink   mapispi.AdviseSink
}

func (f *fakeSupport) Subscribe(ctx context.Context, key []byte, events mapispi.EventMask, flags mapispi.NotifyFlags, sink mapispi.AdviseSink) (mapispi.Connection, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.subs == nil {
		f.subs = map[mapispi.Connection]fakeSub{}
	}
	f.lastConn++
	f.subs[f.lastConn] = fakeSub{key: slices.Clone(key), events: events, sink: sink}
	return f.lastConn, nil
}

func (f *fakeSupport) Unsubscribe(ctx context.Context, conn mapispi.Connection) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.subs[conn]; !ok {
		return mapispi.ErrNotFound
	}
	delete(f.subs, conn)
	return nil
}

// Notify delivers to the matching subscriptions at once, in the calling
// goroutine (the store calls it with no lock held).
func (f *fakeSupport) Notify(ctx context.Context, key []byte, n []mapispi.Notification) (mapispi.NotifyFlags, error) {
	f.mu.Lock()
	var sinks []fakeSub
	for _, s := range f.subs {
		if string(s.key) == string(key) {
			sinks = append(sinks, s)
		}
	}
	f.mu.Unlock()
	for _, s := range sinks {
		var mine []mapispi.Notification
		for _, x := range n {
			if x.Event&s.events != 0 {
				mine = append(mine, x.Clone())
			}
		}
		if len(mine) > 0 {
			s.sink.OnNotify(mine)
		}
	}
	return 0, nil
}

func (f *fakeSupport) SpoolerNotify(ctx context.Context, flags mapispi.SpoolerNotifyFlags, n *mapispi.Notification) error {
	f.mu.Lock()
	f.spooler = append(f.spooler, flags)
	f.mu.Unlock()
	return f.record("SpoolerNotify")
}

func (f *fakeSupport) spoolerCalls() []mapispi.SpoolerNotifyFlags {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.spooler)
}

func (f *fakeSupport) StoreLogoffTransports(ctx context.Context, flags mapispi.LogoffFlags) (mapispi.LogoffFlags, error) {
	if err := f.record("StoreLogoffTransports"); err != nil {
		return 0, err
	}
	if f.onTransports != nil {
		f.onTransports()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.transports = append(f.transports, flags)
	if f.transportOut != 0 {
		return f.transportOut, nil
	}
	return mapispi.LogoffComplete, nil
}

func (f *fakeSupport) CompareEntryIDs(a, b mapispi.EntryID) (bool, error) {
	return false, mapispi.ErrUnknownEntryID
}

func (f *fakeSupport) NewUID() (mapispi.UID, error) { return mapispi.NewUID(), nil }

func (f *fakeSupport) MemAllocRoutines() mapispi.Allocator { return f.memHeap() }

func (f *fakeSupport) Prompt(ctx context.Context, req *mapispi.PromptRequest) (*mapispi.PromptResponse, error) {
	if err := f.record("Prompt"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.prompts = append(f.prompts, req)
	f.mu.Unlock()
	if f.prompt == nil {
		return nil, mapispi.ErrNoSupport
	}
	return f.prompt(req)
}

// fakeSection is an in-memory profile section.
type fakeSection struct {
	mu    sync.Mutex
	props map[mapispi.PropTag]mapispi.PropValue
	log   func() // records SetProps in the support object's call log
}

func (s *fakeSection) get(tag mapispi.PropTag) (any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.props[tag]
	return v.Value, ok
}

func (s *fakeSection) set(tag mapispi.PropTag, v any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.props[tag] = mapispi.PropValue{Tag: tag, Value: v}
}

func (s *fakeSection) GetProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropValue, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]mapispi.PropValue, len(tags))
	for i, t := range tags {
		v, ok := s.props[t]
		if !ok {
			v = mapispi.ErrorValue(t, mapispi.ErrNotFound)
		}
		out[i] = v
	}
	return out, nil
}

func (s *fakeSection) GetPropList(ctx context.Context) ([]mapispi.PropTag, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var tags []mapispi.PropTag
	for t := range s.props {
		tags = append(tags, t)
	}
	return tags, nil
}

func (s *fakeSection) SetProps(ctx context.Context, values []mapispi.PropValue) ([]mapispi.PropProblem, error) {
	if s.log != nil {
		s.log()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		if err := v.Check(); err != nil {
			return nil, fmt.Errorf("fakeSection.SetProps: %w", err)
		}
		s.props[v.Tag] = v
	}
	return nil, nil
}

func (s *fakeSection) DeleteProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropProblem, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range tags {
		delete(s.props, t)
	}
	return nil, nil
}

// testWrap builds a wrapped store entry ID as MAPI's WrapStoreEntryID does.
func testWrap(dll string, inner []byte) []byte { return entryid.WrapStore(dll, inner) }
