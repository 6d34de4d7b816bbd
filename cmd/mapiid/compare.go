package main

import (
	"bytes"
	"fmt"
	"io"
	"reflect"
	"strings"
	"unicode"

	"github.com/mapiemu/mapiemu/entryid"
)

// Exit statuses of compare, as cmp and diff have them; any error, an ID
// that is not valid text included, exits with exitUsage (2).
const (
	exitSame      = 0 // the IDs name one object
	exitDifferent = 1 // they do not
)

func runCompare(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("compare", "compare A B",
		"Tell whether two entry IDs name the same object, and why.\n"+
			"Exit status: 0 the same object, 1 different objects, 2 an error.", stdout, stderr)
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
	same := entryid.Equal(ids[0], ids[1])
	verdict, status := "different objects", exitDifferent
	if same {
		verdict, status = "same object", exitSame
	}
	var out strings.Builder
	out.WriteString(verdict + "\n")
	for _, r := range reasons(ids[0], ids[1], same) {
		out.WriteString("  " + escape(r) + "\n")
	}
	io.WriteString(stdout, out.String())
	return status
}

// side is one ID of a comparison, decoded; a wrapped store ID whose inner
// ID decodes is seen through its wrap, as Equal sees it.
type side struct {
	raw  []byte            // the bytes compared: the inner ID of a wrap
	s    entryid.Structure // nil if Parse failed
	err  error
	wrap *entryid.Store // the wrap, if s is its inner ID
}

func load(b []byte) side {
	s, err := entryid.Parse(b)
	d := side{raw: b, s: s, err: err}
	if st, ok := s.(entryid.Store); ok && st.Flag == entryid.StoreFlagNormal {
		if in, err := entryid.Parse(st.Inner); err == nil {
			d.raw, d.s, d.wrap = st.Inner, in, &st
		}
	}
	return d
}

// kind names the layout, "folder entry ID", and the wrap's DLL if any; in
// the plural with plural set.
func (d side) kind(plural bool) string {
	k := d.s.Kind().String() + " entry ID"
	if plural {
		k += "s"
	}
	if d.wrap != nil {
		k += " (wrapped, " + quote(d.wrap.DLL) + ")"
	}
	return k
}

// differ collects the reason lines. Lines for differences Equal ignores
// and lines for differences that decide are kept apart, so that a
// different-objects verdict always gets a reason.
type differ struct {
	lines   []string
	decides bool
}

// ignored adds "<what> but are ignored", followed by the details if any.
func (d *differ) ignored(what string, details ...string) {
	l := what + " but are ignored"
	if len(details) > 0 {
		l += " (" + strings.Join(details, "; ") + ")"
	}
	d.lines = append(d.lines, l)
}

func (d *differ) decide(format string, args ...any) {
	d.lines = append(d.lines, fmt.Sprintf(format, args...))
	d.decides = true
}

// reasons explains the verdict of entryid.Equal(a, b) from the decoded
// fields. It never decides the verdict itself.
func reasons(a, b []byte, same bool) []string {
	x, y := load(a), load(b)
	var d differ
	switch {
	case x.err != nil || y.err != nil:
		for _, p := range [...]struct {
			name string
			s    side
		}{{"A", x}, {"B", y}} {
			if p.s.err != nil {
				d.lines = append(d.lines, fmt.Sprintf("%s is not a well-formed entry ID: %v", p.name, p.s.err))
			}
		}
		d.lines = append(d.lines, "a malformed entry ID equals only the same bytes")
		return d.lines
	case bytes.Equal(a, b):
		d.lines = append(d.lines, "both "+x.kind(true), "identical bytes")
		return d.lines
	case x.s.Kind() != y.s.Kind():
		d.decide("A: %s; B: %s", x.kind(false), y.kind(false))
	default:
		d.lines = append(d.lines, "both "+x.s.Kind().String()+" entry IDs")
	}
	switch {
	case x.s.Kind() != y.s.Kind():
	case (x.wrap == nil) != (y.wrap == nil):
		d.lines = append(d.lines, "one is wrapped by MUIDSTOREWRAP, the other is not: the wrap is ignored")
	case x.wrap != nil && x.wrap.DLL != y.wrap.DLL:
		d.ignored("wrap DLL names differ", quote(x.wrap.DLL)+", "+quote(y.wrap.DLL))
	}
	if x.s.Kind() == y.s.Kind() {
		wrapFlags := x.wrap != nil && y.wrap != nil && x.wrap.Flags != y.wrap.Flags
		compareFields(&d, x, y, wrapFlags)
	}
	if !same && !d.decides {
		d.lines = append(d.lines, "they differ by the comparison rules of entryid.Equal")
	}
	return d.lines
}

