package msprovider

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/mapiemu/mapiemu/mapispi"
)

// PropPassword is the profile section property that holds a store's
// password when the user chose to save it, in the range MAPI reserves for
// a provider's secure data.
var PropPassword = mapispi.NewPropTag(mapispi.PtUnicode, mapispi.PropIDSecureMin)

// ProviderDisplay is the provider's PR_PROVIDER_DISPLAY.
const ProviderDisplay = "mapiemu reference message store"

// maxPromptAttempts bounds how many times Logon asks for a password.
const maxPromptAttempts = 3

var (
	_ mapispi.InitFunc   = (&Backend{}).Init
	_ mapispi.MSProvider = (*Provider)(nil)
)

// Init is MSProviderInit for providers over b: every call returns a new,
// independent *Provider whose stores live in b. It fails with ErrVersion
// when p.MAPIVersion is older than SPIVersion (still reporting the version
// it speaks), with ErrInvalidParameter when p is nil or lacks an
// Allocator, and with ErrUnknownFlags for flags other than InitNTService.
func (b *Backend) Init(ctx context.Context, p *mapispi.InitParams) (mapispi.MSProvider, mapispi.Version, error) {
	const v = mapispi.SPIVersion
	if p == nil || p.Allocator == nil {
		return nil, v, mapispi.Errorf(mapispi.ErrInvalidParameter, "MSProviderInit", "no InitParams or no Allocator given")
	}
	if err := mapispi.CheckVersion(p.MAPIVersion, v); err != nil {
		return nil, v, err
	}
	if err := p.Flags.Check(); err != nil {
		return nil, v, err
	}
	return &Provider{
		backend: b,
		alloc:   p.Allocator,
		malloc:  p.Malloc,
		flags:   p.Flags,
		byUID:   map[mapispi.UID]*Store{},
		opening: map[mapispi.UID]chan struct{}{},
	}, v, nil
}

// Provider is the Go form of this provider's IMSProvider object: one per
// MAPI session. It keeps the Allocator and Malloc MSProviderInit gave it
// (every buffer it hands to MAPI comes from that Allocator) and a
// container/list of every store opened through it and not yet closed;
// each open store holds its list element, so closing one is O(1).
//
// A Provider is safe for concurrent use.
type Provider struct {
	backend *Backend
	alloc   mapispi.Allocator
	malloc  mapispi.Malloc // for IStream objects, when the store has them
	flags   mapispi.InitFlags

	mu      sync.Mutex
	open    list.List                     // of *Store, client and spooler stores
	byUID   map[mapispi.UID]*Store        // client stores, for reopen detection
	opening map[mapispi.UID]chan struct{} // first logons under way; closed when done
	down    atomic.Bool                   // Shutdown has begun; set under mu, read without it
	// readySent: SpoolerNotify(NotifyReadyToSend) has been called for
	// this session (see Store.readyToSend).
	readySent atomic.Bool
	stats     Stats
}

// Stats counts what a Provider has done.
type Stats struct {
	Logons        int  // first logons that opened a store
	Reopens       int  // logons that returned a store already open
	SpoolerLogons int  // spooler logons
	Logoffs       int  // stores closed, by any path
	OpenStores    int  // stores on the list now
	ShutDown      bool // Shutdown has been called
}

// Stats returns a snapshot of the provider's counters.
func (p *Provider) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.stats
	s.OpenStores = p.open.Len()
	s.ShutDown = p.down.Load()
	return s
}

// Stores returns the stores open through p, client and spooler, in the
// order they were opened. It iterates over a snapshot taken when the
// iteration starts.
func (p *Provider) Stores() iter.Seq[*Store] {
	return func(yield func(*Store) bool) {
		for _, s := range p.snapshot() {
			if !yield(s) {
				return
			}
		}
	}
}

func (p *Provider) snapshot() []*Store {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]*Store, 0, p.open.Len())
	for e := p.open.Front(); e != nil; e = e.Next() {
		out = append(out, e.Value.(*Store))
	}
	return out
}

