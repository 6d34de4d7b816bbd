package mapi

import (
	"context"
	"errors"
	"fmt"
	"reflect"
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
	// Transports are the transports the spooler hands mail to, by
	// address type. Nil: none, so that only local delivery (see
	// Spooler.Flush) reaches anyone.
	Transports *Transports
	// ManualFlush stops the spooler from sending on its own when a store
	// tells it a message was submitted: mail then moves only when
	// Spooler.Flush is called. Default: the spooler flushes in the
	// background after each submission, as MAPI's spooler does.
	ManualFlush bool
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
// what clients left open and what providers leaked.
//
// Every object it hands out (a *Store, a *Table, an Object) is a handle:
// close it when done. A handle's methods fail with ErrInvalidObject once
// it is closed, its store logged off or the session logged off.
//
// A Session is safe for concurrent use, and holds no lock of its own while
// it calls a provider or a client's callback (Options.Trace and Prompt,
// notification sinks): any of them may call back into the session. A call
// that would have to wait for the very call it is made from (opening a
// store from the Prompt of that store's logon, say) fails at once with
// ErrBusy instead. After Logoff every method returns ErrInvalidObject.
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
	status   *statusTable
	spooler  *Spooler
	subs     subscriptions

	transports *Transports
	autoFlush  bool

	closed   atomic.Bool // set when Logoff begins; read without the lock on hot paths
	traceOff atomic.Bool // Options.Trace panicked
	lastWrap atomic.Pointer[wrapCache]
	loaded   atomic.Pointer[[]*provider] // client provider objects, in load order, for lock-free scans

	panicMu sync.Mutex
	panics  *mapispi.Error // a client callback's panic, for Logoff to report

	mu          sync.RWMutex
	state       sessionState
	services    []*service
	byKey       map[svcKey]*service      // services by serviceKey of their profile's store ID
	providers   map[string]*provider     // client provider objects by lower-case name
	routes      map[mapispi.UID][]*logon // SetProviderUID registrations, oldest first; each slice is replaced, never changed
	sections    map[mapispi.UID]*mapiutil.PropData
	direct      []*logon             // support objects handed out to the conformance kit
	ops         map[*op]struct{}     // work under way, which Logoff waits for
	live        map[*handle]struct{} // client handles not yet closed
	handleSeq   uint64
	sessionRefs map[*ref]struct{}   // the session's own objects clients hold: status tables and status objects
	sinks       map[clientConn]bool // client sinks of the session's own tables
}

// sessionState is where a session is in its life.
type sessionState uint8

const (
	sessionOpen       sessionState = iota
	sessionLoggingOff              // Logoff has begun: no new work starts
	sessionClosed                  // Logoff is done
)

// service is a message service of the session's profile.
type service struct {
	name     string
	provider string // the registered name, as the profile gives it
	section  *mapiutil.PropData

	// Guarded by Session.mu:
	temporary bool   // opened with no profile entry; listed after ModifyProfile
	removed   bool   // a temporary service whose logon failed, gone from the session
	key       svcKey // its key in Session.byKey, or the zero svcKey
	disabled  error  // why the service is disabled for the session
	logon     *logon // the client logon of its store, while open
	busy      *op    // the store being opened or logged off
}

// provider is one provider object of the session (or of its spooler).
type provider struct {
	name string
	obj  mapispi.MSProvider
	svc  *service // the service it was first loaded for, for messages
	load *op      // MSProviderInit under way; guarded by Session.mu
	err  error    // why MSProviderInit failed; set before load ends
}

// Logon is the Go form of MAPILogonEx: it starts a session on profile p,
// whose services name providers registered in reg. Nothing is loaded
// until a store is opened. A nil reg, a service without a name or a
// provider, two services with one name, or bad Options are errors wrapping
// ErrInvalidParameter.
func Logon(ctx context.Context, reg *Registry, p Profile, opts *Options) (*Session, error) {
	if ctx == nil {
		return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "MAPILogonEx", "nil context")
	}
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
	for name, v := range map[string]any{"Allocator": o.Allocator, "Malloc": o.Malloc} {
		if v != nil && isNil(v) {
			return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "MAPILogonEx", "Options.%s is a nil %T: leave it nil for the default", name, v)
		}
	}
	s := &Session{
		reg:         reg,
		profile:     p.Name,
		mapiVer:     o.MAPIVersion,
		rawAlloc:    o.Allocator,
		malloc:      o.Malloc,
		prompt:      o.Prompt,
		trace:       o.Trace,
		providers:   make(map[string]*provider),
		byKey:       make(map[svcKey]*service),
		routes:      make(map[mapispi.UID][]*logon),
		sections:    make(map[mapispi.UID]*mapiutil.PropData),
		ops:         make(map[*op]struct{}),
		live:        make(map[*handle]struct{}),
		sessionRefs: make(map[*ref]struct{}),
		transports:  o.Transports,
		autoFlush:   !o.ManualFlush,
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
		x := &service{name: svc.Name, provider: svc.Provider, section: section}
		s.services = append(s.services, x)
		s.index(x)
	}
	s.status = newStatusTable()
	s.spooler = &Spooler{s: s, providers: make(map[string]*provider), logons: make(map[*service]*logon), busy: make(map[*service]*op),
		flushing: make(chan struct{}, 1), quit: make(chan struct{})}
	return s, nil
}

