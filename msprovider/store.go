package msprovider

import (
	"container/list"
	"context"
	"math/bits"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
)

var (
	_ mapispi.MsgStore = (*Store)(nil)
	_ mapispi.MSLogon  = (*Logon)(nil)
)

// Store is the Go form of this provider's IMsgStore object: one store
// logon, for a client or for the spooler, paired 1:1 with a *Logon. The
// two are created together and closed together: after StoreLogoff
// completes or the Logon's Logoff, every method of both returns
// ErrInvalidObject.
//
// Folders, messages, receive folders, notifications and the outgoing
// queue are not implemented yet: those methods return ErrNoSupport (the
// spooler's FinishedMsg returns ErrNotFound, as the queue is empty).
//
// A Store is safe for concurrent use.
type Store struct {
	p       *Provider
	data    *storeData
	sup     mapispi.Support // this store's support object, kept until close
	id      mapispi.EntryID // unwrapped store entry ID
	wrapped mapispi.EntryID // the wrapped form, for PR_ENTRYID and PR_STORE_ENTRYID
	write   bool
	noMail  bool
	spooler bool
	logon   Logon

	elem   *list.Element // guarded by p.mu
	closed atomic.Bool

	closeMu        sync.Mutex          // guards the two fields below; never held across a support call
	transportsDone bool                // StoreLogoffTransports ran (or runs) for this shutdown
	logoffOut      mapispi.LogoffFlags // what StoreLogoffTransports reported, for a repeated StoreLogoff
	finishing      atomic.Bool         // finish has started: the store leaves the list once

	lastErr atomic.Pointer[mapispi.Error]
}

func newStore(p *Provider, d *storeData, sup mapispi.Support, id, wrapped mapispi.EntryID, flags mapispi.LogonFlags, spooler bool) *Store {
	s := &Store{
		p: p, data: d, sup: sup, id: id, wrapped: wrapped, spooler: spooler,
		write:  flags&(mapispi.LogonWrite|mapispi.LogonBestAccess) != 0,
		noMail: flags&mapispi.LogonNoMail != 0,
	}
	s.logon.s = s
	return s
}

// Logon returns the store's paired logon object.
func (s *Store) Logon() *Logon { return &s.logon }

// EntryID returns a copy of the store's unwrapped entry ID.
func (s *Store) EntryID() mapispi.EntryID { return s.id.Clone() }

// DisplayName returns the store's PR_DISPLAY_NAME.
func (s *Store) DisplayName() string { return s.data.displayName() }

// IsSpooler reports whether the store was opened by SpoolerLogon.
func (s *Store) IsSpooler() bool { return s.spooler }

// Writable reports whether the logon was granted write access (LogonWrite).
func (s *Store) Writable() bool { return s.write }

// Closed reports whether the store has been logged off.
func (s *Store) Closed() bool { return s.closed.Load() }

// ObjectType returns ObjStore.
func (s *Store) ObjectType() mapispi.ObjectType { return mapispi.ObjStore }

// fail records e as the store's last error and returns it.
func (s *Store) fail(e *mapispi.Error) error {
	s.lastErr.Store(e)
	return e
}

func (s *Store) check(op string) error {
	if s.closed.Load() {
		return s.fail(mapispi.Errorf(mapispi.ErrInvalidObject, "msprovider", "%s: the store has been logged off", op))
	}
	return nil
}

func (s *Store) noSupport(op, what string) error {
	if err := s.check(op); err != nil {
		return err
	}
	return s.fail(mapispi.Errorf(mapispi.ErrNoSupport, "msprovider", "%s: %s", op, what))
}

// supportMask is the store's PR_STORE_SUPPORT_MASK.
func (s *Store) supportMask() mapispi.StoreSupportMask {
	m := mapispi.StoreEntryIDUnique | mapispi.StoreModifyOK | mapispi.StoreCreateOK
	if !s.write {
		m = m&^(mapispi.StoreModifyOK|mapispi.StoreCreateOK) | mapispi.StoreReadOnly
	}
	return m
}

