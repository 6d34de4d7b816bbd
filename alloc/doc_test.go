package alloc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocCitesWhatUsersCanOpen checks that no comment in the package's
// code sends a user to a file outside the module: doc comments cite
// Microsoft's pages and [MS-OX*] sections instead.
func TestDocCitesWhatUsersCanOpen(t *testing.T) {
	files, err := filepath.Glob("*.go")
	noErr(t, "Glob", err)
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		noErr(t, "ReadFile("+name+")", err)
		for i, line := range strings.Split(string(src), "\n") {
			for _, bad := range []string{"shared/", "spi-facts", "spec §", "§"} {
				if strings.Contains(line, bad) {
					t.Errorf("%s:%d cites %q, which a user of the module cannot open: %s", name, i+1, bad, strings.TrimSpace(line))
				}
			}
		}
	}
}
