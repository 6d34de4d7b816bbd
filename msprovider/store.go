package msprovider

import (
	"container/list"
	"context"
	"fmt"
	"math/bits"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

var (
	_ mapispi.MsgStore = (*Store)(nil)
	_ mapispi.MSLogon  = (*Logon)(nil)
	_ mapispi.Object   = (*status)(nil)
)

// Store is the Go form of this provider's IMsgStore object: one store
// logon, for a client or for the spooler, paired 1:1 with a *Logon. Its
// life follows the IMsgStore::StoreLogoff page: StoreLogoff records how
// to log off; Close (the release of the store's last reference) runs
// Support.StoreLogoffTransports with that flag, or LogoffAbort, and makes
// every Store method return ErrInvalidObject; the Logon's Logoff, which
// MAPI calls next, takes the store off the provider's list, after which
// the Logon's methods return ErrInvalidObject too.
//
// OpenEntry opens the store's folders and messages (see Folder and
// Message); the store's named property map is NamedProps. It takes part
// in sending mail as mapispi.SpoolerStore (OutgoingQueue, SetLockState,
// FinishedMsg and NotifyNewMail on the spooler's logon, AbortSubmit on
// any): see the package documentation's "Sending mail".
//
// A Store is safe for concurrent use.
type Store struct {
	p       *Provider
	data    *storeData
	id      mapispi.EntryID // unwrapped store entry ID
	wrapped mapispi.EntryID // the wrapped form, for PR_ENTRYID and PR_STORE_ENTRYID
	write   bool
	spooler bool
	noMail  bool   // the client logged on with LogonNoMail: no SpoolerNotify
	issuer  *Store // for a spooler's logon: the client logon whose token it used
	issued  bool   // Logon returned the spool token token; set before the store is published
	token   nonce  // names it in data's list of live tokens
	logon   Logon
	props   *mapiutil.PropData // every property; PR_DISPLAY_NAME follows data

	elem *list.Element // guarded by p.mu

	// The store's life. mu is never held across a support call; when both
	// are needed, p.mu is taken first.
	mu         sync.Mutex
	state      storeState
	sup        mapispi.Support         // this store's support object; nil once closed
	logoffWith mapispi.LogoffFlags     // what StoreLogoff recorded; 0 when it was not called
	transports bool                    // StoreLogoffTransports has run for this shutdown
	nameSeen   uint64                  // the data's name version props holds
	views      map[*tableView]struct{} // tables opened through the logon, closed at its logoff
}

// storeState is where a store is in its life.
type storeState uint8

const (
	storeOpen     storeState = iota
	storeReleased            // Close ran: Store methods return ErrInvalidObject; the Logon still works
	storeClosed              // Logoff ran: off the provider's list; every method returns ErrInvalidObject
)

func newStore(p *Provider, d *storeData, sup mapispi.Support, id, wrapped mapispi.EntryID, flags mapispi.LogonFlags, spooler bool) *Store {
	s := &Store{
		p: p, data: d, sup: sup, id: id, wrapped: wrapped, spooler: spooler,
		write:  flags&(mapispi.LogonWrite|mapispi.LogonBestAccess) != 0 && !d.readOnly,
		noMail: flags&mapispi.LogonNoMail != 0,
	}
	if spooler {
		// The spooler writes what it sends (PR_RESPONSIBILITY, the
		// lock, FinishedMsg's move) whatever flags it logs on with.
		s.write = !d.readOnly
	}
	s.logon.s = s
	s.props = storePropData(s)
	return s
}

// storePropData holds the store's properties: all read-only but
// PR_DISPLAY_NAME. Store's methods decide what a caller may change.
func storePropData(s *Store) *mapiutil.PropData {
	d := mapiutil.NewPropData()
	name, ver := s.data.displayNameVersion()
	s.nameSeen = ver
	ctx := context.Background()
	_, _ = d.SetProps(ctx, []mapispi.PropValue{
		{Tag: mapispi.PropDisplayName, Value: name},
		{Tag: mapispi.PropEntryID, Value: []byte(s.wrapped)},
		{Tag: mapispi.PropStoreEntryID, Value: []byte(s.wrapped)},
		{Tag: mapispi.PropObjectType, Value: int32(mapispi.ObjStore)},
		{Tag: mapispi.PropRecordKey, Value: s.data.uid[:]},
		{Tag: mapispi.PropStoreRecordKey, Value: s.data.uid[:]},
		{Tag: mapispi.PropMDBProvider, Value: ProviderUID[:]},
		{Tag: mapispi.PropStoreSupportMask, Value: int32(s.supportMask())},
		{Tag: mapispi.PropProviderDisplay, Value: ProviderDisplay},
		{Tag: mapispi.PropMappingSignature, Value: s.data.uid[:]},
	})
	_, _ = d.SetProps(ctx, s.data.eng.storeFolderProps(ctx))
	access := make([]mapiutil.Access, len(storeProps))
	for i, t := range storeProps {
		access[i] = mapiutil.AccessReadOnly | mapiutil.AccessClean
		if t == mapispi.PropDisplayName {
			access[i] = mapiutil.AccessReadWrite | mapiutil.AccessClean
		}
	}
	_ = d.SetPropAccess(storeProps, access)
	return d
}

// syncName brings PR_DISPLAY_NAME up to date with the store's data, which
// other logons and Backend.Rename may have changed.
func (s *Store) syncName(ctx context.Context) {
	name, ver := s.data.displayNameVersion()
	s.mu.Lock()
	stale := ver != s.nameSeen
	s.nameSeen = ver
	s.mu.Unlock()
	if stale {
		_, _ = s.props.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropDisplayName, Value: name}})
	}
}