// isNil reports whether v, a non-nil interface value, holds a nil pointer
// or another nil of a kind that can be one.
func isNil(v any) bool {
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface:
		return rv.IsNil()
	}
	return false
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

// providerFor returns the session's provider object for svc's provider,
// calling its InitFunc the first time.
func (s *Session) providerFor(ctx context.Context, svc *service) (*provider, error) {
	if loaded := s.loaded.Load(); loaded != nil {
		for _, p := range *loaded {
			if strings.EqualFold(p.name, svc.provider) {
				return p, nil
			}
		}
	}
	return s.loadProvider(ctx, svc, s.providers, true)
}

// loadProvider finds or makes the provider object for svc's provider in
// objs (the session's, client true, or the spooler's; guarded by s.mu).
// MSProviderInit runs with no lock held; concurrent loads of one provider
// wait for it.
func (s *Session) loadProvider(ctx context.Context, svc *service, objs map[string]*provider, client bool) (*provider, error) {
	const method = "MSProviderInit"
	key := strings.ToLower(svc.provider)
	for {
		s.mu.Lock()
		if s.state != sessionOpen {
			s.mu.Unlock()
			return nil, mapispi.Errorf(mapispi.ErrInvalidObject, svc.name, "the session has logged off")
		}
		p := objs[key]
		if p != nil && p.load == nil {
			s.mu.Unlock()
			return p, nil
		}
		if p != nil {
			o := p.load
			s.mu.Unlock()
			if err := await(ctx, o, method); err != nil {
				return nil, err
			}
			if p.err != nil {
				return nil, p.err
			}
			continue
		}
		init, ok := s.reg.Lookup(svc.provider)
		if !ok {
			s.mu.Unlock()
			return nil, mapispi.Errorf(mapispi.ErrNotFound, svc.name, "provider %q is not registered", svc.provider)
		}
		p = &provider{name: svc.provider, svc: svc}
		p.load = s.startOp(ctx, "MSProviderInit of %q", svc.provider)
		objs[key] = p
		s.mu.Unlock()

		ictx, stop := s.begin(ctx, p.load)
		obj, emit, err := s.callInit(ictx, svc, init)
		stop()
		s.mu.Lock()
		if err != nil {
			p.err = err
			delete(objs, key)
		} else {
			p.obj = obj
			if client {
				var loaded []*provider
				if old := s.loaded.Load(); old != nil {
					loaded = append(loaded, *old...)
				}
				loaded = append(loaded, p)
				s.loaded.Store(&loaded)
			}
		}
		s.finishOp(p.load)
		p.load = nil
		s.mu.Unlock()
		emit() // after the provider is there: a Trace that opens a store finds it
		if err != nil {
			return nil, err
		}
		return p, nil
	}
}

// callInit calls MSProviderInit and checks what it returns. The trace
// record is emitted by emit, which the caller calls when it has published
// the result.
func (s *Session) callInit(ctx context.Context, svc *service, init mapispi.InitFunc) (mapispi.MSProvider, func(), error) {
	return callLater(s, svc, "MSProviderInit", func() string { return fmt.Sprintf("MAPIVersion=%v", s.mapiVer) }, func() (mapispi.MSProvider, error) {
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
	})
}

