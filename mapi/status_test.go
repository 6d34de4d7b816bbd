package mapi_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
	"github.com/mapiemu/mapiemu/msprovider"
)

// TestStatusTableIsMAPIs: the status table has MAPI's subsystem and
// spooler rows beside the providers', every row has the columns MAPI
// computes and provides ("Status Tables"), and Session.OpenEntry of a
// row's PR_ENTRYID opens its status object, a provider's through
// IMSLogon::OpenStatusEntry.
func TestStatusTableIsMAPIs(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "Mailbox")
	var log traceLog
	s := w.logon(t, &mapi.Options{Trace: log.add})
	defer s.Logoff(ctx)
	st, err := s.OpenMsgStore(ctx, wrappedOf(t, s, 0), 0)
	require.NoError(t, err)
	defer st.Close(ctx)
	table, err := s.StatusTable(ctx)
	require.NoError(t, err)
	defer table.Close(ctx)
	rows, err := table.QueryRows(ctx, 10)
	require.NoError(t, err)
	require.Len(t, rows, 3, "status rows: subsystem, spooler, the store")
	want := []struct {
		name string
		typ  mapispi.ResourceType
		dll  string
	}{
		{"MAPI Subsystem", mapispi.ResourceSubsystem, "MAPI32.DLL"},
		{"MAPI Spooler", mapispi.ResourceSpooler, "MAPI32.DLL"},
		{"Mailbox", mapispi.ResourceStoreProvider, msprovider.DLLName},
	}
	rowIDs := map[int32]bool{}
	for i, row := range rows {
		get := func(tag mapispi.PropTag) any {
			v, ok := mapiutil.FindProp(row, tag)
			require.True(t, ok, "status row %d lacks %v: %v", i, tag, row)
			return v.Value
		}
		assert.Equal(t, want[i].name, get(mapispi.PropDisplayName), "row %d PR_DISPLAY_NAME", i)
		assert.Equal(t, int32(want[i].typ), get(mapispi.PropResourceType), "row %d PR_RESOURCE_TYPE", i)
		assert.Equal(t, want[i].dll, get(mapispi.PropProviderDLLName), "row %d PR_PROVIDER_DLL_NAME", i)
		assert.Equal(t, int32(mapispi.ObjStatus), get(mapispi.PropObjectType), "row %d PR_OBJECT_TYPE", i)
		assert.Equal(t, int32(mapispi.StatusAvailable), get(mapispi.PropStatusCode), "row %d PR_STATUS_CODE", i)
		get(mapispi.PropResourceFlags)
		get(mapispi.PropInstanceKey)
		id := get(mapispi.PropRowID).(int32)
		assert.False(t, rowIDs[id], "row %d PR_ROWID %d repeats", i, id)
		rowIDs[id] = true

		obj, err := s.OpenEntry(ctx, get(mapispi.PropEntryID).([]byte), 0)
		require.NoError(t, err, "Session.OpenEntry of row %d's PR_ENTRYID", i)
		assert.Equal(t, mapispi.ObjStatus, obj.ObjectType())
		vals, err := obj.GetProps(ctx, []mapispi.PropTag{mapispi.PropDisplayName})
		require.NoError(t, err)
		assert.Equal(t, want[i].name, vals[0].Value, "the status object of row %d", i)
		require.NoError(t, obj.Close(ctx))
	}
	assert.Contains(t, log.methods("IMSLogon::OpenStatusEntry", "Mailbox"), "IMSLogon::OpenStatusEntry ", "the store's status object comes from its logon")
}