// UnwrappedEntryID returns a copy of the store's unwrapped entry ID: the
// ID Backend.CreateStore returned and MAPI passes to Logon. The store's
// PR_ENTRYID is the wrapped form.
func (s *Store) UnwrappedEntryID() mapispi.EntryID { return s.id.Clone() }

// DisplayName returns the store's PR_DISPLAY_NAME.
func (s *Store) DisplayName() string { return s.data.displayName() }

// IsSpooler reports whether the store was opened by SpoolerLogon.
func (s *Store) IsSpooler() bool { return s.spooler }

// ObjectType returns ObjStore.
func (s *Store) ObjectType() mapispi.ObjectType { return mapispi.ObjStore }

func errLoggedOff(op string) error {
	return mapispi.Errorf(mapispi.ErrInvalidObject, "msprovider", "%s: the store has been logged off", op)
}

// check returns ErrInvalidObject once the store is released.
func (s *Store) check(op string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch s.state {
	case storeReleased:
		return mapispi.Errorf(mapispi.ErrInvalidObject, "msprovider", "%s: the store has been released", op)
	case storeClosed:
		return errLoggedOff(op)
	}
	return nil
}

// released reports whether Close or Logoff has run.
func (s *Store) released() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state != storeOpen
}

// checkLogon returns ErrInvalidObject once the logon is closed.
func (s *Store) checkLogon(op string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == storeClosed {
		return errLoggedOff(op)
	}
	return nil
}

// supportMask is the store's PR_STORE_SUPPORT_MASK.
func (s *Store) supportMask() mapispi.StoreSupportMask {
	m := mapispi.StoreEntryIDUnique | mapispi.StoreModifyOK | mapispi.StoreCreateOK | mapispi.StoreAttachOK |
		mapispi.StoreMVPropsOK | mapispi.StoreRestrictionOK | mapispi.StoreSortOK | mapispi.StoreUnicodeOK | mapispi.StoreANSIOK |
		mapispi.StoreHTMLOK | mapispi.StoreNotifyOK | mapispi.StoreSubmitOK
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
	mapispi.PropMappingSignature,
	mapispi.PropValidFolderMask,
	mapispi.PropIPMSubtreeEntryID,
	mapispi.PropIPMOutboxEntryID,
	mapispi.PropIPMSentMailEntryID,
	mapispi.PropIPMWastebasketEntryID,
}

