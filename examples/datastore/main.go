// Datastore turns a small read-only data set, a few notes, into a MAPI
// message store by implementing msprovider.Storage (four methods that hand
// out folders and messages), not the provider SPI: Backend.AddStore makes
// it a store that keeps MAPI's rules (entry IDs, computed properties,
// tables, access), read-only since notes is no msprovider.Writer. This
// file is all it takes; client.go lists the store through MAPI.
//
//	go run ./examples/datastore
package main

import (
	"context"
	"path"
	"slices"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msprovider"
)

// data is the data set: a folder (a path, parents before children), a
// subject and a body per note.
var data = [][3]string{
	{"Inbox", "Welcome", "These notes are a MAPI store."},
	{"Notes", "Groceries", "Milk, eggs, bread."},
	{"Notes/Ideas", "Garden", "Plant tomatoes in May."},
	{"Notes/Ideas", "Trip", "Lisbon in the autumn."},
}

type ID = msprovider.ID // for short

// notes is the Storage: the folders and messages by ID, and the IDs of
// each folder's subfolders and messages, in the order load made them.
type notes struct {
	folders              map[ID]*msprovider.FolderData
	messages             map[ID]*msprovider.MessageData
	subfolders, contents map[ID][]ID
}

// load makes the root folder (RootID), the IPM subtree and its Inbox,
// which clients find by their roles, the other folders of data under the
// IPM subtree, and a message of each note.
func load() *notes {
	n := &notes{map[ID]*msprovider.FolderData{}, map[ID]*msprovider.MessageData{}, map[ID][]ID{}, map[ID][]ID{}}
	newID := func() ID { return ID(len(n.folders) + len(n.messages) + 1) } // the root's is RootID
	folder := func(parent ID, role msprovider.Role, name string) ID {
		id := newID()
		n.folders[id] = &msprovider.FolderData{ID: id, Parent: parent, Role: role,
			Props: []mapispi.PropValue{{Tag: mapispi.PropDisplayName, Value: name}}}
		n.subfolders[parent] = append(n.subfolders[parent], id)
		return id
	}
	root := folder(0, msprovider.RoleNone, "")
	ipm := folder(root, msprovider.RoleIPMSubtree, "Top of Information Store")
	byPath := map[string]ID{".": ipm, "Inbox": folder(ipm, msprovider.RoleInbox, "Inbox")}
	for _, note := range data {
		if byPath[note[0]] == 0 {
			byPath[note[0]] = folder(byPath[path.Dir(note[0])], msprovider.RoleNone, path.Base(note[0]))
		}
		id, f := newID(), byPath[note[0]]
		n.messages[id] = &msprovider.MessageData{ID: id, Folder: f, Props: []mapispi.PropValue{
			{Tag: mapispi.PropMessageClass, Value: "IPM.Note"}, {Tag: mapispi.PropSubject, Value: note[1]}, {Tag: mapispi.PropBody, Value: note[2]}}}
		n.contents[f] = append(n.contents[f], id)
	}
	return n
}

// Folder, Subfolders, Messages and Message are msprovider.Storage.
func (n *notes) Folder(_ context.Context, id ID) (*msprovider.FolderData, error) {
	return get(n.folders, id)
}

func (n *notes) Subfolders(_ context.Context, id ID) ([]ID, error) { return n.ids(n.subfolders, id) }
func (n *notes) Messages(_ context.Context, id ID) ([]ID, error)   { return n.ids(n.contents, id) }

func (n *notes) Message(_ context.Context, id ID) (*msprovider.MessageData, error) {
	return get(n.messages, id)
}

// get returns the folder or message id names, or ErrNotFound.
func get[T any](objects map[ID]*T, id ID) (*T, error) {
	if objects[id] == nil {
		return nil, mapispi.Errorf(mapispi.ErrNotFound, "datastore", "no object with ID %d", id)
	}
	return objects[id], nil
}

// ids returns folder id's IDs in index, a copy the store may sort.
func (n *notes) ids(index map[ID][]ID, id ID) ([]ID, error) {
	_, err := get(n.folders, id)
	return slices.Clone(index[id]), err
}

// addStore adds a store of the data set to backend and returns the
// message service that names it, as a profile holds it.
func addStore(backend *msprovider.Backend) (mapi.Service, error) {
	id, err := backend.AddStore("Notes", load(), nil)
	return mapi.Service{Name: "Notes", Provider: msprovider.DLLName,
		Props: []mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte(id)}}}, err
}
