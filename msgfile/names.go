package msgfile

import (
	"fmt"
	"math"

	"github.com/mapiemu/mapiemu/internal/wire"
	"github.com/mapiemu/mapiemu/mapispi"
)

// The named property mapping storage ([MS-OXMSG] 2.2.3).

const (
	nameidStorage    = "__nameid_version1.0"
	guidStreamName   = "__substg1.0_00020102" // 2.2.3.1.1: GUIDs of property sets
	entryStreamName  = "__substg1.0_00030102" // 2.2.3.1.2: one 8-byte entry per name
	stringStreamName = "__substg1.0_00040102" // 2.2.3.1.3: string names

	// GUID indexes of the entry stream's "Index and Kind Information":
	// 1 and 2 stand for two sets without a GUID stream entry; 3 and up
	// index the GUID stream.
	guidIndexMAPI   = 1
	guidIndexPublic = 2
	guidIndexFirst  = 3
	maxGUIDIndex    = 0x7FFF // 15 bits

	// maxNames is the number of property IDs of the named range,
	// 0x8000 through 0xFFFE.
	maxNames = 0xFFFF - int(mapispi.NamedPropIDMin)

	mappingStreams = 0x1F // 2.2.3.2: streams 0x1000 through 0x101E
)

// decodeNames reads the named property map from the root storage. A file
// without the mapping storage has no named properties; a missing stream
// inside it reads as empty.
func decodeNames(root *tree) (*nameMap, error) {
	s, ok := root.storage(nameidStorage)
	if !ok {
		return &nameMap{}, nil
	}
	guids, _ := s.stream(guidStreamName)
	entries, _ := s.stream(entryStreamName)
	strs, _ := s.stream(stringStreamName)
	gp, ep, sp := join(nameidStorage, guidStreamName), join(nameidStorage, entryStreamName), join(nameidStorage, stringStreamName)
	if len(guids)%16 != 0 {
		return nil, formatErr(gp, -1, "%d bytes, not a whole number of 16-byte GUIDs", len(guids))
	}
	if len(entries)%8 != 0 {
		return nil, formatErr(ep, -1, "%d bytes, not a whole number of 8-byte entries", len(entries))
	}
	n := len(entries) / 8
	if n > maxNames {
		return nil, formatErr(ep, -1, "%d entries, more than the %d IDs of the named range", n, maxNames)
	}
	names := make([]mapispi.PropName, n)
	seen := make([]int, n) // 1 + the offset of the entry of each property index
	for i := range n {
		off := 8 * i
		id, info := le.Uint32(entries[off:]), le.Uint32(entries[off+4:])
		kind, gi, pi := info&1, info>>1&maxGUIDIndex, int(info>>16)
		switch {
		case pi >= n:
			return nil, formatErr(ep, int64(off), "property index %d, want less than %d, the number of entries", pi, n)
		case seen[pi] != 0:
			return nil, formatErr(ep, int64(off), "property index %d again, as at offset %d", pi, seen[pi]-1)
		}
		seen[pi] = off + 1
		var name mapispi.PropName
		switch {
		case gi == guidIndexMAPI:
			name.Set = mapispi.PSMAPI
		case gi == guidIndexPublic:
			name.Set = mapispi.PSPublicStrings
		case gi >= guidIndexFirst && int(gi-guidIndexFirst) < len(guids)/16:
			name.Set = mapispi.UID(guids[16*(gi-guidIndexFirst):])
		case len(guids) == 0:
			return nil, formatErr(ep, int64(off), "GUID index %d, want %d (PS_MAPI) or %d (PS_PUBLIC_STRINGS): %s holds no GUIDs", gi, guidIndexMAPI, guidIndexPublic, guidStreamName)
		default:
			return nil, formatErr(ep, int64(off), "GUID index %d, want %d (PS_MAPI), %d (PS_PUBLIC_STRINGS) or %d to %d, the %d GUIDs of %s",
				gi, guidIndexMAPI, guidIndexPublic, guidIndexFirst, guidIndexFirst+len(guids)/16-1, len(guids)/16, guidStreamName)
		}
		if kind == 0 {
			name.Kind, name.ID = mapispi.NameID, id
		} else {
			if uint64(id)+4 > uint64(len(strs)) {
				if len(strs) < 4 {
					return nil, formatErr(ep, int64(off), "string offset %d, but the %d-byte string stream holds no name", id, len(strs))
				}
				return nil, formatErr(ep, int64(off), "string offset %d, want at most %d for the %d-byte string stream", id, len(strs)-4, len(strs))
			}
			l := le.Uint32(strs[id:])
			switch {
			case uint64(id)+4+uint64(l) > uint64(len(strs)):
				return nil, formatErr(sp, int64(id), "name length %d runs past the stream's %d bytes", l, len(strs))
			case l%2 != 0:
				return nil, formatErr(sp, int64(id), "name length %d is odd, not whole UTF-16 code units", l)
			}
			name.Kind, name.Name = mapispi.NameString, wire.DecodeUTF16(strs[id+4:id+4+l])
		}
		names[pi] = name
	}
	return &nameMap{names: names}, nil
}

