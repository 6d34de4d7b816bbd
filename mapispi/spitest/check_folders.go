package spitest

import (
	"slices"

	"github.com/mapiemu/mapiemu/mapispi"
)

func checkFolderTree(e *env) {
	s := e.session(1, sessOpts{})
	l := e.mustLogon(s, 0, rw)
	mask := e.supportMask(l.st)

	// The root folder: OpenEntry(nil) ("IMsgStore::OpenEntry"), of type
	// FOLDER_ROOT, its own parent (PidTagFolderType, PidTagParentEntryId).
	root := e.openFolder(l.st, "nil", nil, 0)
	rootID := e.entryID("the root folder", root)
	if n, ok := e.num("the root folder", root, mapispi.PropFolderType); !ok || mapispi.FolderType(n) != mapispi.FolderRoot {
		e.errorf("the root folder's PR_FOLDER_TYPE = %v, want FOLDER_ROOT", e.prop("the root folder", root, mapispi.PropFolderType))
	}
	if p, _ := e.bin("the root folder", root, mapispi.PropParentEntryID); !e.sameID(l.st, p, rootID) {
		e.errorf("the root folder's PR_PARENT_ENTRYID = %X, want its own PR_ENTRYID %X", p, []byte(rootID))
	}
	if _, ok := e.flag("the root folder", root, mapispi.PropSubfolders); !ok {
		e.errorf("the root folder's PR_SUBFOLDERS = %v, want a PT_BOOLEAN: a folder always has it", e.prop("the root folder", root, mapispi.PropSubfolders))
	}
	again := e.openFolder(l.st, "the root folder's PR_ENTRYID", rootID, 0)
	if id := e.entryID("the root folder, opened by its entry ID", again); !e.sameID(l.st, id, rootID) {
		e.errorf("OpenEntry(the root folder's PR_ENTRYID) opened folder %X, want the root folder %X", []byte(id), []byte(rootID))
	}
	// PR_IPM_SUBTREE_ENTRYID, where the store has one, opens a folder below
	// the root.
	if id, ok := e.bin("the store", l.st, mapispi.PropIPMSubtreeEntryID); ok {
		ipm := e.openFolder(l.st, "PR_IPM_SUBTREE_ENTRYID", id, 0)
		own := e.entryID("the IPM subtree", ipm)
		if e.sameID(l.st, own, rootID) {
			e.errorf("PR_IPM_SUBTREE_ENTRYID opens the root folder; the IPM subtree is a folder below it")
		}
		if p, ok := e.bin("the IPM subtree", ipm, mapispi.PropParentEntryID); !ok || e.sameID(l.st, p, own) {
			e.errorf("the IPM subtree's PR_PARENT_ENTRYID = %v, want its parent's entry ID, not its own", e.prop("the IPM subtree", ipm, mapispi.PropParentEntryID))
		}
	}

	e.needWrite(mask)
	w := e.workFolder(l.st)
	if sub, _ := e.flag("a new folder", w.f, mapispi.PropSubfolders); sub {
		e.errorf("a new folder's PR_SUBFOLDERS = true, want false")
	}

	// CreateFolder: the name, comment and type it was given, its parent;
	// a sibling of the same name is ErrCollision, or with OPEN_IF_EXISTS
	// the same folder ("IMAPIFolder::CreateFolder").
	obj, err := w.f.CreateFolder(e.ctx, mapispi.FolderGeneric, "A", "the first", 0)
	a := e.asFolder(`CreateFolder(FOLDER_GENERIC, "A")`, obj, err)
	aID := e.entryID("folder A", a)
	vals := e.getProps("folder A", a, mapispi.PropDisplayName, mapispi.PropComment, mapispi.PropFolderType, mapispi.PropParentEntryID)
	if s, _ := vals[0].Value.(string); s != "A" {
		e.errorf(`CreateFolder(FOLDER_GENERIC, "A", "the first"): PR_DISPLAY_NAME = %v, want "A"`, vals[0])
	}
	if s, _ := vals[1].Value.(string); s != "the first" {
		e.errorf(`CreateFolder(FOLDER_GENERIC, "A", "the first"): PR_COMMENT = %v, want "the first"`, vals[1])
	}
	if n, _ := vals[2].Value.(int32); mapispi.FolderType(n) != mapispi.FolderGeneric {
		e.errorf(`CreateFolder(FOLDER_GENERIC, "A"): PR_FOLDER_TYPE = %v, want FOLDER_GENERIC`, vals[2])
	}
	if p, _ := vals[3].Value.([]byte); !e.sameID(l.st, p, w.id) {
		e.errorf(`CreateFolder(FOLDER_GENERIC, "A"): PR_PARENT_ENTRYID = %v, want the parent's entry ID %X`, vals[3], []byte(w.id))
	}
	if sub, _ := e.flag("the parent of a new folder", w.f, mapispi.PropSubfolders); !sub {
		e.errorf("PR_SUBFOLDERS of a folder with a new subfolder = %v, want true", e.prop("the parent", w.f, mapispi.PropSubfolders))
	}
	if obj, err := w.f.CreateFolder(e.ctx, mapispi.FolderGeneric, "A", "", 0); !isCode(err, mapispi.ErrCollision) {
		e.errorf(`CreateFolder(FOLDER_GENERIC, "A") with a sibling "A" = %s, want ErrCollision`, describeAny(obj, err))
	}
	obj, err = w.f.CreateFolder(e.ctx, mapispi.FolderGeneric, "A", "", mapispi.FolderOpenIfExists)
	if err != nil {
		e.errorf(`CreateFolder(FOLDER_GENERIC, "A", OPEN_IF_EXISTS) with a sibling "A": %v, want that folder`, err)
	} else if f := e.asFolder(`CreateFolder(FOLDER_GENERIC, "A", OPEN_IF_EXISTS)`, obj, err); !e.sameID(l.st, e.entryID("folder A, opened again", f), aID) {
		e.errorf(`CreateFolder(FOLDER_GENERIC, "A", OPEN_IF_EXISTS) opened %X, want the existing folder %X`, []byte(e.entryID("folder A", f)), []byte(aID))
	}
	if obj, err := w.f.CreateFolder(e.ctx, mapispi.FolderRoot, "R", "", 0); !isCode(err, mapispi.ErrInvalidParameter) {
		e.errorf(`CreateFolder(FOLDER_ROOT, "R") = %s, want ErrInvalidParameter: only FOLDER_GENERIC and FOLDER_SEARCH folders are made`, describeAny(obj, err))
	}
	f := e.openFolder(l.st, "folder A's PR_ENTRYID", aID, 0)
	if s, _ := e.str("folder A, opened by its entry ID", f, mapispi.PropDisplayName); s != "A" {
		e.errorf(`OpenEntry(folder A's PR_ENTRYID) opened a folder named %q, want "A"`, s)
	}

	// DeleteFolder: ErrHasFolders, ErrHasMessages, and then nothing goes;
	// DEL_FOLDERS|DEL_MESSAGES deletes the whole subtree
	// ("IMAPIFolder::DeleteFolder").
	_, bID := e.subfolder(a, "B")
	if err := w.f.DeleteFolder(e.ctx, aID, 0); !isCode(err, mapispi.ErrHasFolders) {
		e.errorf("DeleteFolder(a folder with a subfolder, 0) = %v, want ErrHasFolders", err)
	}
	if gone, _ := e.gone(l.st, aID); gone {
		e.fatalf("DeleteFolder(a folder with a subfolder, 0) deleted it; a failed DeleteFolder deletes nothing")
	}
	if gone, _ := e.gone(l.st, bID); gone {
		e.fatalf("DeleteFolder(a folder with a subfolder, 0) deleted the subfolder; a failed DeleteFolder deletes nothing")
	}
	if err := a.DeleteFolder(e.ctx, bID, 0); err != nil {
		e.errorf("DeleteFolder(an empty folder, 0): %v", err)
	}
	if gone, err := e.gone(l.st, bID); !gone {
		e.errorf("OpenEntry(a deleted folder) = %v, want ErrNotFound", err)
	}
	if sub, _ := e.flag("a folder whose only subfolder was deleted", a, mapispi.PropSubfolders); sub {
		e.errorf("PR_SUBFOLDERS of a folder whose only subfolder was deleted = true, want false")
	}
	e.message(a, 0, 0, subject("in A"))
	if err := w.f.DeleteFolder(e.ctx, aID, 0); !isCode(err, mapispi.ErrHasMessages) {
		e.errorf("DeleteFolder(a folder with a message, 0) = %v, want ErrHasMessages", err)
	}
	if err := w.f.DeleteFolder(e.ctx, aID, mapispi.DelFolders); !isCode(err, mapispi.ErrHasMessages) {
		e.errorf("DeleteFolder(a folder with a message, DEL_FOLDERS) = %v, want ErrHasMessages", err)
	}
	if gone, _ := e.gone(l.st, aID); gone {
		e.fatalf("a DeleteFolder that failed with ErrHasMessages deleted the folder")
	}
	_, b2ID := e.subfolder(a, "B")
	if err := w.f.DeleteFolder(e.ctx, aID, mapispi.DelMessages); !isCode(err, mapispi.ErrHasFolders) {
		e.errorf("DeleteFolder(a folder with a message and a subfolder, DEL_MESSAGES) = %v, want ErrHasFolders", err)
	}
	if err := w.f.DeleteFolder(e.ctx, aID, mapispi.DelFolders|mapispi.DelMessages); err != nil {
		e.fatalf("DeleteFolder(a folder with a message and a subfolder, DEL_FOLDERS|DEL_MESSAGES): %v", err)
	}
	for _, id := range []mapispi.EntryID{aID, b2ID} {
		if gone, err := e.gone(l.st, id); !gone {
			e.errorf("OpenEntry(%X), a folder of a deleted subtree = %v, want ErrNotFound", []byte(id), err)
		}
	}
	if err := w.f.DeleteFolder(e.ctx, aID, 0); !isCode(err, mapispi.ErrNotFound) {
		e.errorf("DeleteFolder(a folder deleted before, 0) = %v, want ErrNotFound", err)
	}
	if sub, _ := e.flag("a folder whose subfolders were deleted", w.f, mapispi.PropSubfolders); sub {
		e.errorf("PR_SUBFOLDERS of a folder whose subfolders were all deleted = true, want false")
	}
}

