package msgfile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/internal/wire"
	"github.com/mapiemu/mapiemu/mapispi"
)

// The property stream of one object storage and the streams that hold its
// variable-size and multi-valued values ([MS-OXMSG] 2.1 and 2.4).

const (
	propStreamName = "__properties_version1.0"
	substgPrefix   = "__substg1.0_"

	// Property stream header lengths ([MS-OXMSG] 2.4.1): the top-level
	// message, an embedded message, a recipient or an attachment.
	headerTop      = 32
	headerEmbedded = 24
	headerSub      = 8

	entrySize = 16 // a property entry ([MS-OXMSG] 2.4.2)

	// Flags of a property entry ([MS-OXMSG] 2.4.2.1). The encoder writes
	// readable|writable on every entry, as Outlook does for most.
	propAttrReadable = 0x2
	propAttrWritable = 0x4
	entryFlags       = propAttrReadable | propAttrWritable

	// sizeObject is the Size of the PT_OBJECT entry of an embedded
	// message or a custom attachment storage ([MS-OXMSG] 2.4.2.2).
	sizeObject = 0xFFFFFFFF
)

var le = binary.LittleEndian

// substgName returns the name of the stream that holds tag's value
// ([MS-OXMSG] 2.1.3): "__substg1.0_" and the tag in 8 upper-case hex digits.
func substgName(tag mapispi.PropTag) string { return fmt.Sprintf("%s%08X", substgPrefix, uint32(tag)) }

// substgValueName returns the name of the stream that holds value i of a
// variable-size multi-valued property ([MS-OXMSG] 2.1.4.2).
func substgValueName(tag mapispi.PropTag, i int) string {
	return fmt.Sprintf("%s%08X-%08X", substgPrefix, uint32(tag), uint32(i))
}

// rawValue is the value of a property whose type this codec does not
// know, and of a PT_OBJECT property that is not an attachment's data
// object: the entry's last 8 bytes and every stream and storage named
// after the tag, kept as they are so that a rewrite loses nothing. It is
// the one value the decoder produces that mapispi.PropValue.Check
// refuses; the MAPI objects leave such properties out of what they show.
type rawValue struct {
	data [8]byte
	// streams and storages are keyed by what follows "__substg1.0_TTTTTTTT"
	// in their names ("" for the value stream itself).
	streams  map[string][]byte
	storages map[string]*tree
}

// propEntry is one 16-byte entry of a property stream.
type propEntry struct {
	tag  mapispi.PropTag
	data [8]byte // the value of a fixed-size property; Size and Reserved otherwise
	off  int64   // the entry's offset in the stream
}

func (e propEntry) size() uint32 { return le.Uint32(e.data[:4]) }

// readPropStream returns the header and the entries of the property
// stream of t, whose header is hdrLen bytes.
func readPropStream(t *tree, path string, hdrLen int) ([]byte, []propEntry, error) {
	p := join(path, propStreamName)
	b, ok := t.stream(propStreamName)
	if !ok {
		return nil, nil, formatErr(p, -1, "missing: every message, recipient and attachment storage has a property stream")
	}
	if len(b) < hdrLen {
		return nil, nil, formatErr(p, -1, "%d bytes, shorter than its %d-byte header", len(b), hdrLen)
	}
	if (len(b)-hdrLen)%entrySize != 0 {
		return nil, nil, formatErr(p, int64(len(b)-(len(b)-hdrLen)%entrySize), "%d bytes after the header, not a whole number of %d-byte entries", len(b)-hdrLen, entrySize)
	}
	entries := make([]propEntry, 0, (len(b)-hdrLen)/entrySize)
	seen := make(map[uint16]int, cap(entries)) // the index of each ID's entry
	for off := hdrLen; off < len(b); off += entrySize {
		e := propEntry{tag: mapispi.PropTag(le.Uint32(b[off:])), off: int64(off)}
		copy(e.data[:], b[off+8:off+16])
		if j, dup := seen[e.tag.ID()]; dup {
			return nil, nil, formatErr(p, e.off, "%v repeats property ID 0x%04X of %v at offset %d", e.tag, e.tag.ID(), entries[j].tag, entries[j].off)
		}
		seen[e.tag.ID()] = len(entries)
		entries = append(entries, e)
	}
	return b[:hdrLen], entries, nil
}

