package msprovider

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/mapispi"
)

// TestSinkMayCallTheMessageItsSaveNotifies: the store holds no lock of
// its own while it calls Support.Notify, so a sink that the support calls
// in the saving goroutine (as NOTIFY_SYNC subscriptions are) may call the
// message being saved or submitted.
func TestSinkMayCallTheMessageItsSaveNotifies(t *testing.T) {
	for _, op := range []string{"SaveChanges", "SubmitMessage"} {
		t.Run(op, func(t *testing.T) {
			w := newSendWorld(t)
			outbox := storeFolder(t, w.client, mapispi.PropIPMOutboxEntryID)
			m := draft(t, outbox, "reentrant", 1)
			calls := 0
			_, err := w.client.Advise(bg0, nil, mapispi.EventObjectCreated|mapispi.EventObjectModified, mapispi.AdviseSinkFunc(func([]mapispi.Notification) mapispi.CallbackResult {
				calls++
				_, _ = m.GetProps(bg0, []mapispi.PropTag{mapispi.PropSubject})
				return mapispi.CallbackContinue
			}))
			require.NoError(t, err)
			done := make(chan error, 1)
			go func() {
				if op == "SaveChanges" {
					done <- m.SaveChanges(bg0, mapispi.KeepOpenReadWrite)
				} else {
					done <- m.SubmitMessage(bg0, 0)
				}
			}()
			select {
			case err := <-done:
				require.NoError(t, err, op)
			case <-time.After(5 * time.Second):
				t.Fatalf("%s did not return in 5 s: a sink calling the message waits for a lock the save holds", op)
			}
			require.NotZero(t, calls, "the sink was called")
		})
	}
}
