// Command idgroups reads entry IDs, one per line in any text form
// entryid.ParseHex accepts, and prints them grouped by the object they
// name: the short-term and long-term IDs of one folder, a store's wrapped
// and unwrapped IDs, one mailbox seen through two servers. It shows
// entryid.AppendCanonical as a map key, the way a converter or archiver
// would deduplicate IDs collected from an export.
//
//	go run ./examples/idgroups < ids.txt
//
// Blank lines and lines starting with # are skipped. Lines that are not
// entry IDs are reported on stderr with their line number, and the exit
// status is then 1.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
)

func main() { os.Exit(run(os.Stdin, os.Stdout, os.Stderr)) }

// group is the IDs of one object, in input order.
type group struct {
	kind  entryid.Kind
	lines []int
	ids   []mapispi.EntryID
}

func run(in io.Reader, stdout, stderr io.Writer) int {
	var (
		groups []*group
		byKey  = map[string]*group{}
		key    []byte
		status = 0
	)
	sc := bufio.NewScanner(in)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, err := entryid.ParseHex(line)
		if err == nil {
			key, err = entryid.AppendCanonical(key[:0], id)
		}
		if err != nil {
			fmt.Fprintf(stderr, "line %d: %v\n", n, err)
			status = 1
			continue
		}
		g := byKey[string(key)]
		if g == nil {
			g = &group{kind: entryid.Identify(id)}
			byKey[string(key)] = g
			groups = append(groups, g)
		}
		g.lines = append(g.lines, n)
		g.ids = append(g.ids, id)
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintf(stderr, "reading: %v\n", err)
		return 1
	}
	for i, g := range groups {
		fmt.Fprintf(stdout, "object %d: %s, %d ID(s)\n", i+1, g.kind, len(g.ids))
		for j, id := range g.ids {
			fmt.Fprintf(stdout, "  line %d: %s\n", g.lines[j], abbrev(id.String()))
		}
	}
	return status
}

// abbrev keeps long IDs on one line.
func abbrev(s string) string {
	if len(s) <= 48 {
		return s
	}
	return s[:24] + "..." + s[len(s)-21:]
}
