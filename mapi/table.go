package mapi

import (
	"context"
	"fmt"

	"github.com/mapiemu/mapiemu/mapispi"
)

// Table is the Go form of IMAPITable as a client holds it: a handle on
// one table object (the status table, a receive folder table, and every
// table to come), with its own columns, restriction, sort order, cursor,
// bookmarks and sinks. Close it when done: the table stops following its
// data. Its methods go through the host as Store's do (live handle,
// trace, a provider's panic recovered), and its sinks get notifications
// under the rules of mapispi's "Notifications" section, whatever the
// table's provider does. A Table is safe for concurrent use.
type Table struct {
	h     *handle
	t     mapispi.Table
	sinks handleSinks // Advise connections made through this handle
}

func newTable(h *handle, t mapispi.Table) *Table { return &Table{h: h, t: t} }

// SetColumns is IMAPITable::SetColumns (see mapispi.Table).
func (t *Table) SetColumns(ctx context.Context, tags []mapispi.PropTag) error {
	_, err := guard(t.h, "IMAPITable::SetColumns", func() string { return fmt.Sprint(tags) }, func() (struct{}, error) {
		return struct{}{}, t.t.SetColumns(ctx, tags)
	})
	return err
}

// Columns is IMAPITable::QueryColumns.
func (t *Table) Columns(ctx context.Context) ([]mapispi.PropTag, error) {
	return guard(t.h, "IMAPITable::QueryColumns", nil, func() ([]mapispi.PropTag, error) { return t.t.Columns(ctx) })
}

// RowCount is IMAPITable::GetRowCount.
func (t *Table) RowCount(ctx context.Context) (int, error) {
	return guard(t.h, "IMAPITable::GetRowCount", nil, func() (int, error) { return t.t.RowCount(ctx) })
}

// QueryRows is IMAPITable::QueryRows (see mapispi.Table).
func (t *Table) QueryRows(ctx context.Context, n int) ([]mapispi.Row, error) {
	return guard(t.h, "IMAPITable::QueryRows", func() string { return fmt.Sprint(n) }, func() ([]mapispi.Row, error) {
		return t.t.QueryRows(ctx, n)
	})
}

// SeekRow is IMAPITable::SeekRow.
func (t *Table) SeekRow(ctx context.Context, origin mapispi.Bookmark, n int) (mapispi.SeekResult, error) {
	return guard(t.h, "IMAPITable::SeekRow", func() string { return fmt.Sprint(origin, n) }, func() (mapispi.SeekResult, error) {
		return t.t.SeekRow(ctx, origin, n)
	})
}

// SeekRowApprox is IMAPITable::SeekRowApprox.
func (t *Table) SeekRowApprox(ctx context.Context, num, den int) error {
	_, err := guard(t.h, "IMAPITable::SeekRowApprox", func() string { return fmt.Sprintf("%d/%d", num, den) }, func() (struct{}, error) {
		return struct{}{}, t.t.SeekRowApprox(ctx, num, den)
	})
	return err
}

// QueryPosition is IMAPITable::QueryPosition.
func (t *Table) QueryPosition(ctx context.Context) (mapispi.Position, error) {
	return guard(t.h, "IMAPITable::QueryPosition", nil, func() (mapispi.Position, error) { return t.t.QueryPosition(ctx) })
}

// FindRow is IMAPITable::FindRow.
func (t *Table) FindRow(ctx context.Context, r mapispi.Restriction, origin mapispi.Bookmark, flags mapispi.FindFlags) (mapispi.FindResult, error) {
	return guard(t.h, "IMAPITable::FindRow", nil, func() (mapispi.FindResult, error) { return t.t.FindRow(ctx, r, origin, flags) })
}

// Restrict is IMAPITable::Restrict.
func (t *Table) Restrict(ctx context.Context, r mapispi.Restriction) error {
	_, err := guard(t.h, "IMAPITable::Restrict", nil, func() (struct{}, error) { return struct{}{}, t.t.Restrict(ctx, r) })
	return err
}

