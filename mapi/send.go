package mapi

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

// FlushResult counts what a flush of the spooler did.
type FlushResult struct {
	// Messages is the number of queued messages the flush locked and
	// worked on.
	Messages int
	// Sent counts the messages it finished (FinishedMsg): every recipient
	// delivered or reported in a non-delivery report.
	Sent int
	// Deferred counts the messages it left on the outgoing queue, with
	// recipients still to reach, for a later flush.
	Deferred int
	// Delivered counts the recipients reached, by local delivery or a
	// transport.
	Delivered int
	// Failed counts the recipients that could not be reached; each is in
	// a non-delivery report.
	Failed int
	// Reports counts the non-delivery reports written.
	Reports int
	// Skipped counts queued messages it did not work on: locked by
	// another spooler, or taken off the queue meanwhile.
	Skipped int
}

func (r *FlushResult) add(o FlushResult) {
	r.Messages += o.Messages
	r.Sent += o.Sent
	r.Deferred += o.Deferred
	r.Delivered += o.Delivered
	r.Failed += o.Failed
	r.Reports += o.Reports
	r.Skipped += o.Skipped
}

// errStop ends a flush of a store the spooler is releasing.
var errStop = errors.New("the spooler is releasing the store")

// Flush is the MAPI spooler's pass over the outgoing queues: for each
// store it is logged on to, in the order they were opened, it takes the
// queued messages by ascending submit time and, for each, locks it
// (IMsgStore::SetLockState), hands its pending recipients to where their
// address type leads, and then finishes it (IMsgStore::FinishedMsg), or
// unlocks it when some recipients were deferred.
//
// Recipients of address type LocalAddrType (PR_EMAIL_ADDRESS the name of
// a service of the profile) or an SMTP address a service's profile
// section claims (PR_SMTP_ADDRESS or PR_EMAIL_ADDRESS) are delivered
// locally: a copy of the message goes into that store's receive folder
// for its class, with PR_MESSAGE_DELIVERY_TIME and PR_RECEIVED_BY_*, and
// the store announces it (IMsgStore::NotifyNewMail). A store the spooler
// is not logged on to (not open in the session, or opened with
// LogonNoMail) defers them. Other recipients go to the Transport
// registered for their address type (Options.Transports); with none they
// fail. Failed recipients are listed, with the reason, in a non-delivery
// report (REPORT.<class>.NDR) written into the sender's store's receive
// folder for that class.
//
// Each recipient is delivered once: the spooler marks it done
// (PR_RESPONSIBILITY TRUE) in the message as soon as its delivery
// returns, before it finishes or unlocks the message, so a message
// deferred, cancelled half-way or aborted afterwards is never delivered
// twice. When ctx ends, Flush finishes the message in hand (recipients not
// yet tried are deferred) and returns an error wrapping ctx.Err(); so it
// does when the session logs off. One flush runs at a time in a session;
// a second waits for the first, and one called from inside a flush (a
// transport's Send) fails with ErrBusy. Errors of single messages do not
// stop the flush: they are joined in the error it returns, with what it
// did in the result.
func (sp *Spooler) Flush(ctx context.Context) (FlushResult, error) {
	const method = "Spooler.Flush"
	s := sp.s
	if err := s.check(method); err != nil {
		return FlushResult{}, err
	}
	s.mu.RLock()
	inFlush := sp.flushOp != nil && within(ctx, sp.flushOp)
	s.mu.RUnlock()
	if inFlush {
		return FlushResult{}, mapispi.Errorf(mapispi.ErrBusy, method, "called from inside the spooler's flush (a transport's Send), which it would have to wait for")
	}
	select {
	case sp.flushing <- struct{}{}:
	case <-ctx.Done():
		return FlushResult{}, ctxError(ctx, method, "waiting for another flush")
	}
	defer func() { <-sp.flushing }()
	s.mu.Lock()
	if s.state != sessionOpen {
		s.mu.Unlock()
		return FlushResult{}, mapispi.Errorf(mapispi.ErrInvalidObject, method, "the session has logged off")
	}
	o := s.startOp(ctx, "%s", "the spooler's flush")
	sp.flushOp = o
	var logons []*logon
	for _, info := range sp.infos {
		if l := sp.logons[info.svc]; l != nil && info.Open && !slices.Contains(logons, l) {
			logons = append(logons, l)
		}
	}
	s.mu.Unlock()
	ctx, cancel := s.begin(ctx, o) // Logoff cancels it
	defer func() {
		cancel()
		s.mu.Lock()
		sp.flushOp = nil
		s.finishOp(o)
		s.mu.Unlock()
	}()
	var total FlushResult
	var errs []error
	for _, l := range logons {
		if err := ctx.Err(); err != nil {
			errs = append(errs, ctxError(ctx, method, "before the outgoing queue of service "+strconv.Quote(l.svc.name)))
			break
		}
		res, err := sp.flushStore(ctx, l)
		total.add(res)
		if err != nil && !errors.Is(err, errStop) {
			errs = append(errs, err)
		}
	}
	return total, errors.Join(errs...)
}

