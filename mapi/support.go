package mapi

import (
	"context"
	"fmt"
	"slices"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

// support is the support object (IMAPISupport) of one store logon. Every
// method fails with ErrInvalidObject once the logon has ended, counts
// toward Options.Faults, and is traced.
type support struct{ l *logon }

var _ mapispi.Support = (*support)(nil)

// enter checks the logon, applies faults and starts the trace record of a
// Support call.
func (sup *support) enter(method string) (*callRec, error) {
	l := sup.l
	c := l.s.startCall(method, l.svc)
	if c != nil {
		c.Service = l.traceName()
	}
	if err := l.check(method); err != nil {
		l.s.record(c, err, nil)
		return nil, err
	}
	if err := l.s.faults.check(method); err != nil {
		l.s.record(c, err, nil)
		return nil, err
	}
	return c, nil
}

// SetProviderUID registers uid for the routing of session-level
// OpenEntry and CompareEntryIDs. Several logons may register one UID: an
// ID with it goes to them in the order they registered, each passing on
// what it answers with ErrUnknownEntryID, as "Registering Service
// Provider Unique Identifiers" describes. The UIDs go when the store is
// logged off.
func (sup *support) SetProviderUID(ctx context.Context, uid mapispi.UID) error {
	c, err := sup.enter("IMAPISupport::SetProviderUID")
	if err != nil {
		return err
	}
	if c != nil {
		c.Args = uid.String()
	}
	s := sup.l.s
	s.mu.Lock()
	ls := s.routes[uid]
	if !slices.Contains(ls, sup.l) {
		s.routes[uid] = append(slices.Clone(ls), sup.l)
	}
	s.mu.Unlock()
	s.record(c, nil, nil)
	return nil
}

// WrapStoreEntryID builds the MUIDSTOREWRAP form of inner with the
// service's provider name as the DLL name, byte for byte as
// entryid.WrapStore does, in a buffer from the session's allocator (a
// MAPIAllocateBuffer call, which Options.Faults counts).
func (sup *support) WrapStoreEntryID(ctx context.Context, inner mapispi.EntryID) (mapispi.EntryID, error) {
	c, err := sup.enter("IMAPISupport::WrapStoreEntryID")
	if err != nil {
		return nil, err
	}
	if c != nil {
		c.Args = fmt.Sprintf("EntryID=%X", []byte(inner))
	}
	if len(inner) == 0 {
		err := mapispi.Errorf(mapispi.ErrInvalidParameter, "IMAPISupport::WrapStoreEntryID", "empty store entry ID")
		sup.l.s.record(c, err, nil)
		return nil, err
	}
	wrapped := entryid.WrapStore(sup.l.svc.provider, inner)
	buf, err := sup.l.s.alloc.AllocateBuffer(len(wrapped)) // counted, traced and faulted like the provider's own
	if err != nil {
		sup.l.s.record(c, err, nil)
		return nil, err
	}
	copy(buf, wrapped)
	sup.l.s.record(c, nil, mapispi.EntryID(buf))
	return buf, nil
}

// ModifyProfile makes a store opened with no profile entry permanent: it
// is listed by MsgStores and kept by Session.Profile. With LogonTemporary
// it does nothing.
func (sup *support) ModifyProfile(ctx context.Context, flags mapispi.LogonFlags) error {
	c, err := sup.enter("IMAPISupport::ModifyProfile")
	if err != nil {
		return err
	}
	if c != nil {
		c.Args = flags.String()
	}
	if flags&mapispi.LogonTemporary == 0 {
		s := sup.l.s
		s.mu.Lock()
		sup.l.svc.temporary = false
		s.mu.Unlock()
	}
	sup.l.s.record(c, nil, nil)
	return nil
}

// ModifyStatusRow sets the logon's row of the status table, or with
// StatusRowUpdate merges the columns given into it.
func (sup *support) ModifyStatusRow(ctx context.Context, values []mapispi.PropValue, flags mapispi.StatusRowFlags) error {
	c, err := sup.enter("IMAPISupport::ModifyStatusRow")
	if err != nil {
		return err
	}
	if c != nil {
		c.Args = fmt.Sprintf("%d values %v", len(values), flags)
	}
	err = sup.modifyStatusRow(values, flags)
	sup.l.s.record(c, err, nil)
	return err
}

func (sup *support) modifyStatusRow(values []mapispi.PropValue, flags mapispi.StatusRowFlags) error {
	if flags&^mapispi.StatusRowUpdate != 0 {
		return mapispi.Errorf(mapispi.ErrUnknownFlags, "IMAPISupport::ModifyStatusRow", "flags %v", flags)
	}
	return sup.l.s.status.modify(sup.l, values, flags&mapispi.StatusRowUpdate != 0)
}

// OpenProfileSection gives the service's profile section for the zero
// UID, else the section uid names (created with OpenModify, ErrNotFound
// without). Without OpenModify the section is read-only.
func (sup *support) OpenProfileSection(ctx context.Context, uid mapispi.UID, flags mapispi.OpenFlags) (mapispi.ProfileSection, error) {
	c, err := sup.enter("IMAPISupport::OpenProfileSection")
	if err != nil {
		return nil, err
	}
	if c != nil {
		c.Args = fmt.Sprintf("%v %v", uid, flags)
	}
	sec, err := sup.openProfileSection(uid, flags)
	sup.l.s.record(c, err, nil)
	return sec, err
}

func (sup *support) openProfileSection(uid mapispi.UID, flags mapispi.OpenFlags) (mapispi.ProfileSection, error) {
	if flags&^(mapispi.OpenModify|mapispi.OpenDeferredErrors) != 0 {
		return nil, mapispi.Errorf(mapispi.ErrUnknownFlags, "IMAPISupport::OpenProfileSection", "flags %v", flags)
	}
	var d *mapiutil.PropData
	if uid == (mapispi.UID{}) {
		d = sup.l.svc.section
	} else {
		s := sup.l.s
		s.mu.Lock()
		d = s.sections[uid]
		if d == nil && flags&mapispi.OpenModify != 0 {
			d = mapiutil.NewPropData()
			s.sections[uid] = d
		}
		s.mu.Unlock()
		if d == nil {
			return nil, mapispi.Errorf(mapispi.ErrNotFound, "IMAPISupport::OpenProfileSection", "no profile section %v", uid)
		}
	}
	if flags&mapispi.OpenModify != 0 {
		return &profileSection{d: d}, nil
	}
	return &profileSection{d: d, readOnly: true}, nil
}

// Subscribe registers sink for notifications sent to key, delivered
// asynchronously, or with NOTIFY_SYNC synchronously, under the rules of
// mapispi's "Notifications" section.
func (sup *support) Subscribe(ctx context.Context, key []byte, events mapispi.EventMask, flags mapispi.NotifyFlags, sink mapispi.AdviseSink) (mapispi.Connection, error) {
	c, err := sup.enter("IMAPISupport::Subscribe")
	if err != nil {
		return 0, err
	}
	if c != nil {
		c.Args = fmt.Sprintf("key=%X %v %v", key, events, flags)
	}
	conn, err := sup.l.s.subs.subscribe(sup.l.s, sup.l, key, events, flags, sink)
	sup.l.s.record(c, err, conn)
	return conn, err
}

// Unsubscribe ends a subscription of this logon: once it returns the sink
// is not called again (a delivery under way finishes first, unless
// Unsubscribe is called from inside the sink).
func (sup *support) Unsubscribe(ctx context.Context, conn mapispi.Connection) error {
	c, err := sup.enter("IMAPISupport::Unsubscribe")
	if err != nil {
		return err
	}
	err = sup.l.s.subs.unsubscribe(ctx, sup.l, conn)
	sup.l.s.record(c, err, nil)
	return err
}

// Notify posts notifications to the sinks subscribed to key, in
// subscription order, each getting its own copy of the ones its event
// mask selects. It returns before those sinks run, except for
// subscriptions made with NOTIFY_SYNC, which it waits for.
func (sup *support) Notify(ctx context.Context, key []byte, notifications []mapispi.Notification) (mapispi.NotifyFlags, error) {
	c, err := sup.enter("IMAPISupport::Notify")
	if err != nil {
		return 0, err
	}
	if c != nil {
		c.Args = fmt.Sprintf("key=%X %d notifications", key, len(notifications))
	}
	out, err := sup.l.s.subs.notify(ctx, key, notifications)
	sup.l.s.record(c, err, out)
	return out, err
}

// SpoolerNotify passes NotifyReadyToSend or NotifyNewMailReceived to the
// session's spooler.
func (sup *support) SpoolerNotify(ctx context.Context, flags mapispi.SpoolerNotifyFlags, n *mapispi.Notification) error {
	c, err := sup.enter("IMAPISupport::SpoolerNotify")
	if err != nil {
		return err
	}
	if c != nil {
		c.Args = flags.String()
	}
	err = sup.l.s.spooler.notified(sup.l, flags, n)
	sup.l.s.record(c, err, nil)
	return err
}

// StoreLogoffTransports has the spooler release the store: when the
// logon is the session's own logon of the store, the spooler finishes the
// message of it that it is sending (with LogoffOrderly, first the whole
// outgoing queue) and logs its own logon of the store off. The answer is
// LogoffOutboundQueue when messages are still queued, LogoffComplete
// otherwise.
func (sup *support) StoreLogoffTransports(ctx context.Context, flags mapispi.LogoffFlags) (mapispi.LogoffFlags, error) {
	c, err := sup.enter("IMAPISupport::StoreLogoffTransports")
	if err != nil {
		return 0, err
	}
	if c != nil {
		c.Args = flags.String()
	}
	out, err := sup.storeLogoffTransports(ctx, flags)
	sup.l.s.record(c, err, out)
	return out, err
}

func (sup *support) storeLogoffTransports(ctx context.Context, flags mapispi.LogoffFlags) (mapispi.LogoffFlags, error) {
	in := flags & (mapispi.LogoffNoWait | mapispi.LogoffOrderly | mapispi.LogoffPurge | mapispi.LogoffAbort | mapispi.LogoffQuiet)
	if in != flags {
		return 0, mapispi.Errorf(mapispi.ErrUnknownFlags, "IMAPISupport::StoreLogoffTransports", "flags %v", flags)
	}
	if in == 0 || in&(in-1) != 0 {
		return 0, mapispi.Errorf(mapispi.ErrInvalidParameter, "IMAPISupport::StoreLogoffTransports", "flags %v: want exactly one LOGOFF_ flag", flags)
	}
	sup.l.mu.Lock()
	sup.l.transports++
	sup.l.mu.Unlock()
	s := sup.l.s
	s.mu.RLock()
	client := s.svcLogon(sup.l) // the session's own logon of the store
	s.mu.RUnlock()
	if client {
		return s.spooler.release(ctx, sup.l.svc, in)
	}
	return mapispi.LogoffComplete, nil
}

// CompareEntryIDs routes the comparison as Session.CompareEntryIDs does.
func (sup *support) CompareEntryIDs(a, b mapispi.EntryID) (bool, error) {
	c, err := sup.enter("IMAPISupport::CompareEntryIDs")
	if err != nil {
		return false, err
	}
	same, err := sup.l.s.compareEntryIDs(a, b)
	sup.l.s.record(c, err, same)
	return same, err
}

// NewUID returns a fresh random UID.
func (sup *support) NewUID() (mapispi.UID, error) {
	c, err := sup.enter("IMAPISupport::NewUID")
	if err != nil {
		return mapispi.UID{}, err
	}
	u := mapispi.NewUID()
	sup.l.s.record(c, nil, u)
	return u, nil
}

// MemAllocRoutines returns the allocator the provider got from Init.
func (sup *support) MemAllocRoutines() mapispi.Allocator {
	c, _ := sup.enter("IMAPISupport::GetMemAllocRoutines")
	sup.l.s.record(c, nil, nil)
	return sup.l.s.alloc
}

// Prompt asks Options.Prompt, or fails with ErrNoSupport when the session
// has no UI. Both that and a panic in Options.Prompt are the client's
// doing: the error says so (see blames), and the service is not disabled
// for it. The context Options.Prompt gets is cancelled when the session
// logs off.
func (sup *support) Prompt(ctx context.Context, req *mapispi.PromptRequest) (*mapispi.PromptResponse, error) {
	c, err := sup.enter("IMAPISupport::Prompt")
	if err != nil {
		return nil, err
	}
	if c != nil && req != nil {
		c.Args = fmt.Sprintf("%v store=%q reason=%q", req.Kind, req.StoreName, req.Reason)
	}
	var resp *mapispi.PromptResponse
	switch p := sup.l.s.prompt; {
	case req == nil:
		err = mapispi.Errorf(mapispi.ErrInvalidParameter, "IMAPISupport::Prompt", "nil request")
	case p == nil:
		err = &clientError{mapispi.Errorf(mapispi.ErrNoSupport, "IMAPISupport::Prompt", "the session has no UI (Options.Prompt is nil)")}
	default:
		resp, err = sup.callPrompt(ctx, p, req)
	}
	sup.l.s.record(c, err, nil) // never the answer: it may hold a password
	return resp, err
}

// callPrompt calls the client's Options.Prompt, recovering a panic in it
// as the client's failure.
func (sup *support) callPrompt(ctx context.Context, p func(context.Context, *mapispi.PromptRequest) (*mapispi.PromptResponse, error), req *mapispi.PromptRequest) (resp *mapispi.PromptResponse, err error) {
	defer func() {
		if v := recover(); v != nil {
			resp, err = nil, &clientError{mapispi.Errorf(mapispi.ErrCallFailed, "mapi.Options.Prompt", "panic: %v", v)}
		}
	}()
	resp, err = p(ctx, req)
	if err == nil && resp == nil {
		err = mapispi.Errorf(mapispi.ErrUserCancel, "IMAPISupport::Prompt", "no answer")
	}
	return resp, err
}

// profileSection is IProfSect over a section's PropData; a read-only one
// refuses SetProps and DeleteProps with ErrNoAccess.
type profileSection struct {
	d        *mapiutil.PropData
	readOnly bool
}

// GetProps returns the properties tags names; with nil tags, every
// property but those in the secure range (PROP_ID_SECURE_MIN to
// PROP_ID_SECURE_MAX), which a caller gets only by asking for them by tag,
// as the IMAPIProp::GetProps page says of profile sections.
func (p *profileSection) GetProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropValue, error) {
	vals, err := p.d.GetProps(ctx, tags)
	if err != nil || tags != nil {
		return vals, err
	}
	return slices.DeleteFunc(vals, func(v mapispi.PropValue) bool { return mapispi.IsSecure(v.Tag) }), nil
}

// GetPropList lists the section's properties but the secure ones.
func (p *profileSection) GetPropList(ctx context.Context) ([]mapispi.PropTag, error) {
	tags, err := p.d.GetPropList(ctx)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(tags, mapispi.IsSecure), nil
}

func (p *profileSection) SetProps(ctx context.Context, values []mapispi.PropValue) ([]mapispi.PropProblem, error) {
	if p.readOnly {
		return nil, mapispi.Errorf(mapispi.ErrNoAccess, "IProfSect::SetProps", "the section was opened without MAPI_MODIFY")
	}
	return p.d.SetProps(ctx, values)
}

func (p *profileSection) DeleteProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropProblem, error) {
	if p.readOnly {
		return nil, mapispi.Errorf(mapispi.ErrNoAccess, "IProfSect::DeleteProps", "the section was opened without MAPI_MODIFY")
	}
	return p.d.DeleteProps(ctx, tags)
}
