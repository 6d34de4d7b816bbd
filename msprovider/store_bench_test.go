package msprovider

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/mapiemu/mapiemu/mapispi"
)

// benchInbox logs on to a new store through the provider (a fake support
// object, an alloc.Heap) and returns the store and its Inbox.
func benchInbox(b testing.TB) (*harness, *Store, *Folder) {
	b.Helper()
	h := newHarness(b)
	res := h.mustLogon(newFakeSupport(h.heap), h.store("bench", ""), mapispi.LogonWrite|mapispi.LogonNoDialog)
	b.Cleanup(func() {
		_ = res.Logon.Logoff(context.Background())
		h.free(res)
	})
	st := res.Store.(*Store)
	obj, err := st.OpenEntry(h.ctx, folderEntryID(st.data.uid, inboxID), mapispi.OpenModify)
	if err != nil {
		b.Fatal(err)
	}
	return h, st, obj.(*Folder)
}

// fill adds n messages to folder f through the engine, in batches, as a
// store that already holds them would have them.
func fill(b testing.TB, st *Store, f *Folder, n int) {
	b.Helper()
	e := st.data.eng
	ctx := context.Background()
	const batch = 1000
	for done := 0; done < n; done += batch {
		k := min(batch, n-done)
		if err := e.begin(ctx); err != nil {
			b.Fatal(err)
		}
		first, _ := e.newIDs(k)
		c := &Commit{}
		for i := range k {
			d := smallMessage(first+ID(i), f.id, done+i)
			// What SaveChanges stores with the message.
			d.Props = append(d.Props, mapispi.PropValue{Tag: mapispi.PropMessageSize, Value: int32(messageSize(d))})
			c.Messages = append(c.Messages, d)
		}
		if err := e.commit(ctx, c); err != nil {
			b.Fatal(err)
		}
		fn := e.folders[f.id]
		for _, d := range c.Messages {
			e.messageSaved(fn, d, mapispi.EventObjectCreated, nil)
		}
		e.queue = nil
		e.mu.Unlock()
	}
}

// smallMessage is a message of the memory figure: a subject, a sender
// and a 1 KB body.
func smallMessage(id, folder ID, i int) *MessageData {
	body := make([]byte, 1024)
	for j := range body {
		body[j] = 'a' + byte((i+j)%26)
	}
	return &MessageData{ID: id, Folder: folder, Change: 1, Props: []mapispi.PropValue{
		{Tag: mapispi.PropSubject, Value: fmt.Sprintf("subject %07d", (i*7919)%1000003)},
		{Tag: mapispi.PropSenderName, Value: fmt.Sprintf("Sender %d", i%97)},
		{Tag: mapispi.PropBody, Value: string(body)},
		{Tag: mapispi.PropMessageFlags, Value: int32(0)},
		{Tag: mapispi.PropMessageDeliveryTime, Value: time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC)},
	}}
}

// BenchmarkContentsTable reads a 50-row page at a pseudo-random place of
// a contents table sorted by subject: the cost should not grow with the
// folder.
func BenchmarkContentsTable(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			h, st, inbox := benchInbox(b)
			fill(b, st, inbox, n)
			t, err := inbox.ContentsTable(h.ctx, 0)
			if err != nil {
				b.Fatal(err)
			}
			defer t.Close(h.ctx)
			if err := t.SetColumns(h.ctx, []mapispi.PropTag{mapispi.PropSubject, mapispi.PropSenderName, mapispi.PropMessageDeliveryTime, mapispi.PropEntryID}); err != nil {
				b.Fatal(err)
			}
			if err := t.SortTable(h.ctx, mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: mapispi.PropSubject, Order: mapispi.SortAscend}}}); err != nil {
				b.Fatal(err)
			}
			r := rand.New(rand.NewPCG(1, 2))
			runtime.GC()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if err := t.SeekRowApprox(h.ctx, r.IntN(1000), 1000); err != nil {
					b.Fatal(err)
				}
				rows, err := t.QueryRows(h.ctx, 50)
				if err != nil || len(rows) == 0 {
					b.Fatal(len(rows), err)
				}
			}
		})
	}
}

// BenchmarkContentsTablePageCopy is the floor of BenchmarkContentsTable:
// in a store of the same size, it makes a 50-row page of the same columns
// as any QueryRows must return one, in memory the caller owns (the
// values, their bytes, the rows, and each binary value's slice), from
// one row held in cache. What it costs at 100,000 messages over 1,000 is
// the price of allocating in the bigger heap, whatever the table does.
func BenchmarkContentsTablePageCopy(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			_, st, inbox := benchInbox(b)
			fill(b, st, inbox, n)
			src := []mapispi.PropValue{
				{Tag: mapispi.PropSubject, Value: "subject 0001234"},
				{Tag: mapispi.PropSenderName, Value: "Sender 12"},
				{Tag: mapispi.PropMessageDeliveryTime, Value: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
				{Tag: mapispi.PropEntryID, Value: []byte(messageEntryID(st.data.uid, inbox.id, 100))},
			}
			runtime.GC()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				const rows = 50
				all := make([]mapispi.PropValue, rows*len(src))
				buf := make([]byte, rows*len(src[3].Value.([]byte)))
				page := make([]mapispi.Row, 0, rows)
				for range rows {
					row := all[:len(src):len(src)]
					all = all[len(src):]
					for j, p := range src {
						if v, ok := p.Value.([]byte); ok {
							c := buf[:len(v):len(v)]
							buf = buf[len(v):]
							copy(c, v)
							row[j] = mapispi.PropValue{Tag: p.Tag, Value: c}
							continue
						}
						row[j] = p
					}
					page = append(page, row)
				}
				pageSink = page
			}
		})
	}
}

