// Spooler sends mail through MAPI's spooler in bulk: it fills a store's
// Outbox with N messages addressed to a second store of the profile,
// submits them, and flushes the spooler, which locks each message,
// delivers it into the other store's Inbox and files the sent copy in
// Sent Items. It prints a progress line on stderr while the spooler
// works (counting the new-mail notifications the receiving store sends),
// then the messages per second and the leak check.
//
//	go run ./examples/spooler -n 10000
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msprovider"
)

func main() {
	n := flag.Int("n", 10000, "number of messages to send")
	flag.Parse()
	if err := run(context.Background(), *n, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "spooler:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, n int, out, progress io.Writer) (err error) {
	if n < 1 {
		return fmt.Errorf("-n %d: want at least one message", n)
	}
	backend := msprovider.NewBackend()
	var reg mapi.Registry
	if err := reg.Register(msprovider.DLLName, backend.Init); err != nil {
		return err
	}
	profile := mapi.Profile{Name: "Spooler"}
	for _, name := range []string{"sender", "receiver"} {
		id, err := backend.CreateStore(name, nil)
		if err != nil {
			return err
		}
		profile.Services = append(profile.Services, mapi.Service{Name: name, Provider: msprovider.DLLName,
			Props: []mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte(id)}, {Tag: mapispi.PropDisplayName, Value: name}}})
	}
	// ManualFlush: the spooler sends when told to, so that the fill and
	// the flush are timed apart.
	session, err := mapi.Logon(ctx, &reg, profile, &mapi.Options{ManualFlush: true})
	if err != nil {
		return err
	}
	defer func() {
		if lerr := session.Logoff(ctx); err == nil {
			err = lerr
			if lerr == nil {
				fmt.Fprintln(out, "leak check: no handle left open, no buffer left behind")
			}
		}
	}()
	infos, err := session.MsgStores(ctx)
	if err != nil {
		return err
	}
	sender, err := session.OpenMsgStore(ctx, infos[0].EntryID, mapispi.LogonWrite)
	if err != nil {
		return err
	}
	defer sender.Close(ctx)
	receiver, err := session.OpenMsgStore(ctx, infos[1].EntryID, mapispi.LogonWrite)
	if err != nil {
		return err
	}
	defer receiver.Close(ctx)

	var arrived atomic.Int64
	conn, err := receiver.Advise(ctx, nil, mapispi.EventNewMail, mapispi.AdviseSinkFunc(func(ns []mapispi.Notification) mapispi.CallbackResult {
		arrived.Add(int64(len(ns)))
		return mapispi.CallbackContinue
	}))
	if err != nil {
		return err
	}
	defer receiver.Unadvise(ctx, conn)

	start := time.Now()
	if err := fill(ctx, sender, n); err != nil {
		return err
	}
	submitted := time.Since(start)
	fmt.Fprintf(out, "submitted %d messages in %v\n", n, submitted.Round(time.Millisecond))

	done, finished := make(chan struct{}), make(chan struct{})
	go func() { // the progress line
		defer close(finished)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				fmt.Fprintf(progress, "\rdelivered %d/%d\n", arrived.Load(), n)
				return
			case <-t.C:
				fmt.Fprintf(progress, "\rdelivered %d/%d", arrived.Load(), n)
			}
		}
	}()
	start = time.Now()
	res, err := session.Spooler().Flush(ctx)
	elapsed := time.Since(start)
	// Notifications arrive after the calls that caused them return.
	for wait := time.Now(); arrived.Load() < int64(res.Delivered) && time.Since(wait) < 5*time.Second; {
		time.Sleep(time.Millisecond)
	}
	close(done)
	<-finished
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "flushed: %d sent, %d delivered, %d deferred, %d failed\n", res.Sent, res.Delivered, res.Deferred, res.Failed)
	fmt.Fprintf(out, "flush took %v\n", elapsed.Round(time.Millisecond))
	fmt.Fprintf(out, "%.0f messages per second (compose, submit, queue, lock, local delivery, FinishedMsg)\n", float64(res.Sent)/(submitted+elapsed).Seconds())
	return nil
}

// fill composes n messages in the sender's Outbox, each to the receiver
// and filed in Sent Items once sent, and submits them.
func fill(ctx context.Context, sender *mapi.Store, n int) error {
	vals, err := sender.GetProps(ctx, []mapispi.PropTag{mapispi.PropIPMOutboxEntryID, mapispi.PropIPMSentMailEntryID})
	if err != nil {
		return err
	}
	outbox, err := sender.OpenFolder(ctx, vals[0].Value.([]byte), mapispi.OpenModify)
	if err != nil {
		return err
	}
	defer outbox.Close(ctx)
	to := []mapispi.Row{{
		{Tag: mapispi.PropDisplayName, Value: "Receiver"},
		{Tag: mapispi.PropAddrType, Value: mapi.LocalAddrType},
		{Tag: mapispi.PropEmailAddress, Value: "receiver"},
		{Tag: mapispi.PropRecipientType, Value: int32(mapispi.RecipTo)},
	}}
	for i := range n {
		msg, err := outbox.CreateMessage(ctx, 0)
		if err != nil {
			return err
		}
		_, err = msg.SetProps(ctx, []mapispi.PropValue{
			{Tag: mapispi.PropSubject, Value: fmt.Sprintf("message %d", i)},
			{Tag: mapispi.PropMessageClass, Value: "IPM.Note"},
			{Tag: mapispi.PropBody, Value: "Hello from the spooler example."},
			{Tag: mapispi.PropSentMailEntryID, Value: vals[1].Value},
		})
		if err == nil {
			err = msg.ModifyRecipients(ctx, mapispi.ModRecipAdd, to)
		}
		if err == nil {
			err = msg.SubmitMessage(ctx, 0)
		}
		if cerr := msg.Close(ctx); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("message %d: %w", i, err)
		}
	}
	return nil
}
