package mapiutil

import (
	"cmp"
	"context"
	"encoding/binary"
	"hash/maphash"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mapiemu/mapiemu/internal/notify"
	"github.com/mapiemu/mapiemu/mapispi"
)

// TableData is the Go form of CreateTable's ITableData: rows held in
// memory, each identified by the value of one index column, and the views
// (IMAPITable objects) that show them. It is safe for concurrent use.
//
// Every view shows every change from its next call on. A view with an
// advise sink follows each insert, change and delete as it is made,
// which costs the change O(log n) for that view, and sends its sinks
// TABLE_ROW_ADDED, TABLE_ROW_DELETED and TABLE_ROW_MODIFIED
// notifications, or a single TABLE_CHANGED when one call would send the
// view more than 64. Rows hidden by a view's restriction send nothing.
// A view without a sink is not touched by a change: the table data logs
// which records changed (O(1) a change, whatever the number of such
// views), and the view applies the changes it has not seen when it is
// next called, each as a view with a sink applies it, in O(k log n) for k
// changes, so that its rows, cursor and bookmarks end as that view's
// would. The log holds at most max(1024, n) changes; once it would hold
// more it is dropped, and a view that had not seen them all rebuilds its
// rows instead when next called, in O(n log n) (see View for where its
// cursor and bookmarks go then). Advise brings a view up to date before
// its sink starts. Sinks are called under the rules of
// mapispi's "Notifications" section: each sink gets the notifications of
// the changes in the order the changes were made, one call at a time, on
// a goroutine of its own that holds no lock of the table's, so it may
// call the view and the table data. Delivery is asynchronous: ModifyRow
// and the other changes return before the sinks run; Flush waits for
// them.
//
// Rows are copied in and out: a caller changing a row's slices after
// ModifyRow, or those a view returned, changes nothing stored.
type TableData struct {
	mu        sync.Mutex
	index     mapispi.PropTag
	columns   []mapispi.PropTag
	coll      *Collation
	recs      map[uint64]*record // by hash of their keys; equal hashes chain through sameHash
	hash      func(recKey) uint64
	count     int
	base      tree // the records in insertion order
	seq       uint64
	slots     int   // view slots handed out
	freeSlots []int // slots of closed views, for new views

	// Changes, for the views without sinks (lazy views), which apply
	// them when next called; views with sinks (eager) apply each as it
	// is made.
	eager   []*View  // the views with sinks
	lazy    int      // the open views without sinks
	behind  int      // the lazy views that have not seen change chg
	chg     uint64   // changes made: a record added, changed or deleted
	log     []change // changes logBase+1 to chg, while a lazy view is behind
	logBase uint64
	logMin  int // the log is dropped when longer than max(logMin, count)
}

// change is one entry of the log: a record added or changed, and the
// props it got, or a record deleted (props nil).
type change struct {
	rec   *record
	props []mapispi.PropValue
}

// minLog is the fewest changes the log holds before it is dropped.
const minLog = 1024

// TableOptions are the options of NewTableData.
type TableOptions struct {
	// Collation orders and compares the table's strings: its views'
	// sort orders, and RELOP_LT, RELOP_LE, RELOP_GT and RELOP_GE
	// restrictions on strings in Restrict and FindRow. Nil is the
	// default, English (see CompareProps).
	Collation *Collation
}

// record is one row of the table data.
type record struct {
	rows     []*node  // by view slot: the record's first row in that view, or nil
	row1     [1]*node // rows' first array, so that one view costs no allocation
	key      recKey
	sameHash *record // the next record whose key has the same hash
	seq      uint64
	chg      uint64              // the change that added or last changed it
	props    []mapispi.PropValue // replaced by a change, never changed in place
	base     node                // its node in the base tree
}

// maxEventsPerCall is how many row events one call may send a view before
// they become one TABLE_CHANGED.
const maxEventsPerCall = 64

// maxQueued is how many batches may wait for a slow sink before they
// become one TABLE_CHANGED.
const maxQueued = 256

var (
	connections atomic.Uint64 // advise connections, unique in the process
	bookmarks   atomic.Uint32 // bookmarks, unique in the process
)

func tableErr(code mapispi.SCode, method, format string, args ...any) error {
	return mapispi.Errorf(code, "mapiutil", method+": "+format, args...)
}

