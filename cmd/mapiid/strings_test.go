package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
)

// TestStringsAsTheyAre: a Windows path is printed as Windows writes it,
// not with Go's doubled backslashes, in text and in JSON; control
// characters are still escaped.
func TestStringsAsTheyAre(t *testing.T) {
	const path = `C:\Users\ann\Outlook.pst`
	for _, tt := range []struct {
		name  string
		p     entryid.PSTStore
		field string // the field holding the path
		want  string // its value
	}{
		{"Unicode path", entryid.PSTStore{UnicodePath: path}, "Unicode path", `"` + path + `"`},
		{"ANSI path", entryid.PSTStore{ANSIPath: path}, "ANSI path", `"` + path + `"`},
		{"control character", entryid.PSTStore{UnicodePath: `C:\new` + "\n" + `\x.pst`}, "Unicode path", `"C:\new\n\x.pst"`},
	} {
		b, err := tt.p.AppendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		hex := mapispi.EntryID(b).String()

		_, stdout, stderr := runCmd([]string{"decode", hex}, "")
		if !strings.Contains(stdout, "  "+tt.want+"\n") {
			t.Errorf("%s: decode printed\n%s%s\nwant the value %s", tt.name, stdout, stderr, tt.want)
		}

		_, stdout, stderr = runCmd([]string{"decode", "--json", hex}, "")
		var o struct{ entryid.Field }
		if err := json.Unmarshal([]byte(stdout), &o); err != nil {
			t.Fatalf("%s: decode --json printed %q (%s): %v", tt.name, stdout, stderr, err)
		}
		got := ""
		for _, f := range o.Fields {
			if f.Name == tt.field {
				got = f.Value
			}
		}
		if got != tt.want {
			t.Errorf("%s: decode --json: %s = %s, want %s", tt.name, tt.field, got, tt.want)
		}
	}
}
