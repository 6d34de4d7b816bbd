package mapi

import (
	"context"
	"encoding/binary"
	"maps"
	"slices"
	"sync"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

// The status table ("Status Tables" in the MAPI reference): one per
// session, with a row for the MAPI subsystem and one for the MAPI spooler,
// which MAPI itself provides, and one per logon whose provider calls
// ModifyStatusRow. Every row carries the columns MAPI computes (PR_ENTRYID,
// PR_OBJECT_TYPE, PR_ROWID, PR_INSTANCE_KEY) and those it provides
// (PR_PROVIDER_DLL_NAME, PR_RESOURCE_TYPE, PR_RESOURCE_FLAGS); a provider
// gives the rest (PR_DISPLAY_NAME, PR_STATUS_CODE, PR_RESOURCE_METHODS and
// any of its own), and the host sets PR_STATUS_CODE to STATUS_AVAILABLE
// and PR_RESOURCE_FLAGS to 0 in a row whose provider gives none.

// statusColumns are the status table's default columns.
var statusColumns = []mapispi.PropTag{
	mapispi.PropInstanceKey, mapispi.PropRowID, mapispi.PropEntryID, mapispi.PropObjectType,
	mapispi.PropDisplayName, mapispi.PropProviderDisplay, mapispi.PropProviderDLLName,
	mapispi.PropResourceType, mapispi.PropResourceMethods, mapispi.PropResourceFlags,
	mapispi.PropStatusCode, mapispi.PropStatusString,
}

// StatusUID is the provider UID in the entry IDs of status table rows
// (their PR_ENTRYID): Session.OpenEntry of such an ID opens the row's
// status object. It is the host's own, not a MAPI header's.
var StatusUID = mapispi.MustParseUID("{7E2B5C61-3F0A-4D29-B8E4-91C6A5D2F013}")

// subsystemDLL is PR_PROVIDER_DLL_NAME of the rows MAPI itself provides:
// MAPI's own DLL.
const subsystemDLL = "MAPI32.DLL"

// statusTable is the session's status table: its rows, and the table
// data its views read. The data is made when the table is first opened
// (most sessions never open it, and every logon changes a row), and from
// then on follows every change.
type statusTable struct {
	mu   sync.Mutex        // serialises read-merge-writes of rows
	rows map[uint64]*owner // each row and whose it is, by its row number
	next uint64
	data *mapiutil.TableData // nil until the table is first opened
}

// owner says whose a status row is, a logon's or MAPI's own (l nil), and
// holds the row.
type owner struct {
	l    *logon
	name string // for MAPI's own rows
	row  mapispi.Row
}

func newStatusTable() *statusTable {
	t := &statusTable{rows: map[uint64]*owner{}}
	for _, r := range []struct {
		name string
		typ  mapispi.ResourceType
	}{{"MAPI Subsystem", mapispi.ResourceSubsystem}, {"MAPI Spooler", mapispi.ResourceSpooler}} {
		t.next++
		row := computed(t.next, subsystemDLL, r.typ)
		row = append(row,
			mapispi.PropValue{Tag: mapispi.PropDisplayName, Value: r.name},
			mapispi.PropValue{Tag: mapispi.PropResourceMethods, Value: int32(0)},
			mapispi.PropValue{Tag: mapispi.PropResourceFlags, Value: int32(0)},
			mapispi.PropValue{Tag: mapispi.PropStatusCode, Value: int32(mapispi.StatusAvailable)},
			mapispi.PropValue{Tag: mapispi.PropStatusString, Value: "Available"})
		t.rows[t.next] = &owner{name: r.name, row: row}
	}
	return t
}

// view opens a view of the table, making its data on the first call.
func (t *statusTable) view() (*mapiutil.View, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.data == nil {
		data, err := mapiutil.NewTableData(mapispi.PropInstanceKey, statusColumns)
		if err != nil {
			return nil, err
		}
		rows := make([]mapispi.Row, 0, len(t.rows))
		for _, n := range slices.Sorted(maps.Keys(t.rows)) {
			rows = append(rows, t.rows[n].row)
		}
		if err := data.ModifyRows(rows); err != nil {
			return nil, err
		}
		t.data = data
	}
	return t.data.View(statusColumns)
}

// instanceKey is a row's PR_INSTANCE_KEY.
func instanceKey(n uint64) []byte { return binary.LittleEndian.AppendUint64(nil, n) }

// statusEntryID is a row's PR_ENTRYID: abFlags, StatusUID, the row number.
func statusEntryID(n uint64) mapispi.EntryID {
	id := make(mapispi.EntryID, 4, 28)
	id = append(id, StatusUID[:]...)
	return binary.LittleEndian.AppendUint64(id, n)
}

// statusRowOf returns the row number a status entry ID names.
func statusRowOf(id mapispi.EntryID) (uint64, bool) {
	if len(id) != 28 || mapispi.UID(id[4:20]) != StatusUID {
		return 0, false
	}
	return binary.LittleEndian.Uint64(id[20:]), true
}

// computed returns the columns MAPI computes and provides for row n.
func computed(n uint64, dll string, typ mapispi.ResourceType) mapispi.Row {
	return mapispi.Row{
		{Tag: mapispi.PropInstanceKey, Value: instanceKey(n)},
		{Tag: mapispi.PropRowID, Value: int32(n)},
		{Tag: mapispi.PropEntryID, Value: []byte(statusEntryID(n))},
		{Tag: mapispi.PropObjectType, Value: int32(mapispi.ObjStatus)},
		{Tag: mapispi.PropProviderDLLName, Value: dll},
		{Tag: mapispi.PropResourceType, Value: int32(typ)},
	}
}

// isComputed reports whether the host, not the provider, gives tag.
func isComputed(tag mapispi.PropTag) bool {
	switch tag.ID() {
	case mapispi.PropInstanceKey.ID(), mapispi.PropRowID.ID(), mapispi.PropEntryID.ID(), mapispi.PropObjectType.ID(),
		mapispi.PropProviderDLLName.ID(), mapispi.PropResourceType.ID():
		return true
	}
	return false
}

// modify sets the row of logon l to values with the computed columns, or
// with update merges values into it, atomically: a concurrent update of
// other columns is never lost. The values are copied.
func (t *statusTable) modify(l *logon, values []mapispi.PropValue, update bool) error {
	for _, v := range values {
		if err := v.Check(); err != nil {
			return err
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if l.statusRow == 0 {
		t.next++
		l.statusRow = t.next
		t.rows[t.next] = &owner{l: l}
	}
	n := l.statusRow
	o := t.rows[n]
	var row mapispi.Row
	if update && o.row != nil {
		row = make(mapispi.Row, 0, len(o.row)+len(values))
		for _, v := range o.row {
			if _, given := mapiutil.FindProp(values, v.Tag); !given || isComputed(v.Tag) {
				row = append(row, v)
			}
		}
	} else {
		row = computed(n, l.svc.provider, mapispi.ResourceStoreProvider)
	}
	for _, v := range values {
		if !isComputed(v.Tag) {
			row = append(row, v.Clone())
		}
	}
	for _, d := range []mapispi.PropValue{
		{Tag: mapispi.PropStatusCode, Value: int32(mapispi.StatusAvailable)},
		{Tag: mapispi.PropResourceFlags, Value: int32(0)},
	} {
		if _, ok := mapiutil.FindProp(row, d.Tag); !ok {
			row = append(row, d)
		}
	}
	if t.data != nil {
		if err := t.data.ModifyRow(row); err != nil {
			return err
		}
	}
	o.row = row
	return nil
}

// remove deletes l's row, if it has one.
func (t *statusTable) remove(l *logon) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if l.statusRow == 0 {
		return
	}
	delete(t.rows, l.statusRow)
	if t.data != nil {
		_ = t.data.DeleteRow(mapispi.PropValue{Tag: mapispi.PropInstanceKey, Value: instanceKey(l.statusRow)})
	}
	l.statusRow = 0
}

// ownerOf returns who row n is, or nil.
func (t *statusTable) ownerOf(n uint64) *owner {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.rows[n]
}

// row returns a copy of row n.
func (t *statusTable) row(n uint64) (mapispi.Row, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	o := t.rows[n]
	if o == nil || o.row == nil {
		return nil, mapispi.Errorf(mapispi.ErrNotFound, "IMAPIStatus::GetProps", "the status table has no row %d", n)
	}
	return o.row.Clone(), nil
}

// hostStatus is the status object (IMAPIStatus) of a row MAPI itself
// provides: the row's properties, read-only.
type hostStatus struct {
	t      *statusTable
	n      uint64
	closed bool
	mu     sync.Mutex
}

var _ mapispi.Object = (*hostStatus)(nil)

func (h *hostStatus) check(op string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return mapispi.Errorf(mapispi.ErrInvalidObject, op, "the status object has been released")
	}
	return nil
}

func (h *hostStatus) ObjectType() mapispi.ObjectType { return mapispi.ObjStatus }

func (h *hostStatus) row() ([]mapispi.PropValue, error) { return h.t.row(h.n) }

func (h *hostStatus) GetProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropValue, error) {
	if err := h.check("IMAPIStatus::GetProps"); err != nil {
		return nil, err
	}
	row, err := h.row()
	if err != nil {
		return nil, err
	}
	if tags == nil {
		return row, nil
	}
	out := make([]mapispi.PropValue, len(tags))
	for i, tag := range tags {
		if v, ok := mapiutil.FindProp(row, tag); ok {
			out[i] = v
		} else {
			out[i] = mapispi.ErrorValue(tag, mapispi.ErrNotFound)
		}
	}
	return out, nil
}

