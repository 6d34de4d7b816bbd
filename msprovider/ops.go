package msprovider

import (
	"context"
	"maps"
	"slices"

	"github.com/mapiemu/mapiemu/mapispi"
)

// This file holds the engine's changes of folders and of several
// messages at once. Each checks everything, then makes one Commit, and
// only when the storage took it brings the cache, the open tables and the
// notification queue up to date (e.mu held throughout): a failed change
// leaves everything as it was.

// objectEvent returns an object notification.
func objectEvent(ev mapispi.EventMask, typ mapispi.ObjectType, id, parent mapispi.EntryID) mapispi.Notification {
	return mapispi.Notification{Event: ev, ObjectType: typ, EntryID: id, ParentID: parent}
}

// folderModified queues ObjectModified for folder f, whose counts or
// subfolders changed.
func (e *engine) folderModified(f *fnode, tags ...mapispi.PropTag) {
	id := e.folderID(f.data.ID)
	parent := f.data.Parent
	if parent == 0 {
		parent = f.data.ID
	}
	n := objectEvent(mapispi.EventObjectModified, mapispi.ObjFolder, id, e.folderID(parent))
	n.Props = tags
	e.post(n, id)
}

// replaceFolder stores props as folder n's.
func (e *engine) replaceFolder(ctx context.Context, n *fnode, props []mapispi.PropValue, changed []mapispi.PropTag) error {
	nd := &FolderData{ID: n.data.ID, Parent: n.data.Parent, Role: n.data.Role, Props: props}
	if err := e.commit(ctx, &Commit{Folders: []*FolderData{nd}}); err != nil {
		return err
	}
	n.data = nd
	e.folderRowChanged(ctx, n)
	e.folderModified(n, changed...)
	return nil
}

// insertKid adds id to parent's loaded subfolder list, in ID order.
func insertKid(parent *fnode, id ID) {
	if !parent.kidsLoaded {
		return
	}
	i, found := slices.BinarySearch(parent.kids, id)
	if !found {
		parent.kids = slices.Insert(parent.kids, i, id)
	}
}

// createFolder adds a subfolder of parent with props and returns its ID.
func (e *engine) createFolder(ctx context.Context, parent *fnode, props []mapispi.PropValue) (ID, error) {
	id, err := e.newIDs(1)
	if err != nil {
		return 0, err
	}
	fd := &FolderData{ID: id, Parent: parent.data.ID, Props: props}
	if err := e.commit(ctx, &Commit{Folders: []*FolderData{fd}}); err != nil {
		return 0, err
	}
	e.kidsOf(ctx, parent)
	hadKids := len(parent.kids) > 0
	n := &fnode{data: fd, kidsLoaded: true, msgsLoaded: true, msgIDs: map[ID]struct{}{}}
	e.folders[id] = n
	insertKid(parent, id)
	e.subtreeRowsAdded(ctx, n)
	e.folderRowChanged(ctx, parent)
	e.post(objectEvent(mapispi.EventObjectCreated, mapispi.ObjFolder, e.folderID(id), e.folderID(parent.data.ID)), nil)
	if !hadKids {
		e.folderModified(parent, mapispi.PropSubfolders)
	}
	return id, nil
}

// subtree returns f's ID and its descendants', depth first, with their
// messages (e.mu held).
func (e *engine) subtree(ctx context.Context, f *fnode) (folders, msgs []ID, err error) {
	var walk func(g *fnode) error
	walk = func(g *fnode) error {
		folders = append(folders, g.data.ID)
		if err := e.loadMsgs(ctx, g); err != nil {
			return err
		}
		for id := range g.msgIDs {
			msgs = append(msgs, id)
		}
		for _, id := range e.kidsOf(ctx, g) {
			k, err := e.folder(ctx, id)
			if err != nil {
				return err
			}
			if err := walk(k); err != nil {
				return err
			}
		}
		return nil
	}
	err = walk(f)
	slices.Sort(msgs)
	return folders, msgs, err
}

