package msprovider

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/mapiemu/mapiemu/mapispi"
)

var (
	_ mapispi.Folder         = (*Folder)(nil)
	_ mapispi.NamedProps     = (*Folder)(nil)
	_ mapispi.PropertyOpener = (*Folder)(nil)
)

// Folder is the Go form of this provider's IMAPIFolder object: one open
// of a folder, through one logon. A folder is not transacted: each call
// takes effect at once, for every logon of the store in every session.
// Its properties are read fresh on every call, so they follow what other
// callers change. A Folder is safe for concurrent use.
type Folder struct {
	handle
	id ID
}

// openFolder returns an object for folder id (e.mu held).
func (s *Store) newFolder(id ID, write bool) *Folder {
	f := &Folder{id: id}
	f.init(s, "folder", write)
	return f
}

// ObjectType returns ObjFolder.
func (f *Folder) ObjectType() mapispi.ObjectType { return mapispi.ObjFolder }

// node returns the folder's node with counts loaded, or ErrObjectDeleted
// once the folder is gone (e.mu held).
func (f *Folder) node(ctx context.Context) (*fnode, error) {
	n, err := f.e.counted(ctx, f.id)
	if err != nil {
		if errors.Is(err, mapispi.ErrNotFound) {
			return nil, mapispi.Errorf(mapispi.ErrObjectDeleted, "msprovider", "folder %d has been deleted", f.id)
		}
		return nil, err
	}
	return n, nil
}

// folderLists are the properties a folder lists but GetProps does not
// give: its tables, opened with OpenProperty ("Hierarchy Tables" page).
var folderLists = []mapispi.PropTag{mapispi.PropContainerContents, mapispi.PropContainerHierarchy, mapispi.PropFolderAssociatedContents}

// GetProps is IMAPIProp::GetProps on the folder: its stored properties
// and the ones the store computes, current as of the call. PR_PARENT_ENTRYID
// of the root folder is its own entry ID. PR_CONTAINER_CONTENTS,
// PR_CONTAINER_HIERARCHY and PR_FOLDER_ASSOCIATED_CONTENTS are tables,
// opened with OpenProperty: GetProps gives ErrNoSupport for them.
func (f *Folder) GetProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropValue, error) {
	if err := f.check("GetProps"); err != nil {
		return nil, err
	}
	if err := f.e.begin(ctx); err != nil {
		return nil, err
	}
	defer f.e.mu.Unlock()
	n, err := f.node(ctx)
	if err != nil {
		return nil, err
	}
	props := f.e.folderProps(n, f.write.Load())
	for _, t := range folderLists {
		props = append(props, mapispi.ErrorValue(t, mapispi.ErrNoSupport))
	}
	out, err := pick(props, tags)
	if tags == nil {
		out = slices.DeleteFunc(out, func(v mapispi.PropValue) bool { return v.Tag.Type() == mapispi.PtError })
	}
	return out, err
}

// GetPropList is IMAPIProp::GetPropList on the folder, the table
// properties included.
func (f *Folder) GetPropList(ctx context.Context) ([]mapispi.PropTag, error) {
	if err := f.check("GetPropList"); err != nil {
		return nil, err
	}
	if err := f.e.begin(ctx); err != nil {
		return nil, err
	}
	defer f.e.mu.Unlock()
	n, err := f.node(ctx)
	if err != nil {
		return nil, err
	}
	return append(tagsOf(f.e.folderProps(n, f.write.Load())), folderLists...), nil
}

