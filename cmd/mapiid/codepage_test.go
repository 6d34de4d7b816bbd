package main

import (
	"strings"
	"testing"
)

// TestCodePage: 8-bit strings are written and read in --codepage,
// Windows-1252 by default, through package entryid.
func TestCodePage(t *testing.T) {
	build := func(args ...string) string {
		t.Helper()
		st, out, errOut := runCmd(append([]string{"build"}, args...), "")
		if st != 0 {
			t.Fatalf("build %q = %d: %s", args, st, errOut)
		}
		return strings.TrimSpace(out)
	}
	euro := build("oneoff", "--name", "€uro", "--address", "a@x")
	sjis := build("oneoff", "--name", "日本", "--address", "a@x", "--codepage", "shift_jis")
	cyrillic := build("pst-store", "--ansi", "--unwrapped", "--codepage", "windows-1251", "--path", `C:\Документы\ann.pst`)
	ivan8 := build("oneoff", "--name", "N", "--address", "Иван@x", "--codepage", "1251")
	ivan16 := build("oneoff", "--name", "N", "--address", "иван@x", "--unicode")

	tests := []struct {
		name    string
		args    []string
		want    int
		wantOut string // in stdout
		notOut  string // not in stdout
		wantErr string // in stderr
	}{
		// Windows-1252, not Latin-1: the euro sign is byte 0x80.
		{"default is windows-1252", []string{"decode", euro}, 0, `"€uro"`, "", ""},
		{"the byte written", []string{"decode", "--json", euro}, 0, "008075726F00", "", ""},
		{"read in the code page written", []string{"decode", "--codepage", "932", sjis}, 0, `"日本"`, "", ""},
		{"read in another", []string{"decode", sjis}, 0, "", "日本", ""},
		{"ANSI path", []string{"decode", "--codepage", "cp1251", cyrillic}, 0, `"C:\Документы\ann.pst"`, "", ""},
		{"compare in the code page", []string{"compare", "--codepage", "windows-1251", ivan8, ivan16}, 0, "same object", "", ""},
		{"compare in another", []string{"compare", ivan8, ivan16}, 1, "different objects", "", ""},
		{"unknown code page", []string{"decode", "--codepage", "klingon", euro}, 2, "", "", `"klingon"`},
		{"text the code page lacks", []string{"build", "oneoff", "--name", "日本", "--address", "a"}, 1, "", "", "--codepage"},
		{"text the code page lacks, ANSI path", []string{"build", "pst-store", "--ansi", "--path", `C:\日本.pst`}, 1, "", "", "windows-1252"},
		{"not for IDs without 8-bit text", []string{"build", "pst", "--store", "85FA5C86FCE6D111A3A60008C728E7F1", "--nid", "1", "--codepage", "1251"}, 2, "", "", "codepage"},
	}
	for _, tt := range tests {
		st, stdout, stderr := runCmd(tt.args, "")
		if st != tt.want {
			t.Errorf("%s: run(%q) = %d, want %d; stderr %q", tt.name, tt.args, st, tt.want, stderr)
		}
		if !strings.Contains(stdout, tt.wantOut) || tt.notOut != "" && strings.Contains(stdout, tt.notOut) {
			t.Errorf("%s: run(%q) printed\n%s\nwant %q and not %q", tt.name, tt.args, stdout, tt.wantOut, tt.notOut)
		}
		if !strings.Contains(stderr, tt.wantErr) {
			t.Errorf("%s: run(%q) stderr = %q, want %q", tt.name, tt.args, stderr, tt.wantErr)
		}
	}
}
