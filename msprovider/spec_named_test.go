package msprovider_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msprovider"
)

func specStringName(set mapispi.UID, name string) mapispi.PropName {
	return mapispi.PropName{Set: set, Kind: mapispi.NameString, Name: name}
}

func specIDName(set mapispi.UID, id uint32) mapispi.PropName {
	return mapispi.PropName{Set: set, Kind: mapispi.NameID, ID: id}
}

// TestNamedPropertyIDs: named properties [D imapiprop-getidsfromnames;
// mapispi.NamedProps; msprovider named.go]. MAPI_CREATE gives IDs from
// 0x8000 up; a name keeps its ID; every object of the store (store,
// folder, message, attachment) shares one map; without MAPI_CREATE an
// unmapped name is PROP_ID_NULL and no error; string names compare
// without regard to case within a set, not across sets; a PS_MAPI name
// stands for the property of that ID; GetNamesFromIDs gives the names
// back; the ID carries a value on a message.
func TestNamedPropertyIDs(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	msg := specCreate(t, inbox, 0)
	att, _, err := msg.CreateAttach(bg, 0)
	require.NoError(t, err)
	defer att.Close(bg)

	keywords := specStringName(mapispi.PSPublicStrings, "Keywords")
	reminder := specIDName(mapispi.PSETIDCommon, 0x8503)
	other := specStringName(mapispi.PSETIDCommon, "Keywords")
	ids, err := msg.IDsFromNames(bg, []mapispi.PropName{keywords, reminder}, false)
	require.NoError(t, err, "GetIDsFromNames(unmapped, no MAPI_CREATE)")
	assert.Equal(t, []uint16{0, 0}, ids, "IDs of unmapped names without MAPI_CREATE, want PROP_ID_NULL")

	ids, err = msg.IDsFromNames(bg, []mapispi.PropName{keywords, reminder, keywords}, true)
	require.NoError(t, err, "GetIDsFromNames(MAPI_CREATE)")
	require.Len(t, ids, 3)
	for i, id := range ids {
		assert.GreaterOrEqual(t, id, mapispi.NamedPropIDMin, "ID %d from MAPI_CREATE", i)
		assert.Less(t, id, uint16(0xFFFF), "ID %d from MAPI_CREATE", i)
	}
	assert.NotEqual(t, ids[0], ids[1], "two names, one ID")
	assert.Equal(t, ids[0], ids[2], "one name twice in a call, two IDs")
	kwID, remID := ids[0], ids[1]

	check := func(what string, got []uint16, err error) {
		t.Helper()
		if assert.NoError(t, err, "%s: GetIDsFromNames", what) {
			assert.Equal(t, []uint16{kwID, remID}, got, "%s: IDs of the mapped names", what)
		}
	}
	got, err := m.store.IDsFromNames(bg, []mapispi.PropName{keywords, reminder}, false)
	check("store", got, err)
	got, err = inbox.IDsFromNames(bg, []mapispi.PropName{keywords, reminder}, true)
	check("folder, MAPI_CREATE again", got, err)
	got, err = att.IDsFromNames(bg, []mapispi.PropName{keywords, reminder}, false)
	check("attachment", got, err)
	other2 := specCreate(t, inbox, 0)
	got, err = other2.IDsFromNames(bg, []mapispi.PropName{keywords, reminder}, false)
	check("another message", got, err)

	got, err = msg.IDsFromNames(bg, []mapispi.PropName{specStringName(mapispi.PSPublicStrings, "KEYWORDS"), other}, true)
	require.NoError(t, err)
	assert.Equal(t, kwID, got[0], "ID of the name in capitals, want the same ID (case-insensitive)")
	assert.NotEqual(t, kwID, got[1], "ID of the same string in another property set")

	got, err = msg.IDsFromNames(bg, []mapispi.PropName{specIDName(mapispi.PSMAPI, uint32(mapispi.PropSubject.ID()))}, false)
	require.NoError(t, err)
	assert.Equal(t, []uint16{mapispi.PropSubject.ID()}, got, "ID of PS_MAPI's name for PR_SUBJECT")

	names, mapped, err := inbox.NamesFromIDs(bg, []uint16{remID, kwID, 0x9FFE}, nil)
	require.NoError(t, err, "GetNamesFromIDs")
	require.Len(t, names, 3)
	assert.Equal(t, reminder, names[0], "name of the MNID_ID property's ID")
	assert.Equal(t, mapispi.NameString, names[1].Kind)
	assert.Equal(t, mapispi.PSPublicStrings, names[1].Set)
	assert.Equal(t, "keywords", strings.ToLower(names[1].Name), "name of the MNID_STRING property's ID")
	assert.Equal(t, []uint16{remID, kwID, 0}, mapped, "which IDs are mapped")

	tag := mapispi.NewPropTag(mapispi.PtUnicode|mapispi.MVFlag, kwID)
	_, err = msg.SetProps(bg, []mapispi.PropValue{{Tag: tag, Value: []string{"red", "blue"}}})
	require.NoError(t, err)
	require.NoError(t, msg.SaveChanges(bg, 0))
	stored := specOpenMsg(t, m.store, specID(t, msg), 0)
	assert.Equal(t, []string{"red", "blue"}, specGet(t, stored, tag).Value, "the named property's value, stored")

	_, err = msg.IDsFromNames(bg, []mapispi.PropName{}, true)
	specCode(t, err, mapispi.ErrInvalidParameter, "GetIDsFromNames(no names)")
}