// GetProps is IMAPIProp::GetProps on the store. PR_ENTRYID and
// PR_STORE_ENTRYID are the wrapped store entry ID. A property the store
// does not have comes back as a PT_ERROR value with ErrNotFound.
func (s *Store) GetProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropValue, error) {
	if err := s.check("GetProps"); err != nil {
		return nil, err
	}
	s.syncName(ctx)
	return s.props.GetProps(ctx, tags)
}

// GetPropList is IMAPIProp::GetPropList on the store.
func (s *Store) GetPropList(ctx context.Context) ([]mapispi.PropTag, error) {
	if err := s.check("GetPropList"); err != nil {
		return nil, err
	}
	return s.props.GetPropList(ctx)
}

// SetProps is IMAPIProp::SetProps on the store. Only PR_DISPLAY_NAME can
// be written, and not empty (else ErrBadValue); the store's other
// properties are computed (ErrComputed problems, as the
// PidTagStoreSupportMask page has it for PR_STORE_SUPPORT_MASK), and a
// new property is an ErrNoAccess problem. The new name is the store's
// for every logon. A read-only logon refuses the call with ErrNoAccess.
func (s *Store) SetProps(ctx context.Context, values []mapispi.PropValue) ([]mapispi.PropProblem, error) {
	if err := s.checkWrite("SetProps"); err != nil {
		return nil, err
	}
	var probs []mapispi.PropProblem
	for i, v := range values {
		name, ok := v.Value.(string)
		switch {
		case v.Tag.ID() != mapispi.PropDisplayName.ID() && slices.ContainsFunc(storeProps, func(t mapispi.PropTag) bool { return t.ID() == v.Tag.ID() }):
			probs = append(probs, mapispi.PropProblem{Index: i, Tag: v.Tag, Code: mapispi.ErrComputed})
		case v.Tag != mapispi.PropDisplayName && v.Tag != mapispi.PropDisplayName.WithType(mapispi.PtString8):
			probs = append(probs, mapispi.PropProblem{Index: i, Tag: v.Tag, Code: mapispi.ErrNoAccess})
		case !ok || name == "":
			probs = append(probs, mapispi.PropProblem{Index: i, Tag: v.Tag, Code: mapispi.ErrBadValue})
		default:
			s.data.setName(name)
		}
	}
	s.syncName(ctx)
	return probs, nil
}

// DeleteProps is IMAPIProp::DeleteProps on the store. The store's own
// properties are all required, so each is a problem with ErrNoAccess; a
// tag the store does not have is ignored, as IPropData ignores it. A
// read-only logon refuses the call with ErrNoAccess.
func (s *Store) DeleteProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropProblem, error) {
	if err := s.checkWrite("DeleteProps"); err != nil {
		return nil, err
	}
	var probs []mapispi.PropProblem
	var rest []mapispi.PropTag
	var at []int
	for i, t := range tags {
		if t.ID() == mapispi.PropDisplayName.ID() {
			probs = append(probs, mapispi.PropProblem{Index: i, Tag: t, Code: mapispi.ErrNoAccess})
			continue
		}
		rest, at = append(rest, t), append(at, i)
	}
	if len(rest) == 0 {
		return probs, nil
	}
	more, err := s.props.DeleteProps(ctx, rest)
	if err != nil {
		return nil, err
	}
	for _, p := range more {
		p.Index = at[p.Index]
		probs = append(probs, p)
	}
	slices.SortFunc(probs, func(a, b mapispi.PropProblem) int { return a.Index - b.Index })
	return probs, nil
}

func (s *Store) checkWrite(op string) error {
	if err := s.check(op); err != nil {
		return err
	}
	if !s.write {
		if s.data.readOnly {
			return mapispi.Errorf(mapispi.ErrNoAccess, "msprovider", "%s: the store is read-only", op)
		}
		return mapispi.Errorf(mapispi.ErrNoAccess, "msprovider", "%s: the store was opened read-only (no MDB_WRITE)", op)
	}
	return nil
}

