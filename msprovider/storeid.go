package msprovider

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
)

// ProviderUID is the provider's fixed MAPIUID: its PR_MDB_PROVIDER, and
// the mark at bytes 24..39 of every unwrapped store entry ID it issues,
// by which CompareStoreIDs knows its own IDs. It is not registered with
// SetProviderUID: each store registers a UID of its own, which every
// entry ID of the store carries at bytes 4..19.
var ProviderUID = mapispi.MustParseUID("{5A3E1D9C-7B21-4C0E-9F4A-2D6B8E1C3A70}")

// DLLName is the provider's DLL name as MAPI's profile knows it
// (PR_PROVIDER_DLL_NAME); hosts put it in wrapped store entry IDs.
const DLLName = "msprovider.dll"

// Store entry ID layout (unwrapped), all integers little-endian:
//
//	offset size field
//	0      4    abFlags (any value; ignored for identity)
//	4      16   the store's UID: its PR_RECORD_KEY, and the UID its
//	            logons register with SetProviderUID
//	20     2    version = 2
//	22     2    reserved = 0
//	24     16   ProviderUID
//
// The length is fixed at 40 bytes. Version 1, with ProviderUID at 4 and
// the store's UID at 24, put one UID in every store's IDs, so MAPI could
// not tell the stores apart when it routed them; its IDs named stores of
// a process that has ended (the backend is in memory) and are refused.
const (
	storeIDVersion = 2
	storeIDLen     = 40
)

// appendStoreID appends the long-term (abFlags zero) entry ID of the store
// with the given UID.
func appendStoreID(b []byte, store mapispi.UID) []byte {
	b = append(b, 0, 0, 0, 0)
	b = append(b, store[:]...)
	b = binary.LittleEndian.AppendUint16(b, storeIDVersion)
	b = append(b, 0, 0)
	return append(b, ProviderUID[:]...)
}

// parseStoreID returns the store UID an unwrapped store entry ID names.
// It does not allocate on success; failures are *mapispi.Error values
// wrapping ErrInvalidEntryID that give the offset and the reason.
func parseStoreID(id []byte) (mapispi.UID, error) {
	switch {
	case id == nil:
		return mapispi.UID{}, invalidID(0, "no entry ID (nil)")
	case len(id) < 20:
		return mapispi.UID{}, invalidID(len(id), "entry ID of %d bytes is too short for flags and a UID", len(id))
	case len(id) >= storeIDLen && mapispi.UID(id[24:40]) != ProviderUID:
		return mapispi.UID{}, invalidID(24, "provider UID %v is not this provider's %v", mapispi.UID(id[24:40]), ProviderUID)
	case len(id) < 22:
		return mapispi.UID{}, invalidID(len(id), "entry ID ends before its version field")
	case binary.LittleEndian.Uint16(id[20:]) != storeIDVersion:
		return mapispi.UID{}, invalidID(20, "unknown store entry ID version %d, want %d", binary.LittleEndian.Uint16(id[20:]), storeIDVersion)
	case len(id) != storeIDLen:
		return mapispi.UID{}, invalidID(min(len(id), storeIDLen), "store entry ID is %d bytes, want %d", len(id), storeIDLen)
	case id[22] != 0 || id[23] != 0:
		return mapispi.UID{}, invalidID(22, "reserved bytes are not zero")
	}
	return mapispi.UID(id[4:20]), nil
}

func invalidID(offset int, format string, args ...any) error {
	return &mapispi.Error{
		Code:      mapispi.ErrInvalidEntryID,
		Component: "msprovider",
		Message:   fmt.Sprintf("malformed store entry ID at offset %d: ", offset) + fmt.Sprintf(format, args...),
		Context:   uint32(offset),
	}
}

// parseAnyStoreID is parseStoreID for an unwrapped or wrapped store entry
// ID (MAPI hands providers either form). It does not allocate on success.
func parseAnyStoreID(id []byte) (mapispi.UID, error) {
	inner, err := unwrap(id)
	if err != nil {
		return mapispi.UID{}, err
	}
	return parseStoreID(inner)
}

// unwrap returns the provider's own store entry ID inside a wrapped one
// (or id itself if it is not wrapped), aliasing id. A malformed wrap is an
// *mapispi.Error like every other malformed ID this provider reports, with
// the parse error as its cause.
func unwrap(id []byte) ([]byte, error) {
	inner, err := entryid.UnwrapView(id)
	if err != nil {
		e := &mapispi.Error{Code: mapispi.ErrInvalidEntryID, Component: "msprovider", Message: "malformed wrapped store entry ID", Err: err}
		var pe *entryid.ParseError
		if errors.As(err, &pe) {
			e.Context = uint32(pe.Offset)
		}
		return nil, e
	}
	return inner, nil
}
