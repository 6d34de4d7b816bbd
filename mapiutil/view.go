package mapiutil

import (
	"cmp"
	"context"
	"maps"
	"math/bits"
	"slices"

	"github.com/mapiemu/mapiemu/internal/notify"
	"github.com/mapiemu/mapiemu/mapispi"
)

// View is the Go form of the IMAPITable that ITableData::HrGetView
// returns: one view of a TableData with its own columns, restriction,
// sort order, cursor, bookmarks and advise sinks. It implements
// mapispi.Table; Close (IMAPITable::Release) detaches it. Its sinks are
// called as TableData says: in the order of the changes, one call at a
// time, asynchronously, on goroutines that hold no lock of the table's.
//
// The view's rules, where MAPI leaves a choice:
//   - The cursor is on a row, not at an index: rows added or deleted
//     before it do not move it off its row; when its own row goes or
//     stops matching the restriction, it moves to the row that followed.
//     BookmarkBeginning is before the first row (a row added at the front
//     is read next) and BookmarkEnd after the last, as MAPIDefS.h says.
//   - A bookmark follows its row the same way; when its row has gone, the
//     next SeekRow or FindRow from it starts at the row that followed and
//     reports PositionChanged (MAPI_W_POSITION_CHANGED), as the SeekRow
//     and CreateBookmark pages ask. Restrict, SortTable and a change of
//     MVI column discard every bookmark, after which they and bookmarks
//     of other views are ErrInvalidBookmark. A view keeps at most 1024
//     bookmarks (ErrUnableToComplete beyond).
//   - PR_INSTANCE_KEY is the row's own value when the table data's rows
//     carry one and the row is not an MVI expansion; otherwise the view
//     makes one, unique within the view, never reused and kept while the
//     row stays in the table data.
//   - Without a sort order rows keep insertion order. Sorting puts rows
//     that lack a sort column last in both directions (SSortOrder's
//     rule), and rows whose sort columns are equal in insertion order.
//   - One MVI column (a multi-valued column with MVI_FLAG) expands each
//     row into one row per value, whose column holds that value under
//     the column's tag; a row without values for it appears once,
//     without the column. Two different MVI columns are ErrTooComplex.
//   - Categories (SortOrderSet.Categories) are ErrTooComplex, as is
//     sorting on a PT_OBJECT column.
//   - A restriction's RES_COUNT limit is not applied across rows (see
//     Match).
type View struct {
	td      *TableData
	closed  bool
	columns []mapispi.PropTag
	mvi     mapispi.PropTag // the MVI column, or 0
	res     mapispi.Restriction
	sorts   mapispi.SortOrderSet
	rows    tree
	inst    uint64 // the last generated instance key
	cursor  pos
	marks   map[mapispi.Bookmark]*mark
	sinks   map[mapispi.Connection]*notify.Conn[mapispi.TableNotification]
	pending []mapispi.TableNotification
	flood   bool // more than maxEventsPerCall pending
}

// pos is a cursor position: a row, or before the first row (n nil, end
// false), or after the last (end).
type pos struct {
	n   *node
	end bool
}

type mark struct {
	p     pos
	moved bool
}

// maxBookmarks is how many bookmarks a view keeps.
const maxBookmarks = 1024

var _ mapispi.Table = (*View)(nil)

// View is ITableData::HrGetView: a new view of the table data with
// columns (the table data's columns when nil), no restriction, no sort
// order, and its cursor at the beginning. columns are checked as
// SetColumns checks them.
func (td *TableData) View(columns []mapispi.PropTag) (*View, error) {
	if columns == nil {
		columns = td.columns
	}
	if err := checkColumns("View", columns); err != nil {
		return nil, err
	}
	v := &View{td: td, columns: slices.Clone(columns)}
	mvi, err := mviColumn("View", columns, nil)
	if err != nil {
		return nil, err
	}
	v.mvi = mvi
	v.rows.cmp = v.compare
	td.mu.Lock()
	defer td.mu.Unlock()
	td.views = append(td.views, v)
	v.rebuild(rebuildRows)
	return v, nil
}

// Close is IMAPITable::Release: the view stops following the table data
// and sending notifications. Once Close returns none of its sinks is
// called again: a call under way finishes first, unless Close is called
// from inside that call, or ctx ends first, when Close returns an error
// wrapping ctx.Err() (the view is closed all the same). Later calls,
// Close included, are ErrInvalidObject.
func (v *View) Close(ctx context.Context) error {
	td := v.td
	td.mu.Lock()
	if v.closed {
		td.mu.Unlock()
		return tableErr(mapispi.ErrInvalidObject, "Close", "the view is closed")
	}
	v.closed = true
	td.views = slices.DeleteFunc(td.views, func(x *View) bool { return x == v })
	for it := td.base.iterFirst(); it.peek() != nil; {
		b, _ := it.next()
		b.rec.nodes = slices.DeleteFunc(b.rec.nodes, func(n *node) bool { return n.view == v })
	}
	v.rows = tree{}
	sinks := v.sinks
	v.marks, v.sinks, v.pending = nil, nil, nil
	td.mu.Unlock()
	return closeSinks(ctx, "Close", slices.Collect(maps.Values(sinks))...)
}

