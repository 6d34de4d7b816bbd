package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func TestRunGroupsTheSampleIDs(t *testing.T) {
	in, err := os.Open("testdata/ids.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var stdout, stderr bytes.Buffer
	if got := run(in, &stdout, &stderr); got != 1 {
		t.Errorf("run(testdata/ids.txt) = %d, want 1 (the sample ends with a line that is no entry ID)", got)
	}
	want := `object 1: store, 4 ID(s)
  line 2: 0000000038A1BB1005E5101A...32F636E3D313233343500
  line 3: 000000001B55FA20AA6611CD...32F636E3D313233343500
  line 4: 8000000038A1BB1005E5101A...32F636E3D313233343500
  line 5: 0000000038A1BB1005E5101A...32F636E3D313233343500
object 2: folder, 2 ID(s)
  line 8: 0000000096614EC66601D211...8E7F1000000019EBA0000
  line 9: 8000000096614EC66601D211...8E7F1000000019EBA0000
object 3: one-off, 1 ID(s)
  line 11: 00000000812B1FA4BEA31019...8616D706C652E636F6D00
`
	if got := stdout.String(); got != want {
		t.Errorf("run(testdata/ids.txt) printed\n%s\nwant\n%s", got, want)
	}
	if got := stderr.String(); !strings.HasPrefix(got, "line 13: ") || !strings.Contains(got, "offset 3") {
		t.Errorf("run(testdata/ids.txt) stderr = %q, want line 13 reported with its offset", got)
	}
}

func TestRunCleanInput(t *testing.T) {
	var stdout, stderr bytes.Buffer
	in := strings.NewReader("# nothing but comments\n\n")
	if got := run(in, &stdout, &stderr); got != 0 || stdout.Len() != 0 || stderr.Len() != 0 {
		t.Errorf("run(comments only) = %d, stdout %q, stderr %q; want 0 and no output", got, stdout.String(), stderr.String())
	}
}