// flushStore works through one store's outgoing queue.
func (sp *Spooler) flushStore(ctx context.Context, l *logon) (FlushResult, error) {
	var res FlushResult
	ss, ok := l.store.(mapispi.SpoolerStore)
	if !ok {
		return res, nil
	}
	ids, err := queued(ctx, l, ss)
	if err != nil {
		return res, err
	}
	var errs []error
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			errs = append(errs, ctxError(ctx, "Spooler.Flush", "in the outgoing queue of service "+strconv.Quote(l.svc.name)))
			break
		}
		r, err := sp.sendOne(ctx, l, ss, id)
		res.add(r)
		if errors.Is(err, errStop) {
			return res, err
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return res, errors.Join(errs...)
}

// queued returns the entry IDs on a store's outgoing queue, in its order.
func queued(ctx context.Context, l *logon, ss mapispi.SpoolerStore) ([]mapispi.EntryID, error) {
	t, err := call(l, "IMsgStore::GetOutgoingQueue", func() (mapispi.Table, error) { return ss.OutgoingQueue(ctx) })
	if err != nil {
		return nil, err
	}
	defer closeQuiet(ctx, l, "IMAPITable::Release", t)
	return queuedIn(ctx, l, t)
}

// queuedIn returns the entry IDs an open outgoing queue table lists.
func queuedIn(ctx context.Context, l *logon, t mapispi.Table) ([]mapispi.EntryID, error) {
	rows, err := allRows(ctx, l, t, []mapispi.PropTag{mapispi.PropEntryID})
	if err != nil {
		return nil, err
	}
	ids := make([]mapispi.EntryID, 0, len(rows))
	for _, r := range rows {
		if b, ok := r[0].Value.([]byte); ok {
			ids = append(ids, b)
		}
	}
	return ids, nil
}

// sendOne sends one queued message, holding the logon's send lock so
// that the spooler's release of the store waits for it.
func (sp *Spooler) sendOne(ctx context.Context, l *logon, ss mapispi.SpoolerStore, id mapispi.EntryID) (FlushResult, error) {
	var res FlushResult
	select {
	case l.sending <- struct{}{}:
	case <-ctx.Done():
		return res, ctxError(ctx, "Spooler.Flush", "waiting for the store of service "+strconv.Quote(l.svc.name))
	}
	defer func() { <-l.sending }()
	if l.stopSending.Load() || l.ended.Load() {
		return res, errStop
	}
	// What follows the lock must finish, whatever ctx says: a message
	// half-sent is finished or unlocked with its recipients marked.
	bctx := context.WithoutCancel(ctx)
	msg, err := lock(ctx, l, ss, id)
	if err != nil {
		if errors.Is(err, mapispi.ErrBusy) || errors.Is(err, mapispi.ErrObjectChanged) {
			sp.heldElsewhere.Add(1) // another spooler has it (see background)
		}
		if isGone(err) || errors.Is(err, mapispi.ErrBusy) || errors.Is(err, mapispi.ErrObjectChanged) {
			res.Skipped++
			return res, nil
		}
		return res, err
	}
	defer closeQuiet(bctx, l, "IMessage::Release", msg)
	res.Messages++
	out, err := snapshot(bctx, l, msg)
	if err != nil {
		return res, errors.Join(err, l.call("IMsgStore::SetLockState", func() error { return ss.SetLockState(bctx, msg, mapispi.MsgUnlocked) }))
	}
	out.Service, out.EntryID = l.svc.name, slices.Clone(id)
	out.Recipients = sp.notDone(out)

	var done []mapispi.Row // recipients delivered or failed, to mark
	var failed []failure
	deferred := false
	for _, g := range sp.route(out) {
		if ctx.Err() != nil {
			deferred = true
			continue
		}
		m := *out
		m.Recipients = g.rows
		var o Outcome
		switch {
		case g.fail != "":
			o = Outcome{Status: Failed, Reason: g.fail}
		case g.wait != "":
			o = Outcome{Status: Deferred, Reason: g.wait}
		case g.local != nil:
			o = sp.deliverLocal(ctx, g.local, &m)
		default:
			o = sendVia(ctx, l.s, g.addrType, g.t, &m)
		}
		switch o.Status {
		case Delivered:
			done = append(done, g.rows...)
			res.Delivered += len(g.rows)
		case Failed:
			for _, r := range g.rows {
				failed = append(failed, failure{r, o.Reason})
			}
		default:
			deferred = true
		}
	}
	if len(failed) > 0 {
		if err := sp.report(bctx, l, out, failed); err != nil {
			// Not reported: the recipients stay pending and the message
			// queued, so that a later flush reports them.
			deferred = true
			l.s.tracef(l.svc, "Spooler.Flush", "writing a non-delivery report", err)
		} else {
			res.Reports++
			res.Failed += len(failed)
			for _, f := range failed {
				done = append(done, f.row)
			}
		}
	}
	if err := sp.markDone(bctx, l, msg, out, done); err != nil {
		_ = l.call("IMsgStore::SetLockState", func() error { return ss.SetLockState(bctx, msg, mapispi.MsgUnlocked) })
		return res, err
	}
	if deferred {
		res.Deferred++
		return res, l.call("IMsgStore::SetLockState", func() error { return ss.SetLockState(bctx, msg, mapispi.MsgUnlocked) })
	}
	if err := l.call("IMsgStore::FinishedMsg", func() error { return ss.FinishedMsg(bctx, id) }); err != nil {
		return res, err
	}
	res.Sent++
	return res, nil
}

