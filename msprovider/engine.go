package msprovider

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/mapiemu/mapiemu/mapispi"
)

// engine keeps the MAPI rules of one store over its Storage, once, for
// every logon of the store in every session: the cache of the folder tree
// and of each folder's messages that counts and tables need, change
// numbers, commits, tables, named properties and notifications.
//
// Lock order: engine.mu is taken after any Store's or object's own lock
// and never held while calling a Support or a sink. It is held while
// calling the Storage, which must not call back into the store.
type engine struct {
	uid  mapispi.UID
	key  []byte // storeKey
	st   Storage
	w    Writer // nil for a read-only storage
	name func() string

	mu         sync.Mutex
	loaded     bool
	next       ID     // the next free ID
	lastChange uint64 // the last change number given
	folders    map[ID]*fnode
	msgs       map[ID]*mnode // the messages of folders whose contents are loaded
	roles      [RoleDeletedItems + 1]ID
	named      namedMap
	receive    map[string]receiveRule // by lower-cased class
	stores     map[*Store]struct{}    // open logons, for notifications
	wrapped    mapispi.EntryID        // the wrapped store entry ID, for PR_STORE_ENTRYID
	hierTables int                    // folders' hierarchy tables with open views
	queue      []event                // notifications not yet delivered, in commit order
	sending    bool                   // a goroutine is delivering the queue

	// The outgoing queue (submit.go, spooler.go). Whether a message is
	// queued is in its stored PR_MESSAGE_FLAGS (MSGFLAG_SUBMIT); outgoing
	// indexes the queued messages of the whole store, read from the
	// storage on first use and kept by every commit after. Locks are the
	// engine's alone: they do not outlive it, nor the spooler's logon.
	outLoaded  bool
	outgoing   map[ID]ID     // queued message: its folder
	lastSubmit time.Time     // the latest PR_CLIENT_SUBMIT_TIME of a queued message
	locks      map[ID]*Store // locked message: the spooler logon that holds it
	qtable     *folderTable  // the queue's table data while a view of it is open
}

// fnode is what the engine knows of a folder.
type fnode struct {
	data       *FolderData
	kids       []ID // valid when kidsLoaded, in ID order
	kidsLoaded bool
	msgsLoaded bool
	msgIDs     map[ID]struct{} // valid when msgsLoaded
	count      int             // normal messages
	unread     int             // normal messages without MSGFLAG_READ
	assoc      int             // associated messages
	tables     [tableKinds]*folderTable
}

// mnode is what the engine knows of a message of a loaded folder.
type mnode struct {
	folder ID
	assoc  bool
	read   bool
	change uint64
	status mapispi.MessageStatus
	queued bool // MSGFLAG_SUBMIT: in the outgoing queue
}

// event is a notification waiting for delivery: to the store-wide
// subscriptions and, when key is set, to the object's.
type event struct {
	n    mapispi.Notification
	keys [][]byte
}

func newEngine(uid mapispi.UID, st Storage, name func() string) *engine {
	e := &engine{uid: uid, key: appendStoreID(nil, uid), st: st, name: name, folders: map[ID]*fnode{}, msgs: map[ID]*mnode{}, stores: map[*Store]struct{}{},
		locks: map[ID]*Store{}}
	e.w, _ = st.(Writer)
	return e
}

// readOnly reports whether the storage cannot be written.
func (e *engine) readOnly() bool { return e.w == nil }

// storageErr turns a Storage error into a MAPI one: ErrNotFound and other
// MAPI errors pass, anything else is ErrCallFailed.
func storageErr(op string, err error) error {
	var me *mapispi.Error
	if errors.As(err, &me) {
		return err
	}
	return &mapispi.Error{Code: mapispi.ErrCallFailed, Component: "msprovider storage", Message: op, Err: err}
}

