package msprovider_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msprovider"
)

// TestStressSessionsAndSpooler runs the provider as MAPI runs it: two
// sessions (two provider objects each, the client's and the spooler's)
// over one backend, with workers opening password-protected stores
// (the saved password in the profile), which has the spooler log on with
// Logon's spool security data, comparing IDs and closing their handles
// (the last one logs the store off), racing each other. Both sessions log off with no error and no leak.
// Run it with -race.
func TestStressSessionsAndSpooler(t *testing.T) {
	const workers, stores = 16, 4
	iters := 100
	if testing.Short() {
		iters = 15
	}
	ctx := context.Background()
	backend := msprovider.NewBackend(msprovider.WithPasswordIterations(1))
	var reg mapi.Registry
	if err := reg.Register(msprovider.DLLName, backend.Init); err != nil {
		t.Fatal(err)
	}
	profile := mapi.Profile{Name: "stress"}
	for i := range stores {
		pw := fmt.Sprintf("pw %d", i)
		id, err := backend.CreateStore(fmt.Sprintf("spooled %d", i), &msprovider.StoreOptions{Password: pw})
		if err != nil {
			t.Fatal(err)
		}
		profile.Services = append(profile.Services, mapi.Service{Name: fmt.Sprint(i), Provider: msprovider.DLLName, Props: []mapispi.PropValue{
			{Tag: mapispi.PropEntryID, Value: []byte(id)}, {Tag: msprovider.PropPassword, Value: pw},
		}})
	}
	var sessions [2]*mapi.Session
	for i := range sessions {
		s, err := mapi.Logon(ctx, &reg, profile, nil)
		if err != nil {
			t.Fatal(err)
		}
		sessions[i] = s
	}
	table, err := sessions[0].MsgStores(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := range iters {
				s := sessions[(w+i)%2]
				k := (w + i) % stores
				st, err := s.OpenMsgStore(ctx, table[k].EntryID, mapispi.LogonNoDialog)
				if err != nil {
					errs <- fmt.Errorf("worker %d cycle %d: OpenMsgStore: %w", w, i, err)
					return
				}
				if same, err := s.CompareEntryIDs(ctx, table[k].EntryID, table[(k+1)%stores].EntryID); err != nil || same {
					errs <- fmt.Errorf("CompareEntryIDs(different stores) = %v, %v", same, err)
					return
				}
				if i%3 == 0 {
					if _, err := st.StoreLogoff(ctx, mapispi.LogoffNoWait); err != nil {
						errs <- fmt.Errorf("worker %d cycle %d: StoreLogoff: %w", w, i, err)
						return
					}
				}
				if err := st.Close(ctx); err != nil {
					errs <- fmt.Errorf("worker %d cycle %d: Close: %w", w, i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	spooled := 0
	for _, s := range sessions {
		for _, info := range s.Spooler().Stores() {
			if info.Err != nil {
				t.Errorf("spooler logon of %s: %v", info.Service, info.Err)
			}
			spooled++
		}
		if err := s.Logoff(ctx); err != nil {
			t.Errorf("Logoff = %v", err)
		}
	}
	if spooled == 0 {
		t.Errorf("the spooler made no logons")
	}
}

// TestSessionRoutesEachStoresIDs: with two stores open in one session
// (one provider object), the host routes an entry ID of store B to store
// B's logon, by the UID B registered and B's IDs carry, and not to the
// first logon of the provider.
func TestSessionRoutesEachStoresIDs(t *testing.T) {
	ctx := context.Background()
	backend := msprovider.NewBackend(msprovider.WithPasswordIterations(1))
	var reg mapi.Registry
	if err := reg.Register(msprovider.DLLName, backend.Init); err != nil {
		t.Fatal(err)
	}
	var profile mapi.Profile
	var ids []mapispi.EntryID
	for _, name := range []string{"A", "B"} {
		id, err := backend.CreateStore(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		profile.Services = append(profile.Services, mapi.Service{Name: name, Provider: msprovider.DLLName,
			Props: []mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte(id)}}})
	}
	var mu sync.Mutex
	var calls []mapi.Call
	s, err := mapi.Logon(ctx, &reg, profile, &mapi.Options{Trace: func(c mapi.Call) {
		mu.Lock()
		calls = append(calls, c)
		mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Logoff(ctx)
	rows, err := s.MsgStores(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		st, err := s.OpenMsgStore(ctx, r.EntryID, mapispi.LogonNoDialog)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close(ctx)
	}
	// reached returns the services whose logon got method since mark.
	reached := func(method string, mark int) []string {
		mu.Lock()
		defer mu.Unlock()
		var out []string
		for _, c := range calls[mark:] {
			if c.Method == method {
				out = append(out, c.Service)
			}
		}
		return out
	}
	mark := func() int { mu.Lock(); defer mu.Unlock(); return len(calls) }

	for i, name := range []string{"A", "B"} {
		m := mark()
		if obj, err := s.OpenEntry(ctx, ids[i], 0); !errors.Is(err, mapispi.ErrNoSupport) {
			t.Errorf("Session.OpenEntry(store %s's ID) = %v, %v, want ErrNoSupport from its own logon", name, obj, err)
		}
		if got := reached("IMSLogon::OpenEntry", m); len(got) != 1 || got[0] != name {
			t.Errorf("Session.OpenEntry(store %s's ID) reached the logons of %v, want [%s]", name, got, name)
		}
		m = mark()
		if same, err := s.CompareEntryIDs(ctx, ids[i], ids[i]); err != nil || !same {
			t.Errorf("Session.CompareEntryIDs(store %s's ID, itself) = %v, %v, want true", name, same, err)
		}
		if got := reached("IMSLogon::CompareEntryIDs", m); len(got) != 1 || got[0] != name {
			t.Errorf("Session.CompareEntryIDs(store %s's ID, itself) reached the logons of %v, want [%s]", name, got, name)
		}
	}
}
