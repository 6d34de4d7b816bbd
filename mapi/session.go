package mapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/mapiemu/mapiemu/alloc"
	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

// Options configures a session. A nil *Options takes every default.
type Options struct {
	// Allocator is what providers get as MAPIAllocateBuffer,
	// MAPIAllocateMore and MAPIFreeBuffer. Default: a new *alloc.Heap with
	// Trace set, so that Logoff's leak report says where each leaked buffer
	// was allocated. Logoff checks any Allocator with a CheckLeaks() error
	// method for leaks.
	Allocator mapispi.Allocator
	// Malloc is the IMalloc providers get. Default: a new *alloc.Malloc.
	Malloc mapispi.Malloc
	// Prompt answers the dialogs providers ask for through Support.Prompt.
	// Nil means no UI (MAPI_DIALOG absent): Prompt fails with ErrNoSupport.
	Prompt func(ctx context.Context, req *mapispi.PromptRequest) (*mapispi.PromptResponse, error)
	// MAPIVersion is the SPI version the session speaks to providers.
	// Default: mapispi.SPIVersion.
	MAPIVersion mapispi.Version
	// Trace, when set, receives every call the host makes into a provider
	// and every call a provider makes into the host. Without it the host
	// spends a nil check per call.
	Trace func(Call)
	// Faults lists calls that fail on purpose, to test a provider's
	// failure paths.
	Faults []Fault
}

// StoreInfo is one row of the message store table (IMAPISession::
// GetMsgStoresTable): a message service of the profile and its store.
type StoreInfo struct {
	// Service is the message service's name in the profile.
	Service string
	// DisplayName is the store's PR_DISPLAY_NAME from its profile section,
	// or the service's name when the section has none.
	DisplayName string
	// Provider is the provider's registered name (PR_PROVIDER_DLL_NAME).
	Provider string
	// EntryID is the store's wrapped PR_ENTRYID, what OpenMsgStore takes,
	// or nil when the profile section holds no entry ID yet.
	EntryID mapispi.EntryID
	// Open reports whether the session has the store open.
	Open bool
}

// Session is the Go form of IMAPISession for store providers: what
// MAPILogonEx returns. It loads providers through a Registry, one provider
// object per provider per session, opens their stores, routes entry IDs to
// the logons that registered their UIDs, keeps the status table and the
// spooler, and at Logoff shuts everything down in MAPI's order and reports
// what providers leaked.
//
// A Session is safe for concurrent use. After Logoff every method returns
// ErrInvalidObject.
type Session struct {
	reg      *Registry
	profile  string
	mapiVer  mapispi.Version
	alloc    mapispi.Allocator // providers' view: faults and trace applied
	rawAlloc mapispi.Allocator // the Options' allocator, for the leak check
	malloc   mapispi.Malloc
	prompt   func(context.Context, *mapispi.PromptRequest) (*mapispi.PromptResponse, error)
	trace    func(Call)
	faults   *faults
	status   *mapiutil.TableData
	spooler  *Spooler
	notify   notifier

	initMu sync.Mutex // serialises MSProviderInit calls

	closed   atomic.Bool // set by Logoff; read without the lock on hot paths
	lastWrap atomic.Pointer[wrapCache]

	mu        sync.RWMutex
	services  []*service
	providers map[string]*provider        // client provider objects by lower-case name
	loaded    atomic.Pointer[[]*provider] // the same, in load order, for lock-free scans
	routes    []route                     // SetProviderUID registrations, oldest first
	sections  map[mapispi.UID]*mapiutil.PropData
	direct    []*logon // support objects handed out by Support
	nextRow   uint64
}

// service is a message service of the session's profile.
type service struct {
	name     string
	provider string // the registered name, as the profile gives it
	section  *mapiutil.PropData

	open sync.Mutex // held while the store is opened or closed

	// Guarded by Session.mu:
	temporary bool  // opened with no profile entry; listed after ModifyProfile
	disabled  error // why the service is disabled for the session
	logon     *logon
}

// provider is one provider object of the session (or of its spooler).
type provider struct {
	name string
	obj  mapispi.MSProvider
	svc  *service // the service it was first loaded for, for messages
}

// route is one UID a logon registered with SetProviderUID.
type route struct {
	uid mapispi.UID
	l   *logon
}