// load reads what every call needs: the root, the special folders, the
// next ID, the named property map (e.mu held).
func (e *engine) load(ctx context.Context) error {
	if e.loaded {
		return nil
	}
	root, err := e.folder(ctx, RootID)
	if err != nil {
		return fmt.Errorf("msprovider: store %q has no root folder: %w", e.name(), err)
	}
	// The special folders are the root's children and the IPM subtree's.
	for _, id := range e.kidsOf(ctx, root) {
		f, err := e.folder(ctx, id)
		if err != nil {
			return err
		}
		e.noteRole(f)
		if f.data.Role == RoleIPMSubtree {
			for _, k := range e.kidsOf(ctx, f) {
				if g, err := e.folder(ctx, k); err == nil {
					e.noteRole(g)
				}
			}
		}
	}
	if e.w != nil {
		if e.next, err = e.w.NextID(ctx); err != nil {
			return storageErr("NextID", err)
		}
	}
	if ns, ok := e.st.(NameStorage); ok {
		names, err := ns.NamedProps(ctx)
		if err != nil {
			return storageErr("NamedProps", err)
		}
		e.named.load(names)
	}
	e.receiveDefaults()
	e.loaded = true
	return nil
}

func (e *engine) noteRole(f *fnode) {
	if r := f.data.Role; r != RoleNone && int(r) < len(e.roles) && e.roles[r] == 0 {
		e.roles[r] = f.data.ID
	}
}

// begin locks the engine and loads it; call e.mu.Unlock when done.
func (e *engine) begin(ctx context.Context) error {
	e.mu.Lock()
	if err := e.load(ctx); err != nil {
		e.mu.Unlock()
		return err
	}
	return nil
}

// change runs fn, a change of the store, with the engine locked and
// loaded, then delivers the notifications it queued.
func (e *engine) change(ctx context.Context, fn func() error) error {
	err := e.changeQuiet(ctx, fn)
	e.deliver(ctx)
	return err
}

// changeQuiet is change for a caller that holds a lock of its own (a
// message instance's): it queues the notifications and leaves them to
// the caller's e.deliver, which runs once that lock is released, so that
// no lock is held while the host's Notify runs a sink that may call back.
func (e *engine) changeQuiet(ctx context.Context, fn func() error) error {
	if err := e.begin(ctx); err != nil {
		return err
	}
	err := fn()
	e.mu.Unlock()
	return err
}

// folder returns the node of folder id, reading it on first use (e.mu
// held). A folder the storage lacks is ErrNotFound.
func (e *engine) folder(ctx context.Context, id ID) (*fnode, error) {
	if f := e.folders[id]; f != nil {
		return f, nil
	}
	d, err := e.st.Folder(ctx, id)
	if err != nil {
		return nil, storageErr("Folder", err)
	}
	if d == nil || d.ID != id {
		return nil, mapispi.Errorf(mapispi.ErrCallFailed, "msprovider storage", "Folder(%d) returned another folder", id)
	}
	f := &fnode{data: d}
	e.folders[id] = f
	return f, nil
}

// kidsOf returns the IDs of f's subfolders, reading them on first use
// (e.mu held). A storage error leaves the list empty and unloaded.
func (e *engine) kidsOf(ctx context.Context, f *fnode) []ID {
	if !f.kidsLoaded {
		ids, err := e.st.Subfolders(ctx, f.data.ID)
		if err != nil {
			return nil
		}
		ids = slices.Sorted(slices.Values(ids)) // a copy: the slice is the storage's
		f.kids, f.kidsLoaded = ids, true
	}
	return f.kids
}

// loadMsgs reads the folder's message list and each message's summary on
// first use (e.mu held).
func (e *engine) loadMsgs(ctx context.Context, f *fnode) error {
	if f.msgsLoaded {
		return nil
	}
	ids, err := e.st.Messages(ctx, f.data.ID)
	if err != nil {
		return storageErr("Messages", err)
	}
	nodes := make(map[ID]*mnode, len(ids))
	for _, id := range ids {
		d, err := e.st.Message(ctx, id)
		if err != nil {
			return storageErr("Message", err)
		}
		nodes[id] = summarize(d)
	}
	f.msgIDs = make(map[ID]struct{}, len(ids))
	for id, m := range nodes {
		e.msgs[id] = m
		f.msgIDs[id] = struct{}{}
		f.add(m, 1)
	}
	f.msgsLoaded = true
	return nil
}

// add counts m into f's counts (n 1) or out of them (n -1).
func (f *fnode) add(m *mnode, n int) {
	switch {
	case m.assoc:
		f.assoc += n
	default:
		f.count += n
		if !m.read {
			f.unread += n
		}
	}
}

