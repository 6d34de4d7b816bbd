package entryid

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mapiemu/mapiemu/internal/wire"
	"github.com/mapiemu/mapiemu/mapispi"
)

// Field is one named part of an entry ID as [Explain] reports it: a node
// of a tree that mirrors MFCMAPI's SmartView tree, with the byte range the
// part covers. It has no MAPI C counterpart.
//
// The direct children of a node cover its bytes exactly, in order, with no
// gaps or overlaps; string fields include their terminating NUL, and the
// padding of a wrapped store's DLL name is a field of its own.
type Field struct {
	Name   string  `json:"name"`             // "abFlags", "ProviderUID", "DLL name", ...
	Offset int     `json:"offset"`           // byte offset from the start of the outermost entry ID
	Size   int     `json:"size"`             // bytes covered
	Value  string  `json:"value"`            // printable value; empty for most nodes with children
	Note   string  `json:"note,omitempty"`   // a warning about the bytes, if any
	Fields []Field `json:"fields,omitempty"` // sub-fields, covering the node's bytes in order
}

// Explain decodes b as [Parse] does and describes every wire field with
// its byte offset and size: the root Field covers all of b and is named
// after the layout ("folder entry ID"). Entry IDs embedded in b (the
// provider's ID inside a wrapped store ID, the message ID inside a contact
// or wrapped member ID) are explained as sub-trees, with offsets still
// counted from the start of b; an embedded ID that does not parse is an
// "unparsed" field whose Note gives the reason.
//
// Numbers print in hex ("0x00000001"), UIDs in registry form with their
// C name when [UIDName] knows them, and flag words and enumerations with
// their names. Strings print in double quotes as they are, so that a
// Windows path reads "C:\Users\ann\Outlook.pst" with single
// backslashes; only control characters are escaped ("\n", "\x01").
// 8-bit strings are read as Windows-1252 ([Options.Explain] reads another
// code page). Bytes after the end of a complete ID (see [Parse]) are a
// "Trailing" field with a note. On malformed input Explain returns the
// *ParseError of Parse.
func Explain(b mapispi.EntryID) (Field, error) { return Options{}.Explain(b) }

// Explain is [Explain] with 8-bit strings read in o.CodePage.
func (o Options) Explain(b mapispi.EntryID) (Field, error) {
	return explainAt(b, 0, 0, o)
}