// codePage returns the code page of a message's 8-bit strings: its
// PR_MESSAGE_CODEPAGE, else its PR_INTERNET_CPID, else fallback. An
// Internet code page of a family whose 8-bit MAPI strings are in a
// Windows code page stands for that one (codepage.ID.ANSIFamily: the
// Japanese file of testdata/msg has PR_INTERNET_CPID 50220, ISO-2022-JP,
// and Shift JIS strings). A value that names
// no code page the codepage package knows is passed over, so that
// reading and writing agree on one code page for every file.
func codePage(props []mapispi.PropValue, fallback codepage.ID) codepage.ID {
	for _, tag := range []mapispi.PropTag{mapispi.PropMessageCodepage, mapispi.PropInternetCPID} {
		for _, v := range props {
			if v.Tag != tag {
				continue
			}
			n, ok := v.Value.(int32)
			if !ok || n <= 0 || n > math.MaxUint16 {
				continue
			}
			if id := codepage.ID(n).ANSIFamily(); id.Known() {
				return id
			}
		}
	}
	return fallback
}

// decodeProps decodes the values of entries, from the entries and the
// streams of t. With own, the 8-bit strings are in the code page the
// properties name (codePage with fallback cp), else in cp; the code page
// used is returned. An entry for which skip is true is left out.
func decodeProps(t *tree, path string, entries []propEntry, cp codepage.ID, own bool, skip func(mapispi.PropTag) bool) ([]mapispi.PropValue, codepage.ID, error) {
	props := make([]mapispi.PropValue, len(entries))
	var deferred []int
	for i, e := range entries {
		props[i].Tag = e.tag
		if v, ok := fixedValue(e.tag.Type(), e.data); ok {
			props[i].Value = v
			continue
		}
		deferred = append(deferred, i)
	}
	if own {
		cp = codePage(props, cp)
	}
	drop := make([]bool, len(entries))
	for _, i := range deferred {
		e := entries[i]
		if skip != nil && skip(e.tag) {
			drop[i] = true
			continue
		}
		v, err := streamValue(t, path, e, cp)
		if err != nil {
			return nil, cp, err
		}
		props[i].Value = v
	}
	out := props[:0]
	for i, v := range props {
		if !drop[i] {
			out = append(out, v)
		}
	}
	return out, cp, nil
}

// fixedValue decodes the 8 value bytes of a fixed-size property
// ([MS-OXMSG] 2.4.2.1), and reports whether typ is one.
func fixedValue(typ mapispi.PropType, b [8]byte) (any, bool) {
	switch typ {
	case mapispi.PtNull:
		return nil, true
	case mapispi.PtI2:
		return int16(le.Uint16(b[:])), true
	case mapispi.PtLong:
		return int32(le.Uint32(b[:])), true
	case mapispi.PtR4:
		return math.Float32frombits(le.Uint32(b[:])), true
	case mapispi.PtDouble, mapispi.PtAppTime:
		return math.Float64frombits(le.Uint64(b[:])), true
	case mapispi.PtCurrency, mapispi.PtI8:
		return int64(le.Uint64(b[:])), true
	case mapispi.PtError:
		return mapispi.SCode(le.Uint32(b[:])), true
	case mapispi.PtBoolean:
		return b[0] != 0, true
	case mapispi.PtSysTime:
		return wire.FromFiletime(le.Uint64(b[:])), true
	}
	return nil, false
}

// elemSize is the size of one value of a fixed-size multi-valued type
// stored in one stream ([MS-OXMSG] 2.1.4.1), or 0.
func elemSize(typ mapispi.PropType) int {
	switch typ {
	case mapispi.MVFlag | mapispi.PtI2:
		return 2
	case mapispi.MVFlag | mapispi.PtLong, mapispi.MVFlag | mapispi.PtR4:
		return 4
	case mapispi.MVFlag | mapispi.PtDouble, mapispi.MVFlag | mapispi.PtAppTime,
		mapispi.MVFlag | mapispi.PtCurrency, mapispi.MVFlag | mapispi.PtI8,
		mapispi.MVFlag | mapispi.PtSysTime:
		return 8
	case mapispi.MVFlag | mapispi.PtCLSID:
		return 16
	}
	return 0
}

// lengthEntrySize is the size of one entry of the length stream of a
// variable-size multi-valued type ([MS-OXMSG] 2.1.4.2), or 0.
func lengthEntrySize(typ mapispi.PropType) int {
	switch typ {
	case mapispi.MVFlag | mapispi.PtString8, mapispi.MVFlag | mapispi.PtUnicode:
		return 4
	case mapispi.MVFlag | mapispi.PtBinary:
		return 8
	}
	return 0
}

