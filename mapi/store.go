package mapi

import (
	"context"
	"fmt"

	"github.com/mapiemu/mapiemu/mapispi"
)

// Store is the Go form of IMsgStore as a client holds it: one handle on
// an open message store, what Session.OpenMsgStore returns. Each
// OpenMsgStore of a store gives a handle of its own; the store is logged
// off when the last handle of it in the session is closed (or at
// Logoff). A Store is safe for concurrent use.
//
// Every method goes through the host: it fails with ErrInvalidObject once
// the handle is closed, the store logged off or the session logged off;
// it is traced; and a panic in the provider is recovered as
// ErrCallFailed naming the service, which it disables. A method for a
// capability the provider's store lacks answers ErrNoSupport; Supports
// tells which it has without calling them.
type Store struct {
	object
	sinks handleSinks // Advise connections made through this handle
}

func newStore(h *handle, l *logon) *Store {
	return &Store{object: object{h: h, l: l, obj: l.store, typ: mapispi.ObjStore, ifc: "IMsgStore"}}
}

// Service returns the name of the message service whose store this is.
func (st *Store) Service() string { return st.l.svc.name }

// Supports reports whether the store has capability c, that is whether
// the methods c names can do more than answer ErrNoSupport.
func (st *Store) Supports(c Capability) bool {
	switch c {
	case CapAdvise:
		_, ok := st.l.store.(mapispi.Adviser)
		return ok
	case CapReceiveFolders:
		_, ok := st.l.store.(mapispi.ReceiveFolders)
		return ok
	case CapSubmit:
		_, ok := st.l.store.(mapispi.SpoolerStore)
		return ok
	}
	return st.object.Supports(c)
}

// OpenEntry is IMsgStore::OpenEntry: a handle on the folder or message id
// names, or on the root folder when id is nil. Close it when done.
func (st *Store) OpenEntry(ctx context.Context, id mapispi.EntryID, flags mapispi.OpenFlags) (Object, error) {
	obj, err := guard(st.h, "IMsgStore::OpenEntry", idArg(id), func() (mapispi.Object, error) { return st.l.store.OpenEntry(ctx, id, flags) })
	if err != nil {
		return nil, err
	}
	return st.l.wrapObject(obj, "IMsgStore::OpenEntry", 1)
}

// OpenFolder is IMsgStore::OpenEntry asking for IID_IMAPIFolder: a
// handle on the folder id names, or on the root folder when id is nil.
// An entry that is not a folder is ErrInterfaceNotSupported, as MAPI
// answers an interface the object lacks. Close it when done.
func (st *Store) OpenFolder(ctx context.Context, id mapispi.EntryID, flags mapispi.OpenFlags) (*Folder, error) {
	return openAs[*Folder](ctx, st, id, flags, "folder")
}

// OpenMessage is IMsgStore::OpenEntry asking for IID_IMessage: a handle
// on the message id names. An entry that is not a message is
// ErrInterfaceNotSupported. Close it when done.
func (st *Store) OpenMessage(ctx context.Context, id mapispi.EntryID, flags mapispi.OpenFlags) (*Message, error) {
	return openAs[*Message](ctx, st, id, flags, "message")
}

// openAs opens id in st and wants a T, closing any other object.
func openAs[T Object](ctx context.Context, st *Store, id mapispi.EntryID, flags mapispi.OpenFlags, want string) (T, error) {
	var zero T
	obj, err := st.OpenEntry(ctx, id, flags)
	if err != nil {
		return zero, err
	}
	t, ok := obj.(T)
	if !ok {
		_ = obj.Close(ctx)
		return zero, mapispi.Errorf(mapispi.ErrInterfaceNotSupported, st.l.svc.name, "IMsgStore::OpenEntry: the entry is a %v, not a %s", obj.ObjectType(), want)
	}
	return t, nil
}

// CompareEntryIDs is IMsgStore::CompareEntryIDs: whether two entry IDs of
// this store's provider name the same object.
func (st *Store) CompareEntryIDs(a, b mapispi.EntryID) (bool, error) {
	return guard(st.h, "IMsgStore::CompareEntryIDs", nil, func() (bool, error) { return st.l.store.CompareEntryIDs(a, b) })
}

