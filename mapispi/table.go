package mapispi

import (
	"context"
	"fmt"
)

// Row is the Go form of SRow: one row of a table.
type Row []PropValue

// Bookmark is the Go form of a table BOOKMARK.
type Bookmark uint32

// Predefined bookmarks, from MAPIDefS.h. BookmarkBeginning is before the
// first row and BookmarkEnd after the last, as the header says.
const (
	BookmarkBeginning Bookmark = 0 // BOOKMARK_BEGINNING
	BookmarkCurrent   Bookmark = 1 // BOOKMARK_CURRENT
	BookmarkEnd       Bookmark = 2 // BOOKMARK_END
)

// FindFlags is the Go form of IMAPITable::FindRow's ulFlags.
type FindFlags uint32

// FindBackward is DIR_BACKWARD: search from the row before the bookmark
// towards the beginning.
const FindBackward FindFlags = 0x1

// MVInstance is MV_INSTANCE (MAPIDefS.h). A column tag whose type has
// MVInstance and MVFlag both set (MVI_FLAG, 0x3000) expands a
// multi-valued property into one row per value; such a row holds the one
// value under the column's tag.
const MVInstance PropType = 0x2000

// SeekResult is what IMAPITable::SeekRow reports.
type SeekResult struct {
	// Rows is how many rows the cursor moved (lplRowsSought), negative
	// when it moved backwards.
	Rows int
	// PositionChanged is MAPI_W_POSITION_CHANGED: the row the bookmark
	// was on is no longer in the view, so the bookmark moved to the row
	// that followed it before it was used.
	PositionChanged bool
}

// FindResult is what IMAPITable::FindRow reports besides its error.
type FindResult struct {
	// PositionChanged is MAPI_W_POSITION_CHANGED, as for SeekResult.
	PositionChanged bool
}

// Position is what IMAPITable::QueryPosition reports: Row is the 0-based
// index of the row the cursor is on (the next row QueryRows returns), and
// Numerator/Denominator its approximate fractional position. Denominator
// is never zero.
type Position struct {
	Row         int
	Numerator   int
	Denominator int
}

// TableState is the Go form of IMAPITable::GetStatus's ulTableStatus.
type TableState uint32

// Table states, from MAPIDefS.h.
const (
	TableStatusComplete      TableState = 0  // TBLSTAT_COMPLETE
	TableStatusQChanged      TableState = 7  // TBLSTAT_QCHANGED
	TableStatusSorting       TableState = 9  // TBLSTAT_SORTING
	TableStatusSortError     TableState = 10 // TBLSTAT_SORT_ERROR
	TableStatusSettingCols   TableState = 11 // TBLSTAT_SETTING_COLS
	TableStatusSetColError   TableState = 13 // TBLSTAT_SETCOL_ERROR
	TableStatusRestricting   TableState = 14 // TBLSTAT_RESTRICTING
	TableStatusRestrictError TableState = 15 // TBLSTAT_RESTRICT_ERROR
)

// TableType is the Go form of IMAPITable::GetStatus's ulTableType.
type TableType uint32

// Table types, from MAPIDefS.h.
const (
	TableTypeSnapshot TableType = 0 // TBLTYPE_SNAPSHOT
	TableTypeKeyset   TableType = 1 // TBLTYPE_KEYSET
	TableTypeDynamic  TableType = 2 // TBLTYPE_DYNAMIC
)

// TableStatus is what IMAPITable::GetStatus reports.
type TableStatus struct {
	State TableState
	Type  TableType
}

// String returns the two values in hex, such as "status 0x0 type 0x2".
func (s TableStatus) String() string {
	return fmt.Sprintf("status 0x%X type 0x%X", uint32(s.State), uint32(s.Type))
}

// AllColumnsTable is the Go form of IMAPITable::QueryColumns with
// TBL_ALL_COLUMNS, for tables that can say every column their rows can
// give: a caller that needs whole rows (the spooler copying recipients,
// an export) sets them as the column set. The host answers
// ErrNoSupport for a table without it.
type AllColumnsTable interface {
	// AllColumns is IMAPITable::QueryColumns(TBL_ALL_COLUMNS): every
	// property tag some row of the table has, each once, in the order
	// they first appear.
	AllColumns(ctx context.Context) ([]PropTag, error)
}