// summarize returns what the engine keeps of a message in memory.
func summarize(d *MessageData) *mnode {
	flags := messageFlags(d)
	status, _ := propInt(d.Props, mapispi.PropMsgStatus)
	return &mnode{folder: d.Folder, assoc: d.Associated, read: flags&mapispi.MsgFlagRead != 0, change: d.Change, status: mapispi.MessageStatus(status),
		queued: flags&mapispi.MsgFlagSubmit != 0}
}

// message returns the message id in folder (e.mu held): ErrNotFound when
// it does not exist or is in another folder (an entry ID from before a
// move).
func (e *engine) message(ctx context.Context, folder, id ID) (*MessageData, *mnode, error) {
	f, err := e.folder(ctx, folder)
	if err != nil {
		return nil, nil, err
	}
	if err := e.loadMsgs(ctx, f); err != nil {
		return nil, nil, err
	}
	m := e.msgs[id]
	if m == nil || m.folder != folder {
		return nil, nil, notFound("message", id)
	}
	d, err := e.st.Message(ctx, id)
	if err != nil {
		return nil, nil, storageErr("Message", err)
	}
	return d, m, nil
}

// newIDs returns n new IDs (e.mu held); the commit that uses them
// records the new next ID.
func (e *engine) newIDs(n int) (ID, error) {
	if e.next+ID(n) > maxID {
		return 0, mapispi.Errorf(mapispi.ErrNotEnoughMemory, "msprovider", "store %q has used every ID", e.name())
	}
	id := e.next
	e.next += ID(n)
	return id, nil
}

// nextChange returns a new change number (e.mu held).
func (e *engine) nextChange() uint64 {
	e.lastChange++
	return e.lastChange
}

// commit writes c to the storage (e.mu held). On failure the cache is as
// it was.
func (e *engine) commit(ctx context.Context, c *Commit) error {
	if e.w == nil {
		return mapispi.Errorf(mapispi.ErrNoAccess, "msprovider", "store %q is read-only", e.name())
	}
	c.NextID = e.next
	if err := e.w.Commit(ctx, c); err != nil {
		return storageErr("Commit", err)
	}
	return nil
}

// folderID returns the entry ID of folder id.
func (e *engine) folderID(id ID) mapispi.EntryID { return folderEntryID(e.uid, id) }

// messageID returns the entry ID of message id in folder.
func (e *engine) messageID(folder, id ID) mapispi.EntryID { return messageEntryID(e.uid, folder, id) }

// storeKey is the key of store-wide subscriptions: the store's entry ID.
// Nothing changes it; Notify copies what it is given.
func (e *engine) storeKey() []byte { return e.key }

// post queues a notification (e.mu held); deliver sends it after the
// lock is released. objectKey may be nil for store-wide only.
func (e *engine) post(n mapispi.Notification, objectKey []byte) {
	keys := [][]byte{e.storeKey()}
	if objectKey != nil {
		keys = append(keys, objectKey)
	}
	e.queue = append(e.queue, event{n: n, keys: keys})
}

// deliver sends the queued notifications, in order, once to each
// session with the store open (see supports), without holding e.mu. One goroutine delivers at a time; a notification queued
// while it does (by a sink that re-entered the store, say) is sent by it
// before it returns.
func (e *engine) deliver(ctx context.Context) {
	e.mu.Lock()
	if e.sending {
		e.mu.Unlock()
		return
	}
	e.sending = true
	for len(e.queue) > 0 {
		batch := e.queue
		e.queue = nil
		sups := e.supports()
		e.mu.Unlock()
		for _, ev := range batch {
			for _, sup := range sups {
				for _, k := range ev.keys {
					_, _ = sup.Notify(context.WithoutCancel(ctx), k, []mapispi.Notification{ev.n})
				}
			}
		}
		e.mu.Lock()
	}
	e.sending = false
	e.mu.Unlock()
}

// supports returns the support objects to notify through: one per
// session with the store open (e.mu held). A session's subscriptions
// are its own, and reach every support object of its logons, so a
// spooler's logon is skipped while the client logon that issued its
// token is open in the same session; a session with only the spooler's
// logon left is reached through it.
func (e *engine) supports() []mapispi.Support {
	var out []mapispi.Support
	for s := range e.stores {
		if _, open := e.stores[s.issuer]; s.spooler && open {
			continue
		}
		if sup := s.support(); sup != nil && !slices.Contains(out, sup) {
			out = append(out, sup)
		}
	}
	return out
}