// lock opens queued message id and locks it (IMsgStore::SetLockState).
// Another spooler logon of the store (another session's) may save the
// message between the open and the lock, which then fails with
// ErrObjectChanged: lock opens it again, a few times.
func lock(ctx context.Context, l *logon, ss mapispi.SpoolerStore, id mapispi.EntryID) (mapispi.Message, error) {
	bctx := context.WithoutCancel(ctx) // a lock taken is released by the caller
	var err error
	for range 3 {
		var obj mapispi.Object
		obj, err = call(l, "IMsgStore::OpenEntry", func() (mapispi.Object, error) { return l.store.OpenEntry(ctx, id, mapispi.OpenModify) })
		if err != nil {
			return nil, err
		}
		msg, ok := obj.(mapispi.Message)
		if !ok {
			closeQuiet(bctx, l, "IMAPIProp::Release", obj)
			return nil, mapispi.Errorf(mapispi.ErrCallFailed, l.svc.name, "the outgoing queue lists %X, which is not a message", []byte(id))
		}
		err = l.call("IMsgStore::SetLockState", func() error { return ss.SetLockState(bctx, msg, mapispi.MsgLocked) })
		if err == nil {
			return msg, nil
		}
		closeQuiet(bctx, l, "IMessage::Release", msg)
		if !errors.Is(err, mapispi.ErrObjectChanged) {
			return nil, err
		}
	}
	return nil, err
}

// isGone reports whether err says a queued message went meanwhile
// (finished, aborted or deleted).
func isGone(err error) bool {
	return errors.Is(err, mapispi.ErrNotFound) || errors.Is(err, mapispi.ErrNotInQueue) || errors.Is(err, mapispi.ErrObjectDeleted)
}

type failure struct {
	row    mapispi.Row
	reason string
}

// group is recipients that go one way: to a store of the session, to a
// transport, or nowhere.
type group struct {
	rows     []mapispi.Row
	local    *logon    // the spooler's logon of the store they are in
	t        Transport // or their transport
	addrType string
	fail     string // or why they cannot be reached
	wait     string // or why they wait for a later flush
}