// CompareEntryIDs is IMsgStore::CompareEntryIDs. The entry IDs this
// store issues are its store entry IDs, unwrapped (any abFlags) or
// wrapped, which all name the store, and the entry IDs of its folders
// and messages, which name the same object when they differ at most in
// abFlags. An entry ID too short to carry a UID, or malformed, is
// ErrInvalidEntryID; an entry ID of anything else, another store of this
// provider included, is ErrUnknownEntryID.
func (s *Store) CompareEntryIDs(a, b mapispi.EntryID) (bool, error) {
	if err := s.check("CompareEntryIDs"); err != nil {
		return false, err
	}
	return s.compareEntryIDs(a, b)
}

func (s *Store) compareEntryIDs(a, b mapispi.EntryID) (bool, error) {
	for _, id := range []mapispi.EntryID{a, b} {
		if err := s.owns("CompareEntryIDs", id); err != nil {
			return false, err
		}
	}
	sa, sb := s.isStoreID(a), s.isStoreID(b)
	if sa != sb {
		if _, err := s.parseAny(a, sa); err != nil {
			return false, err
		}
		_, err := s.parseAny(b, sb)
		return false, err
	}
	ra, err := s.parseAny(a, sa)
	if err != nil {
		return false, err
	}
	rb, err := s.parseAny(b, sb)
	if err != nil {
		return false, err
	}
	return ra == rb, nil
}

// isStoreID reports whether id, which carries the store's UID, has the
// form of a store entry ID (unwrapped or wrapped) rather than a folder's
// or message's.
func (s *Store) isStoreID(id mapispi.EntryID) bool {
	return len(id) == storeIDLen || (len(id) >= 20 && mapispi.UID(id[4:20]) == entryid.StoreWrapUID)
}

// parseAny returns what id, one of the store's entry IDs, names.
func (s *Store) parseAny(id mapispi.EntryID, store bool) (objectRef, error) {
	if store {
		// owns has checked that it is this store's: the form is what is
		// left to check.
		_, err := parseAnyStoreID(id)
		return objectRef{typ: mapispi.ObjStore}, err
	}
	return parseObjectID(s.data.uid, id)
}

// owns returns nil when id carries the store's UID at bytes 4..19 (the
// UID its logon registered with SetProviderUID, which every entry ID of
// the store carries), directly or inside a wrapped store entry ID. An ID
// too short to carry a UID, or a malformed wrap, is ErrInvalidEntryID;
// an ID with another UID is ErrUnknownEntryID, so that MAPI can pass it
// on to the next logon that registered that UID, as "Registering Service
// Provider Unique Identifiers" describes.
func (s *Store) owns(op string, id mapispi.EntryID) error {
	inner := id
	if len(id) >= 20 && mapispi.UID(id[4:20]) == entryid.StoreWrapUID {
		var err error
		if inner, err = unwrap(id); err != nil {
			return err
		}
	}
	if len(inner) < 20 {
		_, err := parseStoreID(inner)
		return err
	}
	if u := mapispi.UID(inner[4:20]); u != s.data.uid {
		return mapispi.Errorf(mapispi.ErrUnknownEntryID, "msprovider",
			"%s: entry ID %v is not one of this store's (UID %v, not %v)", op, id, u, s.data.uid)
	}
	return nil
}

// OpenEntry is IMsgStore::OpenEntry: the root folder for a nil id, else
// the *Folder or *Message id names, read-only unless flags has OpenModify
// (ErrNoAccess on a read-only logon) or OpenBestAccess. A client's open
// of a queued message is ErrSubmitted with OpenModify and read-only with
// OpenBestAccess, and ErrNoAccess once the spooler has locked it; the
// spooler's logon opens it as asked. An ID of another
// store is ErrUnknownEntryID, a malformed one ErrInvalidEntryID, one of
// no object (deleted, or a message's ID from before a move) ErrNotFound;
// the store's own entry ID is ErrNoSupport (the store is opened with
// OpenMsgStore).
func (s *Store) OpenEntry(ctx context.Context, id mapispi.EntryID, flags mapispi.OpenFlags) (mapispi.Object, error) {
	if err := s.check("OpenEntry"); err != nil {
		return nil, err
	}
	return s.openEntry(ctx, id, flags)
}