// findService returns the service whose store inner (an unwrapped store
// entry ID) names, among those of the provider dll, and the provider
// object. It finds the service by the ID's entryid.Key in O(1) and lets
// the provider's CompareStoreIDs confirm it; only when the key finds none
// (an ID whose key differs from the profile's though the provider says
// they name one store) does it ask the provider about each service. A
// store of a registered provider that no service holds gets a temporary
// service, which the session keeps only once a logon of it succeeds.
func (s *Session) findService(ctx context.Context, dll string, inner mapispi.EntryID) (*service, *provider, error) {
	key := serviceKey(dll, inner)
	s.mu.RLock()
	svc := s.byKey[key]
	var probe *service
	if svc == nil {
		probe = s.firstOf(dll)
	}
	s.mu.RUnlock()
	if probe == nil {
		probe = svc
	}
	if probe == nil {
		probe = &service{name: dll, provider: dll}
	}
	p, err := s.providerFor(ctx, probe) // ErrNotFound for a provider not registered
	if err != nil {
		return nil, nil, err
	}
	// The ID being opened must itself be one the provider can compare.
	if _, err := s.callCompareStoreIDs(probe, p, inner, inner); err != nil {
		return nil, nil, err
	}
	if svc != nil {
		if same, err := s.callCompareStoreIDs(svc, p, inner, svc.unwrappedID()); err == nil && same {
			return svc, p, nil
		}
	}
	// The key found nothing the provider agrees with: ask it about each
	// service of the provider. A service whose profile ID it cannot
	// compare is skipped, so that one broken service does not block the
	// others.
	s.mu.RLock()
	var candidates []*service
	for _, x := range s.services {
		if strings.EqualFold(x.provider, dll) && x != svc {
			candidates = append(candidates, x)
		}
	}
	s.mu.RUnlock()
	for _, x := range candidates {
		id := x.unwrappedID()
		if id == nil {
			continue
		}
		if same, err := s.callCompareStoreIDs(x, p, inner, id); err == nil && same {
			return x, p, nil
		}
	}
	// A store the profile does not hold: a temporary service, made once
	// however many opens race for it, and removed if its logon fails.
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state != sessionOpen {
		return nil, nil, mapispi.Errorf(mapispi.ErrInvalidObject, "IMAPISession::OpenMsgStore", "the session has logged off")
	}
	if x := s.byKey[key]; x != nil {
		return x, p, nil // made meanwhile by a racing open
	}
	section, err := newSection([]mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte(slices.Clone(inner))}})
	if err != nil {
		return nil, nil, err
	}
	svc = &service{name: fmt.Sprintf("%s (temporary %s)", dll, inner), provider: p.name, section: section, temporary: true, key: key}
	s.services = append(s.services, svc)
	s.byKey[key] = svc
	return svc, p, nil
}

// svcKey is the key of a store in Session.byKey.
type svcKey struct {
	dll string // the provider's name, folded as Windows folds DLL names
	id  string // the store ID's entryid.Key
}

// serviceKey is the byKey key of a store of provider dll, the same for
// every form of one store ID (wrapped or not, any abFlags).
func serviceKey(dll string, id mapispi.EntryID) svcKey {
	return svcKey{strings.ToLower(dll), entryid.Key(id)}
}

// firstOf returns the first service of provider dll, or nil (s.mu held).
func (s *Session) firstOf(dll string) *service {
	for _, x := range s.services {
		if strings.EqualFold(x.provider, dll) {
			return x
		}
	}
	return nil
}

// index files svc under the key of the store ID in its profile section,
// when it has one and no service has that key (s.mu held).
func (s *Session) index(svc *service) {
	id := svc.profileID()
	if id == nil {
		return
	}
	key := serviceKey(svc.provider, id)
	if svc.key == key {
		return
	}
	if svc.key != (svcKey{}) && s.byKey[svc.key] == svc {
		delete(s.byKey, svc.key)
	}
	svc.key = key
	if s.byKey[key] == nil {
		s.byKey[key] = svc
	}
}