// NewTableData is CreateTable: empty table data whose rows are
// identified by their index column and whose views start with columns
// (which must pass ValidColumns, except that one MVI column is allowed).
// index must be a valid single-valued type other than PT_NULL, PT_ERROR,
// PT_OBJECT and PT_UNSPECIFIED; PR_INSTANCE_KEY is the usual choice. Bad
// arguments are ErrInvalidParameter, except that two MVI columns are
// ErrTooComplex, as View and SetColumns answer. opts, at most one, set
// the order of strings (see TableOptions).
func NewTableData(index mapispi.PropTag, columns []mapispi.PropTag, opts ...TableOptions) (*TableData, error) {
	if len(opts) > 1 {
		return nil, tableErr(mapispi.ErrInvalidParameter, "NewTableData", "%d TableOptions, want at most one", len(opts))
	}
	var o TableOptions
	if len(opts) == 1 {
		o = opts[0]
	}
	switch t := index.Type(); {
	case !ValidPropTag(index), t.IsMultiValued(), t == mapispi.PtNull, t == mapispi.PtError,
		t == mapispi.PtObject, t == mapispi.PtUnspecified:
		return nil, tableErr(mapispi.ErrInvalidParameter, "NewTableData", "%v cannot be an index column", index)
	}
	if err := checkColumns("NewTableData", columns); err != nil {
		return nil, err
	}
	if _, err := mviColumn("NewTableData", columns, nil); err != nil {
		return nil, err
	}
	td := &TableData{index: index, columns: slices.Clone(columns), coll: o.Collation.or(), recs: map[uint64]*record{}, logMin: minLog}
	td.base.cmp = func(a, b *node) int { return cmp.Compare(a.rec.seq, b.rec.seq) }
	seed := maphash.MakeSeed()
	td.hash = func(k recKey) uint64 { return maphash.Comparable(seed, k) }
	return td, nil
}

// checkColumns refuses an empty column set, PT_ERROR tags and tags whose
// type MAPI does not define (ValidColumns' rules); an MVI column must be
// multi-valued.
func checkColumns(method string, tags []mapispi.PropTag) error {
	if len(tags) == 0 {
		return tableErr(mapispi.ErrInvalidParameter, method, "no columns")
	}
	for _, t := range tags {
		typ := t.Type()
		if typ&mapispi.MVInstance != 0 && !typ.IsMultiValued() {
			return tableErr(mapispi.ErrInvalidParameter, method, "column %v has MV_INSTANCE without MV_FLAG", t)
		}
		if typ == mapispi.PtError {
			return tableErr(mapispi.ErrInvalidParameter, method, "column %v is PT_ERROR", t)
		}
		if !ValidPropTag(t.WithType(typ &^ mapispi.MVInstance)) {
			return tableErr(mapispi.ErrInvalidParameter, method, "column %v has a type MAPI does not define", t)
		}
	}
	return nil
}

// recKey is an index value as a map key. A value of up to 16 bytes is
// held in the key itself, so that finding its record reads no other
// memory; a longer one is held in long.
type recKey struct {
	a, b uint64
	n    int
	long string
}

func makeKey[T []byte | string](v T) recKey {
	if len(v) > 16 {
		return recKey{n: len(v), long: string(v)}
	}
	var w [16]byte
	copy(w[:], v)
	return recKey{a: binary.BigEndian.Uint64(w[:8]), b: binary.BigEndian.Uint64(w[8:]), n: len(v)}
}

// find returns the record whose key is k, or nil. Records are found by a
// hash of their keys, so that the map holds small entries and one cache
// miss finds a record of a big table.
func (td *TableData) find(k recKey) *record {
	r := td.recs[td.hash(k)]
	for r != nil && r.key != k {
		r = r.sameHash
	}
	return r
}

// put adds a record whose key no record has.
func (td *TableData) put(r *record) {
	h := td.hash(r.key)
	r.sameHash = td.recs[h]
	td.recs[h] = r
	td.count++
}

// drop removes a record.
func (td *TableData) drop(r *record) {
	h := td.hash(r.key)
	switch p := td.recs[h]; {
	case p == r && r.sameHash == nil:
		delete(td.recs, h)
	case p == r:
		td.recs[h] = r.sameHash
	default:
		for p.sameHash != r {
			p = p.sameHash
		}
		p.sameHash = r.sameHash
	}
	r.sameHash = nil
	td.count--
}