func errShutdown(op string) error {
	return mapispi.Errorf(mapispi.ErrInvalidObject, "msprovider", "%s: the provider has been shut down", op)
}

// begin checks what Logon and SpoolerLogon check before they do anything.
func (p *Provider) begin(op string, sup mapispi.Support, req *mapispi.LogonRequest) error {
	if p.down.Load() {
		return errShutdown(op)
	}
	if sup == nil || req == nil {
		return mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "%s: no support object or no request", op)
	}
	if err := req.Flags.Check(); err != nil {
		return &mapispi.Error{Code: mapispi.ErrUnknownFlags, Component: "msprovider", Message: op, Err: err}
	}
	switch req.Interface {
	case mapispi.UID{}, mapispi.IIDMsgStore, mapispi.IIDUnknown, mapispi.IIDMAPIProp:
		return nil
	}
	return mapispi.Errorf(mapispi.ErrInterfaceNotSupported, "msprovider",
		"%s: the store object does not implement interface %v", op, req.Interface)
}

// add puts a newly opened store on the list, unless Shutdown has begun.
func (p *Provider) add(s *Store, op string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down.Load() {
		return errShutdown(op)
	}
	s.elem = p.open.PushBack(s)
	s.data.eng.attach(s)
	if s.spooler {
		p.stats.SpoolerLogons++
	} else {
		p.byUID[s.data.uid] = s
		p.stats.Logons++
	}
	return nil
}

// Logon is IMSProvider::Logon. See mapispi.MSProvider for the contract;
// this provider:
//
//   - finds the store from req.EntryID, else from PR_ENTRYID in its
//     profile section, else (dialogs allowed) by Support.Prompt;
//   - returns the open store, with a nil MSLogon and no side effects, when
//     this provider object already has it open for a client (a reopen with
//     no entry ID still reads PR_ENTRYID from the profile section, as it
//     cannot otherwise tell which store is meant); concurrent first logons
//     of one store make one first logon, and the others reopen it;
//   - for a store with a password, takes it from PropPassword in the
//     profile section, else (dialogs allowed) asks through Support.Prompt,
//     up to three times; without a dialog a missing or wrong password is
//     ErrFailOneProvider, so the host keeps the service;
//   - grants write access with LogonWrite or LogonBestAccess (the highest
//     access allowed), unless the store is read-only
//     (StoreOptions.ReadOnly); a logon without write access, including
//     one of a read-only store with LogonWrite, which succeeds, sets
//     STORE_READONLY, clears STORE_MODIFY_OK and STORE_CREATE_OK, and
//     refuses SetProps and DeleteProps with ErrNoAccess;
//   - writes its status row with ModifyStatusRow: PR_DISPLAY_NAME,
//     PR_STATUS_CODE (STATUS_AVAILABLE) and PR_RESOURCE_METHODS (0: its
//     status object implements no IMAPIStatus method), the columns the
//     "Status Tables" page asks of a status object, with
//     PR_RESOURCE_TYPE (MAPI_STORE_PROVIDER), PR_PROVIDER_DISPLAY,
//     PR_PROVIDER_DLL_NAME and PR_STATUS_STRING;
//   - with LogonNoMail returns no spool security data, as the spooler never
//     opens such a store;
//   - tolerates the known bits hosts pass (mapispi.LogonKnown) and refuses
//     others with ErrUnknownFlags;
//   - shows no dialog when MSProviderInit got MAPI_NT_SERVICE.
//
// Errors are *mapispi.Error values whose Component names the layer, whose
// Message says what it was doing and whose Err keeps the cause. MAPI
// never runs Logon and Shutdown at the same time; a host that does may
// see a Logon fail with ErrInvalidObject after its SetProviderUID,
// ModifyProfile and ModifyStatusRow calls.
func (p *Provider) Logon(ctx context.Context, sup mapispi.Support, req *mapispi.LogonRequest) (*mapispi.LogonResult, error) {
	if err := p.begin("Logon", sup, req); err != nil {
		return nil, err
	}
	l := &logon{p: p, sup: sup, req: req}
	id := req.EntryID
	if id == nil {
		var err error
		if id, err = l.findStore(ctx); err != nil {
			return nil, err
		}
	}
	uid, err := parseStoreID(id)
	if err != nil {
		return nil, err
	}
	s, release, err := p.claim(ctx, uid)
	switch {
	case err != nil:
		return nil, err
	case s != nil:
		return &mapispi.LogonResult{Store: s}, nil
	}
	defer release()
	res, err := l.open(ctx, id.Clone(), uid)
	if err != nil {
		return nil, err
	}
	if err := p.add(res.Store.(*Store), "Logon"); err != nil { // Shutdown raced this logon
		res.Store.(*Store).voidToken()
		return nil, p.discard(err, res.SpoolSecurity)
	}
	return res, nil
}