// childOf returns folder child, which must be a subfolder of parent.
func (e *engine) childOf(ctx context.Context, parent, child ID, op string) (*fnode, error) {
	c, err := e.folder(ctx, child)
	if err != nil || c.data.Parent != parent {
		return nil, mapispi.Errorf(mapispi.ErrNotFound, "msprovider", "%s: folder %d is not a subfolder of this folder", op, child)
	}
	return c, nil
}

// forget drops deleted folders and messages from the cache, emptying
// their open tables (e.mu held).
func (e *engine) forget(folders, msgs []ID) {
	for _, id := range msgs {
		delete(e.msgs, id)
	}
	for _, id := range folders {
		if f := e.folders[id]; f != nil {
			for _, t := range f.tables {
				if t != nil {
					t.td.DeleteAllRows()
				}
			}
			delete(e.folders, id)
		}
	}
}

// deleteFolder is DeleteFolder of child, a subfolder of parent.
func (e *engine) deleteFolder(ctx context.Context, parent, child ID, flags mapispi.DeleteFolderFlags) error {
	const op = "DeleteFolder"
	c, err := e.childOf(ctx, parent, child, op)
	if err != nil {
		return err
	}
	if c.data.Role != RoleNone {
		return mapispi.Errorf(mapispi.ErrNoAccess, "msprovider", "%s: the store's special folders cannot be deleted", op)
	}
	if len(e.kidsOf(ctx, c)) > 0 && flags&mapispi.DelFolders == 0 {
		return mapispi.Errorf(mapispi.ErrHasFolders, "msprovider", "%s: the folder has subfolders; DEL_FOLDERS deletes them", op)
	}
	folders, msgs, err := e.subtree(ctx, c)
	if err != nil {
		return err
	}
	if len(msgs) > 0 && flags&mapispi.DelMessages == 0 {
		return mapispi.Errorf(mapispi.ErrHasMessages, "msprovider", "%s: the folder holds messages; DEL_MESSAGES deletes them", op)
	}
	if i := slices.IndexFunc(msgs, func(m ID) bool { return e.msgs[m].queued }); i >= 0 {
		return mapispi.Errorf(mapispi.ErrSubmitted, "msprovider", "%s: message %d of the folder is in the outgoing queue; AbortSubmit takes it out", op, msgs[i])
	}
	if err := e.commit(ctx, &Commit{Deleted: append(slices.Clone(msgs), folders...)}); err != nil {
		return err
	}
	p := e.folders[parent]
	e.folderRowsGone(c, folders)
	e.forget(folders, msgs)
	if p != nil {
		p.kids = remove(p.kids, child)
		e.folderRowChanged(ctx, p)
	}
	e.post(objectEvent(mapispi.EventObjectDeleted, mapispi.ObjFolder, e.folderID(child), e.folderID(parent)), e.folderID(child))
	if p != nil && len(p.kids) == 0 {
		e.folderModified(p, mapispi.PropSubfolders)
	}
	return nil
}

// within reports whether folder id is f or one of its descendants (e.mu
// held).
func (e *engine) within(ctx context.Context, id ID, f ID) bool {
	for id != 0 {
		if id == f {
			return true
		}
		n, err := e.folder(ctx, id)
		if err != nil {
			return false
		}
		id = n.data.Parent
	}
	return false
}

