package main

import (
	"bytes"
	"io"
	"slices"
	"strings"

	"github.com/mapiemu/mapiemu/entryid"
)

// Exit statuses of compare, as cmp and diff have them; any error, an ID
// that is not valid text included, exits with exitUsage (2).
const (
	exitSame      = 0 // the IDs name one object
	exitDifferent = 1 // they do not
)

func runCompare(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("compare", "compare [--codepage NAME] A B",
		"Tell whether two entry IDs name the same object, and why.\n"+
			"Exit status: 0 the same object, 1 different objects, 2 an error.", stdout, stderr)
	cp := codePageFlag(fs.FlagSet)
	if st := fs.parse(args); st >= 0 {
		return st
	}
	if fs.NArg() != 2 {
		return fs.usageError("want two IDs, got %d", fs.NArg())
	}
	var ids [2][]byte
	for i, s := range fs.Args() {
		which := [...]string{"first", "second"}[i]
		b, err := entryid.ParseHex(s)
		switch {
		case err != nil:
			return fs.errorf(exitUsage, "%s ID %s: %v", which, quoteInput(s), err)
		case len(b) == 0:
			return fs.errorf(exitUsage, "%s ID %s: no entry ID to compare", which, quoteInput(s))
		}
		ids[i] = b
	}
	c := entryid.Options{CodePage: *cp}.Compare(ids[0], ids[1])
	status := exitDifferent
	if c.Same {
		status = exitSame
	}
	io.WriteString(stdout, comparisonText(c, bytes.Equal(ids[0], ids[1])))
	return status
}

// comparisonText prints a Comparison: the verdict, then indented lines
// with the layouts, the IDs Parse rejects, each difference and the rules
// they cite. Everything but the verdict is escaped: it quotes the input.
func comparisonText(c entryid.Comparison, identical bool) string {
	var lines []string
	if c.KindA == c.KindB {
		lines = append(lines, "both "+c.KindA.String()+" entry IDs")
	} else {
		lines = append(lines, "first: "+c.KindA.String()+" entry ID; second: "+c.KindB.String()+" entry ID")
	}
	for _, e := range [...]struct {
		which string
		err   error
	}{{"first", c.ErrA}, {"second", c.ErrB}} {
		if e.err != nil {
			lines = append(lines, "the "+e.which+" ID is not a well-formed entry ID: "+e.err.Error())
		}
	}
	if identical {
		lines = append(lines, "identical bytes")
	}
	var rules []entryid.Rule
	for _, d := range c.Differences {
		lines = append(lines, d.String())
		if d.Rule != 0 && !slices.Contains(rules, d.Rule) {
			rules = append(rules, d.Rule)
		}
	}
	for _, r := range rules {
		lines = append(lines, r.String()+": "+r.Summary())
	}

	var out strings.Builder
	if c.Same {
		out.WriteString("same object\n")
	} else {
		out.WriteString("different objects\n")
	}
	for _, l := range lines {
		out.WriteString("  " + escape(l) + "\n")
	}
	return out.String()
}
