package spitest_test

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapispi/spitest"
	"github.com/mapiemu/mapiemu/msprovider"
)

// This file wraps the reference provider's objects so that a breakage
// can change one behaviour and pass everything else through: a broken
// provider that breaks one rule.

// breakage is one way of breaking a rule; every hook is optional.
type breakage struct {
	name  string
	fails []string // the cases the kit must fail, and no others

	// initParams changes what MSProviderInit receives.
	initParams func(p *mapispi.InitParams) *mapispi.InitParams
	// init wraps the InitFunc.
	init func(wd *world, next mapispi.InitFunc) mapispi.InitFunc
	// logon replaces Logon; w.logon is the pass-through.
	logon func(w *wprov, ctx context.Context, sup mapispi.Support, req *mapispi.LogonRequest) (*mapispi.LogonResult, error)
	// spoolerLogon replaces SpoolerLogon; w.spoolerLogon is the pass-through.
	spoolerLogon func(w *wprov, ctx context.Context, sup mapispi.Support, req *mapispi.SpoolerLogonRequest) (*mapispi.LogonResult, error)
	// support wraps the support object the reference provider gets.
	support func(sup mapispi.Support) mapispi.Support
	// compare replaces CompareStoreIDs; next is the reference's.
	compare func(w *wprov, a, b mapispi.EntryID, next func(a, b mapispi.EntryID) (bool, error)) (bool, error)
	// entryIDs replaces the logon's and the store's CompareEntryIDs.
	entryIDs func(a, b mapispi.EntryID, next func(a, b mapispi.EntryID) (bool, error)) (bool, error)
	// sameStore changes the answer of all three comparisons, alike.
	sameStore func(a, b mapispi.EntryID, same bool) bool
	// shutdown replaces Shutdown.
	shutdown func(w *wprov, ctx context.Context) error
	// getProps and getPropList change what the store's methods return.
	getProps    func(s *wstore, vals []mapispi.PropValue, err error) ([]mapispi.PropValue, error)
	getPropList func(s *wstore, tags []mapispi.PropTag, err error) ([]mapispi.PropTag, error)
	// logonOpenEntry changes what the logon's OpenEntry returns.
	logonOpenEntry func(obj mapispi.Object, err error) (mapispi.Object, error)
	// keepEntryID makes the store compute PR_ENTRYID from the slice Logon
	// was given.
	keepEntryID bool

	// The hooks of the objects under the store (wrap_objects_test.go).

	// mask changes the store's PR_STORE_SUPPORT_MASK.
	mask func(m mapispi.StoreSupportMask) mapispi.StoreSupportMask
	// noNamedProps hides mapispi.NamedProps on folders, messages and
	// attachments.
	noNamedProps bool
	// openEntry replaces the OpenEntry of the store, the logon and the
	// folders; next is the reference's.
	openEntry func(ctx context.Context, id mapispi.EntryID, flags mapispi.OpenFlags, next func(mapispi.OpenFlags) (mapispi.Object, error)) (mapispi.Object, error)
	// deleteFolder and copyFolder change the flags the folder methods pass on.
	deleteFolder func(flags mapispi.DeleteFolderFlags) mapispi.DeleteFolderFlags
	copyFolder   func(flags mapispi.CopyFolderFlags) mapispi.CopyFolderFlags
	// folderProps changes what a folder's GetProps returns.
	folderProps func(tags []mapispi.PropTag, vals []mapispi.PropValue) []mapispi.PropValue
	// contentsTable and hierarchyTable change the flags a folder's table
	// methods pass on.
	contentsTable  func(flags mapispi.TableFlags) mapispi.TableFlags
	hierarchyTable func(flags mapispi.TableFlags) mapispi.TableFlags
	// saveMessage changes the flags a message's SaveChanges passes on.
	saveMessage func(flags mapispi.SaveFlags) mapispi.SaveFlags
	// messageProblems changes the problems a message's SetProps returns.
	messageProblems func(probs []mapispi.PropProblem) []mapispi.PropProblem
	// modifyRecipients replaces a message's ModifyRecipients; next is the
	// reference's.
	modifyRecipients func(m *wmessage, ctx context.Context, flags mapispi.ModRecipFlags, rows []mapispi.Row) error
	// attachmentTable changes a message's attachment table.
	attachmentTable func(ctx context.Context, t mapispi.Table) mapispi.Table
	// openProperty replaces the OpenProperty of messages and attachments;
	// next is the reference's.
	openProperty func(ctx context.Context, tag mapispi.PropTag, iface mapispi.UID, flags mapispi.OpenFlags, next func(mapispi.OpenFlags) (any, error)) (any, error)
	// idsFromNames changes the create flag of every IDsFromNames.
	idsFromNames func(create bool) bool

	// The hooks of sending and receiving (wrap_send_test.go); next is
	// the reference's method.

	// messageProps changes what a message's GetProps returns.
	messageProps func(tags []mapispi.PropTag, vals []mapispi.PropValue) []mapispi.PropValue
	// submitMessage replaces a message's SubmitMessage.
	submitMessage func(m *wmessage, ctx context.Context, flags mapispi.SubmitMessageFlags, next func() error) error
	// outgoingQueue replaces a store's OutgoingQueue.
	outgoingQueue func(s *wstore, ctx context.Context, next func() (mapispi.Table, error)) (mapispi.Table, error)
	// abortSubmit replaces a store's AbortSubmit.
	abortSubmit func(s *wstore, ctx context.Context, id mapispi.EntryID, next func() error) error
	// finishedMsg replaces a store's FinishedMsg.
	finishedMsg func(s *wstore, ctx context.Context, id mapispi.EntryID, next func() error) error
	// notifyNewMail replaces a store's NotifyNewMail.
	notifyNewMail func(s *wstore, ctx context.Context, n *mapispi.Notification, next func() error) error
	// noSpoolerStore and noReceiveFolders hide mapispi.SpoolerStore and
	// mapispi.ReceiveFolders on stores, noSubmitter mapispi.Submitter on
	// messages.
	noSpoolerStore, noReceiveFolders, noSubmitter bool
	// receiveFolder replaces a store's ReceiveFolder; next asks the
	// reference about any class.
	receiveFolder func(ctx context.Context, class string, next func(class string) (mapispi.EntryID, string, error)) (mapispi.EntryID, string, error)
}