// forget removes a temporary service whose logon failed (s.mu held): a
// failed open leaves nothing behind.
func (s *Session) forget(svc *service) {
	svc.removed = true
	s.services = slices.DeleteFunc(s.services, func(x *service) bool { return x == svc })
	if s.byKey[svc.key] == svc {
		delete(s.byKey, svc.key)
	}
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
// store entry ID names (one from MsgStores) and returns a handle on it.
// The first time the session needs the store's provider it calls the
// provider's InitFunc and checks the version it returns; then it finds the
// service by the DLL name in the ID and the provider's CompareStoreIDs, and
// calls Logon with the unwrapped ID and the service's profile section.
// Opening a store the session has open already returns another handle on
// the same store: the store is logged off when the last handle is closed
// (see Store.Close). Unless flags has LogonNoMail, the spooler then logs
// on to the store with the spool security data Logon returned.
//
// flags with bits no MAPI header or host defines are ErrUnknownFlags,
// before any provider is called. A Logon failure disables the service for
// the rest of the session (later opens fail at once with an error that
// says so and why), except for failures that say nothing about the
// service: ErrFailOneProvider, ErrUserCancel, ErrUnconfigured (MAPI
// configures the service and retries), a context that ended, and a
// logon that needed a dialog when the session has no Options.Prompt or a
// Prompt that panicked. A panic in the provider is recovered, reported as
// ErrCallFailed, and disables the service too (every service of the
// provider when it was in a call on the provider object, such as
// CompareStoreIDs).
func (s *Session) OpenMsgStore(ctx context.Context, id mapispi.EntryID, flags mapispi.LogonFlags) (*Store, error) {
	const op = "IMAPISession::OpenMsgStore"
	if err := s.check(op); err != nil {
		return nil, err
	}
	if err := flags.Check(); err != nil {
		return nil, &mapispi.Error{Code: mapispi.ErrUnknownFlags, Component: op, Message: flags.String(), Err: err}
	}
	dll, inner, err := entryid.UnwrapStore(id)
	if err != nil {
		return nil, &mapispi.Error{Code: mapispi.ErrInvalidEntryID, Component: op, Message: "not a wrapped store entry ID", Err: err}
	}
	return s.openStore(ctx, dll, inner, flags, 1)
}

// openStore finds the service of the store inner names and opens it,
// again when the service it found was a temporary one whose logon failed
// while this call waited for it. skip counts the host's frames above it.
func (s *Session) openStore(ctx context.Context, dll string, inner mapispi.EntryID, flags mapispi.LogonFlags, skip int) (*Store, error) {
	for {
		svc, p, err := s.findService(ctx, dll, inner)
		if err != nil {
			return nil, err
		}
		st, err := s.openService(ctx, svc, p, inner, flags, skip+1)
		if err != errRemoved {
			return st, err
		}
	}
}

// errRemoved tells openStore to look the service up again.
var errRemoved = errors.New("the temporary service was removed")

// openService returns a new handle on svc's store, opening the store the
// first time. skip counts the host's frames above it, for the handle's
// leak report.
func (s *Session) openService(ctx context.Context, svc *service, p *provider, inner mapispi.EntryID, flags mapispi.LogonFlags, skip int) (*Store, error) {
	const method = "IMAPISession::OpenMsgStore"
	for {
		s.mu.Lock()
		switch {
		case s.state != sessionOpen:
			s.mu.Unlock()
			return nil, mapispi.Errorf(mapispi.ErrInvalidObject, method, "the session has logged off")
		case svc.removed:
			s.mu.Unlock()
			return nil, errRemoved
		case svc.disabled != nil:
			why := svc.disabled
			s.mu.Unlock()
			return nil, &mapispi.Error{Code: scodeOf(why), Component: svc.name, Message: "the service is disabled for this session", Err: why}
		case svc.busy != nil:
			o := svc.busy
			s.mu.Unlock()
			if err := await(ctx, o, method); err != nil {
				return nil, err
			}
			continue
		case svc.logon != nil:
			l := svc.logon
			h := s.newHandle(l.storeRef, skip+1)
			s.mu.Unlock()
			return newStore(h, l), nil
		}
		o := s.startOp(ctx, "IMSProvider::Logon of service %q", svc.name)
		svc.busy = o
		s.mu.Unlock()
		return s.firstOpen(ctx, o, svc, p, inner, flags, skip+1)
	}
}

// firstOpen logs on to svc's store, as the op o, then lets the spooler
// log on.
func (s *Session) firstOpen(ctx context.Context, o *op, svc *service, p *provider, inner mapispi.EntryID, flags mapispi.LogonFlags, skip int) (*Store, error) {
	l := s.newLogon(svc, p, false)
	req := &mapispi.LogonRequest{ProfileName: s.profile, EntryID: slices.Clone(inner), Flags: flags}
	lctx, stop := s.begin(ctx, o)
	res, emit, err := s.callLogon(lctx, svc, p, l, req)
	stop()
	if err != nil {
		l.end(ctx)
		disable := blames(ctx, err)
		s.mu.Lock()
		if disable && svc.disabled == nil {
			svc.disabled = err
		}
		if svc.temporary {
			s.forget(svc)
		}
		svc.busy = nil
		s.finishOp(o)
		s.mu.Unlock()
		emit()
		if errors.Is(err, mapispi.ErrUnconfigured) {
			return nil, &mapispi.Error{Code: mapispi.ErrUnconfigured, Component: svc.name, Message: fmt.Sprintf("message service %q is not configured", svc.name), Err: err}
		}
		return nil, err
	}
	l.attach(res.Logon, res.Store)
	token, ferr := s.takeSpoolSecurity(res.SpoolSecurity)
	s.mu.Lock()
	svc.logon = l
	svc.busy = nil
	s.index(svc) // the provider may have written the store's ID in the section
	s.finishOp(o)
	var h *handle
	open := s.state == sessionOpen
	if open {
		h = s.newHandle(l.storeRef, skip+1)
	}
	s.mu.Unlock()
	emit() // after the store is there: a Trace that opens it gets it
	if ferr != nil {
		s.tracef(svc, "MAPIFreeBuffer", "spool security data", ferr)
	}
	if !open {
		return nil, mapispi.Errorf(mapispi.ErrInvalidObject, "IMAPISession::OpenMsgStore", "the session logged off while the store was being opened")
	}
	if flags&mapispi.LogonNoMail == 0 {
		s.spooler.logon(ctx, svc, inner, token)
	}
	return newStore(h, l), nil
}

// blames reports whether a failed logon says something is wrong with the
// service, so that MAPI disables it for the session. Failures the
// provider reports as not the service's (ErrFailOneProvider,
// ErrUserCancel), a service MAPI is to configure (ErrUnconfigured), and
// failures of the client's own making (its context ended, no way to show
// a dialog, a Prompt that panicked) do not.
func blames(ctx context.Context, err error) bool {
	switch {
	case ctx.Err() != nil,
		errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded), errors.Is(err, errLoggingOff),
		errors.Is(err, errClient),
		errors.Is(err, mapispi.ErrFailOneProvider), errors.Is(err, mapispi.ErrUserCancel), errors.Is(err, mapispi.ErrUnconfigured):
		return false
	}
	return true
}

