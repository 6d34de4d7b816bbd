// Package mapi plays MAPI's own side of the message store provider SPI,
// so that a provider runs exactly as MAPI would run it, on any OS.
//
// A [Registry] stands in for the provider DLLs MAPI can load; a [Profile]
// names message services, each with its provider and its profile
// section. [Logon] (MAPILogonEx) starts a [Session]:
//
//	var reg mapi.Registry
//	reg.Register(msprovider.DLLName, backend.Init)
//	session, err := mapi.Logon(ctx, &reg, profile, nil)
//	stores, err := session.MsgStores(ctx)
//	store, err := session.OpenMsgStore(ctx, stores[0].EntryID, mapispi.LogonWrite)
//	...
//	err = session.Logoff(ctx) // reports any buffer a provider leaked
//
// The session follows the rules of the IMSProvider, IMAPISession and
// IMAPISupport pages of the MAPI reference: one provider object per
// provider per session (MSProviderInit is called again for another
// session, and for the spooler, which is another process in MAPI); store
// IDs wrapped with the provider's name; CompareEntryIDs and OpenEntry
// routed by the provider UIDs logons register; a real support object per
// logon; the spooler's logon with the spool security data Logon returned;
// and at Logoff, StoreLogoff, IMSLogon::Logoff and IMSProvider::Shutdown
// in MAPI's order, then the allocator's leak check.
//
// A provider is third-party code: a panic in a call the host makes into
// it is recovered as MAPI_E_CALL_FAILED and disables its service for the
// session. Options.Trace records every call either way, with the SCode a
// C caller would see; Options.Faults makes chosen calls fail, to test a
// provider's failure paths. The conformance kit mapispi/spitest drives
// providers through this package.
package mapi
