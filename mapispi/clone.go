package mapispi

import (
	"slices"
	"time"
)

// Clone returns a copy of v that shares no memory with it: binary values
// and multi-valued slices are copied. A PT_OBJECT value is the provider's
// object and is shared.
func (v PropValue) Clone() PropValue {
	switch x := v.Value.(type) {
	case []byte:
		v.Value = slices.Clone(x)
	case [][]byte:
		if x != nil {
			c := make([][]byte, len(x))
			for i, b := range x {
				c[i] = slices.Clone(b)
			}
			v.Value = c
		}
	case []int16:
		v.Value = slices.Clone(x)
	case []int32:
		v.Value = slices.Clone(x)
	case []float32:
		v.Value = slices.Clone(x)
	case []float64:
		v.Value = slices.Clone(x)
	case []int64:
		v.Value = slices.Clone(x)
	case []string:
		v.Value = slices.Clone(x)
	case []time.Time:
		v.Value = slices.Clone(x)
	case []UID:
		v.Value = slices.Clone(x)
	}
	return v
}

// Clone returns a copy of r whose values share no memory with it.
func (r Row) Clone() Row {
	if r == nil {
		return nil
	}
	c := make(Row, len(r))
	for i, v := range r {
		c[i] = v.Clone()
	}
	return c
}

// Clone returns a copy of n that shares no memory with it, as MAPI copies
// a notification for each sink (ScCopyNotifications).
func (n Notification) Clone() Notification {
	n.EntryID = n.EntryID.Clone()
	n.ParentID = n.ParentID.Clone()
	n.OldID = n.OldID.Clone()
	n.OldParentID = n.OldParentID.Clone()
	n.Props = slices.Clone(n.Props)
	n.Values = Row(n.Values).Clone()
	return n
}

// Clone returns a copy of n that shares no memory with it.
func (n TableNotification) Clone() TableNotification {
	n.Index = n.Index.Clone()
	n.Prior = n.Prior.Clone()
	n.Row = n.Row.Clone()
	return n
}
