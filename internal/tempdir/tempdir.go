// Package tempdir gives tests a temporary directory that, unlike
// testing.T.TempDir, does not fail the test when it cannot be removed:
// under Wine, which CI uses for windows/amd64, Go's removal of a
// directory's entries fails with "Invalid function" (Wine lacks the
// POSIX-semantics delete Go asks Windows for).
package tempdir

import (
	"os"
	"testing"
)

// New returns a new directory, named with prefix, that is removed, as
// far as the system allows, when the test and its subtests end.
func New(t testing.TB, prefix string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return dir
}