func (s *Store) openEntry(ctx context.Context, id mapispi.EntryID, flags mapispi.OpenFlags) (mapispi.Object, error) {
	if err := flags.Check(); err != nil {
		return nil, err
	}
	ref := objectRef{typ: mapispi.ObjFolder, id: RootID}
	if id != nil {
		if err := s.owns("OpenEntry", id); err != nil {
			return nil, err
		}
		if s.isStoreID(id) {
			if _, err := parseAnyStoreID(id); err != nil {
				return nil, err
			}
			return nil, mapispi.Errorf(mapispi.ErrNoSupport, "msprovider", "OpenEntry: %v is the store's own entry ID; the store is opened with OpenMsgStore", id)
		}
		var err error
		if ref, err = parseObjectID(s.data.uid, id); err != nil {
			return nil, err
		}
	}
	write := flags&mapispi.OpenModify != 0
	if write && !s.write {
		return nil, mapispi.Errorf(mapispi.ErrNoAccess, "msprovider", "OpenEntry: MAPI_MODIFY on a store opened read-only")
	}
	if flags&mapispi.OpenBestAccess != 0 {
		write = s.write
	}
	e := s.data.eng
	if err := e.begin(ctx); err != nil {
		return nil, err
	}
	if ref.typ == mapispi.ObjFolder {
		_, err := e.folder(ctx, ref.id)
		e.mu.Unlock()
		if err != nil {
			return nil, err
		}
		return s.newFolder(ref.id, write), nil
	}
	d, mn, err := e.message(ctx, ref.folder, ref.id)
	var locked bool
	if err == nil {
		locked = e.locks[ref.id] != nil
	}
	e.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if mn.queued && !s.spooler {
		// A queued message is the spooler's (the IMessage::SubmitMessage
		// and IMsgStore::SetLockState pages).
		switch {
		case locked:
			return nil, mapispi.Errorf(mapispi.ErrNoAccess, "msprovider", "OpenEntry: the spooler has locked the message to send it")
		case flags&mapispi.OpenModify != 0:
			return nil, mapispi.Errorf(mapispi.ErrSubmitted, "msprovider", "OpenEntry: MAPI_MODIFY of a message in the outgoing queue; AbortSubmit takes it out")
		}
		write = false
	}
	return s.openMessage(d, ref.folder, write, nil, 0)
}

// support returns the logon's support object, nil once it is closed.
func (s *Store) support() mapispi.Support {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sup
}

// track records a table view opened through the logon, so that its
// logoff closes it; it reports false once the logon is closed.
func (s *Store) track(v *tableView) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == storeClosed {
		return false
	}
	if s.views == nil {
		s.views = map[*tableView]struct{}{}
	}
	s.views[v] = struct{}{}
	return true
}

func (s *Store) untrack(v *tableView) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.views, v)
}

// closeViews closes every table view still open through the logon.
func (s *Store) closeViews(ctx context.Context) {
	s.mu.Lock()
	views := make([]*tableView, 0, len(s.views))
	for v := range s.views {
		views = append(views, v)
	}
	s.mu.Unlock()
	for _, v := range views {
		_ = v.Close(ctx)
	}
}

// StoreLogoff is IMsgStore::StoreLogoff. flags must hold exactly one of
// LogoffNoWait, LogoffOrderly, LogoffPurge, LogoffAbort and LogoffQuiet
// (else ErrInvalidParameter or ErrUnknownFlags). As the notes to
// implementers of its page say, it only records the flag, replacing one
// recorded before: Close passes it to StoreLogoffTransports when the
// store's last reference goes. The store has no transport activity to
// report, so the result is 0.
func (s *Store) StoreLogoff(ctx context.Context, flags mapispi.LogoffFlags) (mapispi.LogoffFlags, error) {
	if err := s.check("StoreLogoff"); err != nil {
		return 0, err
	}
	if err := flags.Check(); err != nil {
		return 0, &mapispi.Error{Code: mapispi.ErrUnknownFlags, Component: "msprovider", Message: "StoreLogoff", Err: err}
	}
	if bits.OnesCount32(uint32(flags)) != 1 {
		return 0, mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider",
			"StoreLogoff: want exactly one LOGOFF_ flag, got %v", flags)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state != storeOpen {
		return 0, errLoggedOff("StoreLogoff")
	}
	s.logoffWith = flags
	return 0, nil
}