func (h *hostStatus) GetPropList(ctx context.Context) ([]mapispi.PropTag, error) {
	if err := h.check("IMAPIStatus::GetPropList"); err != nil {
		return nil, err
	}
	row, err := h.row()
	if err != nil {
		return nil, err
	}
	tags := make([]mapispi.PropTag, len(row))
	for i, v := range row {
		tags[i] = v.Tag
	}
	return tags, nil
}

func (h *hostStatus) SetProps(ctx context.Context, values []mapispi.PropValue) ([]mapispi.PropProblem, error) {
	if err := h.check("IMAPIStatus::SetProps"); err != nil {
		return nil, err
	}
	return nil, mapispi.Errorf(mapispi.ErrNoAccess, "IMAPIStatus::SetProps", "MAPI's status objects are read-only")
}

func (h *hostStatus) DeleteProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropProblem, error) {
	if err := h.check("IMAPIStatus::DeleteProps"); err != nil {
		return nil, err
	}
	return nil, mapispi.Errorf(mapispi.ErrNoAccess, "IMAPIStatus::DeleteProps", "MAPI's status objects are read-only")
}

func (h *hostStatus) Close(ctx context.Context) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return mapispi.Errorf(mapispi.ErrInvalidObject, "IMAPIStatus::Release", "the status object has been released already")
	}
	h.closed = true
	return nil
}

