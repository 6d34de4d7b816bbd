package msgfile_test

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/richardlehane/mscfb"
	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/msgfile"
)

// rewritten returns the .msg file at path read and written again.
func rewritten(t *testing.T, path string) []byte {
	t.Helper()
	m, err := msgfile.OpenFile(path, 0)
	require.NoError(t, err)
	defer m.Close(ctx)
	var buf bytes.Buffer
	_, err = m.WriteTo(&buf)
	require.NoError(t, err)
	return buf.Bytes()
}

// TestRewrittenFilesOpenInMSCFB: every file this package writes from
// Outlook's opens in github.com/richardlehane/mscfb, with its property
// stream and a stream for each of its recipients and attachments.
func TestRewrittenFilesOpenInMSCFB(t *testing.T) {
	files, _ := filepath.Glob("testdata/msg/*.msg")
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			b := rewritten(t, path)
			doc, err := mscfb.New(bytes.NewReader(b))
			require.NoError(t, err, "mscfb.New")
			props := 0
			for e, err := doc.Next(); err != io.EOF; e, err = doc.Next() {
				require.NoError(t, err, "mscfb Next")
				if e.Name == "__properties_version1.0" {
					props++
				}
				_, err := io.ReadAll(e)
				require.NoError(t, err, "mscfb read of %s", e.Name)
			}
			if props == 0 {
				t.Errorf("mscfb found no __properties_version1.0 stream in the rewritten %s", path)
			}
		})
	}
}

// TestRewrittenFilesOpenInOlecfinfo: libolecf's olecfinfo (Debian
// libolecf-utils) reads each rewritten file.
func TestRewrittenFilesOpenInOlecfinfo(t *testing.T) {
	tool, err := exec.LookPath("olecfinfo")
	if err != nil {
		t.Skip("olecfinfo not installed: apt-get install libolecf-utils (.ci/run does)")
	}
	files, _ := filepath.Glob("testdata/msg/*.msg")
	dir := t.TempDir()
	for _, path := range files {
		out := filepath.Join(dir, filepath.Base(path))
		require.NoError(t, writeFile(out, rewritten(t, path)))
		res, err := exec.Command(tool, out).CombinedOutput()
		if err != nil || !strings.Contains(string(res), "OLE Compound File information") {
			t.Errorf("olecfinfo %s = %v:\n%s", filepath.Base(path), err, res)
		}
	}
}

func writeFile(path string, b []byte) error { return os.WriteFile(path, b, 0o600) }