// keyOf returns the map key for an index value, or false when v is not a
// value of the index column.
func (td *TableData) keyOf(v mapispi.PropValue) (recKey, bool) {
	if v.Tag != td.index && !(v.Tag.ID() == td.index.ID() && isString(td.index.Type()) && sameType(v.Tag.Type(), td.index.Type())) {
		return recKey{}, false
	}
	if !validValue(v) {
		return recKey{}, false
	}
	var u uint64
	switch x := v.Value.(type) {
	case []byte:
		return makeKey(x), true
	case string:
		return makeKey(x), true
	case mapispi.UID:
		return makeKey(x[:]), true
	case int16:
		u = uint64(x)
	case int32:
		u = uint64(x)
	case int64:
		u = uint64(x)
	case float32:
		u = uint64(math.Float32bits(x))
	case float64:
		u = math.Float64bits(x)
	case bool:
		u = uint64(b2i(x))
	case mapispi.SCode:
		u = uint64(x)
	case time.Time:
		return recKey{a: uint64(x.Unix()), b: uint64(x.Nanosecond())}, true
	default:
		return recKey{}, false
	}
	return recKey{a: u}, true
}

// checkRow copies row in, or refuses it with ErrInvalidParameter.
func (td *TableData) checkRow(method string, row mapispi.Row) ([]mapispi.PropValue, recKey, error) {
	var key recKey
	found := false
	for _, p := range row {
		if p.Tag.Type() != mapispi.PtError && !validValue(p) {
			return nil, recKey{}, tableErr(mapispi.ErrInvalidParameter, method, "%v holds %T, not a value of its type", p.Tag, p.Value)
		}
		if !found {
			key, found = td.keyOf(p)
		}
	}
	if !found {
		return nil, recKey{}, tableErr(mapispi.ErrInvalidParameter, method, "the row has no value for the index column %v", td.index)
	}
	props := make([]mapispi.PropValue, len(row))
	for i, p := range row {
		props[i] = cloneProp(p)
	}
	return props, key, nil
}

// ModifyRow is ITableData::HrModifyRow: row replaces the row with the same
// index value, or is added after all others. A row without a value for
// the index column, or with a value that does not match its tag, is
// ErrInvalidParameter.
func (td *TableData) ModifyRow(row mapispi.Row) error {
	return td.ModifyRows([]mapispi.Row{row})
}

// ModifyRows is ITableData::HrModifyRows: ModifyRow for each row, in
// order. Every row is checked before any is stored.
func (td *TableData) ModifyRows(rows []mapispi.Row) error {
	type checked struct {
		props []mapispi.PropValue
		key   recKey
	}
	in := make([]checked, len(rows))
	for i, r := range rows {
		props, key, err := td.checkRow("ModifyRows", r)
		if err != nil {
			return err
		}
		in[i] = checked{props, key}
	}
	td.mu.Lock()
	for _, c := range in {
		rec := td.find(c.key)
		if rec == nil {
			td.seq++
			rec = &record{seq: td.seq, key: c.key}
			rec.rows = rec.row1[:0]
			rec.base.rec = rec
			td.put(rec)
			td.base.insert(entry{ord{rec.seq}, &rec.base})
		}
		rec.props = c.props
		td.logChange(rec, c.props)
		for _, v := range td.eager {
			v.refresh(rec)
		}
	}
	td.post()
	td.mu.Unlock()
	return nil
}

// DeleteRow is ITableData::HrDeleteRow: the row whose index column is key
// goes; ErrNotFound when there is none, ErrInvalidParameter when key is
// not a value of the index column.
func (td *TableData) DeleteRow(key mapispi.PropValue) error {
	n, err := td.DeleteRows([]mapispi.PropValue{key})
	if err == nil && n == 0 {
		return tableErr(mapispi.ErrNotFound, "DeleteRow", "no row has %v", key)
	}
	return err
}

// DeleteRows is ITableData::HrDeleteRows: the rows whose index columns
// are keys go, and it reports how many there were. Keys of no row are
// skipped; a key that is not a value of the index column is
// ErrInvalidParameter, before anything is deleted.
func (td *TableData) DeleteRows(keys []mapispi.PropValue) (int, error) {
	ks := make([]recKey, len(keys))
	for i, k := range keys {
		s, ok := td.keyOf(k)
		if !ok {
			return 0, tableErr(mapispi.ErrInvalidParameter, "DeleteRows", "%v is not a value of the index column %v", k, td.index)
		}
		ks[i] = s
	}
	td.mu.Lock()
	n := 0
	for _, k := range ks {
		if rec := td.find(k); rec != nil {
			td.deleteLocked(rec)
			n++
		}
	}
	td.post()
	td.mu.Unlock()
	return n, nil
}

