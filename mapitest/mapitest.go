// Package mapitest gives tests and examples a MAPI session over
// in-memory stores of the reference provider, as net/http/httptest
// gives them a server: one call registers msprovider, creates the
// stores, builds the profile, logs on and opens every store; Close logs
// off and returns the leak report.
//
//	env, err := mapitest.New(ctx, nil, "alice", "bob")
//	if err != nil { ... }
//	defer func() {
//		if err := env.Close(ctx); err != nil {
//			t.Error(err) // a handle left open, a buffer leaked
//		}
//	}()
//	inbox, err := env.Folder(ctx, "alice", mapitest.Inbox)
package mapitest

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msprovider"
)

// Env is a logged-on session over a profile of reference stores, each
// open read/write.
type Env struct {
	// Backend holds the stores' data; another session over the same
	// Backend (Logon with Registry and Profile) sees the same stores.
	Backend *msprovider.Backend
	// Registry has msprovider registered as msprovider.DLLName.
	Registry *mapi.Registry
	// Profile has one message service per store, named as given to New.
	Profile mapi.Profile
	// Session is the logged-on session.
	Session *mapi.Session

	names  []string
	stores map[string]*mapi.Store
}

// New creates one store per name in a new msprovider.Backend, makes a
// profile with a message service of that name for each (PR_DISPLAY_NAME
// the name), logs on with opts (nil: every default) and opens each
// store read/write. Names must be distinct and not empty. On error
// nothing is left logged on.
func New(ctx context.Context, opts *mapi.Options, names ...string) (*Env, error) {
	e := &Env{Backend: msprovider.NewBackend(), Registry: new(mapi.Registry), Profile: mapi.Profile{Name: "mapitest"},
		names: slices.Clone(names), stores: make(map[string]*mapi.Store, len(names))}
	if err := e.Registry.Register(msprovider.DLLName, e.Backend.Init); err != nil {
		return nil, err
	}
	for _, name := range names {
		id, err := e.Backend.CreateStore(name, nil)
		if err != nil {
			return nil, fmt.Errorf("mapitest: store %q: %w", name, err)
		}
		e.Profile.Services = append(e.Profile.Services, mapi.Service{Name: name, Provider: msprovider.DLLName,
			Props: []mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte(id)}, {Tag: mapispi.PropDisplayName, Value: name}}})
	}
	s, err := mapi.Logon(ctx, e.Registry, e.Profile, opts)
	if err != nil {
		return nil, err
	}
	e.Session = s
	infos, err := s.MsgStores(ctx)
	if err == nil {
		for _, info := range infos {
			st, oerr := s.OpenMsgStore(ctx, info.EntryID, mapispi.LogonWrite)
			if oerr != nil {
				err = fmt.Errorf("mapitest: opening store %q: %w", info.Service, oerr)
				break
			}
			e.stores[info.Service] = st
		}
	}
	if err != nil {
		return nil, errors.Join(err, e.Close(ctx))
	}
	return e, nil
}

// Store returns the open store of the message service called name, or
// nil when there is none.
func (e *Env) Store(name string) *mapi.Store { return e.stores[name] }

// A SpecialFolder is a folder every reference store has, as Folder finds it (MAPI's special folders).
type SpecialFolder int

// The folders Folder opens.
const (
	Root         SpecialFolder = iota // the root folder (OpenEntry of no ID)
	IPMSubtree                        // PR_IPM_SUBTREE_ENTRYID
	Inbox                             // the receive folder for "IPM"
	Outbox                            // PR_IPM_OUTBOX_ENTRYID
	SentItems                         // PR_IPM_SENTMAIL_ENTRYID
	DeletedItems                      // PR_IPM_WASTEBASKET_ENTRYID
)

// Folder opens one of the folders every store has, read/write, in the
// store of the message service called store. Close it when done.
func (e *Env) Folder(ctx context.Context, store string, which SpecialFolder) (*mapi.Folder, error) {
	st := e.stores[store]
	if st == nil {
		return nil, mapispi.Errorf(mapispi.ErrNotFound, "mapitest", "no store %q is open", store)
	}
	var id mapispi.EntryID
	switch which {
	case Root:
	case Inbox:
		rid, _, err := st.ReceiveFolder(ctx, "IPM")
		if err != nil {
			return nil, err
		}
		id = rid
	default:
		tag, ok := map[SpecialFolder]mapispi.PropTag{IPMSubtree: mapispi.PropIPMSubtreeEntryID, Outbox: mapispi.PropIPMOutboxEntryID,
			SentItems: mapispi.PropIPMSentMailEntryID, DeletedItems: mapispi.PropIPMWastebasketEntryID}[which]
		if !ok {
			return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "mapitest", "unknown folder %d", int(which))
		}
		vals, err := st.GetProps(ctx, []mapispi.PropTag{tag})
		if err != nil {
			return nil, err
		}
		b, ok := vals[0].Value.([]byte)
		if !ok {
			return nil, mapispi.Errorf(mapispi.ErrNotFound, "mapitest", "store %q has no %v", store, tag)
		}
		id = b
	}
	return st.OpenFolder(ctx, id, mapispi.OpenModify)
}

// Close closes the stores New opened and logs off. Its error is
// Logoff's: among others a *mapi.LeakError for each handle a test left
// open and an alloc.LeakError for each buffer a provider leaked. A second
// Close is ErrInvalidObject.
func (e *Env) Close(ctx context.Context) error {
	var errs []error
	for _, name := range e.names {
		if st := e.stores[name]; st != nil {
			errs = append(errs, st.Close(ctx))
			delete(e.stores, name)
		}
	}
	if e.Session == nil {
		return errors.Join(errs...)
	}
	errs = append(errs, e.Session.Logoff(ctx))
	return errors.Join(errs...)
}