// storeProps lists the store's properties in GetPropList order.
var storeProps = []mapispi.PropTag{
	mapispi.PropDisplayName,
	mapispi.PropEntryID,
	mapispi.PropStoreEntryID,
	mapispi.PropObjectType,
	mapispi.PropRecordKey,
	mapispi.PropStoreRecordKey,
	mapispi.PropMDBProvider,
	mapispi.PropStoreSupportMask,
	mapispi.PropProviderDisplay,
}

func (s *Store) prop(tag mapispi.PropTag) (mapispi.PropValue, bool) {
	var v any
	switch tag {
	case mapispi.PropDisplayName:
		v = s.data.displayName()
	case mapispi.PropDisplayName.WithType(mapispi.PtString8):
		v = s.data.displayName()
	case mapispi.PropEntryID, mapispi.PropStoreEntryID:
		v = []byte(s.wrapped.Clone())
	case mapispi.PropObjectType:
		v = int32(mapispi.ObjStore)
	case mapispi.PropRecordKey, mapispi.PropStoreRecordKey:
		v = append([]byte(nil), s.data.uid[:]...)
	case mapispi.PropMDBProvider:
		v = append([]byte(nil), ProviderUID[:]...)
	case mapispi.PropStoreSupportMask:
		v = int32(s.supportMask())
	case mapispi.PropProviderDisplay:
		v = ProviderDisplay
	default:
		return mapispi.PropValue{}, false
	}
	return mapispi.PropValue{Tag: tag, Value: v}, true
}

// GetProps is IMAPIProp::GetProps on the store. PR_ENTRYID and
// PR_STORE_ENTRYID are the wrapped store entry ID. A property the store
// does not have comes back as a PT_ERROR value with ErrNotFound, and the
// call returns WarnErrorsReturned with the values.
func (s *Store) GetProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropValue, error) {
	if err := s.check("GetProps"); err != nil {
		return nil, err
	}
	if tags == nil {
		tags = storeProps
	}
	out := make([]mapispi.PropValue, len(tags))
	var warn error
	for i, tag := range tags {
		v, ok := s.prop(tag)
		if !ok {
			v, warn = mapispi.ErrorValue(tag, mapispi.ErrNotFound), mapispi.WarnErrorsReturned
		}
		out[i] = v
	}
	return out, warn
}

// GetPropList is IMAPIProp::GetPropList on the store.
func (s *Store) GetPropList(ctx context.Context) ([]mapispi.PropTag, error) {
	if err := s.check("GetPropList"); err != nil {
		return nil, err
	}
	return append([]mapispi.PropTag(nil), storeProps...), nil
}

// SetProps is IMAPIProp::SetProps on the store. Only PR_DISPLAY_NAME can
// be written; other properties are reported as problems with ErrNoAccess
// (computed) or ErrBadValue. A read-only logon refuses the call with
// ErrNoAccess.
func (s *Store) SetProps(ctx context.Context, values []mapispi.PropValue) ([]mapispi.PropProblem, error) {
	if err := s.check("SetProps"); err != nil {
		return nil, err
	}
	if !s.write {
		return nil, s.fail(mapispi.Errorf(mapispi.ErrNoAccess, "msprovider", "SetProps: the store was opened read-only (no MDB_WRITE)"))
	}
	var probs []mapispi.PropProblem
	for i, v := range values {
		name, ok := v.Value.(string)
		switch {
		case v.Tag != mapispi.PropDisplayName && v.Tag != mapispi.PropDisplayName.WithType(mapispi.PtString8):
			probs = append(probs, mapispi.PropProblem{Index: i, Tag: v.Tag, Code: mapispi.ErrNoAccess})
		case !ok || name == "":
			probs = append(probs, mapispi.PropProblem{Index: i, Tag: v.Tag, Code: mapispi.ErrBadValue})
		default:
			s.data.setName(name)
		}
	}
	return probs, nil
}

