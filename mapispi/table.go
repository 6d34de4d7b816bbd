package mapispi

import "context"

// Row is the Go form of SRow: one row of a table.
type Row []PropValue

// Bookmark is the Go form of a table BOOKMARK.
type Bookmark uint32

// Predefined bookmarks, from MAPIDefS.h.
const (
	BookmarkBeginning Bookmark = 0 // BOOKMARK_BEGINNING
	BookmarkCurrent   Bookmark = 1 // BOOKMARK_CURRENT
	BookmarkEnd       Bookmark = 2 // BOOKMARK_END
)

// Table is the Go form of the core of IMAPITable that the store SPI needs
// (receive folder table, outgoing queue): column set, row count, reading
// and seeking. Restrictions, sorting and categories are left to optional
// interfaces.
type Table interface {
	// SetColumns is IMAPITable::SetColumns.
	SetColumns(ctx context.Context, tags []PropTag) error
	// Columns is IMAPITable::QueryColumns: the current column set.
	Columns(ctx context.Context) ([]PropTag, error)
	// RowCount is IMAPITable::GetRowCount.
	RowCount(ctx context.Context) (int, error)
	// QueryRows is IMAPITable::QueryRows: up to n rows from the cursor,
	// which moves past them; an empty result means the end.
	QueryRows(ctx context.Context, n int) ([]Row, error)
	// SeekRow is IMAPITable::SeekRow: move the cursor n rows (negative is
	// backwards) from origin and report how many rows it moved.
	SeekRow(ctx context.Context, origin Bookmark, n int) (int, error)
}
