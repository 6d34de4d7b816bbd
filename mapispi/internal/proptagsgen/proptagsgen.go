// Package proptagsgen turns mapispi's property tag table (proptags.tsv)
// into Go source (zproptags.go): the tag constants, the names
// PropTag.String prints and the lookup PropTagByName uses.
//
// The program that writes the file is mapispi/genproptags.go, run by
// `go generate ./mapispi/`; this package's test fails when the committed
// file differs from what the table generates.
package proptagsgen

import (
	"bufio"
	"bytes"
	"fmt"
	"go/format"
	"go/token"
	"strconv"
	"strings"
)

// Row is one property tag of the table.
type Row struct {
	Line      int      // line number in the table, for messages
	Name      string   // MAPITags.h name, such as "PR_SUBJECT"
	Canonical string   // [MS-OXPROPS] name, such as "PidTagSubject"; "" if none
	ID        uint16   // property ID
	Type      string   // property type name, such as "PT_UNICODE"
	Const     string   // Go constant, such as "PropSubject"
	Hand      bool     // the constant is declared by hand elsewhere in mapispi
	Aliases   []string // other names that look the tag up
	Source    string   // where the ID and type were read
}

// Tag returns the 32-bit property tag.
func (r Row) Tag() uint32 {
	t, _ := typeValue(r.Type)
	return uint32(r.ID)<<16 | uint32(t)
}

// typeValue returns the value of the property type named name, such as
// "PT_UNICODE" or "PT_MV_BINARY".
func typeValue(name string) (uint16, bool) {
	if base, ok := strings.CutPrefix(name, "PT_MV_"); ok {
		t, ok := types["PT_"+base]
		switch base {
		case "NULL", "ERROR", "BOOLEAN", "OBJECT", "SVREID":
			ok = false // MAPIDefS.h defines no PT_MV_ form of these
		}
		return t | 0x1000, ok
	}
	t, ok := types[name]
	return t, ok
}

// types are the single-valued property types, from MAPIDefS.h.
var types = map[string]uint16{
	"PT_NULL": 0x0001, "PT_I2": 0x0002, "PT_LONG": 0x0003, "PT_R4": 0x0004,
	"PT_DOUBLE": 0x0005, "PT_CURRENCY": 0x0006, "PT_APPTIME": 0x0007,
	"PT_ERROR": 0x000A, "PT_BOOLEAN": 0x000B, "PT_OBJECT": 0x000D,
	"PT_I8": 0x0014, "PT_STRING8": 0x001E, "PT_UNICODE": 0x001F,
	"PT_SYSTIME": 0x0040, "PT_CLSID": 0x0048, "PT_SVREID": 0x00FB,
	"PT_BINARY": 0x0102,
}

const columns = "name\tcanonical\tid\ttype\tconst\tdecl\taliases\tsource"