// SetProps is IMAPIProp::SetProps on the folder, which takes effect at
// once. A computed property is an ErrComputed problem; PR_DISPLAY_NAME
// that a sibling has (compared without regard to case) is an
// ErrCollision problem.
func (f *Folder) SetProps(ctx context.Context, values []mapispi.PropValue) ([]mapispi.PropProblem, error) {
	if err := f.checkWrite("SetProps"); err != nil {
		return nil, err
	}
	if err := checkValues("SetProps", values); err != nil {
		return nil, err
	}
	var probs []mapispi.PropProblem
	err := f.change(ctx, func(n *fnode) error {
		var props []mapispi.PropValue
		props, probs = applySet(n.data.Props, values, computedFolder)
		if name, ok := propString(props, mapispi.PropDisplayName); ok && n.data.Parent != 0 {
			old, _ := propString(n.data.Props, mapispi.PropDisplayName)
			if !strings.EqualFold(name, old) && f.e.sibling(ctx, n.data.Parent, name) != nil {
				for i, v := range values {
					if v.Tag.ID() == mapispi.PropDisplayName.ID() {
						probs = append(probs, mapispi.PropProblem{Index: i, Tag: v.Tag, Code: mapispi.ErrCollision})
					}
				}
				props = setProp(slices.Clone(props), mapispi.PropValue{Tag: mapispi.PropDisplayName, Value: old})
			}
		}
		return f.e.replaceFolder(ctx, n, props, changedTags(values, probs))
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(probs, func(a, b mapispi.PropProblem) int { return a.Index - b.Index })
	return probs, nil
}

// DeleteProps is IMAPIProp::DeleteProps on the folder. A computed
// property is an ErrComputed problem; one the folder lacks is skipped.
func (f *Folder) DeleteProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropProblem, error) {
	if err := f.checkWrite("DeleteProps"); err != nil {
		return nil, err
	}
	if err := checkTags("DeleteProps", tags); err != nil {
		return nil, err
	}
	var probs []mapispi.PropProblem
	err := f.change(ctx, func(n *fnode) error {
		var props []mapispi.PropValue
		props, probs = applyDelete(n.data.Props, tags, computedFolder)
		return f.e.replaceFolder(ctx, n, props, tags)
	})
	if err != nil {
		return nil, err
	}
	return probs, nil
}

// change runs fn, a change of the folder, with the engine locked and the
// folder's node (ErrObjectDeleted once it is gone), then delivers the
// notifications it queued.
func (f *Folder) change(ctx context.Context, fn func(n *fnode) error) error {
	return f.e.change(ctx, func() error {
		n, err := f.node(ctx)
		if err != nil {
			return err
		}
		return fn(n)
	})
}

// changedTags returns the tags of values that were not problems.
func changedTags(values []mapispi.PropValue, probs []mapispi.PropProblem) []mapispi.PropTag {
	var out []mapispi.PropTag
	for i, v := range values {
		if !slices.ContainsFunc(probs, func(p mapispi.PropProblem) bool { return p.Index == i }) {
			out = append(out, v.Tag)
		}
	}
	return out
}

// Close releases the folder object.
func (f *Folder) Close(ctx context.Context) error { return f.release() }

// ContentsTable is IMAPIContainer::GetContentsTable.
func (f *Folder) ContentsTable(ctx context.Context, flags mapispi.TableFlags) (mapispi.Table, error) {
	if err := f.check("GetContentsTable"); err != nil {
		return nil, err
	}
	if err := flags.Check(); err != nil {
		return nil, err
	}
	kind := tContents
	if flags&mapispi.TableAssociated != 0 {
		kind = tAssoc
	}
	return f.table(ctx, kind)
}

// HierarchyTable is IMAPIContainer::GetHierarchyTable. With
// TableConvenientDepth the rows come depth first (each folder before its
// subfolders, siblings in the order they were made), the order a hidden
// sort column keeps until SortTable replaces it.
func (f *Folder) HierarchyTable(ctx context.Context, flags mapispi.TableFlags) (mapispi.Table, error) {
	if err := f.check("GetHierarchyTable"); err != nil {
		return nil, err
	}
	if err := flags.Check(); err != nil {
		return nil, err
	}
	if flags&mapispi.TableAssociated != 0 {
		return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "GetHierarchyTable: MAPI_ASSOCIATED is for contents tables")
	}
	kind := tHier
	if flags&mapispi.TableConvenientDepth != 0 {
		kind = tDeep
	}
	return f.table(ctx, kind)
}

