package pst

import (
	"bytes"
	"os"
	"slices"
	"testing"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/mapispi"
)

func openTestFile(t *testing.T, name string) *File {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name + ".pst")
	if err != nil {
		t.Fatal(err)
	}
	f, err := Open(bytes.NewReader(b), int64(len(b)), nil)
	if err != nil {
		t.Fatalf("Open(%s) = %v", name, err)
	}
	return f
}

// TestLTPReadsRealFiles reads, in each of Outlook's files, the message
// store's property context and the root folder's hierarchy table
// through the NDB and LTP layers together.
func TestLTPReadsRealFiles(t *testing.T) {
	stores := map[string]string{"sample1": "sample1", "sample2": "sample2", "submessage": "submessage",
		"test_ansi": "Personal Folders", "test_unicode": "Personal Folders", "Empty": "Empty"}
	for name, display := range stores {
		t.Run(name, func(t *testing.T) {
			f := openTestFile(t, name)
			n, err := f.node(0x21) // NID_MESSAGE_STORE
			if err != nil {
				t.Fatal(err)
			}
			pc, err := openPC(n, codepage.Windows1252, testBudget())
			if err != nil {
				t.Fatalf("openPC(message store) = %v", err)
			}
			v, ok, err := pc.prop(mapispi.PropDisplayName.ID())
			if err != nil || !ok || v.Value != display {
				t.Errorf("the store's PR_DISPLAY_NAME = %v, %v, %v; want %q", v, ok, err, display)
			}
			hn, err := f.node(0x12D) // the root folder's hierarchy table (NID_ROOT_FOLDER with NID_TYPE_HIERARCHY_TABLE)
			if err != nil {
				t.Fatal(err)
			}
			tc, err := openTC(hn, codepage.Windows1252, testBudget())
			if err != nil {
				t.Fatalf("openTC(root hierarchy) = %v", err)
			}
			var names []any
			for i := range tc.rowCount() {
				row, err := tc.row(i)
				if err != nil {
					t.Fatalf("row %d = %v", i, err)
				}
				for _, p := range row {
					if p.Tag.ID() == mapispi.PropDisplayName.ID() {
						names = append(names, p.Value)
					}
				}
			}
			if !slices.Contains(names, any("Top of Outlook data file")) && !slices.Contains(names, any("Top of Personal Folders")) {
				t.Errorf("the root folder's subfolders = %v, want the IPM subtree among them", names)
			}
		})
	}
}

// TestSample1NameMap: pstsdk's known answer, 172 named properties in
// sample1's name-to-ID map (PidTagNameidStreamEntry holds 8 bytes each).
func TestSample1NameMap(t *testing.T) {
	f := openTestFile(t, "sample1")
	n, err := f.node(0x61) // NID_NAME_TO_ID_MAP
	if err != nil {
		t.Fatal(err)
	}
	pc, err := openPC(n, codepage.Windows1252, testBudget())
	if err != nil {
		t.Fatal(err)
	}
	v, ok, err := pc.prop(0x0003) // PidTagNameidStreamEntry
	if err != nil || !ok {
		t.Fatalf("PidTagNameidStreamEntry = %v, %v", ok, err)
	}
	if got := len(v.Value.([]byte)) / 8; got != 172 {
		t.Errorf("named properties in sample1's map = %d, want 172", got)
	}
}
