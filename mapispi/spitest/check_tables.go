package spitest

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/mapiemu/mapiemu/mapispi"
)

// adviseTable registers a recorder on t; nil when the table sends no
// notifications (ErrNoSupport, which IMAPITable::Advise allows).
func (e *env) adviseTable(what string, t mapispi.Table) *recorder[mapispi.TableNotification] {
	rec := newRecorder[mapispi.TableNotification]()
	conn, err := t.Advise(e.ctx, mapispi.TableSinkFunc(func(ns []mapispi.TableNotification) mapispi.CallbackResult {
		rec.add(slices.Clone(ns))
		return mapispi.CallbackContinue
	}))
	switch {
	case isCode(err, mapispi.ErrNoSupport):
		return nil
	case err != nil:
		e.errorf("%s: Advise: %v", what, err)
		return nil
	case conn == 0:
		e.errorf("%s: Advise returned connection 0, which is never a connection", what)
	}
	return rec
}

// tableEvent waits for a notification of event ev for the row whose
// PR_INSTANCE_KEY is key, or for TABLE_CHANGED or TABLE_RELOAD, which a
// table may send instead ("TABLE_NOTIFICATION"), and returns it.
func (e *env) tableEvent(rec *recorder[mapispi.TableNotification], ev mapispi.TableEvent, key []byte) (mapispi.TableNotification, bool) {
	var found mapispi.TableNotification
	ok := rec.wait(e.ctx, func(ns []mapispi.TableNotification) bool {
		for _, n := range ns {
			b, _ := n.Index.Value.([]byte)
			if n.Event == ev && bytes.Equal(b, key) || n.Event == mapispi.TableChanged || n.Event == mapispi.TableReload {
				found = n
				return true
			}
		}
		return false
	})
	return found, ok
}

// instanceKey returns the PR_INSTANCE_KEY of the row naming id.
func (e *env) instanceKey(st mapispi.MsgStore, rows []mapispi.Row, id mapispi.EntryID) []byte {
	r, ok := e.findRow(st, rows, id)
	if !ok {
		return nil
	}
	return colBytes(r, mapispi.PropInstanceKey)
}