// attach registers an open logon of the store.
func (e *engine) attach(s *Store) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stores[s] = struct{}{}
	if e.wrapped == nil {
		e.wrapped = s.wrapped
	}
}

// detach unregisters a logon.
func (e *engine) detach(s *Store) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.stores, s)
}

// now is the store's clock, in the precision PT_SYSTIME keeps.
func now() time.Time { return time.Now().UTC().Truncate(100 * time.Nanosecond) }

// changeKey returns a PR_CHANGE_KEY: the store's GUID and the change
// number, an XID ([MS-OXCFXICS] 2.2.2.2) of 22 bytes.
func (e *engine) changeKey(n uint64) []byte {
	b := make([]byte, 0, 22)
	b = append(b, e.uid[:]...)
	var c [8]byte
	binary.BigEndian.PutUint64(c[:], n)
	return append(b, c[2:]...)
}

// predecessors returns a PR_PREDECESSOR_CHANGE_LIST holding change key
// k: one SizedXid, as the store has one replica GUID.
func predecessors(k []byte) []byte {
	return append([]byte{byte(len(k))}, k...)
}

// propInt returns the PT_LONG value of tag in props.
func propInt(props []mapispi.PropValue, tag mapispi.PropTag) (int32, bool) {
	for _, v := range props {
		if v.Tag.ID() == tag.ID() {
			n, ok := v.Value.(int32)
			return n, ok
		}
	}
	return 0, false
}

// propString returns the string value of tag (either string type).
func propString(props []mapispi.PropValue, tag mapispi.PropTag) (string, bool) {
	for _, v := range props {
		if v.Tag.ID() == tag.ID() {
			s, ok := v.Value.(string)
			return s, ok
		}
	}
	return "", false
}

// findID returns the index of the value with tag's ID, or -1.
func findID(props []mapispi.PropValue, tag mapispi.PropTag) int {
	for i, v := range props {
		if v.Tag.ID() == tag.ID() {
			return i
		}
	}
	return -1
}

// setProp returns props with v replacing the value of v's ID, or added.
func setProp(props []mapispi.PropValue, v mapispi.PropValue) []mapispi.PropValue {
	if i := findID(props, v.Tag); i >= 0 {
		props[i] = v
		return props
	}
	return append(props, v)
}

// messageFlags returns the stored PR_MESSAGE_FLAGS of d.
func messageFlags(d *MessageData) mapispi.MessageFlags {
	n, _ := propInt(d.Props, mapispi.PropMessageFlags)
	return mapispi.MessageFlags(n)
}

// storeFolderProps returns the store properties that name its special
// folders: PR_VALID_FOLDER_MASK and the entry IDs of the IPM subtree,
// Outbox, Sent Items and Deleted Items that the store has.
func (e *engine) storeFolderProps(ctx context.Context) []mapispi.PropValue {
	e.mu.Lock()
	defer e.mu.Unlock()
	_ = e.load(ctx)
	var mask mapispi.ValidFolderMask
	var props []mapispi.PropValue
	for _, r := range []struct {
		role Role
		bit  mapispi.ValidFolderMask
		tag  mapispi.PropTag
	}{
		{RoleIPMSubtree, mapispi.FolderIPMSubtreeValid, mapispi.PropIPMSubtreeEntryID},
		{RoleInbox, mapispi.FolderIPMInboxValid, 0},
		{RoleOutbox, mapispi.FolderIPMOutboxValid, mapispi.PropIPMOutboxEntryID},
		{RoleSentItems, mapispi.FolderIPMSentMailValid, mapispi.PropIPMSentMailEntryID},
		{RoleDeletedItems, mapispi.FolderIPMWastebasketValid, mapispi.PropIPMWastebasketEntryID},
	} {
		id := e.roles[r.role]
		if id == 0 {
			continue
		}
		mask |= r.bit
		if r.tag != 0 {
			props = append(props, mapispi.PropValue{Tag: r.tag, Value: []byte(e.folderID(id))})
		}
	}
	return append(props, mapispi.PropValue{Tag: mapispi.PropValidFolderMask, Value: int32(mask)})
}