// DeleteAllRows is ITableData::HrDeleteRows with TAD_ALL_ROWS: every row
// goes; it reports how many there were.
func (td *TableData) DeleteAllRows() int {
	td.mu.Lock()
	n := td.count
	for _, rec := range slices.Collect(td.base.all()) {
		td.deleteLocked(rec.rec)
	}
	td.post()
	td.mu.Unlock()
	return n
}

func (td *TableData) deleteLocked(rec *record) {
	for _, v := range td.eager {
		v.remove(rec)
	}
	td.base.remove(&rec.base)
	td.drop(rec)
	td.logChange(rec, nil)
}

// logChange counts a change to rec, which got props (nil when it was
// deleted), and logs it for the lazy views (td.mu held). A log longer
// than max(logMin, count) is dropped: the views behind it rebuild.
func (td *TableData) logChange(rec *record, props []mapispi.PropValue) {
	td.chg++
	if props != nil {
		rec.chg = td.chg
	}
	if td.lazy == 0 {
		td.logBase = td.chg
		return
	}
	td.behind = td.lazy
	td.log = append(td.log, change{rec, props})
	if len(td.log) > max(td.logMin, td.count) {
		td.trimLog()
	}
}

// trimLog empties the log, which the views behind it can no longer use
// (td.mu held).
func (td *TableData) trimLog() {
	clear(td.log) // the records and props it holds
	td.log = td.log[:0]
	td.logBase = td.chg
}

// QueryRow is ITableData::HrQueryRow: a copy of the row whose index
// column is key and its index in insertion order. ErrNotFound when there
// is none; ErrInvalidParameter when key is not a value of the index
// column.
func (td *TableData) QueryRow(key mapispi.PropValue) (mapispi.Row, int, error) {
	k, ok := td.keyOf(key)
	if !ok {
		return nil, 0, tableErr(mapispi.ErrInvalidParameter, "QueryRow", "%v is not a value of the index column %v", key, td.index)
	}
	td.mu.Lock()
	defer td.mu.Unlock()
	rec := td.find(k)
	if rec == nil {
		return nil, 0, tableErr(mapispi.ErrNotFound, "QueryRow", "no row has %v", key)
	}
	return copyRow(rec.props), rank(&rec.base), nil
}

// EnumRow is ITableData::HrEnumRow: a copy of the row at index i in
// insertion order, or false when there is none (as MAPI returns no row
// and S_OK).
func (td *TableData) EnumRow(i int) (mapispi.Row, bool) {
	td.mu.Lock()
	defer td.mu.Unlock()
	n := td.base.at(i)
	if n == nil {
		return nil, false
	}
	return copyRow(n.rec.props), true
}

// RowCount is how many rows the table data holds.
func (td *TableData) RowCount() int {
	td.mu.Lock()
	defer td.mu.Unlock()
	return td.count
}

func copyRow(props []mapispi.PropValue) mapispi.Row {
	row := make(mapispi.Row, len(props))
	for i, p := range props {
		row[i] = cloneProp(p)
	}
	return row
}

// post hands each view's pending notifications to its sinks' connections
// (td.mu held, so that every sink gets them in the order of the changes).
// Only views with sinks have any.
func (td *TableData) post() {
	for _, v := range td.eager {
		v.post()
	}
}

// Flush waits until every notification of every view of td that was
// sent before the call has reached its sink (or was dropped because its
// connection closed), or ctx ends, when it returns an error wrapping
// ctx.Err(). Called from inside a sink, it does not wait for that sink's
// own later notifications, which cannot run before the sink returns; a
// sink that waits for another sink that waits for it waits until ctx
// ends.
func (td *TableData) Flush(ctx context.Context) error {
	td.mu.Lock()
	var conns []*notify.Conn[mapispi.TableNotification]
	for _, v := range td.eager {
		for _, c := range v.sinks {
			conns = append(conns, c)
		}
	}
	td.mu.Unlock()
	for _, c := range conns {
		if err := c.Flush(ctx); err != nil {
			return &mapispi.Error{Code: mapispi.ErrCallFailed, Component: "mapiutil", Message: "Flush", Err: err}
		}
	}
	return nil
}