// closeSinks closes connections, outside the table's lock, since closing
// waits for a call under way, which may be waiting for the lock. Every
// connection is closed even when ctx ends; only the wait is cut short.
func closeSinks(ctx context.Context, method string, conns ...*notify.Conn[mapispi.TableNotification]) error {
	var first error
	for _, c := range conns {
		if err := c.Close(ctx); err != nil && first == nil {
			first = &mapispi.Error{Code: mapispi.ErrCallFailed, Component: "mapiutil", Message: method + ": waiting for a sink", Err: err}
		}
	}
	return first
}

// lock takes the table data's lock, or reports a closed view.
func (v *View) lock(method string) error {
	v.td.mu.Lock()
	if v.closed {
		v.td.mu.Unlock()
		return tableErr(mapispi.ErrInvalidObject, method, "the view is closed")
	}
	return nil
}

func (v *View) unlock() { v.td.mu.Unlock() }

// mviColumn finds the one MVI column among columns and sort tags.
func mviColumn(method string, columns []mapispi.PropTag, sorts []mapispi.SortOrder) (mapispi.PropTag, error) {
	var mvi mapispi.PropTag
	check := func(t mapispi.PropTag) error {
		if t.Type()&mapispi.MVInstance == 0 {
			return nil
		}
		if mvi != 0 && mvi != t {
			return tableErr(mapispi.ErrTooComplex, method, "two MVI columns, %v and %v", mvi, t)
		}
		mvi = t
		return nil
	}
	for _, t := range columns {
		if err := check(t); err != nil {
			return 0, err
		}
	}
	for _, s := range sorts {
		if err := check(s.Tag); err != nil {
			return 0, err
		}
	}
	return mvi, nil
}

// source is the row a restriction or sort sees for n.
func (n *node) source() rowSource {
	s := rowSource{props: n.rec.props, row: n}
	if n.inst >= 0 {
		s.extra = n.instVal[:]
	}
	return s
}

// compare orders two rows of the view: by their sort columns (rows that
// lack one after those that have it, in both directions), then in
// insertion order, then by MVI instance. It is the one statement of the
// view's order; ords only short-cut it.
func (v *View) compare(a, b *node) int {
	if c := cmpOrd(&a.ord, &b.ord); c != 0 {
		return c
	}
	return v.compareFrom(a, b, 0)
}

// compareFrom is compare for rows whose ords are equal, from sort column
// i on.
func (v *View) compareFrom(a, b *node, i int) int {
	for ; i < len(v.sorts.Sorts); i++ {
		if c := compareKeys(a.key(i), b.key(i), v.sorts.Sorts[i].Order); c != 0 {
			return c
		}
	}
	if c := cmp.Compare(a.rec.seq, b.rec.seq); c != 0 {
		return c
	}
	return cmp.Compare(a.inst, b.inst)
}

// compareKeys orders two values of one sort column.
func compareKeys(a, b *sortKey, dir mapispi.SortDirection) int {
	switch {
	case !a.present && !b.present:
		return 0
	case !a.present:
		return 1
	case !b.present:
		return -1
	}
	c := CompareProps(a.v, b.v)
	if dir == mapispi.SortDescend {
		c = -c
	}
	return c
}

// setKeys computes n's sort keys and ord; keys holds room for those after
// the first (len(v.sorts.Sorts)-1 long).
func (v *View) setKeys(n *node, keys []sortKey) {
	n.keys = keys
	if len(v.sorts.Sorts) == 0 {
		n.k0 = sortKey{}
		n.ord = ord{n.rec.seq, uint64(n.inst + 1)}
		return
	}
	src := n.source()
	for i, s := range v.sorts.Sorts {
		val, ok := src.find(s.Tag)
		*n.key(i) = sortKey{v: val, present: ok}
	}
	n.ord = ordOf(v.sorts.Sorts[0], &n.k0)
}

// matches reports whether n passes the view's restriction. A restriction
// that fails on a row (a sub-restriction without a source) hides it.
func (v *View) matches(n *node) bool {
	if v.res == nil {
		return true
	}
	ok, err := eval(v.res, n.source(), 1)
	return ok && err == nil
}

