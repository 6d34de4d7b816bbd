package spitest

import (
	"slices"
	"strings"

	"github.com/mapiemu/mapiemu/mapispi"
)

// spitestSet is the property set of the kit's own named properties.
var spitestSet = mapispi.MustParseUID("{5F9C2A61-3B7E-4E0D-9A41-7D2C58E1B0F3}")

// kitNames are names a fresh store has not mapped.
func kitNames(c string) []mapispi.PropName {
	return []mapispi.PropName{
		{Set: mapispi.PSPublicStrings, Kind: mapispi.NameString, Name: "spitest " + c},
		{Set: spitestSet, Kind: mapispi.NameID, ID: 0x1234},
	}
}

// sameName compares names: string names without regard to case, which a
// store may keep either way.
func sameName(a, b mapispi.PropName) bool {
	if a.Set != b.Set || a.Kind != b.Kind {
		return false
	}
	if a.Kind == mapispi.NameString {
		return strings.EqualFold(a.Name, b.Name)
	}
	return a.ID == b.ID
}

func checkNamedProps(e *env) {
	s := e.session(1, sessOpts{})
	l := e.mustLogon(s, 0, rw)
	mask := e.supportMask(l.st)
	root := e.openFolder(l.st, "nil", nil, 0)
	np, ok := root.(mapispi.NamedProps)
	if !ok {
		e.skipf("the store's folders (%T) do not implement mapispi.NamedProps: it has no named properties", root)
	}
	names := kitNames(e.c.name)
	psMAPI := mapispi.PropName{Set: mapispi.PSMAPI, Kind: mapispi.NameID, ID: uint32(mapispi.PropSubject.ID())}
	ids := func(what string, np mapispi.NamedProps, names []mapispi.PropName, create bool) []uint16 {
		got, err := np.IDsFromNames(e.ctx, slices.Clone(names), create)
		if err != nil {
			e.fatalf("%s: IDsFromNames(%v, %v): %v", what, names, create, err)
		}
		if len(got) != len(names) {
			e.fatalf("%s: IDsFromNames(%v, %v) returned %d IDs, want one per name", what, names, create, len(got))
		}
		return got
	}

	// Read only ("IMAPIProp::GetIDsFromNames"): no names is
	// ErrInvalidParameter; without MAPI_CREATE an unmapped name is
	// PROP_ID_NULL; a PS_MAPI name is its own ID.
	if got, err := np.IDsFromNames(e.ctx, []mapispi.PropName{}, false); !isCode(err, mapispi.ErrInvalidParameter) {
		e.errorf("IDsFromNames(no names, false) = %v, %v; want ErrInvalidParameter", got, err)
	}
	if got := ids("the root folder", np, names, false); slices.ContainsFunc(got, func(id uint16) bool { return id != 0 }) {
		e.errorf("IDsFromNames(%v, false), names the store never mapped = %#04x, want PROP_ID_NULL (0) for each", names, got)
	}
	if got := ids("the root folder", np, []mapispi.PropName{psMAPI}, false); got[0] != mapispi.PropSubject.ID() {
		e.errorf("IDsFromNames(%v, false) = %#04x, want %#04x: a PS_MAPI name stands for the property with its number", psMAPI, got[0], mapispi.PropSubject.ID())
	}

	e.needWrite(mask)
	// With MAPI_CREATE each name gets an ID of the named range, for good,
	// the same for every object of the store (mapispi.NamedProps).
	made := ids("the root folder", np, names, true)
	for i, id := range made {
		if id < mapispi.NamedPropIDMin || id == 0xFFFF {
			e.errorf("IDsFromNames(%v, true) gave %v the ID %#04x, want one from 0x8000 to 0xFFFE", names, names[i], id)
		}
	}
	if made[0] == made[1] {
		e.errorf("IDsFromNames(%v, true) gave two names the ID %#04x", names, made[0])
	}
	if got := ids("the root folder", np, names, false); !slices.Equal(got, made) {
		e.errorf("IDsFromNames(%v, false) after MAPI_CREATE = %#04x, want the IDs it gave %#04x", names, got, made)
	}
	if got := ids("the root folder", np, names, true); !slices.Equal(got, made) {
		e.errorf("IDsFromNames(%v, true) a second time = %#04x, want the same IDs %#04x", names, got, made)
	}
	if got := ids("the root folder", np, []mapispi.PropName{names[1], psMAPI, names[0]}, false); !slices.Equal(got, []uint16{made[1], mapispi.PropSubject.ID(), made[0]}) {
		e.errorf("IDsFromNames in another order = %#04x, want %#04x", got, []uint16{made[1], mapispi.PropSubject.ID(), made[0]})
	}
	back, _, err := np.NamesFromIDs(e.ctx, slices.Clone(made), nil)
	if err != nil || len(back) != len(made) {
		e.errorf("NamesFromIDs(%#04x) = %v, %v; want the %d names", made, back, err, len(made))
	} else {
		for i := range made {
			if !sameName(back[i], names[i]) {
				e.errorf("NamesFromIDs(%#04x) gave %v for ID %#04x, want %v", made, back[i], made[i], names[i])
			}
		}
	}
	set := mapispi.PSPublicStrings
	all, mapped, err := np.NamesFromIDs(e.ctx, nil, &set)
	if i := slices.IndexFunc(all, func(n mapispi.PropName) bool { return sameName(n, names[0]) }); err != nil || i < 0 || i >= len(mapped) || mapped[i] != made[0] {
		e.errorf("NamesFromIDs(nil, PS_PUBLIC_STRINGS) = %v, %#04x, %v; want %v listed with ID %#04x", all, mapped, err, names[0], made[0])
	}

	// Other objects of the store share the map: a message, the store, a
	// folder of another logon.
	w := e.workFolder(l.st)
	tag := mapispi.NewPropTag(mapispi.PtUnicode, made[0])
	m, id := e.message(w.f, 0, 0, mapispi.PropValue{Tag: tag, Value: "named value"})
	if mnp, ok := m.(mapispi.NamedProps); ok {
		if got := ids("a message", mnp, names, false); !slices.Equal(got, made) {
			e.errorf("a message's IDsFromNames(%v, false) = %#04x, want the store's %#04x", names, got, made)
		}
	}
	if snp, ok := l.st.(mapispi.NamedProps); ok {
		if got := ids("the store", snp, names, false); !slices.Equal(got, made) {
			e.errorf("the store's IDsFromNames(%v, false) = %#04x, want the IDs its folder gave %#04x", names, got, made)
		}
	}
	r := e.openMessage(l.st, "the message", id, 0)
	if v := e.prop("the message", r, tag); v.Tag != tag || v.Value != "named value" {
		e.errorf("a message saved with named property %v = \"named value\" has %v", tag, v)
	}
	// And through a logon of another session (a reopen of the same
	// MsgStore, when the provider object is shared, proves nothing and
	// costs nothing).
	s2 := e.session(1, sessOpts{})
	l2, err := e.logon(s2, 0, rw)
	if err != nil {
		e.fatalf("precondition: Logon(%v) in a second session: %v", rw, err)
	}
	root2 := e.openFolder(l2.st, "nil", nil, 0)
	if np2, ok := root2.(mapispi.NamedProps); ok {
		if got := ids("the root folder through another session's logon", np2, names, false); !slices.Equal(got, made) {
			e.errorf("through another session's logon IDsFromNames(%v, false) = %#04x, want %#04x: the map is the store's", names, got, made)
		}
	} else {
		e.errorf("a folder of another logon (%T) does not implement mapispi.NamedProps, the first logon's does", root2)
	}
}