func checkContentsTables(e *env) {
	s := e.session(1, sessOpts{})
	l := e.mustLogon(s, 0, rw)
	mask := e.supportMask(l.st)
	cols := []mapispi.PropTag{mapispi.PropEntryID, mapispi.PropInstanceKey, mapispi.PropSubject, mapispi.PropMessageFlags}

	// Read only: a contents table opens and reads to its end, as many rows
	// as GetRowCount says.
	ipm := e.ipmSubtree(l.st, 0)
	t, err := ipm.ContentsTable(e.ctx, 0)
	tb := e.asTable("ContentsTable(0)", t, err)
	rows := e.readRows("a contents table", tb, cols...)
	if n, err := tb.RowCount(e.ctx); !isCode(err, mapispi.ErrNoSupport) && (err != nil || n != len(rows)) {
		e.errorf("a contents table's RowCount = %d, %v; QueryRows read %d rows", n, err, len(rows))
	}

	e.needWrite(mask)
	w := e.workFolder(l.st)
	// A table opened on an empty folder follows every saved change at
	// once (mapispi.Folder.ContentsTable).
	t, err = w.f.ContentsTable(e.ctx, 0)
	tb = e.asTable("ContentsTable(0) of an empty folder", t, err)
	if err := tb.SetColumns(e.ctx, slices.Clone(cols)); err != nil {
		e.fatalf("SetColumns(%v): %v", cols, err)
	}
	rec := e.adviseTable("the contents table", tb)
	t, err = w.f.ContentsTable(e.ctx, mapispi.TableAssociated)
	assoc := e.asTable("ContentsTable(MAPI_ASSOCIATED)", t, err)
	subjects := func(what string, t mapispi.Table) []string {
		return names(e.readRows(what, t, cols...), mapispi.PropSubject)
	}

	m1, id1 := e.message(w.f, 0, mapispi.KeepOpenReadWrite, subject("one"))
	if got := subjects("the table after a save", tb); !slices.Equal(got, []string{"one"}) {
		e.errorf("a contents table opened on an empty folder has rows %q after a message was saved, want [\"one\"]", got)
	}
	obj, err := w.f.CreateMessage(e.ctx, 0)
	m2 := e.asMessage("CreateMessage(0)", obj, err)
	e.setProps("a new message", m2, subject("two"))
	if got := subjects("the table with an unsaved message", tb); !slices.Equal(got, []string{"one"}) {
		e.errorf("an unsaved message shows in the contents table: rows %q, want [\"one\"]", got)
	}
	e.save("a new message", m2, 0)
	id2 := e.entryID("the saved message", m2)
	if got := subjects("the table after a second save", tb); !slices.Equal(got, []string{"one", "two"}) {
		e.errorf("contents table rows %q after a second message was saved, want [\"one\" \"two\"]", got)
	}
	e.setProps("the first message", m1, subject("uno"))
	if got := subjects("the table with an unsaved change", tb); !slices.Equal(got, []string{"one", "two"}) {
		e.errorf("an unsaved change shows in the contents table: rows %q, want [\"one\" \"two\"]", got)
	}
	e.save("the first message", m1, 0)
	if got := subjects("the table after a change was saved", tb); !slices.Equal(got, []string{"two", "uno"}) {
		e.errorf("contents table rows %q after a changed subject was saved, want [\"two\" \"uno\"]", got)
	}

	// MAPI_ASSOCIATED tables list the associated messages, the others the
	// normal ones ("IMAPIContainer::GetContentsTable").
	e.message(w.f, mapispi.MessageAssociated, 0, subject("hidden"))
	if got := subjects("the table after an associated message was saved", tb); !slices.Equal(got, []string{"two", "uno"}) {
		e.errorf("the contents table lists an associated message: rows %q, want [\"two\" \"uno\"]", got)
	}
	arows := e.readRows("the associated contents table", assoc, cols...)
	if got := names(arows, mapispi.PropSubject); !slices.Equal(got, []string{"hidden"}) {
		e.errorf("ContentsTable(MAPI_ASSOCIATED) rows %q, want [\"hidden\"]: only associated messages", got)
	}
	for _, r := range arows {
		if v, _ := col(r, mapispi.PropMessageFlags); v.Value == nil || mapispi.MessageFlags(asInt(v.Value))&mapispi.MsgFlagAssociated == 0 {
			e.errorf("a row of ContentsTable(MAPI_ASSOCIATED) has %v, want MSGFLAG_ASSOCIATED set", v)
		}
	}
	before := e.readRows("the table", tb, cols...)
	key1, key2 := e.instanceKey(l.st, before, id1), e.instanceKey(l.st, before, id2)
	if err := w.f.DeleteMessages(e.ctx, []mapispi.EntryID{id2.Clone()}, 0); err != nil {
		e.fatalf("precondition: DeleteMessages: %v", err)
	}
	if got := subjects("the table after a delete", tb); !slices.Equal(got, []string{"uno"}) {
		e.errorf("contents table rows %q after a message was deleted, want [\"uno\"]", got)
	}

	// An advised table says so: TABLE_ROW_ADDED (Prior PR_NULL for the
	// first row), TABLE_ROW_DELETED, or TABLE_CHANGED instead.
	if rec != nil {
		if n, ok := e.tableEvent(rec, mapispi.TableRowAdded, key1); !ok {
			e.errorf("an advised contents table sent no TABLE_ROW_ADDED for the first saved message (PR_INSTANCE_KEY %X), nor TABLE_CHANGED; it sent %v", key1, rec.all())
		} else if n.Event == mapispi.TableRowAdded && n.Prior.Tag != mapispi.PropNull {
			e.errorf("TABLE_ROW_ADDED for the first row of an empty table has Prior %v, want a value tagged PR_NULL", n.Prior)
		}
		if _, ok := e.tableEvent(rec, mapispi.TableRowDeleted, key2); !ok {
			e.errorf("an advised contents table sent no TABLE_ROW_DELETED for a deleted message (PR_INSTANCE_KEY %X), nor TABLE_CHANGED; it sent %v", key2, rec.all())
		}
	}

	// PR_CONTAINER_CONTENTS opens the same table ("Contents Tables").
	po, ok := w.f.(mapispi.PropertyOpener)
	if !ok {
		return
	}
	pobj, err := po.OpenProperty(e.ctx, mapispi.PropContainerContents, mapispi.IIDMAPITable, 0)
	pt := e.asTable("OpenProperty(PR_CONTAINER_CONTENTS, IID_IMAPITable, 0)", pobj, err)
	if got := subjects("the PR_CONTAINER_CONTENTS table", pt); !slices.Equal(got, []string{"uno"}) {
		e.errorf("OpenProperty(PR_CONTAINER_CONTENTS, IID_IMAPITable) rows %q, want ContentsTable(0)'s [\"uno\"]", got)
	}
}

// asInt returns an int32 value, 0 for another type.
func asInt(v any) int32 {
	n, _ := v.(int32)
	return n
}