// claim returns the client store open for uid in p, or else makes the
// caller the one first logon of uid under way in p; release then lets the
// logons waiting for it go on. A waiting logon gives up when ctx ends.
func (p *Provider) claim(ctx context.Context, uid mapispi.UID) (open *Store, release func(), err error) {
	for {
		p.mu.Lock()
		if p.down.Load() {
			p.mu.Unlock()
			return nil, nil, errShutdown("Logon")
		}
		if s := p.byUID[uid]; s != nil {
			if s.released() {
				// Its last reference is gone and Logoff is yet to come: a
				// logon now is a first logon of a new store object.
				delete(p.byUID, uid)
			} else {
				p.stats.Reopens++
				p.mu.Unlock()
				return s, nil, nil
			}
		}
		wait := p.opening[uid]
		if wait == nil {
			done := make(chan struct{})
			p.opening[uid] = done
			p.mu.Unlock()
			return nil, func() {
				p.mu.Lock()
				delete(p.opening, uid)
				p.mu.Unlock()
				close(done)
			}, nil
		}
		p.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, nil, &mapispi.Error{Code: mapispi.ErrLogonFailed, Component: "msprovider",
				Message: "Logon: waiting for another logon of the store", Err: ctx.Err()}
		}
	}
}

// discard frees spool security data a failed logon will not return, and
// adds a failure to free it to err.
func (p *Provider) discard(err error, spool []byte) error {
	if spool == nil {
		return err
	}
	if ferr := p.alloc.FreeBuffer(spool); ferr != nil {
		return errors.Join(err, &mapispi.Error{Code: mapispi.CodeOf(ferr), Component: "msprovider",
			Message: "freeing the spool security data of a failed logon", Err: ferr})
	}
	return err
}

// logon carries the state of one IMSProvider::Logon call.
type logon struct {
	p       *Provider
	sup     mapispi.Support
	req     *mapispi.LogonRequest
	section mapispi.ProfileSection
	saved   string // a password to save in the profile section
}

// noDialog reports whether Logon may not show UI: MDB_NO_DIALOG, or the
// provider runs in a Windows service (MAPI_NT_SERVICE), where no dialog can
// appear.
func (l *logon) noDialog() bool {
	return l.req.Flags&mapispi.LogonNoDialog != 0 || l.p.flags&mapispi.InitNTService != 0
}

// findStore returns the store's entry ID from the profile section or a
// prompt.
func (l *logon) findStore(ctx context.Context) (mapispi.EntryID, error) {
	sec, err := l.openSection(ctx)
	if err != nil {
		return nil, err
	}
	vals, err := sec.GetProps(ctx, []mapispi.PropTag{mapispi.PropEntryID})
	if err != nil {
		return nil, supportError("profile section", err, "reading PR_ENTRYID")
	}
	if len(vals) == 1 {
		if wrapped, ok := vals[0].Value.([]byte); ok && len(wrapped) > 0 {
			return unwrap(wrapped)
		}
	}
	if l.noDialog() {
		return nil, mapispi.Errorf(mapispi.ErrLogonFailed, "msprovider",
			"no store entry ID given, none in the profile section, and no dialog allowed")
	}
	resp, err := l.sup.Prompt(ctx, &mapispi.PromptRequest{
		Kind: mapispi.PromptChooseStore, UIParam: l.req.UIParam, ProfileName: l.req.ProfileName,
		Reason: "no store entry ID given and none in the profile section",
	})
	if err != nil {
		return nil, promptError(err, "choosing a store")
	}
	if len(resp.EntryID) == 0 {
		return nil, mapispi.Errorf(mapispi.ErrLogonFailed, "msprovider", "the store prompt returned no store")
	}
	return resp.EntryID, nil
}

