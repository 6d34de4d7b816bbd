package mapi

import (
	"context"
	"testing"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msprovider"
)

// spoolerSession opens two stores as OpenMsgStore does but without the
// spooler's logon, keeping the spool security data the logons returned.
func spoolerSession(t *testing.T) (*Session, [][]byte, []*service, []mapispi.EntryID) {
	t.Helper()
	backend := msprovider.NewBackend(msprovider.WithPasswordIterations(1))
	var reg Registry
	if err := reg.Register(msprovider.DLLName, backend.Init); err != nil {
		t.Fatal(err)
	}
	var p Profile
	var ids []mapispi.EntryID
	for _, name := range []string{"A", "B"} {
		id, err := backend.CreateStore(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		p.Services = append(p.Services, Service{Name: name, Provider: msprovider.DLLName, Props: []mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte(id)}}})
	}
	var tokens [][]byte
	s, err := Logon(context.Background(), &reg, p, &Options{Trace: func(c Call) {}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range ids {
		svc := s.services[i]
		prov, err := s.providerFor(context.Background(), svc)
		if err != nil {
			t.Fatal(err)
		}
		l := s.newLogon(svc, prov, false)
		res, emit, err := s.callLogon(context.Background(), svc, prov, l, &mapispi.LogonRequest{EntryID: ids[i], Flags: 0})
		emit()
		if err != nil {
			t.Fatal(err)
		}
		l.attach(res.Logon, res.Store)
		s.mu.Lock()
		svc.logon = l
		s.mu.Unlock()
		token, err := s.takeSpoolSecurity(res.SpoolSecurity)
		if err != nil || len(token) == 0 {
			t.Fatalf("takeSpoolSecurity = %x, %v", token, err)
		}
		tokens = append(tokens, token)
	}
	t.Cleanup(func() {
		if err := s.Logoff(context.Background()); err != nil {
			t.Errorf("Logoff: %v", err)
		}
	})
	return s, tokens, s.services, ids
}

func TestSpoolerLogonChecksToken(t *testing.T) {
	ctx := context.Background()
	s, tokens, services, ids := spoolerSession(t)
	sp := s.spooler

	// A changed byte anywhere in the token is refused.
	for i := range tokens[0] {
		bad := append([]byte(nil), tokens[0]...)
		bad[i] ^= 0x01
		if l, err := sp.spoolerLogon(ctx, services[0], ids[0], bad); err == nil {
			l.shutdown(ctx)
			t.Fatalf("SpoolerLogon accepted the token with byte %d changed", i)
		}
	}
	// Store B's token does not open store A.
	if l, err := sp.spoolerLogon(ctx, services[0], ids[0], tokens[1]); err == nil {
		l.shutdown(ctx)
		t.Fatalf("SpoolerLogon of store A accepted store B's token")
	}
	// The genuine token does, through a provider object of the spooler's own.
	l, err := sp.spoolerLogon(ctx, services[0], ids[0], tokens[0])
	if err != nil {
		t.Fatalf("SpoolerLogon with Logon's token: %v", err)
	}
	if l.p == services[0].logon.p {
		t.Errorf("the spooler logged on through the client's provider object, want its own")
	}
	if err := l.shutdown(ctx); err != nil {
		t.Errorf("spooler logoff: %v", err)
	}
}

func TestNoMailSkipsSpooler(t *testing.T) {
	ctx := context.Background()
	backend := msprovider.NewBackend(msprovider.WithPasswordIterations(1))
	var reg Registry
	if err := reg.Register(msprovider.DLLName, backend.Init); err != nil {
		t.Fatal(err)
	}
	id, _ := backend.CreateStore("A", nil)
	s, err := Logon(ctx, &reg, Profile{Services: []Service{{Name: "A", Provider: msprovider.DLLName, Props: []mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte(id)}}}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	stores, _ := s.MsgStores(ctx)
	st, err := s.OpenMsgStore(ctx, stores[0].EntryID, mapispi.LogonNoMail)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(ctx)
	if got := s.Spooler().Stores(); len(got) != 0 {
		t.Errorf("Spooler().Stores() after an MDB_NO_MAIL open = %v, want none", got)
	}
	st.Close(ctx)
	if err := s.Logoff(ctx); err != nil {
		t.Errorf("Logoff: %v", err)
	}
}
