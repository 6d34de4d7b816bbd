package spitest

import (
	"context"
	"runtime"
	"sync"

	"github.com/mapiemu/mapiemu/mapispi"
)

// recSupport is the host's support object for one logon, with a record of
// the calls the provider makes through it: what the kit needs to see of
// what a provider asked of MAPI, attributed to the logon that asked.
type recSupport struct {
	mapispi.Support

	// yield makes every call give up the processor before the host runs
	// it, as a call into MAPI may block: a provider that races with
	// itself across its support calls then shows it even on one
	// processor. Set before the provider gets the support object.
	yield bool

	mu    sync.Mutex
	calls []supCall
}

// supCall is one support call, by its C name, with the flag arguments the
// checks look at.
type supCall struct {
	method string
	logon  mapispi.LogonFlags     // ModifyProfile
	logoff mapispi.LogoffFlags    // StoreLogoffTransports
	uid    mapispi.UID            // SetProviderUID
	status mapispi.StatusRowFlags // ModifyStatusRow
	tags   []mapispi.PropTag      // ModifyStatusRow: the columns given
}

var _ mapispi.Support = (*recSupport)(nil)

func (r *recSupport) record(c supCall) {
	r.mu.Lock()
	r.calls = append(r.calls, c)
	r.mu.Unlock()
	if r.yield {
		runtime.Gosched()
	}
}

// callsOf returns the calls of method, in order.
func (r *recSupport) callsOf(method string) []supCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []supCall
	for _, c := range r.calls {
		if c.method == method {
			out = append(out, c)
		}
	}
	return out
}

// methods returns the C names of every call, in order.
func (r *recSupport) methods() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, len(r.calls))
	for i, c := range r.calls {
		out[i] = c.method
	}
	return out
}

func (r *recSupport) SetProviderUID(ctx context.Context, uid mapispi.UID) error {
	r.record(supCall{method: "IMAPISupport::SetProviderUID", uid: uid})
	return r.Support.SetProviderUID(ctx, uid)
}

func (r *recSupport) WrapStoreEntryID(ctx context.Context, inner mapispi.EntryID) (mapispi.EntryID, error) {
	r.record(supCall{method: "IMAPISupport::WrapStoreEntryID"})
	return r.Support.WrapStoreEntryID(ctx, inner)
}

func (r *recSupport) ModifyProfile(ctx context.Context, flags mapispi.LogonFlags) error {
	r.record(supCall{method: "IMAPISupport::ModifyProfile", logon: flags})
	return r.Support.ModifyProfile(ctx, flags)
}

func (r *recSupport) ModifyStatusRow(ctx context.Context, values []mapispi.PropValue, flags mapispi.StatusRowFlags) error {
	tags := make([]mapispi.PropTag, len(values))
	for i, v := range values {
		tags[i] = v.Tag
	}
	r.record(supCall{method: "IMAPISupport::ModifyStatusRow", status: flags, tags: tags})
	return r.Support.ModifyStatusRow(ctx, values, flags)
}

func (r *recSupport) OpenProfileSection(ctx context.Context, uid mapispi.UID, flags mapispi.OpenFlags) (mapispi.ProfileSection, error) {
	r.record(supCall{method: "IMAPISupport::OpenProfileSection"})
	return r.Support.OpenProfileSection(ctx, uid, flags)
}

func (r *recSupport) Subscribe(ctx context.Context, key []byte, events mapispi.EventMask, flags mapispi.NotifyFlags, sink mapispi.AdviseSink) (mapispi.Connection, error) {
	r.record(supCall{method: "IMAPISupport::Subscribe"})
	return r.Support.Subscribe(ctx, key, events, flags, sink)
}

func (r *recSupport) Unsubscribe(ctx context.Context, conn mapispi.Connection) error {
	r.record(supCall{method: "IMAPISupport::Unsubscribe"})
	return r.Support.Unsubscribe(ctx, conn)
}

func (r *recSupport) Notify(ctx context.Context, key []byte, notifications []mapispi.Notification) (mapispi.NotifyFlags, error) {
	r.record(supCall{method: "IMAPISupport::Notify"})
	return r.Support.Notify(ctx, key, notifications)
}

func (r *recSupport) SpoolerNotify(ctx context.Context, flags mapispi.SpoolerNotifyFlags, n *mapispi.Notification) error {
	r.record(supCall{method: "IMAPISupport::SpoolerNotify"})
	return r.Support.SpoolerNotify(ctx, flags, n)
}

func (r *recSupport) StoreLogoffTransports(ctx context.Context, flags mapispi.LogoffFlags) (mapispi.LogoffFlags, error) {
	r.record(supCall{method: "IMAPISupport::StoreLogoffTransports", logoff: flags})
	return r.Support.StoreLogoffTransports(ctx, flags)
}

func (r *recSupport) CompareEntryIDs(a, b mapispi.EntryID) (bool, error) {
	r.record(supCall{method: "IMAPISupport::CompareEntryIDs"})
	return r.Support.CompareEntryIDs(a, b)
}

func (r *recSupport) NewUID() (mapispi.UID, error) {
	r.record(supCall{method: "IMAPISupport::NewUID"})
	return r.Support.NewUID()
}

func (r *recSupport) MemAllocRoutines() mapispi.Allocator {
	r.record(supCall{method: "IMAPISupport::GetMemAllocRoutines"})
	return r.Support.MemAllocRoutines()
}

func (r *recSupport) Prompt(ctx context.Context, req *mapispi.PromptRequest) (*mapispi.PromptResponse, error) {
	r.record(supCall{method: "IMAPISupport::Prompt"})
	return r.Support.Prompt(ctx, req)
}