// openStatus opens the status object of the row a status entry ID names:
// MAPI's own for the subsystem and spooler rows, the logon's
// (IMSLogon::OpenStatusEntry) for a provider's row.
func (s *Session) openStatus(ctx context.Context, n uint64, flags mapispi.OpenFlags) (Object, error) {
	const op = "IMAPISession::OpenEntry"
	o := s.status.ownerOf(n)
	switch {
	case o == nil:
		return nil, mapispi.Errorf(mapispi.ErrNotFound, op, "the status table has no row %d", n)
	case o.l == nil:
		st := &hostStatus{t: s.status, n: n}
		r := &ref{s: s, kind: "IMAPIStatus", obj: st}
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.state != sessionOpen {
			return nil, mapispi.Errorf(mapispi.ErrInvalidObject, op, "the session has logged off")
		}
		s.sessionRefs[r] = struct{}{}
		return &Prop{object{h: s.newHandle(r, 2), obj: st, typ: mapispi.ObjStatus, ifc: "IMAPIStatus"}}, nil
	}
	l := o.l
	ml := l.msLogon()
	if err := l.check("IMSLogon::OpenStatusEntry"); err != nil {
		return nil, err
	}
	if ml == nil {
		return nil, mapispi.Errorf(mapispi.ErrBusy, op, "the logon of service %q whose status row this is has not finished", l.svc.name)
	}
	obj, err := logonCall(l, "IMSLogon::OpenStatusEntry", nil, func() (mapispi.Object, error) { return ml.OpenStatusEntry(ctx, flags) })
	if err != nil {
		return nil, err
	}
	return l.wrapObject(obj, "IMSLogon::OpenStatusEntry", 2)
}