// DeleteProps is IMAPIProp::DeleteProps on the store. The store's
// properties are all required, so each is a problem with ErrNoAccess; a
// read-only logon refuses the call with ErrNoAccess.
func (s *Store) DeleteProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropProblem, error) {
	if err := s.check("DeleteProps"); err != nil {
		return nil, err
	}
	if !s.write {
		return nil, s.fail(mapispi.Errorf(mapispi.ErrNoAccess, "msprovider", "DeleteProps: the store was opened read-only (no MDB_WRITE)"))
	}
	probs := make([]mapispi.PropProblem, 0, len(tags))
	for i, t := range tags {
		probs = append(probs, mapispi.PropProblem{Index: i, Tag: t, Code: mapispi.ErrNoAccess})
	}
	return probs, nil
}

// Advise is IMsgStore::Advise. This store sends no notifications yet, so
// it returns ErrNoSupport, as the MAPI reference asks of such a store.
func (s *Store) Advise(ctx context.Context, id mapispi.EntryID, events mapispi.EventMask, sink mapispi.AdviseSink) (mapispi.Connection, error) {
	return 0, s.noSupport("Advise", "this store sends no notifications")
}

// Unadvise is IMsgStore::Unadvise; no connection exists, so it returns
// ErrNotFound.
func (s *Store) Unadvise(ctx context.Context, conn mapispi.Connection) error {
	if err := s.check("Unadvise"); err != nil {
		return err
	}
	return s.fail(mapispi.Errorf(mapispi.ErrNotFound, "msprovider", "Unadvise: no connection %d", conn))
}

// CompareEntryIDs is IMsgStore::CompareEntryIDs. The entry IDs this
// provider issues are store entry IDs (unwrapped or wrapped), compared as
// CompareStoreIDs does; anything else is ErrUnknownEntryID.
func (s *Store) CompareEntryIDs(a, b mapispi.EntryID) (bool, error) {
	if err := s.check("CompareEntryIDs"); err != nil {
		return false, err
	}
	return compareEntryIDs(a, b)
}

func compareEntryIDs(a, b mapispi.EntryID) (bool, error) {
	for _, id := range []mapispi.EntryID{a, b} {
		if len(id) >= 20 {
			if u := mapispi.UID(id[4:20]); u != ProviderUID && u != entryid.StoreWrapUID {
				return false, mapispi.Errorf(mapispi.ErrUnknownEntryID, "msprovider",
					"CompareEntryIDs: entry ID %v is not this provider's (provider UID %v)", id, u)
			}
		}
	}
	ua, err := parseAnyStoreID(a)
	if err != nil {
		return false, err
	}
	ub, err := parseAnyStoreID(b)
	if err != nil {
		return false, err
	}
	return ua == ub, nil
}

// OpenEntry is IMsgStore::OpenEntry. Folders and messages are not
// implemented yet: it returns ErrNoSupport.
func (s *Store) OpenEntry(ctx context.Context, id mapispi.EntryID, flags mapispi.OpenFlags) (mapispi.Object, error) {
	if err := s.check("OpenEntry"); err != nil {
		return nil, err
	}
	if err := flags.Check(); err != nil {
		return nil, err
	}
	return nil, s.noSupport("OpenEntry", "this store has no folders or messages yet")
}

// SetReceiveFolder is IMsgStore::SetReceiveFolder: ErrNoSupport, as the
// store has no folders yet.
func (s *Store) SetReceiveFolder(ctx context.Context, class string, id mapispi.EntryID) error {
	return s.noSupport("SetReceiveFolder", "this store has no folders yet")
}

// ReceiveFolder is IMsgStore::GetReceiveFolder: ErrNoSupport, as the store
// has no folders yet.
func (s *Store) ReceiveFolder(ctx context.Context, class string) (mapispi.EntryID, string, error) {
	return nil, "", s.noSupport("GetReceiveFolder", "this store has no folders yet")
}

// ReceiveFolderTable is IMsgStore::GetReceiveFolderTable: ErrNoSupport, as
// the store has no folders yet.
func (s *Store) ReceiveFolderTable(ctx context.Context, flags mapispi.OpenFlags) (mapispi.Table, error) {
	return nil, s.noSupport("GetReceiveFolderTable", "this store has no folders yet")
}

