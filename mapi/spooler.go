package mapi

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

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
//
// Each session has a spooler of its own. Two sessions with the same store
// open (two Logons on one profile) have two spoolers on its outgoing
// queue. A message is worked on by the spooler that locks it
// (IMsgStore::SetLockState), and each recipient it reaches is marked in
// the store (PR_RESPONSIBILITY), so the other never sends it to that
// recipient again. A flush skips a message the other spooler holds
// (FlushResult.Skipped); the spooler flushing in the background tries it
// again, after a pause that grows from 20 ms to 2 s, until the other lets
// it go, and then sends what is left. (Should a store refuse the marks,
// a spooler remembers them itself, for its session only.)
type Spooler struct {
	s *Session

	// Guarded by s.mu:
	providers map[string]*provider // its own provider objects
	logons    map[*service]*logon
	busy      map[*service]*op // spooler logons under way
	infos     []*SpoolerStoreInfo
	journal   map[string]map[int32]bool // recipients reached whose marks the store refused, by message

	flushing chan struct{} // holds a token while a flush runs
	flushOp  *op           // the flush running; guarded by s.mu

	bgMu      sync.Mutex
	bgRunning bool // a background flush goroutine runs
	bgAgain   bool // a submission came while it ran: flush again
	bgResult  FlushResult
	bgErr     error

	heldElsewhere atomic.Int64  // messages a flush skipped because another spooler held them
	quit          chan struct{} // closed when the spooler shuts down
	quitOnce      sync.Once
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

	svc *service
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
		out[i].svc = nil
	}
	return out
}

// logon logs the spooler on to svc's store with token, the spool security
// data the client's Logon returned. A failure is kept in Stores and the
// trace: the client's open has already succeeded.
func (sp *Spooler) logon(ctx context.Context, svc *service, inner mapispi.EntryID, token []byte) {
	s := sp.s
	info := &SpoolerStoreInfo{Service: svc.name, EntryID: entryid.WrapStore(svc.provider, inner), svc: svc}
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
		for _, other := range sp.infos {
			if other.svc == svc {
				other.Open = false // an earlier logon, which l replaces
			}
		}
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
	if err == nil {
		sp.watch(ctx, l)
	}
}

// watch has the spooler follow the outgoing queue of l's store, so that
// a submission starts a flush in the background (unless
// Options.ManualFlush), as MAPI's spooler follows the table's
// notifications.
func (sp *Spooler) watch(ctx context.Context, l *logon) {
	if !sp.s.autoFlush {
		return
	}
	ss, ok := l.store.(mapispi.SpoolerStore)
	if !ok {
		return
	}
	t, err := call(l, "IMsgStore::GetOutgoingQueue", func() (mapispi.Table, error) { return ss.OutgoingQueue(ctx) })
	if err != nil {
		sp.s.tracef(l.svc, "Spooler", "following the outgoing queue", err)
		return
	}
	sink := mapispi.TableSinkFunc(func(ns []mapispi.TableNotification) mapispi.CallbackResult {
		for _, n := range ns {
			if n.Event == mapispi.TableRowAdded {
				sp.kick()
				break
			}
		}
		return mapispi.CallbackContinue
	})
	if _, err := call(l, "IMAPITable::Advise", func() (mapispi.Connection, error) { return t.Advise(ctx, sink) }); err != nil {
		closeQuiet(ctx, l, "IMAPITable::Release", t)
		sp.s.tracef(l.svc, "Spooler", "following the outgoing queue", err)
		return
	}
	l.mu.Lock()
	l.queue = t
	l.mu.Unlock()
	if ids, err := queuedIn(ctx, l, t); err == nil && len(ids) > 0 {
		sp.kick() // mail submitted before the spooler logged on
	}
}

// kick starts a background flush, or asks the running one for another
// pass.
func (sp *Spooler) kick() {
	sp.bgMu.Lock()
	defer sp.bgMu.Unlock()
	if sp.s.closed.Load() {
		return
	}
	if sp.bgRunning {
		sp.bgAgain = true
		return
	}
	sp.bgRunning = true
	go sp.background()
}

