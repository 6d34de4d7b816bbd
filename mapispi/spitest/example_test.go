package spitest_test

import (
	"context"
	"fmt"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapispi/spitest"
	"github.com/mapiemu/mapiemu/msprovider"
)

// The kit against the reference provider: NewStore makes a store and
// returns the message service that names it. In a provider's own tests,
// spitest.Run(t, init, opts) reports each case as a subtest instead.
func ExampleTestProvider() {
	backend := msprovider.NewBackend(msprovider.WithPasswordIterations(1))
	err := spitest.TestProvider(context.Background(), backend.Init, &spitest.Options{
		NewStore: func(ctx context.Context) (mapi.Service, error) {
			id, err := backend.CreateStore("Mailbox", nil)
			return mapi.Service{Name: "Mailbox", Provider: msprovider.DLLName,
				Props: []mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte(id)}}}, err
		},
	})
	fmt.Println("violations:", err)
	// Output: violations: <nil>
}
