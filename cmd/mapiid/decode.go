package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

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
	fs := newFlagSet("decode", "decode [--json] [--codepage NAME] [ID...]",
		"Explain entry IDs field by field; with no IDs, read one per line from standard input.", stdout, stderr)
	asJSON := fs.Bool("json", false, "print one JSON object per ID, one per line")
	cp := codePageFlag(fs.FlagSet)
	if st := fs.parse(args); st >= 0 {
		return st
	}
	status := exitOK
	first := true
	// one decodes an ID; where says where it came from, for errors.
	one := func(where, input string) {
		if err := decodeOne(input, entryid.Options{CodePage: *cp}, *asJSON, first, stdout); err != nil {
			fs.errorf(exitInvalid, "%s%s: %v", where, quoteInput(input), err)
			status = exitInvalid
			return
		}
		first = false
	}
	if fs.NArg() > 0 {
		for _, a := range fs.Args() {
			one("", a)
		}
		return status
	}
	sc := bufio.NewScanner(stdin)
	sc.Buffer(make([]byte, 0, 64*1024), 64<<20)
	for n := 1; sc.Scan(); n++ {
		if line := sc.Text(); strings.TrimSpace(line) != "" {
			one("line "+strconv.Itoa(n)+": ", line)
		}
	}
	if err := sc.Err(); err != nil {
		return fs.errorf(exitInvalid, "reading standard input: %v", err)
	}
	return status
}

// decodeOne prints one ID, reading 8-bit strings as opts says; first tells
// whether it is the first one printed (the text form separates IDs with a
// blank line).
func decodeOne(input string, opts entryid.Options, asJSON, first bool, w io.Writer) error {
	b, err := entryid.ParseHex(input)
	if err != nil {
		return err
	}
	var f entryid.Field
	kind := "none"
	if len(b) == 0 {
		// "cb: 0 lpb: NULL": MAPI's way of saying there is no ID.
		f.Name = "no entry ID"
	} else {
		if f, err = opts.Explain(b); err != nil {
			return err
		}
		kind = entryid.Identify(b).String()
	}
	if asJSON {
		out, err := json.Marshal(decoded{
			Input: strings.TrimSpace(input),
			Hex:   mapispi.EntryID(b).String(),
			Kind:  kind,
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
	fmt.Fprintf(&s, "%s (%s)\n", escape(f.Name), bytesCount(f.Size))
	if f.Note != "" {
		fmt.Fprintf(&s, "  ! %s\n", escape(f.Note))
	}
	c := columns{
		offset: max(4, len(strconv.FormatInt(int64(f.Size), 16))),
		size:   max(4, len(strconv.Itoa(f.Size))),
	}
	c.write(&s, f.Fields, "  ")
	_, err = io.WriteString(w, s.String())
	return err
}

// bytesCount says "1 byte" or "n bytes".
func bytesCount(n int) string {
	if n == 1 {
		return "1 byte"
	}
	return strconv.Itoa(n) + " bytes"
}

// columns are the widths of the offset (hex digits) and size (decimal
// digits) columns of one ID, wide enough for its largest offset and size.
type columns struct{ offset, size int }

// write prints one line per field, "0xOFFSET  SIZE  name  value", with the
// names of siblings padded to one width, and the sub-fields of each field
// indented under it. Names, values and notes are escaped: they come from
// the input.
func (c columns) write(s *strings.Builder, fields []entryid.Field, indent string) {
	width := 0
	for _, f := range fields {
		width = max(width, utf8.RuneCountInString(escape(f.Name)))
	}
	for _, f := range fields {
		line := fmt.Sprintf("%s0x%0*X  %*d  %-*s  %s", indent, c.offset, f.Offset, c.size, f.Size, width, escape(f.Name), escape(f.Value))
		s.WriteString(strings.TrimRight(line, " "))
		s.WriteByte('\n')
		if f.Note != "" {
			fmt.Fprintf(s, "%s%*s! %s\n", indent, 2+c.offset+2+c.size+2, "", escape(f.Note))
		}
		c.write(s, f.Fields, indent+"  ")
	}
}
