package entryid

import (
	"bytes"
	"encoding/binary"
	"slices"
	"strconv"
	"strings"

	"github.com/mapiemu/mapiemu/mapispi"
)

// Rule names one of the comparison rules that [Equal] documents, C1 to
// C12.
type Rule uint8

// The comparison rules; see [Equal] for what each says.
const (
	RuleProvider  Rule = iota + 1 // C1: provider UIDs and layouts
	RuleFlags                     // C2: abFlags, ephemeral IDs
	RuleWrap                      // C3: store wraps
	RuleDLLName                   // C4: DLL names in wraps
	RuleExchange                  // C5: Exchange stores and address book
	RuleFolder                    // C6: Exchange folders and messages
	RuleContact                   // C7: Outlook contacts, lists and members
	RulePST                       // C8: MS-PST folders and messages
	RulePSTStore                  // C9: PST stores
	RuleOneOff                    // C10: one-off recipients
	RuleTrailing                  // C11: trailing bytes
	RuleMalformed                 // C12: malformed and deeply nested IDs
)

var ruleSummaries = [...]string{
	RuleProvider:  "different providers or layouts name different objects",
	RuleFlags:     "abFlags are ignored, but an ephemeral ID never equals a permanent one",
	RuleWrap:      "a wrapped store ID equals the provider's own ID",
	RuleDLLName:   "the DLL name of a store wrap is ignored",
	RuleExchange:  "Exchange stores compare by mailbox DN and public bit, address book IDs by DN, without regard to case",
	RuleFolder:    "Exchange folders and messages compare by provider UID and GID",
	RuleContact:   "contact IDs compare by their fields and embedded ID",
	RulePST:       "PST IDs compare by record key and NID",
	RulePSTStore:  "PST stores compare by path without regard to case or encoding",
	RuleOneOff:    "one-off IDs compare by address type and address without regard to case or encoding",
	RuleTrailing:  "bytes after the end of a complete ID are ignored",
	RuleMalformed: "a malformed or too deeply nested ID equals only the same bytes",
}

// String returns the rule's number, "C1" to "C12".
func (r Rule) String() string { return "C" + strconv.Itoa(int(r)) }

// Summary returns the rule in a few words ("PST IDs compare by record key
// and NID"); [Equal] states it in full.
func (r Rule) Summary() string {
	if int(r) < len(ruleSummaries) && r > 0 {
		return ruleSummaries[r]
	}
	return ""
}

// Comparison is what [Compare] found about two entry IDs: whether they
// name one object, and each way they differ, with the rule that decides
// or ignores it. It has no MAPI C counterpart.
type Comparison struct {
	// Same is Equal's answer.
	Same bool
	// KindA and KindB are the layouts compared: for a wrapped store ID
	// whose provider ID is well formed, that ID's layout.
	KindA, KindB Kind
	// ErrA and ErrB are Parse's errors for an ID it rejects, else nil.
	ErrA, ErrB error
	// Differences lists how the IDs differ: first those that decide
	// (Ignored false; there is one at least when Same is false), then
	// those the rules ignore. Byte-identical IDs have none.
	Differences []Difference
}

// Difference is one way two entry IDs differ.
type Difference struct {
	// Field names the field as [Explain] does ("MailboxDN", "abFlags");
	// a field of an embedded ID follows the embedding field and a slash
	// ("EntryID/MessageLongTermID").
	Field string
	// Rule is the rule that ignores the difference or lets it decide.
	Rule Rule
	// Ignored is true when the rule ignores the difference, false when
	// the difference makes the IDs name different objects.
	Ignored bool
	// A and B are the field's values in the two IDs, as Explain prints
	// them, or "(none)" where an ID has no such field.
	A, B string
	// Note says how the values differ when they do not show it: "only in
	// case", "8-bit and UTF-16 forms of one text".
	Note string
}

// String returns the difference on one line:
//
//	MailboxDN differs only in case ("/o=x", "/O=X"): ignored by C5
func (d Difference) String() string {
	s := d.Field + " differs"
	if d.Note != "" {
		s += " " + d.Note
	}
	s += " (" + d.A + ", " + d.B + "): "
	if d.Ignored {
		return s + "ignored by " + d.Rule.String()
	}
	return s + "different objects by " + d.Rule.String()
}

// Compare tells whether a and b name the same object, as [Equal] does, and
// lists the differences between them with the rule that ignores each or
// lets it decide: the reasons for Equal's answer, read from the same rules.
func Compare(a, b mapispi.EntryID) Comparison { return Options{}.Compare(a, b) }