// Logon is the Go form of MAPILogonEx: it starts a session on profile p,
// whose services name providers registered in reg. Nothing is loaded
// until a store is opened. A nil reg, a service without a name or a
// provider, two services with one name, or bad Options are errors wrapping
// ErrInvalidParameter.
func Logon(ctx context.Context, reg *Registry, p Profile, opts *Options) (*Session, error) {
	if err := ctx.Err(); err != nil {
		return nil, &mapispi.Error{Code: mapispi.ErrCallFailed, Component: "MAPILogonEx", Err: err}
	}
	if reg == nil {
		return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "MAPILogonEx", "nil Registry")
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	s := &Session{
		reg:       reg,
		profile:   p.Name,
		mapiVer:   o.MAPIVersion,
		rawAlloc:  o.Allocator,
		malloc:    o.Malloc,
		prompt:    o.Prompt,
		trace:     o.Trace,
		providers: make(map[string]*provider),
		sections:  make(map[mapispi.UID]*mapiutil.PropData),
	}
	if s.mapiVer == 0 {
		s.mapiVer = mapispi.SPIVersion
	}
	if s.rawAlloc == nil {
		s.rawAlloc = &alloc.Heap{Trace: true}
	}
	if s.malloc == nil {
		s.malloc = &alloc.Malloc{Trace: true}
	}
	var err error
	if s.faults, err = newFaults(o.Faults); err != nil {
		return nil, err
	}
	s.alloc = s.rawAlloc
	if s.faults != nil || s.trace != nil {
		s.alloc = &hostAllocator{s: s, a: s.rawAlloc}
	}
	seen := make(map[string]bool)
	for i, svc := range p.Services {
		switch {
		case strings.TrimSpace(svc.Name) == "":
			return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "MAPILogonEx", "profile %q: service %d has no name", p.Name, i)
		case strings.TrimSpace(svc.Provider) == "":
			return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "MAPILogonEx", "profile %q: service %q names no provider", p.Name, svc.Name)
		case seen[svc.Name]:
			return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "MAPILogonEx", "profile %q: two services are named %q", p.Name, svc.Name)
		}
		seen[svc.Name] = true
		section, err := newSection(svc.Props)
		if err != nil {
			return nil, fmt.Errorf("MAPILogonEx: profile %q, service %q: %w", p.Name, svc.Name, err)
		}
		s.services = append(s.services, &service{name: svc.Name, provider: svc.Provider, section: section})
	}
	s.status, err = mapiutil.NewTableData(mapispi.PropInstanceKey, statusColumns)
	if err != nil {
		return nil, err
	}
	s.spooler = &Spooler{s: s, providers: make(map[string]*provider), logons: make(map[*service]*logon)}
	return s, nil
}

// newSection is a profile section holding props.
func newSection(props []mapispi.PropValue) (*mapiutil.PropData, error) {
	d := mapiutil.NewPropData()
	if len(props) == 0 {
		return d, nil
	}
	problems, err := d.SetProps(context.Background(), props)
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "profile section", "property %v: %v", problems[0].Tag, problems[0].Code)
	}
	return d, nil
}

// statusColumns are the status table's columns (the Status Table page).
var statusColumns = []mapispi.PropTag{
	mapispi.PropInstanceKey, mapispi.PropDisplayName, mapispi.PropProviderDisplay,
	mapispi.PropProviderDLLName, mapispi.PropResourceType, mapispi.PropResourceMethods,
	mapispi.PropResourceFlags, mapispi.PropStatusCode, mapispi.PropStatusString, mapispi.PropEntryID,
}

// check returns ErrInvalidObject once the session has logged off.
func (s *Session) check(op string) error {
	if s.closed.Load() {
		return mapispi.Errorf(mapispi.ErrInvalidObject, op, "the session has logged off")
	}
	return nil
}

// Profile returns the session's profile as it is now: the services, with
// what providers wrote in their profile sections and the temporary stores
// ModifyProfile made permanent. Save it to log on again later.
func (s *Session) Profile() Profile {
	s.mu.RLock()
	services := slices.Clone(s.services)
	s.mu.RUnlock()
	p := Profile{Name: s.profile}
	for _, svc := range services {
		s.mu.RLock()
		temp := svc.temporary
		s.mu.RUnlock()
		if temp {
			continue
		}
		props, _ := svc.section.GetProps(context.Background(), nil)
		p.Services = append(p.Services, Service{Name: svc.name, Provider: svc.provider, Props: props})
	}
	return p
}

// providerFor returns the session's provider object for name, calling
// its InitFunc the first time.
func (s *Session) providerFor(ctx context.Context, svc *service) (*provider, error) {
	if loaded := s.loaded.Load(); loaded != nil {
		for _, p := range *loaded {
			if strings.EqualFold(p.name, svc.provider) {
				return p, nil
			}
		}
	}
	return s.loadProvider(ctx, svc, s.providers, &s.mu)
}