// callLogon calls IMSProvider::Logon and checks what it returns; emit
// sends the trace record.
func (s *Session) callLogon(ctx context.Context, svc *service, p *provider, l *logon, req *mapispi.LogonRequest) (*mapispi.LogonResult, func(), error) {
	args := func() string { return fmt.Sprintf("EntryID=%X Flags=%v", []byte(req.EntryID), req.Flags) }
	return callLater(s, svc, "IMSProvider::Logon", args, func() (*mapispi.LogonResult, error) {
		res, err := p.obj.Logon(ctx, l.support, req)
		if err != nil {
			return nil, err
		}
		if res == nil || res.Store == nil || res.Logon == nil {
			s.freeQuiet(res)
			return nil, mapispi.Errorf(mapispi.ErrCallFailed, svc.name, "IMSProvider::Logon of a store the provider object had not opened returned no MSLogon or MsgStore")
		}
		return res, nil
	})
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

// StatusTable is IMAPISession::GetStatusTable: a view of the session's
// status table, as the "Status Tables" page describes it: a row for the
// MAPI subsystem and one for the MAPI spooler, and one for each logon
// whose provider called ModifyStatusRow, until its logoff. Every row has
// PR_ENTRYID (Session.OpenEntry of it opens the row's status object),
// PR_OBJECT_TYPE (MAPI_STATUS), PR_ROWID, PR_INSTANCE_KEY,
// PR_PROVIDER_DLL_NAME, PR_RESOURCE_TYPE, PR_RESOURCE_FLAGS and
// PR_STATUS_CODE, and the columns its provider gave. It restricts, sorts
// and notifies like any MAPI table; close it when done.
func (s *Session) StatusTable(ctx context.Context) (*Table, error) {
	const method = "IMAPISession::GetStatusTable"
	if err := s.check(method); err != nil {
		return nil, err
	}
	v, err := s.status.view()
	if err != nil {
		return nil, err
	}
	r := &ref{s: s, kind: "IMAPITable", obj: v}
	s.mu.Lock()
	if s.state != sessionOpen {
		s.mu.Unlock()
		_ = v.Close(ctx)
		return nil, mapispi.Errorf(mapispi.ErrInvalidObject, method, "the session has logged off")
	}
	s.sessionRefs[r] = struct{}{}
	h := s.newHandle(r, 1)
	s.mu.Unlock()
	return newTable(h, v), nil
}