// instances returns the values rec has for the view's MVI column.
func (v *View) instances(rec *record) []any {
	if v.mvi == 0 {
		return nil
	}
	base := v.mvi.WithType(v.mvi.Type() &^ mapispi.MVInstance)
	val, ok := findIn(rec.props, base)
	if !ok {
		return nil
	}
	var out []any
	anyElement(val.Value, func(e any) bool { out = append(out, e); return false })
	return out
}

// identify sets n's instance and instance key.
func (v *View) identify(n *node, inst int, vals []any) {
	n.inst = inst
	n.instVal[0] = mapispi.PropValue{}
	if inst >= 0 {
		n.instVal[0] = mapispi.PropValue{Tag: v.mvi, Value: vals[inst]}
	}
	if own, ok := findIn(n.rec.props, mapispi.PropInstanceKey); ok && inst < 0 {
		n.ikey, n.ownKey = mapispi.PropValue{Tag: mapispi.PropInstanceKey, Value: own.Value}, true
	} else if n.inum == 0 || n.ownKey {
		v.inst++
		n.ikey, n.inum, n.ownKey = mapispi.PropValue{}, v.inst, false
	}
}

// fill sets n's instance, instance key and sort keys from its record.
func (v *View) fill(n *node, inst int, vals []any) {
	v.identify(n, inst, vals)
	var rest []sortKey
	if k := len(v.sorts.Sorts); k > 1 {
		rest = make([]sortKey, k-1)
	}
	v.setKeys(n, rest)
}

// addNode makes view row i of rec (the i-th value of its MVI column, or
// the only row when vals is empty) and shows it if it matches.
func (v *View) addNode(rec *record, i int, vals []any) {
	inst := i
	if len(vals) == 0 {
		inst = -1
	}
	n := &node{rec: rec, view: v}
	v.fill(n, inst, vals)
	rec.nodes = append(rec.nodes, n)
	if v.matches(n) {
		n.visible = true
		v.rows.insert(n, v.show(n, nil))
		v.notify(mapispi.TableRowAdded, n)
	}
}

// add makes the view rows of a new record.
func (v *View) add(rec *record) {
	vals := v.instances(rec)
	for i := range max(1, len(vals)) {
		v.addNode(rec, i, vals)
	}
}

// nodesOf returns rec's rows in this view.
func (v *View) nodesOf(rec *record) []*node {
	var out []*node
	for _, n := range rec.nodes {
		if n.view == v {
			out = append(out, n)
		}
	}
	return out
}

// hide takes a visible row out of the tree, moving the cursor and
// bookmarks on it to the row that followed.
func (v *View) hide(n *node) {
	succ := v.rows.remove(n)
	v.retarget(n, succ)
	n.visible = false
	v.notifyDeleted(n)
}

// retarget moves the cursor and bookmarks on n, which has left the view,
// to succ (the row that followed it, or the end).
func (v *View) retarget(n, succ *node) {
	p := pos{n: succ, end: succ == nil}
	if v.cursor.n == n {
		v.cursor = p
	}
	for _, m := range v.marks {
		if m.p.n == n {
			m.p, m.moved = p, true
		}
	}
}

// remove takes away a deleted record's rows.
func (v *View) remove(rec *record) {
	for _, n := range rec.nodes {
		if n.view == v && n.visible {
			v.hide(n)
		}
	}
	rec.nodes = slices.DeleteFunc(rec.nodes, func(n *node) bool { return n.view == v })
}

// refresh brings a changed record's rows up to date.
func (v *View) refresh(rec *record) {
	old := v.nodesOf(rec)
	vals := v.instances(rec)
	want := max(1, len(vals))
	for i, n := range old {
		if i >= want {
			if n.visible {
				v.hide(n)
			}
			rec.nodes = slices.DeleteFunc(rec.nodes, func(x *node) bool { return x == n })
			continue
		}
		inst := i
		if len(vals) == 0 {
			inst = -1
		}
		was, old := n.visible, *n // old keeps the instance key a deletion names
		var succ *node
		if was {
			succ = v.rows.remove(n) // the row keeps its cursor and bookmarks
		}
		v.fill(n, inst, vals)
		switch now := v.matches(n); {
		case now:
			n.visible = true
			v.rows.insert(n, v.show(n, nil))
			if was {
				v.notify(mapispi.TableRowModified, n)
			} else {
				v.notify(mapispi.TableRowAdded, n)
			}
		case was:
			n.visible = false
			v.retarget(n, succ)
			v.notifyDeleted(&old)
		}
	}
	for i := len(old); i < want; i++ {
		v.addNode(rec, i, vals)
	}
}

// rebuildKind says what a rebuild recomputes.
type rebuildKind int