// describeAny says what a call that should have failed returned.
func describeAny(obj any, err error) string {
	if err != nil {
		return "error " + err.Error()
	}
	if isNil(obj) {
		return "nil and no error"
	}
	return "success"
}

func checkFolderCopyMove(e *env) {
	l, w := e.writableWorkFolder()
	src, srcID := e.subfolder(w.f, "S")
	_, kidID := e.subfolder(src, "K")
	dst, dstID := e.subfolder(w.f, "D")

	// A copy without COPY_SUBFOLDERS is the folder alone; the source stays
	// ("IMAPIFolder::CopyFolder").
	if err := w.f.CopyFolder(e.ctx, srcID, dst, "", 0); err != nil {
		e.fatalf(`CopyFolder(S, D, "", 0): %v`, err)
	}
	copyID, ok := e.childNamed("D", dst, "S")
	if !ok {
		e.fatalf(`after CopyFolder(S, D, "", 0) D has no subfolder "S": a copy without a new name keeps the folder's name`)
	}
	cp := e.openFolder(l.st, "the copy of S", copyID, 0)
	if got := names(e.children("the copy of S", cp, 0, mapispi.PropDisplayName), mapispi.PropDisplayName); len(got) != 0 {
		e.errorf(`after CopyFolder(S, D, "", 0) the copy has subfolders %q, want none: without COPY_SUBFOLDERS only the folder is copied`, got)
	}
	if p, _ := e.bin("the copy of S", cp, mapispi.PropParentEntryID); !e.sameID(l.st, p, dstID) {
		e.errorf(`after CopyFolder(S, D, "", 0) the copy's PR_PARENT_ENTRYID = %X, want D's %X`, p, []byte(dstID))
	}
	if got := names(e.children("the work folder", w.f, 0, mapispi.PropDisplayName), mapispi.PropDisplayName); !slices.Equal(got, []string{"D", "S"}) {
		e.errorf(`after CopyFolder(S, D, "", 0) the source's parent has subfolders %q, want ["D" "S"]: a copy leaves the source`, got)
	}
	if got := names(e.children("S", src, 0, mapispi.PropDisplayName), mapispi.PropDisplayName); !slices.Equal(got, []string{"K"}) {
		e.errorf(`after CopyFolder(S, D, "", 0) S has subfolders %q, want ["K"]`, got)
	}

	// The same name again is ErrCollision.
	if err := w.f.CopyFolder(e.ctx, srcID, dst, "", 0); !isCode(err, mapispi.ErrCollision) {
		e.errorf(`CopyFolder(S, D, "", 0) when D has a subfolder "S" = %v, want ErrCollision`, err)
	}

	// COPY_SUBFOLDERS copies the subtree, under the new name.
	if err := w.f.CopyFolder(e.ctx, srcID, dst, "S2", mapispi.CopySubfolders); err != nil {
		e.fatalf(`CopyFolder(S, D, "S2", COPY_SUBFOLDERS): %v`, err)
	}
	if id, ok := e.childNamed("D", dst, "S2"); !ok {
		e.errorf(`after CopyFolder(S, D, "S2", COPY_SUBFOLDERS) D has no subfolder "S2"`)
	} else {
		c2 := e.openFolder(l.st, "the copy S2", id, 0)
		if got := names(e.children("S2", c2, 0, mapispi.PropDisplayName), mapispi.PropDisplayName); !slices.Equal(got, []string{"K"}) {
			e.errorf(`after CopyFolder(S, D, "S2", COPY_SUBFOLDERS) S2 has subfolders %q, want ["K"]`, got)
		}
	}

	// A folder cannot move or be copied with its subfolders into its own
	// subtree: ErrFolderCycle.
	kidF := e.openFolder(l.st, "K", kidID, mapispi.OpenModify)
	if err := w.f.CopyFolder(e.ctx, srcID, kidF, "", mapispi.FolderMove); !isCode(err, mapispi.ErrFolderCycle) {
		e.errorf("CopyFolder(S, S's subfolder K, FOLDER_MOVE) = %v, want ErrFolderCycle", err)
	}
	if _, ok := e.childNamed("the work folder", w.f, "S"); !ok {
		e.fatalf("a CopyFolder(FOLDER_MOVE) that failed with ErrFolderCycle moved the folder away")
	}

	// A move takes the subtree, always, and the source goes.
	if err := w.f.CopyFolder(e.ctx, srcID, dst, "S3", mapispi.FolderMove); err != nil {
		e.fatalf(`CopyFolder(S, D, "S3", FOLDER_MOVE): %v`, err)
	}
	if got := names(e.children("the work folder", w.f, 0, mapispi.PropDisplayName), mapispi.PropDisplayName); !slices.Equal(got, []string{"D"}) {
		e.errorf(`after CopyFolder(S, D, "S3", FOLDER_MOVE) the old parent has subfolders %q, want ["D"]`, got)
	}
	if got := names(e.children("D", dst, 0, mapispi.PropDisplayName), mapispi.PropDisplayName); !slices.Equal(got, []string{"S", "S2", "S3"}) {
		e.errorf(`after CopyFolder(S, D, "S3", FOLDER_MOVE) D has subfolders %q, want ["S" "S2" "S3"]`, got)
	}
	if id, ok := e.childNamed("D", dst, "S3"); ok {
		moved := e.openFolder(l.st, "the moved folder S3", id, 0)
		if got := names(e.children("S3", moved, 0, mapispi.PropDisplayName), mapispi.PropDisplayName); !slices.Equal(got, []string{"K"}) {
			e.errorf(`after CopyFolder(S, D, "S3", FOLDER_MOVE) S3 has subfolders %q, want ["K"]: a move takes the subfolders`, got)
		}
		if p, _ := e.bin("the moved folder", moved, mapispi.PropParentEntryID); !e.sameID(l.st, p, dstID) {
			e.errorf(`after CopyFolder(S, D, "S3", FOLDER_MOVE) PR_PARENT_ENTRYID = %X, want D's %X`, p, []byte(dstID))
		}
	}
}

