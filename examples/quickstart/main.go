// Quickstart plays MAPI end to end in one process: it registers the
// reference store provider, builds a profile with two stores, logs on,
// lists the message store table, opens a store and reads its properties,
// compares its entry IDs the ways MAPI does, shows the spooler's logon
// and the status table, opens the same store from a second session
// through a new provider object, sends a message from one store to the
// other through the spooler and reads it in the other session, closes
// every handle (the last one of a store logs it off), logs off, and
// prints the leak check.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"sync/atomic"
	"time"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msprovider"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	step := func(n int, format string, args ...any) {
		fmt.Fprintf(out, "\n%d. "+format+"\n", append([]any{n}, args...)...)
	}

	// 1. The provider "DLL": the reference provider over an in-memory backend.
	// The backend holds the stores' data, as PST files would.
	step(1, "register the reference provider as %q", msprovider.DLLName)
	backend := msprovider.NewBackend()
	var inits atomic.Int32
	var reg mapi.Registry
	err := reg.Register(msprovider.DLLName, func(ctx context.Context, p *mapispi.InitParams) (mapispi.MSProvider, mapispi.Version, error) {
		inits.Add(1) // MSProviderInit: once per session (and once for its spooler)
		return backend.Init(ctx, p)
	})
	if err != nil {
		return err
	}

	// 2. A profile with two message services, each naming its store.
	step(2, "build a profile with two stores")
	profile := mapi.Profile{Name: "Quickstart"}
	for _, name := range []string{"Mailbox", "Archive"} {
		id, err := backend.CreateStore(name, nil)
		if err != nil {
			return err
		}
		profile.Services = append(profile.Services, mapi.Service{
			Name: name, Provider: msprovider.DLLName,
			Props: []mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte(id)}, {Tag: mapispi.PropDisplayName, Value: name}},
		})
		fmt.Fprintf(out, "   %-8s unwrapped store entry ID %d bytes\n", name, len(id))
	}

	// 3. MAPILogonEx.
	step(3, "log on")
	// ManualFlush: the spooler sends when step 9 tells it to, so that
	// this program's output is the same on every run.
	session, err := mapi.Logon(ctx, &reg, profile, &mapi.Options{ManualFlush: true})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "   session on profile %q; providers loaded: %d\n", profile.Name, inits.Load())

	// 4. The message store table.
	step(4, "list the message store table")
	stores, err := session.MsgStores(ctx)
	if err != nil {
		return err
	}
	for _, st := range stores {
		fmt.Fprintf(out, "   %-8s %-15s open=%-5t PR_ENTRYID %d bytes (wrapped)\n", st.DisplayName, st.Provider, st.Open, len(st.EntryID))
	}

	// 5. OpenMsgStore: MSProviderInit, then IMSProvider::Logon.
	step(5, "open %q and read its properties", stores[0].DisplayName)
	store, err := session.OpenMsgStore(ctx, stores[0].EntryID, mapispi.LogonWrite)
	if err != nil {
		return err
	}
	props, err := store.GetProps(ctx, nil)
	if err != nil {
		return err
	}
	for _, v := range props {
		switch x := v.Value.(type) {
		case []byte:
			if len(x) > 16 {
				fmt.Fprintf(out, "   %-25v %d bytes\n", v.Tag, len(x))
			} else {
				fmt.Fprintf(out, "   %-25v %X\n", v.Tag, x)
			}
		case int32:
			if v.Tag == mapispi.PropStoreSupportMask {
				fmt.Fprintf(out, "   %-25v %v\n", v.Tag, mapispi.StoreSupportMask(x))
				continue
			}
			fmt.Fprintf(out, "   %-25v %v\n", v.Tag, x)
		default:
			fmt.Fprintf(out, "   %-25v %v\n", v.Tag, x)
		}
	}

	// 6. CompareEntryIDs: one store, several IDs.
	step(6, "compare the store's entry IDs")
	wrapped := stores[0].EntryID
	_, unwrapped, err := entryid.UnwrapStore(wrapped)
	if err != nil {
		return err
	}
	otherFlags := append(mapispi.EntryID(nil), wrapped...)
	otherFlags[0] = 0x80
	for _, c := range []struct {
		what string
		a, b mapispi.EntryID
	}{
		{"wrapped vs unwrapped", wrapped, unwrapped},
		{"wrapped vs other abFlags", wrapped, otherFlags},
		{"Mailbox vs Archive", wrapped, stores[1].EntryID},
	} {
		same, err := session.CompareEntryIDs(ctx, c.a, c.b)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "   %-26s same store: %t\n", c.what, same)
	}

	// 7. The spooler logged on with the spool security data Logon returned;
	// the store's logon put its row in the status table.
	step(7, "the spooler's logon and the status table")
	for _, sp := range session.Spooler().Stores() {
		fmt.Fprintf(out, "   %-8s SpoolerLogon ok: %t\n", sp.Service, sp.Err == nil && sp.Open)
	}
	fmt.Fprintf(out, "   provider objects so far: %d (the session's and the spooler's)\n", inits.Load())
	status, err := session.StatusTable(ctx)
	if err != nil {
		return err
	}
	if err := status.SetColumns(ctx, []mapispi.PropTag{mapispi.PropDisplayName, mapispi.PropStatusString}); err != nil {
		return err
	}
	rows, err := status.QueryRows(ctx, 10)
	if err != nil {
		return err
	}
	for _, row := range rows {
		fmt.Fprintf(out, "   status row: %v, %v\n", row[0].Value, row[1].Value)
	}
	if err := status.Close(ctx); err != nil { // every handle has a lifetime
		return err
	}

	// 8. A second session: a new provider object, the same store data.
	step(8, "a second session renames the store; the first sees it")
	// Each session has a spooler; ManualFlush here too, or this one's
	// would send step 9's message in the background.
	second, err := mapi.Logon(ctx, &reg, profile, &mapi.Options{ManualFlush: true})
	if err != nil {
		return err
	}
	store2, err := second.OpenMsgStore(ctx, wrapped, mapispi.LogonWrite)
	if err != nil {
		return err
	}
	if _, err := store2.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropDisplayName, Value: "Mailbox (renamed)"}}); err != nil {
		return err
	}
	vals, err := store.GetProps(ctx, []mapispi.PropTag{mapispi.PropDisplayName})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "   first session reads PR_DISPLAY_NAME = %v\n", vals[0].Value)
	fmt.Fprintf(out, "   provider objects: %d\n", inits.Load())

	// 9. Mail moves: the first session composes a message in Mailbox's
	// Outbox to the Archive store and submits it; its spooler delivers it
	// into Archive's Inbox and files the sent copy in Sent Items; the
	// second session reads it there. The notifications say what happened.
	step(9, "send a message from Mailbox to Archive and read it in the other session")
	if err := sendMail(ctx, out, session, second, stores); err != nil {
		return err
	}

	// 10. StoreLogoff says how to log off; the store's last Close does it
	// (StoreLogoffTransports, IMSLogon::Logoff). Then each session's
	// Logoff: IMSProvider::Shutdown and the leak check, which would list
	// any handle left open and any buffer a provider left behind.
	step(10, "close the stores, log off both sessions and check for leaks")
	if _, err := store.StoreLogoff(ctx, mapispi.LogoffOrderly); err != nil {
		return err
	}
	for _, st := range []*mapi.Store{store, store2} {
		if err := st.Close(ctx); err != nil {
			return err
		}
	}
	_, err = store.GetProps(ctx, nil)
	fmt.Fprintf(out, "   a closed handle: %v\n", err)
	for i, s := range []*mapi.Session{session, second} {
		if err := s.Logoff(ctx); err != nil {
			return fmt.Errorf("session %d: %w", i+1, err)
		}
		fmt.Fprintf(out, "   session %d logged off: no handle left open, no buffer left behind\n", i+1)
	}
	_, err = session.MsgStores(ctx)
	fmt.Fprintf(out, "   a call after Logoff: %v\n", err)
	return nil
}

