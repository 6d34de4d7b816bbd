package mapi_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msprovider"
)

// TestCompareStoreWithOneOff: a wrapped store ID and a one-off recipient
// ID name different objects of different providers: false, no error (the
// store's provider used to be asked, and its parse error returned).
func TestCompareStoreWithOneOff(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "Mailbox")
	s := w.logon(t, nil)
	defer s.Logoff(ctx)
	oneOff, err := entryid.NewOneOff("Ann", "SMTP", "ann@example.com").MarshalBinary()
	require.NoError(t, err)
	store := wrappedOf(t, s, 0)
	for _, pair := range [][2]mapispi.EntryID{{store, oneOff}, {oneOff, store}} {
		same, err := s.CompareEntryIDs(ctx, pair[0], pair[1])
		assert.NoError(t, err, "CompareEntryIDs(store, one-off)")
		assert.False(t, same, "CompareEntryIDs(store, one-off)")
	}
}

// sharedUID is the UID both stores of a sharedProvider register.
var sharedUID = mapispi.UID{0x5A, 0x5A, 1}

// sharedProvider is the reference provider whose logons also register
// sharedUID, and whose logon answers OpenEntry of an ID with that UID
// only when bytes 20.. name its store (its display name); others get
// ErrUnknownEntryID.
type sharedProvider struct{ mapispi.MSProvider }

func (p *sharedProvider) Logon(ctx context.Context, sup mapispi.Support, req *mapispi.LogonRequest) (*mapispi.LogonResult, error) {
	res, err := p.MSProvider.Logon(ctx, sup, req)
	if err != nil || res.Logon == nil {
		return res, err
	}
	if err := sup.SetProviderUID(ctx, sharedUID); err != nil {
		return nil, err
	}
	name := res.Logon.(*msprovider.Logon).Store().DisplayName()
	res.Logon = &sharedLogon{MSLogon: res.Logon, name: name}
	return res, nil
}

type sharedLogon struct {
	mapispi.MSLogon
	name string
}

func (l *sharedLogon) OpenEntry(ctx context.Context, id mapispi.EntryID, flags mapispi.OpenFlags) (mapispi.Object, error) {
	if !bytes.Equal(id[20:], []byte(l.name)) {
		return nil, mapispi.Errorf(mapispi.ErrUnknownEntryID, "shared", "not %s's", l.name)
	}
	return &folderLike{}, nil
}

// TestSharedUIDPassesUnknownIDsOn: where two logons registered one UID,
// an ID the first answers with ErrUnknownEntryID goes to the next, as
// "Registering Service Provider Unique Identifiers" describes (it used to
// reach only the first).
func TestSharedUIDPassesUnknownIDsOn(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "A", "B")
	w.wrapProvider(t, func(inner mapispi.MSProvider, p *mapispi.InitParams) mapispi.MSProvider {
		return &sharedProvider{inner}
	})
	s := w.logon(t, nil)
	defer s.Logoff(ctx)
	for i := range 2 {
		st, err := s.OpenMsgStore(ctx, wrappedOf(t, s, i), 0)
		require.NoError(t, err)
		defer st.Close(ctx)
	}
	idOfB := append(append(mapispi.EntryID{0, 0, 0, 0}, sharedUID[:]...), "B"...)
	o, err := s.OpenEntry(ctx, idOfB, 0)
	require.NoError(t, err, "Session.OpenEntry of an ID only the second logon with its UID knows")
	assert.Equal(t, mapispi.ObjFolder, o.ObjectType())
	require.NoError(t, o.Close(ctx))
	nobody := append(append(mapispi.EntryID{0, 0, 0, 0}, sharedUID[:]...), "C"...)
	_, err = s.OpenEntry(ctx, nobody, 0)
	assert.ErrorIs(t, err, mapispi.ErrUnknownEntryID, "Session.OpenEntry of an ID no logon knows")
	assert.NotContains(t, err.Error(), "disabled")
}

// TestCompareIDsOfTwoStores: the unwrapped IDs of two stores of one
// provider, each logon registering its own UID, are different objects:
// false and no error (no one logon handles both).
func TestCompareIDsOfTwoStores(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "A", "B")
	s := w.logon(t, nil)
	defer s.Logoff(ctx)
	for i := range 2 {
		st, err := s.OpenMsgStore(ctx, wrappedOf(t, s, i), 0)
		require.NoError(t, err)
		defer st.Close(ctx)
	}
	same, err := s.CompareEntryIDs(ctx, w.ids[0], w.ids[1])
	assert.NoError(t, err, "CompareEntryIDs(store A's ID, store B's)")
	assert.False(t, same)
	same, err = s.CompareEntryIDs(ctx, w.ids[0], w.ids[0])
	assert.NoError(t, err, "CompareEntryIDs(store A's ID, itself)")
	assert.True(t, same)
}
