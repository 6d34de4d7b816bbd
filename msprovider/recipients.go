package msprovider

import (
	"context"
	"encoding/binary"
	"slices"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

// recipientColumns are a recipient table's columns, the required ones of
// the "Recipient Tables" page first.
var recipientColumns = []mapispi.PropTag{
	mapispi.PropRowID, mapispi.PropDisplayName, mapispi.PropRecipientType, mapispi.PropAddrType,
	mapispi.PropEmailAddress, mapispi.PropEntryID, mapispi.PropInstanceKey,
}

// recipientRow returns a recipient's row: its properties, its PR_ROWID
// and a PR_INSTANCE_KEY from it.
func recipientRow(props mapispi.Row, rowID int32) mapispi.Row {
	row := make(mapispi.Row, 0, len(props)+2)
	row = append(row, props...)
	return append(row,
		mapispi.PropValue{Tag: mapispi.PropRowID, Value: rowID},
		mapispi.PropValue{Tag: mapispi.PropInstanceKey, Value: binary.BigEndian.AppendUint32(nil, uint32(rowID))})
}

// recipientRows returns the rows of every recipient (m.mu held).
func (m *Message) recipientRows() []mapispi.Row {
	rows := make([]mapispi.Row, len(m.recips))
	for i, r := range m.recips {
		rows[i] = recipientRow(r, m.rowID(i))
	}
	return rows
}

// RecipientTable is IMessage::GetRecipientTable: a table of this
// instance's recipients, its unsaved changes included, that follows
// later ModifyRecipients calls on the instance.
func (m *Message) RecipientTable(ctx context.Context, flags mapispi.TableFlags) (mapispi.Table, error) {
	if err := m.check("GetRecipientTable"); err != nil {
		return nil, err
	}
	if err := flags.Check(); err != nil {
		return nil, err
	}
	if flags&(mapispi.TableAssociated|mapispi.TableConvenientDepth) != 0 {
		return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "GetRecipientTable: %v", flags)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.rtable == nil {
		td, err := mapiutil.NewTableData(mapispi.PropRowID, recipientColumns)
		if err != nil {
			return nil, err
		}
		if rows := m.recipientRows(); len(rows) > 0 {
			if err := td.ModifyRows(rows); err != nil {
				return nil, err
			}
		}
		m.rtable = td
	}
	return m.s.newView(m.rtable, nil)
}

// checkRecipient refuses a recipient row ModifyRecipients cannot take:
// a PT_NULL, PT_OBJECT or mistyped value (ErrInvalidParameter).
func checkRecipient(row mapispi.Row) error {
	for _, v := range row {
		t := v.Tag.Type()
		switch {
		case t == mapispi.PtError:
		case t == mapispi.PtNull || t == mapispi.PtObject || t == mapispi.PtUnspecified || !mapiutil.ValidPropTag(v.Tag):
			return mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "ModifyRecipients: a recipient cannot hold %v", v.Tag)
		case v.Check() != nil:
			return mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "ModifyRecipients: %v holds %T, not a value of its type", v.Tag, v.Value)
		}
	}
	return nil
}

// stored returns row as the message keeps it: a copy without PR_ROWID,
// PR_INSTANCE_KEY and PT_ERROR values.
func stored(row mapispi.Row) mapispi.Row {
	out := make(mapispi.Row, 0, len(row))
	for _, v := range row {
		switch {
		case v.Tag.Type() == mapispi.PtError, v.Tag.ID() == mapispi.PropRowID.ID(), v.Tag.ID() == mapispi.PropInstanceKey.ID():
		default:
			out = append(out, v.Clone())
		}
	}
	return out
}

// ModifyRecipients is IMessage::ModifyRecipients on this instance; the
// change is saved with the message. Every row is checked before any
// change: a row without PR_ROWID for ModRecipModify or ModRecipRemove is
// ErrInvalidParameter, one whose PR_ROWID no recipient has ErrNotFound.
func (m *Message) ModifyRecipients(ctx context.Context, flags mapispi.ModRecipFlags, rows []mapispi.Row) error {
	if err := m.checkWrite("ModifyRecipients"); err != nil {
		return err
	}
	if err := flags.Check(); err != nil {
		return err
	}
	for _, r := range rows {
		if err := checkRecipient(r); err != nil {
			return err
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	index := func(id int32) int {
		for i := range m.recips {
			if m.rowID(i) == id {
				return i
			}
		}
		return -1
	}
	rowIDs := make([]int32, len(rows))
	if flags&(mapispi.ModRecipModify|mapispi.ModRecipRemove) != 0 {
		for i, r := range rows {
			id, ok := propInt(r, mapispi.PropRowID)
			if !ok {
				return mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "ModifyRecipients(%v): row %d has no PR_ROWID", flags, i)
			}
			if index(id) < 0 {
				return mapispi.Errorf(mapispi.ErrNotFound, "msprovider", "ModifyRecipients(%v): row %d: no recipient has PR_ROWID %d", flags, i, id)
			}
			rowIDs[i] = id
		}
	}
	if err := m.charge("ModifyRecipients", 16+32*len(rows)); err != nil {
		return err
	}
	recips := slices.Clone(m.recips)
	ids := make([]int32, len(recips))
	for i := range ids {
		ids[i] = m.rowID(i)
	}
	var removed []int32
	switch {
	case flags == 0:
		removed = ids
		recips, ids = nil, nil
		fallthrough
	case flags&mapispi.ModRecipAdd != 0:
		for _, r := range rows {
			recips = append(recips, stored(r))
			ids = append(ids, m.nextRow)
			m.nextRow++
		}
	case flags&mapispi.ModRecipModify != 0:
		for i, r := range rows {
			recips[index(rowIDs[i])] = stored(r)
		}
	case flags&mapispi.ModRecipRemove != 0:
		removed = rowIDs
		keep := 0
		for i := range recips {
			if !slices.Contains(rowIDs, ids[i]) {
				recips[keep], ids[keep] = recips[i], ids[i]
				keep++
			}
		}
		recips, ids = recips[:keep], ids[:keep]
	}
	m.recips, m.rowIDs = recips, ids
	if m.rtable != nil {
		for _, id := range removed {
			_ = m.rtable.DeleteRow(mapispi.PropValue{Tag: mapispi.PropRowID, Value: id})
		}
		if rows := m.recipientRows(); len(rows) > 0 {
			_ = m.rtable.ModifyRows(rows)
		}
	}
	return nil
}