// StoreLogoff is IMsgStore::StoreLogoff: it tells the store how to log
// off, flags being exactly one of the LogoffIn flags. It closes nothing:
// the store logs off, with the flag given last, when its last handle in
// the session is closed, as the IMsgStore::StoreLogoff page describes. The
// result holds the transport activity the store reports.
func (st *Store) StoreLogoff(ctx context.Context, flags mapispi.LogoffFlags) (mapispi.LogoffFlags, error) {
	return guard(st.h, "IMsgStore::StoreLogoff", func() string { return flags.String() }, func() (mapispi.LogoffFlags, error) {
		return st.l.store.StoreLogoff(ctx, flags)
	})
}

// Advise is IMsgStore::Advise: sink receives the store's notifications of
// events on the object id names (the whole store when id is nil) until
// Unadvise or Close of this handle, under the rules of mapispi's
// "Notifications" section. ErrNoSupport when the store sends none.
func (st *Store) Advise(ctx context.Context, id mapispi.EntryID, events mapispi.EventMask, sink mapispi.AdviseSink) (mapispi.Connection, error) {
	const method = "IMsgStore::Advise"
	a, ok := st.l.store.(mapispi.Adviser)
	if !ok {
		return 0, noSupport(st.h, method, "store")
	}
	if f, isFunc := sink.(mapispi.AdviseSinkFunc); sink == nil || isFunc && f == nil {
		return 0, mapispi.Errorf(mapispi.ErrInvalidParameter, method, "nil sink")
	}
	c := st.h.r.s.newAdviseConn(sink, fmt.Sprintf("store of service %q, %v", st.l.svc.name, events))
	return st.sinks.advise(ctx, st.h, method, c, func() (mapispi.Connection, error) {
		return a.Advise(ctx, id, events, newAdviseForwarder(c))
	})
}

// Unadvise is IMsgStore::Unadvise: once it returns, the connection's sink
// is not called again (a call under way finishes first, unless Unadvise
// is called from inside the sink). A connection this handle did not make
// is ErrNotFound.
func (st *Store) Unadvise(ctx context.Context, conn mapispi.Connection) error {
	const method = "IMsgStore::Unadvise"
	a, ok := st.l.store.(mapispi.Adviser)
	if !ok {
		return noSupport(st.h, method, "store")
	}
	return st.sinks.unadvise(ctx, st.h, method, conn, func() error { return a.Unadvise(ctx, conn) })
}

// SetReceiveFolder is IMsgStore::SetReceiveFolder (see
// mapispi.ReceiveFolders); ErrNoSupport for a store without receive
// folders.
func (st *Store) SetReceiveFolder(ctx context.Context, class string, id mapispi.EntryID) error {
	const method = "IMsgStore::SetReceiveFolder"
	r, ok := st.l.store.(mapispi.ReceiveFolders)
	if !ok {
		return noSupport(st.h, method, "store")
	}
	_, err := guard(st.h, method, idArg(id), func() (struct{}, error) { return struct{}{}, r.SetReceiveFolder(ctx, class, id) })
	return err
}

// ReceiveFolder is IMsgStore::GetReceiveFolder (see
// mapispi.ReceiveFolders); ErrNoSupport for a store without receive
// folders.
func (st *Store) ReceiveFolder(ctx context.Context, class string) (id mapispi.EntryID, explicitClass string, err error) {
	const method = "IMsgStore::GetReceiveFolder"
	r, ok := st.l.store.(mapispi.ReceiveFolders)
	if !ok {
		return nil, "", noSupport(st.h, method, "store")
	}
	id, err = guard(st.h, method, nil, func() (mapispi.EntryID, error) {
		id, cls, err := r.ReceiveFolder(ctx, class)
		explicitClass = cls
		return id, err
	})
	return id, explicitClass, err
}