// route groups the message's pending recipients by where they go, in
// the order of their first recipient.
func (sp *Spooler) route(m *Outbound) []*group {
	var groups []*group
	byKey := map[string]*group{}
	ab := sp.addressBook()
	for _, r := range m.Recipients {
		addrType, _ := stringProp(r, mapispi.PropAddrType)
		addr, _ := stringProp(r, mapispi.PropEmailAddress)
		g := &group{addrType: addrType}
		var key string
		svc, named := ab.service(addrType, addr)
		switch {
		case svc != nil:
			key = "local:" + svc.name
			sp.s.mu.RLock()
			g.local = sp.logons[svc]
			sp.s.mu.RUnlock()
			if g.local == nil {
				g.wait = fmt.Sprintf("the store of service %q is not open for mail in the session", svc.name)
			}
		case named:
			key = "none:" + addr
			g.fail = fmt.Sprintf("no message service of the profile is named %q", addr)
		case addrType == "":
			key = "none:"
			g.fail = "the recipient has no address type (PR_ADDRTYPE)"
		default:
			key = "xp:" + strings.ToUpper(addrType)
			if g.t, _ = sp.s.transports.Lookup(addrType); g.t == nil {
				g.fail = fmt.Sprintf("no transport is registered for address type %q", addrType)
			}
		}
		if have := byKey[key]; have != nil {
			have.rows = append(have.rows, r)
			continue
		}
		g.rows = []mapispi.Row{r}
		byKey[key] = g
		groups = append(groups, g)
	}
	return groups
}

// addressBook resolves recipients' addresses to the profile's services
// for one message: the services, and the SMTP addresses their profile
// sections claim, read once (the latter when first needed).
type addressBook struct {
	services []*service
	smtp     map[string]*service // by lower-case address; nil until read
}

func (sp *Spooler) addressBook() *addressBook {
	sp.s.mu.RLock()
	defer sp.s.mu.RUnlock()
	return &addressBook{services: slices.Clone(sp.s.services)}
}

// service returns the service a recipient's address names: the service
// called addr for LocalAddrType (claimed true even when there is none),
// or the service whose profile section claims an SMTP address
// (PR_SMTP_ADDRESS or PR_EMAIL_ADDRESS; the first service wins).
func (ab *addressBook) service(addrType, addr string) (svc *service, claimed bool) {
	switch {
	case strings.EqualFold(addrType, LocalAddrType):
		for _, x := range ab.services {
			if strings.EqualFold(x.name, addr) {
				return x, true
			}
		}
		return nil, true
	case strings.EqualFold(addrType, "SMTP") && addr != "":
		if ab.smtp == nil {
			ab.smtp = map[string]*service{}
			for _, x := range ab.services {
				for _, a := range x.smtpAddresses() {
					if k := foldKey(a); ab.smtp[k] == nil {
						ab.smtp[k] = x
					}
				}
			}
		}
		if x := ab.smtp[foldKey(addr)]; x != nil {
			return x, true
		}
	}
	return nil, false
}

// foldKey is s as a map key under which the strings strings.EqualFold
// matches meet (ſ and s, ς and σ too, which lower-casing alone keeps
// apart).
func foldKey(s string) string { return strings.ToLower(strings.ToUpper(s)) }

// smtpAddresses returns the addresses the service's profile section
// claims: its PR_SMTP_ADDRESS and PR_EMAIL_ADDRESS.
func (svc *service) smtpAddresses() []string {
	if svc.section == nil {
		return nil
	}
	vals, err := svc.section.GetProps(context.Background(), []mapispi.PropTag{mapispi.PropSMTPAddress, mapispi.PropEmailAddress})
	if err != nil {
		return nil
	}
	var out []string
	for _, v := range vals {
		if s, ok := v.Value.(string); ok && s != "" {
			out = append(out, s)
		}
	}
	return out
}

// sendVia hands m to a transport, turning a panic into a failure.
func sendVia(ctx context.Context, s *Session, addrType string, t Transport, m *Outbound) (o Outcome) {
	defer func() {
		if p := recover(); p != nil {
			o = Outcome{Status: Failed, Reason: fmt.Sprintf("the transport for address type %q panicked: %v", addrType, p)}
			s.tracef(nil, "Transport.Send", "transport panicked", errors.New(o.Reason))
		}
	}()
	o = t.Send(ctx, m)
	if o.Status != Delivered && o.Status != Deferred && o.Status != Failed {
		return Outcome{Status: Failed, Reason: fmt.Sprintf("the transport for address type %q answered %v", addrType, o.Status)}
	}
	return o
}

