package mapi

import (
	"context"
	"errors"
	"testing"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msprovider"
)

// TestFailedOpenLeavesNothing: an open of a store no service holds, which
// the provider refuses, leaves no temporary service behind (each used to
// add one, forever: 20,000 failed opens cost 20 MiB).
func TestFailedOpenLeavesNothing(t *testing.T) {
	ctx := context.Background()
	backend := msprovider.NewBackend(msprovider.WithPasswordIterations(1))
	var reg Registry
	if err := reg.Register(msprovider.DLLName, backend.Init); err != nil {
		t.Fatal(err)
	}
	id, err := backend.CreateStore("Mailbox", nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Logon(ctx, &reg, Profile{Services: []Service{{Name: "Mailbox", Provider: msprovider.DLLName,
		Props: []mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte(id)}}}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Logoff(ctx)
	// Store IDs of the reference provider that its backend does not hold.
	other := msprovider.NewBackend(msprovider.WithPasswordIterations(1))
	for i := range 100 {
		unknown, err := other.CreateStore("elsewhere", nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.OpenMsgStore(ctx, entryid.WrapStore(msprovider.DLLName, unknown), 0)
		if !errors.Is(err, mapispi.ErrNotFound) {
			t.Fatalf("OpenMsgStore(a store the backend lacks) #%d = %v, want ErrNotFound", i, err)
		}
	}
	s.mu.RLock()
	services, keys := len(s.services), len(s.byKey)
	s.mu.RUnlock()
	if services != 1 || keys != 1 {
		t.Errorf("after 100 failed opens the session has %d services and %d keys, want 1 and 1", services, keys)
	}
	st, err := s.OpenMsgStore(ctx, entryid.WrapStore(msprovider.DLLName, id), 0)
	if err != nil {
		t.Fatalf("OpenMsgStore of the profile's store after failed opens: %v", err)
	}
	st.Close(ctx)
}

// TestKitSupportRacesLogoff: a support object asked for while Logoff runs
// is either refused or ends with the session: none outlives Logoff (1 in
// 300 used to keep working).
func TestKitSupportRacesLogoff(t *testing.T) {
	ctx := context.Background()
	backend := msprovider.NewBackend(msprovider.WithPasswordIterations(1))
	var reg Registry
	if err := reg.Register(msprovider.DLLName, backend.Init); err != nil {
		t.Fatal(err)
	}
	id, _ := backend.CreateStore("Mailbox", nil)
	profile := Profile{Services: []Service{{Name: "Mailbox", Provider: msprovider.DLLName,
		Props: []mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte(id)}}}}}
	for i := range 300 {
		s, err := Logon(ctx, &reg, profile, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.kitProvider(ctx, "Mailbox"); err != nil { // loaded before the race
			t.Fatal(err)
		}
		got := make(chan mapispi.Support, 1)
		go func() {
			sup, _ := s.kitSupport(ctx, "Mailbox", false)
			got <- sup
		}()
		if err := s.Logoff(ctx); err != nil {
			t.Fatal(err)
		}
		if sup := <-got; sup != nil {
			if _, err := sup.NewUID(); !errors.Is(err, mapispi.ErrInvalidObject) {
				t.Fatalf("round %d: a support object got while Logoff ran answers NewUID after Logoff with %v, want ErrInvalidObject", i, err)
			}
		}
	}
}