// loadProvider finds or makes the provider object for svc's provider in
// objs (the session's or the spooler's), guarded by mu.
func (s *Session) loadProvider(ctx context.Context, svc *service, objs map[string]*provider, mu *sync.RWMutex) (*provider, error) {
	key := strings.ToLower(svc.provider)
	mu.RLock()
	p := objs[key]
	mu.RUnlock()
	if p != nil {
		return p, nil
	}
	s.initMu.Lock()
	defer s.initMu.Unlock()
	if s.closed.Load() { // Logoff takes initMu after closing: no provider loads past it
		return nil, mapispi.Errorf(mapispi.ErrInvalidObject, svc.name, "the session has logged off")
	}
	mu.RLock()
	p = objs[key]
	mu.RUnlock()
	if p != nil {
		return p, nil
	}
	init, ok := s.reg.Lookup(svc.provider)
	if !ok {
		return nil, mapispi.Errorf(mapispi.ErrNotFound, svc.name, "provider %q is not registered", svc.provider)
	}
	obj, err := s.callInit(ctx, svc, init)
	if err != nil {
		return nil, err
	}
	p = &provider{name: svc.provider, obj: obj, svc: svc}
	mu.Lock()
	objs[key] = p
	if mu == &s.mu {
		var loaded []*provider
		if old := s.loaded.Load(); old != nil {
			loaded = append(loaded, *old...)
		}
		loaded = append(loaded, p)
		s.loaded.Store(&loaded)
	}
	mu.Unlock()
	return p, nil
}

// callInit calls MSProviderInit and checks what it returns.
func (s *Session) callInit(ctx context.Context, svc *service, init mapispi.InitFunc) (obj mapispi.MSProvider, err error) {
	c := s.begin("MSProviderInit", svc)
	defer func() { s.end(c, svc, recover(), &err, obj) }()
	if c != nil {
		c.Args = fmt.Sprintf("MAPIVersion=%v", s.mapiVer)
	}
	obj, ver, err := init(ctx, &mapispi.InitParams{Allocator: s.alloc, Malloc: s.malloc, MAPIVersion: s.mapiVer})
	if err != nil {
		return nil, err
	}
	if obj == nil {
		return nil, mapispi.Errorf(mapispi.ErrCallFailed, svc.name, "MSProviderInit returned no provider object and no error")
	}
	if err := mapispi.CheckVersion(s.mapiVer, ver); err != nil {
		_ = obj.Shutdown(ctx)
		return nil, err
	}
	return obj, nil
}

// findService returns the service whose store id (unwrapped) names, among
// those of the provider dll, asking the provider's CompareStoreIDs. A
// store of a registered provider that no service holds gets a temporary
// service, listed once ModifyProfile makes it permanent.
func (s *Session) findService(ctx context.Context, dll string, inner mapispi.EntryID) (*service, *provider, error) {
	s.mu.RLock()
	var candidates []*service
	for _, svc := range s.services {
		if strings.EqualFold(svc.provider, dll) {
			candidates = append(candidates, svc)
		}
	}
	s.mu.RUnlock()
	probe := &service{name: dll, provider: dll}
	if len(candidates) > 0 {
		probe = candidates[0]
	}
	p, err := s.providerFor(ctx, probe) // ErrNotFound for a provider not registered
	if err != nil {
		return nil, nil, err
	}
	// The ID being opened must itself be one the provider can compare;
	// after that, a service whose profile ID it cannot compare is skipped,
	// so that one broken service does not block the others.
	if _, err := s.callCompareStoreIDs(probe, p, inner, inner); err != nil {
		return nil, nil, err
	}
	for _, svc := range candidates {
		id := svc.unwrappedID()
		if id == nil {
			continue
		}
		same, err := s.callCompareStoreIDs(svc, p, inner, id)
		if err != nil {
			continue // the trace has the failed comparison
		}
		if same {
			return svc, p, nil
		}
	}
	// A store the profile does not hold: a temporary service, made once
	// however many opens race for it.
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed.Load() {
		return nil, nil, mapispi.Errorf(mapispi.ErrInvalidObject, "IMAPISession::OpenMsgStore", "the session has logged off")
	}
	for _, svc := range s.services {
		if svc.temporary && strings.EqualFold(svc.provider, p.name) && bytes.Equal(svc.unwrappedID(), inner) {
			return svc, p, nil
		}
	}
	section, err := newSection([]mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte(slices.Clone(inner))}})
	if err != nil {
		return nil, nil, err
	}
	svc := &service{name: fmt.Sprintf("%s (temporary %s)", dll, inner), provider: p.name, section: section, temporary: true}
	s.services = append(s.services, svc)
	return svc, p, nil
}

