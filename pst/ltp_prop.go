package pst

import (
	"encoding/binary"
	"math"
	"time"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/internal/wire"
	"github.com/mapiemu/mapiemu/mapispi"
)

// This file decodes the property values the PC and the TC hold
// ([MS-PST] 2.3.3.4 to 2.3.3.5, 2.3.4.4.2), from bytes the PC or the TC
// has already found, into mapispi.PropValue.

// Property types [MS-PST] 2.1.1 lists that mapispi does not name. Their
// values are kept as the raw []byte (which mapispi.PropValue.Check
// rejects, as no MAPI header defines the types).
const (
	ptRestriction mapispi.PropType = 0x00FD // PtypRestriction
	ptRuleAction  mapispi.PropType = 0x00FE // PtypRuleAction
)

// pcObject is the value of a PT_OBJECT property ([MS-PST] 2.3.3.5): the
// subnode that holds the object (an attachment's embedded message or
// OLE storage) and its size.
type pcObject struct {
	NID  NID
	Size uint32
}

// fixedSize returns the size of a fixed-size single value of type t
// ([MS-PST] 2.1.1), and false for a variable-size type.
func fixedSize(t mapispi.PropType) (int, bool) {
	switch t {
	case mapispi.PtNull:
		return 0, true
	case mapispi.PtBoolean:
		return 1, true
	case mapispi.PtI2:
		return 2, true
	case mapispi.PtLong, mapispi.PtR4, mapispi.PtError:
		return 4, true
	case mapispi.PtDouble, mapispi.PtCurrency, mapispi.PtAppTime, mapispi.PtI8, mapispi.PtSysTime:
		return 8, true
	case mapispi.PtCLSID:
		return 16, true
	}
	return 0, false
}

// knownType reports whether [MS-PST] lists t, so that decodeValue can
// decode a value of it.
func knownType(t mapispi.PropType) bool {
	if _, ok := fixedSize(t); ok && t != mapispi.PtNull {
		return true
	}
	if t.IsMultiValued() {
		base := t.Base()
		switch base {
		case mapispi.PtString8, mapispi.PtUnicode, mapispi.PtBinary:
			return true
		case mapispi.PtNull, mapispi.PtBoolean, mapispi.PtError:
			return false // [MS-PST] 2.1.1 lists no multi-valued form
		}
		_, ok := fixedSize(base)
		return ok
	}
	switch t {
	case mapispi.PtNull, mapispi.PtString8, mapispi.PtUnicode, mapispi.PtBinary,
		mapispi.PtSvrEID, mapispi.PtObject, ptRestriction, ptRuleAction:
		return true
	}
	return false
}

// inlineValue reports whether a value of type t sits in the 4 bytes of
// dwValueHnid in a PC ([MS-PST] 2.3.3.3).
func inlineValue(t mapispi.PropType) bool {
	n, ok := fixedSize(t)
	return ok && n <= 4
}

// decodeUnicode decodes the UTF-16LE text b, dropping trailing NULs:
// MAPI strings end at their terminator, which [MS-PST] omits but some
// writers keep. An unpaired surrogate reads as U+FFFD (see
// wire.DecodeUTF16). It reports false, and no text, when b is an odd
// number of bytes, which no UTF-16 value is.
func decodeUnicode(b []byte) (string, bool) {
	if len(b)%2 != 0 {
		return "", false
	}
	return wire.DecodeUTF16(wire.UTF16TrimNUL(b)), true
}

// decodeString8 decodes 8-bit text in code page cp, dropping trailing
// NULs as decodeUnicode does.
func decodeString8(b []byte, cp codepage.ID) (string, error) {
	for len(b) > 0 && b[len(b)-1] == 0 {
		b = b[:len(b)-1]
	}
	return cp.Decode(b)
}

