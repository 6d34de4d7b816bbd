package msprovider

import (
	"context"
	"encoding/binary"
	"slices"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

// tableKind says which of a folder's tables a folderTable is.
type tableKind uint8

const (
	tContents tableKind = iota // normal messages
	tAssoc                     // associated messages
	tHier                      // child folders
	tDeep                      // every descendant (CONVENIENT_DEPTH)
	tableKinds
)

// Default column sets, from the "Contents Tables" and "Hierarchy Tables"
// pages' required columns.
var (
	contentsColumns = []mapispi.PropTag{
		mapispi.PropEntryID, mapispi.PropInstanceKey, mapispi.PropRecordKey, mapispi.PropMessageClass,
		mapispi.PropSubject, mapispi.PropSenderName, mapispi.PropMessageDeliveryTime, mapispi.PropClientSubmitTime,
		mapispi.PropMessageFlags, mapispi.PropMessageSize, mapispi.PropHasAttach, mapispi.PropDisplayTo,
		mapispi.PropDisplayCC, mapispi.PropLastModificationTime, mapispi.PropMsgStatus, mapispi.PropObjectType,
		mapispi.PropParentEntryID, mapispi.PropStoreEntryID, mapispi.PropStoreRecordKey, mapispi.PropMappingSignature,
	}
	hierarchyColumns = []mapispi.PropTag{
		mapispi.PropEntryID, mapispi.PropInstanceKey, mapispi.PropDisplayName, mapispi.PropComment,
		mapispi.PropDepth, mapispi.PropDisplayType, mapispi.PropObjectType, propStatus, mapispi.PropFolderType,
		mapispi.PropSubfolders, mapispi.PropContentCount, mapispi.PropContentUnread, mapispi.PropContainerClass,
	}
)

// folderTable is the table data behind one of a folder's tables, kept
// while a view of it is open and changed by every commit that changes
// its rows.
type folderTable struct {
	td    *mapiutil.TableData
	views map[*tableView]struct{}
}

// tableView is a view of one of a store's tables, as a logon's client
// holds it: a folder's (e set) or a message's recipients or attachments.
// It is closed when the logon logs off.
type tableView struct {
	*mapiutil.View
	store       *Store
	e           *engine // for a folder's table
	folder      ID
	kind        tableKind
	queue       bool // the outgoing queue (e set)
	noBookmarks bool // attachment tables: CreateBookmark is ErrNoSupport
}

// CreateBookmark is IMAPITable::CreateBookmark; attachment tables have
// no bookmarks (the IMessage::GetAttachmentTable page).
func (v *tableView) CreateBookmark(ctx context.Context) (mapispi.Bookmark, error) {
	if v.noBookmarks {
		return 0, mapispi.Errorf(mapispi.ErrNoSupport, "msprovider", "CreateBookmark: attachment tables have no bookmarks")
	}
	return v.View.CreateBookmark(ctx)
}

// Close is IMAPITable::Release: the view closes and, when it was the
// last of a folder's table, the table data goes.
func (v *tableView) Close(ctx context.Context) error {
	err := v.View.Close(ctx)
	v.store.untrack(v)
	if v.e == nil {
		return err
	}
	v.e.mu.Lock()
	defer v.e.mu.Unlock()
	if v.queue {
		if t := v.e.qtable; t != nil {
			delete(t.views, v)
			if len(t.views) == 0 {
				v.e.qtable = nil
			}
		}
		return err
	}
	if f := v.e.folders[v.folder]; f != nil {
		if t := f.tables[v.kind]; t != nil {
			delete(t.views, v)
			if len(t.views) == 0 {
				f.tables[v.kind] = nil
				if v.kind == tHier || v.kind == tDeep {
					v.e.hierTables--
				}
			}
		}
	}
	return err
}

// newView returns a tracked view of td for s.
func (s *Store) newView(td *mapiutil.TableData, cols []mapispi.PropTag) (*tableView, error) {
	view, err := td.View(cols)
	if err != nil {
		return nil, err
	}
	v := &tableView{View: view, store: s}
	if !s.track(v) {
		_ = view.Close(context.Background())
		return nil, errLoggedOff("GetTable")
	}
	return v, nil
}

// openTable returns a new view of one of folder f's tables, making its
// data first when no view is open (e.mu held).
func (e *engine) openTable(ctx context.Context, s *Store, f *fnode, kind tableKind) (*tableView, error) {
	t := f.tables[kind]
	if t == nil {
		td, err := e.buildTable(ctx, f, kind)
		if err != nil {
			return nil, err
		}
		t = &folderTable{td: td, views: map[*tableView]struct{}{}}
		f.tables[kind] = t
		if kind == tHier || kind == tDeep {
			e.hierTables++
		}
	}
	cols := contentsColumns
	if kind == tHier || kind == tDeep {
		cols = hierarchyColumns
	}
	v, err := s.newView(t.td, cols)
	if err == nil && kind == tDeep {
		if err = v.View.SortTable(ctx, mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: propPath, Order: mapispi.SortAscend}}}); err != nil {
			_ = v.View.Close(ctx)
			s.untrack(v)
		}
	}
	if err != nil {
		if len(t.views) == 0 {
			f.tables[kind] = nil
			if kind == tHier || kind == tDeep {
				e.hierTables--
			}
		}
		return nil, err
	}
	v.e, v.folder, v.kind = e, f.data.ID, kind
	t.views[v] = struct{}{}
	return v, nil
}

