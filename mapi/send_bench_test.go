package mapi_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
)

// BenchmarkSubmitAndFlush sends messages through the spooler, one op a
// message: compose (subject, class, body, one local recipient), submit,
// and then, when the queue holds its batch, one Flush that locks each
// message, delivers it into the other store's Inbox and finishes it
// (FinishedMsg files it in Sent Items). The sub-benchmarks differ in how
// many messages the queue holds when Flush runs; run them with
// -benchtime=100000x so that the deeper queue is full. The cost per
// message should not grow with the queue.
func BenchmarkSubmitAndFlush(b *testing.B) {
	for _, depth := range []int{1000, 100000} {
		b.Run(fmt.Sprintf("%d-queued", depth), func(b *testing.B) {
			ctx := context.Background()
			w := newWorld(b, "sender", "receiver")
			m := newMailer(b, w, &mapi.Options{ManualFlush: true})
			defer m.close()
			outbox := m.folder("sender", mapispi.PropIPMOutboxEntryID)
			defer outbox.Close(ctx)
			sent := m.storeID("sender", mapispi.PropIPMSentMailEntryID)
			to := []mapispi.Row{{
				{Tag: mapispi.PropDisplayName, Value: "Receiver"},
				{Tag: mapispi.PropAddrType, Value: mapi.LocalAddrType},
				{Tag: mapispi.PropEmailAddress, Value: "receiver"},
				{Tag: mapispi.PropRecipientType, Value: int32(mapispi.RecipTo)},
			}}
			props := []mapispi.PropValue{
				{Tag: mapispi.PropSubject, Value: "a subject"},
				{Tag: mapispi.PropMessageClass, Value: "IPM.Note"},
				{Tag: mapispi.PropBody, Value: "a short body"},
				{Tag: mapispi.PropSentMailEntryID, Value: []byte(sent)},
			}
			flush := func(want int) {
				res, err := m.s.Spooler().Flush(ctx)
				if err != nil || res.Sent != want {
					b.Fatalf("Flush() = %+v, %v; want %d sent", res, err, want)
				}
			}
			queued, deepest := 0, 0
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				msg, err := outbox.CreateMessage(ctx, 0)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := msg.SetProps(ctx, props); err != nil {
					b.Fatal(err)
				}
				if err := msg.ModifyRecipients(ctx, mapispi.ModRecipAdd, to); err != nil {
					b.Fatal(err)
				}
				if err := msg.SubmitMessage(ctx, 0); err != nil {
					b.Fatal(err)
				}
				if err := msg.Close(ctx); err != nil {
					b.Fatal(err)
				}
				queued++
				deepest = max(deepest, queued)
				if queued == depth || i == b.N-1 {
					flush(queued)
					queued = 0
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(deepest), "queue-depth")
		})
	}
}
