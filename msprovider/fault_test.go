package msprovider_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msprovider"
)

// faultWorld is a backend with one store, and the registry and profile
// that open it.
type faultWorld struct {
	backend *msprovider.Backend
	reg     mapi.Registry
	profile mapi.Profile
}

func newFaultWorld(t *testing.T) *faultWorld {
	t.Helper()
	w := &faultWorld{backend: msprovider.NewBackend()}
	if err := w.reg.Register(msprovider.DLLName, w.backend.Init); err != nil {
		t.Fatal(err)
	}
	id, err := w.backend.CreateStore("Mailbox", nil)
	if err != nil {
		t.Fatal(err)
	}
	w.profile = mapi.Profile{Name: "faults", Services: []mapi.Service{{Name: "Mailbox", Provider: msprovider.DLLName,
		Props: []mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte(id)}}}}}
	return w
}

// inbox logs on with opts and opens the store and its Inbox; it returns
// a func that closes both, or an error from any step.
func (w *faultWorld) inbox(ctx context.Context, opts *mapi.Options) (*mapi.Session, *mapi.Folder, func(), error) {
	s, err := mapi.Logon(ctx, &w.reg, w.profile, opts)
	if err != nil {
		return nil, nil, nil, err
	}
	var closers []func()
	done := func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	fail := func(err error) (*mapi.Session, *mapi.Folder, func(), error) {
		done()
		return s, nil, func() {}, err
	}
	stores, err := s.MsgStores(ctx)
	if err != nil {
		return fail(err)
	}
	st, err := s.OpenMsgStore(ctx, stores[0].EntryID, mapispi.LogonWrite|mapispi.LogonNoDialog)
	if err != nil {
		return fail(err)
	}
	closers = append(closers, func() { _ = st.Close(ctx) })
	props, err := st.GetProps(ctx, []mapispi.PropTag{mapispi.PropIPMSubtreeEntryID})
	if err != nil {
		return fail(err)
	}
	obj, err := st.OpenEntry(ctx, props[0].Value.([]byte), mapispi.OpenModify)
	if err != nil {
		return fail(err)
	}
	ipm := obj.(*mapi.Folder)
	closers = append(closers, func() { _ = ipm.Close(ctx) })
	table, err := ipm.HierarchyTable(ctx, 0)
	if err != nil {
		return fail(err)
	}
	closers = append(closers, func() { _ = table.Close(ctx) })
	if err := table.SetColumns(ctx, []mapispi.PropTag{mapispi.PropDisplayName, mapispi.PropEntryID}); err != nil {
		return fail(err)
	}
	rows, err := table.QueryRows(ctx, 10)
	if err != nil {
		return fail(err)
	}
	for _, r := range rows {
		if r[0].Value == "Inbox" {
			obj, err := ipm.OpenEntry(ctx, r[1].Value.([]byte), mapispi.OpenModify)
			if err != nil {
				return fail(err)
			}
			f := obj.(*mapi.Folder)
			closers = append(closers, func() { _ = f.Close(ctx) })
			return s, f, done, nil
		}
	}
	return fail(errors.New("no Inbox"))
}

// composeMessage is the sequence the fault test breaks at every
// allocation: CreateMessage, SetProps, ModifyRecipients, CreateAttach,
// a stream write, the attachment's and the message's SaveChanges.
func composeMessage(ctx context.Context, inbox *mapi.Folder) (err error) {
	msg, err := inbox.CreateMessage(ctx, 0)
	if err != nil {
		return fmt.Errorf("CreateMessage: %w", err)
	}
	defer msg.Close(ctx)
	if _, err := msg.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropSubject, Value: "whole"}}); err != nil {
		return fmt.Errorf("SetProps: %w", err)
	}
	if err := msg.ModifyRecipients(ctx, 0, []mapispi.Row{{{Tag: mapispi.PropDisplayName, Value: "Ann"}, {Tag: mapispi.PropRecipientType, Value: int32(1)}}}); err != nil {
		return fmt.Errorf("ModifyRecipients: %w", err)
	}
	att, _, err := msg.CreateAttach(ctx, 0)
	if err != nil {
		return fmt.Errorf("CreateAttach: %w", err)
	}
	defer att.Close(ctx)
	if _, err := att.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropAttachMethod, Value: int32(mapispi.AttachByValue)}}); err != nil {
		return fmt.Errorf("attachment SetProps: %w", err)
	}
	st, err := att.OpenStream(ctx, mapispi.PropAttachDataBin, mapispi.OpenModify|mapispi.OpenCreate)
	if err != nil {
		return fmt.Errorf("OpenProperty: %w", err)
	}
	_, werr := io.WriteString(st, "attached data")
	if cerr := st.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return fmt.Errorf("stream write: %w", werr)
	}
	if err := att.SaveChanges(ctx, 0); err != nil {
		return fmt.Errorf("attachment SaveChanges: %w", err)
	}
	if err := msg.SaveChanges(ctx, 0); err != nil {
		return fmt.Errorf("SaveChanges: %w", err)
	}
	return nil
}