// world is one test's backend and the state breakages share between
// provider objects, as a DLL's globals are shared.
type world struct {
	backend *msprovider.Backend
	b       *breakage

	mu       sync.Mutex
	cached   *wprov
	tokens   map[string][]byte
	spoolers map[string]*wstore // the spooler's stores, by storeKey
}

// newWorld returns the broken provider's InitFunc and the kit's Options.
func newWorld(b *breakage) (*world, mapispi.InitFunc, *spitest.Options) {
	wd := &world{backend: msprovider.NewBackend(msprovider.WithPasswordIterations(1)), b: b, tokens: map[string][]byte{}, spoolers: map[string]*wstore{}}
	init := mapispi.InitFunc(wd.baseInit)
	if b.init != nil {
		init = b.init(wd, init)
	}
	return wd, init, storeOptions(wd.backend)
}

func (wd *world) baseInit(ctx context.Context, p *mapispi.InitParams) (mapispi.MSProvider, mapispi.Version, error) {
	if wd.b.initParams != nil {
		p = wd.b.initParams(p)
	}
	obj, v, err := wd.backend.Init(ctx, p)
	if err != nil {
		return nil, v, err
	}
	return &wprov{wd: wd, b: wd.b, inner: obj, params: *p, stores: map[mapispi.MsgStore]*wstore{}, listed: map[string]*wstore{}}, v, nil
}