// streamValue decodes the value of a property kept in streams.
func streamValue(t *tree, path string, e propEntry, cp codepage.ID) (any, error) {
	typ := e.tag.Type()
	name := substgName(e.tag)
	p := join(path, name)
	switch {
	case typ == mapispi.PtString8 || typ == mapispi.PtUnicode || typ == mapispi.PtBinary ||
		typ == mapispi.PtSvrEID || typ == mapispi.PtCLSID || elemSize(typ) > 0:
		b, ok := t.stream(name)
		if !ok {
			return nil, formatErr(p, -1, "missing, but the property stream has a %v entry at offset %d", e.tag, e.off)
		}
		want := uint64(len(b))
		switch typ {
		case mapispi.PtString8:
			want++ // the terminator the stream leaves out
		case mapispi.PtUnicode:
			want += 2
		}
		// The new Outlook (2023) writes the Size of a string without its
		// terminator: accepted too, the stream is the value either way.
		isString := typ == mapispi.PtString8 || typ == mapispi.PtUnicode
		if uint64(e.size()) != want && !(isString && uint64(e.size()) == uint64(len(b))) {
			return nil, formatErr(join(path, propStreamName), e.off, "%v entry has Size %d, want %d for its %d-byte stream", e.tag, e.size(), want, len(b))
		}
		if n := elemSize(typ); n > 0 {
			if len(b)%n != 0 {
				return nil, formatErr(p, -1, "%d bytes, not a whole number of %d-byte %v values", len(b), n, typ)
			}
			return fixedMV(typ, b), nil
		}
		return singleValue(p, e.tag, b, cp)
	case lengthEntrySize(typ) > 0:
		return variableMV(t, path, e, cp)
	}
	return rawOf(t, e), nil
}

// singleValue decodes the stream b, at path p, of a single-valued
// property tag.
func singleValue(p string, tag mapispi.PropTag, b []byte, cp codepage.ID) (any, error) {
	switch tag.Type() {
	case mapispi.PtString8:
		return decodeString8(p, tag.String(), b, cp)
	case mapispi.PtUnicode:
		return decodeUnicode(p, tag.String(), b)
	case mapispi.PtCLSID:
		if len(b) != 16 {
			return nil, formatErr(p, -1, "%d bytes, want 16 for a PT_CLSID", len(b))
		}
		return mapispi.UID(b), nil
	}
	return orEmpty(b), nil // PT_BINARY, PT_SVREID: the tree's, which decodeMessage takes
}