// background flushes until no submission came during its last pass and
// the pass found no message another spooler (another session's) held.
// Such a message is tried again after a pause, which doubles from 20 ms
// to 2 s while it stays held: that spooler may defer it, and then no
// notification says so (an unlock is only a TABLE_ROW_MODIFIED, which
// the spooler's own unlocks send too).
func (sp *Spooler) background() {
	var pause time.Duration
	for {
		held := sp.heldElsewhere.Load()
		res, err := sp.Flush(context.Background())
		retry := sp.heldElsewhere.Load() != held
		sp.bgMu.Lock()
		sp.bgResult, sp.bgErr = res, err
		again := sp.bgAgain
		if (!again && !retry) || sp.s.closed.Load() {
			sp.bgRunning = false
			sp.bgMu.Unlock()
			return
		}
		sp.bgAgain = false
		sp.bgMu.Unlock()
		if again {
			pause = 0
			continue
		}
		pause = min(max(2*pause, 20*time.Millisecond), 2*time.Second)
		select {
		case <-time.After(pause):
		case <-sp.quit:
			sp.bgMu.Lock()
			sp.bgRunning = false
			sp.bgMu.Unlock()
			return
		}
	}
}

// LastBackgroundFlush returns what the spooler's last flush on its own
// (after a submission, unless Options.ManualFlush) did, and its error.
func (sp *Spooler) LastBackgroundFlush() (FlushResult, error) {
	sp.bgMu.Lock()
	defer sp.bgMu.Unlock()
	return sp.bgResult, sp.bgErr
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

// release logs the spooler off svc's store, as StoreLogoffTransports asks
// with flags: it takes no next message of the store and waits for the one
// it is sending (with LogoffOrderly it first sends what the queue holds),
// and answers LogoffOutboundQueue when messages are still queued,
// LogoffComplete otherwise.
func (sp *Spooler) release(ctx context.Context, svc *service, flags mapispi.LogoffFlags) (mapispi.LogoffFlags, error) {
	s := sp.s
	s.mu.Lock()
	l := sp.logons[svc]
	s.mu.Unlock()
	if l == nil {
		return mapispi.LogoffComplete, nil
	}
	s.mu.RLock()
	inFlush := sp.flushOp != nil && within(ctx, sp.flushOp)
	s.mu.RUnlock()
	if inFlush {
		// Called from a transport's Send, say: the message in hand is
		// this flush's, which cannot finish while it waits here.
		l.stopSending.Store(true)
		return 0, mapispi.Errorf(mapispi.ErrBusy, "IMAPISupport::StoreLogoffTransports", "called from inside the spooler's flush, which is sending a message of service %q; close the store after the flush", svc.name)
	}
	if flags&mapispi.LogoffOrderly != 0 {
		if _, err := sp.flushStore(ctx, l); err != nil && !errors.Is(err, errStop) {
			s.tracef(svc, "IMAPISupport::StoreLogoffTransports", "sending the outgoing queue before an orderly logoff", err)
		}
	}
	l.stopSending.Store(true)
	out := mapispi.LogoffComplete
	select {
	case l.sending <- struct{}{}:
		if ss, ok := l.store.(mapispi.SpoolerStore); ok {
			if ids, err := queued(context.WithoutCancel(ctx), l, ss); err == nil && len(ids) > 0 {
				out = mapispi.LogoffOutboundQueue
			}
		}
		<-l.sending
	case <-ctx.Done():
		return 0, ctxError(ctx, "IMAPISupport::StoreLogoffTransports", "waiting for the spooler to finish a message of service "+strconv.Quote(svc.name))
	}
	s.mu.Lock()
	if sp.logons[svc] == l {
		delete(sp.logons, svc)
	}
	for _, info := range sp.infos {
		if info.svc == svc {
			info.Open = false
		}
	}
	s.mu.Unlock()
	return out, l.shutdown(ctx)
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
	sp.quitOnce.Do(func() { close(sp.quit) })
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