// ReceiveFolderTable is IMsgStore::GetReceiveFolderTable: a handle on a
// new table; close it when done. ErrNoSupport for a store without
// receive folders.
func (st *Store) ReceiveFolderTable(ctx context.Context, flags mapispi.OpenFlags) (*Table, error) {
	const method = "IMsgStore::GetReceiveFolderTable"
	r, ok := st.l.store.(mapispi.ReceiveFolders)
	if !ok {
		return nil, noSupport(st.h, method, "store")
	}
	t, err := guard(st.h, method, nil, func() (mapispi.Table, error) { return r.ReceiveFolderTable(ctx, flags) })
	if err != nil {
		return nil, err
	}
	return st.l.wrapTable(t, method, 1)
}

// AbortSubmit is IMsgStore::AbortSubmit: take a submitted message out of
// the outgoing queue. ErrNoSupport for a store that does not send mail.
func (st *Store) AbortSubmit(ctx context.Context, id mapispi.EntryID) error {
	const method = "IMsgStore::AbortSubmit"
	sp, ok := st.l.store.(mapispi.SpoolerStore)
	if !ok {
		return noSupport(st.h, method, "store")
	}
	_, err := guard(st.h, method, idArg(id), func() (struct{}, error) { return struct{}{}, sp.AbortSubmit(ctx, id) })
	return err
}

// Close releases the handle (IUnknown::Release). When it is the last
// handle of the store in the session, the store logs off: the provider's
// store runs StoreLogoffTransports with the flag StoreLogoff recorded
// (LogoffAbort when there was none), the store's UIDs and status row go,
// and IMSLogon::Logoff runs, as the IMsgStore::StoreLogoff page
// describes; every object opened through the store becomes invalid. The
// Advise connections made through this handle end either way. Closing
// another handle of the same store closes nothing of this one. A second
// Close is ErrInvalidObject.
func (st *Store) Close(ctx context.Context) error {
	if st.h.closed.Load() {
		return mapispi.Errorf(mapispi.ErrInvalidObject, "IMsgStore::Release", "the handle has been closed already")
	}
	var unregister func(mapispi.Connection) error
	if a, ok := st.l.store.(mapispi.Adviser); ok {
		unregister = func(conn mapispi.Connection) error { return a.Unadvise(ctx, conn) }
	}
	st.sinks.closeAll(ctx, st.h, "IMsgStore::Unadvise", unregister)
	return st.h.close(ctx, "IMsgStore::Release")
}

// Capability is a part of the store SPI that a provider's object may
// lack: the host's methods for it then answer ErrNoSupport, and the
// object's Supports says so beforehand.
type Capability int

// The capabilities an object may have.
const (
	// CapAdvise is a store's notifications: Advise and Unadvise
	// (mapispi.Adviser).
	CapAdvise Capability = iota + 1
	// CapReceiveFolders is a store's receive folders: SetReceiveFolder,
	// ReceiveFolder and ReceiveFolderTable (mapispi.ReceiveFolders).
	CapReceiveFolders
	// CapSubmit is a store's part in sending mail: AbortSubmit
	// (mapispi.SpoolerStore), and a message's SubmitMessage
	// (mapispi.Submitter).
	CapSubmit
	// CapNamedProps is named properties: IDsFromNames and NamesFromIDs
	// (mapispi.NamedProps).
	CapNamedProps
	// CapCopy is CopyTo and CopyProps (mapispi.Copier).
	CapCopy
	// CapOpenProperty is OpenProperty and OpenStream
	// (mapispi.PropertyOpener).
	CapOpenProperty
)

var capNames = [...]string{CapAdvise: "CapAdvise", CapReceiveFolders: "CapReceiveFolders", CapSubmit: "CapSubmit",
	CapNamedProps: "CapNamedProps", CapCopy: "CapCopy", CapOpenProperty: "CapOpenProperty"}

// String returns the capability's name, such as "CapAdvise".
func (c Capability) String() string {
	if c > 0 && int(c) < len(capNames) {
		return capNames[c]
	}
	return fmt.Sprintf("Capability(%d)", int(c))
}