// copyFolder is CopyFolder of child, a subfolder of parent, into dest.
func (e *engine) copyFolder(ctx context.Context, parent, child, dest ID, newName string, flags mapispi.CopyFolderFlags) error {
	const op = "CopyFolder"
	c, err := e.childOf(ctx, parent, child, op)
	if err != nil {
		return err
	}
	d, err := e.counted(ctx, dest)
	if err != nil {
		return mapispi.Errorf(mapispi.ErrObjectDeleted, "msprovider", "%s: the destination folder has been deleted", op)
	}
	move := flags&mapispi.FolderMove != 0
	deep := move || flags&mapispi.CopySubfolders != 0
	if (deep || move) && e.within(ctx, dest, child) {
		return mapispi.Errorf(mapispi.ErrFolderCycle, "msprovider", "%s: the destination is inside the folder", op)
	}
	name := newName
	if name == "" {
		name, _ = propString(c.data.Props, mapispi.PropDisplayName)
	}
	if k := e.sibling(ctx, dest, name); k != nil && !(move && k == c) {
		return mapispi.Errorf(mapispi.ErrCollision, "msprovider", "%s: the destination has a subfolder named %q", op, name)
	}
	props := setProp(slices.Clone(c.data.Props), mapispi.PropValue{Tag: mapispi.PropDisplayName, Value: name})
	if move {
		if c.data.Role != RoleNone {
			return mapispi.Errorf(mapispi.ErrNoAccess, "msprovider", "%s: the store's special folders cannot be moved", op)
		}
		return e.moveFolder(ctx, c, d, props)
	}
	return e.copyTree(ctx, c, d, props, deep)
}

func (e *engine) moveFolder(ctx context.Context, c, d *fnode, props []mapispi.PropValue) error {
	oldParent := c.data.Parent
	nd := &FolderData{ID: c.data.ID, Parent: d.data.ID, Role: c.data.Role, Props: props}
	if err := e.commit(ctx, &Commit{Folders: []*FolderData{nd}}); err != nil {
		return err
	}
	folders, _, _ := e.subtree(ctx, c)
	e.folderRowsGone(c, folders)
	p := e.folders[oldParent]
	if p != nil {
		p.kids = remove(p.kids, c.data.ID)
	}
	e.kidsOf(ctx, d)
	hadKids := len(d.kids) > 0
	c.data = nd
	insertKid(d, c.data.ID)
	e.subtreeRowsAdded(ctx, c)
	if p != nil {
		e.folderRowChanged(ctx, p)
	}
	e.folderRowChanged(ctx, d)
	n := objectEvent(mapispi.EventObjectMoved, mapispi.ObjFolder, e.folderID(c.data.ID), e.folderID(d.data.ID))
	n.OldID, n.OldParentID = e.folderID(c.data.ID), e.folderID(oldParent)
	e.post(n, e.folderID(c.data.ID))
	if p != nil && len(p.kids) == 0 {
		e.folderModified(p, mapispi.PropSubfolders)
	}
	if !hadKids {
		e.folderModified(d, mapispi.PropSubfolders)
	}
	return nil
}