// Close is the release of the store object's last reference: it calls
// Support.StoreLogoffTransports with the flag StoreLogoff recorded, or
// LogoffAbort when there is none, and from then on every Store method
// returns ErrInvalidObject, whatever the transports answered (their
// error is returned). The Logon stays usable until its Logoff, which
// MAPI calls next. A second Close returns ErrInvalidObject. No lock is
// held while StoreLogoffTransports runs, so the host may call back into
// the store from inside it.
func (s *Store) Close(ctx context.Context) error {
	s.mu.Lock()
	if s.state != storeOpen {
		s.mu.Unlock()
		return mapispi.Errorf(mapispi.ErrInvalidObject, "msprovider", "Close: the store has been released already")
	}
	s.state = storeReleased
	s.mu.Unlock()
	err := s.runTransports(ctx, "Close")
	s.endLocks(ctx)
	return err
}

// endLocks releases the locks a spooler's logon holds, once it is
// released: they end with it.
func (s *Store) endLocks(ctx context.Context) {
	if s.spooler {
		s.data.eng.releaseLocks(ctx, s)
	}
}

// runTransports calls StoreLogoffTransports once per shutdown, with the
// recorded flag or LogoffAbort.
func (s *Store) runTransports(ctx context.Context, op string) error {
	s.mu.Lock()
	if s.transports || s.sup == nil {
		s.mu.Unlock()
		return nil
	}
	s.transports = true
	flags, sup := s.logoffWith, s.sup
	s.mu.Unlock()
	if flags == 0 {
		flags = mapispi.LogoffAbort
	}
	if _, err := sup.StoreLogoffTransports(ctx, flags); err != nil {
		return supportError("IMAPISupport::StoreLogoffTransports", err, fmt.Sprintf("%s of store %q (%v)", op, s.data.displayName(), flags))
	}
	return nil
}

// close ends the pair: StoreLogoffTransports runs unless this shutdown
// already ran it, then the pair leaves the provider's list. It reports
// whether this call closed the pair; if another path had, the error is
// ErrInvalidObject.
func (s *Store) close(ctx context.Context, op string) (bool, error) {
	s.mu.Lock()
	if s.state == storeClosed {
		s.mu.Unlock()
		return false, errLoggedOff(op)
	}
	s.state = storeReleased
	s.mu.Unlock()
	err := s.runTransports(ctx, op)
	s.endLocks(ctx)
	if !s.finish() {
		return false, errLoggedOff(op)
	}
	s.data.eng.detach(s)
	s.closeViews(ctx)
	return true, err
}

// finish closes the pair, drops the support object and takes the store
// off the provider's list, all at once under the provider's lock, so that
// a Logon never finds a closed store on the list. It reports whether this
// call did it: the first caller wins, whichever path it comes from.
func (s *Store) finish() bool {
	p := s.p
	p.mu.Lock()
	defer p.mu.Unlock()
	s.mu.Lock()
	if s.state == storeClosed {
		s.mu.Unlock()
		return false
	}
	s.state, s.sup = storeClosed, nil
	s.mu.Unlock()
	s.voidToken()
	if s.elem != nil {
		p.open.Remove(s.elem)
		s.elem = nil
	}
	if p.byUID[s.data.uid] == s {
		delete(p.byUID, s.data.uid)
	}
	p.stats.Logoffs++
	return true
}

// voidToken takes the spool token the store's logon issued, if unused,
// off the store's list of live tokens.
func (s *Store) voidToken() {
	if s.issued {
		s.data.void(s.token, s)
	}
}

