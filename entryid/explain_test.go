package entryid_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/mapiemu/mapiemu/entryid"
)

// explainCheckTiling reports where the children of f do not cover f's bytes
// exactly, in order, recursively, or a field leaves [0, n).
func explainCheckTiling(t *testing.T, f entryid.Field, n int, path string) {
	t.Helper()
	path += "/" + f.Name
	if f.Offset < 0 || f.Size < 0 || f.Offset+f.Size > n {
		t.Errorf("%s: offset %d size %d outside the %d-byte ID", path, f.Offset, f.Size, n)
	}
	if len(f.Fields) == 0 {
		if f.Size == 0 {
			t.Errorf("%s: empty leaf at offset %d", path, f.Offset)
		}
		return
	}
	at := f.Offset
	for _, c := range f.Fields {
		if c.Offset != at {
			t.Errorf("%s/%s: offset %d, want %d (gap or overlap)", path, c.Name, c.Offset, at)
		}
		at = c.Offset + c.Size
		explainCheckTiling(t, c, n, path)
	}
	if end := f.Offset + f.Size; at != end {
		t.Errorf("%s: children end at %d, the field at %d", path, at, end)
	}
}

// explainFind returns the first field named name, depth first.
func explainFind(f entryid.Field, name string) (entryid.Field, bool) {
	if f.Name == name {
		return f, true
	}
	for _, c := range f.Fields {
		if g, ok := explainFind(c, name); ok {
			return g, true
		}
	}
	return entryid.Field{}, false
}

func TestExplainVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		if v.negative {
			continue
		}
		t.Run(v.name, func(t *testing.T) {
			f, err := entryid.Explain(v.id)
			if err != nil {
				t.Fatalf("Explain(%s): %v", v.name, err)
			}
			if want := entryid.Identify(v.id).String() + " entry ID"; f.Name != want {
				t.Errorf("Explain(%s).Name = %q, want %q", v.name, f.Name, want)
			}
			if f.Offset != 0 || f.Size != len(v.id) {
				t.Errorf("Explain(%s) root covers [%d, +%d), want [0, +%d)", v.name, f.Offset, f.Size, len(v.id))
			}
			explainCheckTiling(t, f, len(v.id), "")
			if u, ok := explainFind(f, "unparsed"); ok {
				t.Errorf("Explain(%s) has an unparsed field: %+v", v.name, u)
			}
			if u, ok := explainFind(f, "unexplained"); ok {
				t.Errorf("Explain(%s) has an unexplained field: %+v", v.name, u)
			}
		})
	}
}

func TestExplainValues(t *testing.T) {
	tests := []struct {
		vector, field string
		offset, size  int
		value         string // substring of Value
		note          string // substring of Note
	}{
		{"mfcmapi-ENTRYID-1", "DLL name", 22, 11, `"EMSMDB.DLL"`, ""},
		{"mfcmapi-ENTRYID-1", "padding", 33, 3, "000000", ""},
		{"mfcmapi-ENTRYID-1", "ProviderUID", 4, 16, "{10BBA138-E505-1A10-A1BB-08002B2A56C2} (MUIDSTOREWRAP)", ""},
		{"mfcmapi-ENTRYID-1", "Exchange store entry ID", 36, 137, "", ""},
		{"mfcmapi-ENTRYID-1", "WrappedType", 56, 4, "OPENSTORE_HOME_LOGON|OPENSTORE_TAKE_OWNERSHIP", ""},
		{"mfcmapi-ENTRYID-1", "ServerShortname", 60, 9, `"BOOEX2K7"`, ""},
		{"mfcmapi-ENTRYID-5", "Unicode path", 54, 82, `"C:\OfflineStores\Offline - 2004-2005.pst"`, ""},
		{"mfcmapi-ENTRYID-19", "NID", 20, 4, "NormalFolder", ""},
		{"mfcmapi-ENTRYID-3", "address book entry ID", 21, 77, "", ""},
		{"mfcmapi-ENTRYID-3", "X500 DN", 49, 49, "/cn=12345", ""},
		{"mfcmapi-ENTRYID-30", "V2 tail", -1, -1, "", "V2"},
		{"mfcmapi-ENTRYID-18", "Trailing", -1, 3, "", "no meaning"},
		{"mfcmapi-ENTRYID-24", "Trailing", 58, 38, "0000198262C0", "Equal ignores them"},
	}
	for _, tt := range tests {
		b := vectorID(t, tt.vector)
		root, err := entryid.Explain(b)
		if err != nil {
			t.Fatalf("Explain(%s): %v", tt.vector, err)
		}
		f, ok := explainFind(root, tt.field)
		if !ok {
			t.Errorf("Explain(%s) has no %q field", tt.vector, tt.field)
			continue
		}
		if tt.offset >= 0 && f.Offset != tt.offset {
			t.Errorf("Explain(%s) %q at offset %d, want %d", tt.vector, tt.field, f.Offset, tt.offset)
		}
		if tt.size >= 0 && f.Size != tt.size {
			t.Errorf("Explain(%s) %q has size %d, want %d", tt.vector, tt.field, f.Size, tt.size)
		}
		if !strings.Contains(f.Value, tt.value) {
			t.Errorf("Explain(%s) %q = %q, want it to contain %q", tt.vector, tt.field, f.Value, tt.value)
		}
		if !strings.Contains(f.Note, tt.note) {
			t.Errorf("Explain(%s) %q note = %q, want it to contain %q", tt.vector, tt.field, f.Note, tt.note)
		}
	}
}