// SortTable is IMAPITable::SortTable.
func (t *Table) SortTable(ctx context.Context, s mapispi.SortOrderSet) error {
	_, err := guard(t.h, "IMAPITable::SortTable", nil, func() (struct{}, error) { return struct{}{}, t.t.SortTable(ctx, s) })
	return err
}

// QuerySortOrder is IMAPITable::QuerySortOrder.
func (t *Table) QuerySortOrder(ctx context.Context) (mapispi.SortOrderSet, error) {
	return guard(t.h, "IMAPITable::QuerySortOrder", nil, func() (mapispi.SortOrderSet, error) { return t.t.QuerySortOrder(ctx) })
}

// CreateBookmark is IMAPITable::CreateBookmark.
func (t *Table) CreateBookmark(ctx context.Context) (mapispi.Bookmark, error) {
	return guard(t.h, "IMAPITable::CreateBookmark", nil, func() (mapispi.Bookmark, error) { return t.t.CreateBookmark(ctx) })
}

// FreeBookmark is IMAPITable::FreeBookmark.
func (t *Table) FreeBookmark(ctx context.Context, b mapispi.Bookmark) error {
	_, err := guard(t.h, "IMAPITable::FreeBookmark", nil, func() (struct{}, error) { return struct{}{}, t.t.FreeBookmark(ctx, b) })
	return err
}

// Status is IMAPITable::GetStatus.
func (t *Table) Status(ctx context.Context) (mapispi.TableStatus, error) {
	return guard(t.h, "IMAPITable::GetStatus", nil, func() (mapispi.TableStatus, error) { return t.t.Status(ctx) })
}

// Advise is IMAPITable::Advise: sink receives the table's notifications
// until Unadvise or Close, under the rules of mapispi's "Notifications"
// section (in order, one call at a time, on a goroutine that holds no
// lock, never after Unadvise or Close returned). When a slow sink falls
// more than 1024 batches behind, the waiting ones become one
// TABLE_CHANGED. A panic in sink is recovered and reported as the
// client's in the trace, and the connection dropped.
func (t *Table) Advise(ctx context.Context, sink mapispi.TableSink) (mapispi.Connection, error) {
	const method = "IMAPITable::Advise"
	if f, isFunc := sink.(mapispi.TableSinkFunc); sink == nil || isFunc && f == nil {
		return 0, mapispi.Errorf(mapispi.ErrInvalidParameter, method, "nil sink")
	}
	s := t.h.r.s
	what := "a table"
	if t.h.r.svc != nil {
		what = fmt.Sprintf("a table of service %q", t.h.r.svc.name)
	}
	c := s.newTableConn(sink, what)
	return t.sinks.advise(ctx, t.h, method, c, func() (mapispi.Connection, error) { return t.t.Advise(ctx, newTableForwarder(c)) })
}

// Unadvise is IMAPITable::Unadvise: once it returns the connection's sink
// is not called again (a call under way finishes first, unless Unadvise
// is called from inside the sink). A connection this handle did not make
// is ErrNotFound.
func (t *Table) Unadvise(ctx context.Context, conn mapispi.Connection) error {
	const method = "IMAPITable::Unadvise"
	return t.sinks.unadvise(ctx, t.h, method, conn, func() error { return t.t.Unadvise(ctx, conn) })
}

// Close releases the table (IMAPITable::Release): it stops following its
// data, and once Close returns none of its sinks is called again (unless
// Close is called from inside one, which then finishes). A second Close
// is ErrInvalidObject.
func (t *Table) Close(ctx context.Context) error {
	if t.h.closed.Load() {
		return mapispi.Errorf(mapispi.ErrInvalidObject, "IMAPITable::Release", "the handle has been closed already")
	}
	t.sinks.closeAll(ctx, t.h, "IMAPITable::Unadvise", func(conn mapispi.Connection) error { return t.t.Unadvise(ctx, conn) })
	return t.h.close(ctx, "IMAPITable::Release")
}