// decodeValue decodes the bytes b of a value of tag. Fixed-size values
// must be exactly their size; variable-size ones are the whole of b.
// Byte slices in the result are copies of b, or when owned (b is the
// caller's to give away) b itself or views of it that do not overlap:
// either way the result's. A
// PT_OBJECT value is the 8-byte (nid, ulSize) structure of [MS-PST]
// 2.3.3.5.
func decodeValue(nid NID, tag mapispi.PropTag, b []byte, cp codepage.ID, owned bool) (mapispi.PropValue, error) {
	t := tag.Type()
	bad := func(format string, args ...any) (mapispi.PropValue, error) {
		e := ltpErr(nid, "property %v (%v): "+format, append([]any{tag, t}, args...)...)
		return mapispi.PropValue{}, e
	}
	if !knownType(t) {
		return bad("a property type [MS-PST] does not list")
	}
	le := binary.LittleEndian
	if n, ok := fixedSize(t); ok {
		if len(b) != n {
			return bad("value is %d bytes, want %d", len(b), n)
		}
		return mapispi.PropValue{Tag: tag, Value: fixedValue(t, b)}, nil
	}
	if t.IsMultiValued() {
		base := t.Base()
		if n, ok := fixedSize(base); ok {
			if len(b)%n != 0 {
				return bad("value is %d bytes, not a whole number of %d-byte values", len(b), n)
			}
			return mapispi.PropValue{Tag: tag, Value: fixedMulti(base, b, n)}, nil
		}
		items, ok := splitMulti(b)
		if !ok {
			return bad("count and offsets of the multi-valued value do not fit its %d bytes", len(b))
		}
		switch base {
		case mapispi.PtBinary:
			return mapispi.PropValue{Tag: tag, Value: binaryItems(items, owned)}, nil
		case mapispi.PtUnicode:
			v := make([]string, len(items))
			for i, it := range items {
				s, ok := decodeUnicode(it)
				if !ok {
					return bad("value %d is %d bytes, an odd length for UTF-16", i, len(it))
				}
				v[i] = s
			}
			return mapispi.PropValue{Tag: tag, Value: v}, nil
		default: // PtString8
			v := make([]string, len(items))
			for i, it := range items {
				s, err := decodeString8(it, cp)
				if err != nil {
					e := ltpErr(nid, "property %v (%v): value %d is not text in code page %v", tag, t, i, cp)
					e.Err = err
					return mapispi.PropValue{}, e
				}
				v[i] = s
			}
			return mapispi.PropValue{Tag: tag, Value: v}, nil
		}
	}
	switch t {
	case mapispi.PtUnicode:
		s, ok := decodeUnicode(b)
		if !ok {
			return bad("value is %d bytes, an odd length for UTF-16", len(b))
		}
		return mapispi.PropValue{Tag: tag, Value: s}, nil
	case mapispi.PtString8:
		s, err := decodeString8(b, cp)
		if err != nil {
			e := ltpErr(nid, "property %v (%v): value is not text in code page %v", tag, t, cp)
			e.Err = err
			return mapispi.PropValue{}, e
		}
		return mapispi.PropValue{Tag: tag, Value: s}, nil
	case mapispi.PtObject:
		if len(b) != 8 {
			return bad("value is %d bytes, want 8 (nid, ulSize)", len(b))
		}
		return mapispi.PropValue{Tag: tag, Value: pcObject{NID: NID(le.Uint32(b)), Size: le.Uint32(b[4:])}}, nil
	}
	// PtBinary, PtSvrEID, PtypRestriction, PtypRuleAction.
	if owned {
		return mapispi.PropValue{Tag: tag, Value: b}, nil
	}
	return mapispi.PropValue{Tag: tag, Value: append([]byte{}, b...)}, nil
}

// binaryItems returns the items of a multi-valued binary value, which
// splitMulti made, as the value's own slices: the items themselves when
// owned (views of a join made for the value, which do not overlap and
// end at their capacity), else copies in one buffer, each ending at its
// capacity so that an append to one cannot reach the next. No items
// are an empty slice, not nil.
func binaryItems(items [][]byte, owned bool) [][]byte {
	if owned && items != nil {
		return items
	}
	v := make([][]byte, len(items))
	n := 0
	for _, it := range items {
		n += len(it)
	}
	buf := make([]byte, 0, n)
	for i, it := range items {
		start := len(buf)
		buf = append(buf, it...)
		v[i] = buf[start:len(buf):len(buf)]
	}
	return v
}