func (l *logon) openSection(ctx context.Context) (mapispi.ProfileSection, error) {
	if l.section != nil {
		return l.section, nil
	}
	sec, err := l.sup.OpenProfileSection(ctx, mapispi.UID{}, mapispi.OpenModify)
	if err != nil {
		return nil, supportError("IMAPISupport::OpenProfileSection", err, "opening the provider's profile section")
	}
	if sec == nil {
		return nil, mapispi.Errorf(mapispi.ErrCallFailed, "IMAPISupport::OpenProfileSection", "returned no section")
	}
	l.section = sec
	return sec, nil
}

// open performs a first logon of the store id names: credentials, the
// profile section, the support calls in MAPI's order, and the objects.
// id is the provider's own copy.
func (l *logon) open(ctx context.Context, id mapispi.EntryID, uid mapispi.UID) (*mapispi.LogonResult, error) {
	d, err := l.p.backend.lookup(uid, id)
	if err != nil {
		return nil, err
	}
	sec, err := l.openSection(ctx)
	if err != nil {
		return nil, err
	}
	if err := l.authenticate(ctx, sec, d, id); err != nil {
		return nil, err
	}

	// Allocate the spool security data before any side effect a failure
	// could not undo. MAPI frees it.
	var spool []byte
	var tokNonce nonce
	if l.req.Flags&mapispi.LogonNoMail == 0 {
		var tok []byte
		tok, tokNonce = newToken(d)
		if spool, err = l.p.alloc.AllocateBuffer(len(tok)); err != nil {
			return nil, &mapispi.Error{Code: mapispi.CodeOf(err), Component: "msprovider", Message: "allocating the spool security data", Err: err}
		}
		copy(spool, tok)
	}
	wrapped, err := wrapID(ctx, l.sup, id)
	if err != nil {
		return nil, l.p.discard(err, spool)
	}
	name := d.displayName()
	props := []mapispi.PropValue{
		{Tag: mapispi.PropDisplayName, Value: name},
		{Tag: mapispi.PropEntryID, Value: []byte(wrapped)},
		{Tag: mapispi.PropProviderDisplay, Value: ProviderDisplay},
		{Tag: mapispi.PropRecordKey, Value: append([]byte(nil), uid[:]...)},
	}
	if l.saved != "" {
		props = append(props, mapispi.PropValue{Tag: PropPassword, Value: l.saved})
	}
	steps := []struct {
		component string
		call      func() error
	}{
		{"profile section", func() error {
			probs, err := sec.SetProps(ctx, props)
			if err == nil && len(probs) > 0 {
				err = mapispi.Errorf(probs[0].Code, "profile section", "could not set %v", probs[0].Tag)
			}
			return err
		}},
		// The store's own UID, which every entry ID of the store carries
		// at bytes 4..19: "Registering Service Provider Unique
		// Identifiers" asks for a UID per logon object, so that MAPI
		// routes each store's IDs to its own logon.
		{"IMAPISupport::SetProviderUID", func() error { return l.sup.SetProviderUID(ctx, uid) }},
		{"IMAPISupport::ModifyProfile", func() error {
			if l.req.Flags&mapispi.LogonTemporary != 0 {
				return nil
			}
			return l.sup.ModifyProfile(ctx, 0)
		}},
		{"IMAPISupport::ModifyStatusRow", func() error { return l.sup.ModifyStatusRow(ctx, statusRow(name), 0) }},
	}
	for _, step := range steps {
		if err := step.call(); err != nil {
			return nil, l.p.discard(supportError(step.component, err, "logon of store "+strconv.Quote(name)), spool)
		}
	}
	s := newStore(l.p, d, l.sup, id, wrapped, l.req.Flags, false)
	if spool != nil {
		// The token is good for one spooler logon while s lasts.
		s.token, s.issued = tokNonce, true
		d.issue(tokNonce, s)
	}
	return &mapispi.LogonResult{Logon: &s.logon, Store: s, SpoolSecurity: spool}, nil
}