// Compare is [Compare] with 8-bit text read in o.CodePage.
func (o Options) Compare(a, b mapispi.EntryID) Comparison {
	c := Comparison{Same: o.Equal(a, b)}
	_, c.ErrA = o.Parse(a)
	_, c.ErrB = o.Parse(b)
	var r reasons
	r.cs = charsetOf(o.CodePage)
	c.KindA, c.KindB = r.compare(a, b, 0, "")
	slices.SortStableFunc(r.diffs, func(x, y Difference) int {
		switch {
		case x.Ignored == y.Ignored:
			return 0
		case x.Ignored:
			return 1
		}
		return -1
	})
	c.Differences = r.diffs
	return c
}

// reasons collects the differences between two IDs.
type reasons struct {
	cs    *charset
	diffs []Difference
}

func (r *reasons) add(d Difference) { r.diffs = append(r.diffs, d) }

// compare adds the differences between a and b, found depth levels down
// under the field path prefix, and returns the kinds of the two views.
func (r *reasons) compare(a, b []byte, depth int, prefix string) (ka, kb Kind) {
	var ia, ib []part
	va, vb := view{ign: &ia}, view{ign: &ib}
	oka, okb := va.load(a, depth, r.cs), vb.load(b, depth, r.cs)
	if !oka || !okb {
		if !bytes.Equal(a, b) {
			f := strings.TrimSuffix(prefix, "/")
			if f == "" {
				f = "entry ID"
			}
			r.add(Difference{Field: f, Rule: RuleMalformed, A: bytesValue(a, oka), B: bytesValue(b, okb)})
		}
		return Identify(a), Identify(b)
	}
	if bytes.Equal(a, b) {
		return va.kind, vb.kind
	}
	if va.tag != vb.tag || va.n != vb.n {
		rule := RuleProvider
		if va.tag == tagEphemeral || vb.tag == tagEphemeral {
			rule = RuleFlags
		}
		r.add(Difference{Field: prefix + "layout", Rule: rule, A: va.layout(), B: vb.layout()})
		return va.kind, vb.kind // their fields do not match up
	}
	r.ignored(ia, ib, prefix)
	for i := range va.n {
		x, y := &va.p[i], &vb.p[i]
		switch {
		case x.e == y.e && bytes.Equal(x.b, y.b):
		case x.e == nested:
			r.compare(x.b, y.b, int(x.depth), prefix+fieldInfo[x.f].name+"/")
		case partEqual(x, y, r.cs):
			note := "only in case"
			if x.e != y.e {
				note = "only in encoding (" + encName(x.e) + " and " + encName(y.e) + ")"
				if !sameText(x, y, r.cs) {
					note = "in case and encoding (" + encName(x.e) + " and " + encName(y.e) + ")"
				}
			}
			r.add(r.diff(prefix, x, y, true, note))
		default:
			r.add(r.diff(prefix, x, y, false, ""))
		}
	}
	return va.kind, vb.kind
}

// layout names the layout of a loaded view.
func (v *view) layout() string {
	switch v.tag {
	case tagOpaqueStore:
		return "store entry ID wrapping bytes no layout reads"
	case tagUnopened:
		return "store entry ID of a store never opened (Flag 1)"
	}
	return v.kind.String() + " entry ID"
}

// ignored adds the differences in the parts the rules ignore, matching
// them by field. A wrap on one side only is one difference (C3).
func (r *reasons) ignored(ia, ib []part, prefix string) {
	seen := map[field]bool{}
	for _, list := range [2][]part{ia, ib} {
		for _, p := range list {
			if seen[p.f] {
				continue
			}
			seen[p.f] = true
			xa, xb := partsOf(ia, p.f), partsOf(ib, p.f)
			for i := range max(len(xa), len(xb)) {
				var x, y *part
				if i < len(xa) {
					x = &xa[i]
				}
				if i < len(xb) {
					y = &xb[i]
				}
				r.ignoredPart(prefix, x, y)
			}
		}
	}
}

// ignoredPart adds the difference between two ignored parts of one field,
// either of which may be missing.
func (r *reasons) ignoredPart(prefix string, x, y *part) {
	switch {
	case x != nil && y != nil:
		if x.e == y.e && bytes.Equal(x.b, y.b) || x.e != raw && y.e != raw && sameText(x, y, r.cs) {
			return
		}
		d := r.diff(prefix, x, y, true, "")
		if x.f == fDLL && strings.EqualFold(d.A, d.B) {
			d.Note = "only in case"
		}
		r.add(d)
	case x == nil && y == nil:
	case x != nil && x.f == fDLL || y != nil && y.f == fDLL:
		d := Difference{Field: prefix + "MUIDSTOREWRAP wrap", Rule: RuleWrap, Ignored: true, A: "(none)", B: "(none)",
			Note: "as one ID is wrapped and the other not"}
		if x != nil {
			d.A = "DLL name " + r.value(x)
		} else {
			d.B = "DLL name " + r.value(y)
		}
		r.add(d)
	case x != nil && x.f == fWrapFlags || y != nil && y.f == fWrapFlags:
		// Part of the wrap reported above.
	case x != nil && len(x.b) > 0 || y != nil && len(y.b) > 0:
		d := Difference{Field: "", Rule: 0, Ignored: true, A: "(none)", B: "(none)"}
		if x != nil {
			d.Field, d.Rule, d.A = prefix+fieldInfo[x.f].name, fieldInfo[x.f].rule, r.value(x)
		} else {
			d.Field, d.Rule, d.B = prefix+fieldInfo[y.f].name, fieldInfo[y.f].rule, r.value(y)
		}
		r.add(d)
	}
}