func checkHierarchyTables(e *env) {
	s := e.session(1, sessOpts{})
	l := e.mustLogon(s, 0, rw)
	mask := e.supportMask(l.st)
	cols := []mapispi.PropTag{mapispi.PropEntryID, mapispi.PropInstanceKey, mapispi.PropDisplayName, mapispi.PropDepth}

	// Read only: the root folder's hierarchy table lists its children
	// (each opens, with the root as parent); with CONVENIENT_DEPTH its
	// descendants, the children at PR_DEPTH 0 ("Hierarchy Tables").
	root := e.openFolder(l.st, "nil", nil, 0)
	rootID := e.entryID("the root folder", root)
	kids := e.children("the root folder", root, 0, cols...)
	for _, r := range kids {
		id := colBytes(r, mapispi.PropEntryID)
		k := e.openFolder(l.st, fmt.Sprintf("the PR_ENTRYID of the root's hierarchy row %q", colString(r, mapispi.PropDisplayName)), id, 0)
		if p, _ := e.bin("a child of the root", k, mapispi.PropParentEntryID); !e.sameID(l.st, p, rootID) {
			e.errorf("folder %q, a row of the root's hierarchy table, has PR_PARENT_ENTRYID %X, want the root's %X", colString(r, mapispi.PropDisplayName), p, []byte(rootID))
		}
	}
	deep := e.children("the root folder", root, mapispi.TableConvenientDepth, cols...)
	var top []string
	for _, r := range deep {
		if v, _ := col(r, mapispi.PropDepth); asInt(v.Value) == 0 && v.Tag == mapispi.PropDepth {
			top = append(top, colString(r, mapispi.PropDisplayName))
		}
	}
	slices.Sort(top)
	if want := names(kids, mapispi.PropDisplayName); !slices.Equal(top, want) {
		e.errorf("the root's HierarchyTable(CONVENIENT_DEPTH) has rows %q at PR_DEPTH 0, want its children %q", top, want)
	}

	e.needWrite(mask)
	w := e.workFolder(l.st)
	a, _ := e.subfolder(w.f, "A")
	a1, _ := e.subfolder(a, "A1")
	e.subfolder(a1, "A2")
	e.subfolder(w.f, "B")

	if got := names(e.children("the work folder", w.f, 0, cols...), mapispi.PropDisplayName); !slices.Equal(got, []string{"A", "B"}) {
		e.errorf("HierarchyTable(0) rows %q, want the children [\"A\" \"B\"] only", got)
	}
	// CONVENIENT_DEPTH: every descendant, depth first, PR_DEPTH from 0
	// (mapispi.Folder.HierarchyTable).
	var got []string
	for _, r := range e.children("the work folder", w.f, mapispi.TableConvenientDepth, cols...) {
		v, _ := col(r, mapispi.PropDepth)
		got = append(got, fmt.Sprintf("%s@%v", colString(r, mapispi.PropDisplayName), v.Value))
	}
	if !slices.Equal(got, []string{"A@0", "A1@1", "A2@2", "B@0"}) && !slices.Equal(got, []string{"B@0", "A@0", "A1@1", "A2@2"}) {
		e.errorf("HierarchyTable(CONVENIENT_DEPTH) rows (name@PR_DEPTH) %q, want A@0 A1@1 A2@2 and B@0, depth first", got)
	}

	// An open table follows folders made and deleted at once, and an
	// advised one says so.
	t, err := w.f.HierarchyTable(e.ctx, 0)
	tb := e.asTable("HierarchyTable(0)", t, err)
	if err := tb.SetColumns(e.ctx, slices.Clone(cols)); err != nil {
		e.fatalf("SetColumns(%v): %v", cols, err)
	}
	rec := e.adviseTable("the hierarchy table", tb)
	_, cID := e.subfolder(w.f, "C")
	rows := e.readRows("the hierarchy table", tb, cols...)
	if got := names(rows, mapispi.PropDisplayName); !slices.Equal(got, []string{"A", "B", "C"}) {
		e.errorf("an open hierarchy table has rows %q after CreateFolder(\"C\"), want [\"A\" \"B\" \"C\"]", got)
	}
	key := e.instanceKey(l.st, rows, cID)
	if err := w.f.DeleteFolder(e.ctx, cID, 0); err != nil {
		e.fatalf("precondition: DeleteFolder(C): %v", err)
	}
	if got := names(e.readRows("the hierarchy table", tb, cols...), mapispi.PropDisplayName); !slices.Equal(got, []string{"A", "B"}) {
		e.errorf("an open hierarchy table has rows %q after DeleteFolder(C), want [\"A\" \"B\"]", got)
	}
	if rec != nil {
		if _, ok := e.tableEvent(rec, mapispi.TableRowAdded, key); !ok {
			e.errorf("an advised hierarchy table sent no TABLE_ROW_ADDED for a new folder (PR_INSTANCE_KEY %X), nor TABLE_CHANGED; it sent %v", key, rec.all())
		}
		if _, ok := e.tableEvent(rec, mapispi.TableRowDeleted, key); !ok {
			e.errorf("an advised hierarchy table sent no TABLE_ROW_DELETED for a deleted folder (PR_INSTANCE_KEY %X), nor TABLE_CHANGED; it sent %v", key, rec.all())
		}
	}

	// PR_CONTAINER_HIERARCHY opens the same table.
	po, ok := w.f.(mapispi.PropertyOpener)
	if !ok {
		return
	}
	obj, err := po.OpenProperty(e.ctx, mapispi.PropContainerHierarchy, mapispi.IIDMAPITable, 0)
	pt := e.asTable("OpenProperty(PR_CONTAINER_HIERARCHY, IID_IMAPITable, 0)", obj, err)
	if got := names(e.readRows("the PR_CONTAINER_HIERARCHY table", pt, cols...), mapispi.PropDisplayName); !slices.Equal(got, []string{"A", "B"}) {
		e.errorf("OpenProperty(PR_CONTAINER_HIERARCHY, IID_IMAPITable) rows %q, want HierarchyTable(0)'s [\"A\" \"B\"]", got)
	}
}