// Parse reads the table: lines starting with '#' and blank lines are
// comments, the first other line is the column header, and each line after
// it is a Row. It checks what the generated code and PropTagByName rely
// on: well-formed cells, and no name, alias, constant or tag used twice.
func Parse(table []byte) ([]Row, error) {
	var rows []Row
	var errs []string
	fail := func(line int, format string, args ...any) {
		errs = append(errs, fmt.Sprintf("line %d: %s", line, fmt.Sprintf(format, args...)))
	}
	header := false
	sc := bufio.NewScanner(bytes.NewReader(table))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !header {
			if line != columns {
				fail(n, "header %q, want %q", line, columns)
			}
			header = true
			continue
		}
		cells := strings.Split(line, "\t")
		if len(cells) != 8 {
			fail(n, "%d cells, want 8", len(cells))
			continue
		}
		for i, c := range cells {
			if c == "" || strings.TrimSpace(c) != c {
				fail(n, "cell %d is empty or has spaces around it; write - for none", i+1)
			}
		}
		r := Row{Line: n, Name: cells[0], Type: cells[3], Const: cells[4], Source: cells[7]}
		if cells[1] != "-" {
			r.Canonical = cells[1]
		}
		if !isPRName(r.Name) {
			fail(n, "name %q is not PR_ and upper-case words", r.Name)
		}
		if strings.HasSuffix(r.Name, "_A") || strings.HasSuffix(r.Name, "_W") {
			fail(n, "name %q ends in _A or _W, which PropTagByName reads as a string width", r.Name)
		}
		if r.Canonical != "" && (!strings.HasPrefix(r.Canonical, "PidTag") || !token.IsIdentifier(r.Canonical)) {
			fail(n, "canonical name %q is not PidTag and a word", r.Canonical)
		}
		id, err := strconv.ParseUint(strings.TrimPrefix(cells[2], "0x"), 16, 16)
		if err != nil || len(cells[2]) != 6 || !strings.HasPrefix(cells[2], "0x") || strings.ToUpper(cells[2][2:]) != cells[2][2:] {
			fail(n, "id %q is not 0xHHHH in upper-case hex", cells[2])
		}
		r.ID = uint16(id)
		if _, ok := typeValue(r.Type); !ok {
			fail(n, "type %q is not a property type", r.Type)
		}
		if r.Type == "PT_STRING8" || r.Type == "PT_MV_STRING8" {
			fail(n, "type %s: declare string properties PT_UNICODE; the PT_STRING8 form is WithType(PtString8)", r.Type)
		}
		if !strings.HasPrefix(r.Const, "Prop") || !token.IsIdentifier(r.Const) || !token.IsExported(r.Const) {
			fail(n, "constant %q is not an exported Prop name", r.Const)
		}
		switch cells[5] {
		case "gen":
		case "hand":
			r.Hand = true
		default:
			fail(n, "decl %q is not gen or hand", cells[5])
		}
		if cells[6] != "-" {
			r.Aliases = strings.Split(cells[6], ",")
			for _, a := range r.Aliases {
				if !isPRName(a) || strings.HasSuffix(a, "_A") || strings.HasSuffix(a, "_W") {
					fail(n, "alias %q is not a PR_ name without _A or _W", a)
				}
			}
		}
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if !header {
		errs = append(errs, "no header line")
	}

	// One owner for every name, alias, constant and tag.
	names := map[string]int{}
	consts := map[string]int{}
	tags := map[uint32]int{}
	for _, r := range rows {
		for _, name := range append([]string{r.Name, r.Canonical}, r.Aliases...) {
			if name == "" {
				continue
			}
			if prev, ok := names[name]; ok {
				fail(r.Line, "name %s is already used on line %d", name, prev)
			}
			names[name] = r.Line
		}
		if prev, ok := consts[r.Const]; ok {
			fail(r.Line, "constant %s is already used on line %d", r.Const, prev)
		}
		consts[r.Const] = r.Line
		if prev, ok := tags[r.Tag()]; ok {
			fail(r.Line, "tag 0x%08X is already on line %d", r.Tag(), prev)
		}
		tags[r.Tag()] = r.Line
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("proptags table:\n%s", strings.Join(errs, "\n"))
	}
	return rows, nil
}

func isPRName(s string) bool {
	if !strings.HasPrefix(s, "PR_") || len(s) == len("PR_") {
		return false
	}
	for _, c := range s {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// Render returns the gofmt-ed source of zproptags.go for rows.
func Render(rows []Row) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`// Code generated by "go run genproptags.go" from proptags.tsv; DO NOT EDIT.

package mapispi

// Property tags of message stores, folders, messages, recipients and
// attachments, from proptags.tsv. String properties are declared
// PT_UNICODE; use WithType(PtString8) for the ANSI form.
const (
`)
	for _, r := range rows {
		if r.Hand {
			continue
		}
		if r.Canonical != "" {
			fmt.Fprintf(&b, "\t// %s is %s (%s).\n", r.Const, r.Name, r.Canonical)
		} else {
			fmt.Fprintf(&b, "\t// %s is %s.\n", r.Const, r.Name)
		}
		fmt.Fprintf(&b, "\t%s PropTag = 0x%08X\n", r.Const, r.Tag())
	}
	b.WriteString(")\n\n")

	b.WriteString("// propTagNames names each tag of proptags.tsv, for PropTag.String.\n")
	b.WriteString("var propTagNames = map[PropTag]string{\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "\t%s: %q,\n", r.Const, r.Name)
	}
	b.WriteString("}\n\n")

	b.WriteString("// propIDNames names each property ID by its first row in proptags.tsv,\n")
	b.WriteString("// for PT_ERROR values, whose tags keep only the ID.\n")
	b.WriteString("var propIDNames = map[uint16]string{\n")
	seen := map[uint16]bool{}
	for _, r := range rows {
		if seen[r.ID] {
			continue
		}
		seen[r.ID] = true
		fmt.Fprintf(&b, "\t0x%04X: %q,\n", r.ID, r.Name)
	}
	b.WriteString("}\n\n")

	b.WriteString("// propNameTags maps each PR_ name, canonical name and alias of\n")
	b.WriteString("// proptags.tsv to its tag, for PropTagByName.\n")
	b.WriteString("var propNameTags = map[string]PropTag{\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "\t%q: %s,\n", r.Name, r.Const)
		if r.Canonical != "" {
			fmt.Fprintf(&b, "\t%q: %s,\n", r.Canonical, r.Const)
		}
		for _, a := range r.Aliases {
			fmt.Fprintf(&b, "\t%q: %s, // alias\n", a, r.Const)
		}
	}
	b.WriteString("}\n")

	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("proptagsgen: generated code does not parse: %w", err)
	}
	return src, nil
}