// copyTree copies folder c (with its subfolders when deep) and their
// messages into d, the copy of c taking props.
func (e *engine) copyTree(ctx context.Context, c, d *fnode, props []mapispi.PropValue, deep bool) error {
	var folders []*FolderData // the copies, parents first
	var msgs []*MessageData
	var walk func(src *fnode, parent ID, props []mapispi.PropValue) error
	walk = func(src *fnode, parent ID, props []mapispi.PropValue) error {
		if err := e.loadMsgs(ctx, src); err != nil {
			return err
		}
		id, err := e.newIDs(1 + len(src.msgIDs))
		if err != nil {
			return err
		}
		folders = append(folders, &FolderData{ID: id, Parent: parent, Props: props})
		ids := slices.Sorted(maps.Keys(src.msgIDs))
		for i, m := range ids {
			od, err := e.st.Message(ctx, m)
			if err != nil {
				return storageErr("Message", err)
			}
			msgs = append(msgs, e.copyOf(od, id+1+ID(i), id))
		}
		if !deep {
			return nil
		}
		for _, k := range e.kidsOf(ctx, src) {
			kn, err := e.folder(ctx, k)
			if err != nil {
				return err
			}
			if err := walk(kn, id, kn.data.Props); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(c, d.data.ID, props); err != nil {
		return err
	}
	if err := e.commit(ctx, &Commit{Folders: folders, Messages: msgs}); err != nil {
		return err
	}
	e.kidsOf(ctx, d)
	hadKids := len(d.kids) > 0
	for _, fd := range folders {
		e.folders[fd.ID] = &fnode{data: fd, kidsLoaded: true, msgsLoaded: true, msgIDs: map[ID]struct{}{}}
	}
	for _, fd := range folders {
		if parent := e.folders[fd.Parent]; parent != nil {
			insertKid(parent, fd.ID)
		}
	}
	for _, md := range msgs {
		f := e.folders[md.Folder]
		m := summarize(md)
		e.msgs[md.ID] = m
		f.msgIDs[md.ID] = struct{}{}
		f.add(m, 1)
	}
	top := e.folders[folders[0].ID]
	e.subtreeRowsAdded(ctx, top)
	e.folderRowChanged(ctx, d)
	n := objectEvent(mapispi.EventObjectCopied, mapispi.ObjFolder, e.folderID(top.data.ID), e.folderID(d.data.ID))
	n.OldID, n.OldParentID = e.folderID(c.data.ID), e.folderID(c.data.Parent)
	e.post(n, e.folderID(c.data.ID))
	if !hadKids {
		e.folderModified(d, mapispi.PropSubfolders)
	}
	return nil
}

// copyOf returns a copy of message od as message id of folder: a new
// record key and change, without PR_MSG_STATUS, as the CopyMessages page
// asks.
func (e *engine) copyOf(od *MessageData, id, folder ID) *MessageData {
	d := *od
	d.ID, d.Folder, d.Change = id, folder, e.nextChange()
	d.Props = slices.DeleteFunc(slices.Clone(od.Props), func(v mapispi.PropValue) bool {
		return v.Tag.ID() == mapispi.PropMsgStatus.ID() || v.Tag.ID() == mapispi.PropSubmitFlags.ID()
	})
	// A copy of a queued message is not queued.
	if f := messageFlags(od); f&mapispi.MsgFlagSubmit != 0 {
		d.Props = setProp(d.Props, mapispi.PropValue{Tag: mapispi.PropMessageFlags, Value: int32(f &^ mapispi.MsgFlagSubmit)})
	}
	t := now()
	d.Props = setProp(d.Props, mapispi.PropValue{Tag: mapispi.PropCreationTime, Value: t})
	d.Props = setProp(d.Props, mapispi.PropValue{Tag: mapispi.PropLastModificationTime, Value: t})
	k := e.changeKey(d.Change)
	d.Props = setProp(d.Props, mapispi.PropValue{Tag: mapispi.PropChangeKey, Value: k})
	d.Props = setProp(d.Props, mapispi.PropValue{Tag: mapispi.PropPredecessorChangeList, Value: predecessors(k)})
	return &d
}

// emptyFolder is EmptyFolder of folder id. It returns the entry IDs of
// the queued messages it kept, with the subfolders that hold them.
func (e *engine) emptyFolder(ctx context.Context, id ID, assoc bool) ([]mapispi.EntryID, error) {
	f, err := e.counted(ctx, id)
	if err != nil {
		return nil, mapispi.Errorf(mapispi.ErrObjectDeleted, "msprovider", "EmptyFolder: the folder has been deleted")
	}
	if folderTypeOf(f) == mapispi.FolderSearch {
		return nil, mapispi.Errorf(mapispi.ErrNoSupport, "msprovider", "EmptyFolder: a search folder cannot be emptied ([MS-OXCFOLD] 3.2.5.9)")
	}
	var kept []mapispi.EntryID
	keep := func(ms []ID) bool {
		n := len(kept)
		for _, m := range ms {
			if mn := e.msgs[m]; mn.queued {
				kept = append(kept, e.messageID(mn.folder, m))
			}
		}
		return len(kept) > n
	}
	var folders, msgs []ID
	type gone struct {
		f       *fnode
		folders []ID
	}
	var kids []gone
	for _, k := range slices.Clone(e.kidsOf(ctx, f)) {
		kn, err := e.folder(ctx, k)
		if err != nil {
			return nil, err
		}
		fs, ms, err := e.subtree(ctx, kn)
		if err != nil {
			return nil, err
		}
		if kn.data.Role != RoleNone || (!assoc && slices.ContainsFunc(ms, func(m ID) bool { return e.msgs[m].assoc })) {
			continue // special folders stay, and without DEL_ASSOCIATED the ones with associated messages
		}
		if keep(ms) {
			continue // and the ones with queued messages
		}
		kids = append(kids, gone{kn, fs})
		folders = append(folders, fs...)
		msgs = append(msgs, ms...)
	}
	var own []ID
	for m := range f.msgIDs {
		if mn := e.msgs[m]; (!mn.assoc || assoc) && !mn.queued {
			own = append(own, m)
		}
	}
	slices.Sort(own)
	keep(slices.Sorted(maps.Keys(f.msgIDs)))
	if len(folders) == 0 && len(own) == 0 {
		return kept, nil
	}
	if err := e.commit(ctx, &Commit{Deleted: slices.Concat(own, msgs, folders)}); err != nil {
		return nil, err
	}
	for _, k := range kids {
		e.folderRowsGone(k.f, k.folders)
		f.kids = remove(f.kids, k.f.data.ID)
		e.post(objectEvent(mapispi.EventObjectDeleted, mapispi.ObjFolder, e.folderID(k.f.data.ID), e.folderID(id)), e.folderID(k.f.data.ID))
	}
	e.forget(folders, msgs)
	for _, m := range own {
		e.dropMessage(f, m)
	}
	e.folderRowChanged(ctx, f)
	e.folderModified(f, mapispi.PropContentCount, mapispi.PropContentUnread, mapispi.PropSubfolders)
	return kept, nil
}

// dropMessage takes deleted message m out of folder f's cache and tables
// and queues its ObjectDeleted (e.mu held).
func (e *engine) dropMessage(f *fnode, m ID) {
	if mn := e.msgs[m]; mn != nil {
		f.add(mn, -1)
	}
	delete(e.msgs, m)
	delete(f.msgIDs, m)
	e.messageRowGone(f, m)
	id := e.messageID(f.data.ID, m)
	e.post(objectEvent(mapispi.EventObjectDeleted, mapispi.ObjMessage, id, e.folderID(f.data.ID)), id)
}

// failure is one message a multi-message change could not handle: its
// index in the caller's list.
type failure struct {
	Index int
	Err   error
}

// checkMessages returns the messages of msgs that are in folder f, and a
// failure for each other (e.mu held). With notQueued, a queued message
// is a failure too (ErrSubmitted): it cannot be deleted or moved.
func (e *engine) checkMessages(f *fnode, msgs []ID, notQueued bool) ([]int, []failure) {
	var ok []int
	var failed []failure
	for i, id := range msgs {
		m := e.msgs[id]
		switch {
		case m == nil || m.folder != f.data.ID:
			failed = append(failed, failure{i, notFound("message", id)})
		case notQueued && m.queued:
			failed = append(failed, failure{i, errQueued(id)})
		default:
			ok = append(ok, i)
		}
	}
	return ok, failed
}

// errQueued is the failure of a change a queued message refuses.
func errQueued(id ID) error {
	return mapispi.Errorf(mapispi.ErrSubmitted, "msprovider", "message %d is in the outgoing queue; AbortSubmit takes it out", id)
}

// copyMessages is CopyMessages of msgs from folder src into dst.
func (e *engine) copyMessages(ctx context.Context, src ID, msgs []ID, dst ID, move bool) ([]failure, error) {
	s, err := e.counted(ctx, src)
	if err != nil {
		return nil, mapispi.Errorf(mapispi.ErrObjectDeleted, "msprovider", "CopyMessages: the folder has been deleted")
	}
	d, err := e.counted(ctx, dst)
	if err != nil {
		return nil, mapispi.Errorf(mapispi.ErrObjectDeleted, "msprovider", "CopyMessages: the destination folder has been deleted")
	}
	ok, failed := e.checkMessages(s, msgs, move)
	if len(ok) == 0 || (move && src == dst) {
		return failed, nil
	}
	var first ID
	if !move {
		if first, err = e.newIDs(len(ok)); err != nil {
			return nil, err
		}
	}
	olds := make([]*MessageData, len(ok))
	news := make([]*MessageData, len(ok))
	for j, i := range ok {
		od, err := e.st.Message(ctx, msgs[i])
		if err != nil {
			return nil, storageErr("Message", err)
		}
		olds[j] = od
		if move {
			nd := *od
			nd.Folder = dst
			news[j] = &nd
		} else {
			news[j] = e.copyOf(od, first+ID(j), dst)
		}
	}
	if err := e.commit(ctx, &Commit{Messages: news}); err != nil {
		return nil, err
	}
	for j := range news {
		od, nd := olds[j], news[j]
		if move {
			m := e.msgs[od.ID]
			s.add(m, -1)
			delete(s.msgIDs, od.ID)
			e.messageRowGone(s, od.ID)
			m.folder = dst
		} else {
			e.msgs[nd.ID] = summarize(nd)
		}
		d.msgIDs[nd.ID] = struct{}{}
		d.add(e.msgs[nd.ID], 1)
		e.messageRowChanged(d, nd)
		ev := mapispi.EventObjectCopied
		if move {
			ev = mapispi.EventObjectMoved
		}
		n := objectEvent(ev, mapispi.ObjMessage, e.messageID(dst, nd.ID), e.folderID(dst))
		n.OldID, n.OldParentID = e.messageID(src, od.ID), e.folderID(src)
		e.post(n, n.OldID)
	}
	e.folderRowChanged(ctx, d)
	e.folderModified(d, mapispi.PropContentCount, mapispi.PropContentUnread)
	if move {
		e.folderRowChanged(ctx, s)
		e.folderModified(s, mapispi.PropContentCount, mapispi.PropContentUnread)
	}
	return failed, nil
}

// deleteMessages is DeleteMessages of msgs from folder id.
func (e *engine) deleteMessages(ctx context.Context, id ID, msgs []ID) ([]failure, error) {
	f, err := e.counted(ctx, id)
	if err != nil {
		return nil, mapispi.Errorf(mapispi.ErrObjectDeleted, "msprovider", "DeleteMessages: the folder has been deleted")
	}
	ok, failed := e.checkMessages(f, msgs, true)
	if len(ok) == 0 {
		return failed, nil
	}
	del := make([]ID, len(ok))
	for j, i := range ok {
		del[j] = msgs[i]
	}
	if err := e.commit(ctx, &Commit{Deleted: del}); err != nil {
		return nil, err
	}
	for _, m := range del {
		e.dropMessage(f, m)
	}
	e.folderRowChanged(ctx, f)
	e.folderModified(f, mapispi.PropContentCount, mapispi.PropContentUnread)
	return failed, nil
}

// readState returns the PR_MESSAGE_FLAGS SetReadFlag(s) with flags
// leaves, and whether PR_READ_RECEIPT_REQUESTED goes (SUPPRESS_RECEIPT
// with GENERATE_RECEIPT_ONLY), per the IMessage::SetReadFlag page.
func readState(old mapispi.MessageFlags, flags mapispi.ReadFlags) (mapispi.MessageFlags, bool) {
	n := old
	switch {
	case flags&mapispi.ClearReadFlag != 0:
		n &^= mapispi.MsgFlagRead
	case flags&mapispi.GenerateReceiptOnly != 0:
	default:
		n |= mapispi.MsgFlagRead
	}
	if flags&mapispi.ClearRNPending != 0 {
		n &^= mapispi.MsgFlagRNPending
	}
	if flags&mapispi.ClearNRNPending != 0 {
		n &^= mapispi.MsgFlagNRNPending
	}
	return n, flags&(mapispi.SuppressReceipt|mapispi.GenerateReceiptOnly) == mapispi.SuppressReceipt|mapispi.GenerateReceiptOnly
}

// withReadState returns d with its read state set as flags say, or nil
// when nothing changes. Associated messages have no read state.
func withReadState(d *MessageData, flags mapispi.ReadFlags) *MessageData {
	if d.Associated {
		return nil
	}
	old := messageFlags(d)
	n, dropReceipt := readState(old, flags)
	if n == old && !(dropReceipt && findID(d.Props, mapispi.PropReadReceiptRequested) >= 0) {
		return nil
	}
	nd := *d
	nd.Props = setProp(slices.Clone(d.Props), mapispi.PropValue{Tag: mapispi.PropMessageFlags, Value: int32(n)})
	if dropReceipt {
		nd.Props = setProp(nd.Props, mapispi.PropValue{Tag: mapispi.PropReadReceiptRequested, Value: false})
	}
	return &nd
}

// setReadFlags is SetReadFlags of msgs in folder id. A change of read
// state is not a change of the message: its change number stays.
func (e *engine) setReadFlags(ctx context.Context, id ID, msgs []ID, flags mapispi.ReadFlags) ([]failure, error) {
	f, err := e.counted(ctx, id)
	if err != nil {
		return nil, mapispi.Errorf(mapispi.ErrObjectDeleted, "msprovider", "SetReadFlags: the folder has been deleted")
	}
	ok, failed := e.checkMessages(f, msgs, false)
	var news []*MessageData
	for _, i := range ok {
		d, err := e.st.Message(ctx, msgs[i])
		if err != nil {
			return nil, storageErr("Message", err)
		}
		if nd := withReadState(d, flags); nd != nil {
			news = append(news, nd)
		}
	}
	if len(news) == 0 {
		return failed, nil
	}
	if err := e.commit(ctx, &Commit{Messages: news}); err != nil {
		return nil, err
	}
	for _, nd := range news {
		e.messageSaved(f, nd, mapispi.EventObjectModified, []mapispi.PropTag{mapispi.PropMessageFlags})
	}
	e.folderRowChanged(ctx, f)
	e.folderModified(f, mapispi.PropContentUnread)
	return failed, nil
}

// messageSaved brings the cache and tables up to date with nd, a saved
// version of a message of folder f, and queues ev for it (e.mu held).
func (e *engine) messageSaved(f *fnode, nd *MessageData, ev mapispi.EventMask, tags []mapispi.PropTag) {
	if m := e.msgs[nd.ID]; m != nil {
		f.add(m, -1)
	}
	m := summarize(nd)
	e.msgs[nd.ID] = m
	if f.msgIDs != nil {
		f.msgIDs[nd.ID] = struct{}{}
	}
	f.add(m, 1)
	e.messageRowChanged(f, nd)
	e.queueSync(nd, m.queued)
	id := e.messageID(f.data.ID, nd.ID)
	n := objectEvent(ev, mapispi.ObjMessage, id, e.folderID(f.data.ID))
	n.Props = tags
	key := id
	if ev == mapispi.EventObjectCreated {
		key = nil
	}
	e.post(n, key)
}

// setMessageStatus is SetMessageStatus of message id in folder.
func (e *engine) setMessageStatus(ctx context.Context, folder, id ID, status, mask mapispi.MessageStatus) (mapispi.MessageStatus, error) {
	d, m, err := e.message(ctx, folder, id)
	if err != nil {
		return 0, err
	}
	old := m.status
	n := old&^mask | status&mask
	if n == old {
		return old, nil
	}
	nd := *d
	nd.Props = setProp(slices.Clone(d.Props), mapispi.PropValue{Tag: mapispi.PropMsgStatus, Value: int32(n)})
	if err := e.commit(ctx, &Commit{Messages: []*MessageData{&nd}}); err != nil {
		return 0, err
	}
	e.messageSaved(e.folders[folder], &nd, mapispi.EventObjectModified, []mapispi.PropTag{mapispi.PropMsgStatus})
	return old, nil
}