// AbortSubmit is IMsgStore::AbortSubmit. Nothing can be submitted yet, so
// every message is ErrNotInQueue.
func (s *Store) AbortSubmit(ctx context.Context, id mapispi.EntryID) error {
	if err := s.check("AbortSubmit"); err != nil {
		return err
	}
	return s.fail(mapispi.Errorf(mapispi.ErrNotInQueue, "msprovider", "AbortSubmit: message %v is not in the outgoing queue", id))
}

// OutgoingQueue is IMsgStore::GetOutgoingQueue: ErrNoSupport until the
// store can hold messages.
func (s *Store) OutgoingQueue(ctx context.Context) (mapispi.Table, error) {
	return nil, s.noSupport("GetOutgoingQueue", "this store has no outgoing queue yet")
}

// SetLockState is IMsgStore::SetLockState (spooler only): ErrNoSupport
// until the store can hold messages.
func (s *Store) SetLockState(ctx context.Context, msg mapispi.Object, state mapispi.LockState) error {
	return s.noSupport("SetLockState", "this store has no messages yet")
}

// FinishedMsg is IMsgStore::FinishedMsg: ErrNoSupport for any caller but
// the spooler, as documented; for the spooler, ErrNotFound, as no message
// can be in the queue yet.
func (s *Store) FinishedMsg(ctx context.Context, id mapispi.EntryID) error {
	if err := s.check("FinishedMsg"); err != nil {
		return err
	}
	if !s.spooler {
		return s.fail(mapispi.Errorf(mapispi.ErrNoSupport, "msprovider", "FinishedMsg: only the spooler's store may call it"))
	}
	return s.fail(mapispi.Errorf(mapispi.ErrNotFound, "msprovider", "FinishedMsg: message %v is not in the outgoing queue", id))
}

// NotifyNewMail is IMsgStore::NotifyNewMail. There are no advise sinks to
// tell, so it only checks its argument.
func (s *Store) NotifyNewMail(ctx context.Context, n *mapispi.Notification) error {
	if err := s.check("NotifyNewMail"); err != nil {
		return err
	}
	if n == nil || n.Event != mapispi.EventNewMail {
		return s.fail(mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "NotifyNewMail: want an fnevNewMail notification"))
	}
	return nil
}

// LastError is IMsgStore::GetLastError: the last failure with code on
// this store, or nil, nil.
func (s *Store) LastError(code mapispi.SCode) (*mapispi.Error, error) {
	if s.closed.Load() {
		return nil, mapispi.Errorf(mapispi.ErrInvalidObject, "msprovider", "LastError: the store has been logged off")
	}
	if e := s.lastErr.Load(); e != nil && e.Code == code {
		return e, nil
	}
	return nil, nil
}

// StoreLogoff is IMsgStore::StoreLogoff. flags must hold exactly one of
// LogoffNoWait, LogoffOrderly, LogoffPurge, LogoffAbort and LogoffQuiet
// (else ErrInvalidParameter or ErrUnknownFlags). It calls
// Support.StoreLogoffTransports with that flag and returns its output
// flags:
//
//   - with LogoffComplete, the store closes now: it leaves the provider's
//     list and the pair returns ErrInvalidObject from then on;
//   - without it, after LogoffAbort or LogoffQuiet the logoff does not
//     happen and nothing changes (a later StoreLogoff starts a new
//     shutdown and calls the transports again);
//   - without it, after the other flags the shutdown is under way: the
//     store stays usable until Logoff, which does not call the transports
//     again, and a repeated StoreLogoff only replaces the saved flags and
//     returns what the transports reported (they run once per shutdown).
//
// No lock is held while StoreLogoffTransports runs, so the host may call
// back into the store from inside it.
func (s *Store) StoreLogoff(ctx context.Context, flags mapispi.LogoffFlags) (mapispi.LogoffFlags, error) {
	if err := s.check("StoreLogoff"); err != nil {
		return 0, err
	}
	if err := flags.Check(); err != nil {
		return 0, s.fail(err.(*mapispi.Error))
	}
	if bits.OnesCount32(uint32(flags)) != 1 {
		return 0, s.fail(mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider",
			"StoreLogoff: want exactly one LOGOFF_ flag, got %v", flags))
	}
	s.closeMu.Lock()
	if err := s.check("StoreLogoff"); err != nil {
		s.closeMu.Unlock()
		return 0, err
	}
	if s.transportsDone {
		// A shutdown is under way: a repeated StoreLogoff only replaces
		// the saved flags; StoreLogoffTransports runs once per shutdown.
		out := s.logoffOut
		s.closeMu.Unlock()
		return out & mapispi.LogoffOut, nil
	}
	s.transportsDone = true
	sup := s.sup
	s.closeMu.Unlock()

	// No lock is held across the support call, so a host may call back
	// into the store (Logoff, say) from inside it.
	out, err := sup.StoreLogoffTransports(ctx, flags)

	s.closeMu.Lock()
	switch {
	case err != nil:
		s.transportsDone = false // nothing happened
	case out&mapispi.LogoffComplete != 0:
		s.logoffOut = out
	case flags == mapispi.LogoffAbort || flags == mapispi.LogoffQuiet:
		s.transportsDone = false // transports busy: the logoff does not happen
	default:
		s.logoffOut = out // under way; the store stays usable until Logoff
	}
	s.closeMu.Unlock()
	if err != nil {
		return 0, s.fail(mapispi.Errorf(mapispi.CodeOf(err), "IMAPISupport::StoreLogoffTransports", "StoreLogoff(%v): %v", flags, err))
	}
	if out&mapispi.LogoffComplete != 0 {
		s.finish()
	}
	return out & mapispi.LogoffOut, nil
}