// sendMail composes a message in the first store's Outbox (session s),
// submits it to the second store, flushes the spooler, and reads the
// message from the second store's Inbox in session other. It prints the
// notifications each store sent.
func sendMail(ctx context.Context, out io.Writer, s, other *mapi.Session, stores []mapi.StoreInfo) error {
	from, err := s.OpenMsgStore(ctx, stores[0].EntryID, mapispi.LogonWrite)
	if err != nil {
		return err
	}
	defer from.Close(ctx)
	to, err := s.OpenMsgStore(ctx, stores[1].EntryID, mapispi.LogonWrite)
	if err != nil {
		return err
	}
	defer to.Close(ctx)
	events := make(chan string, 16)
	watch := func(st *mapi.Store, name string, mask mapispi.EventMask) (func(), error) {
		conn, err := st.Advise(ctx, nil, mask, mapispi.AdviseSinkFunc(func(ns []mapispi.Notification) mapispi.CallbackResult {
			for _, n := range ns {
				events <- fmt.Sprintf("%s: %v %s", name, n.Event, n.MessageClass)
			}
			return mapispi.CallbackContinue
		}))
		return func() { _ = st.Unadvise(ctx, conn) }, err
	}
	stop, err := watch(from, stores[0].DisplayName, mapispi.EventObjectMoved)
	if err != nil {
		return err
	}
	defer stop()
	stop2, err := watch(to, stores[1].DisplayName, mapispi.EventNewMail)
	if err != nil {
		return err
	}
	defer stop2()

	ids, err := from.GetProps(ctx, []mapispi.PropTag{mapispi.PropIPMOutboxEntryID, mapispi.PropIPMSentMailEntryID})
	if err != nil {
		return err
	}
	outbox, err := from.OpenFolder(ctx, ids[0].Value.([]byte), mapispi.OpenModify)
	if err != nil {
		return err
	}
	defer outbox.Close(ctx)
	msg, err := outbox.CreateMessage(ctx, 0)
	if err != nil {
		return err
	}
	defer msg.Close(ctx)
	if _, err := msg.SetProps(ctx, []mapispi.PropValue{
		{Tag: mapispi.PropSubject, Value: "Hello from the Mailbox"},
		{Tag: mapispi.PropMessageClass, Value: "IPM.Note"},
		{Tag: mapispi.PropBody, Value: "Sent through the MAPI spooler."},
		{Tag: mapispi.PropSentMailEntryID, Value: ids[1].Value},
	}); err != nil {
		return err
	}
	// The recipient is the Archive store itself: address type MAPIEMU,
	// address the service's name.
	if err := msg.ModifyRecipients(ctx, mapispi.ModRecipAdd, []mapispi.Row{{
		{Tag: mapispi.PropDisplayName, Value: "Archive"},
		{Tag: mapispi.PropAddrType, Value: mapi.LocalAddrType},
		{Tag: mapispi.PropEmailAddress, Value: stores[1].Service},
		{Tag: mapispi.PropRecipientType, Value: int32(mapispi.RecipTo)},
	}}); err != nil {
		return err
	}
	if err := msg.SubmitMessage(ctx, 0); err != nil {
		return err
	}
	res, err := s.Spooler().Flush(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "   spooler: %d sent, %d delivered\n", res.Sent, res.Delivered)
	var got []string
	for range 2 { // notifications come after the calls that caused them
		select {
		case e := <-events:
			got = append(got, e)
		case <-time.After(5 * time.Second):
			return fmt.Errorf("a notification did not come")
		}
	}
	slices.Sort(got) // the two stores' sinks are called independently
	for _, e := range got {
		fmt.Fprintf(out, "   notification %s\n", e)
	}

	// The other session reads Archive's Inbox.
	archive, err := other.OpenMsgStore(ctx, stores[1].EntryID, mapispi.LogonWrite)
	if err != nil {
		return err
	}
	defer archive.Close(ctx)
	inboxID, _, err := archive.ReceiveFolder(ctx, "IPM.Note")
	if err != nil {
		return err
	}
	inbox, err := archive.OpenFolder(ctx, inboxID, 0)
	if err != nil {
		return err
	}
	defer inbox.Close(ctx)
	table, err := inbox.ContentsTable(ctx, 0)
	if err != nil {
		return err
	}
	defer table.Close(ctx)
	if err := table.SetColumns(ctx, []mapispi.PropTag{mapispi.PropSubject, mapispi.PropReceivedByName}); err != nil {
		return err
	}
	rows, err := table.QueryRows(ctx, 10)
	if err != nil {
		return err
	}
	for _, r := range rows {
		fmt.Fprintf(out, "   Archive's Inbox, read by the second session: %q, received by %v\n", r[0].Value, r[1].Value)
	}
	return nil
}