// buildTable makes the table data of one of f's tables (e.mu held).
func (e *engine) buildTable(ctx context.Context, f *fnode, kind tableKind) (*mapiutil.TableData, error) {
	cols := contentsColumns
	if kind == tHier || kind == tDeep {
		cols = hierarchyColumns
	}
	td, err := mapiutil.NewTableData(mapispi.PropInstanceKey, cols)
	if err != nil {
		return nil, err
	}
	var rows []mapispi.Row
	switch kind {
	case tContents, tAssoc:
		if err := e.loadMsgs(ctx, f); err != nil {
			return nil, err
		}
		ids := make([]ID, 0, len(f.msgIDs))
		for id := range f.msgIDs {
			if e.msgs[id].assoc == (kind == tAssoc) {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		for _, id := range ids {
			d, err := e.st.Message(ctx, id)
			if err != nil {
				return nil, storageErr("Message", err)
			}
			rows = append(rows, e.contentsRow(d))
		}
	case tHier:
		for _, id := range e.kidsOf(ctx, f) {
			k, err := e.counted(ctx, id)
			if err != nil {
				return nil, err
			}
			rows = append(rows, e.hierarchyRow(k, 0, nil))
		}
	case tDeep:
		var walk func(g *fnode, depth int, path []byte) error
		walk = func(g *fnode, depth int, path []byte) error {
			for _, id := range e.kidsOf(ctx, g) {
				k, err := e.counted(ctx, id)
				if err != nil {
					return err
				}
				p := binary.BigEndian.AppendUint64(slices.Clip(path), uint64(id))
				rows = append(rows, e.hierarchyRow(k, depth, p))
				if err := walk(k, depth+1, p); err != nil {
					return err
				}
			}
			return nil
		}
		if err := walk(f, 0, nil); err != nil {
			return nil, err
		}
	}
	if len(rows) > 0 {
		if err := td.ModifyRows(rows); err != nil {
			return nil, err
		}
	}
	return td, nil
}

// counted returns folder id with its subfolder list and message counts
// loaded (e.mu held).
func (e *engine) counted(ctx context.Context, id ID) (*fnode, error) {
	f, err := e.folder(ctx, id)
	if err != nil {
		return nil, err
	}
	e.kidsOf(ctx, f)
	if err := e.loadMsgs(ctx, f); err != nil {
		return nil, err
	}
	return f, nil
}

// ancestors calls fn for each ancestor of folder f, nearest first, with
// the path from the ancestor's child down to f (e.mu held).
func (e *engine) ancestors(f *fnode, fn func(a *fnode, depth int, path []byte)) {
	chain := []ID{f.data.ID}
	for p := f.data.Parent; p != 0; {
		a := e.folders[p]
		if a == nil {
			return
		}
		path := make([]byte, 0, 8*len(chain))
		for i := len(chain) - 1; i >= 0; i-- {
			path = binary.BigEndian.AppendUint64(path, uint64(chain[i]))
		}
		fn(a, len(chain)-1, path)
		chain = append(chain, p)
		p = a.data.Parent
	}
}

// folderRowChanged brings folder f's row up to date in the hierarchy
// tables of its parent and ancestors that are open (e.mu held).
func (e *engine) folderRowChanged(ctx context.Context, f *fnode) {
	if e.hierTables == 0 {
		return
	}
	e.kidsOf(ctx, f)
	_ = e.loadMsgs(ctx, f)
	e.ancestors(f, func(a *fnode, depth int, path []byte) {
		if t := a.tables[tHier]; t != nil && depth == 0 {
			_ = t.td.ModifyRow(e.hierarchyRow(f, 0, nil))
		}
		if t := a.tables[tDeep]; t != nil {
			_ = t.td.ModifyRow(e.hierarchyRow(f, depth, path))
		}
	})
}

// folderRowsGone takes folder f and, in deep tables, its descendants out
// of the hierarchy tables of its ancestors (e.mu held), before a delete
// or a move.
func (e *engine) folderRowsGone(f *fnode, subtree []ID) {
	e.ancestors(f, func(a *fnode, depth int, path []byte) {
		if t := a.tables[tHier]; t != nil && depth == 0 {
			_ = t.td.DeleteRow(mapispi.PropValue{Tag: mapispi.PropInstanceKey, Value: instanceKey(f.data.ID)})
		}
		if t := a.tables[tDeep]; t != nil {
			for _, id := range subtree {
				_ = t.td.DeleteRow(mapispi.PropValue{Tag: mapispi.PropInstanceKey, Value: instanceKey(id)})
			}
		}
	})
}

// subtreeRowsAdded puts folder f and its descendants into the deep
// tables of f's ancestors and f into its parent's hierarchy table (e.mu
// held), after a create, copy or move.
func (e *engine) subtreeRowsAdded(ctx context.Context, f *fnode) {
	if e.hierTables == 0 {
		return
	}
	e.folderRowChanged(ctx, f)
	var walk func(g *fnode)
	walk = func(g *fnode) {
		for _, id := range e.kidsOf(ctx, g) {
			k, err := e.counted(ctx, id)
			if err != nil {
				continue
			}
			e.ancestors(k, func(a *fnode, depth int, path []byte) {
				if t := a.tables[tDeep]; t != nil {
					_ = t.td.ModifyRow(e.hierarchyRow(k, depth, path))
				}
			})
			walk(k)
		}
	}
	walk(f)
}

// messageRowChanged puts message d's row into its folder's open contents
// table (e.mu held).
func (e *engine) messageRowChanged(f *fnode, d *MessageData) {
	kind := tContents
	if d.Associated {
		kind = tAssoc
	}
	if t := f.tables[kind]; t != nil {
		_ = t.td.ModifyRow(e.contentsRow(d))
	}
}

// messageRowGone takes message id out of folder f's open contents tables
// (e.mu held).
func (e *engine) messageRowGone(f *fnode, id ID) {
	for _, kind := range []tableKind{tContents, tAssoc} {
		if t := f.tables[kind]; t != nil {
			_ = t.td.DeleteRow(mapispi.PropValue{Tag: mapispi.PropInstanceKey, Value: instanceKey(id)})
		}
	}
}
