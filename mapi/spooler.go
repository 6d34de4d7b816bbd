package mapi

import (
	"context"
	"errors"
	"slices"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
)

// Spooler plays the MAPI spooler of a session. MAPI's spooler is another
// process, so it loads providers through provider objects of its own
// (MSProviderInit again), and logs on to each store a client opened
// without LogonNoMail with IMSProvider::SpoolerLogon and the spool
// security data that store's Logon returned. It releases a store when the
// store's provider calls StoreLogoffTransports. Its store objects are its
// own: clients never get them.
type Spooler struct {
	s *Session

	// Guarded by s.mu:
	providers map[string]*provider // its own provider objects
	logons    map[*service]*logon
	busy      map[*service]*op // spooler logons under way
	infos     []*SpoolerStoreInfo
}

// SpoolerStoreInfo describes one store the spooler has logged on to, or
// tried to.
type SpoolerStoreInfo struct {
	// Service is the message service's name.
	Service string
	// EntryID is the store's wrapped entry ID.
	EntryID mapispi.EntryID
	// Open reports that the spooler has the store open: SpoolerLogon
	// succeeded and the spooler has not released the store.
	Open bool
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
	sp.s.mu.RLock()
	defer sp.s.mu.RUnlock()
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
	s := sp.s
	info := &SpoolerStoreInfo{Service: svc.name, EntryID: entryid.WrapStore(svc.provider, inner)}
	s.mu.Lock()
	if s.state != sessionOpen || sp.busy[svc] != nil {
		s.mu.Unlock()
		return
	}
	o := s.startOp(ctx, "IMSProvider::SpoolerLogon of service %q", svc.name)
	sp.busy[svc] = o
	sp.infos = append(sp.infos, info)
	s.mu.Unlock()

	l, err := sp.spoolerLogon(s.mark(ctx, o), svc, inner, token)
	s.mu.Lock()
	old := sp.logons[svc]
	if err != nil {
		info.Err = err
	} else {
		info.Open = true
		sp.logons[svc] = l
	}
	delete(sp.busy, svc)
	s.finishOp(o)
	s.mu.Unlock()
	if err == nil && old != nil {
		// The store's provider logged it off without StoreLogoffTransports,
		// so the spooler never released its earlier logon: do it now.
		_ = old.shutdown(ctx)
	}
}

func (sp *Spooler) spoolerLogon(ctx context.Context, svc *service, inner mapispi.EntryID, token []byte) (*logon, error) {
	s := sp.s
	p, err := s.loadProvider(ctx, svc, sp.providers, false)
	if err != nil {
		return nil, err
	}
	l := s.newLogon(svc, p, true)
	req := &mapispi.SpoolerLogonRequest{
		LogonRequest:  mapispi.LogonRequest{ProfileName: s.profile, EntryID: slices.Clone(inner), Flags: mapispi.LogonNoDialog},
		SpoolSecurity: slices.Clone(token),
	}
	res, err := logonCall(l, "IMSProvider::SpoolerLogon", func() string { return "EntryID=" + entryIDHex(req.EntryID) }, func() (*mapispi.LogonResult, error) {
		res, err := p.obj.SpoolerLogon(ctx, l.support, req)
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
	})
	if err != nil {
		l.end(ctx)
		return nil, err
	}
	l.attach(res.Logon, res.Store)
	return l, nil
}

// release logs the spooler off svc's store, as StoreLogoffTransports asks.
func (sp *Spooler) release(ctx context.Context, svc *service) error {
	s := sp.s
	s.mu.Lock()
	l := sp.logons[svc]
	delete(sp.logons, svc)
	for _, info := range sp.infos {
		if info.Service == svc.name {
			info.Open = false
		}
	}
	s.mu.Unlock()
	if l == nil {
		return nil
	}
	return l.shutdown(ctx)
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
	sp.s.mu.Lock()
	defer sp.s.mu.Unlock()
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
	s := sp.s
	s.mu.Lock()
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
		info.Open = false
	}
	s.mu.Unlock()
	var errs []error
	for _, l := range logons {
		errs = append(errs, l.shutdown(ctx))
	}
	for _, p := range providers {
		errs = append(errs, s.shutdownProvider(ctx, p))
	}
	return errors.Join(errs...)
}
