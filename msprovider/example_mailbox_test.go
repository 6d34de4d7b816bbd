package msprovider_test

import (
	"context"
	"fmt"
	"time"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msprovider"
)

// A message in the Inbox of an in-memory store, then the Inbox listed
// newest first, through MAPI as a client sees it.
func Example_mailbox() {
	ctx := context.Background()
	backend := msprovider.NewBackend()
	var reg mapi.Registry
	reg.Register(msprovider.DLLName, backend.Init)
	storeID, _ := backend.CreateStore("Mailbox", nil)
	profile := mapi.Profile{Name: "Work", Services: []mapi.Service{{
		Name: "Mailbox", Provider: msprovider.DLLName,
		Props: []mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte(storeID)}},
	}}}
	session, _ := mapi.Logon(ctx, &reg, profile, nil)
	stores, _ := session.MsgStores(ctx)
	store, _ := session.OpenMsgStore(ctx, stores[0].EntryID, mapispi.LogonWrite)

	id, class, _ := store.ReceiveFolder(ctx, "IPM.Note") // the Inbox
	obj, _ := store.OpenEntry(ctx, id, mapispi.OpenModify)
	inbox := obj.(*mapi.Folder)
	for i, subject := range []string{"Hello", "Lunch?"} {
		msg, _ := inbox.CreateMessage(ctx, 0) // invisible until saved
		msg.SetProps(ctx, []mapispi.PropValue{
			{Tag: mapispi.PropSubject, Value: subject},
			{Tag: mapispi.PropMessageDeliveryTime, Value: time2026(9 + i)},
		})
		msg.ModifyRecipients(ctx, 0, []mapispi.Row{{
			{Tag: mapispi.PropDisplayName, Value: "Ann"},
			{Tag: mapispi.PropRecipientType, Value: int32(mapispi.RecipTo)},
		}})
		if err := msg.SaveChanges(ctx, 0); err != nil { // all at once, or nothing
			fmt.Println(err)
		}
		msg.Close(ctx)
	}
	table, _ := inbox.ContentsTable(ctx, 0) // follows every save
	table.SetColumns(ctx, []mapispi.PropTag{mapispi.PropSubject, mapispi.PropDisplayTo})
	table.SortTable(ctx, mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{
		{Tag: mapispi.PropMessageDeliveryTime, Order: mapispi.SortDescend}}})
	rows, _ := table.QueryRows(ctx, 50)
	fmt.Printf("receive folder of IPM.Note (through %q):\n", class)
	for _, r := range rows {
		fmt.Printf("  %-8v to %v\n", r[0].Value, r[1].Value)
	}
	table.Close(ctx)
	inbox.Close(ctx)
	store.Close(ctx)
	fmt.Println("logoff:", session.Logoff(ctx))
	// Output:
	// receive folder of IPM.Note (through "IPM"):
	//   Lunch?   to Ann
	//   Hello    to Ann
	// logoff: <nil>
}

func time2026(hour int) time.Time { return time.Date(2026, 12, 1, hour, 0, 0, 0, time.UTC) }
