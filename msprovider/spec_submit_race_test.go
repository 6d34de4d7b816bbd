package msprovider

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/mapispi"
)

// TestSubmitRace: two client sessions submit while two spooler logons
// (one per session, over the same Backend) lock and finish what the
// queue lists, all at once. Every message ends either queued or sent
// (moved to Sent Items) exactly once, and the spoolers' last pass sends
// what is left: no lock is given twice, no
// FinishedMsg of a locked message fails, and the queue and the folders
// agree. Run it with -race.
func TestSubmitRace(t *testing.T) {
	const perClient = 30
	w := newSendWorld(t)
	p2 := w.h.newProvider()
	sup2 := newFakeSupport(w.h.heap)
	res, err := p2.Logon(w.h.ctx, sup2, &mapispi.LogonRequest{EntryID: w.id, Flags: mapispi.LogonWrite | mapispi.LogonNoDialog})
	require.NoError(t, err)
	t.Cleanup(func() { _ = p2.Shutdown(w.h.ctx) })
	token := slices.Clone(res.SpoolSecurity)
	w.h.free(res)
	spooler2, _ := w.spoolerLogon(t, token)
	clients := []*Store{w.client, res.Store.(*Store)}
	spoolers := []*Store{w.spooler, spooler2}

	sentItems := storeFolder(t, w.client, mapispi.PropIPMSentMailEntryID)
	sentID := entryIDOf(t, sentItems)

	var mu sync.Mutex
	finished := map[string]int{}
	var done atomic.Bool
	errs := make(chan error, 16)
	var wg sync.WaitGroup
	for c, st := range clients {
		outbox := storeFolder(t, st, mapispi.PropIPMOutboxEntryID)
		wg.Go(func() {
			for i := range perClient {
				if err := submitTo(outbox, fmt.Sprintf("c%d-%d", c, i), sentID); err != nil {
					errs <- fmt.Errorf("client %d message %d: %w", c, i, err)
					return
				}
			}
		})
	}
	var sw sync.WaitGroup
	for k, sp := range spoolers {
		sw.Go(func() {
			for last := false; !last; {
				last = done.Load()
				tbl, err := sp.OutgoingQueue(bg0)
				if err != nil {
					errs <- fmt.Errorf("spooler %d OutgoingQueue: %w", k, err)
					return
				}
				rows, err := tbl.QueryRows(bg0, 1000)
				_ = tbl.Close(bg0)
				if err != nil {
					errs <- fmt.Errorf("spooler %d QueryRows: %w", k, err)
					return
				}
				for _, r := range rows {
					id, _ := rowValue(r, mapispi.PropEntryID).([]byte)
					subject, _ := rowValue(r, mapispi.PropSubject).(string)
					obj, err := sp.OpenEntry(bg0, id, mapispi.OpenModify)
					if err != nil {
						continue // sent and moved by the other spooler
					}
					err = sp.SetLockState(bg0, obj, mapispi.MsgLocked)
					switch {
					case errors.Is(err, mapispi.ErrBusy), errors.Is(err, mapispi.ErrNotInQueue):
					case err != nil:
						errs <- fmt.Errorf("spooler %d SetLockState(%s): %w", k, subject, err)
					default:
						if err := sp.FinishedMsg(bg0, id); err != nil {
							errs <- fmt.Errorf("spooler %d FinishedMsg(%s) of its locked message: %w", k, subject, err)
						} else {
							mu.Lock()
							finished[subject]++
							mu.Unlock()
						}
					}
					_ = obj.Close(bg0)
				}
			}
		})
	}
	wg.Wait()
	done.Store(true)
	sw.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	// Each spooler's last pass starts after every submission: what is
	// queued then, one of them locks and finishes.
	if want := len(clients) * perClient; len(finished) != want {
		t.Errorf("%d messages finished, want all %d", len(finished), want)
	}
	queued := map[string]bool{}
	for _, r := range queueRows(t, w.spooler) {
		queued[rowValue(r, mapispi.PropSubject).(string)] = true
	}
	sent := map[string]bool{}
	for _, s := range contentSubjects(t, sentItems) {
		sent[s] = true
	}
	outboxLeft := contentSubjects(t, storeFolder(t, w.client, mapispi.PropIPMOutboxEntryID))
	for c := range clients {
		for i := range perClient {
			s := fmt.Sprintf("c%d-%d", c, i)
			switch n := finished[s]; {
			case n > 1:
				t.Errorf("%s finished %d times, want at most once", s, n)
			case n == 1 && (!sent[s] || queued[s]):
				t.Errorf("%s finished: in Sent Items %v, queued %v; want sent and not queued", s, sent[s], queued[s])
			case n == 0 && (!queued[s] || sent[s]):
				t.Errorf("%s not finished: queued %v, in Sent Items %v; want queued only", s, queued[s], sent[s])
			}
		}
	}
	if len(outboxLeft) != len(queued) {
		t.Errorf("Outbox holds %d messages, queue %d: want the queued ones only", len(outboxLeft), len(queued))
	}
}

