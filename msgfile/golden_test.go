package msgfile_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/internal/dump"
	"github.com/mapiemu/mapiemu/msgfile"
)

// plain is a dump with only tags and values, as the golden files hold
// it, JSON-normalised.
func plain(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var out any
	require.NoError(t, json.Unmarshal(b, &out))
	strip(out)
	return out
}

// strip drops the "name" and "named" fields, and PR_ROWID and
// PR_ATTACH_NUM, which a file may or may not store (the storage's name
// numbers the recipient or attachment), and PR_INSTANCE_KEY, which a
// recipient table gives its rows and the dump leaves out.
func strip(v any) {
	switch x := v.(type) {
	case map[string]any:
		delete(x, "name")
		delete(x, "named")
		if props, ok := x["props"].([]any); ok {
			keep := props[:0]
			for _, p := range props {
				if tag := p.(map[string]any)["tag"]; tag != "0x30000003" && tag != "0x0E210003" && tag != "0x0FF60102" {
					keep = append(keep, p)
				}
			}
			x["props"] = keep
		}
		for _, c := range x {
			strip(c)
		}
	case []any:
		for _, c := range x {
			strip(c)
		}
	}
}

// TestGolden reads each Outlook .msg file and compares its message with
// what an independent reader (testdata/golden/msg2json.py, olefile)
// found in it.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/msg/*.msg")
	require.NoError(t, err)
	require.Len(t, files, 44, "test files")
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".msg")
		t.Run(name, func(t *testing.T) {
			m, err := msgfile.OpenFile(path, 0)
			require.NoError(t, err, "OpenFile(%s)", path)
			defer m.Close(ctx)
			got, err := dump.Read(ctx, m)
			require.NoError(t, err, "dump.Read(%s)", path)
			golden, err := os.ReadFile(filepath.Join("testdata", "golden", name+".json"))
			require.NoError(t, err)
			var want any
			require.NoError(t, json.Unmarshal(golden, &want))
			diff(t, name+" against the golden JSON", plain(t, want), plain(t, got))

			// Written again, the file reads the same.
			var buf bytes.Buffer
			_, err = m.WriteTo(&buf)
			require.NoError(t, err, "WriteTo")
			again, err := msgfile.Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()), 0)
			require.NoError(t, err, "Read of the rewritten file")
			defer again.Close(ctx)
			got2, err := dump.Read(ctx, again)
			require.NoError(t, err)
			diff(t, name+" rewritten, against the original", plain(t, got), plain(t, got2))
		})
	}
}

// diff reports the lines in which the flattened forms of want and got
// differ, at most ten of them.
func diff(t *testing.T, what string, want, got any) {
	t.Helper()
	w, g := flatten("", want), flatten("", got)
	var lines []string
	for k, v := range w {
		if gv, ok := g[k]; !ok {
			lines = append(lines, fmt.Sprintf("missing %s = %.80s", k, v))
		} else if gv != v {
			lines = append(lines, fmt.Sprintf("%s = %.80s, want %.80s", k, gv, v))
		}
	}
	for k, v := range g {
		if _, ok := w[k]; !ok {
			lines = append(lines, fmt.Sprintf("extra %s = %.80s", k, v))
		}
	}
	sort.Strings(lines)
	if len(lines) > 10 {
		lines = append(lines[:10], fmt.Sprintf("... and %d more", len(lines)-10))
	}
	if len(lines) > 0 {
		t.Errorf("%s:\n%s", what, strings.Join(lines, "\n"))
	}
}

// flatten maps each property of a dump to "path tag" -> its value's JSON.
func flatten(path string, v any) map[string]string {
	out := map[string]string{}
	m, _ := v.(map[string]any)
	if props, ok := m["props"].([]any); ok {
		for _, p := range props {
			pm := p.(map[string]any)
			b, _ := json.Marshal(pm["value"])
			out[path+" "+fmt.Sprint(pm["tag"])] = string(b)
		}
	}
	for _, list := range []string{"recipients", "attachments"} {
		items, _ := m[list].([]any)
		out[path+" "+list] = fmt.Sprint(len(items))
		for i, it := range items {
			for k, x := range flatten(fmt.Sprintf("%s/%s[%d]", path, list, i), it) {
				out[k] = x
			}
			if sub, ok := it.(map[string]any)["message"]; ok {
				for k, x := range flatten(fmt.Sprintf("%s/%s[%d]/message", path, list, i), sub) {
					out[k] = x
				}
			}
		}
	}
	return out
}
