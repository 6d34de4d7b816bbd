package pst

import (
	"encoding/binary"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/mapispi"
)

// This file is the property context (PC) of [MS-PST] 2.3.3: a
// heap-on-node with bClientSig bTypePC whose hidUserRoot is a BTH of
// PC BTH records (2.3.3.3): key wPropId, data wPropType and
// dwValueHnid. A value of at most 4 bytes sits in dwValueHnid; any other
// is at the HNID dwValueHnid names, in the heap or in a subnode
// (2.3.3.2).

// propContext is a node's property context, read for one call: its
// values count against the call's budget.
type propContext struct {
	h   *heapNode
	b   *bth
	cp  codepage.ID // the code page of PT_STRING8 values
	bud *budget
}

// openPC reads node n as a property context whose PT_STRING8 values are
// in code page cp, for a call whose budget is bud.
func openPC(n nodeData, cp codepage.ID, bud *budget) (*propContext, error) {
	h, err := openHeap(n)
	if err != nil {
		return nil, err
	}
	if h.clientSig != hnClientPC {
		return nil, ltpErr(h.nid, "property context: bClientSig is 0x%02X, want bTypePC (0xBC)", h.clientSig)
	}
	b, err := h.openBTH(h.userRoot)
	if err != nil {
		return nil, err
	}
	if b.keySize != 2 || b.entSize != 6 {
		return nil, ltpErr(h.nid, "property context: BTH has cbKey %d and cbEnt %d, want 2 and 6", b.keySize, b.entSize)
	}
	return &propContext{h: h, b: b, cp: cp, bud: bud}, nil
}

// prop returns the value of the property with ID id, and false if the
// PC has none.
func (pc *propContext) prop(id uint16) (mapispi.PropValue, bool, error) {
	var key [2]byte
	binary.LittleEndian.PutUint16(key[:], id)
	data, ok, err := pc.b.lookup(key[:])
	if err != nil || !ok {
		return mapispi.PropValue{}, false, err
	}
	v, err := pc.value(id, data)
	return v, err == nil, err
}

// props returns every property of the PC, in property ID order. Each
// value is decoded once: two properties that reference the same HID or
// subnode are an error (a value is stored for one property), so that a
// small PC cannot decode into many copies of one large value.
func (pc *propContext) props() ([]mapispi.PropValue, error) {
	recs, err := pc.b.records()
	if err != nil {
		return nil, err
	}
	out := make([]mapispi.PropValue, 0, len(recs))
	var seen map[uint32]uint16 // property ID by HNID
	for _, r := range recs {
		id := binary.LittleEndian.Uint16(r.key)
		if hnid, ok := storedAt(r.data); ok {
			if prev, dup := seen[hnid]; dup {
				return nil, ltpErr(pc.h.nid, "property context: properties 0x%04X and 0x%04X both reference %s (a value is stored for one property)", prev, id, hnidName(hnid))
			}
			if seen == nil {
				seen = make(map[uint32]uint16, len(recs))
			}
			seen[hnid] = id
		}
		v, err := pc.value(id, r.data)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// storedAt returns the HNID at which a PC BTH record's data (wPropType,
// dwValueHnid) says its value is stored, and false for a value held in
// the record, a type [MS-PST] does not list, or HNID 0 (an empty value).
func storedAt(data []byte) (uint32, bool) {
	t := mapispi.PropType(binary.LittleEndian.Uint16(data))
	if inlineValue(t) || !knownType(t) {
		return 0, false
	}
	hnid := binary.LittleEndian.Uint32(data[2:])
	return hnid, hnid != 0
}

// tags returns the tags of the PC's properties, in property ID order,
// without decoding their values.
func (pc *propContext) tags() ([]mapispi.PropTag, error) {
	recs, err := pc.b.records()
	if err != nil {
		return nil, err
	}
	out := make([]mapispi.PropTag, len(recs))
	for i, r := range recs {
		out[i] = mapispi.NewPropTag(mapispi.PropType(binary.LittleEndian.Uint16(r.data)), binary.LittleEndian.Uint16(r.key))
	}
	return out, nil
}

// value decodes a PC BTH record's data (wPropType, dwValueHnid).
func (pc *propContext) value(id uint16, data []byte) (mapispi.PropValue, error) {
	t := mapispi.PropType(binary.LittleEndian.Uint16(data))
	tag := mapispi.NewPropTag(t, id)
	dw := data[2:6]
	if inlineValue(t) {
		n, _ := fixedSize(t)
		if err := pc.bud.charge(pc.h.nid, n); err != nil {
			return mapispi.PropValue{}, err
		}
		return decodeValue(pc.h.nid, tag, dw[:n], pc.cp, false)
	}
	if !knownType(t) {
		return decodeValue(pc.h.nid, tag, nil, pc.cp, false) // the error
	}
	return pc.h.storedValue(tag, binary.LittleEndian.Uint32(dw), pc.cp, pc.bud)
}
