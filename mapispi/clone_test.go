package mapispi

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestPropValueCloneSharesNothing(t *testing.T) {
	now := time.Unix(1700000000, 0).UTC()
	for _, v := range []PropValue{
		{Tag: PropEntryID, Value: []byte{1, 2, 3}},
		{Tag: NewPropTag(MVFlag|PtBinary, 0x6600), Value: [][]byte{{1}, {2, 3}}},
		{Tag: NewPropTag(MVFlag|PtI2, 0x6601), Value: []int16{1, 2}},
		{Tag: NewPropTag(MVFlag|PtLong, 0x6602), Value: []int32{1, 2}},
		{Tag: NewPropTag(MVFlag|PtR4, 0x6603), Value: []float32{1, 2}},
		{Tag: NewPropTag(MVFlag|PtDouble, 0x6604), Value: []float64{1, 2}},
		{Tag: NewPropTag(MVFlag|PtI8, 0x6605), Value: []int64{1, 2}},
		{Tag: NewPropTag(MVFlag|PtUnicode, 0x6606), Value: []string{"a", "b"}},
		{Tag: NewPropTag(MVFlag|PtSysTime, 0x6607), Value: []time.Time{now, now}},
		{Tag: NewPropTag(MVFlag|PtCLSID, 0x6608), Value: []UID{{1}, {2}}},
	} {
		c := v.Clone()
		if !reflect.DeepEqual(c, v) {
			t.Fatalf("%v.Clone() = %v, want an equal value", v, c)
		}
		// Change every element of the original: the clone must not see it.
		orig := reflect.ValueOf(v.Value)
		switch orig.Index(0).Kind() {
		case reflect.Slice:
			orig.Index(0).Index(0).Set(reflect.ValueOf(byte(0xFF)))
		default:
			orig.Index(0).Set(reflect.Zero(orig.Index(0).Type()))
		}
		if reflect.DeepEqual(c, v) {
			t.Errorf("%v.Clone() shares memory with the original", c.Tag)
		}
	}
	if c := (PropValue{Tag: PropSubject, Value: "x"}).Clone(); c.Value != "x" {
		t.Errorf("Clone of a string value = %v, want x", c.Value)
	}
}

func TestNotificationClone(t *testing.T) {
	n := Notification{Event: EventObjectCreated, EntryID: EntryID{1}, ParentID: EntryID{2}, Props: []PropTag{PropSubject},
		Values: []PropValue{{Tag: PropEntryID, Value: []byte{3}}}}
	c := n.Clone()
	n.EntryID[0], n.ParentID[0], n.Props[0] = 9, 9, 0
	n.Values[0].Value.([]byte)[0] = 9
	if c.EntryID[0] != 1 || c.ParentID[0] != 2 || c.Props[0] != PropSubject || c.Values[0].Value.([]byte)[0] != 3 {
		t.Errorf("Notification.Clone() = %+v, shares memory with the original", c)
	}
	tn := TableNotification{Event: TableRowAdded, Index: PropValue{Tag: PropInstanceKey, Value: []byte{1}},
		Row: Row{{Tag: PropEntryID, Value: []byte{2}}}}
	tc := tn.Clone()
	tn.Index.Value.([]byte)[0], tn.Row[0].Value.([]byte)[0] = 9, 9
	if tc.Index.Value.([]byte)[0] != 1 || tc.Row[0].Value.([]byte)[0] != 2 {
		t.Errorf("TableNotification.Clone() = %v, shares memory with the original", tc)
	}
}

func TestSecureValuesNeverPrint(t *testing.T) {
	for _, v := range []PropValue{
		{Tag: NewPropTag(PtUnicode, PropIDSecureMin), Value: "hunter2"},
		{Tag: NewPropTag(PtBinary, PropIDSecureMax), Value: []byte("hunter2")},
		{Tag: NewPropTag(PtLong, PropIDSecureMin+3), Value: "hunter2"}, // wrong Go type too
	} {
		for _, format := range []string{"%v", "%+v", "%s"} {
			if got := fmt.Sprintf(format, v); strings.Contains(got, "hunter2") || strings.Contains(got, "68756E74657232") {
				t.Errorf("Sprintf(%q, secure %v) = %q, want the value left out", format, v.Tag, got)
			}
		}
	}
	if got := fmt.Sprint(PropValue{Tag: NewPropTag(PtUnicode, PropIDSecureMin-1), Value: "visible"}); !strings.Contains(got, "visible") {
		t.Errorf("Sprint of a property just below the secure range = %q, want its value", got)
	}
}