// TestStatusRowUpdateIsAtomic: concurrent STATUSROW_UPDATE calls of one
// row, each changing its own column, lose none (3-37 of 2,000 rounds
// used to).
func TestStatusRowUpdateIsAtomic(t *testing.T) {
	ctx := context.Background()
	_, s, _, sup := openKeepingSupport(t)
	a := mapispi.NewPropTag(mapispi.PtLong, 0x6600)
	b := mapispi.NewPropTag(mapispi.PtLong, 0x6601)
	const rounds = 500
	var wg sync.WaitGroup
	for _, tag := range []mapispi.PropTag{a, b} {
		wg.Go(func() {
			for i := range rounds {
				if err := sup.ModifyStatusRow(ctx, []mapispi.PropValue{{Tag: tag, Value: int32(i)}}, mapispi.StatusRowUpdate); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	table, err := s.StatusTable(ctx)
	require.NoError(t, err)
	defer table.Close(ctx)
	require.NoError(t, table.SetColumns(ctx, []mapispi.PropTag{mapispi.PropDisplayName, a, b}))
	rows, err := table.QueryRows(ctx, 10)
	require.NoError(t, err)
	var found bool
	for _, row := range rows {
		if row[0].Value == "Mailbox" {
			found = true
			assert.Equal(t, fmt.Sprint([]any{int32(rounds - 1), int32(rounds - 1)}), fmt.Sprint([]any{row[1].Value, row[2].Value}),
				"the row's two columns after concurrent updates")
		}
	}
	assert.True(t, found, "the store's status row")
}

// TestProfileSectionHidesSecureProperties: a profile section's GetProps
// with no tags, and GetPropList, leave out the secure range
// (PROP_ID_SECURE_MIN to PROP_ID_SECURE_MAX); asked for by tag, the value
// comes back.
func TestProfileSectionHidesSecureProperties(t *testing.T) {
	ctx := context.Background()
	_, _, _, sup := openKeepingSupport(t)
	sec, err := sup.OpenProfileSection(ctx, mapispi.UID{}, mapispi.OpenModify)
	require.NoError(t, err)
	secret := mapispi.NewPropTag(mapispi.PtUnicode, mapispi.PropIDSecureMin+1)
	_, err = sec.SetProps(ctx, []mapispi.PropValue{{Tag: secret, Value: "hunter2"}})
	require.NoError(t, err)
	all, err := sec.GetProps(ctx, nil)
	require.NoError(t, err)
	for _, v := range all {
		assert.NotEqual(t, secret, v.Tag, "GetProps(nil) returned a secure property")
	}
	list, err := sec.GetPropList(ctx)
	require.NoError(t, err)
	assert.NotContains(t, list, secret, "GetPropList listed a secure property")
	vals, err := sec.GetProps(ctx, []mapispi.PropTag{secret})
	require.NoError(t, err)
	assert.Equal(t, "hunter2", vals[0].Value, "a secure property asked for by tag")
}

// TestStatusTableFollowsLogons: a status table opened before a store
// shows the store's row once the store is open, and loses it when the
// store closes; the host keeps its own copy of the values a provider
// gives ModifyStatusRow.
func TestStatusTableFollowsLogons(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "Mailbox")
	s := w.logon(t, nil)
	defer s.Logoff(ctx)
	table, err := s.StatusTable(ctx)
	require.NoError(t, err)
	defer table.Close(ctx)
	names := func() []any {
		t.Helper()
		require.NoError(t, table.SetColumns(ctx, []mapispi.PropTag{mapispi.PropDisplayName}))
		_, err := table.SeekRow(ctx, mapispi.BookmarkBeginning, 0)
		require.NoError(t, err)
		rows, err := table.QueryRows(ctx, 10)
		require.NoError(t, err)
		var out []any
		for _, r := range rows {
			out = append(out, r[0].Value)
		}
		return out
	}
	assert.Equal(t, []any{"MAPI Subsystem", "MAPI Spooler"}, names(), "Session.StatusTable rows before a store is open")
	st, err := s.OpenMsgStore(ctx, wrappedOf(t, s, 0), 0)
	require.NoError(t, err)
	assert.Equal(t, []any{"MAPI Subsystem", "MAPI Spooler", "Mailbox"}, names(), "Session.StatusTable rows with the store open")
	require.NoError(t, st.Close(ctx))
	assert.Equal(t, []any{"MAPI Subsystem", "MAPI Spooler"}, names(), "Session.StatusTable rows after the store closed")
}

// TestStatusRowIsCopied: a provider may reuse the values it gave
// ModifyStatusRow; the row keeps what was given.
func TestStatusRowIsCopied(t *testing.T) {
	ctx := context.Background()
	_, s, _, sup := openKeepingSupport(t)
	tag := mapispi.NewPropTag(mapispi.PtBinary, 0x6600)
	buf := []byte("given")
	require.NoError(t, sup.ModifyStatusRow(ctx, []mapispi.PropValue{{Tag: tag, Value: buf}}, mapispi.StatusRowUpdate))
	copy(buf, "later")
	table, err := s.StatusTable(ctx)
	require.NoError(t, err)
	defer table.Close(ctx)
	require.NoError(t, table.SetColumns(ctx, []mapispi.PropTag{mapispi.PropDisplayName, tag}))
	rows, err := table.QueryRows(ctx, 10)
	require.NoError(t, err)
	require.Len(t, rows, 3)
	assert.Equal(t, []byte("given"), rows[2][1].Value, "the status row's column after the provider reused its buffer")
}