// profileID is the store entry ID in the service's profile section, as
// stored (wrapped or not), or nil.
func (svc *service) profileID() mapispi.EntryID {
	vals, err := svc.section.GetProps(context.Background(), []mapispi.PropTag{mapispi.PropEntryID})
	if err != nil || len(vals) != 1 {
		return nil
	}
	if id, ok := vals[0].Value.([]byte); ok && len(id) > 0 {
		return id
	}
	return nil
}

// unwrappedID is the store entry ID in the service's profile section,
// unwrapped, or nil.
func (svc *service) unwrappedID() mapispi.EntryID {
	id := svc.profileID()
	if inner, err := entryid.UnwrapView(id); err == nil && id != nil {
		return inner
	}
	return id
}

// wrappedID is the store entry ID in the service's profile section as
// clients see it: as stored when the provider stored it wrapped, else
// wrapped with the service's provider name; nil when there is none.
func (svc *service) wrappedID() mapispi.EntryID {
	id := svc.profileID()
	switch {
	case id == nil:
		return nil
	case isWrapped(id):
		if _, err := entryid.UnwrapView(id); err == nil {
			return id
		}
	}
	return entryid.WrapStore(svc.provider, id)
}

// displayName is PR_DISPLAY_NAME from the section, else the service name.
func (svc *service) displayName() string {
	vals, err := svc.section.GetProps(context.Background(), []mapispi.PropTag{mapispi.PropDisplayName})
	if err == nil && len(vals) == 1 {
		if name, ok := vals[0].Value.(string); ok && name != "" {
			return name
		}
	}
	return svc.name
}

// OpenMsgStore is IMAPISession::OpenMsgStore: it opens the store a wrapped
// store entry ID names (one from MsgStores). The first time the session
// needs the store's provider it calls the provider's InitFunc and checks
// the version it returns; then it finds the service by the DLL name in the
// ID and the provider's CompareStoreIDs, and calls Logon with the
// unwrapped ID and the service's profile section. A store the session has
// open already gives the same store.
//
// A Logon failure other than ErrFailOneProvider and ErrUserCancel disables
// the service for the rest of the session: later opens fail at once with
// an error that says so and why. A panic in the provider is recovered,
// reported as ErrCallFailed, and disables the service too (every service
// of the provider when it was in a call on the provider object, such as
// CompareStoreIDs). Unless flags has
// LogonNoMail, the spooler then logs on to the store with the spool
// security data Logon returned.
func (s *Session) OpenMsgStore(ctx context.Context, id mapispi.EntryID, flags mapispi.LogonFlags) (mapispi.MsgStore, error) {
	const op = "IMAPISession::OpenMsgStore"
	if err := s.check(op); err != nil {
		return nil, err
	}
	dll, inner, err := entryid.UnwrapStore(id)
	if err != nil {
		return nil, &mapispi.Error{Code: mapispi.ErrInvalidEntryID, Component: op, Message: "not a wrapped store entry ID", Err: err}
	}
	svc, p, err := s.findService(ctx, dll, inner)
	if err != nil {
		return nil, err
	}
	return s.openService(ctx, svc, p, inner, flags)
}

// openService logs on to svc's store, or returns the open one.
func (s *Session) openService(ctx context.Context, svc *service, p *provider, inner mapispi.EntryID, flags mapispi.LogonFlags) (mapispi.MsgStore, error) {
	svc.open.Lock()
	defer svc.open.Unlock()
	s.mu.RLock()
	closed, disabled, l := s.closed.Load(), svc.disabled, svc.logon
	s.mu.RUnlock()
	switch {
	case closed:
		return nil, mapispi.Errorf(mapispi.ErrInvalidObject, "IMAPISession::OpenMsgStore", "the session has logged off")
	case disabled != nil:
		return nil, &mapispi.Error{Code: scodeOf(disabled), Component: svc.name, Message: "the service is disabled for this session", Err: disabled}
	case l != nil:
		return l.store, nil
	}
	l = s.newLogon(svc, p, false)
	req := &mapispi.LogonRequest{ProfileName: s.profile, EntryID: slices.Clone(inner), Flags: flags}
	res, err := s.callLogon(ctx, svc, p, l, req)
	if err != nil {
		l.end()
		switch {
		case errors.Is(err, mapispi.ErrFailOneProvider), errors.Is(err, mapispi.ErrUserCancel):
		default:
			s.disable(svc, err)
		}
		if errors.Is(err, mapispi.ErrUnconfigured) {
			return nil, &mapispi.Error{Code: mapispi.ErrUnconfigured, Component: svc.name, Message: fmt.Sprintf("message service %q is not configured", svc.name), Err: err}
		}
		return nil, err
	}
	l.attach(res.Logon, res.Store)
	s.mu.Lock()
	svc.logon = l
	s.mu.Unlock()
	token, ferr := s.takeSpoolSecurity(res.SpoolSecurity)
	if ferr != nil {
		s.tracef(svc, "MAPIFreeBuffer", "spool security data", ferr)
	}
	if flags&mapispi.LogonNoMail == 0 {
		s.spooler.logon(ctx, svc, inner, token)
	}
	return l.store, nil
}