// orEmpty returns b, or an empty slice for nil: a PT_BINARY value is
// never nil.
func orEmpty(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// decodeString8 returns the text of 8-bit string b in code page cp, up to
// its first NUL: a MAPI string ends there. what names the value in
// errors ("PR_SUBJECT_A", "value 2 of ..."); one at the offset of the
// first byte the code page refuses.
func decodeString8(p, what string, b []byte, cp codepage.ID) (string, error) {
	for i, c := range b {
		if c == 0 {
			b = b[:i]
			break
		}
	}
	s, err := cp.Decode(b)
	if err != nil {
		fe := &FormatError{Path: p, Offset: -1, Reason: what + " not valid in code page " + cp.String(), Err: err}
		var ce *codepage.Error
		if errors.As(err, &ce) {
			fe.Offset = int64(ce.Offset)
		}
		return "", fe
	}
	return s, nil
}

// decodeUnicode returns the text of UTF-16LE string b, up to its first
// NUL. An unpaired surrogate reads as U+FFFD. what names the value in
// errors, as for decodeString8.
func decodeUnicode(p, what string, b []byte) (string, error) {
	if len(b)%2 != 0 {
		return "", formatErr(p, -1, "%d-byte %s, an odd length for UTF-16 text", len(b), what)
	}
	return wire.DecodeUTF16(wire.UTF16BeforeNUL(b)), nil
}

// fixedMV decodes the stream of a fixed-size multi-valued property.
func fixedMV(typ mapispi.PropType, b []byte) any {
	switch typ {
	case mapispi.MVFlag | mapispi.PtI2:
		v := make([]int16, len(b)/2)
		for i := range v {
			v[i] = int16(le.Uint16(b[2*i:]))
		}
		return v
	case mapispi.MVFlag | mapispi.PtLong:
		v := make([]int32, len(b)/4)
		for i := range v {
			v[i] = int32(le.Uint32(b[4*i:]))
		}
		return v
	case mapispi.MVFlag | mapispi.PtR4:
		v := make([]float32, len(b)/4)
		for i := range v {
			v[i] = math.Float32frombits(le.Uint32(b[4*i:]))
		}
		return v
	case mapispi.MVFlag | mapispi.PtDouble, mapispi.MVFlag | mapispi.PtAppTime:
		v := make([]float64, len(b)/8)
		for i := range v {
			v[i] = math.Float64frombits(le.Uint64(b[8*i:]))
		}
		return v
	case mapispi.MVFlag | mapispi.PtCurrency, mapispi.MVFlag | mapispi.PtI8:
		v := make([]int64, len(b)/8)
		for i := range v {
			v[i] = int64(le.Uint64(b[8*i:]))
		}
		return v
	case mapispi.MVFlag | mapispi.PtSysTime:
		v := make([]time.Time, len(b)/8)
		for i := range v {
			v[i] = wire.FromFiletime(le.Uint64(b[8*i:]))
		}
		return v
	}
	// MVFlag | PtCLSID
	v := make([]mapispi.UID, len(b)/16)
	for i := range v {
		v[i] = mapispi.UID(b[16*i:])
	}
	return v
}

// variableMV decodes a variable-size multi-valued property: its length
// stream, and one value stream per value ([MS-OXMSG] 2.1.4.2).
func variableMV(t *tree, path string, e propEntry, cp codepage.ID) (any, error) {
	typ := e.tag.Type()
	name := substgName(e.tag)
	p := join(path, name)
	lens, ok := t.stream(name)
	if !ok {
		return nil, formatErr(p, -1, "length stream missing, but the property stream has a %v entry at offset %d", e.tag, e.off)
	}
	if uint64(e.size()) != uint64(len(lens)) {
		return nil, formatErr(join(path, propStreamName), e.off, "%v entry has Size %d, want %d for its length stream", e.tag, e.size(), len(lens))
	}
	n := lengthEntrySize(typ)
	if len(lens)%n != 0 {
		return nil, formatErr(p, -1, "%d bytes, not a whole number of %d-byte length entries", len(lens), n)
	}
	count := len(lens) / n
	var (
		strs []string
		bins [][]byte
	)
	if typ == mapispi.MVFlag|mapispi.PtBinary {
		bins = make([][]byte, 0, count)
	} else {
		strs = make([]string, 0, count)
	}
	for i := range count {
		vname := substgValueName(e.tag, i)
		vp := join(path, vname)
		b, ok := t.stream(vname)
		if !ok {
			return nil, formatErr(vp, -1, "missing: value %d of %v", i, e.tag)
		}
		if l := le.Uint32(lens[i*n:]); uint64(l) != uint64(len(b)) {
			return nil, formatErr(p, int64(i*n), "length %d of value %d, want %d, the size of %s", l, i, len(b), vname)
		}
		switch typ.Base() {
		case mapispi.PtBinary:
			bins = append(bins, orEmpty(b))
		case mapispi.PtString8:
			s, err := decodeString8(vp, fmt.Sprintf("value %d of %v", i, e.tag), b, cp)
			if err != nil {
				return nil, err
			}
			strs = append(strs, s)
		default:
			s, err := decodeUnicode(vp, fmt.Sprintf("value %d of %v", i, e.tag), b)
			if err != nil {
				return nil, err
			}
			strs = append(strs, s)
		}
	}
	if bins != nil {
		return bins, nil
	}
	return strs, nil
}

// rawOf keeps the entry of a property of a type this codec does not know,
// with the streams and storages named after its tag (the tree's, which
// decodeMessage takes).
func rawOf(t *tree, e propEntry) *rawValue {
	r := &rawValue{data: e.data}
	prefix := substgName(e.tag)
	for n, b := range t.streams {
		if len(n) >= len(prefix) && strings.EqualFold(n[:len(prefix)], prefix) {
			if r.streams == nil {
				r.streams = map[string][]byte{}
			}
			r.streams[n[len(prefix):]] = b
		}
	}
	for n, s := range t.storages {
		if len(n) >= len(prefix) && strings.EqualFold(n[:len(prefix)], prefix) {
			if r.storages == nil {
				r.storages = map[string]*tree{}
			}
			r.storages[n[len(prefix):]] = s
		}
	}
	return r
}

// encodeProps writes the property stream of t (header hdr, then one entry
// per property) and the streams of the values. With object, it adds the
// PT_OBJECT entry of an attachment's data object (PR_ATTACH_DATA_OBJ).
func encodeProps(t *tree, path string, hdr []byte, props []mapispi.PropValue, cp codepage.ID, object bool) error {
	b := make([]byte, 0, len(hdr)+entrySize*(len(props)+1))
	b = append(b, hdr...)
	seen := make(map[uint16]mapispi.PropTag, len(props))
	for _, v := range props {
		if first, dup := seen[v.Tag.ID()]; dup {
			return encodeErr(path, v.Tag, mapispi.Errorf(mapispi.ErrBadValue, "msgfile", "it repeats property ID 0x%04X of %v", v.Tag.ID(), first))
		}
		seen[v.Tag.ID()] = v.Tag
		if object && v.Tag.ID() == mapispi.PropAttachDataObj.ID() {
			return encodeErr(path, v.Tag, mapispi.Errorf(mapispi.ErrBadValue, "msgfile", "an attachment's data object is its embedded message or storage, not a property"))
		}
		var data [8]byte
		if r, ok := v.Value.(*rawValue); ok {
			data = r.data
			for suffix, s := range r.streams {
				t.streams[substgName(v.Tag)+suffix] = s
			}
			for suffix, s := range r.storages {
				t.storages[substgName(v.Tag)+suffix] = s
			}
		} else {
			if v.Tag.Type() == mapispi.PtObject {
				return encodeErr(path, v.Tag, mapispi.Errorf(mapispi.ErrInvalidType, "msgfile", "a PT_OBJECT property is an object, which a .msg file holds only as an attachment's data object, not a value"))
			}
			if err := v.Check(); err != nil {
				return encodeErr(path, v.Tag, err)
			}
			var err error
			data, err = encodeValue(t, v, cp)
			if err != nil {
				return encodeErr(path, v.Tag, err)
			}
		}
		b = le.AppendUint32(b, uint32(v.Tag))
		b = le.AppendUint32(b, entryFlags)
		b = append(b, data[:]...)
	}
	if object {
		b = le.AppendUint32(b, uint32(mapispi.PropAttachDataObj))
		b = le.AppendUint32(b, entryFlags)
		b = le.AppendUint32(b, sizeObject)
		b = le.AppendUint32(b, 0)
	}
	t.streams[propStreamName] = b
	return nil
}

func encodeErr(path string, tag mapispi.PropTag, err error) error {
	where := path
	if where == "" {
		where = "the message"
	}
	return fmt.Errorf("msgfile: writing %v of %s: %w", tag, where, err)
}

// encodeValue returns the 8 bytes of v's entry, and writes the streams
// of a value kept in streams.
func encodeValue(t *tree, v mapispi.PropValue, cp codepage.ID) ([8]byte, error) {
	var d [8]byte
	typ := v.Tag.Type()
	switch x := v.Value.(type) {
	case nil:
		// PT_NULL: no value
	case int16:
		le.PutUint16(d[:], uint16(x))
	case int32:
		le.PutUint32(d[:], uint32(x))
	case float32:
		le.PutUint32(d[:], math.Float32bits(x))
	case float64:
		le.PutUint64(d[:], math.Float64bits(x))
	case int64:
		le.PutUint64(d[:], uint64(x))
	case mapispi.SCode:
		le.PutUint32(d[:], uint32(x))
	case bool:
		if x {
			d[0] = 1
		}
	case time.Time:
		ft, ok := wire.ToFiletime(x)
		if !ok {
			return d, mapispi.Errorf(mapispi.ErrBadValue, "msgfile", "%v is outside the range of a FILETIME", x)
		}
		le.PutUint64(d[:], ft)
	case string:
		b, err := encodeString(typ, x, cp)
		if err != nil {
			return d, err
		}
		t.streams[substgName(v.Tag)] = b
		n := uint64(len(b)) + 1
		if typ == mapispi.PtUnicode {
			n++
		}
		if n > math.MaxUint32 {
			return d, mapispi.Errorf(mapispi.ErrBadValue, "msgfile", "value of %d bytes is too large for a .msg file", len(b))
		}
		le.PutUint32(d[:], uint32(n))
	case []byte:
		t.streams[substgName(v.Tag)] = x
		return d, putSize(&d, len(x))
	case mapispi.UID:
		t.streams[substgName(v.Tag)] = x[:]
		le.PutUint32(d[:], 16)
	case []string:
		lens := make([]byte, 0, 4*len(x))
		for i, s := range x {
			b, err := encodeString(typ.Base(), s, cp)
			if err != nil {
				return d, fmt.Errorf("value %d: %w", i, err)
			}
			if typ.Base() == mapispi.PtUnicode {
				b = append(b, 0, 0)
			} else {
				b = append(b, 0)
			}
			if uint64(len(b)) > math.MaxUint32 {
				return d, mapispi.Errorf(mapispi.ErrBadValue, "msgfile", "value %d of %d bytes is too large for a .msg file", i, len(b))
			}
			t.streams[substgValueName(v.Tag, i)] = b
			lens = le.AppendUint32(lens, uint32(len(b)))
		}
		t.streams[substgName(v.Tag)] = lens
		return d, putSize(&d, len(lens))
	case [][]byte:
		lens := make([]byte, 0, 8*len(x))
		for i, b := range x {
			if uint64(len(b)) > math.MaxUint32 {
				return d, mapispi.Errorf(mapispi.ErrBadValue, "msgfile", "value %d of %d bytes is too large for a .msg file", i, len(b))
			}
			t.streams[substgValueName(v.Tag, i)] = b
			lens = le.AppendUint32(lens, uint32(len(b)))
			lens = le.AppendUint32(lens, 0)
		}
		t.streams[substgName(v.Tag)] = lens
		return d, putSize(&d, len(lens))
	default:
		b, err := encodeFixedMV(v.Value)
		if err != nil {
			return d, err
		}
		t.streams[substgName(v.Tag)] = b
		return d, putSize(&d, len(b))
	}
	return d, nil
}

func putSize(d *[8]byte, n int) error {
	if uint64(n) > math.MaxUint32-1 {
		return mapispi.Errorf(mapispi.ErrBadValue, "msgfile", "value of %d bytes is too large for a .msg file", n)
	}
	le.PutUint32(d[:], uint32(n))
	return nil
}

// encodeString returns s as the stream of a PT_STRING8 (in code page cp)
// or PT_UNICODE (UTF-16LE) value, without a terminator.
func encodeString(typ mapispi.PropType, s string, cp codepage.ID) ([]byte, error) {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return nil, mapispi.Errorf(mapispi.ErrBadValue, "msgfile", "the string holds a NUL at byte %d, where a MAPI string ends", i)
	}
	if typ == mapispi.PtString8 {
		b, err := cp.Encode(s)
		if err != nil {
			return nil, &mapispi.Error{Code: mapispi.ErrBadValue, Component: "msgfile", Message: "PT_STRING8 value in code page " + cp.String(), Err: err}
		}
		return b, nil
	}
	if i := invalidUTF8(s); i >= 0 {
		return nil, mapispi.Errorf(mapispi.ErrBadValue, "msgfile", "byte %d of the PT_UNICODE value is not UTF-8", i)
	}
	return wire.EncodeUTF16(s), nil
}

