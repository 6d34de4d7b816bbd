package msgfile_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msgfile"
)

// TestConcurrentUse: one message used from several goroutines (run with
// -race): properties, recipients, attachments and saves interleave
// without a race, and what each goroutine saved is there at the end.
func TestConcurrentUse(t *testing.T) {
	m := msgfile.New()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				tag := mapispi.NewPropTag(mapispi.PtLong, uint16(0x6000+g))
				if _, err := m.SetProps(ctx, []mapispi.PropValue{{Tag: tag, Value: int32(i)}}); err != nil {
					t.Error(err)
					return
				}
				if err := m.ModifyRecipients(ctx, mapispi.ModRecipAdd, []mapispi.Row{{{Tag: mapispi.PropDisplayName, Value: fmt.Sprintf("g%d-%d", g, i)}}}); err != nil {
					t.Error(err)
					return
				}
				a, _, err := m.CreateAttach(ctx, 0)
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = a.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropAttachDataBin, Value: []byte{byte(g), byte(i)}}})
				if err := a.SaveChanges(ctx, 0); err != nil {
					t.Error(err)
				}
				_ = a.Close(ctx)
				if _, err := m.GetProps(ctx, nil); err != nil {
					t.Error(err)
				}
				if err := m.SaveChanges(ctx, mapispi.KeepOpenReadWrite); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	rt, _ := m.RecipientTable(ctx, 0)
	n, _ := rt.RowCount(ctx)
	_ = rt.Close(ctx)
	at, _ := m.AttachmentTable(ctx, 0)
	k, _ := at.RowCount(ctx)
	_ = at.Close(ctx)
	if n != 80 || k != 80 {
		t.Errorf("after 4 goroutines added 20 recipients and 20 attachments each: %d recipients, %d attachments; want 80 and 80", n, k)
	}
}
