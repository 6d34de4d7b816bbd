package msprovider

import (
	"context"
	"strings"

	"github.com/mapiemu/mapiemu/mapispi"
)

// namedMap is a store's map between named properties and the IDs from
// 0x8000 up that stand for them: names[i] has ID 0x8000+i. String names
// compare without regard to case within a property set, as
// GetIDsFromNames does in Exchange's stores ([MS-OXCPRPT] 3.2.5.8
// leaves the case rule to the server; Outlook relies on it).
type namedMap struct {
	names []mapispi.PropName
	ids   map[nameKey]uint16
}

// nameKey is the map key of a name.
type nameKey struct {
	set  mapispi.UID
	kind mapispi.NameKind
	id   uint32
	name string // lower-cased
}

func keyOf(n mapispi.PropName) nameKey {
	k := nameKey{set: n.Set, kind: n.Kind}
	if n.Kind == mapispi.NameString {
		k.name = strings.ToLower(n.Name)
	} else {
		k.id = n.ID
	}
	return k
}

// maxNamed is how many names a store can map: IDs 0x8000 to 0xFFFE.
const maxNamed = 0xFFFF - int(mapispi.NamedPropIDMin)

func (m *namedMap) load(names []mapispi.PropName) {
	m.names = nil
	m.ids = map[nameKey]uint16{}
	for _, n := range names {
		if len(m.names) == maxNamed {
			break
		}
		k := keyOf(n)
		if _, dup := m.ids[k]; !dup {
			m.ids[k] = mapispi.NamedPropIDMin + uint16(len(m.names))
		}
		m.names = append(m.names, n)
	}
}

func checkName(n mapispi.PropName) error {
	switch {
	case n.Kind != mapispi.NameID && n.Kind != mapispi.NameString:
		return mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "GetIDsFromNames: name %v has kind %d, not MNID_ID or MNID_STRING", n, n.Kind)
	case n.Kind == mapispi.NameString && n.Name == "":
		return mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "GetIDsFromNames: an empty MNID_STRING name in %v", n.Set)
	case n.Set == mapispi.PSMAPI && (n.Kind != mapispi.NameID || n.ID == 0 || n.ID >= uint32(mapispi.NamedPropIDMin)):
		return mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "GetIDsFromNames: a PS_MAPI name must be the MNID_ID of a property below 0x8000, not %v", n)
	}
	return nil
}

// idsFromNames is IDsFromNames on the store's map (e.mu held). New names
// are committed to a Writer storage at once: a mapping, once given, is
// the store's for good.
func (e *engine) idsFromNames(ctx context.Context, names []mapispi.PropName, create bool) ([]uint16, error) {
	if len(names) == 0 {
		return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "GetIDsFromNames: no names")
	}
	for _, n := range names {
		if err := checkName(n); err != nil {
			return nil, err
		}
	}
	if e.named.ids == nil {
		e.named.ids = map[nameKey]uint16{}
	}
	out := make([]uint16, len(names))
	var added []mapispi.PropName
	pending := map[nameKey]uint16{}
	for i, n := range names {
		if n.Set == mapispi.PSMAPI {
			out[i] = uint16(n.ID)
			continue
		}
		k := keyOf(n)
		if id, ok := e.named.ids[k]; ok {
			out[i] = id
			continue
		}
		if id, ok := pending[k]; ok {
			out[i] = id
			continue
		}
		if !create {
			continue // PROP_ID_NULL
		}
		if len(e.named.names)+len(added) >= maxNamed {
			return nil, mapispi.Errorf(mapispi.ErrNotEnoughMemory, "msprovider", "GetIDsFromNames: the store's %d named property IDs are all in use", maxNamed)
		}
		id := mapispi.NamedPropIDMin + uint16(len(e.named.names)+len(added))
		pending[k] = id
		out[i] = id
		added = append(added, n)
	}
	if len(added) > 0 {
		if e.w != nil {
			if err := e.commit(ctx, &Commit{Names: added}); err != nil {
				return nil, err
			}
		}
		for _, n := range added {
			e.named.ids[keyOf(n)] = mapispi.NamedPropIDMin + uint16(len(e.named.names))
			e.named.names = append(e.named.names, n)
		}
	}
	return out, nil
}

// namesFromIDs is NamesFromIDs on the store's map (e.mu held).
func (e *engine) namesFromIDs(ids []uint16, set *mapispi.UID) ([]mapispi.PropName, []uint16, error) {
	if ids == nil {
		var names []mapispi.PropName
		var mapped []uint16
		for i, n := range e.named.names {
			if set == nil || n.Set == *set {
				names = append(names, n)
				mapped = append(mapped, mapispi.NamedPropIDMin+uint16(i))
			}
		}
		return names, mapped, nil
	}
	if len(ids) == 0 {
		return nil, nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "GetNamesFromIDs: an empty ID list")
	}
	names := make([]mapispi.PropName, len(ids))
	mapped := make([]uint16, len(ids))
	for i, id := range ids {
		switch {
		case id < mapispi.NamedPropIDMin:
			names[i] = mapispi.PropName{Set: mapispi.PSMAPI, Kind: mapispi.NameID, ID: uint32(id)}
			mapped[i] = id
		case int(id-mapispi.NamedPropIDMin) < len(e.named.names):
			n := e.named.names[id-mapispi.NamedPropIDMin]
			if set == nil || n.Set == *set {
				names[i], mapped[i] = n, id
			}
		}
	}
	return names, mapped, nil
}