const (
	rebuildRows   rebuildKind = iota // new rows, with new instance keys: a new view or MVI column
	rebuildFilter                    // which rows pass: a new restriction
	rebuildSort                      // the order of the same rows: a new sort order
)

// rebuild recomputes the view's rows after a new restriction, sort order
// or MVI column. Bookmarks go and the cursor returns to the beginning.
func (v *View) rebuild(kind rebuildKind) {
	// Walk the records in insertion order, which is roughly the order of
	// their memory and of their rows', and read each row once: whether it
	// passes (unless only the order changes) and, if it does, its sort
	// keys and columns. Hidden rows' keys are computed when they become
	// visible.
	k, nc := max(0, len(v.sorts.Sorts)-1), len(v.columns)
	want := v.rows.len() // the rows of a new sort order; otherwise about one per record
	if kind != rebuildSort {
		want = v.td.base.len()
	}
	var (
		rows  = make([]*node, 0, want)
		items = make([]sortItem, 0, want)
		cols  = make([]mapispi.PropValue, 0, want*nc)
		rest  []sortKey
	)
	for it := v.td.base.iterFirst(); ; {
		b, _ := it.next()
		if b == nil {
			break
		}
		rec := b.rec
		if kind == rebuildRows {
			rec.nodes = slices.DeleteFunc(rec.nodes, func(n *node) bool { return n.view == v })
			vals := v.instances(rec)
			for i := range max(1, len(vals)) {
				inst := i
				if len(vals) == 0 {
					inst = -1
				}
				n := &node{rec: rec, view: v}
				v.identify(n, inst, vals)
				rec.nodes = append(rec.nodes, n)
			}
		}
		for _, n := range rec.nodes {
			if n.view != v {
				continue
			}
			if kind != rebuildSort {
				n.visible = v.matches(n)
			}
			if !n.visible {
				continue
			}
			if len(rest) < k {
				rest = make([]sortKey, 256*k)
			}
			v.setKeys(n, rest[:k:k])
			rest = rest[k:]
			items = append(items, sortItem{n.ord, len(rows)})
			rows = append(rows, n)
			cols = slices.Grow(cols, nc)[:len(cols)+nc]
			v.show(n, cols[len(cols)-nc:])
		}
	}
	v.sortItems(items, rows)
	// Lay the rows' columns out in view order, so that reading a page
	// reads memory forwards, and point the rows at their leaves in the
	// order of the records, which is roughly the order of their memory.
	inOrder := make([]mapispi.PropValue, len(cols))
	at := make([]int, len(rows)) // each row's place in view order
	leafAt := v.rows.build(len(items), func(p int) (*node, ord, []mapispi.PropValue) {
		it := items[p]
		c := inOrder[p*nc : (p+1)*nc : (p+1)*nc]
		copy(c, cols[it.i*nc:(it.i+1)*nc])
		at[it.i] = p
		return rows[it.i], it.ord, c
	})
	for i, n := range rows {
		n.leaf = leafAt[at[i]]
	}
	v.cursor = pos{}
	v.marks = nil
}

// sortItem is a row's ord and index, so that sorting compares most rows
// without reading them.
type sortItem struct {
	ord ord
	i   int
}

// sortItems sorts the items of rows by the view's order.
func (v *View) sortItems(items []sortItem, rows []*node) {
	slices.SortFunc(items, func(a, b sortItem) int {
		if c := cmpOrd(&a.ord, &b.ord); c != 0 {
			return c
		}
		return v.compareFrom(rows[a.i], rows[b.i], 0)
	})
}

// notify queues a row event for n for the view's sinks.
func (v *View) notify(ev mapispi.TableEvent, n *node) {
	if len(v.sinks) == 0 || v.queueFull() {
		return
	}
	prior := mapispi.PropValue{Tag: mapispi.PropNull}
	if p := prev(n); p != nil {
		prior = mapispi.PropValue{Tag: mapispi.PropInstanceKey, Value: p.ikeyBytes()}
	}
	v.pending = append(v.pending, mapispi.TableNotification{
		Event: ev,
		Index: mapispi.PropValue{Tag: mapispi.PropInstanceKey, Value: n.ikeyBytes()},
		Prior: prior,
		Row:   v.rowOf(colsOf(n)),
	})
}

// notifyDeleted queues the deletion of n (as it was when it left the
// view) for the view's sinks.
func (v *View) notifyDeleted(n *node) {
	if len(v.sinks) == 0 || v.queueFull() {
		return
	}
	v.pending = append(v.pending, mapispi.TableNotification{
		Event: mapispi.TableRowDeleted,
		Index: mapispi.PropValue{Tag: mapispi.PropInstanceKey, Value: n.ikeyBytes()},
		Prior: mapispi.PropValue{Tag: mapispi.PropNull},
		Row:   mapispi.Row{},
	})
}

