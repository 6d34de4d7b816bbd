// Command idgroups reads text (entry IDs one per line, or log lines with
// entry IDs in them, in any text form entryid.ParseHex reads) and prints
// the IDs grouped by the object they name: the short-term and long-term
// IDs of one folder, a store's wrapped and unwrapped IDs, one mailbox seen
// through two servers. It shows entryid.FindAll finding IDs in text and
// entryid.Key as a map key, the way a converter or archiver would
// deduplicate IDs collected from an export or a log.
//
//	go run ./examples/idgroups < ids.txt
//
// Blank lines and lines starting with # are skipped. A line with no entry
// ID in it, or with one that is not well formed, is reported on stderr
// with its line number and counted; the exit status is 0 all the same,
// and 1 only when the input cannot be read.
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
		bad    int
	)
	sc := bufio.NewScanner(in)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		matches := entryid.FindAll(line)
		if len(matches) == 0 {
			fmt.Fprintf(stderr, "line %d: no entry ID\n", n)
			bad++
			continue
		}
		for _, m := range matches {
			if _, err := entryid.Parse(m.ID); err != nil {
				fmt.Fprintf(stderr, "line %d: %v\n", n, err)
				bad++
				continue
			}
			key := entryid.Key(m.ID)
			g := byKey[key]
			if g == nil {
				g = &group{kind: entryid.Identify(m.ID)}
				byKey[key] = g
				groups = append(groups, g)
			}
			g.lines = append(g.lines, n)
			g.ids = append(g.ids, m.ID)
		}
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
	if bad > 0 {
		fmt.Fprintf(stderr, "%d line(s) or ID(s) skipped\n", bad)
	}
	return 0
}

// abbrev keeps long IDs on one line.
func abbrev(s string) string {
	if len(s) <= 48 {
		return s
	}
	return s[:24] + "..." + s[len(s)-21:]
}