var pageSink []mapispi.Row

// BenchmarkCreateMessage creates a message, sets 10 properties, adds one
// recipient and one 1 KB attachment, and saves it.
func BenchmarkCreateMessage(b *testing.B) {
	h, _, inbox := benchInbox(b)
	data := make([]byte, 1024)
	props := []mapispi.PropValue{
		{Tag: mapispi.PropSubject, Value: "a subject"},
		{Tag: mapispi.PropMessageClass, Value: "IPM.Note"},
		{Tag: mapispi.PropSenderName, Value: "Sender"},
		{Tag: mapispi.PropSenderEmailAddress, Value: "sender@example.com"},
		{Tag: mapispi.PropBody, Value: "a short body"},
		{Tag: mapispi.PropImportance, Value: int32(1)},
		{Tag: mapispi.PropPriority, Value: int32(0)},
		{Tag: mapispi.PropSensitivity, Value: int32(0)},
		{Tag: mapispi.PropMessageDeliveryTime, Value: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		{Tag: mapispi.PropClientSubmitTime, Value: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	recip := []mapispi.Row{{{Tag: mapispi.PropDisplayName, Value: "Ann"}, {Tag: mapispi.PropRecipientType, Value: int32(1)}}}
	attProps := []mapispi.PropValue{{Tag: mapispi.PropAttachMethod, Value: int32(1)}, {Tag: mapispi.PropAttachDataBin, Value: data}}
	ctx := h.ctx
	b.ReportAllocs()
	for b.Loop() {
		m, err := inbox.CreateMessage(ctx, 0)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := m.SetProps(ctx, props); err != nil {
			b.Fatal(err)
		}
		if err := m.ModifyRecipients(ctx, 0, recip); err != nil {
			b.Fatal(err)
		}
		a, _, err := m.CreateAttach(ctx, 0)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := a.SetProps(ctx, attProps); err != nil {
			b.Fatal(err)
		}
		if err := a.SaveChanges(ctx, 0); err != nil {
			b.Fatal(err)
		}
		_ = a.Close(ctx)
		if err := m.SaveChanges(ctx, 0); err != nil {
			b.Fatal(err)
		}
		_ = m.Close(ctx)
	}
}

// readTags are the 10 properties BenchmarkOpenMessage reads.
var readTags = []mapispi.PropTag{
	mapispi.PropSubject, mapispi.PropSenderName, mapispi.PropMessageClass, mapispi.PropMessageFlags,
	mapispi.PropMessageDeliveryTime, mapispi.PropImportance, mapispi.PropDisplayTo, mapispi.PropHasAttach,
	mapispi.PropMessageSize, mapispi.PropEntryID,
}

// BenchmarkGoMapRead10 is the baseline of BenchmarkOpenMessage: the same
// 10 properties read from a Go map of a message's properties into a new
// slice.
func BenchmarkGoMapRead10(b *testing.B) {
	d := smallMessage(100, inboxID, 1)
	m := map[mapispi.PropTag]mapispi.PropValue{}
	for _, v := range d.Props {
		m[v.Tag] = v
	}
	for _, t := range readTags {
		if _, ok := m[t]; !ok {
			m[t] = mapispi.PropValue{Tag: t, Value: int32(0)}
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		out := make([]mapispi.PropValue, len(readTags))
		for i, t := range readTags {
			out[i] = m[t]
		}
		sink = out
	}
}

var sink []mapispi.PropValue

// BenchmarkOpenMessage opens a saved message by its entry ID, reads 10
// properties and closes it.
func BenchmarkOpenMessage(b *testing.B) {
	h, st, inbox := benchInbox(b)
	fill(b, st, inbox, 1000)
	id := messageEntryID(st.data.uid, inbox.id, 500+deletedItemsID+1)
	ctx := h.ctx
	b.ReportAllocs()
	for b.Loop() {
		obj, err := st.OpenEntry(ctx, id, 0)
		if err != nil {
			b.Fatal(err)
		}
		vals, err := obj.GetProps(ctx, readTags)
		if err != nil || len(vals) != len(readTags) {
			b.Fatal(err)
		}
		sink = vals
		_ = obj.Close(ctx)
	}
}
