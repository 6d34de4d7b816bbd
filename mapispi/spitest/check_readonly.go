package spitest

import (
	"fmt"
	"slices"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
)

// snapshot is what a read-only logon's refused calls must leave as it
// was: a folder's name, subfolders and messages.
type snapshot struct {
	name     string
	folders  []string
	messages []string
}

func (e *env) snapshot(what string, f mapispi.Folder) snapshot {
	name, _ := e.str(what, f, mapispi.PropDisplayName)
	return snapshot{
		name:     name,
		folders:  names(e.children(what, f, 0, mapispi.PropDisplayName), mapispi.PropDisplayName),
		messages: names(e.contents(what, f, 0, mapispi.PropSubject), mapispi.PropSubject),
	}
}

func (s snapshot) String() string {
	return fmt.Sprintf("name %q, subfolders %q, messages %q", s.name, s.folders, s.messages)
}

func (s snapshot) equal(t snapshot) bool {
	return s.name == t.name && slices.Equal(s.folders, t.folders) && slices.Equal(s.messages, t.messages)
}

func checkReadOnlyRefusesChanges(e *env) {
	// With a writable store, a folder with a subfolder and a message to
	// try changing.
	s := e.session(1, sessOpts{})
	l := e.mustLogon(s, 0, rw)
	var target, sub, msg mapispi.EntryID
	if writable(e.supportMask(l.st)) {
		w := e.workFolder(l.st)
		_, sub = e.subfolder(w.f, "S")
		_, msg = e.message(w.f, 0, 0, subject("kept"))
		target = w.id
	}

	// A logon without MDB_WRITE, in another session.
	s2 := e.session(1, sessOpts{})
	ro, err := e.logon(s2, 0, mapispi.LogonNoDialog)
	if err != nil {
		e.fatalf("precondition: Logon(%v): %v", mapispi.LogonNoDialog, err)
	}
	if m := e.supportMask(ro.st); m&mapispi.StoreReadOnly == 0 {
		e.skipf("a logon without MDB_WRITE, in a second session, has PR_STORE_SUPPORT_MASK %v, without STORE_READONLY (LogonReadOnly reports that, or InitNewObject when the second session's provider object reopened the first's store)", m)
	}
	e.refuseChanges("a logon without MDB_WRITE", ro.st, target, sub, msg)
	if sub != nil {
		if gone, _ := e.gone(l.st, sub); gone {
			e.errorf("a read-only logon's refused calls deleted a subfolder")
		}
		if gone, _ := e.gone(l.st, msg); gone {
			e.errorf("a read-only logon's refused calls deleted a message")
		}
	}

	// A store that cannot be written, logged on with MDB_WRITE.
	if st := e.readOnlyStore(); st != nil {
		s3 := e.session(0, sessOpts{extra: []mapi.Service{st.svc}})
		p := e.providerOf(s3, st.svc.Name)
		res, err := e.rawLogon(s3, p, e.support(s3, st.svc.Name, false), st.id.Clone(), rw)
		if err != nil {
			e.fatalf("precondition: Logon(%v) of a store that cannot be written: %v", rw, err)
		}
		s3.take(res.SpoolSecurity)
		e.refuseChanges("a logon with MDB_WRITE of a store that cannot be written", res.Store, nil, nil, nil)
	}
}

