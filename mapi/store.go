package mapi

import (
	"context"
	"fmt"

	"github.com/mapiemu/mapiemu/mapispi"
)

// hostStore is the MsgStore the session hands out: the provider's store
// behind MAPI's checks. It implements every optional store interface and
// answers ErrNoSupport where the provider's store lacks one, fails every
// call with ErrInvalidObject once the store is logged off, and recovers a
// panic in the provider as ErrCallFailed.
type hostStore struct{ l *logon }

var (
	_ mapispi.MsgStore       = (*hostStore)(nil)
	_ mapispi.Adviser        = (*hostStore)(nil)
	_ mapispi.ReceiveFolders = (*hostStore)(nil)
	_ mapispi.SpoolerStore   = (*hostStore)(nil)
)

// call runs f, the provider's method, as MAPI calls it: only while the
// logon lives, with a panic recovered and the call traced.
func call[T any](l *logon, method string, args func() string, f func() (T, error)) (res T, err error) {
	if err = l.check(method); err != nil {
		return res, err
	}
	c := l.s.begin(method, l.svc)
	if c != nil && args != nil {
		c.Args = args()
	}
	defer func() { l.s.end(c, l.svc, recover(), &err, res) }()
	return f()
}

// noSupport is the host's answer for a capability the store lacks.
func noSupport(l *logon, method string) error {
	if err := l.check(method); err != nil {
		return err
	}
	return mapispi.Errorf(mapispi.ErrNoSupport, l.svc.name, "%s: the store does not implement it", method)
}

func idArg(id mapispi.EntryID) func() string {
	return func() string { return fmt.Sprintf("EntryID=%X", []byte(id)) }
}

func (h *hostStore) ObjectType() mapispi.ObjectType { return h.l.inner.ObjectType() }

func (h *hostStore) GetProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropValue, error) {
	return call(h.l, "IMsgStore::GetProps", func() string { return fmt.Sprint(tags) }, func() ([]mapispi.PropValue, error) {
		return h.l.inner.GetProps(ctx, tags)
	})
}

func (h *hostStore) GetPropList(ctx context.Context) ([]mapispi.PropTag, error) {
	return call(h.l, "IMsgStore::GetPropList", nil, func() ([]mapispi.PropTag, error) { return h.l.inner.GetPropList(ctx) })
}

func (h *hostStore) SetProps(ctx context.Context, values []mapispi.PropValue) ([]mapispi.PropProblem, error) {
	return call(h.l, "IMsgStore::SetProps", func() string { return fmt.Sprintf("%d values", len(values)) }, func() ([]mapispi.PropProblem, error) {
		return h.l.inner.SetProps(ctx, values)
	})
}

func (h *hostStore) DeleteProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropProblem, error) {
	return call(h.l, "IMsgStore::DeleteProps", func() string { return fmt.Sprint(tags) }, func() ([]mapispi.PropProblem, error) {
		return h.l.inner.DeleteProps(ctx, tags)
	})
}

func (h *hostStore) OpenEntry(ctx context.Context, id mapispi.EntryID, flags mapispi.OpenFlags) (mapispi.Object, error) {
	return call(h.l, "IMsgStore::OpenEntry", idArg(id), func() (mapispi.Object, error) { return h.l.inner.OpenEntry(ctx, id, flags) })
}

func (h *hostStore) CompareEntryIDs(a, b mapispi.EntryID) (bool, error) {
	return call(h.l, "IMsgStore::CompareEntryIDs", nil, func() (bool, error) { return h.l.inner.CompareEntryIDs(a, b) })
}

// StoreLogoff is IMsgStore::StoreLogoff through MAPI: the provider's
// StoreLogoff, and, once it reports LogoffComplete, what MAPI does when the
// client releases the store: IMSLogon::Logoff, then the store's UIDs,
// status row and subscriptions go.
func (h *hostStore) StoreLogoff(ctx context.Context, flags mapispi.LogoffFlags) (mapispi.LogoffFlags, error) {
	l := h.l
	out, err := call(l, "IMsgStore::StoreLogoff", func() string { return flags.String() }, func() (mapispi.LogoffFlags, error) {
		return l.inner.StoreLogoff(ctx, flags)
	})
	if err != nil || out&mapispi.LogoffComplete == 0 {
		return out, err
	}
	return out, l.logoff(ctx)
}

func (h *hostStore) Advise(ctx context.Context, id mapispi.EntryID, events mapispi.EventMask, sink mapispi.AdviseSink) (mapispi.Connection, error) {
	a, ok := h.l.inner.(mapispi.Adviser)
	if !ok {
		return 0, noSupport(h.l, "IMsgStore::Advise")
	}
	return call(h.l, "IMsgStore::Advise", idArg(id), func() (mapispi.Connection, error) { return a.Advise(ctx, id, events, sink) })
}