// wrapID returns a Go copy of the wrapped form of a store entry ID, and
// frees the buffer WrapStoreEntryID allocated with the support object's
// allocator (GetMemAllocRoutines), which allocated it.
func wrapID(ctx context.Context, sup mapispi.Support, id mapispi.EntryID) (mapispi.EntryID, error) {
	const component = "IMAPISupport::WrapStoreEntryID"
	w, err := sup.WrapStoreEntryID(ctx, id)
	if err != nil {
		return nil, supportError(component, err, "wrapping the store entry ID")
	}
	out := w.Clone()
	if a := sup.MemAllocRoutines(); a != nil && w != nil {
		if err := a.FreeBuffer(w); err != nil {
			return nil, supportError(component, err, "freeing the wrapped entry ID")
		}
	}
	if len(out) == 0 {
		return nil, mapispi.Errorf(mapispi.ErrCallFailed, component, "returned an empty entry ID")
	}
	return out, nil
}

// authenticate checks the store's password, from the profile section or a
// prompt.
func (l *logon) authenticate(ctx context.Context, sec mapispi.ProfileSection, d *storeData, id mapispi.EntryID) error {
	if !d.hasPassword() {
		return nil
	}
	name := strconv.Quote(d.displayName())
	reason := "a password is required"
	vals, err := sec.GetProps(ctx, []mapispi.PropTag{PropPassword})
	if err != nil {
		return supportError("profile section", err, "reading the saved password")
	}
	if len(vals) == 1 && vals[0].Tag == PropPassword {
		pw, _ := vals[0].Value.(string)
		if d.checkPassword(pw) {
			return nil
		}
		if l.noDialog() {
			return mapispi.Errorf(mapispi.ErrFailOneProvider, "msprovider",
				"wrong password in the profile section for store %s, and no dialog allowed", name)
		}
		reason = "the saved password is wrong"
	} else if l.noDialog() {
		return mapispi.Errorf(mapispi.ErrFailOneProvider, "msprovider",
			"store %s needs a password: none in the profile section, and no dialog allowed", name)
	}
	for range maxPromptAttempts {
		resp, err := l.sup.Prompt(ctx, &mapispi.PromptRequest{
			Kind: mapispi.PromptPassword, UIParam: l.req.UIParam, ProfileName: l.req.ProfileName,
			StoreName: d.displayName(), EntryID: id.Clone(), Reason: reason,
		})
		if err != nil {
			return promptError(err, "asking for the password of store "+name)
		}
		if d.checkPassword(resp.Password) {
			if resp.Remember {
				l.saved = resp.Password
			}
			return nil
		}
		reason = "wrong password"
	}
	return mapispi.Errorf(mapispi.ErrLogonFailed, "msprovider",
		"wrong password for store %s, %d times", name, maxPromptAttempts)
}

