package proptagsgen

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestGeneratedUpToDate fails when mapispi/zproptags.go is not what
// mapispi/proptags.tsv generates: someone edited the table and did not run
// go generate, or edited the generated file by hand.
func TestGeneratedUpToDate(t *testing.T) {
	table, err := os.ReadFile("../../proptags.tsv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := Parse(table)
	if err != nil {
		t.Fatalf("Parse(proptags.tsv) = %v", err)
	}
	want, err := Render(rows)
	if err != nil {
		t.Fatalf("Render = %v", err)
	}
	got, err := os.ReadFile("../../zproptags.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("zproptags.go is stale; run `go generate ./mapispi/`.\nfirst difference, line %d:\n have %q\n want %q", i+1, g, w)
			}
		}
	}
}

func TestParse(t *testing.T) {
	const header = "name\tcanonical\tid\ttype\tconst\tdecl\taliases\tsource\n"
	rows, err := Parse([]byte("# comment\n\n" + header +
		"PR_SUBJECT\tPidTagSubject\t0x0037\tPT_UNICODE\tPropSubject\tgen\t-\tMAPITags.h\n" +
		"PR_NULL\t-\t0x0000\tPT_NULL\tPropNull\thand\t-\tMAPITags.h\n" +
		"PR_X\t-\t0x6601\tPT_MV_BINARY\tPropX\tgen\tPR_Y,PR_Z\ttest\n"))
	if err != nil {
		t.Fatalf("Parse(good table) = %v", err)
	}
	if len(rows) != 3 {
		t.Fatalf("Parse(good table) = %d rows, want 3", len(rows))
	}
	if got := rows[0].Tag(); got != 0x0037001F {
		t.Errorf("PR_SUBJECT Tag() = 0x%08X, want 0x0037001F", got)
	}
	if got := rows[2].Tag(); got != 0x66011102 {
		t.Errorf("PR_X Tag() = 0x%08X, want 0x66011102", got)
	}
	if !rows[1].Hand || rows[1].Canonical != "" || len(rows[2].Aliases) != 2 {
		t.Errorf("Parse rows = %+v, want PR_NULL by hand without a canonical name, PR_X with 2 aliases", rows)
	}
}

func TestParseRejects(t *testing.T) {
	const header = "name\tcanonical\tid\ttype\tconst\tdecl\taliases\tsource\n"
	const good = "PR_SUBJECT\tPidTagSubject\t0x0037\tPT_UNICODE\tPropSubject\tgen\t-\tMAPITags.h\n"
	tests := []struct {
		name, table, want string
	}{
		{"no header", good, "header"},
		{"too few cells", header + "PR_SUBJECT\tPidTagSubject\t0x0037\n", "3 cells"},
		{"empty cell", header + "PR_SUBJECT\t\t0x0037\tPT_UNICODE\tPropSubject\tgen\t-\tx\n", "empty"},
		{"lower-case name", header + "PR_subject\tPidTagSubject\t0x0037\tPT_UNICODE\tPropSubject\tgen\t-\tx\n", "not PR_"},
		{"width suffix", header + "PR_SUBJECT_W\tPidTagSubject\t0x0037\tPT_UNICODE\tPropSubject\tgen\t-\tx\n", "_A or _W"},
		{"canonical", header + "PR_SUBJECT\tSubject\t0x0037\tPT_UNICODE\tPropSubject\tgen\t-\tx\n", "canonical"},
		{"short id", header + "PR_SUBJECT\tPidTagSubject\t0x37\tPT_UNICODE\tPropSubject\tgen\t-\tx\n", "0xHHHH"},
		{"lower-case id", header + "PR_SUBJECT\tPidTagSubject\t0x003d\tPT_UNICODE\tPropSubject\tgen\t-\tx\n", "0xHHHH"},
		{"unknown type", header + "PR_SUBJECT\tPidTagSubject\t0x0037\tPT_TSTRING\tPropSubject\tgen\t-\tx\n", "not a property type"},
		{"no MV boolean", header + "PR_SUBJECT\tPidTagSubject\t0x0037\tPT_MV_BOOLEAN\tPropSubject\tgen\t-\tx\n", "not a property type"},
		{"ANSI string", header + "PR_SUBJECT\tPidTagSubject\t0x0037\tPT_STRING8\tPropSubject\tgen\t-\tx\n", "PT_UNICODE"},
		{"constant", header + "PR_SUBJECT\tPidTagSubject\t0x0037\tPT_UNICODE\tSubject\tgen\t-\tx\n", "Prop name"},
		{"decl", header + "PR_SUBJECT\tPidTagSubject\t0x0037\tPT_UNICODE\tPropSubject\tgenerated\t-\tx\n", "gen or hand"},
		{"alias", header + "PR_SUBJECT\tPidTagSubject\t0x0037\tPT_UNICODE\tPropSubject\tgen\tSUBJ\tx\n", "alias"},
		{"same name", header + good + "PR_SUBJECT\tPidTagOther\t0x6601\tPT_LONG\tPropOther\tgen\t-\tx\n", "name PR_SUBJECT is already"},
		{"alias of another", header + good + "PR_OTHER\t-\t0x6601\tPT_LONG\tPropOther\tgen\tPR_SUBJECT\tx\n", "name PR_SUBJECT is already"},
		{"same canonical", header + good + "PR_OTHER\tPidTagSubject\t0x6601\tPT_LONG\tPropOther\tgen\t-\tx\n", "name PidTagSubject is already"},
		{"same constant", header + good + "PR_OTHER\t-\t0x6601\tPT_LONG\tPropSubject\tgen\t-\tx\n", "constant PropSubject"},
		{"same tag", header + good + "PR_OTHER\t-\t0x0037\tPT_UNICODE\tPropOther\tgen\t-\tx\n", "tag 0x0037001F"},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.table))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Parse = %v, want an error mentioning %q", tt.name, err, tt.want)
		}
	}
}