func (h *hostStore) Unadvise(ctx context.Context, conn mapispi.Connection) error {
	a, ok := h.l.inner.(mapispi.Adviser)
	if !ok {
		return noSupport(h.l, "IMsgStore::Unadvise")
	}
	_, err := call(h.l, "IMsgStore::Unadvise", nil, func() (struct{}, error) { return struct{}{}, a.Unadvise(ctx, conn) })
	return err
}

func (h *hostStore) SetReceiveFolder(ctx context.Context, class string, id mapispi.EntryID) error {
	r, ok := h.l.inner.(mapispi.ReceiveFolders)
	if !ok {
		return noSupport(h.l, "IMsgStore::SetReceiveFolder")
	}
	_, err := call(h.l, "IMsgStore::SetReceiveFolder", idArg(id), func() (struct{}, error) { return struct{}{}, r.SetReceiveFolder(ctx, class, id) })
	return err
}

func (h *hostStore) ReceiveFolder(ctx context.Context, class string) (mapispi.EntryID, string, error) {
	r, ok := h.l.inner.(mapispi.ReceiveFolders)
	if !ok {
		return nil, "", noSupport(h.l, "IMsgStore::GetReceiveFolder")
	}
	var explicit string
	id, err := call(h.l, "IMsgStore::GetReceiveFolder", nil, func() (mapispi.EntryID, error) {
		id, cls, err := r.ReceiveFolder(ctx, class)
		explicit = cls
		return id, err
	})
	return id, explicit, err
}

func (h *hostStore) ReceiveFolderTable(ctx context.Context, flags mapispi.OpenFlags) (mapispi.Table, error) {
	r, ok := h.l.inner.(mapispi.ReceiveFolders)
	if !ok {
		return nil, noSupport(h.l, "IMsgStore::GetReceiveFolderTable")
	}
	return call(h.l, "IMsgStore::GetReceiveFolderTable", nil, func() (mapispi.Table, error) { return r.ReceiveFolderTable(ctx, flags) })
}

func (h *hostStore) AbortSubmit(ctx context.Context, id mapispi.EntryID) error {
	sp, ok := h.l.inner.(mapispi.SpoolerStore)
	if !ok {
		return noSupport(h.l, "IMsgStore::AbortSubmit")
	}
	_, err := call(h.l, "IMsgStore::AbortSubmit", idArg(id), func() (struct{}, error) { return struct{}{}, sp.AbortSubmit(ctx, id) })
	return err
}

func (h *hostStore) OutgoingQueue(ctx context.Context) (mapispi.Table, error) {
	sp, ok := h.l.inner.(mapispi.SpoolerStore)
	if !ok {
		return nil, noSupport(h.l, "IMsgStore::GetOutgoingQueue")
	}
	return call(h.l, "IMsgStore::GetOutgoingQueue", nil, func() (mapispi.Table, error) { return sp.OutgoingQueue(ctx) })
}

func (h *hostStore) SetLockState(ctx context.Context, msg mapispi.Object, state mapispi.LockState) error {
	sp, ok := h.l.inner.(mapispi.SpoolerStore)
	if !ok {
		return noSupport(h.l, "IMsgStore::SetLockState")
	}
	_, err := call(h.l, "IMsgStore::SetLockState", nil, func() (struct{}, error) { return struct{}{}, sp.SetLockState(ctx, msg, state) })
	return err
}

func (h *hostStore) FinishedMsg(ctx context.Context, id mapispi.EntryID) error {
	sp, ok := h.l.inner.(mapispi.SpoolerStore)
	if !ok {
		return noSupport(h.l, "IMsgStore::FinishedMsg")
	}
	_, err := call(h.l, "IMsgStore::FinishedMsg", idArg(id), func() (struct{}, error) { return struct{}{}, sp.FinishedMsg(ctx, id) })
	return err
}

func (h *hostStore) NotifyNewMail(ctx context.Context, n *mapispi.Notification) error {
	sp, ok := h.l.inner.(mapispi.SpoolerStore)
	if !ok {
		return noSupport(h.l, "IMsgStore::NotifyNewMail")
	}
	_, err := call(h.l, "IMsgStore::NotifyNewMail", nil, func() (struct{}, error) { return struct{}{}, sp.NotifyNewMail(ctx, n) })
	return err
}

// Close logs the store off.
func (h *hostStore) Close(ctx context.Context) error { return h.l.logoff(ctx) }
