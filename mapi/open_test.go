package mapi_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapitest"
)

// TestOpenFolderAndOpenMessage: the typed opens give the object id names
// when it has the type asked for, and ErrInterfaceNotSupported, with no
// handle left open, when it has not.
func TestOpenFolderAndOpenMessage(t *testing.T) {
	ctx := context.Background()
	env, err := mapitest.New(ctx, nil, "a")
	require.NoError(t, err)
	inbox, err := env.Folder(ctx, "a", mapitest.Inbox)
	require.NoError(t, err)
	msg, err := inbox.CreateMessage(ctx, 0)
	require.NoError(t, err)
	require.NoError(t, msg.SaveChanges(ctx, 0))
	msgID := entryID(t, ctx, msg)
	inboxID := entryID(t, ctx, inbox)
	require.NoError(t, msg.Close(ctx))
	require.NoError(t, inbox.Close(ctx))
	st := env.Store("a")

	root, err := st.OpenFolder(ctx, nil, 0)
	require.NoError(t, err)
	if got := root.ObjectType(); got != mapispi.ObjFolder {
		t.Errorf("OpenFolder(nil).ObjectType() = %v, want %v", got, mapispi.ObjFolder)
	}
	require.NoError(t, root.Close(ctx))

	f, err := st.OpenFolder(ctx, inboxID, mapispi.OpenModify)
	require.NoError(t, err)
	require.NoError(t, f.Close(ctx))
	m, err := st.OpenMessage(ctx, msgID, 0)
	require.NoError(t, err)
	require.NoError(t, m.Close(ctx))

	if _, err := st.OpenFolder(ctx, msgID, 0); !errors.Is(err, mapispi.ErrInterfaceNotSupported) {
		t.Errorf("OpenFolder(a message's ID) = %v, want MAPI_E_INTERFACE_NOT_SUPPORTED", err)
	}
	if _, err := st.OpenMessage(ctx, inboxID, 0); !errors.Is(err, mapispi.ErrInterfaceNotSupported) {
		t.Errorf("OpenMessage(a folder's ID) = %v, want MAPI_E_INTERFACE_NOT_SUPPORTED", err)
	}
	if _, err := st.OpenMessage(ctx, mapispi.EntryID{1, 2, 3}, 0); !errors.Is(err, mapispi.ErrInvalidEntryID) {
		t.Errorf("OpenMessage(3 bytes) = %v, want MAPI_E_INVALID_ENTRYID", err)
	}
	// Close's leak check fails if a mismatched open left its handle.
	require.NoError(t, env.Close(ctx))
}

func entryID(t *testing.T, ctx context.Context, o mapi.Object) mapispi.EntryID {
	t.Helper()
	vals, err := o.GetProps(ctx, []mapispi.PropTag{mapispi.PropEntryID})
	require.NoError(t, err)
	id, ok := vals[0].Value.([]byte)
	require.True(t, ok, "PR_ENTRYID = %v", vals[0].Value)
	return id
}