// queueFull reports whether the pending events have become one
// TABLE_CHANGED.
func (v *View) queueFull() bool {
	if v.flood {
		return true
	}
	if len(v.pending) >= maxEventsPerCall {
		v.flood = true
		v.pending = v.pending[:0]
		return true
	}
	return false
}

// post hands the pending notifications to each sink's connection, each
// sink its own copy (td.mu held).
func (v *View) post() {
	if len(v.sinks) == 0 || (len(v.pending) == 0 && !v.flood) {
		v.pending, v.flood = nil, false
		return
	}
	notes := v.pending
	if v.flood {
		notes = tableChanged()
	}
	v.pending, v.flood = nil, false
	first := true
	for _, c := range v.sinks {
		if !first {
			notes = cloneNotes(notes)
		}
		first = false
		c.Post(notes)
	}
}

func tableChanged() []mapispi.TableNotification {
	return []mapispi.TableNotification{{Event: mapispi.TableChanged}}
}

// cloneNotes copies notifications deeply, so that a sink changing its
// batch changes no other sink's.
func cloneNotes(notes []mapispi.TableNotification) []mapispi.TableNotification {
	out := make([]mapispi.TableNotification, len(notes))
	for i, n := range notes {
		out[i] = n
		out[i].Index = cloneProp(n.Index)
		out[i].Prior = cloneProp(n.Prior)
		if n.Row != nil {
			out[i].Row = copyRow(n.Row)
		}
	}
	return out
}

// rowOf returns a copy of a row in the view's columns.
func (v *View) rowOf(cols []mapispi.PropValue) mapispi.Row {
	row := make(mapispi.Row, len(cols))
	for i, p := range cols {
		row[i] = mapispi.PropValue{Tag: p.Tag, Value: cloneValue(p.Value)}
	}
	return row
}

// show computes n's row in the view's columns into dst (or a new slice
// when dst is nil) and returns it.
func (v *View) show(n *node, dst []mapispi.PropValue) []mapispi.PropValue {
	if dst == nil {
		dst = make([]mapispi.PropValue, len(v.columns))
	}
	row := dst
	for i, c := range v.columns {
		switch {
		case c == mapispi.PropNull:
			row[i] = mapispi.PropValue{Tag: mapispi.PropNull}
		case c == mapispi.PropInstanceKey:
			row[i] = n.instanceKey()
		case c.Type()&mapispi.MVInstance != 0:
			if n.inst >= 0 && c == v.mvi {
				row[i] = n.instVal[0]
			} else {
				row[i] = mapispi.ErrorValue(c, mapispi.ErrNotFound)
			}
		default:
			val, ok := findIn(n.rec.props, c)
			if !ok {
				row[i] = mapispi.ErrorValue(c, mapispi.ErrNotFound)
				continue
			}
			tag := c
			if c.Type() == mapispi.PtUnspecified {
				tag = val.Tag
			}
			row[i] = mapispi.PropValue{Tag: tag, Value: val.Value}
		}
	}
	return row
}

// showAll recomputes the rows of every visible row, in view order, into
// one block of memory.
func (v *View) showAll() {
	cols := make([]mapispi.PropValue, v.rows.len()*len(v.columns))
	k := len(v.columns)
	i := 0
	for b := v.rows.firstLeaf(); b != nil; b = b.next {
		for j := range b.n {
			e := &b.e[j]
			e.cols = v.show(e.row, cols[i*k:(i+1)*k:(i+1)*k])
			i++
		}
	}
}

// index returns the 0-based index of p.
func (v *View) index(p pos) int {
	switch {
	case p.n != nil:
		return rank(p.n)
	case p.end:
		return v.rows.len()
	}
	return 0
}

// posAt returns the position of index i (0 is the beginning, len the end).
func (v *View) posAt(i int) pos {
	switch {
	case i <= 0:
		return pos{}
	case i >= v.rows.len():
		return pos{end: true}
	}
	return pos{n: v.rows.at(i)}
}

// resolve turns a bookmark into a position.
func (v *View) resolve(method string, b mapispi.Bookmark) (pos, bool, error) {
	switch b {
	case mapispi.BookmarkBeginning:
		return pos{}, false, nil
	case mapispi.BookmarkCurrent:
		return v.cursor, false, nil
	case mapispi.BookmarkEnd:
		return pos{end: true}, false, nil
	}
	m := v.marks[b]
	if m == nil {
		return pos{}, false, tableErr(mapispi.ErrInvalidBookmark, method, "bookmark %d is not one of this view's", b)
	}
	moved := m.moved
	m.moved = false
	return m.p, moved, nil
}