func partsOf(list []part, f field) []part {
	var out []part
	for _, p := range list {
		if p.f == f {
			out = append(out, p)
		}
	}
	return out
}

func (r *reasons) diff(prefix string, x, y *part, ignored bool, note string) Difference {
	info := fieldInfo[x.f]
	return Difference{Field: prefix + info.name, Rule: info.rule, Ignored: ignored, A: r.value(x), B: r.value(y), Note: note}
}

// sameText reports whether two text parts hold the same characters.
func sameText(x, y *part, cs *charset) bool {
	tx, ty := x.text(cs), y.text(cs)
	i, j := 0, 0
	for {
		r1, n1 := tx.next(i, cs)
		r2, n2 := ty.next(j, cs)
		if n1 == 0 || n2 == 0 {
			return n1 == n2
		}
		if r1 != r2 {
			return false
		}
		i, j = i+n1, j+n2
	}
}

func encName(e enc) string {
	if e == text16 {
		return "UTF-16"
	}
	return "8-bit"
}

func bytesValue(b []byte, ok bool) string {
	s := mapispi.EntryID(b).String()
	if len(b) == 0 {
		s = "(empty)"
	}
	if !ok {
		s += " (malformed)"
	}
	return s
}

// value prints a part as Explain prints its field.
func (r *reasons) value(p *part) string {
	b := p.b
	switch p.e {
	case text8, text16, textUTF8:
		return xquote(r.text(p))
	}
	switch fieldInfo[p.f].format {
	case fmtFlags:
		if len(b) == 4 {
			f := flagsOf(b)
			return xnamed(uint64(f), 4, f.String())
		}
	case fmtUID:
		if len(b) == 16 {
			return xuid(mapispi.UID(b))
		}
	case fmtPublic:
		if len(b) == 1 && b[0] == 1 {
			return "public store"
		}
		return "mailbox"
	case fmtOpenStore:
		if len(b) == 4 {
			t := OpenStoreFlags(binary.LittleEndian.Uint32(b))
			return xnamed(uint64(t), 4, t.String())
		}
	case fmtLongTermType:
		if len(b) == 2 {
			t := LongTermType(binary.LittleEndian.Uint16(b))
			return xnamed(uint64(t), 2, t.String())
		}
	case fmtGID:
		if len(b) == 22 || len(b) == 24 {
			var buf [24]byte
			copy(buf[:], b)
			return longTermIDAt(buf[:]).String()
		}
	case fmtNID:
		if len(b) == 4 {
			return NID(binary.LittleEndian.Uint32(b)).String()
		}
	case fmtDisplayType:
		if len(b) == 4 {
			t := DisplayType(binary.LittleEndian.Uint32(b))
			return xnamed(uint64(t), 4, t.String())
		}
	case fmtContabType:
		if len(b) == 4 {
			t := ContabType(binary.LittleEndian.Uint32(b))
			return xnamed(uint64(t), 4, t.String())
		}
	case fmtIndex:
		if len(b) == 4 {
			i := EmailIndex(binary.LittleEndian.Uint32(b))
			return xnamed(uint64(i), 4, i.String())
		}
	case fmtMemberType:
		if len(b) == 1 {
			return WrappedType(b[0]).String()
		}
	case fmtOneOffFlags:
		if len(b) == 2 {
			f := OneOffFlags(binary.LittleEndian.Uint16(b))
			return xnamed(uint64(f), 2, f.String())
		}
	case fmtU32:
		if len(b) == 4 {
			return xhex(uint64(binary.LittleEndian.Uint32(b)), 4)
		}
	}
	if len(b) == 0 {
		return "(empty)"
	}
	return mapispi.EntryID(b).String()
}

// text decodes a text part.
func (r *reasons) text(p *part) string {
	t := p.text(r.cs)
	var sb strings.Builder
	for i := 0; ; {
		c, n := t.next(i, r.cs)
		if n == 0 {
			return sb.String()
		}
		sb.WriteRune(c)
		i += n
	}
}
