package spitest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapispi/spitest"
	"github.com/mapiemu/mapiemu/msprovider"
)

// reference returns the reference provider's InitFunc and the kit's
// Options for it.
func reference() (mapispi.InitFunc, *spitest.Options) {
	backend := msprovider.NewBackend(msprovider.WithPasswordIterations(1))
	return backend.Init, &spitest.Options{
		NewStore: func(ctx context.Context) (mapi.Service, error) {
			id, err := backend.CreateStore("Mailbox", nil)
			if err != nil {
				return mapi.Service{}, err
			}
			return mapi.Service{Name: "Mailbox", Provider: msprovider.DLLName,
				Props: []mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte(id)}}}, nil
		},
		Aliases: aliases,
	}
}

// aliases are the reference provider's other forms of a store ID: any
// abFlags.
func aliases(id mapispi.EntryID) []mapispi.EntryID {
	short := id.Clone()
	short[0] = 0x80
	all := id.Clone()
	copy(all, []byte{0xFF, 0xFF, 0xFF, 0xFF})
	return []mapispi.EntryID{short, all}
}

func TestRunReference(t *testing.T) {
	init, opts := reference()
	spitest.Run(t, init, opts)
}

func TestProviderReference(t *testing.T) {
	init, opts := reference()
	err := spitest.TestProvider(context.Background(), init, opts)
	for _, e := range unjoin(err) {
		t.Error(e)
	}
}

func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

var _ = errors.New