func TestExplainUnparsedInner(t *testing.T) {
	// A contact whose embedded ID is 5 bytes: too short for any layout.
	inner := []byte{1, 2, 3, 4, 5}
	b, err := entryid.Contact{Type: entryid.ContabUser, Index: entryid.Email1, EntryID: inner}.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := entryid.Explain(b)
	if err != nil {
		t.Fatalf("Explain: %v", err)
	}
	explainCheckTiling(t, f, len(b), "")
	u, ok := explainFind(f, "unparsed")
	if !ok {
		t.Fatalf("Explain(%X) has no unparsed field: %+v", b, f)
	}
	if u.Offset != 36 || u.Size != 5 || u.Value != "0102030405" || !strings.Contains(u.Note, "offset") {
		t.Errorf("unparsed field = %+v, want offset 36, size 5, value 0102030405 and a note with the offset", u)
	}
}

func TestExplainError(t *testing.T) {
	for _, b := range [][]byte{nil, {1, 2, 3}, vectorID(t, "mfcmapi-ENTRYID-39")} {
		_, want := entryid.Parse(b)
		_, err := entryid.Explain(b)
		var pe *entryid.ParseError
		if !errors.As(err, &pe) || err.Error() != want.Error() {
			t.Errorf("Explain(%X) error = %v, want Parse's %v", b, err, want)
		}
	}
}

func FuzzExplain(f *testing.F) {
	for _, name := range []string{"mfcmapi-ENTRYID-1", "mfcmapi-ENTRYID-3", "mfcmapi-ENTRYID-5",
		"mfcmapi-ENTRYID-13", "mfcmapi-ENTRYID-17", "mfcmapi-ENTRYID-18", "mfcmapi-ENTRYID-30",
		"mfcmapi-ENTRYID-36", "mfcmapi-ENTRYID-38"} {
		for _, v := range loadVectors(f) {
			if v.name == name {
				f.Add(v.id)
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		orig := bytes.Clone(b)
		root, err := entryid.Explain(b)
		_, perr := entryid.Parse(b)
		if (err == nil) != (perr == nil) {
			t.Fatalf("Explain(%X) error %v, Parse error %v", b, err, perr)
		}
		if !bytes.Equal(b, orig) {
			t.Fatalf("Explain modified its input")
		}
		if err != nil {
			return
		}
		if root.Offset != 0 || root.Size != len(b) {
			t.Fatalf("Explain(%X) root covers [%d, +%d), want [0, +%d)", b, root.Offset, root.Size, len(b))
		}
		explainCheckTiling(t, root, len(b), "")
		if u, ok := explainFind(root, "unexplained"); ok {
			t.Fatalf("Explain(%X) has an unexplained field: %+v", b, u)
		}
	})
}
