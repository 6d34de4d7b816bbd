package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestMain runs main itself when the test binary is started by
// TestExitStatus, so that the exit status of the real program is tested.
func TestMain(m *testing.M) {
	if os.Getenv("IDGROUPS_RUN_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// TestExitStatus runs the program on its sample file, as the README does:
// it exits with status 0.
func TestExitStatus(t *testing.T) {
	in, err := os.Open("testdata/ids.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "IDGROUPS_RUN_MAIN=1")
	cmd.Stdin = in
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("idgroups < testdata/ids.txt: %v (stderr %q), want exit status 0", err, stderr.String())
	}
	if !strings.HasPrefix(stdout.String(), "object 1: store, 4 ID(s)\n") {
		t.Errorf("idgroups < testdata/ids.txt printed %q, want the groups", stdout.String())
	}
}

func TestRunGroupsTheSampleIDs(t *testing.T) {
	in, err := os.Open("testdata/ids.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var stdout, stderr bytes.Buffer
	if got := run(in, &stdout, &stderr); got != 0 {
		t.Errorf("run(testdata/ids.txt) = %d, want 0: the README runs it", got)
	}
	want := `object 1: store, 4 ID(s)
  line 2: 0000000038A1BB1005E5101A...32F636E3D313233343500
  line 3: 000000001B55FA20AA6611CD...32F636E3D313233343500
  line 4: 8000000038A1BB1005E5101A...32F636E3D313233343500
  line 5: 0000000038A1BB1005E5101A...32F636E3D313233343500
object 2: folder, 3 ID(s)
  line 8: 0000000096614EC66601D211...8E7F1000000019EBA0000
  line 9: 8000000096614EC66601D211...8E7F1000000019EBA0000
  line 10: 0000000096614EC66601D211...8E7F1000000019EBA0000
object 3: one-off, 1 ID(s)
  line 12: 00000000812B1FA4BEA31019...8616D706C652E636F6D00
`
	if got := stdout.String(); got != want {
		t.Errorf("run(testdata/ids.txt) printed\n%s\nwant\n%s", got, want)
	}
	if got, want := stderr.String(), "line 14: no entry ID\n1 line(s) or ID(s) skipped\n"; got != want {
		t.Errorf("run(testdata/ids.txt) stderr = %q, want %q", got, want)
	}
}

func TestRunReportsMalformedIDs(t *testing.T) {
	var stdout, stderr bytes.Buffer
	// A 24-byte counted ID that is no layout's: a wrapped store ID cut short.
	in := strings.NewReader("cb: 24 lpb: 0000000038A1BB1005E5101AA1BB08002B2A56C200004142\n")
	if got := run(in, &stdout, &stderr); got != 0 || stdout.Len() != 0 {
		t.Errorf("run(malformed ID) = %d, stdout %q; want 0 and no groups", got, stdout.String())
	}
	if got := stderr.String(); !strings.HasPrefix(got, "line 1: entryid: store entry ID: offset ") || !strings.HasSuffix(got, "1 line(s) or ID(s) skipped\n") {
		t.Errorf("run(malformed ID) stderr = %q, want line 1 reported with its offset, and counted", got)
	}
}

func TestRunCleanInput(t *testing.T) {
	var stdout, stderr bytes.Buffer
	in := strings.NewReader("# nothing but comments\n\n")
	if got := run(in, &stdout, &stderr); got != 0 || stdout.Len() != 0 || stderr.Len() != 0 {
		t.Errorf("run(comments only) = %d, stdout %q, stderr %q; want 0 and no output", got, stdout.String(), stderr.String())
	}
}

func TestRunReadError(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if got := run(errReader{}, &stdout, &stderr); got != 1 || !strings.HasPrefix(stderr.String(), "reading: ") {
		t.Errorf("run(failing reader) = %d, stderr %q; want 1 and the error", got, stderr.String())
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, os.ErrClosed }
