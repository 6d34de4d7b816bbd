package mapi_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/alloc"
	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
)

// The rules for disabling a service: a failure that says something is
// wrong with the service disables it for the session; a failure of the
// client's own making does not.

// TestUndefinedFlagsDisableNothing: OpenMsgStore checks its flags before
// it calls a provider: ErrUnknownFlags, and the service still opens with
// valid flags.
func TestUndefinedFlagsDisableNothing(t *testing.T) {
	ctx := context.Background()
	w, calls := hookedWorld(t, func(h *hooked, ctx context.Context, sup mapispi.Support, req *mapispi.LogonRequest) (*mapispi.LogonResult, error) {
		return h.MSProvider.Logon(ctx, sup, req)
	})
	s := w.logon(t, nil)
	defer s.Logoff(ctx)
	id := wrappedOf(t, s, 0)
	_, err := s.OpenMsgStore(ctx, id, 0x4000)
	assert.ErrorIs(t, err, mapispi.ErrUnknownFlags, "OpenMsgStore with an undefined flag bit")
	assert.Zero(t, calls.Load(), "IMSProvider::Logon calls for an open with an undefined flag")
	st, err := s.OpenMsgStore(ctx, id, mapispi.LogonWrite)
	require.NoError(t, err, "OpenMsgStore with valid flags after one with an undefined bit")
	require.NoError(t, st.Close(ctx))
}

// TestContextEndDisablesNothing: a caller whose context ends while the
// logon waits for the password does not disable the service: the next
// open, with a live context and the right password, works.
func TestContextEndDisablesNothing(t *testing.T) {
	ctx := context.Background()
	w, _ := secretWorld(t)
	answer := make(chan bool, 1)
	s := w.logon(t, &mapi.Options{Prompt: func(ctx context.Context, req *mapispi.PromptRequest) (*mapispi.PromptResponse, error) {
		select {
		case <-answer:
			return &mapispi.PromptResponse{Password: "pw"}, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}})
	defer s.Logoff(ctx)
	id := wrappedOf(t, s, 0)
	dctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	_, err := s.OpenMsgStore(dctx, id, 0)
	require.Error(t, err, "an open whose context ended during the password prompt")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	answer <- true
	st, err := s.OpenMsgStore(ctx, id, 0)
	require.NoError(t, err, "the next open, with a live context and the right password")
	require.NoError(t, st.Close(ctx))
}

// TestNoDialogDisablesNothing: a logon that needs a dialog in a session
// with no Options.Prompt fails without disabling the service: the next
// open reaches the provider again.
func TestNoDialogDisablesNothing(t *testing.T) {
	ctx := context.Background()
	w, _ := secretWorld(t)
	var log traceLog
	s := w.logon(t, &mapi.Options{Trace: log.add})
	defer s.Logoff(ctx)
	id := wrappedOf(t, s, 0)
	_, err := s.OpenMsgStore(ctx, id, 0)
	require.Error(t, err, "an open that needs a dialog with no Options.Prompt")
	_, err = s.OpenMsgStore(ctx, id, mapispi.LogonNoDialog)
	assert.ErrorIs(t, err, mapispi.ErrFailOneProvider, "a later MDB_NO_DIALOG open: the provider's own answer")
	assert.NotContains(t, err.Error(), "disabled")
	assert.Len(t, log.methods("IMSProvider::Logon"), 2, "IMSProvider::Logon calls: the service is not disabled")
}

// TestPromptPanicDisablesNothing: a Prompt that panics is the client's
// fault: the open fails, the service stays enabled.
func TestPromptPanicDisablesNothing(t *testing.T) {
	ctx := context.Background()
	w, _ := secretWorld(t)
	var panics bool
	s := w.logon(t, &mapi.Options{Prompt: func(context.Context, *mapispi.PromptRequest) (*mapispi.PromptResponse, error) {
		if !panics {
			panics = true
			panic("prompt bug")
		}
		return &mapispi.PromptResponse{Password: "pw"}, nil
	}})
	defer s.Logoff(ctx)
	id := wrappedOf(t, s, 0)
	var err error
	assert.NotPanics(t, func() { _, err = s.OpenMsgStore(ctx, id, 0) })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "prompt bug")
	st, err := s.OpenMsgStore(ctx, id, 0)
	require.NoError(t, err, "the next open after a Prompt panicked")
	require.NoError(t, st.Close(ctx))
}

// TestOptionsValidated: a nil context, and an Allocator or Malloc that is
// a typed nil, are ErrInvalidParameter at Logon (a nil *alloc.Heap used
// to be accepted, blamed on the provider at the first open, and Logoff
// then panicked).
func TestOptionsValidated(t *testing.T) {
	w := newWorld(t, "Mailbox")
	//lint:ignore SA1012 a nil context is what the test is about
	_, err := mapi.Logon(nil, w.reg, w.profile, nil)
	assert.ErrorIs(t, err, mapispi.ErrInvalidParameter, "Logon(nil context)")
	for name, opts := range map[string]*mapi.Options{
		"nil *alloc.Heap":   {Allocator: (*alloc.Heap)(nil)},
		"nil *alloc.Malloc": {Malloc: (*alloc.Malloc)(nil)},
	} {
		_, err := mapi.Logon(context.Background(), w.reg, w.profile, opts)
		assert.ErrorIs(t, err, mapispi.ErrInvalidParameter, "Logon with Options %s", name)
	}
}

// TestFaultsCountEveryAllocation: the buffer WrapStoreEntryID allocates
// for a provider is a MAPIAllocateBuffer call that Options.Faults counts
// (the reference provider's logon makes two: the spool security data, then
// the wrap), and UnfiredFaults lists a fault whose call never came.
func TestFaultsCountEveryAllocation(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "Mailbox")
	s := w.logon(t, &mapi.Options{Faults: []mapi.Fault{
		{Method: "MAPIAllocateBuffer", N: 2, Code: mapispi.ErrNotEnoughMemory},
		{Method: "IMAPISupport::Prompt", N: 1, Code: mapispi.ErrUserCancel},
	}})
	defer s.Logoff(ctx)
	_, err := s.OpenMsgStore(ctx, wrappedOf(t, s, 0), 0)
	assert.ErrorIs(t, err, mapispi.ErrNotEnoughMemory, "OpenMsgStore with MAPIAllocateBuffer #2 (the wrap's) failing")
	assert.Contains(t, err.Error(), "WrapStoreEntryID")
	assert.Equal(t, []mapi.Fault{{Method: "IMAPISupport::Prompt", N: 1, Code: mapispi.ErrUserCancel}}, s.UnfiredFaults(),
		"the faults that did not fire")
}