// SetColumns is IMAPITable::SetColumns (see mapispi.Table). Tags of types
// MAPI does not define, PT_ERROR tags (as FBadColumnSet says) and an
// empty set are ErrInvalidParameter; two MVI columns are ErrTooComplex. A change
// of MVI column re-expands the rows, discarding bookmarks and returning
// the cursor to the beginning.
func (v *View) SetColumns(ctx context.Context, tags []mapispi.PropTag) error {
	if err := checkColumns("SetColumns", tags); err != nil {
		return err
	}
	if err := v.lock("SetColumns"); err != nil {
		return err
	}
	defer v.unlock()
	mvi, err := mviColumn("SetColumns", tags, v.sorts.Sorts)
	if err != nil {
		return err
	}
	v.columns = slices.Clone(tags)
	if mvi != v.mvi {
		v.mvi = mvi
		v.rebuild(rebuildRows)
	} else {
		v.showAll()
	}
	return nil
}

// Columns is IMAPITable::QueryColumns: a copy of the column set.
func (v *View) Columns(ctx context.Context) ([]mapispi.PropTag, error) {
	if err := v.lock("QueryColumns"); err != nil {
		return nil, err
	}
	defer v.unlock()
	return slices.Clone(v.columns), nil
}

// RowCount is IMAPITable::GetRowCount: the rows that pass the
// restriction, exactly.
func (v *View) RowCount(ctx context.Context) (int, error) {
	if err := v.lock("GetRowCount"); err != nil {
		return 0, err
	}
	defer v.unlock()
	return v.rows.len(), nil
}

// QueryRows is IMAPITable::QueryRows (see mapispi.Table). Reading a page
// costs O(log n + page).
func (v *View) QueryRows(ctx context.Context, n int) ([]mapispi.Row, error) {
	if n == 0 {
		return nil, tableErr(mapispi.ErrInvalidParameter, "QueryRows", "a row count of 0")
	}
	if err := v.lock("QueryRows"); err != nil {
		return nil, err
	}
	defer v.unlock()
	if n < 0 {
		idx := v.index(v.cursor)
		back := idx
		if n > -idx { // never true for math.MinInt, whose negation overflows
			back = -n
		}
		if back == 0 {
			return nil, nil
		}
		first := v.rows.at(idx - back)
		rows := make([]mapispi.Row, 0, back)
		for it := iterFrom(first); len(rows) < back; {
			x, cols := it.next()
			if x == nil {
				break
			}
			rows = append(rows, v.rowOf(cols))
		}
		v.cursor = pos{n: first}
		return rows, nil
	}
	var x *node
	switch {
	case v.cursor.n != nil:
		x = v.cursor.n
	case !v.cursor.end:
		x = v.rows.first()
	}
	if x == nil {
		return nil, nil
	}
	rows := make([]mapispi.Row, 0, min(n, v.rows.len()))
	it := iterFrom(x)
	for len(rows) < n {
		y, cols := it.next()
		if y == nil {
			break
		}
		rows = append(rows, v.rowOf(cols))
	}
	x = it.peek()
	v.cursor = pos{n: x, end: x == nil}
	return rows, nil
}

// SeekRow is IMAPITable::SeekRow (see mapispi.Table).
func (v *View) SeekRow(ctx context.Context, origin mapispi.Bookmark, n int) (mapispi.SeekResult, error) {
	if err := v.lock("SeekRow"); err != nil {
		return mapispi.SeekResult{}, err
	}
	defer v.unlock()
	p, moved, err := v.resolve("SeekRow", origin)
	if err != nil {
		return mapispi.SeekResult{}, err
	}
	idx, count := v.index(p), v.rows.len()
	var to int
	switch {
	case n > count-idx:
		to = count
	case n < -idx:
		to = 0
	default:
		to = idx + n
	}
	if to == idx {
		v.cursor = p // stays on its row, or at its end
	} else {
		v.cursor = v.posAt(to)
	}
	return mapispi.SeekResult{Rows: to - idx, PositionChanged: moved}, nil
}

// SeekRowApprox is IMAPITable::SeekRowApprox: the cursor goes to index
// len*num/den, rounded down; num >= den goes to the end. A negative num
// or a den that is not positive is ErrInvalidParameter.
func (v *View) SeekRowApprox(ctx context.Context, num, den int) error {
	if den <= 0 || num < 0 {
		return tableErr(mapispi.ErrInvalidParameter, "SeekRowApprox", "fraction %d/%d", num, den)
	}
	if err := v.lock("SeekRowApprox"); err != nil {
		return err
	}
	defer v.unlock()
	if num >= den {
		v.cursor = pos{end: true}
		return nil
	}
	hi, lo := bits.Mul64(uint64(v.rows.len()), uint64(num))
	q, _ := bits.Div64(hi, lo, uint64(den))
	v.cursor = v.posAt(int(q))
	return nil
}