// explainAt explains b, which starts at byte base of the outermost ID and
// is nested depth levels inside it.
func explainAt(b []byte, base, depth int, o Options) (Field, error) {
	s, err := o.Parse(b)
	if err != nil {
		return Field{}, err
	}
	x := &explainer{b: b, base: base, depth: depth, o: o}
	switch v := s.(type) {
	case Generic:
		x.header(v.Flags, "ProviderUID")
		x.raw("Data", len(v.Data), "")
	case Store:
		x.store(v)
	case ExchangeStore:
		x.exchangeStore(v)
	case PSTStore:
		x.header(v.Flags, "ProviderUID")
		x.add("Reserved", 1, xhex(uint64(v.Reserved), 1))
		x.str8("ANSI path", v.ANSIPath)
		if v.UnicodePath != "" {
			x.add("Unicode path", 2*wire.UTF16Len(v.UnicodePath)+2, xquote(v.UnicodePath))
		}
		x.trailing(v.Trailing)
	case Folder:
		x.header(v.Flags, "ProviderUID")
		x.add("FolderType", 2, xnamed(uint64(v.Type), 2, v.Type.String()))
		x.longTermID("LongTermID", v.ID)
	case Message:
		x.header(v.Flags, "ProviderUID")
		x.add("MessageType", 2, xnamed(uint64(v.Type), 2, v.Type.String()))
		x.longTermID("FolderLongTermID", v.Folder)
		x.longTermID("MessageLongTermID", v.ID)
	case PST:
		x.header(v.Flags, "record key")
		x.add("NID", 4, v.NID.String())
	case AddressBook:
		x.header(v.Flags, "ProviderUID")
		x.add("Version", 4, xhex(AddressBookVersion, 4))
		x.add("Type", 4, xnamed(uint64(v.Type), 4, v.Type.String()))
		x.str8("X500 DN", v.DN)
		x.trailing(v.Trailing)
	case Ephemeral:
		x.add("ID type", 1, xhex(uint64(v.Flags&0xFF), 1)+" (ephemeral)").Note = "an NSPI ephemeral ID names its object only within one NSPI session"
		x.add("Reserved", 3, xhex(uint64(v.Flags>>8), 3))
		x.uid("ServerGUID", v.Server)
		x.add("Version", 4, xhex(uint64(v.Version), 4))
		x.add("DisplayType", 4, xnamed(uint64(v.DisplayType), 4, v.DisplayType.String()))
		x.add("MId", 4, xhex(uint64(v.MID), 4))
	case OneOff:
		x.header(v.Flags, "ProviderUID")
		x.add("Version", 2, xhex(0, 2))
		x.add("Flags", 2, xnamed(uint64(v.Options), 2, v.Options.String()))
		for _, f := range [...]struct{ name, s string }{
			{"DisplayName", v.DisplayName}, {"AddressType", v.AddressType}, {"Address", v.Address},
		} {
			if v.Unicode() {
				x.add(f.name, 2*wire.UTF16Len(f.s)+2, xquote(f.s))
			} else {
				x.str8(f.name, f.s)
			}
		}
		x.trailing(v.Trailing)
	case Contact:
		x.header(v.Flags, "ProviderUID")
		x.add("Version", 4, xhex(ContabVersion, 4))
		x.add("Type", 4, xnamed(uint64(v.Type), 4, v.Type.String()))
		x.add("Index", 4, xnamed(uint64(v.Index), 4, v.Index.String()))
		x.add("EntryIdCount", 4, xcount(len(v.EntryID), 4))
		x.nested(len(v.EntryID), "")
		if len(v.Trailing) > 0 {
			x.raw("Trailing", len(v.Trailing), fmt.Sprintf("%s after the embedded entry ID: no meaning (Outlook 2003 and 2007 add 3); Equal ignores them", bytesCount(len(v.Trailing))))
		}
	case ContactFolder:
		x.header(v.Flags, "ProviderUID")
		x.add("Version", 4, xhex(ContabVersion, 4))
		x.add("Type", 4, xnamed(uint64(v.Type), 4, v.Type.String()))
		x.uid("muidID", v.Logon)
		x.nested(len(v.EntryID), "")
	case Wrapped:
		x.header(v.Flags, "ProviderUID")
		x.add("Type", 1, v.Type.String())
		x.nested(len(v.EntryID), "")
	default:
		// A layout added to Parse after Explain: show its header and the
		// rest undecoded rather than fail.
		f, _, _, _ := Split(b)
		x.header(f, "ProviderUID")
		x.raw("Data", len(b)-x.off, "not broken down by Explain")
	}
	x.finish()
	return Field{
		Name:   s.Kind().String() + " entry ID",
		Offset: base,
		Size:   len(b),
		Fields: x.fields,
	}, nil
}

// explainer appends the fields of one entry ID in wire order; off is the
// offset into b of the next field.
type explainer struct {
	b      []byte
	base   int
	depth  int
	o      Options
	off    int
	fields []Field
}

// add appends a leaf of n bytes and returns it so the caller can add a
// note. Parse has checked the bytes, so n never passes the end; finish
// guards the invariant anyway.
func (x *explainer) add(name string, n int, value string) *Field {
	x.fields = append(x.fields, Field{Name: name, Offset: x.base + x.off, Size: n, Value: value})
	x.off += n
	return &x.fields[len(x.fields)-1]
}

// raw appends n bytes shown in hex, if n > 0.
func (x *explainer) raw(name string, n int, note string) {
	if n <= 0 || x.off+n > len(x.b) {
		return
	}
	x.add(name, n, mapispi.EntryID(x.b[x.off:x.off+n]).String()).Note = note
}