// close ends the pair without StoreLogoff: StoreLogoffTransports runs with
// LogoffAbort unless this shutdown already called it. It returns
// ErrInvalidObject if the pair was already closed.
func (s *Store) close(ctx context.Context, op string) error {
	s.closeMu.Lock()
	if err := s.check(op); err != nil {
		s.closeMu.Unlock()
		return err
	}
	call := !s.transportsDone
	s.transportsDone = true
	sup := s.sup
	s.closeMu.Unlock()
	var err error
	if call {
		if _, terr := sup.StoreLogoffTransports(ctx, mapispi.LogoffAbort); terr != nil {
			err = mapispi.Errorf(mapispi.CodeOf(terr), "IMAPISupport::StoreLogoffTransports", "%s: %v", op, terr)
		}
	}
	if !s.finish() { // another path closed the pair meanwhile
		return s.fail(mapispi.Errorf(mapispi.ErrInvalidObject, "msprovider", "%s: the store has been logged off", op))
	}
	return err // the logon ends whatever the transports said
}

// finish takes the store off the list, then marks the pair closed and
// drops the support object, in that order, so that a Logon never finds a
// closed store on the list. It reports whether this call did it: the
// first caller wins, whichever path it comes from.
func (s *Store) finish() bool {
	if !s.finishing.CompareAndSwap(false, true) {
		return false
	}
	s.p.remove(s)
	s.closed.Store(true)
	s.closeMu.Lock()
	s.sup = nil
	s.closeMu.Unlock()
	return true
}

// Logon is the Go form of this provider's IMSLogon object, paired 1:1
// with a *Store. It is safe for concurrent use.
type Logon struct {
	s *Store
}

// Store returns the paired store.
func (l *Logon) Store() *Store { return l.s }

// Logoff is IMSLogon::Logoff: close the pair. If the store was not logged
// off with StoreLogoff, Support.StoreLogoffTransports gets LogoffAbort
// first. A second call, or a call after StoreLogoff completed, returns
// ErrInvalidObject.
func (l *Logon) Logoff(ctx context.Context) error { return l.s.close(ctx, "Logoff") }

// OpenEntry is IMSLogon::OpenEntry, as Store.OpenEntry.
func (l *Logon) OpenEntry(ctx context.Context, id mapispi.EntryID, flags mapispi.OpenFlags) (mapispi.Object, error) {
	return l.s.OpenEntry(ctx, id, flags)
}

// CompareEntryIDs is IMSLogon::CompareEntryIDs, as Store.CompareEntryIDs.
func (l *Logon) CompareEntryIDs(a, b mapispi.EntryID) (bool, error) {
	return l.s.CompareEntryIDs(a, b)
}

