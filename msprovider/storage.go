package msprovider

import (
	"context"
	"slices"
	"sync"

	"github.com/mapiemu/mapiemu/mapispi"
)

// ID names a folder or message of one store for good: the 48-bit global
// counter of its [MS-OXCDATA] 2.2.4 Folder or Message EntryID. IDs are
// never reused within a store; 0 names nothing.
type ID uint64

// RootID is the ID of every store's root folder, the folder a nil entry
// ID opens.
const RootID ID = 1

// maxID is the largest ID an entry ID can carry.
const maxID ID = 1<<48 - 1

// Role says which of the folders MAPI clients look for a folder is.
type Role uint8

// Folder roles. The store publishes the entry IDs of the root's
// RoleIPMSubtree child and of that folder's RoleOutbox, RoleSentItems and
// RoleDeletedItems children as PR_IPM_SUBTREE_ENTRYID,
// PR_IPM_OUTBOX_ENTRYID, PR_IPM_SENTMAIL_ENTRYID and
// PR_IPM_WASTEBASKET_ENTRYID, with PR_VALID_FOLDER_MASK saying which it
// has; RoleInbox is the receive folder of class "IPM".
const (
	RoleNone Role = iota
	RoleIPMSubtree
	RoleInbox
	RoleOutbox
	RoleSentItems
	RoleDeletedItems
)

// FolderData is what a Storage holds about a folder: its place in the
// tree and its stored properties (PR_DISPLAY_NAME, PR_COMMENT,
// PR_CONTAINER_CLASS, PR_FOLDER_TYPE and any a client set). The store
// computes the rest (entry IDs, counts, PR_SUBFOLDERS, access).
//
// A FolderData handed to or returned by a Storage is never changed
// afterwards, by either side: a change is a new FolderData.
type FolderData struct {
	ID     ID
	Parent ID // 0 for the root
	Role   Role
	Props  []mapispi.PropValue
}

// MessageData is what a Storage holds about a message: its stored
// properties, recipients and attachments. The store computes the rest
// (entry IDs, PR_MESSAGE_SIZE, PR_HASATTACH, PR_DISPLAY_TO and so on).
// Props holds PR_MESSAGE_FLAGS, PR_MSG_STATUS, PR_CREATION_TIME,
// PR_LAST_MODIFICATION_TIME, PR_CHANGE_KEY and PR_PREDECESSOR_CHANGE_LIST
// as the store last set them.
//
// A MessageData handed to or returned by a Storage is never changed
// afterwards, by either side: a change is a new MessageData.
type MessageData struct {
	ID         ID
	Folder     ID // 0 for an embedded message
	Associated bool
	// Change is the change number of the message's last save, which the
	// store sets: a save over a newer save is ErrObjectChanged.
	Change      uint64
	Props       []mapispi.PropValue
	Recipients  []mapispi.Row // each recipient's properties, PR_ROWID excluded
	Attachments []AttachmentData
}

// AttachmentData is one attachment of a MessageData: its properties (for
// ATTACH_BY_VALUE, PR_ATTACH_DATA_BIN holds the data) and, for
// ATTACH_EMBEDDED_MSG, the embedded message.
type AttachmentData struct {
	Num      int
	Props    []mapispi.PropValue
	Embedded *MessageData
}

// Storage is the seam between the MAPI rules this package keeps
// (transactions, computed properties, tables, notifications, access) and
// where a store's data lives. NewBackend's stores keep theirs in memory;
// Backend.AddStore makes a MAPI store of any Storage, so that a provider
// author who has "data to show as a store" writes these four methods,
// not the SPI. A Storage without Commit (see Writer) gives a read-only
// store.
//
// A Storage has at least the root folder, RootID. Its methods may be
// called from many goroutines at once, but never while another call of
// the same store's Commit runs, and they must not call back into MAPI
// objects of the store. ErrNotFound (a *mapispi.Error, or any error
// errors.Is finds it in) says an object does not exist.
type Storage interface {
	// Folder returns the folder id names.
	Folder(ctx context.Context, id ID) (*FolderData, error)
	// Subfolders returns the IDs of the folder's child folders, in any
	// order (the store lists them by ID, which is creation order for the
	// folders it makes). The store does not change the slice.
	Subfolders(ctx context.Context, id ID) ([]ID, error)
	// Messages returns the IDs of the folder's messages, normal and
	// associated, in any order. The store does not change the slice.
	Messages(ctx context.Context, folder ID) ([]ID, error)
	// Message returns the message id names.
	Message(ctx context.Context, id ID) (*MessageData, error)
}

// Writer is a Storage that can be changed: the store calls Commit with
// every change of one MAPI call (a message's SaveChanges, a folder's
// CreateFolder or CopyMessages...) at once, and with one call at a time.
// A Commit that fails must change nothing.
type Writer interface {
	Storage
	Commit(ctx context.Context, c *Commit) error
	// NextID returns the first ID no object of the store has had, at
	// least RootID+1.
	NextID(ctx context.Context) (ID, error)
}

// Commit is one atomic change of a Writer's data.
type Commit struct {
	Folders  []*FolderData  // folders to add or replace
	Messages []*MessageData // messages to add or replace (a moved message has its new Folder)
	Deleted  []ID           // folders and messages to delete
	// NextID is the store's first unused ID after the commit.
	NextID ID
	// Names are named properties the commit maps, in order: the first
	// gets the ID after the last one the store had (see NameStorage).
	Names []mapispi.PropName
}