// compareFields adds the differences between two decoded IDs of one kind.
// wrapFlags says that the abFlags of the two IDs' wraps differ.
func compareFields(d *differ, x, y side, wrapFlags bool) {
	fx, ux, _, _ := entryid.Split(x.raw)
	fy, uy, _, _ := entryid.Split(y.raw)
	switch _, eph := x.s.(entryid.Ephemeral); {
	case fx != fy && fx.Ephemeral() != fy.Ephemeral():
		d.decide("an NSPI ephemeral ID never equals a permanent one")
	case fx != fy && !eph || wrapFlags:
		d.ignored("abFlags differ")
	}
	if ux != uy {
		switch x.s.(type) {
		case entryid.PST:
			d.decide("different PST record keys")
		case entryid.Ephemeral:
			d.decide("different NSPI server GUIDs")
		default:
			d.decide("different provider UIDs")
		}
	}
	switch p := x.s.(type) {
	case entryid.ExchangeStore:
		q := y.s.(entryid.ExchangeStore)
		if (p.Type^q.Type)&entryid.OpenStorePublic != 0 {
			d.decide("one is a public store, the other a mailbox")
		}
		if (p.Type^q.Type)&^entryid.OpenStorePublic != 0 {
			d.ignored("WrappedType bits other than OPENSTORE_PUBLIC differ")
		}
		if p.Server != q.Server {
			d.ignored("server names differ")
		}
		text(d, "mailbox DNs", p.MailboxDN, q.MailboxDN, true, true)
		if !reflect.DeepEqual(p.V2, q.V2) || !reflect.DeepEqual(p.V3, q.V3) {
			d.ignored("V2/V3 tails differ")
		}
	case entryid.PSTStore:
		q := y.s.(entryid.PSTStore)
		px, qx := pstPath(p), pstPath(q)
		text(d, "PST paths", px, qx, false, false)
		if (p.UnicodePath == "") != (q.UnicodePath == "") && foldEqual(px, qx) {
			d.ignored("path encodings (ANSI, Unicode) differ")
		}
	case entryid.Folder:
		q := y.s.(entryid.Folder)
		if p.Type != q.Type {
			d.ignored("folder types differ")
		}
		gid(d, "folder", p.ID, q.ID)
	case entryid.Message:
		q := y.s.(entryid.Message)
		if p.Type != q.Type {
			d.ignored("message types differ")
		}
		if p.Folder != q.Folder {
			d.ignored("parent folder IDs differ")
		}
		gid(d, "message", p.ID, q.ID)
	case entryid.PST:
		if q := y.s.(entryid.PST); p.NID != q.NID {
			d.decide("different NIDs (%v, %v)", p.NID, q.NID)
		}
	case entryid.AddressBook:
		q := y.s.(entryid.AddressBook)
		if p.Type != q.Type {
			d.ignored("display types differ")
		}
		text(d, "X500 DNs", p.DN, q.DN, true, true)
	case entryid.Ephemeral:
		q := y.s.(entryid.Ephemeral)
		if p.Flags != q.Flags || p.Version != q.Version || p.DisplayType != q.DisplayType || p.MID != q.MID {
			d.decide("different NSPI fields (an ephemeral ID compares byte for byte)")
		}
	case entryid.OneOff:
		q := y.s.(entryid.OneOff)
		if p.DisplayName != q.DisplayName {
			d.ignored("display names differ")
		}
		if p.Options != q.Options {
			d.ignored("one-off flags differ")
		}
		text(d, "address types", p.AddressType, q.AddressType, !p.Unicode(), !q.Unicode())
		text(d, "addresses", p.Address, q.Address, !p.Unicode(), !q.Unicode())
	case entryid.Contact:
		q := y.s.(entryid.Contact)
		if p.Index != q.Index {
			d.decide("different address indexes (%v, %v)", p.Index, q.Index)
		}
		embedded(d, p.EntryID, q.EntryID)
		if !bytes.Equal(p.Tail, q.Tail) {
			d.ignored("the meaningless tails differ")
		}
	case entryid.ContactFolder:
		q := y.s.(entryid.ContactFolder)
		if p.Type != q.Type {
			d.decide("different container types (%v, %v)", p.Type, q.Type)
		}
		if p.Logon != q.Logon {
			d.decide("different muidID")
		}
		embedded(d, p.EntryID, q.EntryID)
	case entryid.Wrapped:
		q := y.s.(entryid.Wrapped)
		if p.Type != q.Type {
			d.decide("different wrapped types (%v, %v)", p.Type, q.Type)
		}
		embedded(d, p.EntryID, q.EntryID)
	case entryid.Store:
		// Wraps around bytes no layout reads: Equal compares those bytes
		// (or, for stores never opened, the GUID and what follows).
		q := y.s.(entryid.Store)
		if p.Provider != q.Provider || !bytes.Equal(p.Inner, q.Inner) {
			d.decide("the wrapped bytes differ")
		}
		if p.DLL != q.DLL {
			d.ignored("DLL names differ")
		}
	case entryid.Generic:
		if !bytes.Equal(x.raw[20:], y.raw[20:]) {
			d.decide("the provider's bytes differ")
		}
	}
}

