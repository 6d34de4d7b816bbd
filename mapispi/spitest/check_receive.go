package spitest

import (
	"strings"

	"github.com/mapiemu/mapiemu/mapispi"
)

// receiveFolder calls ReceiveFolder(class) and returns the folder and
// the class that matched, or ends the case.
func (e *env) receiveFolder(rf mapispi.ReceiveFolders, class string) (mapispi.EntryID, string) {
	id, explicit, err := rf.ReceiveFolder(e.ctx, class)
	if err != nil {
		e.fatalf("GetReceiveFolder(%q): %v", class, err)
	}
	if len(id) == 0 {
		e.fatalf("GetReceiveFolder(%q) returned no entry ID and no error", class)
	}
	return id.Clone(), explicit
}

func checkReceiveFolders(e *env) {
	s := e.session(1, sessOpts{})
	l := e.mustLogon(s, 0, rw)
	rf, ok := l.st.(mapispi.ReceiveFolders)
	if !ok {
		e.skipf("the store (%T) does not implement mapispi.ReceiveFolders: it receives no mail", l.st)
	}
	mask := e.supportMask(l.st)

	// Read only: a new store sends IPM messages to the Inbox, the
	// receive folder of "IPM" ("MAPI Receive Folders"), which opens as a
	// folder; "IPM.Note" finds it through its base class "IPM".
	inbox, explicit := e.receiveFolder(rf, "IPM")
	if !strings.EqualFold(explicit, "IPM") {
		e.errorf("a new store's GetReceiveFolder(\"IPM\") gives explicit class %q, want \"IPM\": a new store's Inbox receives IPM", explicit)
	}
	e.openFolder(l.st, "GetReceiveFolder(\"IPM\")", inbox, 0)
	if id, explicit := e.receiveFolder(rf, "IPM.Note"); !e.sameID(l.st, id, inbox) || !strings.EqualFold(explicit, "IPM") {
		e.errorf("a new store's GetReceiveFolder(\"IPM.Note\") = %v, %q; want the Inbox (%v), \"IPM\"", id, explicit, inbox)
	}

	// A class's folder serves its subclasses, whole levels only, without
	// regard to case ("IMsgStore::GetReceiveFolder", "MAPI Receive
	// Folders", PidTagMessageClass).
	e.needWrite(mask)
	w := e.workFolder(l.st)
	const sample = "IPM.Note.Sample"
	if err := rf.SetReceiveFolder(e.ctx, sample, w.id.Clone()); err != nil {
		e.fatalf("SetReceiveFolder(%q, the case's folder): %v", sample, err)
	}
	e.onExit(func() { _ = protect(func() error { return rf.SetReceiveFolder(e.bg(), sample, nil) }) })
	for _, class := range []string{sample, "IPM.Note.Sample.Simple", "ipm.note.sample", "IPM.NOTE.SAMPLE.Simple"} {
		if id, explicit := e.receiveFolder(rf, class); !e.sameID(l.st, id, w.id) || !strings.EqualFold(explicit, sample) {
			e.errorf("after SetReceiveFolder(%q, X) GetReceiveFolder(%q) = %v, %q; want X (%v), %q", sample, class, id, explicit, w.id, sample)
		}
	}
	for _, class := range []string{"IPM.Note.Samples", "IPM.Note", "IPM.Timecard"} {
		if id, explicit := e.receiveFolder(rf, class); !e.sameID(l.st, id, inbox) || !strings.EqualFold(explicit, "IPM") {
			e.errorf("after SetReceiveFolder(%q, X) GetReceiveFolder(%q) = %v, %q; want the Inbox (%v), \"IPM\": %q is not %q or a subclass of it", sample, class, id, explicit, inbox, class, sample)
		}
	}
	// A nil ID removes the class's own folder: it falls back to its base
	// class's.
	if err := rf.SetReceiveFolder(e.ctx, sample, nil); err != nil {
		e.fatalf("SetReceiveFolder(%q, nil): %v", sample, err)
	}
	if id, explicit := e.receiveFolder(rf, "IPM.Note.Sample.Simple"); !e.sameID(l.st, id, inbox) || !strings.EqualFold(explicit, "IPM") {
		e.errorf("after SetReceiveFolder(%q, nil) GetReceiveFolder(\"IPM.Note.Sample.Simple\") = %v, %q; want the Inbox (%v), \"IPM\"", sample, id, explicit, inbox)
	}
}
