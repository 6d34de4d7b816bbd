package msgfile_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msgfile"
)

// A message made in memory, written as a .msg file, and read back.
func Example() {
	ctx := context.Background()
	m := msgfile.New()
	_, _ = m.SetProps(ctx, []mapispi.PropValue{
		{Tag: mapispi.PropSubject, Value: "Quarterly report"},
		{Tag: mapispi.PropMessageClass, Value: "IPM.Note"},
	})
	_ = m.ModifyRecipients(ctx, mapispi.ModRecipAdd, []mapispi.Row{{
		{Tag: mapispi.PropDisplayName, Value: "Ann"},
		{Tag: mapispi.PropRecipientType, Value: int32(mapispi.RecipTo)},
	}})
	_ = m.SaveChanges(ctx, 0)
	var file bytes.Buffer
	_, _ = m.WriteTo(&file)

	back, err := msgfile.Read(bytes.NewReader(file.Bytes()), int64(file.Len()), 0)
	if err != nil {
		panic(err)
	}
	defer back.Close(ctx)
	vals, _ := back.GetProps(ctx, []mapispi.PropTag{mapispi.PropSubject})
	table, _ := back.RecipientTable(ctx, 0)
	n, _ := table.RowCount(ctx)
	_ = table.Close(ctx)
	fmt.Println(vals[0].Value, "to", n, "recipient")
	// Output: Quarterly report to 1 recipient
}
