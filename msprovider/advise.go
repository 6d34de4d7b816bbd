package msprovider

import (
	"context"

	"github.com/mapiemu/mapiemu/mapispi"
)

var (
	_ mapispi.Adviser = (*Store)(nil)
	_ mapispi.Adviser = (*Logon)(nil)
)

// adviseKey returns the notification key of id: the store's for nil or
// the store's own ID, else the long-term entry ID of the folder or
// message (abFlags cleared, so that every form of the ID reaches the
// same sinks).
func (s *Store) adviseKey(id mapispi.EntryID) ([]byte, error) {
	e := s.data.eng
	if id == nil {
		return e.storeKey(), nil
	}
	if err := s.owns("Advise", id); err != nil {
		return nil, err
	}
	if s.isStoreID(id) {
		if _, err := parseAnyStoreID(id); err != nil {
			return nil, err
		}
		return e.storeKey(), nil
	}
	ref, err := parseObjectID(s.data.uid, id)
	if err != nil {
		return nil, err
	}
	if ref.typ == mapispi.ObjFolder {
		return e.folderID(ref.id), nil
	}
	return e.messageID(ref.folder, ref.id), nil
}

// Advise is IMsgStore::Advise: sink gets the events of mask for the
// object id names, or for the whole store when id is nil, through the
// support object's Subscribe. The store sends, as the "Handling Message
// Store Notifications" page recommends: ObjectCreated (store) when a
// folder is made or a message first saved; ObjectModified (store, the
// object) when a message is saved again or a folder's properties or
// counts change; ObjectDeleted, ObjectMoved and ObjectCopied (store, the
// object, with the old IDs for moves and copies). Table changes come
// through the tables' own Advise.
func (s *Store) Advise(ctx context.Context, id mapispi.EntryID, events mapispi.EventMask, sink mapispi.AdviseSink) (mapispi.Connection, error) {
	if err := s.check("Advise"); err != nil {
		return 0, err
	}
	return s.advise(ctx, id, events, sink)
}

func (s *Store) advise(ctx context.Context, id mapispi.EntryID, events mapispi.EventMask, sink mapispi.AdviseSink) (mapispi.Connection, error) {
	if sink == nil || events == 0 {
		return 0, mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "Advise: no sink or no events")
	}
	if err := events.Check(); err != nil {
		return 0, err
	}
	key, err := s.adviseKey(id)
	if err != nil {
		return 0, err
	}
	sup := s.support()
	if sup == nil {
		return 0, errLoggedOff("Advise")
	}
	c, err := sup.Subscribe(ctx, key, events, 0, sink)
	if err != nil {
		return 0, supportError("IMAPISupport::Subscribe", err, "Advise")
	}
	return c, nil
}

// Unadvise is IMsgStore::Unadvise, through the support object's
// Unsubscribe: an unknown connection is ErrNotFound.
func (s *Store) Unadvise(ctx context.Context, conn mapispi.Connection) error {
	if err := s.check("Unadvise"); err != nil {
		return err
	}
	return s.unadvise(ctx, conn)
}

func (s *Store) unadvise(ctx context.Context, conn mapispi.Connection) error {
	sup := s.support()
	if sup == nil {
		return errLoggedOff("Unadvise")
	}
	return sup.Unsubscribe(ctx, conn)
}

// Advise is IMSLogon::Advise, as Store.Advise, until Logoff.
func (l *Logon) Advise(ctx context.Context, id mapispi.EntryID, events mapispi.EventMask, sink mapispi.AdviseSink) (mapispi.Connection, error) {
	if err := l.s.checkLogon("Advise"); err != nil {
		return 0, err
	}
	return l.s.advise(ctx, id, events, sink)
}

// Unadvise is IMSLogon::Unadvise, as Store.Unadvise, until Logoff.
func (l *Logon) Unadvise(ctx context.Context, conn mapispi.Connection) error {
	if err := l.s.checkLogon("Unadvise"); err != nil {
		return err
	}
	return l.s.unadvise(ctx, conn)
}

var _ mapispi.NamedProps = (*Store)(nil)

// IDsFromNames is IMAPIProp::GetIDsFromNames on the store: the store's
// named property map, which every object of the store shares. With
// create, a name not yet mapped gets the next free ID from 0x8000 up;
// string names compare without regard to case. A read-only store
// refuses create with ErrNoAccess.
func (s *Store) IDsFromNames(ctx context.Context, names []mapispi.PropName, create bool) ([]uint16, error) {
	if err := s.check("GetIDsFromNames"); err != nil {
		return nil, err
	}
	return s.named().IDsFromNames(ctx, names, create)
}

// NamesFromIDs is IMAPIProp::GetNamesFromIDs on the store's map.
func (s *Store) NamesFromIDs(ctx context.Context, ids []uint16, set *mapispi.UID) ([]mapispi.PropName, []uint16, error) {
	if err := s.check("GetNamesFromIDs"); err != nil {
		return nil, nil, err
	}
	return s.named().NamesFromIDs(ctx, ids, set)
}

// named returns a handle for the store's named property calls.
func (s *Store) named() *handle {
	h := &handle{}
	h.init(s, "store", s.write)
	return h
}