func (f *Folder) table(ctx context.Context, kind tableKind) (mapispi.Table, error) {
	if err := f.e.begin(ctx); err != nil {
		return nil, err
	}
	defer f.e.mu.Unlock()
	n, err := f.node(ctx)
	if err != nil {
		return nil, err
	}
	return f.e.openTable(ctx, f.s, n, kind)
}

// OpenProperty is IMAPIProp::OpenProperty on the folder: its contents,
// associated contents and hierarchy tables, as GetContentsTable and
// GetHierarchyTable give them ("Contents Tables" page).
func (f *Folder) OpenProperty(ctx context.Context, tag mapispi.PropTag, iface mapispi.UID, flags mapispi.OpenFlags) (any, error) {
	if err := f.check("OpenProperty"); err != nil {
		return nil, err
	}
	if tag.Type() == mapispi.PtUnspecified {
		return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "OpenProperty: %v has no type", tag)
	}
	var kind tableKind
	switch tag {
	case mapispi.PropContainerContents:
		kind = tContents
	case mapispi.PropFolderAssociatedContents:
		kind = tAssoc
	case mapispi.PropContainerHierarchy:
		kind = tHier
	default:
		if err := f.e.begin(ctx); err != nil {
			return nil, err
		}
		n, err := f.node(ctx)
		var has bool
		if err == nil {
			has = findID(n.data.Props, tag) >= 0
		}
		f.e.mu.Unlock()
		if err != nil {
			return nil, err
		}
		if has {
			return nil, mapispi.Errorf(mapispi.ErrInterfaceNotSupported, "msprovider", "OpenProperty: a folder's %v opens as no interface", tag)
		}
		return nil, mapispi.Errorf(mapispi.ErrNotFound, "msprovider", "OpenProperty: the folder has no %v", tag)
	}
	if iface != mapispi.IIDMAPITable {
		return nil, mapispi.Errorf(mapispi.ErrInterfaceNotSupported, "msprovider", "OpenProperty: %v opens as IID_IMAPITable, not %v", tag, iface)
	}
	return f.table(ctx, kind)
}

// OpenEntry is IMAPIContainer::OpenEntry, as the store's.
func (f *Folder) OpenEntry(ctx context.Context, id mapispi.EntryID, flags mapispi.OpenFlags) (mapispi.Object, error) {
	if err := f.check("OpenEntry"); err != nil {
		return nil, err
	}
	return f.s.openEntry(ctx, id, flags)
}

// sibling returns the child of folder parent named name, compared
// without regard to case, or nil (e.mu held).
func (e *engine) sibling(ctx context.Context, parent ID, name string) *fnode {
	p := e.folders[parent]
	if p == nil {
		return nil
	}
	for _, id := range e.kidsOf(ctx, p) {
		k, err := e.folder(ctx, id)
		if err != nil {
			continue
		}
		if n, _ := propString(k.data.Props, mapispi.PropDisplayName); strings.EqualFold(n, name) {
			return k
		}
	}
	return nil
}

// CreateFolder is IMAPIFolder::CreateFolder.
func (f *Folder) CreateFolder(ctx context.Context, typ mapispi.FolderType, name, comment string, flags mapispi.CreateFolderFlags) (mapispi.Folder, error) {
	if err := f.checkWrite("CreateFolder"); err != nil {
		return nil, err
	}
	if err := flags.Check(); err != nil {
		return nil, err
	}
	if typ != mapispi.FolderGeneric && typ != mapispi.FolderSearch {
		return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "CreateFolder: type %v; want FOLDER_GENERIC or FOLDER_SEARCH", typ)
	}
	if name == "" {
		return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "CreateFolder: an empty name")
	}
	var id ID
	err := f.change(ctx, func(n *fnode) error {
		if k := f.e.sibling(ctx, f.id, name); k != nil {
			if flags&mapispi.FolderOpenIfExists != 0 {
				id = k.data.ID
				return nil
			}
			return mapispi.Errorf(mapispi.ErrCollision, "msprovider", "CreateFolder: the folder has a subfolder named %q", name)
		}
		props := []mapispi.PropValue{
			{Tag: mapispi.PropDisplayName, Value: name},
			{Tag: mapispi.PropFolderType, Value: int32(typ)},
		}
		if comment != "" {
			props = append(props, mapispi.PropValue{Tag: mapispi.PropComment, Value: comment})
		}
		var err error
		id, err = f.e.createFolder(ctx, n, props)
		return err
	})
	if err != nil {
		return nil, err
	}
	return f.s.newFolder(id, true), nil
}