// NameStorage is implemented by a Storage that keeps the store's named
// property map: NamedProps returns the names mapped so far, the first
// with ID 0x8000 (mapispi.NamedPropIDMin), the next with 0x8001 and so
// on. A store over a Storage without it starts each time with an empty
// map, which lives as long as the store does in its Backend.
type NameStorage interface {
	NamedProps(ctx context.Context) ([]mapispi.PropName, error)
}

// memStorage is the in-memory Writer of NewBackend's stores.
type memStorage struct {
	mu       sync.RWMutex
	folders  map[ID]*FolderData
	children map[ID][]ID
	messages map[ID]*MessageData
	contents map[ID]map[ID]struct{} // folder ID: its messages
	names    []mapispi.PropName
	next     ID
}

var (
	_ Writer      = (*memStorage)(nil)
	_ NameStorage = (*memStorage)(nil)
)

func newMemStorage() *memStorage {
	return &memStorage{
		folders:  map[ID]*FolderData{},
		children: map[ID][]ID{},
		messages: map[ID]*MessageData{},
		contents: map[ID]map[ID]struct{}{},
		next:     RootID,
	}
}

func notFound(what string, id ID) error {
	return mapispi.Errorf(mapispi.ErrNotFound, "msprovider", "no %s with ID %d", what, id)
}

func (m *memStorage) Folder(ctx context.Context, id ID) (*FolderData, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if f := m.folders[id]; f != nil {
		return f, nil
	}
	return nil, notFound("folder", id)
}

func (m *memStorage) Subfolders(ctx context.Context, id ID) ([]ID, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.folders[id] == nil {
		return nil, notFound("folder", id)
	}
	return slices.Clone(m.children[id]), nil
}

func (m *memStorage) Messages(ctx context.Context, folder ID) ([]ID, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.folders[folder] == nil {
		return nil, notFound("folder", folder)
	}
	ids := make([]ID, 0, len(m.contents[folder]))
	for id := range m.contents[folder] {
		ids = append(ids, id)
	}
	return ids, nil
}

func (m *memStorage) Message(ctx context.Context, id ID) (*MessageData, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if d := m.messages[id]; d != nil {
		return d, nil
	}
	return nil, notFound("message", id)
}

func (m *memStorage) NextID(ctx context.Context) (ID, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return max(m.next, RootID+1), nil
}

func (m *memStorage) NamedProps(ctx context.Context) ([]mapispi.PropName, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return slices.Clone(m.names), nil
}

// Commit applies c. It cannot fail once its arguments are checked, so it
// checks them all first.
func (m *memStorage) Commit(ctx context.Context, c *Commit) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, id := range c.Deleted {
		if f := m.folders[id]; f != nil {
			delete(m.folders, id)
			delete(m.children, id)
			delete(m.contents, id)
			if f.Parent != 0 {
				m.children[f.Parent] = remove(m.children[f.Parent], id)
			}
		} else if d := m.messages[id]; d != nil {
			delete(m.messages, id)
			delete(m.contents[d.Folder], id)
		}
	}
	for _, f := range c.Folders {
		old := m.folders[f.ID]
		switch {
		case old == nil && f.Parent != 0:
			m.children[f.Parent] = append(m.children[f.Parent], f.ID)
		case old != nil && old.Parent != f.Parent:
			m.children[old.Parent] = remove(m.children[old.Parent], f.ID)
			m.children[f.Parent] = append(m.children[f.Parent], f.ID)
		}
		m.folders[f.ID] = f
	}
	for _, d := range c.Messages {
		if old := m.messages[d.ID]; old != nil && old.Folder != d.Folder {
			delete(m.contents[old.Folder], d.ID)
		}
		if m.contents[d.Folder] == nil {
			m.contents[d.Folder] = map[ID]struct{}{}
		}
		m.contents[d.Folder][d.ID] = struct{}{}
		m.messages[d.ID] = d
	}
	m.names = append(m.names, c.Names...)
	m.next = max(m.next, c.NextID)
	return nil
}

// remove returns ids without id, in place.
func remove(ids []ID, id ID) []ID {
	if i := slices.Index(ids, id); i >= 0 {
		return slices.Delete(ids, i, i+1)
	}
	return ids
}

// The folders of a new store, as CreateStore makes them.
const (
	ipmSubtreeID ID = RootID + 1 + iota
	inboxID
	outboxID
	sentItemsID
	deletedItemsID
)

// newMailbox returns the storage of a new in-memory store: the root
// folder, the IPM subtree and its Inbox, Outbox, Sent Items and Deleted
// Items, named as Outlook names them in English.
func newMailbox() *memStorage {
	m := newMemStorage()
	folder := func(id, parent ID, role Role, name string) *FolderData {
		props := []mapispi.PropValue{{Tag: mapispi.PropDisplayName, Value: name}}
		if role != RoleIPMSubtree && parent != 0 {
			props = append(props, mapispi.PropValue{Tag: mapispi.PropContainerClass, Value: "IPF.Note"})
		}
		return &FolderData{ID: id, Parent: parent, Role: role, Props: props}
	}
	_ = m.Commit(context.Background(), &Commit{
		Folders: []*FolderData{
			folder(RootID, 0, RoleNone, ""),
			folder(ipmSubtreeID, RootID, RoleIPMSubtree, "Top of Information Store"),
			folder(inboxID, ipmSubtreeID, RoleInbox, "Inbox"),
			folder(outboxID, ipmSubtreeID, RoleOutbox, "Outbox"),
			folder(sentItemsID, ipmSubtreeID, RoleSentItems, "Sent Items"),
			folder(deletedItemsID, ipmSubtreeID, RoleDeletedItems, "Deleted Items"),
		},
		NextID: deletedItemsID + 1,
	})
	return m
}
