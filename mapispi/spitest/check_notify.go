package spitest

import (
	"slices"

	"github.com/mapiemu/mapiemu/mapispi"
)

func checkNotifications(e *env) {
	s := e.session(1, sessOpts{})
	l := e.mustLogon(s, 0, rw)
	mask := e.supportMask(l.st)
	adv, ok := l.st.(mapispi.Adviser)
	switch {
	case mask&mapispi.StoreNotifyOK == 0:
		e.skipf("PR_STORE_SUPPORT_MASK = %v has no STORE_NOTIFY_OK: the store sends no notifications", mask)
	case !ok:
		e.fatalf("PR_STORE_SUPPORT_MASK = %v has STORE_NOTIFY_OK, but the store (%T) does not implement mapispi.Adviser, so clients cannot register for them", mask, l.st)
	}
	e.needWrite(mask)
	w := e.workFolder(l.st)
	dest, destID := e.subfolder(w.f, "D")

	rec := newRecorder[mapispi.Notification]()
	events := mapispi.EventObjectCreated | mapispi.EventObjectModified | mapispi.EventObjectMoved | mapispi.EventObjectDeleted | mapispi.EventObjectCopied
	conn, err := adv.Advise(e.ctx, nil, events, mapispi.AdviseSinkFunc(func(ns []mapispi.Notification) mapispi.CallbackResult {
		out := make([]mapispi.Notification, len(ns))
		for i, n := range ns {
			out[i] = n
			out[i].EntryID, out[i].ParentID = n.EntryID.Clone(), n.ParentID.Clone()
			out[i].OldID, out[i].OldParentID = n.OldID.Clone(), n.OldParentID.Clone()
		}
		rec.add(out)
		return mapispi.CallbackContinue
	}))
	switch {
	case err != nil:
		e.fatalf("Advise(nil, %v) on a store with STORE_NOTIFY_OK: %v", events, err)
	case conn == 0:
		e.errorf("Advise returned connection 0, which is never a connection")
	}

	// A message's events, as the "Handling Message Store Notifications"
	// page has a store send them: ObjectCreated at its first save and not
	// before (a message is transacted), ObjectModified at a later save,
	// ObjectMoved with the old IDs; only moves and copies have old IDs
	// ("OBJECT_NOTIFICATION").
	obj, err := w.f.CreateMessage(e.ctx, 0)
	m := e.asMessage("CreateMessage(0)", obj, err)
	e.setProps("a new message", m, subject("watched"))
	e.save("a new message", m, mapispi.KeepOpenReadWrite)
	id := e.entryID("the saved message", m)
	about := func(n mapispi.Notification, id mapispi.EntryID) bool {
		return e.sameID(l.st, n.EntryID, id) || e.sameID(l.st, n.OldID, id)
	}
	find := func(ev mapispi.EventMask, id mapispi.EntryID) func([]mapispi.Notification) bool {
		return func(ns []mapispi.Notification) bool {
			return slices.ContainsFunc(ns, func(n mapispi.Notification) bool { return n.Event == ev && about(n, id) })
		}
	}
	if !rec.wait(e.ctx, find(mapispi.EventObjectCreated, id)) {
		e.fatalf("no fnevObjectCreated for a message's first SaveChanges (got %v)", rec.all())
	}
	e.setProps("the message", m, subject("watched again"))
	e.save("the message", m, 0)
	if !rec.wait(e.ctx, find(mapispi.EventObjectModified, id)) {
		e.errorf("no fnevObjectModified for a message's second SaveChanges (got %v)", rec.all())
	}
	if err := w.f.CopyMessages(e.ctx, []mapispi.EntryID{id.Clone()}, dest, mapispi.MessageMove); err != nil {
		e.fatalf("precondition: CopyMessages(MESSAGE_MOVE): %v", err)
	}
	rows := e.contents("the destination", dest, 0, mapispi.PropEntryID)
	if len(rows) != 1 {
		e.fatalf("precondition: after CopyMessages(MESSAGE_MOVE) the destination has %d messages, want 1", len(rows))
	}
	newID := colBytes(rows[0], mapispi.PropEntryID)
	if !rec.wait(e.ctx, func(ns []mapispi.Notification) bool {
		return find(mapispi.EventObjectMoved, id)(ns) || find(mapispi.EventObjectMoved, newID)(ns)
	}) {
		e.errorf("no fnevObjectMoved for CopyMessages(MESSAGE_MOVE) of a message (got %v)", rec.all())
	}

	var seen []mapispi.EventMask
	for _, n := range rec.all() {
		if !about(n, id) && !about(n, newID) {
			continue
		}
		seen = append(seen, n.Event)
		switch n.Event {
		case mapispi.EventObjectCreated, mapispi.EventObjectModified:
			if n.OldID != nil || n.OldParentID != nil {
				e.errorf("%v has OldID %v and OldParentID %v, which only moves and copies set", n.Event, n.OldID, n.OldParentID)
			}
			if n.ObjectType != mapispi.ObjMessage {
				e.errorf("%v of a message has ObjectType %v", n.Event, n.ObjectType)
			}
			if !e.sameID(l.st, n.ParentID, w.id) {
				e.errorf("%v of a message has ParentID %v, want its folder's %v", n.Event, n.ParentID, w.id)
			}
		case mapispi.EventObjectMoved:
			switch {
			case !e.sameID(l.st, n.OldID, id) || !e.sameID(l.st, n.OldParentID, w.id):
				e.errorf("fnevObjectMoved has OldID %v, OldParentID %v; want the message's old entry ID %v and old folder %v", n.OldID, n.OldParentID, id, w.id)
			case !e.sameID(l.st, n.EntryID, newID) || !e.sameID(l.st, n.ParentID, destID):
				e.errorf("fnevObjectMoved has EntryID %v, ParentID %v; want the message's new entry ID %v and folder %v", n.EntryID, n.ParentID, newID, destID)
			}
		}
	}
	if len(seen) == 0 || seen[0] != mapispi.EventObjectCreated {
		e.errorf("the events for a message were %v, want fnevObjectCreated first: nothing before its first save", seen)
	}

	// Unadvise ends the registration; an unknown connection is
	// ErrNotFound (mapispi.Adviser).
	if err := adv.Unadvise(e.ctx, conn); err != nil {
		e.errorf("Unadvise(%d): %v", conn, err)
	}
	if err := adv.Unadvise(e.ctx, conn); !isCode(err, mapispi.ErrNotFound) {
		e.errorf("Unadvise(%d) a second time = %v, want ErrNotFound", conn, err)
	}
}