// wprov wraps a reference provider object.
type wprov struct {
	wd     *world
	b      *breakage
	inner  mapispi.MSProvider
	params mapispi.InitParams // what MSProviderInit got

	mu     sync.Mutex
	stores map[mapispi.MsgStore]*wstore
	leaked [][]byte
	extra  []mapispi.MSProvider // more reference provider objects a breakage made; shut down with this one
	listed map[string]*wstore   // a breakage's own list of open stores, by storeKey

	shut     atomic.Bool // Shutdown was called
	down     atomic.Bool // a breakage's Shutdown refuses later calls
	opened   atomic.Bool // a client store was opened once
	open     atomic.Int32
	inflight atomic.Int32 // Logons under way
}

var _ mapispi.MSProvider = (*wprov)(nil)

func errDown() error {
	return mapispi.Errorf(mapispi.ErrInvalidObject, "broken", "the provider has been shut down")
}

func (w *wprov) sup(sup mapispi.Support) mapispi.Support {
	if w.b.support != nil {
		return w.b.support(sup)
	}
	return sup
}

func (w *wprov) Logon(ctx context.Context, sup mapispi.Support, req *mapispi.LogonRequest) (*mapispi.LogonResult, error) {
	if w.down.Load() {
		return nil, errDown()
	}
	if w.b.logon != nil {
		return w.b.logon(w, ctx, sup, req)
	}
	return w.logon(ctx, sup, req)
}

// logon is the reference provider's Logon, its results wrapped.
func (w *wprov) logon(ctx context.Context, sup mapispi.Support, req *mapispi.LogonRequest) (*mapispi.LogonResult, error) {
	res, err := w.inner.Logon(ctx, w.sup(sup), req)
	if err != nil {
		return nil, err
	}
	return w.wrap(res, req.EntryID, true), nil
}

func (w *wprov) SpoolerLogon(ctx context.Context, sup mapispi.Support, req *mapispi.SpoolerLogonRequest) (*mapispi.LogonResult, error) {
	if w.down.Load() {
		return nil, errDown()
	}
	if w.b.spoolerLogon != nil {
		return w.b.spoolerLogon(w, ctx, sup, req)
	}
	return w.spoolerLogon(ctx, sup, req)
}

func (w *wprov) spoolerLogon(ctx context.Context, sup mapispi.Support, req *mapispi.SpoolerLogonRequest) (*mapispi.LogonResult, error) {
	res, err := w.inner.SpoolerLogon(ctx, w.sup(sup), req)
	if err != nil {
		return nil, err
	}
	out := w.wrap(res, nil, false)
	if key, ok := storeKey(req.EntryID); ok {
		w.mu.Lock()
		ws := w.stores[res.Store]
		w.mu.Unlock()
		w.wd.mu.Lock()
		w.wd.spoolers[key] = ws
		w.wd.mu.Unlock()
	}
	return out, nil
}

// wrap returns res with the store and logon wrapped; a store the wrapper
// has seen gets the same wrapper.
func (w *wprov) wrap(res *mapispi.LogonResult, id mapispi.EntryID, client bool) *mapispi.LogonResult {
	w.mu.Lock()
	ws := w.stores[res.Store]
	if ws == nil {
		ws = &wstore{w: w, inner: res.Store, client: client}
		ws.key, _ = storeKey(id)
		ws.face = ws.hiding()
		ws.logon.s = ws
		if w.b.keepEntryID {
			ws.kept = id
		}
		w.stores[res.Store] = ws
	}
	if res.Logon != nil {
		ws.logon.inner = res.Logon
		if client {
			w.opened.Store(true)
			w.open.Add(1)
		}
	}
	w.mu.Unlock()
	out := *res
	out.Store = ws.face
	if res.Logon != nil {
		out.Logon = &ws.logon
	}
	return &out
}

func (w *wprov) CompareStoreIDs(a, b mapispi.EntryID) (bool, error) {
	if w.down.Load() {
		return false, errDown()
	}
	next := w.inner.CompareStoreIDs
	if w.b.sameStore != nil {
		next = w.ruled(next)
	}
	if w.b.compare != nil {
		return w.b.compare(w, a, b, next)
	}
	return next(a, b)
}