func checkFolderCounts(e *env) {
	l, w := e.writableWorkFolder()
	a, _ := e.subfolder(w.f, "A")
	b, _ := e.subfolder(w.f, "B")
	counts := func(what string, f mapispi.Folder, count, unread, assoc int32) {
		vals := e.getProps(what, f, mapispi.PropContentCount, mapispi.PropContentUnread, mapispi.PropAssocContentCount)
		for i, want := range []int32{count, unread, assoc} {
			if n, ok := vals[i].Value.(int32); want >= 0 && (!ok || n != want) {
				e.errorf("after %s: %v, want %d", what, vals[i], want)
			}
		}
	}

	// PR_CONTENT_COUNT counts the normal messages, PR_CONTENT_UNREAD those
	// without MSGFLAG_READ, PR_ASSOC_CONTENT_COUNT the associated ones
	// (PidTagContentCount, PidTagContentUnreadCount,
	// PidTagAssociatedContentCount).
	counts("a new folder", a, 0, 0, 0)
	_, m1 := e.message(a, 0, 0, subject("one"))
	_, m2 := e.message(a, 0, 0, subject("two"))
	_, faiID := e.message(a, mapispi.MessageAssociated, 0, subject("hidden"))
	counts("two messages and an associated one were saved", a, 2, 2, 1)

	// SetReadFlags and SetReadFlag move PR_CONTENT_UNREAD.
	if err := a.SetReadFlags(e.ctx, []mapispi.EntryID{m1.Clone()}, 0); err != nil {
		e.errorf("SetReadFlags([one message], 0): %v", err)
	}
	counts("SetReadFlags([one message], 0)", a, 2, 1, 1)
	msg := e.openMessage(l.st, "the second message", m2, mapispi.OpenModify)
	if err := msg.SetReadFlag(e.ctx, 0); err != nil {
		e.errorf("IMessage::SetReadFlag(0): %v", err)
	}
	counts("IMessage::SetReadFlag(0) on the other", a, 2, 0, 1)
	if err := a.SetReadFlags(e.ctx, nil, mapispi.ClearReadFlag); err != nil {
		e.errorf("SetReadFlags(nil, CLEAR_READ_FLAG): %v", err)
	}
	counts("SetReadFlags(nil, CLEAR_READ_FLAG)", a, 2, 2, 1)
	if err := a.SetReadFlags(e.ctx, nil, 0); err != nil {
		e.errorf("SetReadFlags(nil, 0): %v", err)
	}
	counts("SetReadFlags(nil, 0)", a, 2, 0, 1)
	for _, bad := range []mapispi.ReadFlags{mapispi.SuppressReceipt | mapispi.ClearReadFlag, mapispi.ClearReadFlag | mapispi.GenerateReceiptOnly} {
		if err := a.SetReadFlags(e.ctx, nil, bad); !isCode(err, mapispi.ErrInvalidParameter) {
			e.errorf("SetReadFlags(nil, %v) = %v, want ErrInvalidParameter", bad, err)
		}
	}
	counts("SetReadFlags with forbidden flags", a, 2, 0, 1)
	if err := a.SetReadFlags(e.ctx, []mapispi.EntryID{m1.Clone()}, mapispi.ClearReadFlag); err != nil {
		e.errorf("SetReadFlags([one message], CLEAR_READ_FLAG): %v", err)
	}

	// CopyMessages moves or copies; DeleteMessages deletes.
	if err := a.CopyMessages(e.ctx, []mapispi.EntryID{m1.Clone()}, b, mapispi.MessageMove); err != nil {
		e.errorf("CopyMessages([unread message], B, MESSAGE_MOVE): %v", err)
	}
	counts("CopyMessages(MESSAGE_MOVE) of an unread message out of A", a, 1, 0, 1)
	counts("CopyMessages(MESSAGE_MOVE) of an unread message into B", b, 1, 1, 0)
	if err := a.CopyMessages(e.ctx, []mapispi.EntryID{m2.Clone()}, b, 0); err != nil {
		e.errorf("CopyMessages([read message], B, 0): %v", err)
	}
	counts("CopyMessages(0) of a read message out of A", a, 1, 0, 1)
	counts("CopyMessages(0) of a read message into B", b, 2, -1, 0) // a copy's read state: the pages do not say
	var inB []mapispi.EntryID
	for _, r := range e.contents("B", b, 0, mapispi.PropEntryID) {
		inB = append(inB, colBytes(r, mapispi.PropEntryID))
	}
	if err := b.DeleteMessages(e.ctx, inB, 0); err != nil {
		e.errorf("DeleteMessages(B's messages): %v", err)
	}
	counts("DeleteMessages of B's messages", b, 0, 0, 0)
	if err := a.DeleteMessages(e.ctx, []mapispi.EntryID{faiID.Clone()}, 0); err != nil {
		e.errorf("DeleteMessages([the associated message]): %v", err)
	}
	counts("DeleteMessages of the associated message", a, 1, 0, 0)
}