// callLogon calls IMSProvider::Logon, recovering a panic.
func (s *Session) callLogon(ctx context.Context, svc *service, p *provider, l *logon, req *mapispi.LogonRequest) (res *mapispi.LogonResult, err error) {
	c := s.begin("IMSProvider::Logon", svc)
	if c != nil {
		c.Args = fmt.Sprintf("EntryID=%X Flags=%v", []byte(req.EntryID), req.Flags)
	}
	defer func() { s.end(c, svc, recover(), &err, res) }()
	res, err = p.obj.Logon(ctx, l.support, req)
	if err != nil {
		return nil, err
	}
	if res == nil || res.Store == nil || res.Logon == nil {
		s.freeQuiet(res)
		return nil, mapispi.Errorf(mapispi.ErrCallFailed, svc.name, "IMSProvider::Logon of a store the provider object had not opened returned no MSLogon or MsgStore")
	}
	return res, nil
}

// freeQuiet frees the spool security data of a result the host refuses.
func (s *Session) freeQuiet(res *mapispi.LogonResult) {
	if res != nil && res.SpoolSecurity != nil {
		_ = s.alloc.FreeBuffer(res.SpoolSecurity)
	}
}

// takeSpoolSecurity copies the spool security data Logon returned and
// frees the provider's buffer, as MAPI frees *lppbSpoolSecurity.
func (s *Session) takeSpoolSecurity(b []byte) ([]byte, error) {
	if b == nil {
		return nil, nil
	}
	token := slices.Clone(b)
	return token, s.alloc.FreeBuffer(b)
}

// disableProvider stops every service of the provider called name: a
// panic in a call on the provider object (rather than on one logon)
// belongs to all of them.
func (s *Session) disableProvider(name string, why error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, svc := range s.services {
		if strings.EqualFold(svc.provider, name) && svc.disabled == nil {
			svc.disabled = why
		}
	}
}

// disable stops svc for the rest of the session.
func (s *Session) disable(svc *service, why error) {
	s.mu.Lock()
	if svc.disabled == nil {
		svc.disabled = why
	}
	s.mu.Unlock()
}

// MsgStores is IMAPISession::GetMsgStoresTable: one row per message
// service of the profile, in profile order, with the store's wrapped
// entry ID built as entryid.WrapStore builds it from the unwrapped ID in
// the service's profile section (an ID the provider stored wrapped is
// given as it is).
func (s *Session) MsgStores(ctx context.Context) ([]StoreInfo, error) {
	if err := s.check("IMAPISession::GetMsgStoresTable"); err != nil {
		return nil, err
	}
	s.mu.RLock()
	services := slices.Clone(s.services)
	open := make(map[*service]bool)
	temp := make(map[*service]bool)
	for _, svc := range services {
		open[svc] = svc.logon != nil
		temp[svc] = svc.temporary
	}
	s.mu.RUnlock()
	var rows []StoreInfo
	for _, svc := range services {
		if temp[svc] {
			continue
		}
		row := StoreInfo{Service: svc.name, DisplayName: svc.displayName(), Provider: svc.provider, Open: open[svc]}
		row.EntryID = svc.wrappedID()
		rows = append(rows, row)
	}
	return rows, nil
}

// Spooler returns the session's MAPI spooler.
func (s *Session) Spooler() *Spooler { return s.spooler }

// StatusTable is IMAPISession::GetStatusTable: a view of the rows
// providers set with ModifyStatusRow, one per logon, removed at its logoff.
// It restricts, sorts and notifies like any MAPI table; close it when done.
func (s *Session) StatusTable(ctx context.Context) (mapispi.Table, error) {
	if err := s.check("IMAPISession::GetStatusTable"); err != nil {
		return nil, err
	}
	return s.status.View(statusColumns)
}