// TestNamedPropertiesAcrossSessions: the map is the store's, for every
// session over its Backend: a name another session mapped has the same ID
// here, without MAPI_CREATE.
func TestNamedPropertiesAcrossSessions(t *testing.T) {
	w := newSpecWorld(t, nil)
	a, b := w.logon(t, mapispi.LogonWrite), w.logon(t, mapispi.LogonWrite)
	names := []mapispi.PropName{specStringName(mapispi.PSPublicStrings, "Shared"), specIDName(mapispi.PSETIDAddress, 0x8005)}
	ids, err := a.store.IDsFromNames(bg, names, true)
	require.NoError(t, err)
	got, err := b.store.IDsFromNames(bg, names, false)
	require.NoError(t, err)
	assert.Equal(t, ids, got, "IDs another session's MAPI_CREATE gave")
	// A later logon too.
	c := w.logon(t, 0)
	got, err = specInbox(t, w.logon(t, mapispi.LogonWrite)).IDsFromNames(bg, names, false)
	require.NoError(t, err)
	assert.Equal(t, ids, got, "IDs in a later session")
	got, err = c.store.IDsFromNames(bg, names, false)
	require.NoError(t, err)
	assert.Equal(t, ids, got, "IDs in a read-only session")
}

// TestNamedPropertiesReadOnlyStore: a read-only store
// (StoreOptions.ReadOnly) refuses MAPI_CREATE with MAPI_E_NO_ACCESS and
// maps nothing; lookups without it work (msprovider Store.IDsFromNames).
func TestNamedPropertiesReadOnlyStore(t *testing.T) {
	m := newSpecWorld(t, &msprovider.StoreOptions{ReadOnly: true}).logon(t, mapispi.LogonWrite)
	names := []mapispi.PropName{specStringName(mapispi.PSPublicStrings, "Nope")}
	_, err := m.store.IDsFromNames(bg, names, true)
	specCode(t, err, mapispi.ErrNoAccess, "GetIDsFromNames(MAPI_CREATE) on a read-only store")
	ids, err := m.store.IDsFromNames(bg, names, false)
	require.NoError(t, err)
	assert.Equal(t, []uint16{0}, ids, "ID after the refused MAPI_CREATE")
}

// TestReadOnlyLogonRefusesNamedPropertyCreate: a logon without MDB_WRITE
// refuses every change (the brief's rule for read-only logons, as
// StoreOptions.ReadOnly stores do for MAPI_CREATE): a new name-to-ID
// mapping, which the store keeps for good, is MAPI_E_NO_ACCESS, and the
// name stays unmapped; a writable logon of the same store can map it.
func TestReadOnlyLogonRefusesNamedPropertyCreate(t *testing.T) {
	w := newSpecWorld(t, nil)
	reader := w.logon(t, 0)
	names := []mapispi.PropName{specStringName(mapispi.PSPublicStrings, "ReaderMade")}
	_, err := reader.store.IDsFromNames(bg, names, true)
	specCode(t, err, mapispi.ErrNoAccess, "GetIDsFromNames(MAPI_CREATE) through a read-only logon")
	writer := w.logon(t, mapispi.LogonWrite)
	ids, err := writer.store.IDsFromNames(bg, names, false)
	require.NoError(t, err)
	assert.Equal(t, []uint16{0}, ids, "the name after the read-only logon's MAPI_CREATE, want unmapped")
}
