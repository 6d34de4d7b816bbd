package mapi

import (
	"context"
	"errors"
	"slices"
	"sync"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
)

// Spooler plays the MAPI spooler of a session. MAPI's spooler is another
// process, so it loads providers through provider objects of its own
// (MSProviderInit again), and logs on to each store a client opened
// without LogonNoMail with IMSProvider::SpoolerLogon and the spool
// security data that store's Logon returned. It releases a store when the
// store's provider calls StoreLogoffTransports.
type Spooler struct {
	s *Session

	mu        sync.RWMutex
	providers map[string]*provider // its own provider objects
	logons    map[*service]*logon
	infos     []*SpoolerStoreInfo
}

// SpoolerStoreInfo describes one store the spooler has logged on to, or
// tried to.
type SpoolerStoreInfo struct {
	// Service is the message service's name.
	Service string
	// EntryID is the store's wrapped entry ID.
	EntryID mapispi.EntryID
	// Store is the MsgStore SpoolerLogon returned, nil when it failed or
	// after the spooler released the store.
	Store mapispi.MsgStore
	// Err is why SpoolerLogon failed, or nil.
	Err error
	// ReadyToSend reports that the store called SpoolerNotify with
	// NotifyReadyToSend.
	ReadyToSend bool
	// NewMail counts the store's SpoolerNotify calls with
	// NotifyNewMailReceived.
	NewMail int
}

// Stores returns the spooler's logons, oldest first, including those
// that failed and those it has released.
func (sp *Spooler) Stores() []SpoolerStoreInfo {
	sp.mu.RLock()
	defer sp.mu.RUnlock()
	out := make([]SpoolerStoreInfo, len(sp.infos))
	for i, info := range sp.infos {
		out[i] = *info
		out[i].EntryID = slices.Clone(info.EntryID)
	}
	return out
}

// logon logs the spooler on to svc's store with token, the spool security
// data the client's Logon returned. A failure is kept in Stores and the
// trace: the client's open has already succeeded.
func (sp *Spooler) logon(ctx context.Context, svc *service, inner mapispi.EntryID, token []byte) {
	info := &SpoolerStoreInfo{Service: svc.name, EntryID: entryid.WrapStore(svc.provider, inner)}
	sp.mu.Lock()
	sp.infos = append(sp.infos, info)
	sp.mu.Unlock()
	l, err := sp.spoolerLogon(ctx, svc, inner, token)
	sp.mu.Lock()
	if err != nil {
		info.Err = err
		sp.mu.Unlock()
		return
	}
	info.Store = l.store
	old := sp.logons[svc]
	sp.logons[svc] = l
	sp.mu.Unlock()
	if old != nil {
		// The store's provider logged it off without StoreLogoffTransports,
		// so the spooler never released its earlier logon: do it now.
		_ = old.logoff(ctx)
	}
}

func (sp *Spooler) spoolerLogon(ctx context.Context, svc *service, inner mapispi.EntryID, token []byte) (*logon, error) {
	s := sp.s
	p, err := s.loadProvider(ctx, svc, sp.providers, &sp.mu)
	if err != nil {
		return nil, err
	}
	l := s.newLogon(svc, p, true)
	req := &mapispi.SpoolerLogonRequest{
		LogonRequest:  mapispi.LogonRequest{ProfileName: s.profile, EntryID: slices.Clone(inner), Flags: mapispi.LogonNoDialog},
		SpoolSecurity: slices.Clone(token),
	}
	res, err := sp.callSpoolerLogon(ctx, svc, p, l, req)
	if err != nil {
		l.end()
		return nil, err
	}
	l.attach(res.Logon, res.Store)
	return l, nil
}

func (sp *Spooler) callSpoolerLogon(ctx context.Context, svc *service, p *provider, l *logon, req *mapispi.SpoolerLogonRequest) (res *mapispi.LogonResult, err error) {
	s := sp.s
	c := s.begin("IMSProvider::SpoolerLogon", svc)
	if c != nil {
		c.Args = "EntryID=" + entryIDHex(req.EntryID)
	}
	defer func() { s.end(c, svc, recover(), &err, res) }()
	res, err = p.obj.SpoolerLogon(ctx, l.support, req)
	if err != nil {
		return nil, err
	}
	if res == nil || res.Store == nil || res.Logon == nil {
		s.freeQuiet(res)
		return nil, mapispi.Errorf(mapispi.ErrCallFailed, svc.name, "IMSProvider::SpoolerLogon returned no MSLogon or MsgStore")
	}
	if res.SpoolSecurity != nil {
		s.freeQuiet(res)
	}
	return res, nil
}

// release logs the spooler off svc's store, as StoreLogoffTransports asks.
func (sp *Spooler) release(ctx context.Context, svc *service) error {
	sp.mu.Lock()
	l := sp.logons[svc]
	delete(sp.logons, svc)
	for _, info := range sp.infos {
		if info.Service == svc.name && info.Store != nil && l != nil && info.Store == mapispi.MsgStore(l.store) {
			info.Store = nil
		}
	}
	sp.mu.Unlock()
	if l == nil {
		return nil
	}
	return l.logoff(ctx)
}

// notified records a store's SpoolerNotify.
func (sp *Spooler) notified(l *logon, flags mapispi.SpoolerNotifyFlags, n *mapispi.Notification) error {
	switch flags {
	case mapispi.NotifyReadyToSend:
	case mapispi.NotifyNewMailReceived:
		if n == nil {
			return mapispi.Errorf(mapispi.ErrInvalidParameter, "IMAPISupport::SpoolerNotify", "NOTIFY_NEWMAIL_RECEIVED without a notification")
		}
	default:
		return mapispi.Errorf(mapispi.ErrUnknownFlags, "IMAPISupport::SpoolerNotify", "flags %v: a store may pass only NOTIFY_READYTOSEND or NOTIFY_NEWMAIL_RECEIVED", flags)
	}
	sp.mu.Lock()
	defer sp.mu.Unlock()
	for i := len(sp.infos) - 1; i >= 0; i-- {
		if info := sp.infos[i]; info.Service == l.svc.name {
			if flags == mapispi.NotifyReadyToSend {
				info.ReadyToSend = true
			} else {
				info.NewMail++
			}
			return nil
		}
	}
	return nil // a store opened with LogonNoMail: the spooler ignores it
}

// shutdown logs off every logon the spooler still has and shuts its
// provider objects down.
func (sp *Spooler) shutdown(ctx context.Context) error {
	sp.mu.Lock()
	logons := make([]*logon, 0, len(sp.logons))
	for svc, l := range sp.logons {
		logons = append(logons, l)
		delete(sp.logons, svc)
	}
	providers := make([]*provider, 0, len(sp.providers))
	for _, p := range sp.providers {
		providers = append(providers, p)
	}
	for _, info := range sp.infos {
		info.Store = nil
	}
	sp.mu.Unlock()
	var errs []error
	for _, l := range logons {
		errs = append(errs, l.logoff(ctx))
	}
	for _, p := range providers {
		errs = append(errs, sp.s.shutdownProvider(ctx, p))
	}
	return errors.Join(errs...)
}