// Logon is the Go form of this provider's IMSLogon object, paired 1:1
// with a *Store; its OpenEntry, CompareEntryIDs and Advise are the
// store's. It is safe for concurrent use.
type Logon struct {
	s *Store
}

// Store returns the paired store.
func (l *Logon) Store() *Store { return l.s }

// Logoff is IMSLogon::Logoff: close the pair and take the store off the
// provider's list. When Close has not run before it (a host logging a
// session off, or Shutdown), Support.StoreLogoffTransports runs first, as
// Close would run it. A second call returns ErrInvalidObject.
func (l *Logon) Logoff(ctx context.Context) error {
	_, err := l.s.close(ctx, "Logoff")
	return err
}

// OpenEntry is IMSLogon::OpenEntry, as Store.OpenEntry, until Logoff.
// MAPI calls it for an ID that carries the UID the logon registered; an
// ID of another store is ErrUnknownEntryID.
func (l *Logon) OpenEntry(ctx context.Context, id mapispi.EntryID, flags mapispi.OpenFlags) (mapispi.Object, error) {
	if err := l.s.checkLogon("OpenEntry"); err != nil {
		return nil, err
	}
	return l.s.openEntry(ctx, id, flags)
}

// CompareEntryIDs is IMSLogon::CompareEntryIDs, as Store.CompareEntryIDs,
// until Logoff.
func (l *Logon) CompareEntryIDs(a, b mapispi.EntryID) (bool, error) {
	if err := l.s.checkLogon("CompareEntryIDs"); err != nil {
		return false, err
	}
	return l.s.compareEntryIDs(a, b)
}

// OpenStatusEntry is IMSLogon::OpenStatusEntry: the store's status object,
// a read-only property bag with the status row's columns.
func (l *Logon) OpenStatusEntry(ctx context.Context, flags mapispi.OpenFlags) (mapispi.Object, error) {
	if err := l.s.checkLogon("OpenStatusEntry"); err != nil {
		return nil, err
	}
	if err := flags.Check(); err != nil {
		return nil, err
	}
	return newStatus(l.s), nil
}

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
// is logged off, and after its Close.
type status struct {
	s      *Store
	props  *mapiutil.PropData
	closed atomic.Bool
}

func newStatus(s *Store) *status {
	d := mapiutil.NewPropData()
	_, _ = d.SetProps(context.Background(), statusRow(s.data.displayName()))
	_ = d.SetObjAccess(mapiutil.AccessReadOnly)
	return &status{s: s, props: d}
}

func (st *status) check(op string) error {
	if st.closed.Load() {
		return mapispi.Errorf(mapispi.ErrInvalidObject, "msprovider", "status %s: the status object has been released", op)
	}
	return st.s.checkLogon("status " + op)
}

func (st *status) ObjectType() mapispi.ObjectType { return mapispi.ObjStatus }

func (st *status) GetProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropValue, error) {
	if err := st.check("GetProps"); err != nil {
		return nil, err
	}
	return st.props.GetProps(ctx, tags)
}

func (st *status) GetPropList(ctx context.Context) ([]mapispi.PropTag, error) {
	if err := st.check("GetPropList"); err != nil {
		return nil, err
	}
	return st.props.GetPropList(ctx)
}

// SetProps fails with ErrNoAccess: the status object is read-only.
func (st *status) SetProps(ctx context.Context, values []mapispi.PropValue) ([]mapispi.PropProblem, error) {
	if err := st.check("SetProps"); err != nil {
		return nil, err
	}
	return st.props.SetProps(ctx, values)
}

// DeleteProps fails with ErrNoAccess: the status object is read-only.
func (st *status) DeleteProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropProblem, error) {
	if err := st.check("DeleteProps"); err != nil {
		return nil, err
	}
	return st.props.DeleteProps(ctx, tags)
}

// Close releases the status object; a second Close is ErrInvalidObject.
func (st *status) Close(ctx context.Context) error {
	if !st.closed.CompareAndSwap(false, true) {
		return mapispi.Errorf(mapispi.ErrInvalidObject, "msprovider", "status Close: the status object has been released already")
	}
	return nil
}
