package pst

import (
	"errors"
	"fmt"
	"slices"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/mapispi"
)

// This file is the folder of the messaging layer ([MS-PST] 2.4.4): a
// property context and three table contexts sharing one nidIndex, the
// hierarchy table (its subfolders), the contents table (its messages)
// and the FAI contents table (its associated messages), each row's
// PidTagLtpRowId being the NID of the object it lists. A search folder
// ([MS-PST] 2.4.8) lists its messages in a search contents table.

// Folder is a folder of the file: its properties, its subfolders and
// its messages. A Folder is a value read from the file when it was
// returned (its NID and display name); its methods read the rest on
// each call, and are safe for concurrent use.
type Folder struct {
	f    *File
	nid  NID
	cp   codepage.ID
	name string
}

// Root returns the root folder (NID_ROOT_FOLDER, [MS-PST] 2.4.1), whose
// subfolders are the top of the folder tree ("Top of Personal Folders"
// or "Top of Outlook data file", and the search root).
func (f *File) Root() (*Folder, error) {
	n, err := f.node(nidRootFolder)
	if err != nil {
		return nil, err
	}
	cp, err := f.storeCodepage()
	if err != nil {
		return nil, err
	}
	return f.openFolder(n, cp, f.callBudget())
}

// openFolder reads the folder of node n, for a call whose budget is
// bud.
func (f *File) openFolder(n *node, cp codepage.ID, bud *budget) (*Folder, error) {
	pc, err := openPC(n, cp, bud)
	if err != nil {
		return nil, err
	}
	fo := &Folder{f: f, nid: n.nid, cp: cp}
	v, ok, err := pc.prop(mapispi.PropDisplayName.ID())
	if err != nil {
		return nil, err
	}
	if s, isString := v.Value.(string); ok && isString {
		fo.name = s
	}
	return fo, nil
}

// NID returns the folder's node ID.
func (fo *Folder) NID() NID { return fo.nid }

// Name returns the folder's PR_DISPLAY_NAME, "" when it has none.
func (fo *Folder) Name() string { return fo.name }

// Props returns the folder's properties (its property context), in
// property ID order.
func (fo *Folder) Props() ([]mapispi.PropValue, error) {
	n, err := fo.f.node(fo.nid)
	if err != nil {
		return nil, err
	}
	pc, err := openPC(n, fo.cp, fo.f.callBudget())
	if err != nil {
		return nil, err
	}
	return pcProps(pc)
}

func (fo *Folder) search() bool { return fo.nid.Type() == nidTypeSearchFolder }

// table opens the folder's table of NID type t; when the file has none
// and mayLack, it returns nil and no error.
func (fo *Folder) table(t uint8, mayLack bool) (*tableContext, error) {
	n, err := fo.f.node(withNID(fo.nid, t))
	if errors.Is(err, errNotFound) && mayLack {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return openTC(n, fo.cp, fo.f.callBudget())
}

// rowIDs returns the PidTagLtpRowId of every row of tc, in table order,
// reading no other cell.
func rowIDs(tc *tableContext) ([]NID, error) {
	col := -1
	for i, c := range tc.columns() {
		if c.tag == mapispi.NewPropTag(mapispi.PtLong, propLtpRowID) {
			col = i
		}
	}
	if col < 0 {
		return nil, msgErr(tc.h.nid, "table has no PidTagLtpRowId column")
	}
	ids := make([]NID, tc.rowCount())
	for i := range ids {
		v, ok, err := tc.fixedCell(i, col)
		if err != nil {
			return nil, err
		}
		id, isLong := v.Value.(int32)
		if !ok || !isLong {
			return nil, msgErr(tc.h.nid, "row %d has no PidTagLtpRowId", i)
		}
		ids[i] = NID(uint32(id))
	}
	return ids, nil
}

// Subfolders returns the folder's subfolders, in the order of its
// hierarchy table. Each must name this folder as its parent (the
// nidParent of its node), be listed once and not be the root folder;
// a table that breaks one of these is a *FormatError naming the table
// or the folder. So a walk from the root meets every folder once and
// ends, whatever the file says: every folder has one parent, so only
// the root could be met twice, and no folder may list it (the root's
// nidParent is the root itself, but a damaged file may name another).
func (fo *Folder) Subfolders() ([]*Folder, error) {
	tc, err := fo.table(nidTypeHierarchyTable, fo.search())
	if err != nil || tc == nil {
		return nil, err
	}
	ids, err := rowIDs(tc)
	if err != nil {
		return nil, err
	}
	out := make([]*Folder, 0, len(ids))
	bud := fo.f.callBudget() // for the subfolders' names
	for i, id := range ids {
		if t := id.Type(); t != nidTypeNormalFolder && t != nidTypeSearchFolder {
			return nil, msgErr(tc.h.nid, "hierarchy table lists %v, which is not a folder's NID", id)
		}
		if id == nidRootFolder {
			return nil, msgErr(tc.h.nid, "hierarchy table lists the root folder %v", id)
		}
		if slices.Contains(ids[:i], id) {
			return nil, msgErr(tc.h.nid, "hierarchy table lists folder %v twice", id)
		}
		n, err := fo.f.node(id)
		if err != nil {
			return nil, err
		}
		if n.nidParent != fo.nid || id == fo.nid {
			return nil, msgErr(id, "folder is listed by folder %v but its parent is %v", fo.nid, n.nidParent)
		}
		sub, err := fo.f.openFolder(n, fo.cp, bud)
		if err != nil {
			return nil, err
		}
		out = append(out, sub)
	}
	return out, nil
}

// Messages returns the folder's messages (its contents table, or the
// search contents table of a search folder), in table order.
func (fo *Folder) Messages() ([]*Message, error) {
	if fo.search() {
		return fo.messages(nidTypeSearchContentsTC, nidTypeNormalMessage, true)
	}
	return fo.messages(nidTypeContentsTable, nidTypeNormalMessage, false)
}

// Associated returns the folder's associated (FAI) messages, those of
// its FAI contents table, in table order; a folder without one has
// none.
func (fo *Folder) Associated() ([]*Message, error) {
	return fo.messages(nidTypeAssocContents, nidTypeAssocMessage, true)
}

func (fo *Folder) messages(table, msgType uint8, mayLack bool) ([]*Message, error) {
	tc, err := fo.table(table, mayLack || fo.search())
	if err != nil || tc == nil {
		return nil, err
	}
	ids, err := rowIDs(tc)
	if err != nil {
		return nil, err
	}
	out := make([]*Message, 0, len(ids))
	for _, id := range ids {
		if id.Type() != msgType {
			return nil, msgErr(tc.h.nid, "table lists %v, which is not the NID of a message of type 0x%02X", id, msgType)
		}
		n, err := fo.f.node(id)
		if err != nil {
			return nil, err
		}
		out = append(out, &Message{f: fo.f, n: n, cp: fo.cp})
	}
	return out, nil
}

// String returns the folder's name and NID, for logs and test failures.
func (fo *Folder) String() string { return fmt.Sprintf("%q (%v)", fo.name, fo.nid) }