// Table is the Go form of IMAPITable: a view of rows with its own column
// set, restriction, sort order, cursor and bookmarks. Every method takes
// a context because a table may be backed by a server; the warnings MAPI
// returns from SeekRow and FindRow are fields of their results.
//
// Expanding and collapsing categories, Abort and WaitForCompletion are
// not part of it.
//
// Every open of a table (GetStatusTable, GetContentsTable, ...) returns a
// table object of its own, with its own cursor and sinks, which lives
// until Close (IMAPITable::Release): the table stops following its data
// and calling its sinks, and every later call, Close included, returns
// ErrInvalidObject. Its sinks get notifications under the rules of the
// package documentation's "Notifications" section.
type Table interface {
	// SetColumns is IMAPITable::SetColumns: tags (at least one) become the
	// columns of later rows, in order; PropNull slots stay PropNull and a
	// column the rows lack comes back as ErrorValue(tag, ErrNotFound).
	SetColumns(ctx context.Context, tags []PropTag) error
	// Columns is IMAPITable::QueryColumns: the current column set.
	Columns(ctx context.Context) ([]PropTag, error)
	// RowCount is IMAPITable::GetRowCount: the rows in the restricted view.
	RowCount(ctx context.Context) (int, error)
	// QueryRows is IMAPITable::QueryRows: up to n rows from the cursor,
	// which moves past them; n < 0 reads the |n| rows before the cursor
	// and leaves it on the first of them; n == 0 is ErrInvalidParameter.
	// An empty result means the cursor is at the end (or, for n < 0, the
	// beginning).
	QueryRows(ctx context.Context, n int) ([]Row, error)
	// SeekRow is IMAPITable::SeekRow: move the cursor n rows (negative is
	// backwards) from origin, clamped to the beginning and the end.
	SeekRow(ctx context.Context, origin Bookmark, n int) (SeekResult, error)
	// SeekRowApprox is IMAPITable::SeekRowApprox: move the cursor to the
	// fraction num/den of the view; den == 0 is ErrInvalidParameter.
	SeekRowApprox(ctx context.Context, num, den int) error
	// QueryPosition is IMAPITable::QueryPosition.
	QueryPosition(ctx context.Context) (Position, error)
	// FindRow is IMAPITable::FindRow: put the cursor on the first row
	// matching r, searching forward from the bookmark's row, or with
	// FindBackward from the row before it; ErrNotFound when none does.
	FindRow(ctx context.Context, r Restriction, origin Bookmark, flags FindFlags) (FindResult, error)
	// Restrict is IMAPITable::Restrict: r replaces the restriction (nil
	// removes it); bookmarks are discarded and the cursor goes to the
	// beginning. ErrTooComplex leaves the old restriction in place.
	Restrict(ctx context.Context, r Restriction) error
	// SortTable is IMAPITable::SortTable: s replaces the sort order;
	// bookmarks are discarded and the cursor goes to the beginning.
	// ErrTooComplex or ErrNoSupport leaves the old order in place.
	SortTable(ctx context.Context, s SortOrderSet) error
	// QuerySortOrder is IMAPITable::QuerySortOrder.
	QuerySortOrder(ctx context.Context) (SortOrderSet, error)
	// CreateBookmark is IMAPITable::CreateBookmark: a bookmark on the
	// cursor's row. ErrUnableToComplete when the table keeps no more.
	CreateBookmark(ctx context.Context) (Bookmark, error)
	// FreeBookmark is IMAPITable::FreeBookmark. The three predefined
	// bookmarks are ignored; an unknown one is ErrInvalidBookmark.
	FreeBookmark(ctx context.Context, b Bookmark) error
	// Advise is IMAPITable::Advise for fnevTableModified: sink receives
	// the view's table notifications until Unadvise or Close, under the
	// rules of the package documentation's "Notifications" section. The
	// connection is never zero. ErrNoSupport for a table that sends none.
	Advise(ctx context.Context, sink TableSink) (Connection, error)
	// Unadvise is IMAPITable::Unadvise; an unknown connection is
	// ErrNotFound. Once it returns the sink is not called again (a call
	// under way finishes first, unless Unadvise is called from inside it).
	Unadvise(ctx context.Context, c Connection) error
	// Status is IMAPITable::GetStatus.
	Status(ctx context.Context) (TableStatus, error)
	// Close is IMAPITable::Release: the table stops following its data;
	// once Close returns none of its sinks is called again (a call under
	// way finishes first, unless Close is called from inside it). A
	// second call returns ErrInvalidObject.
	Close(ctx context.Context) error
}
