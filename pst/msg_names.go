package pst

import (
	"encoding/binary"
	"errors"
	"maps"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/mapispi"
)

// This file is the name-to-ID map ([MS-PST] 2.4.7): the property
// context of NID_NAME_TO_ID_MAP, whose PidTagNameidStreamEntry holds
// one 8-byte NAMEID per named property (dwPropertyID; N in bit 0 and
// wGuid in bits 1..15 of the next 16 bits; wPropIdx), the property's ID
// being 0x8000 plus wPropIdx. wGuid 1 is PS_MAPI, 2 PS_PUBLIC_STRINGS,
// and from 3 the 16-byte GUIDs of PidTagNameidStreamGuid in order. A
// numeric name (N 0) is dwPropertyID; a string name (N 1) is at offset
// dwPropertyID of PidTagNameidStreamString: a 4-byte length in bytes,
// then UTF-16LE. NAMEIDs may share a string (one offset); strings that
// overlap, taking together more than the stream holds, are damage, so
// that the names decoded stay in proportion to the stream.

// The properties of the name-to-ID map ([MS-PST] 2.4.7).
const (
	propNameidStreamGuid   uint16 = 0x0002
	propNameidStreamEntry  uint16 = 0x0003
	propNameidStreamString uint16 = 0x0004
)

// Names returns the file's name-to-ID map: the name of each named
// property ID (from mapispi.NamedPropIDMin up) the file's objects use.
// A file without a map has no names. The map is the caller's.
func (f *File) Names() (map[uint16]mapispi.PropName, error) {
	m, err := f.names()
	if err != nil {
		return nil, err
	}
	return maps.Clone(m), nil
}

// nameEntryCost is what a name costs in the cache beyond its string: a
// map slot of a uint16 and a mapispi.PropName, and a share of the map's
// overhead.
const nameEntryCost = 64

// names returns the file's name-to-ID map, shared: nobody may modify
// it. The map is read once while the cache holds it, which it does
// when it fits, at a cost of its names' bytes.
func (f *File) names() (map[uint16]mapispi.PropName, error) {
	k := cacheKey{kind: cacheNames}
	if v, _, ok := f.cache.get(k); ok {
		return v.(map[uint16]mapispi.PropName), nil
	}
	m, err := f.readNames()
	if err != nil {
		return nil, err
	}
	size := 0
	for _, n := range m {
		size += nameEntryCost + len(n.Name)
	}
	f.cache.put(k, m, size, 0)
	return m, nil
}

// readNames reads the name-to-ID map from the file.
func (f *File) readNames() (map[uint16]mapispi.PropName, error) {
	n, err := f.node(nidNameToIDMap)
	if errors.Is(err, errNotFound) {
		return map[uint16]mapispi.PropName{}, nil
	}
	if err != nil {
		return nil, err
	}
	pc, err := openPC(n, codepage.Windows1252, f.callBudget())
	if err != nil {
		return nil, err
	}
	return nameMap(pc)
}

// nameMap reads the name-to-ID map's property context pc.
func nameMap(pc *propContext) (map[uint16]mapispi.PropName, error) {
	stream := func(id uint16) ([]byte, error) {
		v, ok, err := pc.prop(id)
		if err != nil || !ok {
			return nil, err
		}
		b, isBin := v.Value.([]byte)
		if !isBin {
			return nil, msgErr(nidNameToIDMap, "name-to-ID map property 0x%04X is a %v, not PT_BINARY", id, v.Tag.Type())
		}
		return b, nil
	}
	guids, err := stream(propNameidStreamGuid)
	if err != nil {
		return nil, err
	}
	entries, err := stream(propNameidStreamEntry)
	if err != nil {
		return nil, err
	}
	strs, err := stream(propNameidStreamString)
	if err != nil {
		return nil, err
	}
	if len(entries)%8 != 0 {
		return nil, msgErr(nidNameToIDMap, "PidTagNameidStreamEntry is %d bytes, not a whole number of 8-byte NAMEIDs", len(entries))
	}
	le := binary.LittleEndian
	out := make(map[uint16]mapispi.PropName, len(entries)/8)
	decoded := map[uint32]string{} // by offset in strs
	taken := uint64(0)             // bytes of strs under the decoded strings
	for i := 0; i < len(entries); i += 8 {
		e := entries[i : i+8]
		prop, guid, idx := le.Uint32(e), le.Uint16(e[4:]), le.Uint16(e[6:])
		bad := func(format string, args ...any) (map[uint16]mapispi.PropName, error) {
			return nil, msgErr(nidNameToIDMap, "NAMEID %d: "+format, append([]any{i / 8}, args...)...)
		}
		if idx > 0xFFFE-mapispi.NamedPropIDMin {
			return bad("wPropIdx 0x%X is past the named range", idx)
		}
		id := mapispi.NamedPropIDMin + idx
		if _, dup := out[id]; dup {
			return bad("property 0x%04X is named twice", id)
		}
		var name mapispi.PropName
		switch w := guid >> 1; w {
		case 0:
			return bad("wGuid is 0 (no property set)")
		case 1:
			name.Set = mapispi.PSMAPI
		case 2:
			name.Set = mapispi.PSPublicStrings
		default:
			off := 16 * (int(w) - 3)
			if off+16 > len(guids) {
				return bad("wGuid %d is past the %d GUIDs of PidTagNameidStreamGuid", w, len(guids)/16)
			}
			name.Set = mapispi.UID(guids[off : off+16])
		}
		if guid&1 == 0 {
			name.Kind, name.ID = mapispi.NameID, prop
		} else {
			if uint64(prop)+4 > uint64(len(strs)) {
				return bad("string offset %d is past the %d bytes of PidTagNameidStreamString", prop, len(strs))
			}
			s, seen := decoded[prop]
			if !seen {
				size := le.Uint32(strs[prop:])
				if uint64(prop)+4+uint64(size) > uint64(len(strs)) {
					return bad("string of %d bytes at offset %d is past the %d bytes of PidTagNameidStreamString", size, prop, len(strs))
				}
				if taken += 4 + uint64(size); taken > uint64(len(strs)) {
					return bad("string at offset %d overlaps others: the strings named so far take more than the %d bytes of PidTagNameidStreamString", prop, len(strs))
				}
				var ok bool
				if s, ok = decodeUnicode(strs[prop+4 : prop+4+size]); !ok {
					return bad("string at offset %d is %d bytes, an odd length for UTF-16", prop, size)
				}
				decoded[prop] = s
			}
			name.Kind, name.Name = mapispi.NameString, s
		}
		out[id] = name
	}
	return out, nil
}