// DeleteFolder is IMAPIFolder::DeleteFolder. The special folders (the
// IPM subtree, Inbox, Outbox, Sent Items, Deleted Items) cannot be
// deleted: ErrNoAccess. Nor can a folder whose subtree holds a queued
// message: ErrSubmitted, and nothing is deleted (the page is silent; a
// queued message is the spooler's until FinishedMsg or AbortSubmit).
func (f *Folder) DeleteFolder(ctx context.Context, id mapispi.EntryID, flags mapispi.DeleteFolderFlags) error {
	if err := f.checkWrite("DeleteFolder"); err != nil {
		return err
	}
	if err := flags.Check(); err != nil {
		return err
	}
	child, err := f.childFolder(id, "DeleteFolder")
	if err != nil {
		return err
	}
	return f.e.change(ctx, func() error { return f.e.deleteFolder(ctx, f.id, child, flags) })
}

// childFolder parses id as a folder of the store.
func (f *Folder) childFolder(id mapispi.EntryID, op string) (ID, error) {
	ref, err := parseObjectID(f.e.uid, id)
	if err != nil {
		return 0, err
	}
	if ref.typ != mapispi.ObjFolder {
		return 0, mapispi.Errorf(mapispi.ErrNotFound, "msprovider", "%s: %v is a message, not a folder", op, id)
	}
	return ref.id, nil
}

// destination returns the folder dest is, which must be a Folder of the
// same store.
func (f *Folder) destination(dest mapispi.Folder, op string) (*Folder, error) {
	d, ok := dest.(*Folder)
	if !ok || d == nil || d.e != f.e {
		return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "%s: the destination is not a folder of this store", op)
	}
	if err := d.checkWrite(op + " (destination)"); err != nil {
		return nil, err
	}
	return d, nil
}

// CopyFolder is IMAPIFolder::CopyFolder. A copy takes the folder's
// messages, and its subfolders with CopySubfolders; every copied object
// gets a new ID. A move keeps the IDs (the folder's entry ID stays).
func (f *Folder) CopyFolder(ctx context.Context, id mapispi.EntryID, dest mapispi.Folder, newName string, flags mapispi.CopyFolderFlags) error {
	if err := f.checkWrite("CopyFolder"); err != nil {
		return err
	}
	if err := flags.Check(); err != nil {
		return err
	}
	child, err := f.childFolder(id, "CopyFolder")
	if err != nil {
		return err
	}
	d, err := f.destination(dest, "CopyFolder")
	if err != nil {
		return err
	}
	return f.e.change(ctx, func() error { return f.e.copyFolder(ctx, f.id, child, d.id, newName, flags) })
}