// checkInbox reads the Inbox in a session without faults: no message,
// or one whole message, and the folder's count and contents table agree
// with that.
func (w *faultWorld) checkInbox(t *testing.T, ctx context.Context, want int, what string) {
	t.Helper()
	s, inbox, done, err := w.inbox(ctx, nil)
	if err != nil {
		t.Fatalf("%s: opening the Inbox to check it: %v", what, err)
	}
	defer func() {
		done()
		if err := s.Logoff(ctx); err != nil {
			t.Errorf("%s: the checking session's Logoff = %v", what, err)
		}
	}()
	props, err := inbox.GetProps(ctx, []mapispi.PropTag{mapispi.PropContentCount})
	if err != nil {
		t.Fatal(err)
	}
	table, err := inbox.ContentsTable(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer table.Close(ctx)
	if err := table.SetColumns(ctx, []mapispi.PropTag{mapispi.PropEntryID, mapispi.PropSubject, mapispi.PropHasAttach, mapispi.PropDisplayTo}); err != nil {
		t.Fatal(err)
	}
	rows, err := table.QueryRows(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if props[0].Value != int32(len(rows)) || len(rows) != want {
		t.Fatalf("%s: Inbox PR_CONTENT_COUNT = %v and contents table rows = %d, want %d", what, props[0].Value, len(rows), want)
	}
	for _, r := range rows {
		if r[1].Value != "whole" || r[2].Value != true || r[3].Value != "Ann" {
			t.Fatalf("%s: stored message row = %v, want the whole message (subject, attachment, recipient)", what, r)
		}
		obj, err := inbox.OpenEntry(ctx, r[0].Value.([]byte), 0)
		if err != nil {
			t.Fatal(err)
		}
		msg := obj.(*mapi.Message)
		att, err := msg.OpenAttach(ctx, 0, 0)
		if err != nil {
			t.Fatalf("%s: OpenAttach(0) of the stored message = %v", what, err)
		}
		vals, _ := att.GetProps(ctx, []mapispi.PropTag{mapispi.PropAttachDataBin})
		if got, _ := vals[0].Value.([]byte); string(got) != "attached data" {
			t.Errorf("%s: the stored attachment's data = %v, want %q", what, vals[0], "attached data")
		}
		_ = att.Close(ctx)
		_ = msg.Close(ctx)
	}
}

// TestComposeMessageUnderEveryAllocationFault: an allocation failure at
// any step of composing and saving a message leaves the store with
// nothing or the whole message, the folder's count and contents table
// agreeing, and the session logs off with no handle or buffer leaked.
func TestComposeMessageUnderEveryAllocationFault(t *testing.T) {
	ctx := context.Background()
	for _, method := range []string{"MAPIAllocateBuffer", "MAPIAllocateMore"} {
		fired := 0
		for n := 1; n < 1000; n++ {
			w := newFaultWorld(t)
			what := fmt.Sprintf("%s #%d", method, n)
			opts := &mapi.Options{Faults: []mapi.Fault{{Method: method, N: n, Code: mapispi.ErrNotEnoughMemory}}}
			s, inbox, done, err := w.inbox(ctx, opts)
			var composeErr error
			if err == nil {
				composeErr = composeMessage(ctx, inbox)
				done()
			} else if done != nil {
				done()
			}
			unfired := s != nil && len(s.UnfiredFaults()) == 1
			if s != nil {
				if err := s.Logoff(ctx); err != nil {
					t.Errorf("%s: Logoff after the fault = %v, want no leak", what, err)
				}
			}
			if unfired {
				if err != nil || composeErr != nil {
					t.Fatalf("%s did not fire, yet the run failed: %v %v", what, err, composeErr)
				}
				w.checkInbox(t, ctx, 1, what+" (no fault)")
				break
			}
			fired++
			if composeErr != nil && !errors.Is(composeErr, mapispi.ErrNotEnoughMemory) {
				t.Errorf("%s: compose = %v, want an error wrapping ErrNotEnoughMemory", what, composeErr)
			}
			want := 0
			if err == nil && composeErr == nil {
				want = 1 // the fault hit a step whose failure is not the message's
			}
			w.checkInbox(t, ctx, want, what)
		}
		if fired == 0 {
			t.Errorf("no %s fault fired: the steps allocate nothing", method)
		}
		t.Logf("%s: %d faults, each leaving nothing or the whole message", method, fired)
	}
}