// SpoolerLogon is IMSProvider::SpoolerLogon: it checks the spool security
// data Logon returned and opens a distinct MSLogon and MsgStore, marked as
// the spooler's, over the same store data. Spool security data is good
// for one spooler logon, in any provider object over the same Backend,
// while the logon that issued it lasts. Data that does not authorise the
// store is ErrNoAccess: for another store, altered, truncated, forged,
// issued before the password changed, used already, or issued by a logon
// that has since been logged off (Close and Logoff, Logoff, or
// Shutdown). The MAC is compared in constant time.
func (p *Provider) SpoolerLogon(ctx context.Context, sup mapispi.Support, req *mapispi.SpoolerLogonRequest) (*mapispi.LogonResult, error) {
	var lreq *mapispi.LogonRequest
	if req != nil {
		lreq = &req.LogonRequest
	}
	if err := p.begin("SpoolerLogon", sup, lreq); err != nil {
		return nil, err
	}
	uid, err := parseStoreID(req.EntryID)
	if err != nil {
		return nil, err
	}
	d, err := p.backend.lookup(uid, req.EntryID)
	if err != nil {
		return nil, err
	}
	n, err := checkToken(req.SpoolSecurity, d)
	if err != nil {
		return nil, err
	}
	// The spooler's store reports the wrapped ID too, as every store
	// must in PR_ENTRYID and PR_STORE_ENTRYID.
	wrapped, err := wrapID(ctx, sup, req.EntryID)
	if err != nil {
		return nil, err
	}
	// Last, so that a failure before leaves the token to a retry; of
	// two logons with one token, one gets here first.
	issuer, err := d.consume(n)
	if err != nil {
		return nil, err
	}
	s := newStore(p, d, sup, req.EntryID.Clone(), wrapped, req.Flags, true)
	s.issuer = issuer
	if err := p.add(s, "SpoolerLogon"); err != nil {
		return nil, err
	}
	return &mapispi.LogonResult{Logon: &s.logon, Store: s}, nil
}

// CompareStoreIDs is IMSProvider::CompareStoreIDs: whether a and b name
// the same store. It accepts this provider's unwrapped store entry IDs
// with any abFlags, and also their wrapped forms, so every alias of a
// store compares equal. It works with no store open, takes no lock and
// allocates nothing for well-formed IDs; malformed input is
// ErrInvalidEntryID, and after Shutdown it returns ErrInvalidObject.
func (p *Provider) CompareStoreIDs(a, b mapispi.EntryID) (bool, error) {
	if p.down.Load() {
		return false, errShutdown("CompareStoreIDs")
	}
	ua, err := parseAnyStoreID(a)
	if err != nil {
		return false, err
	}
	ub, err := parseAnyStoreID(b)
	if err != nil {
		return false, err
	}
	return ua == ub, nil
}

// Shutdown is IMSProvider::Shutdown. MAPI calls it after releasing every
// logon; stores still open are logged off first (StoreLogoffTransports
// gets the flag StoreLogoff recorded, or LogoffAbort), and a failure to
// log one off is reported with the others' as its cause. Afterwards every
// method but Shutdown returns ErrInvalidObject; a second Shutdown does
// nothing. The provider keeps no buffer from its Allocator beyond those
// it handed to MAPI.
func (p *Provider) Shutdown(ctx context.Context) error {
	p.mu.Lock()
	already := p.down.Swap(true)
	p.mu.Unlock()
	if already {
		return nil
	}
	var errs []error
	for _, s := range p.snapshot() {
		if closed, err := s.close(ctx, "Shutdown"); closed && err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return &mapispi.Error{Code: mapispi.CodeOf(errs[0]), Component: "msprovider",
		Message: fmt.Sprintf("Shutdown: logging off %d open store(s)", len(errs)), Err: errors.Join(errs...)}
}

// supportError wraps an error from a support call or the profile section
// in an *Error naming the component, keeping its SCode.
func supportError(component string, err error, doing string) error {
	return &mapispi.Error{Code: mapispi.CodeOf(err), Component: component, Message: doing, Err: err}
}

// promptError turns a failed Support.Prompt into Logon's documented errors.
func promptError(err error, doing string) error {
	const component = "IMAPISupport::Prompt"
	switch {
	case errors.Is(err, mapispi.ErrUserCancel):
		return &mapispi.Error{Code: mapispi.ErrUserCancel, Component: component, Message: "the user cancelled " + doing, Err: err}
	case errors.Is(err, mapispi.ErrNoSupport):
		return &mapispi.Error{Code: mapispi.ErrLogonFailed, Component: component, Message: doing + " needs a dialog, and the host cannot show one", Err: err}
	}
	return supportError(component, err, doing)
}
