package spitest_test

import (
	"context"
	"testing"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapispi/spitest"
	"github.com/mapiemu/mapiemu/msprovider"
)

// storeOptions returns the kit's Options for stores of backend.
func storeOptions(backend *msprovider.Backend) *spitest.Options {
	return &spitest.Options{
		NewStore: func(ctx context.Context) (mapi.Service, error) {
			id, err := backend.CreateStore("Mailbox", nil)
			if err != nil {
				return mapi.Service{}, err
			}
			return mapi.Service{Name: "Mailbox", Provider: msprovider.DLLName,
				Props: []mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte(id)}}}, nil
		},
		NewReadOnlyStore: func(ctx context.Context) (mapi.Service, error) {
			id, err := backend.CreateStore("Archive", &msprovider.StoreOptions{ReadOnly: true})
			if err != nil {
				return mapi.Service{}, err
			}
			return mapi.Service{Name: "Archive", Provider: msprovider.DLLName,
				Props: []mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte(id)}}}, nil
		},
		Aliases: aliases,
	}
}

// aliases are the reference provider's other forms of a store ID: the
// same ID with other abFlags.
func aliases(id mapispi.EntryID) []mapispi.EntryID {
	short := id.Clone()
	short[0] = 0x80 // MAPI_SHORTTERM
	all := id.Clone()
	copy(all, []byte{0xFF, 0xFF, 0xFF, 0xFF})
	return []mapispi.EntryID{short, all}
}

func TestRunReference(t *testing.T) {
	backend := msprovider.NewBackend(msprovider.WithPasswordIterations(1))
	spitest.Run(t, backend.Init, storeOptions(backend))
}

func TestProviderReference(t *testing.T) {
	backend := msprovider.NewBackend(msprovider.WithPasswordIterations(1))
	err := spitest.TestProvider(context.Background(), backend.Init, storeOptions(backend))
	for _, e := range unjoin(err) {
		t.Error(e)
	}
}

// unjoin returns the errors errors.Join joined.
func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