// QueryPosition is IMAPITable::QueryPosition: the cursor's exact index,
// with Numerator the same index and Denominator the row count (1 for an
// empty view).
func (v *View) QueryPosition(ctx context.Context) (mapispi.Position, error) {
	if err := v.lock("QueryPosition"); err != nil {
		return mapispi.Position{}, err
	}
	defer v.unlock()
	i := v.index(v.cursor)
	return mapispi.Position{Row: i, Numerator: i, Denominator: max(1, v.rows.len())}, nil
}

// FindRow is IMAPITable::FindRow (see mapispi.Table). A nil restriction
// is ErrInvalidParameter; a restriction Match refuses is refused with the
// same error. When no row matches, the cursor stays where it was.
// Searching costs O(rows examined).
func (v *View) FindRow(ctx context.Context, r mapispi.Restriction, origin mapispi.Bookmark, flags mapispi.FindFlags) (mapispi.FindResult, error) {
	if isNilRestriction(r) {
		return mapispi.FindResult{}, tableErr(mapispi.ErrInvalidParameter, "FindRow", "no restriction")
	}
	if flags&^mapispi.FindBackward != 0 {
		return mapispi.FindResult{}, tableErr(mapispi.ErrUnknownFlags, "FindRow", "flags 0x%X", uint32(flags))
	}
	if err := validate(r, 1); err != nil {
		return mapispi.FindResult{}, err
	}
	if err := v.lock("FindRow"); err != nil {
		return mapispi.FindResult{}, err
	}
	defer v.unlock()
	p, moved, err := v.resolve("FindRow", origin)
	if err != nil {
		return mapispi.FindResult{}, err
	}
	res := mapispi.FindResult{PositionChanged: moved}
	var x *node
	back := flags&mapispi.FindBackward != 0
	switch {
	case back && p.n != nil:
		x = prev(p.n)
	case back && p.end:
		x = v.rows.last()
	case !back && p.n != nil:
		x = p.n
	case !back && !p.end:
		x = v.rows.first()
	}
	it := iterFrom(x)
	step := func() *node { x, _ := it.next(); return x }
	if back {
		step = it.prev
	}
	for x := step(); x != nil; x = step() {
		ok, err := eval(r, x.source(), 1)
		if err != nil {
			return res, err
		}
		if ok {
			v.cursor = pos{n: x}
			return res, nil
		}
	}
	return res, tableErr(mapispi.ErrNotFound, "FindRow", "no row matches")
}

// Restrict is IMAPITable::Restrict (see mapispi.Table). A restriction
// Match refuses is refused with the same error, keeping the old one. The
// view keeps a copy of r: the caller may change or reuse r afterwards.
// Applying one costs O(n) evaluations.
func (v *View) Restrict(ctx context.Context, r mapispi.Restriction) error {
	if isNilRestriction(r) {
		r = nil
	} else {
		// The view keeps a copy, so that the caller may reuse r.
		r = copyRestriction(r)
		if err := validate(r, 1); err != nil {
			return err
		}
	}
	if err := v.lock("Restrict"); err != nil {
		return err
	}
	defer v.unlock()
	v.res = r
	v.rebuild(rebuildFilter)
	return nil
}

// SortTable is IMAPITable::SortTable (see mapispi.Table and the View
// rules). An undefined direction, a tag of an undefined type or a PT_ERROR
// tag is ErrInvalidParameter. Sorting costs O(n log n).
func (v *View) SortTable(ctx context.Context, s mapispi.SortOrderSet) error {
	if s.Categories != 0 || s.Expanded != 0 {
		return tableErr(mapispi.ErrTooComplex, "SortTable", "categorized sorts are not supported")
	}
	for _, o := range s.Sorts {
		if o.Order != mapispi.SortAscend && o.Order != mapispi.SortDescend {
			return tableErr(mapispi.ErrInvalidParameter, "SortTable", "%v is not a direction for an uncategorized sort", o.Order)
		}
		if err := checkColumns("SortTable", []mapispi.PropTag{o.Tag}); err != nil {
			return err
		}
		if o.Tag.Type().Base() == mapispi.PtObject {
			return tableErr(mapispi.ErrTooComplex, "SortTable", "cannot sort on %v", o.Tag)
		}
	}
	if err := v.lock("SortTable"); err != nil {
		return err
	}
	defer v.unlock()
	mvi, err := mviColumn("SortTable", v.columns, s.Sorts)
	if err != nil {
		return err
	}
	v.sorts = mapispi.SortOrderSet{Sorts: slices.Clone(s.Sorts)}
	kind := rebuildSort
	if mvi != v.mvi {
		kind = rebuildRows
	}
	v.mvi = mvi
	v.rebuild(kind)
	return nil
}

