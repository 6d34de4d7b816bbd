package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
)

// decoded is the JSON form of one decoded ID: the Field tree with the
// input, the bytes and the layout beside the root's own members.
type decoded struct {
	Input string `json:"input"`
	Hex   string `json:"hex"`
	Kind  string `json:"kind"`
	entryid.Field
}

func runDecode(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("decode", "decode [--json] [ID...]", stderr)
	asJSON := fs.Bool("json", false, "print one JSON object per ID, one per line")
	if st := parseFlags(fs, args); st >= 0 {
		return st
	}
	status := exitOK
	first := true
	one := func(input string) {
		if err := decodeOne(input, *asJSON, first, stdout); err != nil {
			fmt.Fprintf(stderr, "mapiid: %s: %v\n", abbrev(input), err)
			status = exitInvalid
			return
		}
		first = false
	}
	if fs.NArg() > 0 {
		for _, a := range fs.Args() {
			one(a)
		}
		return status
	}
	sc := bufio.NewScanner(stdin)
	sc.Buffer(make([]byte, 0, 64*1024), 64<<20)
	for sc.Scan() {
		if line := sc.Text(); strings.TrimSpace(line) != "" {
			one(line)
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintf(stderr, "mapiid: reading standard input: %v\n", err)
		return exitInvalid
	}
	return status
}

// decodeOne prints one ID; first tells whether it is the first one printed
// (the text form separates IDs with a blank line).
func decodeOne(input string, asJSON, first bool, w io.Writer) error {
	b, err := entryid.ParseHex(input)
	if err != nil {
		return err
	}
	f, err := entryid.Explain(b)
	if err != nil {
		return err
	}
	if asJSON {
		out, err := json.Marshal(decoded{
			Input: strings.TrimSpace(input),
			Hex:   mapispi.EntryID(b).String(),
			Kind:  entryid.Identify(b).String(),
			Field: f,
		})
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", out)
		return err
	}
	var s strings.Builder
	if !first {
		s.WriteByte('\n')
	}
	fmt.Fprintf(&s, "%s (%d bytes)\n", f.Name, f.Size)
	if f.Note != "" {
		fmt.Fprintf(&s, "  ! %s\n", f.Note)
	}
	writeFields(&s, f.Fields, "  ")
	_, err = io.WriteString(w, s.String())
	return err
}

// writeFields prints one line per field, "offset  size  name  value", with
// the names of siblings padded to one width, and the sub-fields of each
// field indented under it.
func writeFields(s *strings.Builder, fields []entryid.Field, indent string) {
	width := 0
	for _, f := range fields {
		width = max(width, len(f.Name))
	}
	for _, f := range fields {
		line := fmt.Sprintf("%s%04d  %4d  %-*s  %s", indent, f.Offset, f.Size, width, f.Name, f.Value)
		s.WriteString(strings.TrimRight(line, " "))
		s.WriteByte('\n')
		if f.Note != "" {
			fmt.Fprintf(s, "%s      ! %s\n", indent, f.Note)
		}
		writeFields(s, f.Fields, indent+"  ")
	}
}