// invalidUTF8 returns the offset of the first byte of s that is not part
// of valid UTF-8, or -1.
func invalidUTF8(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				return i
			}
		}
	}
	return -1
}

// encodeFixedMV returns the stream of a fixed-size multi-valued value.
func encodeFixedMV(v any) ([]byte, error) {
	var b []byte
	switch x := v.(type) {
	case []int16:
		for _, n := range x {
			b = le.AppendUint16(b, uint16(n))
		}
	case []int32:
		for _, n := range x {
			b = le.AppendUint32(b, uint32(n))
		}
	case []float32:
		for _, f := range x {
			b = le.AppendUint32(b, math.Float32bits(f))
		}
	case []float64:
		for _, f := range x {
			b = le.AppendUint64(b, math.Float64bits(f))
		}
	case []int64:
		for _, n := range x {
			b = le.AppendUint64(b, uint64(n))
		}
	case []time.Time:
		for i, tm := range x {
			ft, ok := wire.ToFiletime(tm)
			if !ok {
				return nil, mapispi.Errorf(mapispi.ErrBadValue, "msgfile", "value %d, %v, is outside the range of a FILETIME", i, tm)
			}
			b = le.AppendUint64(b, ft)
		}
	case []mapispi.UID:
		for _, u := range x {
			b = append(b, u[:]...)
		}
	default:
		return nil, mapispi.Errorf(mapispi.ErrInvalidType, "msgfile", "a %T value has no .msg form", v)
	}
	if b == nil {
		b = []byte{}
	}
	return b, nil
}