// storedValue decodes the value of tag that the heap's HNID hnid
// stores ([MS-PST] 2.3.3.2: the allocation of a HID, the data of a
// subnode, HNID 0 an empty value), once bud has taken it. A value in
// several blocks of a subnode is joined once, into the result (for
// decodeValue the join is owned), and only when its size is possible
// for its type.
func (h *heapNode) storedValue(tag mapispi.PropTag, hnid uint32, cp codepage.ID, bud *budget) (mapispi.PropValue, error) {
	var one []byte
	var blocks [][]byte // when the value is in more than one block
	switch {
	case hnid == 0:
	case isHID(hnid):
		b, err := h.alloc(hid(hnid))
		if err != nil {
			return mapispi.PropValue{}, err
		}
		one = b
	default:
		bs, err := h.subnodeBlocks(NID(hnid))
		if err != nil {
			return mapispi.PropValue{}, err
		}
		switch len(bs) {
		case 0:
		case 1:
			one = bs[0]
		default:
			blocks = bs
		}
	}
	size := len(one)
	for _, b := range blocks {
		size += len(b)
	}
	if err := bud.charge(h.nid, size); err != nil {
		return mapispi.PropValue{}, err
	}
	if blocks == nil {
		return decodeValue(h.nid, tag, one, cp, false)
	}
	t := tag.Type()
	if want, ok := storedSize(t); ok && size != want {
		return mapispi.PropValue{}, ltpErr(h.nid, "property %v (%v): value is %d bytes in %d blocks, want %d", tag, t, size, len(blocks), want)
	}
	joined := make([]byte, 0, size)
	for _, b := range blocks {
		joined = append(joined, b...)
	}
	return decodeValue(h.nid, tag, joined, cp, true)
}

// storedSize returns the size a value of type t must have, and false
// when values of t have no one size.
func storedSize(t mapispi.PropType) (int, bool) {
	if t == mapispi.PtObject {
		return 8, true // (nid, ulSize)
	}
	return fixedSize(t)
}

// fixedValue decodes a single fixed-size value of type t from b, which
// is exactly its size.
func fixedValue(t mapispi.PropType, b []byte) any {
	le := binary.LittleEndian
	switch t {
	case mapispi.PtBoolean:
		return b[0] != 0
	case mapispi.PtI2:
		return int16(le.Uint16(b))
	case mapispi.PtLong:
		return int32(le.Uint32(b))
	case mapispi.PtR4:
		return math.Float32frombits(le.Uint32(b))
	case mapispi.PtError:
		return mapispi.SCode(le.Uint32(b))
	case mapispi.PtDouble, mapispi.PtAppTime:
		return math.Float64frombits(le.Uint64(b))
	case mapispi.PtCurrency, mapispi.PtI8:
		return int64(le.Uint64(b))
	case mapispi.PtSysTime:
		return wire.FromFiletime(le.Uint64(b))
	case mapispi.PtCLSID:
		return mapispi.UID(b)
	}
	return nil // PtNull
}

// fixedMulti decodes the values of a fixed-size multi-valued property
// ([MS-PST] 2.3.3.4.2: the values one after the other, their count the
// size over the value size).
func fixedMulti(base mapispi.PropType, b []byte, n int) any {
	count := len(b) / n
	switch base {
	case mapispi.PtI2:
		return collect[int16](b, n, count, base)
	case mapispi.PtLong:
		return collect[int32](b, n, count, base)
	case mapispi.PtR4:
		return collect[float32](b, n, count, base)
	case mapispi.PtDouble, mapispi.PtAppTime:
		return collect[float64](b, n, count, base)
	case mapispi.PtCurrency, mapispi.PtI8:
		return collect[int64](b, n, count, base)
	case mapispi.PtSysTime:
		return collect[time.Time](b, n, count, base)
	case mapispi.PtCLSID:
		return collect[mapispi.UID](b, n, count, base)
	}
	return nil // knownType lets no other type through
}

func collect[T any](b []byte, n, count int, base mapispi.PropType) []T {
	out := make([]T, count)
	for i := range out {
		out[i] = fixedValue(base, b[i*n:(i+1)*n]).(T)
	}
	return out
}

// splitMulti splits a variable-size multi-valued value ([MS-PST]
// 2.3.3.4.2: ulCount, rgulDataOffsets[ulCount], the values) into views
// of its items, and false when the count or offsets do not fit.
func splitMulti(b []byte) ([][]byte, bool) {
	if len(b) == 0 {
		return nil, true // no values at all
	}
	if len(b) < 4 {
		return nil, false
	}
	count := binary.LittleEndian.Uint32(b)
	if uint64(count) > uint64(len(b)-4)/4 {
		return nil, false
	}
	n := int(count)
	start, size := uint64(4+4*n), uint64(len(b))
	items := make([][]byte, n)
	for i := range items {
		off, end := uint64(binary.LittleEndian.Uint32(b[4+4*i:])), size
		if i+1 < n {
			end = uint64(binary.LittleEndian.Uint32(b[4+4*(i+1):]))
		}
		if off < start || end < off || end > size {
			return nil, false
		}
		items[i] = b[off:end:end]
	}
	return items, true
}