// ruled applies the breakage's sameStore rule to a comparison of two
// store IDs; the IDs of folders and messages compare as the reference
// compares them.
func (w *wprov) ruled(next func(a, b mapispi.EntryID) (bool, error)) func(a, b mapispi.EntryID) (bool, error) {
	return func(a, b mapispi.EntryID) (bool, error) {
		same, err := next(a, b)
		if err != nil {
			return false, err
		}
		if !isStoreID(a) || !isStoreID(b) {
			return same, nil
		}
		return w.b.sameStore(a, b, same), nil
	}
}

// isStoreID reports whether id has the form of a reference store ID,
// unwrapped or wrapped.
func isStoreID(id mapispi.EntryID) bool {
	if _, ok := storeKey(id); ok {
		return true
	}
	return len(id) >= 20 && mapispi.UID(id[4:20]) == entryid.StoreWrapUID
}

func (w *wprov) Shutdown(ctx context.Context) error {
	w.shut.Store(true)
	if w.b.shutdown != nil {
		return w.b.shutdown(w, ctx)
	}
	w.mu.Lock()
	extra := slices.Clone(w.extra)
	w.mu.Unlock()
	err := w.inner.Shutdown(ctx)
	for _, x := range extra {
		_ = x.Shutdown(ctx)
	}
	return err
}

// wstore wraps a reference store.
type wstore struct {
	w      *wprov
	inner  mapispi.MsgStore
	logon  wlogon
	client bool
	key    string           // storeKey of a client's store
	face   mapispi.MsgStore // what Logon hands out: the store, or one that hides an interface
	kept   mapispi.EntryID
	closed atomic.Bool

	mu   sync.Mutex
	last []mapispi.PropValue
	list []mapispi.PropTag
}

var _ mapispi.MsgStore = (*wstore)(nil)

// closing counts the store closed once.
func (s *wstore) closing() {
	if s.closed.CompareAndSwap(false, true) && s.client {
		s.w.open.Add(-1)
	}
}

func (s *wstore) ObjectType() mapispi.ObjectType { return s.inner.ObjectType() }

func (s *wstore) GetProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropValue, error) {
	vals, err := s.inner.GetProps(ctx, tags)
	if s.kept != nil && err == nil {
		for i, v := range vals {
			if v.Tag == mapispi.PropEntryID {
				vals[i].Value = []byte(wrapStore(s.kept))
			}
		}
	}
	for i, v := range vals {
		m, ok := v.Value.(int32)
		if !ok || v.Tag != mapispi.PropStoreSupportMask {
			continue
		}
		mask := mapispi.StoreSupportMask(m)
		if s.w.b.mask != nil {
			mask = s.w.b.mask(mask)
		}
		vals[i].Value = int32(mask)
	}
	if s.w.b.getProps != nil {
		return s.w.b.getProps(s, vals, err)
	}
	return vals, err
}

func (s *wstore) GetPropList(ctx context.Context) ([]mapispi.PropTag, error) {
	tags, err := s.inner.GetPropList(ctx)
	if s.w.b.getPropList != nil {
		return s.w.b.getPropList(s, tags, err)
	}
	return tags, err
}

func (s *wstore) SetProps(ctx context.Context, values []mapispi.PropValue) ([]mapispi.PropProblem, error) {
	return s.inner.SetProps(ctx, values)
}

func (s *wstore) DeleteProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropProblem, error) {
	return s.inner.DeleteProps(ctx, tags)
}

func (s *wstore) OpenEntry(ctx context.Context, id mapispi.EntryID, flags mapispi.OpenFlags) (mapispi.Object, error) {
	return s.w.openEntry(ctx, s.inner.OpenEntry, id, flags)
}

func (s *wstore) CompareEntryIDs(a, b mapispi.EntryID) (bool, error) {
	return s.w.compareEntryIDs(s.inner.CompareEntryIDs, a, b)
}

