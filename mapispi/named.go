package mapispi

import (
	"context"
	"fmt"
)

// PropName is the Go form of MAPINAMEID: the name of a named property, a
// property set and, within it, a number (MNID_ID) or a string
// (MNID_STRING). Kind says which of ID and Name is the name.
type PropName struct {
	Set  UID
	Kind NameKind
	ID   uint32 // for NameID
	Name string // for NameString
}

// NameKind is the Go form of MAPINAMEID's ulKind.
type NameKind uint32

// Name kinds, from MAPIDefS.h.
const (
	NameID     NameKind = 0 // MNID_ID: the name is a 32-bit number
	NameString NameKind = 1 // MNID_STRING: the name is a Unicode string
)

// String returns the name as "{set}:0x8501" or "{set}:\"Keywords\"".
func (n PropName) String() string {
	if n.Kind == NameString {
		return fmt.Sprintf("%v:%q", n.Set, n.Name)
	}
	return fmt.Sprintf("%v:0x%X", n.Set, n.ID)
}

// The property sets of named properties that Outlook data uses, from the
// "Commonly Used Property Sets" table of [MS-OXPROPS] 1.3.2 (and the MAPI
// reference page of that name). PSMAPI is reserved: its names stand for
// properties below the named range.
var (
	PSPublicStrings        = MustParseUID("{00020329-0000-0000-C000-000000000046}") // PS_PUBLIC_STRINGS
	PSMAPI                 = MustParseUID("{00020328-0000-0000-C000-000000000046}") // PS_MAPI
	PSInternetHeaders      = MustParseUID("{00020386-0000-0000-C000-000000000046}") // PS_INTERNET_HEADERS
	PSETIDCommon           = MustParseUID("{00062008-0000-0000-C000-000000000046}") // PSETID_Common
	PSETIDAddress          = MustParseUID("{00062004-0000-0000-C000-000000000046}") // PSETID_Address
	PSETIDAppointment      = MustParseUID("{00062002-0000-0000-C000-000000000046}") // PSETID_Appointment
	PSETIDMeeting          = MustParseUID("{6ED8DA90-450B-101B-98DA-00AA003F1305}") // PSETID_Meeting
	PSETIDLog              = MustParseUID("{0006200A-0000-0000-C000-000000000046}") // PSETID_Log
	PSETIDMessaging        = MustParseUID("{41F28F13-83F4-4114-A584-EEDB5A6B0BFF}") // PSETID_Messaging
	PSETIDNote             = MustParseUID("{0006200E-0000-0000-C000-000000000046}") // PSETID_Note
	PSETIDPostRss          = MustParseUID("{00062041-0000-0000-C000-000000000046}") // PSETID_PostRss
	PSETIDTask             = MustParseUID("{00062003-0000-0000-C000-000000000046}") // PSETID_Task
	PSETIDUnifiedMessaging = MustParseUID("{4442858E-A9E3-4E80-B900-317A210CC15B}") // PSETID_UnifiedMessaging
	PSETIDAirSync          = MustParseUID("{71035549-0739-4DCB-9163-00F0580DBBDF}") // PSETID_AirSync
	PSETIDSharing          = MustParseUID("{00062040-0000-0000-C000-000000000046}") // PSETID_Sharing
)

// NamedPropIDMin is the first property ID of the named range (0x8000);
// IDs from there to 0xFFFE are named properties of the store that maps
// them.
const NamedPropIDMin uint16 = 0x8000

// NamedProps is the Go form of IMAPIProp::GetIDsFromNames and
// GetNamesFromIDs: the map between named properties and the IDs from
// NamedPropIDMin up that stand for them in one store. The map is the
// store's: every object of the store shares it, and an ID, once given,
// names the same property for the store's life. The objects of a store
// with named properties implement it; for a store without, the host
// answers ErrNoSupport.
type NamedProps interface {
	// IDsFromNames is IMAPIProp::GetIDsFromNames: the ID of each name, in
	// order. With create (MAPI_CREATE) a name not yet mapped gets the next
	// free ID; without, its ID is 0 (PROP_ID_NULL) and the error is nil. A
	// name in PSMAPI stands for the property whose ID is its number, below
	// the named range. An empty names is ErrInvalidParameter.
	IDsFromNames(ctx context.Context, names []PropName, create bool) ([]uint16, error)

	// NamesFromIDs is IMAPIProp::GetNamesFromIDs: the name of each ID of
	// ids, in order, and mapped[i] is ids[i], or 0 (and names[i] the zero
	// PropName) for an ID nothing is mapped to or whose name is not in
	// property set set, when set is not nil. An ID below NamedPropIDMin
	// is its own PSMAPI name. With nil ids it lists every mapping of the
	// store (of property set set, when set is not nil), and mapped says
	// which ID each name has.
	NamesFromIDs(ctx context.Context, ids []uint16, set *UID) (names []PropName, mapped []uint16, err error)
}