// markDone sets PR_RESPONSIBILITY on the recipients in done, and saves
// the message, keeping it open. It tries three times; should the store
// still refuse, the spooler keeps the marks itself for the rest of the
// session (see notDone), so that no recipient is sent the message twice,
// and returns the error.
func (sp *Spooler) markDone(ctx context.Context, l *logon, msg mapispi.Message, m *Outbound, done []mapispi.Row) error {
	if len(done) == 0 {
		return nil
	}
	ids := map[int32]bool{}
	for _, r := range done {
		if v, ok := mapiutil.FindProp(r, mapispi.PropRowID); ok {
			if n, ok := v.Value.(int32); ok {
				ids[n] = true
			}
		}
	}
	var rows []mapispi.Row
	for _, r := range m.AllRecipients {
		v, ok := mapiutil.FindProp(r, mapispi.PropRowID)
		if n, isInt := v.Value.(int32); !ok || !isInt || !ids[n] {
			continue
		}
		row := make(mapispi.Row, 0, len(r)+1)
		for _, p := range r {
			if p.Tag.Type() == mapispi.PtError || p.Tag == mapispi.PropInstanceKey || p.Tag.ID() == mapispi.PropResponsibility.ID() {
				continue
			}
			row = append(row, p)
		}
		rows = append(rows, append(row, mapispi.PropValue{Tag: mapispi.PropResponsibility, Value: true}))
	}
	var err error
	for range 3 {
		err = l.call("IMessage::ModifyRecipients", func() error { return msg.ModifyRecipients(ctx, mapispi.ModRecipModify, rows) })
		if err == nil {
			err = l.call("IMessage::SaveChanges", func() error { return msg.SaveChanges(ctx, mapispi.KeepOpenReadWrite) })
		}
		if err == nil {
			return nil
		}
	}
	sp.s.mu.Lock()
	if sp.journal == nil {
		sp.journal = map[string]map[int32]bool{}
	}
	key := journalKey(m)
	if sp.journal[key] == nil {
		sp.journal[key] = map[int32]bool{}
	}
	for n := range ids {
		sp.journal[key][n] = true
	}
	sp.s.mu.Unlock()
	return err
}

func journalKey(m *Outbound) string { return m.Service + "\x00" + string(m.EntryID) }

// notDone returns m's pending recipients less those the spooler reached
// but could not mark in the store (see markDone).
func (sp *Spooler) notDone(m *Outbound) []mapispi.Row {
	sp.s.mu.RLock()
	marked := sp.journal[journalKey(m)]
	sp.s.mu.RUnlock()
	if marked == nil {
		return m.Recipients
	}
	return slices.DeleteFunc(slices.Clone(m.Recipients), func(r mapispi.Row) bool {
		v, _ := mapiutil.FindProp(r, mapispi.PropRowID)
		n, ok := v.Value.(int32)
		return ok && marked[n]
	})
}

// deliverLocal writes a copy of m into the receive folder of the store
// of dst, the spooler's logon of it, and announces it.
func (sp *Spooler) deliverLocal(ctx context.Context, dst *logon, m *Outbound) Outcome {
	first := m.Recipients[0]
	name, _ := stringProp(first, mapispi.PropDisplayName)
	addrType, _ := stringProp(first, mapispi.PropAddrType)
	addr, _ := stringProp(first, mapispi.PropEmailAddress)
	now := time.Now().UTC().Truncate(time.Millisecond)
	extra := []mapispi.PropValue{
		{Tag: mapispi.PropMessageDeliveryTime, Value: now},
		{Tag: mapispi.PropReceivedByName, Value: name},
		{Tag: mapispi.PropReceivedByAddrType, Value: addrType},
		{Tag: mapispi.PropReceivedByEmailAddress, Value: addr},
		{Tag: mapispi.PropMessageFlags, Value: int32(0)},
	}
	if err := deposit(ctx, dst, classOf(m), m, m.AllRecipients, extra); err != nil {
		return failedBy(err)
	}
	return Outcome{Status: Delivered}
}

// classOf returns m's PR_MESSAGE_CLASS, "IPM" when it has none.
func classOf(m *Outbound) string {
	if class, _ := stringProp(m.Props, mapispi.PropMessageClass); class != "" {
		return class
	}
	return "IPM"
}

// deposit writes m, with the recipients rows and the properties extra,
// as a new message into the receive folder for class of l's store, and
// has the store announce it.
func deposit(ctx context.Context, l *logon, class string, m *Outbound, rows []mapispi.Row, extra []mapispi.PropValue) error {
	rf, ok := l.store.(mapispi.ReceiveFolders)
	if !ok {
		return mapispi.Errorf(mapispi.ErrNoSupport, l.svc.name, "the store of service %q has no receive folders", l.svc.name)
	}
	folderID, err := call(l, "IMsgStore::GetReceiveFolder", func() (mapispi.EntryID, error) {
		id, _, err := rf.ReceiveFolder(ctx, class)
		return id, err
	})
	if err != nil {
		return err
	}
	id, flags, err := writeNew(ctx, l, folderID, m, rows, extra)
	if err != nil {
		return err
	}
	if id != nil {
		announce(ctx, l, id, folderID, class, flags)
	}
	return nil
}