func (w *wprov) compareEntryIDs(next func(a, b mapispi.EntryID) (bool, error), a, b mapispi.EntryID) (bool, error) {
	if w.b.sameStore != nil {
		next = w.ruled(next)
	}
	if w.b.entryIDs != nil {
		return w.b.entryIDs(a, b, next)
	}
	return next(a, b)
}

func (s *wstore) StoreLogoff(ctx context.Context, flags mapispi.LogoffFlags) (mapispi.LogoffFlags, error) {
	out, err := s.inner.StoreLogoff(ctx, flags)
	if err == nil && out&mapispi.LogoffComplete != 0 {
		s.closing()
	}
	return out, err
}

func (s *wstore) Close(ctx context.Context) error {
	err := s.inner.Close(ctx)
	if err == nil {
		s.closing()
	}
	return err
}

// wlogon wraps a reference logon.
type wlogon struct {
	s     *wstore
	inner mapispi.MSLogon
}

var _ mapispi.MSLogon = (*wlogon)(nil)

func (l *wlogon) Logoff(ctx context.Context) error {
	err := l.inner.Logoff(ctx)
	if err == nil {
		l.s.closing()
	}
	return err
}

func (l *wlogon) OpenEntry(ctx context.Context, id mapispi.EntryID, flags mapispi.OpenFlags) (mapispi.Object, error) {
	obj, err := l.s.w.openEntry(ctx, l.inner.OpenEntry, id, flags)
	if l.s.w.b.logonOpenEntry != nil {
		return l.s.w.b.logonOpenEntry(obj, err)
	}
	return obj, err
}

func (l *wlogon) CompareEntryIDs(a, b mapispi.EntryID) (bool, error) {
	return l.s.w.compareEntryIDs(l.inner.CompareEntryIDs, a, b)
}

func (l *wlogon) OpenStatusEntry(ctx context.Context, flags mapispi.OpenFlags) (mapispi.Object, error) {
	return l.inner.OpenStatusEntry(ctx, flags)
}

// supportFunc overrides some of a support object's methods.
type supportFunc struct {
	mapispi.Support
	modifyStatusRow       func(ctx context.Context, values []mapispi.PropValue, flags mapispi.StatusRowFlags) error
	storeLogoffTransports func(ctx context.Context, flags mapispi.LogoffFlags) (mapispi.LogoffFlags, error)
	notify                func(ctx context.Context, key []byte, notifications []mapispi.Notification) (mapispi.NotifyFlags, error)
}

func (s *supportFunc) Notify(ctx context.Context, key []byte, notifications []mapispi.Notification) (mapispi.NotifyFlags, error) {
	if s.notify != nil {
		return s.notify(ctx, key, notifications)
	}
	return s.Support.Notify(ctx, key, notifications)
}

func (s *supportFunc) ModifyStatusRow(ctx context.Context, values []mapispi.PropValue, flags mapispi.StatusRowFlags) error {
	if s.modifyStatusRow != nil {
		return s.modifyStatusRow(ctx, values, flags)
	}
	return s.Support.ModifyStatusRow(ctx, values, flags)
}

func (s *supportFunc) StoreLogoffTransports(ctx context.Context, flags mapispi.LogoffFlags) (mapispi.LogoffFlags, error) {
	if s.storeLogoffTransports != nil {
		return s.storeLogoffTransports(ctx, flags)
	}
	return s.Support.StoreLogoffTransports(ctx, flags)
}

// cloneValues copies vals and their binary values.
func cloneValues(vals []mapispi.PropValue) []mapispi.PropValue {
	out := slices.Clone(vals)
	for i, v := range out {
		if b, ok := v.Value.([]byte); ok {
			out[i].Value = slices.Clone(b)
		}
	}
	return out
}

// wrapStore is the wrapped form of a reference store ID.
func wrapStore(id mapispi.EntryID) mapispi.EntryID { return entryid.WrapStore(msprovider.DLLName, id) }
