package msprovider_test

import (
	"context"
	"fmt"

	"github.com/mapiemu/mapiemu/alloc"
	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msprovider"
)

// host plays the part of MAPI's support object, with only the methods a
// logon and logoff call; embedding the interface leaves the rest nil.
type host struct {
	mapispi.Support
	heap    *alloc.Heap
	section section
}

func (h *host) OpenProfileSection(context.Context, mapispi.UID, mapispi.OpenFlags) (mapispi.ProfileSection, error) {
	return h.section, nil
}

func (h *host) WrapStoreEntryID(_ context.Context, inner mapispi.EntryID) (mapispi.EntryID, error) {
	w := entryid.WrapStore(msprovider.DLLName, inner)
	buf, err := h.heap.AllocateBuffer(len(w))
	if err != nil {
		return nil, err
	}
	copy(buf, w)
	return buf, nil
}

func (h *host) MemAllocRoutines() mapispi.Allocator                     { return h.heap }
func (h *host) SetProviderUID(context.Context, mapispi.UID) error       { return nil }
func (h *host) ModifyProfile(context.Context, mapispi.LogonFlags) error { return nil }
func (h *host) ModifyStatusRow(context.Context, []mapispi.PropValue, mapispi.StatusRowFlags) error {
	return nil
}
func (h *host) StoreLogoffTransports(_ context.Context, f mapispi.LogoffFlags) (mapispi.LogoffFlags, error) {
	return mapispi.LogoffComplete, nil
}

// section is a profile section holding the saved password.
type section map[mapispi.PropTag]mapispi.PropValue

func (s section) GetProps(_ context.Context, tags []mapispi.PropTag) ([]mapispi.PropValue, error) {
	out := make([]mapispi.PropValue, len(tags))
	for i, t := range tags {
		v, ok := s[t]
		if !ok {
			v = mapispi.ErrorValue(t, mapispi.ErrNotFound)
		}
		out[i] = v
	}
	return out, nil
}
func (s section) GetPropList(context.Context) ([]mapispi.PropTag, error) { return nil, nil }
func (s section) SetProps(_ context.Context, vals []mapispi.PropValue) ([]mapispi.PropProblem, error) {
	for _, v := range vals {
		s[v.Tag] = v
	}
	return nil, nil
}
func (s section) DeleteProps(context.Context, []mapispi.PropTag) ([]mapispi.PropProblem, error) {
	return nil, nil
}

// One provider object logs on to a store twice (the second a reopen: the
// same store, no new MSLogon), the spooler logs on with the spool
// security data, a store without its password is refused, and Shutdown
// leaves nothing allocated but what was handed to MAPI.
func Example() {
	ctx := context.Background()
	backend := msprovider.NewBackend(msprovider.WithPasswordIterations(1000))
	id, _ := backend.CreateStore("Mailbox", &msprovider.StoreOptions{Password: "s3cret"})
	locked, _ := backend.CreateStore("Locked", &msprovider.StoreOptions{Password: "pw"})

	heap := &alloc.Heap{}
	params := &mapispi.InitParams{Allocator: heap, MAPIVersion: mapispi.SPIVersion}
	provider, version, _ := backend.Init(ctx, params)
	fmt.Println("SPI version:", version)

	sup := &host{heap: heap, section: section{}}
	sup.section[msprovider.PropPassword] = mapispi.PropValue{Tag: msprovider.PropPassword, Value: "s3cret"}
	res, err := provider.Logon(ctx, sup, &mapispi.LogonRequest{EntryID: id, Flags: mapispi.LogonNoDialog | mapispi.LogonWrite})
	if err != nil {
		fmt.Println(err)
		return
	}
	name, _ := res.Store.GetProps(ctx, []mapispi.PropTag{mapispi.PropDisplayName})
	fmt.Println("logged on to", name[0].Value, "with", len(res.SpoolSecurity), "bytes of spool security data")

	again, _ := provider.Logon(ctx, sup, &mapispi.LogonRequest{EntryID: id, Flags: mapispi.LogonNoDialog})
	fmt.Println("reopen: same store:", again.Store == res.Store, "logon object:", again.Logon)

	spool, err := provider.SpoolerLogon(ctx, sup, &mapispi.SpoolerLogonRequest{LogonRequest: mapispi.LogonRequest{EntryID: id}, SpoolSecurity: res.SpoolSecurity})
	fmt.Println("spooler logon:", err == nil, spool.Store.(*msprovider.Store).IsSpooler())
	heap.FreeBuffer(res.SpoolSecurity) // MAPI frees what Logon returned

	_, err = provider.Logon(ctx, &host{heap: heap, section: section{}}, &mapispi.LogonRequest{EntryID: locked, Flags: mapispi.LogonNoDialog})
	fmt.Println(err)

	provider.Shutdown(ctx)
	fmt.Printf("%+v\n", provider.(*msprovider.Provider).Stats())
	fmt.Println("leaks:", heap.CheckLeaks())
	// Output:
	// SPI version: 0.1.16
	// logged on to Mailbox with 65 bytes of spool security data
	// reopen: same store: true logon object: <nil>
	// spooler logon: true true
	// msprovider: store "Locked" needs a password: none in the profile section, and no dialog allowed (MAPI_E_FAILONEPROVIDER)
	// {Logons:1 Reopens:1 SpoolerLogons:1 Logoffs:2 OpenStores:0 ShutDown:true}
	// leaks: <nil>
}