// failedBy is the outcome of a local delivery that failed with err,
// before the delivered copy was saved (so nothing was delivered): what no
// retry can mend (the store refuses such a message) fails it; anything
// else (a cancelled context, a lack of memory, a busy store) defers it
// to the next flush.
func failedBy(err error) Outcome {
	for _, permanent := range []mapispi.SCode{mapispi.ErrNoSupport, mapispi.ErrNoAccess, mapispi.ErrTooComplex, mapispi.ErrInvalidParameter, mapispi.ErrBadValue} {
		if errors.Is(err, permanent) {
			return Outcome{Status: Failed, Reason: err.Error()}
		}
	}
	return Outcome{Status: Deferred, Reason: err.Error()}
}

// announce has the store of l tell its whole-store sinks about new mail.
func announce(ctx context.Context, l *logon, id, folder mapispi.EntryID, class string, flags int32) {
	ss, ok := l.store.(mapispi.SpoolerStore)
	if !ok {
		return
	}
	n := &mapispi.Notification{Event: mapispi.EventNewMail, EntryID: id, ParentID: folder, MessageClass: class, MessageFlags: uint32(flags)}
	if err := l.call("IMsgStore::NotifyNewMail", func() error { return ss.NotifyNewMail(ctx, n) }); err != nil {
		l.s.tracef(l.svc, "Spooler.Flush", "announcing new mail", err)
	}
}

// report writes a non-delivery report for the failed recipients of m into
// the receive folder of the sender's store for its class.
func (sp *Spooler) report(ctx context.Context, l *logon, m *Outbound, failed []failure) error {
	reportClass := "REPORT." + classOf(m) + ".NDR"
	subject, _ := stringProp(m.Props, mapispi.PropSubject)
	var body strings.Builder
	body.WriteString("Your message did not reach some or all of its recipients.\r\n\r\n")
	if subject != "" {
		fmt.Fprintf(&body, "Subject: %s\r\n\r\n", subject)
	}
	rows := make([]mapispi.Row, 0, len(failed))
	var reasons []string
	for _, f := range failed {
		name, _ := stringProp(f.row, mapispi.PropDisplayName)
		addr, _ := stringProp(f.row, mapispi.PropEmailAddress)
		fmt.Fprintf(&body, "    %s <%s>: %s\r\n", name, addr, f.reason)
		if !slices.Contains(reasons, f.reason) {
			reasons = append(reasons, f.reason)
		}
		row := copyableRow(f.row)
		row = append(row,
			mapispi.PropValue{Tag: mapispi.PropReportText, Value: f.reason},
			mapispi.PropValue{Tag: mapispi.PropNDRReasonCode, Value: int32(0)}, // MAPI_REASON_TRANSFER_FAILED
			mapispi.PropValue{Tag: mapispi.PropNDRDiagCode, Value: int32(-1)},  // MAPI_DIAG_NO_DIAGNOSTIC
		)
		rows = append(rows, row)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	props := []mapispi.PropValue{
		{Tag: mapispi.PropMessageClass, Value: reportClass},
		{Tag: mapispi.PropSubject, Value: "Undeliverable: " + subject},
		{Tag: mapispi.PropOriginalSubject, Value: subject},
		{Tag: mapispi.PropBody, Value: body.String()},
		{Tag: mapispi.PropReportText, Value: strings.Join(reasons, "\r\n")},
		{Tag: mapispi.PropReportTime, Value: now},
		{Tag: mapispi.PropMessageDeliveryTime, Value: now},
		{Tag: mapispi.PropSenderName, Value: "MAPI Spooler"},
		{Tag: mapispi.PropMessageFlags, Value: int32(0)},
	}
	if v, ok := mapiutil.FindProp(m.Props, mapispi.PropClientSubmitTime); ok {
		props = append(props, mapispi.PropValue{Tag: mapispi.PropOriginalSubmitTime, Value: v.Value})
	}
	if v, ok := mapiutil.FindProp(m.Props, mapispi.PropDisplayTo); ok {
		if s, isString := v.Value.(string); isString {
			props = append(props, mapispi.PropValue{Tag: mapispi.PropOriginalDisplayTo, Value: s})
		}
	}
	return deposit(ctx, l, reportClass, &Outbound{Props: props}, rows, nil)
}