// str8 appends an 8-bit NUL-terminated string field whose text is s: its
// size is that of its bytes, up to and including the NUL.
func (x *explainer) str8(name, s string) {
	n := indexNUL8(x.b[x.off:]) + 1
	if n <= 0 {
		n = len(x.b) - x.off // cannot happen: Parse found the NUL
	}
	x.add(name, n, xquote(s))
}

// trailing appends the bytes after the end of a complete ID, if any.
func (x *explainer) trailing(b []byte) {
	if len(b) > 0 {
		x.raw("Trailing", len(b), bytesCount(len(b))+" after the end of the entry ID: no meaning (MFCMAPI shows them as junk data); Equal ignores them")
	}
}

func (x *explainer) uid(name string, u mapispi.UID) {
	x.add(name, 16, xuid(u))
}

// header appends abFlags and the 16-byte UID at offset 4.
func (x *explainer) header(f Flags, uidName string) {
	x.add("abFlags", 4, xnamed(uint64(f), 4, f.String()))
	x.uid(uidName, mapispi.UID(x.b[4:20]))
}

func (x *explainer) longTermID(name string, l LongTermID) {
	start := x.off
	sub := &explainer{b: x.b, base: x.base, off: x.off, o: x.o}
	sub.uid("DatabaseGUID", l.Database)
	sub.add("GlobalCounter", 6, fmt.Sprintf("0x%012X", l.Counter))
	sub.add("Pad", 2, xhex(uint64(l.Pad), 2))
	x.off = sub.off
	x.fields = append(x.fields, Field{Name: name, Offset: x.base + start, Size: x.off - start, Value: l.String(), Fields: sub.fields})
}

// nested appends the n bytes at the current offset as an embedded entry ID,
// explained when it parses and shown in hex with the parse error when it
// does not. With quiet set (the bytes after a never-opened store's GUID,
// which need not be an entry ID) a failure is shown as plain data.
func (x *explainer) nested(n int, quiet string) {
	if n <= 0 || x.off+n > len(x.b) {
		return
	}
	if x.depth+1 >= maxDepth {
		x.raw("unparsed", n, "entry IDs nested more than "+strconv.Itoa(maxDepth-1)+" deep are not decoded further")
		return
	}
	inner := x.b[x.off : x.off+n]
	f, err := explainAt(inner, x.base+x.off, x.depth+1, x.o)
	switch {
	case err == nil:
		x.fields = append(x.fields, f)
		x.off += n
	case quiet != "":
		x.raw(quiet, n, "")
	default:
		note := err.Error()
		var pe *ParseError
		if errors.As(err, &pe) {
			// The offset in the error is relative to the embedded ID;
			// restate it from the start of the outermost ID.
			note = "not an entry ID Parse accepts: offset " + strconv.Itoa(x.base+x.off+pe.Offset) + ": " + pe.Reason
		}
		x.raw("unparsed", n, note)
	}
}

func (x *explainer) store(s Store) {
	x.header(s.Flags, "ProviderUID")
	x.add("Version", 1, xhex(uint64(s.Version), 1))
	if s.Flag == StoreFlagUnopened {
		x.add("Flag", 1, xhex(uint64(s.Flag), 1)+" (not yet opened)")
		x.uid("GUID", s.Provider)
		x.nested(len(s.Inner), "data")
		return
	}
	x.add("Flag", 1, xhex(uint64(s.Flag), 1)+" (MAPIMDB_NORMAL)")
	x.str8("DLL name", s.DLL)
	if pad := (4 - x.off%4) % 4; pad > 0 {
		x.raw("padding", pad, "")
	}
	x.nested(len(s.Inner), "")
}