// encodeNames returns the named property mapping storage of nm: the GUID,
// entry and string streams, and the property-name-to-ID mapping streams
// (always the first three, even when empty).
func encodeNames(nm *nameMap) (*tree, error) {
	t := newTree()
	var names []mapispi.PropName
	if nm != nil {
		names = nm.names
	}
	if len(names) > maxNames {
		return nil, fmt.Errorf("msgfile: writing %s: %w", nameidStorage,
			mapispi.Errorf(mapispi.ErrBadValue, "msgfile", "%d named properties, more than the %d IDs of the named range", len(names), maxNames))
	}
	guids, entries, strs := []byte{}, []byte{}, []byte{}
	index := map[mapispi.UID]uint32{}
	mapping := map[uint32][]byte{}
	for i, n := range names {
		var gi uint32
		switch n.Set {
		case mapispi.PSMAPI:
			gi = guidIndexMAPI
		case mapispi.PSPublicStrings:
			gi = guidIndexPublic
		default:
			var ok bool
			if gi, ok = index[n.Set]; !ok {
				gi = guidIndexFirst + uint32(len(index))
				index[n.Set] = gi
				guids = append(guids, n.Set[:]...)
			}
		}
		// gi stays within 15 bits: at most maxNames sets plus 3.
		var id, kind uint32
		switch n.Kind {
		case mapispi.NameID:
			id = n.ID
			entries = le.AppendUint32(entries, n.ID)
		case mapispi.NameString:
			if j := invalidUTF8(n.Name); j >= 0 {
				return nil, nameErr(i, n, fmt.Sprintf("byte %d of the name is not UTF-8", j))
			}
			kind = 1
			for len(strs)%4 != 0 {
				strs = append(strs, 0) // each entry starts on a 4-byte boundary
			}
			units := wire.UTF16Len(n.Name)
			if 2*uint64(units) > math.MaxUint32 || uint64(len(strs)) > math.MaxUint32 {
				return nil, nameErr(i, n, "the names are too long for a .msg file")
			}
			entries = le.AppendUint32(entries, uint32(len(strs)))
			strs = le.AppendUint32(strs, uint32(2*units))
			start := len(strs)
			strs = wire.AppendUTF16(strs, n.Name)
			// [MS-OXMSG] 2.2.3.2.2: a string name's ID in the mapping
			// streams is the CRC-32 of its UTF-16LE bytes.
			id = wire.CRC32(strs[start:])
		default:
			return nil, nameErr(i, n, fmt.Sprintf("kind %d, want MNID_ID (%d) or MNID_STRING (%d)", n.Kind, mapispi.NameID, mapispi.NameString))
		}
		info := uint32(i)<<16 | gi<<1 | kind
		entries = le.AppendUint32(entries, info)
		sid := 0x1000 + (id^(gi<<1|kind))%mappingStreams
		mapping[sid] = le.AppendUint32(le.AppendUint32(mapping[sid], id), info)
	}
	t.streams[guidStreamName] = guids
	t.streams[entryStreamName] = entries
	t.streams[stringStreamName] = strs
	for sid, b := range mapping {
		t.streams[fmt.Sprintf("%s%04X0102", substgPrefix, sid)] = b
	}
	return t, nil
}

func nameErr(i int, n mapispi.PropName, reason string) error {
	return fmt.Errorf("msgfile: writing named property 0x%04X (%v): %w", int(mapispi.NamedPropIDMin)+i, n,
		mapispi.Errorf(mapispi.ErrBadValue, "msgfile", "%s", reason))
}
