package msprovider

import (
	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
)

// The entry IDs of a store's folders and messages are the [MS-OXCDATA]
// 2.2.4.1 Folder EntryID and 2.2.4.2 Message EntryID, with the store's
// UID as ProviderUID (the UID its logon registers, so that MAPI routes
// them to it) and as the database GUID of every LongTermID, and the
// object's ID as the global counter. A message's ID carries its folder's,
// so it changes when the message moves.

// folderEntryID returns the long-term entry ID of folder id of store uid.
func folderEntryID(uid mapispi.UID, id ID) mapispi.EntryID {
	b, _ := entryid.Folder{Provider: uid, Type: entryid.PrivateFolder,
		ID: entryid.LongTermID{Database: uid, Counter: uint64(id)}}.AppendBinary(make([]byte, 0, 46))
	return b
}

// messageEntryID returns the long-term entry ID of message id, in folder,
// of store uid.
func messageEntryID(uid mapispi.UID, folder, id ID) mapispi.EntryID {
	b, _ := entryid.Message{Provider: uid, Type: entryid.PrivateMessage,
		Folder: entryid.LongTermID{Database: uid, Counter: uint64(folder)},
		ID:     entryid.LongTermID{Database: uid, Counter: uint64(id)}}.AppendBinary(make([]byte, 0, 70))
	return b
}

// objectRef is what an entry ID of a store's folder or message names.
type objectRef struct {
	typ    mapispi.ObjectType // ObjFolder or ObjMessage
	id     ID
	folder ID // a message's folder
}

// parseObjectID decodes the entry ID of a folder or message of store uid.
// An ID of the layouts with another provider UID is ErrUnknownEntryID;
// bytes that are neither layout, or that are one with the store's UID
// but another database GUID, another object type, a zero counter or pad
// bytes that are not zero ([MS-OXCDATA] 2.2.1.3.1), are
// ErrInvalidEntryID, so that each object has one entry ID up to abFlags.
func parseObjectID(uid mapispi.UID, id mapispi.EntryID) (objectRef, error) {
	switch len(id) {
	case 46:
		f, err := entryid.ParseFolder(id)
		if err != nil {
			return objectRef{}, invalidObjectID(id, err)
		}
		if f.Provider != uid {
			return objectRef{}, unknownID(id)
		}
		if f.ID.Database != uid {
			return objectRef{}, invalidObjectID(id, nil) // ours, but not as the store writes it
		}
		if f.Type != entryid.PrivateFolder || f.ID.Counter == 0 || f.ID.Pad != 0 {
			return objectRef{}, invalidObjectID(id, nil)
		}
		return objectRef{typ: mapispi.ObjFolder, id: ID(f.ID.Counter)}, nil
	case 70:
		m, err := entryid.ParseMessage(id)
		if err != nil {
			return objectRef{}, invalidObjectID(id, err)
		}
		if m.Provider != uid {
			return objectRef{}, unknownID(id)
		}
		if m.ID.Database != uid || m.Folder.Database != uid {
			return objectRef{}, invalidObjectID(id, nil) // ours, but not as the store writes it
		}
		if m.Type != entryid.PrivateMessage || m.ID.Counter == 0 || m.Folder.Counter == 0 || m.ID.Pad != 0 || m.Folder.Pad != 0 {
			return objectRef{}, invalidObjectID(id, nil)
		}
		return objectRef{typ: mapispi.ObjMessage, id: ID(m.ID.Counter), folder: ID(m.Folder.Counter)}, nil
	}
	return objectRef{}, invalidObjectID(id, nil)
}

func invalidObjectID(id mapispi.EntryID, err error) error {
	return &mapispi.Error{Code: mapispi.ErrInvalidEntryID, Component: "msprovider",
		Message: "entry ID " + id.String() + " is not a folder or message entry ID of this store", Err: err}
}

func unknownID(id mapispi.EntryID) error {
	return mapispi.Errorf(mapispi.ErrUnknownEntryID, "msprovider", "entry ID %v is not one of this store's", id)
}