func (x *explainer) exchangeStore(e ExchangeStore) {
	x.header(e.Flags, "ProviderUID")
	x.add("WrappedType", 4, xnamed(uint64(e.Type), 4, e.Type.String()))
	x.str8("ServerShortname", e.Server)
	if e.MailboxDN != "" || e.Type&OpenStorePublic == 0 {
		x.str8("MailboxDN", e.MailboxDN)
	}
	if t := e.V2; t != nil {
		start := x.off
		sub := &explainer{b: x.b, base: x.base, off: x.off, o: x.o}
		sub.add("Magic", 4, xhex(uint64(StoreV2Magic), 4)+" (MDB_STORE_EID_V2_MAGIC)")
		sub.add("Size", 4, xcount(int(t.Size), 4))
		sub.add("Version", 4, xhex(uint64(StoreV2Version), 4)+" (MDB_STORE_EID_V2_VERSION)")
		sub.add("OffsetDN", 4, xcount(int(t.OffsetDN), 4))
		sub.add("OffsetFQDN", 4, xcount(int(t.OffsetFQDN), 4))
		if t.OffsetDN != 0 {
			sub.str8("ServerDN", t.ServerDN)
		}
		if t.OffsetFQDN != 0 {
			sub.add("ServerFQDN", 2*wire.UTF16Len(t.ServerFQDN)+2, xquote(t.ServerFQDN))
		}
		sub.raw("Reserved", len(t.Reserved), "")
		x.off = sub.off
		x.fields = append(x.fields, Field{Name: "V2 tail", Offset: x.base + start, Size: x.off - start,
			Note: xcheck(t.Check()), Fields: sub.fields})
	}
	if t := e.V3; t != nil {
		start := x.off
		sub := &explainer{b: x.b, base: x.base, off: x.off, o: x.o}
		sub.add("Magic", 4, xhex(uint64(StoreV3Magic), 4)+" (MDB_STORE_EID_V3_MAGIC)")
		sub.add("Size", 4, xcount(int(t.Size), 4))
		sub.add("Version", 4, xhex(uint64(StoreV3Version), 4)+" (MDB_STORE_EID_V3_VERSION)")
		sub.add("OffsetSmtpAddress", 4, xcount(int(t.OffsetSMTP), 4))
		if t.OffsetSMTP != 0 {
			sub.add("SmtpAddress", 2*wire.UTF16Len(t.SMTPAddress)+2, xquote(t.SMTPAddress))
		}
		sub.raw("Reserved", len(t.Reserved), "")
		x.off = sub.off
		x.fields = append(x.fields, Field{Name: "V3 tail", Offset: x.base + start, Size: x.off - start,
			Note: xcheck(t.Check()), Fields: sub.fields})
	}
	x.trailing(e.Trailing)
}

// finish makes sure the fields cover b exactly. Parse round-trips every
// input it accepts, so the computed sizes always add up; should a layout
// change make them disagree, the remainder is shown rather than lost.
func (x *explainer) finish() {
	if x.off < len(x.b) {
		x.raw("unexplained", len(x.b)-x.off, "bytes Explain did not assign to a field")
	}
}

// xcheck turns the result of a tail's Check into a note.
func xcheck(err error) string {
	if err == nil {
		return ""
	}
	var me *mapispi.Error
	if errors.As(err, &me) {
		return me.Message + " (MAPI ignores these fields)"
	}
	return err.Error()
}

// xquote prints a string in double quotes as it is, escaping only control
// characters and other characters that do not print (as Go does) and
// bytes that are not UTF-8, so that Windows
// paths and DNs read as they are written.
func xquote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				fmt.Fprintf(&b, `\x%02x`, s[i])
				continue
			}
			b.WriteRune(r)
		case !unicode.IsPrint(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// xhex prints v in hex with 2*size digits.
func xhex(v uint64, size int) string { return fmt.Sprintf("0x%0*X", 2*size, v) }

// xcount prints a size or offset in hex and decimal.
func xcount(v, size int) string { return fmt.Sprintf("0x%0*X (%d)", 2*size, v, v) }

// xnamed prints v in hex followed by its name, unless the name is only
// the number again.
func xnamed(v uint64, size int, name string) string {
	h := xhex(v, size)
	if name == "" || name == "0" || strings.EqualFold(name, h) {
		return h
	}
	return h + " (" + name + ")"
}

// xuid prints a UID in registry form with its C name when known.
func xuid(u mapispi.UID) string {
	if n := UIDName(u); n != "" {
		return u.String() + " (" + n + ")"
	}
	return u.String()
}