// EmptyFolder is IMAPIFolder::EmptyFolder: every message of the folder
// goes, and every subfolder; associated messages only with DelAssociated,
// without which the subfolders that hold associated messages stay too, as
// the IMAPIFolder::EmptyFolder page has it. The special folders stay.
// Queued messages stay too, with the subfolders that hold them: the call
// then returns a *mapispi.PartialError (MAPI_W_PARTIAL_COMPLETION)
// listing their entry IDs, each with ErrSubmitted (its Index counts the
// kept messages: the call was given no list). The root folder and
// search folders cannot be emptied: ErrNoSupport ([MS-OXCFOLD] 3.2.5.9).
func (f *Folder) EmptyFolder(ctx context.Context, flags mapispi.EmptyFolderFlags) error {
	if err := f.checkWrite("EmptyFolder"); err != nil {
		return err
	}
	if err := flags.Check(); err != nil {
		return err
	}
	if f.id == RootID {
		return mapispi.Errorf(mapispi.ErrNoSupport, "msprovider", "EmptyFolder: the root folder cannot be emptied")
	}

	var kept []mapispi.EntryID
	err := f.e.change(ctx, func() (err error) {
		kept, err = f.e.emptyFolder(ctx, f.id, flags&mapispi.DelAssociated != 0)
		return err
	})
	if err != nil {
		return err
	}
	failed := make([]mapispi.FailedItem, len(kept))
	for i, id := range kept {
		failed[i] = mapispi.FailedItem{Index: i, EntryID: id, Err: mapispi.Errorf(mapispi.ErrSubmitted, "msprovider", "EmptyFolder: the message is in the outgoing queue")}
	}
	return partial("IMAPIFolder::EmptyFolder", failed)
}

// CreateMessage is IMAPIFolder::CreateMessage: a new message instance,
// read/write, invisible to everyone else until its first SaveChanges.
func (f *Folder) CreateMessage(ctx context.Context, flags mapispi.CreateMessageFlags) (mapispi.Message, error) {
	if err := f.checkWrite("CreateMessage"); err != nil {
		return nil, err
	}
	if err := flags.Check(); err != nil {
		return nil, err
	}
	if err := f.e.begin(ctx); err != nil {
		return nil, err
	}
	_, err := f.node(ctx)
	f.e.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return f.s.newMessage(ctx, f.id, flags&mapispi.MessageAssociated != 0)
}

// messagesOf parses ids as messages of this folder: the ones that are,
// and a failure for each that is not.
func (f *Folder) messagesOf(ids []mapispi.EntryID) ([]ID, []int, []mapispi.FailedItem) {
	var out []ID
	var at []int
	var failed []mapispi.FailedItem
	for i, raw := range ids {
		ref, err := parseObjectID(f.e.uid, raw)
		switch {
		case err != nil:
		case ref.typ != mapispi.ObjMessage || ref.folder != f.id:
			err = mapispi.Errorf(mapispi.ErrNotFound, "msprovider", "%v is not a message of this folder", raw)
		}
		if err != nil {
			failed = append(failed, mapispi.FailedItem{Index: i, EntryID: raw.Clone(), Err: err})
			continue
		}
		out, at = append(out, ref.id), append(at, i)
	}
	return out, at, failed
}

// partial returns a *PartialError for failed, or nil.
func partial(op string, failed []mapispi.FailedItem) error {
	if len(failed) == 0 {
		return nil
	}
	slices.SortFunc(failed, func(a, b mapispi.FailedItem) int { return a.Index - b.Index })
	return &mapispi.PartialError{Op: op, Failed: failed}
}

// CopyMessages is IMAPIFolder::CopyMessages. A copy gets a new ID, record
// key and creation; PR_MSG_STATUS is not copied. A move keeps the
// message's ID, so its entry ID changes only in the folder part.
// Messages that are not in this folder are a *PartialError, and so are
// queued messages for a move (ErrSubmitted: they stay); a copy of a
// queued message is not queued.
func (f *Folder) CopyMessages(ctx context.Context, ids []mapispi.EntryID, dest mapispi.Folder, flags mapispi.CopyMessageFlags) error {
	const op = "IMAPIFolder::CopyMessages"
	if err := f.checkWrite("CopyMessages"); err != nil {
		return err
	}
	if err := flags.Check(); err != nil {
		return err
	}
	d, err := f.destination(dest, "CopyMessages")
	if err != nil {
		return err
	}
	return f.eachMessage(ctx, op, ids, func(msgs []ID) ([]failure, error) {
		return f.e.copyMessages(ctx, f.id, msgs, d.id, flags&mapispi.MessageMove != 0)
	})
}

