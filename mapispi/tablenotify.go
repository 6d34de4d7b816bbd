package mapispi

import "fmt"

// TableEvent is the Go form of TABLE_NOTIFICATION's ulTableEvent.
type TableEvent uint32

// Table events, from MAPIDefS.h.
const (
	TableChanged      TableEvent = 1 // TABLE_CHANGED: reread; keys, bookmarks and position stay valid
	TableError        TableEvent = 2 // TABLE_ERROR: Err says what failed
	TableRowAdded     TableEvent = 3 // TABLE_ROW_ADDED
	TableRowDeleted   TableEvent = 4 // TABLE_ROW_DELETED
	TableRowModified  TableEvent = 5 // TABLE_ROW_MODIFIED
	TableSortDone     TableEvent = 6 // TABLE_SORT_DONE
	TableRestrictDone TableEvent = 7 // TABLE_RESTRICT_DONE
	TableSetColDone   TableEvent = 8 // TABLE_SETCOL_DONE
	TableReload       TableEvent = 9 // TABLE_RELOAD: nothing is valid; reread everything
)

var tableEventNames = [...]string{"", "TABLE_CHANGED", "TABLE_ERROR", "TABLE_ROW_ADDED",
	"TABLE_ROW_DELETED", "TABLE_ROW_MODIFIED", "TABLE_SORT_DONE", "TABLE_RESTRICT_DONE",
	"TABLE_SETCOL_DONE", "TABLE_RELOAD"}

// String returns the C name, such as "TABLE_ROW_ADDED", or "TABLE_0x%X".
func (e TableEvent) String() string {
	if e != 0 && uint64(e) < uint64(len(tableEventNames)) {
		return tableEventNames[e]
	}
	return fmt.Sprintf("TABLE_0x%X", uint32(e))
}

// PropInstanceKey is PR_INSTANCE_KEY (MAPITags.h): a binary value naming
// one row of one open table view.
const PropInstanceKey PropTag = 0x0FF60102

// TableNotification is the Go form of TABLE_NOTIFICATION, the payload of
// an fnevTableModified notification.
//
// For TableRowAdded and TableRowModified, Index is the row's
// PR_INSTANCE_KEY, Prior the PR_INSTANCE_KEY of the row now before it (a
// value tagged PropNull when it is the first row) and Row the row in the
// view's column set when the event was generated. For TableRowDeleted,
// Index is the key of the row that went, Prior is tagged PropNull and Row
// is empty. Err is set for TableError only.
type TableNotification struct {
	Event TableEvent
	Err   error
	Index PropValue
	Prior PropValue
	Row   Row
}

// String returns the event and the instance keys, such as
// "TABLE_ROW_ADDED index=0102 prior=PR_NULL".
func (n TableNotification) String() string {
	s := n.Event.String()
	if n.Index.Tag != 0 {
		s += fmt.Sprintf(" index=%X", n.Index.Value)
	}
	if n.Prior.Tag == PropNull {
		s += " prior=PR_NULL"
	} else if n.Prior.Tag != 0 {
		s += fmt.Sprintf(" prior=%X", n.Prior.Value)
	}
	if n.Err != nil {
		s += " err=" + n.Err.Error()
	}
	return s
}

// TableSink is the Go form of an IMAPIAdviseSink registered with
// IMAPITable::Advise for fnevTableModified, the only event a table sends:
// OnTableNotify receives the TABLE_NOTIFICATION of each NOTIFICATION in
// one batch. It is called under the rules of the package documentation's
// "Notifications" section: in the order of the changes, one call at a
// time, after the change, on a goroutine that holds no lock of the
// table's, so it may call the table. It must not keep the slice after it
// returns.
type TableSink interface {
	OnTableNotify(notifications []TableNotification) CallbackResult
}

// TableSinkFunc adapts a function to TableSink.
type TableSinkFunc func(notifications []TableNotification) CallbackResult

// OnTableNotify calls f.
func (f TableSinkFunc) OnTableNotify(notifications []TableNotification) CallbackResult {
	return f(notifications)
}
