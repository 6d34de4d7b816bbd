package msprovider

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

var _ mapispi.ReceiveFolders = (*Store)(nil)

// receiveRule maps a message class to the folder its messages arrive in.
type receiveRule struct {
	class  string // as it was set; "" for the default
	folder ID
}

// receiveDefaults sets the receive folders of a store the first time it
// is loaded, as the "MAPI Receive Folders" page has them for a new store:
// the Inbox for "" (the default), "IPM" and "REPORT" (every report
// class), the root folder for "IPC" (e.mu held). A store without an
// Inbox receives everything in its root folder.
func (e *engine) receiveDefaults() {
	e.receive = map[string]receiveRule{"ipc": {"IPC", RootID}}
	inbox := e.roles[RoleInbox]
	if inbox == 0 {
		inbox = RootID
	}
	for _, c := range []string{"", "IPM", "REPORT"} {
		e.receive[strings.ToLower(c)] = receiveRule{c, inbox}
	}
}

// checkClass refuses a message class MAPI does not allow: characters
// outside ASCII 32-126, a leading or trailing period, two periods in a
// row, or more than 255 characters ([MS-OXCSTOR] 2.2.1.2.1; the MAPI
// page allows 127 too, and the stricter rule is kept).
func checkClass(op, class string) error {
	bad := len(class) > 255 || strings.HasPrefix(class, ".") || strings.HasSuffix(class, ".") || strings.Contains(class, "..")
	for i := 0; i < len(class) && !bad; i++ {
		bad = class[i] < 32 || class[i] > 126
	}
	if bad {
		return mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "%s: %q is not a message class", op, class)
	}
	return nil
}

// SetReceiveFolder is IMsgStore::SetReceiveFolder: messages of class, and
// of its subclasses that have no folder of their own, arrive in the
// folder id names; a nil id removes class's folder (their messages then
// go where their base class's go), and succeeds when it had none. The
// empty class is the default: a nil id for it sends mail that no class
// claims to the root folder. Classes compare without regard to case. A
// read-only logon is ErrNoAccess; an ID that is not a folder of the
// store, ErrInvalidEntryID or ErrNotFound. The settings live as long as
// the store does in its Backend.
func (s *Store) SetReceiveFolder(ctx context.Context, class string, id mapispi.EntryID) error {
	if err := s.checkWrite("SetReceiveFolder"); err != nil {
		return err
	}
	if err := checkClass("SetReceiveFolder", class); err != nil {
		return err
	}
	var folder ID
	if id != nil {
		if err := s.owns("SetReceiveFolder", id); err != nil {
			return err
		}
		ref, err := parseObjectID(s.data.uid, id)
		if err != nil {
			return err
		}
		if ref.typ != mapispi.ObjFolder {
			return mapispi.Errorf(mapispi.ErrInvalidEntryID, "msprovider", "SetReceiveFolder: %v is a message, not a folder", id)
		}
		folder = ref.id
	}
	e := s.data.eng
	if err := e.begin(ctx); err != nil {
		return err
	}
	defer e.mu.Unlock()
	key := strings.ToLower(class)
	if folder == 0 {
		if class == "" {
			e.receive[key] = receiveRule{"", RootID}
		} else {
			delete(e.receive, key)
		}
		return nil
	}
	if _, err := e.folder(ctx, folder); err != nil {
		return err
	}
	e.receive[key] = receiveRule{class, folder}
	return nil
}

// ReceiveFolder is IMsgStore::GetReceiveFolder: the folder of the
// longest registered class that is class or a base class of it (whole
// levels: "IPM.Note" is under "IPM", "IPM.Notes" is not under
// "IPM.Note"), and that class as it was set; "" when only the default
// applies. A folder deleted since it was set is passed over.
func (s *Store) ReceiveFolder(ctx context.Context, class string) (mapispi.EntryID, string, error) {
	if err := s.check("GetReceiveFolder"); err != nil {
		return nil, "", err
	}
	if err := checkClass("GetReceiveFolder", class); err != nil {
		return nil, "", err
	}
	e := s.data.eng
	if err := e.begin(ctx); err != nil {
		return nil, "", err
	}
	defer e.mu.Unlock()
	key := strings.ToLower(class)
	for {
		if r, ok := e.receive[key]; ok {
			if _, err := e.folder(ctx, r.folder); err == nil {
				return e.folderID(r.folder), r.class, nil
			}
		}
		if key == "" {
			return e.folderID(RootID), "", nil
		}
		if i := strings.LastIndexByte(key, '.'); i >= 0 {
			key = key[:i]
		} else {
			key = ""
		}
	}
}

// receiveColumns are the receive folder table's columns, as the "Receive
// Folder Tables" page requires them.
var receiveColumns = []mapispi.PropTag{mapispi.PropEntryID, mapispi.PropMessageClass, mapispi.PropRecordKey, mapispi.PropInstanceKey}

// ReceiveFolderTable is IMsgStore::GetReceiveFolderTable: one row per
// class with a receive folder, the default ("") included, with
// PR_ENTRYID, PR_MESSAGE_CLASS and PR_RECORD_KEY (the folder's). It is a
// snapshot: later SetReceiveFolder calls do not change it.
func (s *Store) ReceiveFolderTable(ctx context.Context, flags mapispi.OpenFlags) (mapispi.Table, error) {
	if err := s.check("GetReceiveFolderTable"); err != nil {
		return nil, err
	}
	if err := flags.Check(); err != nil {
		return nil, err
	}
	e := s.data.eng
	if err := e.begin(ctx); err != nil {
		return nil, err
	}
	rows := make([]mapispi.Row, 0, len(e.receive))
	for _, key := range slices.Sorted(maps.Keys(e.receive)) {
		r := e.receive[key]
		if _, err := e.folder(ctx, r.folder); err != nil {
			continue
		}
		rows = append(rows, mapispi.Row{
			{Tag: mapispi.PropEntryID, Value: []byte(e.folderID(r.folder))},
			{Tag: mapispi.PropMessageClass, Value: r.class},
			{Tag: mapispi.PropRecordKey, Value: e.recordKey(r.folder)},
			{Tag: mapispi.PropInstanceKey, Value: []byte(key)},
		})
	}
	e.mu.Unlock()
	td, err := mapiutil.NewTableData(mapispi.PropInstanceKey, receiveColumns)
	if err != nil {
		return nil, err
	}
	if err := td.ModifyRows(rows); err != nil {
		return nil, err
	}
	return s.newView(td, nil)
}