// gid reports a difference in the part of a LongTermID that names the
// object and in its pad.
func gid(d *differ, what string, p, q entryid.LongTermID) {
	if p.Database != q.Database || p.Counter != q.Counter {
		d.decide("different %s IDs (%012X in %v, %012X in %v)", what, p.Counter, p.Database, q.Counter, q.Database)
	}
	if p.Pad != q.Pad {
		d.ignored("LongTermID pads differ")
	}
}

// embedded reports how two embedded entry IDs differ: Equal compares them
// by its own rules.
func embedded(d *differ, p, q []byte) {
	switch {
	case bytes.Equal(p, q):
	case entryid.Equal(p, q):
		d.ignored("the embedded entry IDs differ only where Equal ignores it (run compare on them to see how)")
	default:
		d.decide("different embedded entry IDs")
	}
}

// text reports how two strings Equal compares without regard to case
// differ; latin1P and latin1Q say which hold 8-bit bytes.
func text(d *differ, what, p, q string, latin1P, latin1Q bool) {
	if latin1P {
		p = fromLatin1(p)
	}
	if latin1Q {
		q = fromLatin1(q)
	}
	switch {
	case p == q:
	case foldEqual(p, q):
		d.ignored(what + " differ in case")
	default:
		d.decide("different %s (%s, %s)", what, quote(p), quote(q))
	}
}

func pstPath(p entryid.PSTStore) string {
	if p.UnicodePath != "" {
		return p.UnicodePath
	}
	return fromLatin1(p.ANSIPath)
}

// fromLatin1 reads 8-bit bytes as Latin-1, as Equal does.
func fromLatin1(s string) string {
	r := make([]rune, len(s))
	for i := 0; i < len(s); i++ {
		r[i] = rune(s[i])
	}
	return string(r)
}

// foldEqual compares by upper-case forms, as Equal does.
func foldEqual(p, q string) bool {
	rp, rq := []rune(p), []rune(q)
	if len(rp) != len(rq) {
		return false
	}
	for i := range rp {
		if unicode.ToUpper(rp[i]) != unicode.ToUpper(rq[i]) {
			return false
		}
	}
	return true
}
