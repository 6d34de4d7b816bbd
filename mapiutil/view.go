package mapiutil

import (
	"bytes"
	"cmp"
	"context"
	"maps"
	"math/bits"
	"slices"
	"time"

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
//   - A view without a sink applies the changes it has not seen when it
//     is next called (see TableData), and ends as it would have had it
//     applied each when made, with one exception: when the table data
//     has dropped its log of those changes, the view rebuilds, and the
//     cursor and each bookmark stay on their row if the row is in the
//     view, and otherwise go to the row that now follows the row's last
//     place (a bookmark then reports PositionChanged). Had they followed
//     each change, a row that left the view and came back would have lost
//     them, and the row they moved to might have moved since.
//   - PR_INSTANCE_KEY is the row's own value when the table data's rows
//     carry one and the row is not an MVI expansion; otherwise the view
//     makes one, unique within the view, never reused and kept while the
//     row stays in the table data.
//   - Without a sort order rows keep insertion order. Sorting puts rows
//     that lack a sort column last in both directions (SSortOrder's
//     rule), and rows whose sort columns are equal in insertion order.
//     Strings sort in the table's Collation (see TableOptions).
//   - One MVI column (a multi-valued column with MVI_FLAG) expands each
//     row into one row per value, whose column holds that value under
//     the column's tag; a row without values for it appears once,
//     without the column. Two different MVI columns are ErrTooComplex.
//   - Categories (SortOrderSet.Categories) are ErrTooComplex, as is
//     sorting on a PT_OBJECT column.
//   - A restriction's RES_COUNT limit is not applied across rows (see
//     Match).
type View struct {
	// What a change of the table data reads comes first.
	td      *TableData
	touched byte            // what page read ahead of copying (see page)
	slot    int             // the view's index in its records' rows
	mvi     mapispi.PropTag // the MVI column, or 0
	res     mapispi.Restriction
	sorts   mapispi.SortOrderSet
	columns []mapispi.PropTag
	rows    tree
	sinks   map[mapispi.Connection]*notify.Conn[mapispi.TableNotification]
	pending []mapispi.TableNotification
	flood   bool // more than maxEventsPerCall pending
	closed  bool
	inst    uint64 // the last generated instance key
	gen     uint64 // counts rebuilds, after which positions are void
	cursor  pos
	marks   map[mapispi.Bookmark]*mark
	finds   []*pos // where FindRow calls under way go on; they follow rows as the cursor does
	seen    uint64 // the changes applied, while the view has no sink (see TableData)
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
	if n := len(td.freeSlots); n > 0 {
		v.slot = td.freeSlots[n-1]
		td.freeSlots = td.freeSlots[:n-1]
	} else {
		v.slot = td.slots
		td.slots++
	}
	td.lazy++
	v.seen = td.chg
	v.rebuild(true, true)
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
	if len(v.sinks) > 0 {
		td.eager = slices.DeleteFunc(td.eager, func(x *View) bool { return x == v })
	} else {
		td.lazy--
		v.caughtUp()
	}
	for b := range td.base.all() {
		v.setFirst(b.rec, nil)
	}
	td.freeSlots = append(td.freeSlots, v.slot)
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

// lock takes the table data's lock, or reports a closed view. A view
// without a sink then applies the changes it has not seen.
func (v *View) lock(method string) error {
	v.td.mu.Lock()
	if v.closed {
		v.td.mu.Unlock()
		return closedErr(method)
	}
	v.catchUp()
	return nil
}

// catchUp applies the changes a view without a sink has not seen, from
// the log, or by resync when the log no longer holds them all (td.mu
// held, the view open).
func (v *View) catchUp() {
	td := v.td
	if len(v.sinks) > 0 || v.seen == td.chg {
		return
	}
	if v.seen < td.logBase {
		v.resync()
	} else {
		for _, c := range td.log[v.seen-td.logBase:] {
			v.apply(c)
		}
	}
	v.caughtUp()
	v.seen = td.chg
}

// caughtUp counts a view without a sink that has seen every change, or
// that closes, off the views behind the log, and empties the log when
// none is left (td.mu held).
func (v *View) caughtUp() {
	td := v.td
	if v.seen == td.chg {
		return
	}
	if td.behind--; td.behind == 0 {
		td.trimLog()
	}
}

// apply makes a logged change to the view as it would have been made
// when the change was: a changed record is refreshed with the props it
// got then, which it holds for the while.
func (v *View) apply(c change) {
	if c.props == nil {
		v.remove(c.rec)
		return
	}
	now := c.rec.props
	c.rec.props = c.props
	v.refresh(c.rec)
	c.rec.props = now
}

// resync brings up to date a view that has not seen changes the log no
// longer holds: the rows of records added or changed since it last
// caught up are made again as refresh makes them, those of deleted
// records go, and the tree is built anew, in O(n log n). The cursor,
// bookmarks and searches stay on their rows while those are in the view;
// one whose row has gone goes to the row that now follows its row's
// place, as if the row had gone last (a bookmark reports the move).
func (v *View) resync() {
	type held struct {
		p     *pos
		m     *mark
		ghost node // a copy of the row, with its sort keys
	}
	var hs []held
	hold := func(p *pos, m *mark) {
		if p.n != nil {
			g := *p.n
			g.keys = slices.Clone(g.keys)
			hs = append(hs, held{p, m, g})
		}
	}
	hold(&v.cursor, nil)
	for _, m := range v.marks {
		hold(&m.p, m)
	}
	for _, f := range v.finds {
		hold(f, nil)
	}
	old := v.rows.detach()
	entries := make([]entry, 0, v.td.count)
	for b := range v.td.base.all() {
		rec := b.rec
		if rec.chg > v.seen {
			v.renew(rec)
		}
		for n := v.firstOf(rec); n != nil; n = n.more {
			if n.visible {
				entries = append(entries, entry{v.ord(n), n})
			}
		}
	}
	if len(v.sorts.Sorts) > 0 {
		slices.SortFunc(entries, func(a, b entry) int { return v.rows.order(&a.ord, a.row, &b.ord, b.row) })
	}
	v.rows.build(entries)
	// The rows that left the tree (those of deleted records among them).
	for b := old; b != nil; b = b.next {
		for _, n := range b.rows[:b.n] {
			if n.leaf == nil {
				n.visible, n.cols, n.k0, n.keys = false, nil, sortKey{}, nil
			}
		}
	}
	for _, h := range hs {
		if h.p.n.leaf != nil {
			continue
		}
		succ := v.rows.after(entry{v.ord(&h.ghost), &h.ghost})
		*h.p = pos{n: succ, end: succ == nil}
		if h.m != nil {
			h.m.moved = true
		}
	}
}

// renew makes a changed record's rows again for resync, as refresh does
// but out of the tree: a row that stays keeps its instance key, and gets
// new sort keys and columns when visible.
func (v *View) renew(rec *record) {
	vals := v.instances(rec)
	want := max(1, len(vals))
	var last *node
	i := 0
	for n := v.firstOf(rec); n != nil; n = n.more {
		if i >= want {
			n.visible = false
			last.more = nil // the rest go
			continue
		}
		last = n
		v.identify(n, i, vals)
		v.place(n)
		i++
	}
	for ; i < want; i++ {
		last = v.newRow(rec, last, i, vals)
		v.place(last)
	}
}

// place decides whether n, in no tree, is visible, and gives a visible
// row its sort keys and columns.
func (v *View) place(n *node) {
	n.k0, n.keys = sortKey{}, nil
	if n.visible = v.matches(n); !n.visible {
		n.cols = nil
		return
	}
	var keys []sortKey
	if k := len(v.sorts.Sorts); k > 1 {
		keys = make([]sortKey, k-1)
	}
	var coll []byte
	v.setKeys(n, keys, &coll)
	n.cols = v.rowCols(n, nil, nil)
}

func closedErr(method string) error {
	return tableErr(mapispi.ErrInvalidObject, method, "the view is closed")
}

func (v *View) unlock() { v.td.mu.Unlock() }

// ctxErr reports a context that has ended, as the error of method.
func ctxErr(ctx context.Context, method string) error {
	if err := ctx.Err(); err != nil {
		return &mapispi.Error{Code: mapispi.ErrCallFailed, Component: "mapiutil", Message: method, Err: err}
	}
	return nil
}

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

// firstOf returns rec's first row in the view, or nil; the others follow
// through more.
func (v *View) firstOf(rec *record) *node {
	if v.slot < len(rec.rows) {
		return rec.rows[v.slot]
	}
	return nil
}

// setFirst makes n rec's first row in the view.
func (v *View) setFirst(rec *record, n *node) {
	if v.slot >= len(rec.rows) {
		if n == nil {
			return
		}
		k := v.slot + 1 - len(rec.rows)
		rec.rows = slices.Grow(rec.rows, k)[:v.slot+1]
		clear(rec.rows[v.slot+1-k:])
	}
	rec.rows[v.slot] = n
}

// source is the row a restriction or sort sees for n.
func (v *View) source(n *node) rowSource {
	s := rowSource{props: n.rec.props, id: &n.id, coll: v.td.coll}
	if n.inst >= 0 {
		s.extra = n.instVal[:]
	}
	return s
}

// compare orders two rows of the view: by their sort columns (rows that
// lack one after those that have it, in both directions), then in
// insertion order, then by MVI instance.
func (v *View) compare(a, b *node) int {
	for i, s := range v.sorts.Sorts {
		if c := compareKeys(a.key(i), b.key(i), s.Order, v.td.coll); c != 0 {
			return c
		}
	}
	if c := cmp.Compare(a.rec.seq, b.rec.seq); c != 0 {
		return c
	}
	return cmp.Compare(a.inst, b.inst)
}

// compareKeys orders two values of one sort column, as CompareProps in
// coll does.
func compareKeys(a, b *sortKey, dir mapispi.SortDirection, coll *Collation) int {
	switch {
	case !a.present && !b.present:
		return 0
	case !a.present:
		return 1
	case !b.present:
		return -1
	}
	var c int
	switch sa, sb := a.v.Value, b.v.Value; {
	case !a.text || !b.text:
		c = compareProps(a.v, b.v, coll)
	case sa == sb: // equal strings, whose keys need not be read
	default:
		if c = bytes.Compare(a.coll, b.coll); c == 0 {
			c = sign(compareText(sa.(string), sb.(string)))
		}
	}
	if dir == mapispi.SortDescend {
		c = -c
	}
	return c
}

// setKeys computes n's sort keys; keys holds room for those after the
// first (len(v.sorts.Sorts)-1 long), and a string's collation key is
// appended to *coll (see newSortKey).
func (v *View) setKeys(n *node, keys []sortKey, coll *[]byte) {
	n.keys = keys
	src := v.source(n)
	for i, s := range v.sorts.Sorts {
		val, ok := src.find(s.Tag)
		*n.key(i) = newSortKey(val, ok, v.td.coll, coll)
	}
}

// newSortKey returns the sort key of val (present when ok). A string's
// collation key in coll is appended to *buf: to a nil *buf in a block of
// its own, otherwise in blocks of *buf's capacity.
func newSortKey(val mapispi.PropValue, ok bool, coll *Collation, buf *[]byte) sortKey {
	k := sortKey{v: val, present: ok}
	if str, isText := val.Value.(string); ok && isText {
		if c := cap(*buf); c > 0 && c-len(*buf) < 4*len(str)+64 {
			*buf = make([]byte, 0, max(c, 8*len(str)))
		}
		at := len(*buf)
		*buf = coll.appendKey(*buf, str)
		k.text, k.coll = true, (*buf)[at:len(*buf):len(*buf)]
	}
	return k
}

// ord returns n's ord (see ord), from its keys.
func (v *View) ord(n *node) ord {
	if len(v.sorts.Sorts) == 0 {
		return ord{n.rec.seq, uint64(n.inst + 1)}
	}
	return ordOf(v.sorts.Sorts[0], &n.k0)
}

// matches reports whether n passes the view's restriction. A restriction
// that fails on a row (a sub-restriction without a source) hides it.
func (v *View) matches(n *node) bool {
	if v.res == nil {
		return true
	}
	ok, err := eval(v.res, v.source(n), 1)
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

// identify sets n's instance and instance key for instance inst of vals.
func (v *View) identify(n *node, inst int, vals []any) {
	if len(vals) == 0 {
		inst = -1
	}
	n.inst = inst
	n.instVal[0] = mapispi.PropValue{}
	if inst >= 0 {
		n.instVal[0] = mapispi.PropValue{Tag: v.mvi, Value: vals[inst]}
	}
	if own, ok := findIn(n.rec.props, mapispi.PropInstanceKey); ok && inst < 0 {
		n.id = rowID{own: true, key: mapispi.PropValue{Tag: mapispi.PropInstanceKey, Value: own.Value}}
	} else if n.id.num == 0 || n.id.own {
		v.inst++
		n.id = rowID{num: v.inst}
	}
}

// show makes n visible: its keys and columns, its place in the tree, and
// a notification of ev.
func (v *View) show(n *node, ev mapispi.TableEvent) {
	keys := n.keys
	if k := len(v.sorts.Sorts); k > 1 && len(keys) != k-1 {
		keys = make([]sortKey, k-1)
	}
	var coll []byte
	v.setKeys(n, keys, &coll)
	var dst []mapispi.PropValue
	if cap(n.cols) >= len(v.columns) {
		dst = n.cols[:len(v.columns)] // a changed row that stays visible keeps its slice
	}
	n.cols = v.rowCols(n, dst, nil)
	n.visible = true
	v.rows.insert(entry{v.ord(n), n})
	v.notify(ev, n)
}

// hide takes a visible row out of the tree, moving the cursor and
// bookmarks on it to the row that followed.
func (v *View) hide(n *node) {
	old := n.id // the key the deletion names
	succ := v.rows.remove(n)
	v.retarget(n, succ)
	n.visible, n.cols, n.k0, n.keys = false, nil, sortKey{}, nil
	v.notifyDeleted(&old)
}

// retarget moves the cursor, bookmarks and searches on n, which has left
// the view, to succ (the row that followed it, or the end).
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
	for _, f := range v.finds {
		if f.n == n {
			*f = p
		}
	}
}

// remove takes away a deleted record's rows.
func (v *View) remove(rec *record) {
	for n := v.firstOf(rec); n != nil; n = n.more {
		if n.visible {
			v.hide(n)
		}
	}
	v.setFirst(rec, nil)
}

// refresh brings a new or changed record's rows up to date: a row that
// stays keeps its instance key, and its cursor and bookmarks.
func (v *View) refresh(rec *record) {
	vals := v.instances(rec)
	want := max(1, len(vals))
	var last *node
	i := 0
	for n := v.firstOf(rec); n != nil; n = n.more {
		if i >= want {
			if n.visible {
				v.hide(n)
			}
			last.more = nil // the rest go
			continue
		}
		last = n
		was := n.visible
		var succ *node
		if was {
			succ = v.rows.remove(n) // the row keeps its cursor and bookmarks
		}
		old := n.id
		v.identify(n, i, vals)
		switch now := v.matches(n); {
		case now && was:
			v.show(n, mapispi.TableRowModified)
		case now:
			v.show(n, mapispi.TableRowAdded)
		case was:
			n.visible, n.cols, n.k0, n.keys = false, nil, sortKey{}, nil
			v.retarget(n, succ)
			v.notifyDeleted(&old)
		}
		i++
	}
	for ; i < want; i++ {
		last = v.newRow(rec, last, i, vals)
		if v.matches(last) {
			v.show(last, mapispi.TableRowAdded)
		}
	}
}

// newRow makes row i of rec (for instance i of vals) after last, or as
// rec's first row when last is nil.
func (v *View) newRow(rec *record, last *node, i int, vals []any) *node {
	n := &node{rec: rec}
	v.identify(n, i, vals)
	if last == nil {
		v.setFirst(rec, n)
	} else {
		last.more = n
	}
	return n
}

// rebuild recomputes the view's rows after a new restriction (whose
// results the caller has put in each row's visible), sort order or
// columns; with remake, the rows are made anew (new instance keys) and
// the restriction is evaluated here. Unless resort (a new sort order),
// rows that stay in the tree keep their sort keys, which for a string
// cost a collation key, and their columns. Bookmarks go and the cursor
// returns to the beginning.
func (v *View) rebuild(remake, resort bool) {
	v.gen++
	rows := make([]*node, 0, v.td.count)
	for b := range v.td.base.all() {
		rec := b.rec
		if remake {
			vals := v.instances(rec)
			v.setFirst(rec, nil)
			var last *node
			for i := range max(1, len(vals)) {
				last = v.newRow(rec, last, i, vals)
				last.visible = v.matches(last)
			}
		}
		for n := v.firstOf(rec); n != nil; n = n.more {
			if n.visible {
				rows = append(rows, n)
			} else {
				n.leaf, n.cols, n.k0, n.keys = nil, nil, sortKey{}, nil
			}
		}
	}
	// A row that stays in the tree under the same sort order keeps its
	// keys and columns; the others (fresh) get them.
	k, nc := max(0, len(v.sorts.Sorts)-1), len(v.columns)
	var keys []sortKey
	var coll []byte // collation keys, in blocks sized to the table
	if len(v.sorts.Sorts) > 0 && len(rows) > 0 {
		coll = make([]byte, 0, min(64<<10, 64*len(rows)))
	}
	entries := make([]entry, len(rows))
	fresh := 0
	for i, n := range rows {
		if resort || n.leaf == nil {
			if len(keys) < k {
				keys = make([]sortKey, 256*k)
			}
			v.setKeys(n, keys[:k:k], &coll)
			keys = keys[k:]
			fresh++
		}
		entries[i] = entry{v.ord(n), n}
	}
	// After a new sort order, the rows themselves and their columns are
	// laid out in view order, so that reading a page reads memory
	// forwards (rows are made in insertion order, which a restriction
	// keeps).
	if len(v.sorts.Sorts) > 0 {
		slices.SortFunc(entries, func(a, b entry) int { return v.rows.order(&a.ord, a.row, &b.ord, b.row) })
		if resort {
			v.relayout(entries)
		}
	}
	cols := make([]mapispi.PropValue, fresh*nc)
	var bins *binArena
	if resort {
		bins = new(binArena)
	}
	for _, e := range entries {
		if resort || e.row.leaf == nil {
			e.row.cols = v.rowCols(e.row, cols[:nc:nc], bins)
			cols = cols[nc:]
		}
	}
	v.rows.build(entries)
	v.cursor = pos{}
	v.marks = nil
}

// relayout moves the visible rows, in view order, into one block of
// memory, and points their records at the moved rows. A rebuild voids
// every position, so nothing else points at them.
func (v *View) relayout(rows []entry) {
	block := make([]node, len(rows))
	moved := new(bnode) // the leaf of a row that has moved, to its more
	for i, e := range rows {
		block[i] = *e.row
		e.row.leaf, e.row.more = moved, &block[i]
		rows[i].row = &block[i]
	}
	to := func(n *node) *node {
		if n != nil && n.leaf == moved {
			return n.more
		}
		return n
	}
	for b := range v.td.base.all() {
		first := to(v.firstOf(b.rec))
		v.setFirst(b.rec, first)
		for n := first; n != nil; n = n.more {
			n.more = to(n.more)
		}
	}
}

// notify queues a row event for n for the view's sinks.
func (v *View) notify(ev mapispi.TableEvent, n *node) {
	if len(v.sinks) == 0 || v.queueFull() {
		return
	}
	prior := mapispi.PropValue{Tag: mapispi.PropNull}
	if p := prev(n); p != nil {
		prior = mapispi.PropValue{Tag: mapispi.PropInstanceKey, Value: p.id.bytes()}
	}
	v.pending = append(v.pending, mapispi.TableNotification{
		Event: ev,
		Index: mapispi.PropValue{Tag: mapispi.PropInstanceKey, Value: n.id.bytes()},
		Prior: prior,
		Row:   v.rowOf(n.cols),
	})
}

// notifyDeleted queues the deletion of the row whose key was id.
func (v *View) notifyDeleted(id *rowID) {
	if len(v.sinks) == 0 || v.queueFull() {
		return
	}
	v.pending = append(v.pending, mapispi.TableNotification{
		Event: mapispi.TableRowDeleted,
		Index: mapispi.PropValue{Tag: mapispi.PropInstanceKey, Value: id.bytes()},
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

// rowCols computes n's row in the view's columns into dst (or a new
// slice when dst is nil) and returns it. With bins, small binary values
// are copied into it rather than shared with the record, so that rows
// laid out in view order have their bytes in view order too.
func (v *View) rowCols(n *node, dst []mapispi.PropValue, bins *binArena) []mapispi.PropValue {
	if dst == nil {
		dst = make([]mapispi.PropValue, len(v.columns))
	}
	row := dst
	for i, c := range v.columns {
		switch {
		case c == mapispi.PropNull:
			row[i] = mapispi.PropValue{Tag: mapispi.PropNull}
		case c == mapispi.PropInstanceKey:
			row[i] = n.id.instanceKey()
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
			if b, ok := val.Value.([]byte); ok && bins != nil {
				row[i] = mapispi.PropValue{Tag: tag, Value: bins.copy(b)}
				continue
			}
			row[i] = mapispi.PropValue{Tag: tag, Value: val.Value}
		}
	}
	return row
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
		v.rebuild(true, true)
		return nil
	}
	nc := len(tags)
	cols := make([]mapispi.PropValue, v.rows.len()*nc)
	i := 0
	bins := new(binArena)
	for n := range v.rows.all() {
		n.cols = v.rowCols(n, cols[i*nc:(i+1)*nc:(i+1)*nc], bins)
		i++
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

// AllColumns is IMAPITable::QueryColumns with TBL_ALL_COLUMNS (see
// mapispi.AllColumnsTable): every tag some record of the table data has,
// in the order they first appear (records in insertion order), and
// PR_INSTANCE_KEY.
func (v *View) AllColumns(ctx context.Context) ([]mapispi.PropTag, error) {
	if err := v.lock("QueryColumns"); err != nil {
		return nil, err
	}
	defer v.unlock()
	var tags []mapispi.PropTag
	seen := map[mapispi.PropTag]bool{}
	add := func(t mapispi.PropTag) {
		if !seen[t] {
			seen[t] = true
			tags = append(tags, t)
		}
	}
	for n := range v.td.base.all() {
		for _, p := range n.rec.props {
			if p.Tag.Type() != mapispi.PtError {
				add(p.Tag)
			}
		}
	}
	add(mapispi.PropInstanceKey)
	return tags, nil
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
// costs O(log n + page), once the view has applied the changes it had
// not seen (see TableData).
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
		v.cursor = pos{n: v.rows.at(idx - back)}
		rows, _ := v.page(v.cursor.n, back)
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
	rows, after := v.page(x, n)
	v.cursor = pos{n: after, end: after == nil}
	return rows, nil
}

// page returns copies of up to n rows from x on, and the row after them.
func (v *View) page(x *node, n int) ([]mapispi.Row, *node) {
	// The rows share one array of values and one of bytes (each row and
	// each binary value a slice of its own, capacity capped), so that a
	// page costs a few allocations, not a few per row. Measuring what
	// they need reads every row's values before any is copied: the reads
	// of different rows do not depend on each other, so the processor
	// overlaps their cache misses, which the copies would take one after
	// another.
	count, values, size := 0, 0, 0
	var next *node
	var seen byte
	for y := range walk(x, false) {
		if count == n {
			next = y
			break
		}
		count++
		values += len(y.cols)
		for _, p := range y.cols {
			if b, ok := p.Value.([]byte); ok && len(b) > 0 {
				size += len(b)
				seen ^= b[0] ^ b[len(b)-1] // its bytes too: they are copied next
			}
		}
	}
	v.touched = seen // kept, so that the reads are not dropped
	all := make([]mapispi.PropValue, values)
	buf := make([]byte, size)
	rows := make([]mapispi.Row, 0, count)
	for y := range walk(x, false) {
		if len(rows) == count {
			break
		}
		row := all[:len(y.cols):len(y.cols)]
		all = all[len(y.cols):]
		for j, p := range y.cols {
			switch val := p.Value.(type) {
			case []byte:
				c := buf[:len(val):len(val)]
				buf = buf[len(val):]
				copy(c, val)
				row[j] = mapispi.PropValue{Tag: p.Tag, Value: c}
			case string, int32, int64, bool, time.Time, float64, mapispi.SCode:
				row[j] = p // nothing in it a caller could change
			default:
				row[j] = mapispi.PropValue{Tag: p.Tag, Value: cloneValue(val)}
			}
		}
		rows = append(rows, row)
	}
	return rows, next
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
// same error, as is one that fails on a row examined (a
// RES_SUBRESTRICTION on a row without a SubRows source). When no row
// matches, the cursor stays where it was. Searching costs O(rows
// examined) evaluations, made outside the table's lock a batch of rows
// at a time, so that other calls on the table go on meanwhile; a row
// that changes during the search is examined as it is after the change.
// When ctx ends, FindRow stops with an error wrapping ctx.Err(). When
// the view is re-sorted, restricted or re-expanded during the search,
// the search starts again in the new order, from origin.
func (v *View) FindRow(ctx context.Context, r mapispi.Restriction, origin mapispi.Bookmark, flags mapispi.FindFlags) (mapispi.FindResult, error) {
	if isNilRestriction(r) {
		return mapispi.FindResult{}, tableErr(mapispi.ErrInvalidParameter, "FindRow", "no restriction")
	}
	if flags&^mapispi.FindBackward != 0 {
		return mapispi.FindResult{}, tableErr(mapispi.ErrUnknownFlags, "FindRow", "flags 0x%X", uint32(flags))
	}
	r = copyRestriction(r)
	if err := validate(r, 1); err != nil {
		return mapispi.FindResult{}, err
	}
	if err := ctxErr(ctx, "FindRow"); err != nil {
		return mapispi.FindResult{}, err
	}
	if err := v.lock("FindRow"); err != nil {
		return mapispi.FindResult{}, err
	}
	defer v.unlock()
	back := flags&mapispi.FindBackward != 0
	// from and after are the first row of the batch being evaluated and
	// the row after it; they are among v.finds while the search runs, so
	// that they follow their rows as the cursor does.
	from, after := &pos{}, &pos{}
	v.finds = append(v.finds, from, after)
	defer func() { v.finds = slices.DeleteFunc(v.finds, func(p *pos) bool { return p == from || p == after }) }()
restart:
	p, moved, err := v.resolve("FindRow", origin)
	if err != nil {
		return mapispi.FindResult{}, err
	}
	res := mapispi.FindResult{PositionChanged: moved}
	var x *node
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
	gen := v.gen
	var batch []evalRow
	for size := 64; x != nil; size = min(2*size, 4096) {
		// Copy a batch of rows and evaluate it without the lock.
		batch = batch[:0]
		var y *node
		for z := range walk(x, back) {
			if len(batch) == size {
				y = z
				break
			}
			batch = append(batch, v.snapshot(z))
		}
		*from, *after = pos{n: x}, pos{n: y, end: y == nil}
		v.unlock()
		found, err := evalRows(ctx, "FindRow", r, batch, v.td.coll)
		v.td.mu.Lock()
		if !v.closed {
			v.catchUp()
		}
		switch {
		case err != nil:
			return res, err
		case v.closed:
			return res, closedErr("FindRow")
		case v.gen != gen:
			goto restart
		case found < 0:
			x = after.n
			continue
		}
		if c := batch[found].n; c.visible && sameRow(batch[found], c) {
			v.cursor = pos{n: c}
			return res, nil
		}
		x = from.n // the row changed or went: examine the batch again as it is now
	}
	return res, tableErr(mapispi.ErrNotFound, "FindRow", "no row matches")
}

// evalRow is a copy of what a restriction reads of a view's row, so that
// it can be evaluated without the table's lock.
type evalRow struct {
	n       *node
	props   []mapispi.PropValue
	inst    int
	instVal [1]mapispi.PropValue
	id      rowID
}

// snapshot copies what a restriction reads of n (td.mu held). A record's
// props are never changed in place, only replaced.
func (v *View) snapshot(n *node) evalRow {
	return evalRow{n: n, props: n.rec.props, inst: n.inst, instVal: n.instVal, id: n.id}
}

// sameRow reports whether n still shows what e copied.
func sameRow(e evalRow, n *node) bool {
	return len(e.props) == len(n.rec.props) && (len(e.props) == 0 || &e.props[0] == &n.rec.props[0]) &&
		e.inst == n.inst && e.id.same(&n.id)
}

// source is the row a restriction sees for e.
func (e *evalRow) source(coll *Collation) rowSource {
	src := rowSource{props: e.props, id: &e.id, coll: coll}
	if e.inst >= 0 {
		src.extra = e.instVal[:]
	}
	return src
}

// evalRows evaluates r on rows without the table's lock, checking ctx
// between rows, and returns the index of the first that matches, or -1.
func evalRows(ctx context.Context, method string, r mapispi.Restriction, rows []evalRow, coll *Collation) (int, error) {
	for i := range rows {
		if i%16 == 0 {
			if err := ctxErr(ctx, method); err != nil {
				return -1, err
			}
		}
		ok, err := eval(r, rows[i].source(coll), 1)
		if err != nil {
			return -1, err
		}
		if ok {
			return i, nil
		}
	}
	return -1, nil
}

// Restrict is IMAPITable::Restrict (see mapispi.Table). A restriction
// Match refuses is refused with the same error, as is one that fails on a
// row (a RES_SUBRESTRICTION on a row without a SubRows source), keeping
// the old restriction; a row added later on which it fails is hidden. The
// view keeps a copy of r: the caller may change or reuse r afterwards.
// Applying one costs O(n) evaluations, made outside the table's lock, so
// that other calls on the table go on meanwhile (rows that change
// meanwhile are evaluated again under the lock). When ctx ends, Restrict
// stops with an error wrapping ctx.Err() and the old restriction stays.
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
	if err := ctxErr(ctx, "Restrict"); err != nil {
		return err
	}
	if err := v.lock("Restrict"); err != nil {
		return err
	}
	var rows []evalRow
	if r != nil {
		rows = make([]evalRow, 0, v.td.count)
		for b := range v.td.base.all() {
			for n := v.firstOf(b.rec); n != nil; n = n.more {
				rows = append(rows, v.snapshot(n))
			}
		}
	}
	v.unlock()
	pass := make([]bool, len(rows))
	for i := range rows {
		if i%16 == 0 {
			if err := ctxErr(ctx, "Restrict"); err != nil {
				return err
			}
		}
		ok, err := eval(r, rows[i].source(v.td.coll), 1)
		if err != nil {
			return err
		}
		pass[i] = ok
	}
	if err := v.lock("Restrict"); err != nil {
		return err
	}
	defer v.unlock()
	// Every row's result, from the copy when the row has not changed since
	// (rows are walked in the same order: by record, then instance).
	var visible []bool
	j := 0
	for b := range v.td.base.all() {
		for n := v.firstOf(b.rec); n != nil; n = n.more {
			for j < len(rows) && rows[j].n.rec.seq < n.rec.seq {
				j++
			}
			k := j
			for k < len(rows) && rows[k].n.rec == n.rec && rows[k].n != n {
				k++
			}
			switch {
			case r == nil:
				visible = append(visible, true)
			case k < len(rows) && rows[k].n == n && sameRow(rows[k], n):
				visible = append(visible, pass[k])
			default:
				ok, err := eval(r, v.source(n), 1)
				if err != nil {
					return err
				}
				visible = append(visible, ok)
			}
		}
	}
	i := 0
	for b := range v.td.base.all() {
		for n := v.firstOf(b.rec); n != nil; n = n.more {
			n.visible = visible[i]
			i++
		}
	}
	v.res = r
	v.rebuild(false, false)
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
	remake := mvi != v.mvi
	v.mvi = mvi
	v.rebuild(remake, true)
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
// nor any other sink. While it has a sink the view follows each change
// as it is made, which then costs the change O(log n) for the view (see
// TableData); Advise first applies the changes the view has not seen,
// of which the sink hears nothing.
func (v *View) Advise(ctx context.Context, sink mapispi.TableSink) (mapispi.Connection, error) {
	if f, isFunc := sink.(mapispi.TableSinkFunc); sink == nil || isFunc && f == nil {
		return 0, tableErr(mapispi.ErrInvalidParameter, "Advise", "no sink")
	}
	if err := v.lock("Advise"); err != nil {
		return 0, err
	}
	defer v.unlock()
	c := mapispi.Connection(connections.Add(1))
	if len(v.sinks) == 0 { // up to date (lock), it now follows each change
		v.td.lazy--
		v.td.eager = append(v.td.eager, v)
	}
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
// same). A view left without a sink applies later changes when next
// called (see TableData).
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
	if len(v.sinks) == 0 { // up to date, it now catches up when called
		td := v.td
		td.eager = slices.DeleteFunc(td.eager, func(x *View) bool { return x == v })
		td.lazy++
		v.seen = td.chg
	}
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

// binArena hands out copies of small binary values from shared chunks,
// which double from binMax bytes up to binChunk, so that a small table
// takes a small chunk. Values are never written after they are copied,
// so sharing a chunk's array is safe; a larger value stays shared with
// its record.
type binArena struct {
	buf  []byte
	next int // the size of the next chunk
}

const (
	binChunk = 32 << 10
	binMax   = 256 // larger values are not copied
)

func (a *binArena) copy(b []byte) []byte {
	if len(b) > binMax || len(b) == 0 {
		return b
	}
	if len(a.buf) < len(b) {
		a.next = min(binChunk, max(binMax, 2*a.next))
		a.buf = make([]byte, a.next)
	}
	c := a.buf[:len(b):len(b)]
	a.buf = a.buf[len(b):]
	copy(c, b)
	return c
}
