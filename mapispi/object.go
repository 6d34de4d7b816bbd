package mapispi

import "context"

// Object is what OpenEntry and OpenStatusEntry return: any MAPI object,
// with its type (lpulObjType). QueryInterface becomes a type assertion to
// the interface the caller wants, such as MsgStore or an optional
// interface a later package defines.
type Object interface {
	// ObjectType reports the object's MAPI type (PR_OBJECT_TYPE).
	ObjectType() ObjectType
}

// Properties is the Go form of the core of IMAPIProp, which every MAPI
// object with properties implements: GetProps, GetPropList, SetProps and
// DeleteProps. CopyTo, CopyProps, OpenProperty and named properties are
// left to optional interfaces.
type Properties interface {
	// GetProps is IMAPIProp::GetProps: the values of tags, in order, or of
	// every property when tags is nil. A property that cannot be returned
	// comes back as ErrorValue(tag, code) (ErrNotFound for a missing one)
	// and the call returns WarnErrorsReturned with the values.
	GetProps(ctx context.Context, tags []PropTag) ([]PropValue, error)

	// GetPropList is IMAPIProp::GetPropList: the tags of every property.
	GetPropList(ctx context.Context) ([]PropTag, error)

	// SetProps is IMAPIProp::SetProps. Properties it could not set are
	// listed as problems; the call still succeeds. Whole-call failures are
	// errors, such as ErrNoAccess on an object opened read-only.
	SetProps(ctx context.Context, values []PropValue) ([]PropProblem, error)

	// DeleteProps is IMAPIProp::DeleteProps, reporting problems as SetProps does.
	DeleteProps(ctx context.Context, tags []PropTag) ([]PropProblem, error)
}

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