// QuerySortOrder is IMAPITable::QuerySortOrder: a copy of the sort order.
func (v *View) QuerySortOrder(ctx context.Context) (mapispi.SortOrderSet, error) {
	if err := v.lock("QuerySortOrder"); err != nil {
		return mapispi.SortOrderSet{}, err
	}
	defer v.unlock()
	return mapispi.SortOrderSet{Sorts: slices.Clone(v.sorts.Sorts)}, nil
}

// CreateBookmark is IMAPITable::CreateBookmark (see mapispi.Table).
// Bookmark numbers are unique across all views of the process.
func (v *View) CreateBookmark(ctx context.Context) (mapispi.Bookmark, error) {
	if err := v.lock("CreateBookmark"); err != nil {
		return 0, err
	}
	defer v.unlock()
	if len(v.marks) >= maxBookmarks {
		return 0, tableErr(mapispi.ErrUnableToComplete, "CreateBookmark", "the view keeps %d bookmarks already", maxBookmarks)
	}
	var b mapispi.Bookmark
	for b <= mapispi.BookmarkEnd {
		b = mapispi.Bookmark(bookmarks.Add(1))
	}
	if v.marks == nil {
		v.marks = map[mapispi.Bookmark]*mark{}
	}
	v.marks[b] = &mark{p: v.cursor}
	return b, nil
}

// FreeBookmark is IMAPITable::FreeBookmark (see mapispi.Table).
func (v *View) FreeBookmark(ctx context.Context, b mapispi.Bookmark) error {
	if err := v.lock("FreeBookmark"); err != nil {
		return err
	}
	defer v.unlock()
	if b <= mapispi.BookmarkEnd {
		return nil
	}
	if v.marks[b] == nil {
		return tableErr(mapispi.ErrInvalidBookmark, "FreeBookmark", "bookmark %d is not one of this view's", b)
	}
	delete(v.marks, b)
	return nil
}

// Advise is IMAPITable::Advise (see mapispi.Table); a nil sink, or a nil
// TableSinkFunc, is ErrInvalidParameter. The sink is called under the
// rules of mapispi's "Notifications" section, asynchronously (see
// TableData.Flush). When more than 256 calls wait for a slow sink, they
// become one TABLE_CHANGED. A sink that panics loses its connection: it
// is not called again, and the panic reaches neither the table's writer
// nor any other sink.
func (v *View) Advise(ctx context.Context, sink mapispi.TableSink) (mapispi.Connection, error) {
	if f, isFunc := sink.(mapispi.TableSinkFunc); sink == nil || isFunc && f == nil {
		return 0, tableErr(mapispi.ErrInvalidParameter, "Advise", "no sink")
	}
	if err := v.lock("Advise"); err != nil {
		return 0, err
	}
	defer v.unlock()
	c := mapispi.Connection(connections.Add(1))
	if v.sinks == nil {
		v.sinks = map[mapispi.Connection]*notify.Conn[mapispi.TableNotification]{}
	}
	v.sinks[c] = notify.New(sink.OnTableNotify, notify.Options[mapispi.TableNotification]{
		Limit:    maxQueued,
		Overflow: tableChanged,
	})
	return c, nil
}

// Unadvise is IMAPITable::Unadvise (see mapispi.Table): once it returns
// the sink is not called again. A call under way finishes first, unless
// Unadvise is called from inside it, or ctx ends first, when Unadvise
// returns an error wrapping ctx.Err() (the connection is gone all the
// same).
func (v *View) Unadvise(ctx context.Context, c mapispi.Connection) error {
	if err := v.lock("Unadvise"); err != nil {
		return err
	}
	conn := v.sinks[c]
	if conn == nil {
		v.unlock()
		return tableErr(mapispi.ErrNotFound, "Unadvise", "connection %d is not one of this view's", c)
	}
	delete(v.sinks, c)
	v.unlock()
	return closeSinks(ctx, "Unadvise", conn)
}

// Status is IMAPITable::GetStatus: always complete and dynamic, since
// every operation finishes before it returns and the view follows every
// change.
func (v *View) Status(ctx context.Context) (mapispi.TableStatus, error) {
	if err := v.lock("GetStatus"); err != nil {
		return mapispi.TableStatus{}, err
	}
	defer v.unlock()
	return mapispi.TableStatus{State: mapispi.TableStatusComplete, Type: mapispi.TableTypeDynamic}, nil
}