// Advise is IMSLogon::Advise, as Store.Advise.
func (l *Logon) Advise(ctx context.Context, id mapispi.EntryID, events mapispi.EventMask, sink mapispi.AdviseSink) (mapispi.Connection, error) {
	return l.s.Advise(ctx, id, events, sink)
}

// Unadvise is IMSLogon::Unadvise, as Store.Unadvise.
func (l *Logon) Unadvise(ctx context.Context, conn mapispi.Connection) error {
	return l.s.Unadvise(ctx, conn)
}

// OpenStatusEntry is IMSLogon::OpenStatusEntry: the store's status object,
// a read-only property bag with the status row's columns.
func (l *Logon) OpenStatusEntry(ctx context.Context, flags mapispi.OpenFlags) (mapispi.Object, error) {
	if err := l.s.check("OpenStatusEntry"); err != nil {
		return nil, err
	}
	if err := flags.Check(); err != nil {
		return nil, err
	}
	return &status{s: l.s, row: statusRow(l.s.data.displayName())}, nil
}

// LastError is IMSLogon::GetLastError, as Store.LastError.
func (l *Logon) LastError(code mapispi.SCode) (*mapispi.Error, error) { return l.s.LastError(code) }

// Status values of the store's status row, from MAPIDefS.h and MAPISPI.h.
const (
	resourceTypeStore = 33 // MAPI_STORE_PROVIDER
	statusAvailable   = 1  // STATUS_AVAILABLE
)

// statusRow is the store's row in MAPI's status table.
func statusRow(name string) []mapispi.PropValue {
	return []mapispi.PropValue{
		{Tag: mapispi.PropResourceType, Value: int32(resourceTypeStore)},
		{Tag: mapispi.PropDisplayName, Value: name},
		{Tag: mapispi.PropProviderDisplay, Value: ProviderDisplay},
		{Tag: mapispi.PropProviderDLLName, Value: DLLName},
		{Tag: mapispi.PropResourceMethods, Value: int32(0)},
		{Tag: mapispi.PropStatusCode, Value: int32(statusAvailable)},
		{Tag: mapispi.PropStatusString, Value: "Available"},
	}
}

// status is the store's IMAPIStatus object: its status row, read-only.
// Like every object opened through a logon, it is invalid once the store
// is logged off.
type status struct {
	s   *Store
	row []mapispi.PropValue
}

func (st *status) ObjectType() mapispi.ObjectType { return mapispi.ObjStatus }

func (st *status) GetProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropValue, error) {
	if err := st.s.check("status GetProps"); err != nil {
		return nil, err
	}
	if tags == nil {
		return append([]mapispi.PropValue(nil), st.row...), nil
	}
	out := make([]mapispi.PropValue, len(tags))
	var warn error
	for i, t := range tags {
		idx := slices.IndexFunc(st.row, func(v mapispi.PropValue) bool { return v.Tag == t })
		if idx < 0 {
			out[i], warn = mapispi.ErrorValue(t, mapispi.ErrNotFound), mapispi.WarnErrorsReturned
			continue
		}
		out[i] = st.row[idx]
	}
	return out, warn
}

func (st *status) GetPropList(ctx context.Context) ([]mapispi.PropTag, error) {
	if err := st.s.check("status GetPropList"); err != nil {
		return nil, err
	}
	tags := make([]mapispi.PropTag, len(st.row))
	for i, v := range st.row {
		tags[i] = v.Tag
	}
	return tags, nil
}

func (st *status) SetProps(ctx context.Context, values []mapispi.PropValue) ([]mapispi.PropProblem, error) {
	if err := st.s.check("status SetProps"); err != nil {
		return nil, err
	}
	return nil, mapispi.Errorf(mapispi.ErrNoAccess, "msprovider", "the status object is read-only")
}

func (st *status) DeleteProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropProblem, error) {
	if err := st.s.check("status DeleteProps"); err != nil {
		return nil, err
	}
	return nil, mapispi.Errorf(mapispi.ErrNoAccess, "msprovider", "the status object is read-only")
}