// eachMessage runs fn, a change of several messages, on the messages of
// this folder ids names, and returns a *PartialError listing the IDs that
// are not and the messages fn could not handle.
func (f *Folder) eachMessage(ctx context.Context, op string, ids []mapispi.EntryID, fn func(msgs []ID) ([]failure, error)) error {
	msgs, at, failed := f.messagesOf(ids)
	var more []failure
	err := f.e.change(ctx, func() (err error) {
		more, err = fn(msgs)
		return err
	})
	if err != nil {
		return err
	}
	for _, m := range more {
		failed = append(failed, mapispi.FailedItem{Index: at[m.Index], EntryID: ids[at[m.Index]].Clone(), Err: m.Err})
	}
	return partial(op, failed)
}

// DeleteMessages is IMAPIFolder::DeleteMessages. Messages that are not
// in this folder are a *PartialError, and so are queued messages
// (ErrSubmitted), which stay, as the IMAPIFolder::DeleteMessages page has
// it for submitted messages.
func (f *Folder) DeleteMessages(ctx context.Context, ids []mapispi.EntryID, flags mapispi.DeleteMessageFlags) error {
	const op = "IMAPIFolder::DeleteMessages"
	if err := f.checkWrite("DeleteMessages"); err != nil {
		return err
	}
	if err := flags.Check(); err != nil {
		return err
	}
	return f.eachMessage(ctx, op, ids, func(msgs []ID) ([]failure, error) {
		return f.e.deleteMessages(ctx, f.id, msgs)
	})
}

// SetReadFlags is IMAPIFolder::SetReadFlags. Associated messages have no
// read state: they are left as they are.
func (f *Folder) SetReadFlags(ctx context.Context, ids []mapispi.EntryID, flags mapispi.ReadFlags) error {
	const op = "IMAPIFolder::SetReadFlags"
	if err := f.checkWrite("SetReadFlags"); err != nil {
		return err
	}
	if err := flags.Check(); err != nil {
		return err
	}
	if ids != nil {
		return f.eachMessage(ctx, op, ids, func(msgs []ID) ([]failure, error) {
			return f.e.setReadFlags(ctx, f.id, msgs, flags)
		})
	}
	return f.e.change(ctx, func() error {
		n, err := f.node(ctx)
		if err != nil {
			return err
		}
		msgs := make([]ID, 0, len(n.msgIDs))
		for id := range n.msgIDs {
			msgs = append(msgs, id)
		}
		slices.Sort(msgs)
		_, err = f.e.setReadFlags(ctx, f.id, msgs, flags)
		return err
	})
}

// MessageStatus is IMAPIFolder::GetMessageStatus.
func (f *Folder) MessageStatus(ctx context.Context, id mapispi.EntryID) (mapispi.MessageStatus, error) {
	if err := f.check("GetMessageStatus"); err != nil {
		return 0, err
	}
	msgs, _, failed := f.messagesOf([]mapispi.EntryID{id})
	if len(failed) > 0 {
		return 0, failed[0].Err
	}
	if err := f.e.begin(ctx); err != nil {
		return 0, err
	}
	defer f.e.mu.Unlock()
	_, m, err := f.e.message(ctx, f.id, msgs[0])
	if err != nil {
		return 0, err
	}
	return m.status, nil
}

// SetMessageStatus is IMAPIFolder::SetMessageStatus: the bits of mask
// take their values from status; the result is the status before.
func (f *Folder) SetMessageStatus(ctx context.Context, id mapispi.EntryID, status, mask mapispi.MessageStatus) (mapispi.MessageStatus, error) {
	if err := f.checkWrite("SetMessageStatus"); err != nil {
		return 0, err
	}
	msgs, _, failed := f.messagesOf([]mapispi.EntryID{id})
	if len(failed) > 0 {
		return 0, failed[0].Err
	}
	var old mapispi.MessageStatus
	err := f.e.change(ctx, func() (err error) {
		old, err = f.e.setMessageStatus(ctx, f.id, msgs[0], status, mask)
		return err
	})
	return old, err
}
