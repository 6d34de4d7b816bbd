package mapi_test

import (
	"context"
	"fmt"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msprovider"
)

// Logon a session on a profile with one store of the reference provider,
// open the store through the message store table, compare its wrapped ID
// with the unwrapped one, close the store's handle, and log off with the
// leak check, which would list a handle left open.
func Example() {
	ctx := context.Background()
	backend := msprovider.NewBackend()
	var reg mapi.Registry
	reg.Register(msprovider.DLLName, backend.Init)
	id, _ := backend.CreateStore("Mailbox", nil)
	profile := mapi.Profile{Name: "Work", Services: []mapi.Service{{
		Name: "Mailbox", Provider: msprovider.DLLName,
		Props: []mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte(id)}},
	}}}

	session, err := mapi.Logon(ctx, &reg, profile, nil)
	if err != nil {
		panic(err)
	}
	stores, _ := session.MsgStores(ctx)
	store, err := session.OpenMsgStore(ctx, stores[0].EntryID, mapispi.LogonWrite)
	if err != nil {
		panic(err)
	}
	vals, _ := store.GetProps(ctx, []mapispi.PropTag{mapispi.PropDisplayName})
	same, _ := session.CompareEntryIDs(ctx, stores[0].EntryID, id)
	fmt.Println(vals[0].Value, "open, wrapped and unwrapped IDs name one store:", same)
	fmt.Println("Close:", store.Close(ctx)) // the last handle: the store logs off
	fmt.Println("Logoff:", session.Logoff(ctx))
	// Output:
	// Mailbox open, wrapped and unwrapped IDs name one store: true
	// Close: <nil>
	// Logoff: <nil>
}