// refuseChanges tries every change through st, a read-only logon, on
// the folder target names (the IPM subtree or root when nil), its
// subfolder sub and its message msg (when not nil), and checks that
// each is refused with ErrNoAccess and that nothing changed.
func (e *env) refuseChanges(who string, st mapispi.MsgStore, target, sub, msg mapispi.EntryID) {
	refused := func(call string, err error) {
		if !isCode(err, mapispi.ErrNoAccess) {
			e.errorf("%s: %s = %v, want ErrNoAccess", who, call, err)
		}
	}
	openRefused := func(what string, id mapispi.EntryID) {
		obj, err := st.OpenEntry(e.ctx, id.Clone(), mapispi.OpenModify)
		if err == nil && !isNil(obj) {
			if c, ok := obj.(closer); ok {
				e.keepOpen(c)
			}
		}
		refused(fmt.Sprintf("OpenEntry(%s, MAPI_MODIFY)", what), err)
	}

	// OpenEntry: MAPI_MODIFY is ErrNoAccess, MAPI_BEST_ACCESS read-only
	// ("IMsgStore::OpenEntry").
	openRefused("nil", nil)
	var f mapispi.Folder
	if target != nil {
		openRefused("a folder", target)
		f = e.openFolder(st, "a folder", target, mapispi.OpenBestAccess)
	} else {
		f = e.ipmSubtree(st, mapispi.OpenBestAccess)
	}
	if v := e.prop(who+": a folder opened with MAPI_BEST_ACCESS", f, mapispi.PropAccessLevel); v.Tag == mapispi.PropAccessLevel && asInt(v.Value) != 0 {
		e.errorf("%s: a folder opened with MAPI_BEST_ACCESS has %v, want read-only (0)", who, v)
	}
	before := e.snapshot(who+": the folder", f)

	// Every change of the folder is refused.
	obj, err := f.CreateFolder(e.ctx, mapispi.FolderGeneric, "not made", "", 0)
	refused(`CreateFolder(FOLDER_GENERIC, "not made")`, err)
	if err == nil && !isNil(obj) {
		e.keepOpen(obj)
	}
	msgObj, err := f.CreateMessage(e.ctx, 0)
	refused("CreateMessage(0)", err)
	if err == nil && !isNil(msgObj) {
		e.keepOpen(msgObj)
	}
	probs, err := f.SetProps(e.ctx, []mapispi.PropValue{{Tag: mapispi.PropDisplayName, Value: "renamed"}})
	refused(fmt.Sprintf("SetProps(PR_DISPLAY_NAME) (problems %v)", probs), err)
	probs, err = f.DeleteProps(e.ctx, []mapispi.PropTag{mapispi.PropComment})
	refused(fmt.Sprintf("DeleteProps(PR_COMMENT) (problems %v)", probs), err)
	if target != nil {
		refused("EmptyFolder(DEL_ASSOCIATED)", f.EmptyFolder(e.ctx, mapispi.DelAssociated))
	}
	if sub != nil {
		refused("DeleteFolder(a subfolder, DEL_FOLDERS|DEL_MESSAGES)", f.DeleteFolder(e.ctx, sub.Clone(), mapispi.DelFolders|mapispi.DelMessages))
		refused("CopyFolder(a subfolder, the folder, \"copy\", 0)", f.CopyFolder(e.ctx, sub.Clone(), f, "copy", 0))
	}
	if msg != nil {
		ids := []mapispi.EntryID{msg.Clone()}
		refused("DeleteMessages([a message])", f.DeleteMessages(e.ctx, ids, 0))
		refused("SetReadFlags([a message], 0)", f.SetReadFlags(e.ctx, ids, 0))
		refused("CopyMessages([a message], the folder, 0)", f.CopyMessages(e.ctx, ids, f, 0))
		_, err := f.SetMessageStatus(e.ctx, msg.Clone(), mapispi.MessageStatus(0x2), mapispi.MessageStatus(0x2))
		refused("SetMessageStatus(a message, MSGSTATUS_TAGGED)", err)

		// And every change of a message.
		openRefused("a message", msg)
		m := e.openMessage(st, "a message", msg, mapispi.OpenBestAccess)
		probs, err := m.SetProps(e.ctx, []mapispi.PropValue{subject("changed")})
		refused(fmt.Sprintf("SetProps(PR_SUBJECT) on a message (problems %v)", probs), err)
		refused("ModifyRecipients(MODRECIP_ADD) on a message", m.ModifyRecipients(e.ctx, mapispi.ModRecipAdd,
			[]mapispi.Row{{{Tag: mapispi.PropDisplayName, Value: "X"}, {Tag: mapispi.PropRecipientType, Value: int32(mapispi.RecipTo)}}}))
		a, _, err := m.CreateAttach(e.ctx, 0)
		refused("CreateAttach(0) on a message", err)
		if err == nil && !isNil(a) {
			e.keepOpen(a)
		}
		refused("SaveChanges(0) of a message", m.SaveChanges(e.ctx, 0))
		if s, _ := e.str("the message", m, mapispi.PropSubject); s != "kept" {
			e.errorf("%s: a message's PR_SUBJECT is %q after refused changes, want \"kept\"", who, s)
		}
	}
	if after := e.snapshot(who+": the folder", f); !after.equal(before) {
		e.errorf("%s: refused changes changed the folder: %v, was %v", who, after, before)
	}
}