// TestSubmitUnderEveryAllocationFault: an allocation failure at any step
// of composing and submitting a message leaves the store with nothing
// new or the whole submission (saved, queued, with its attachment), and
// the error is ErrNotEnoughMemory.
func TestSubmitUnderEveryAllocationFault(t *testing.T) {
	fired := 0
	for n := 0; n < 200; n++ {
		w := newSendWorld(t)
		outbox := storeFolder(t, w.client, mapispi.PropIPMOutboxEntryID)
		w.h.heap.FailAfter(n)
		err := composeAndSubmit(outbox)
		w.h.heap.FailAfter(-1)
		rows := queueRows(t, w.spooler)
		inOutbox := contentSubjects(t, outbox)
		if err == nil {
			if len(rows) != 1 || !slices.Equal(inOutbox, []string{"whole"}) || rowValue(rows[0], mapispi.PropSubject) != "whole" {
				t.Fatalf("after a fault-free run (#%d): queue %v, Outbox %v; want the one message", n, subjects(rows), inOutbox)
			}
			m := openMsg(t, w.spooler, rowValue(rows[0], mapispi.PropEntryID).([]byte), 0)
			if f := msgFlags(t, m); f&mapispi.MsgFlagHasAttach == 0 {
				t.Errorf("the submitted message's flags = %v, want its attachment", f)
			}
			t.Logf("%d allocation faults, each leaving nothing new", fired)
			if fired == 0 {
				t.Errorf("no allocation fault fired: the steps allocate nothing")
			}
			return
		}
		fired++
		if !errors.Is(err, mapispi.ErrNotEnoughMemory) {
			t.Errorf("fault #%d: compose and submit = %v, want ErrNotEnoughMemory", n, err)
		}
		if len(rows) != 0 || len(inOutbox) != 0 {
			t.Errorf("fault #%d (%v): queue %v, Outbox %v; want nothing new", n, err, subjects(rows), inOutbox)
		}
	}
	t.Fatalf("composing and submitting still failed after 200 allocations")
}

// composeAndSubmit makes a message with a recipient and an attachment in
// f and submits it without saving it first.
func composeAndSubmit(f *Folder) error {
	obj, err := f.CreateMessage(bg0, 0)
	if err != nil {
		return fmt.Errorf("CreateMessage: %w", err)
	}
	m := obj.(*Message)
	defer m.Close(bg0)
	if _, err := m.SetProps(bg0, []mapispi.PropValue{{Tag: mapispi.PropSubject, Value: "whole"}}); err != nil {
		return fmt.Errorf("SetProps: %w", err)
	}
	if err := m.ModifyRecipients(bg0, 0, []mapispi.Row{{{Tag: mapispi.PropDisplayName, Value: "Ann"}, {Tag: mapispi.PropRecipientType, Value: int32(1)}}}); err != nil {
		return fmt.Errorf("ModifyRecipients: %w", err)
	}
	att, _, err := m.CreateAttach(bg0, 0)
	if err != nil {
		return fmt.Errorf("CreateAttach: %w", err)
	}
	defer att.Close(bg0)
	if _, err := att.SetProps(bg0, []mapispi.PropValue{{Tag: mapispi.PropAttachMethod, Value: int32(mapispi.AttachByValue)}, {Tag: mapispi.PropAttachDataBin, Value: []byte("data")}}); err != nil {
		return fmt.Errorf("attachment SetProps: %w", err)
	}
	if err := att.SaveChanges(bg0, 0); err != nil {
		return fmt.Errorf("attachment SaveChanges: %w", err)
	}
	if err := m.SubmitMessage(bg0, 0); err != nil {
		return fmt.Errorf("SubmitMessage: %w", err)
	}
	return nil
}

// submitTo submits a new message with one recipient in f, to be moved to
// the folder sent names once sent (for goroutines: no test helpers).
func submitTo(f *Folder, subject string, sent []byte) error {
	obj, err := f.CreateMessage(bg0, 0)
	if err != nil {
		return err
	}
	m := obj.(*Message)
	defer m.Close(bg0)
	if _, err := m.SetProps(bg0, []mapispi.PropValue{{Tag: mapispi.PropSubject, Value: subject}, {Tag: mapispi.PropSentMailEntryID, Value: sent}}); err != nil {
		return err
	}
	if err := m.ModifyRecipients(bg0, 0, []mapispi.Row{{{Tag: mapispi.PropDisplayName, Value: "Ann"}, {Tag: mapispi.PropRecipientType, Value: int32(1)}}}); err != nil {
		return err
	}
	return m.SubmitMessage(bg0, 0)
}
