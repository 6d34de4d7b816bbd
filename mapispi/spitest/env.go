package spitest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/mapiemu/mapiemu/alloc"
	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/internal/hostkit"
	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
)

// caseDef is one row of the case table: a name, the rule in one sentence,
// and the check.
type caseDef struct {
	name  string
	rule  string
	check func(e *env)
}

// maxFindings bounds the violations one case reports.
const maxFindings = 12

// profileName is the profile name the kit's sessions and logons use.
const profileName = "spitest"

// env is what one case works with: its stores, the sessions it opened
// on them, the provider objects the InitFunc returned, and the findings.
// Everything it opens is closed by cleanup, in MAPI's order.
type env struct {
	ctx context.Context
	k   *kit
	c   *caseDef

	storeMu  sync.Mutex // held while NewStore and NewReadOnlyStore run
	stores   []*store
	readOnly *store // from NewReadOnlyStore, once made
	provName string

	mu       sync.Mutex
	findings []error
	dropped  int
	skipped  string   // why the case stopped early, when it did not apply
	atExit   []func() // what cleanup undoes first, newest first (objects to close, folders to delete)
	closed   []closer // what the case closed itself (release)
	sessions []*session
	logons   []kept               // logons the kit made itself, to log off
	objs     []mapispi.MSProvider // every provider object the InitFunc returned
	own      []mapispi.MSProvider // provider objects the kit made by calling the InitFunc itself
}

// kept is a logon the kit made through a session's provider object.
type kept struct {
	s  *session
	ml mapispi.MSLogon
}

// store is one store NewStore made, as the kit's profiles hold it.
type store struct {
	svc mapi.Service
	id  mapispi.EntryID // unwrapped
}

// session is a host session of the case, with its own allocator.
type session struct {
	*mapi.Session
	heap *alloc.Heap

	mu     sync.Mutex
	calls  []mapi.Call
	closed bool
}

// sessOpts varies a session.
type sessOpts struct {
	faults []mapi.Fault
	extra  []mapi.Service // services after the stores'
	prompt bool           // give the session a UI that cancels every prompt
}

func newEnv(ctx context.Context, k *kit, c *caseDef) *env {
	return &env{ctx: ctx, k: k, c: c}
}

// errorf records a violation of the case's rule.
func (e *env) errorf(format string, args ...any) {
	e.add(&Violation{Case: e.c.name, Rule: e.c.rule, Err: fmt.Errorf(format, args...)})
}

func (e *env) add(err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.findings) >= maxFindings {
		e.dropped++
		return
	}
	e.findings = append(e.findings, err)
}

// fatalf records a violation and ends the case.
func (e *env) fatalf(format string, args ...any) {
	e.errorf(format, args...)
	runtime.Goexit()
}

// setupf records an error making what the case needs (not the provider's
// fault) and ends the case.
func (e *env) setupf(format string, args ...any) {
	e.add(fmt.Errorf("spitest: %s: setup: %w", e.c.name, fmt.Errorf(format, args...)))
	runtime.Goexit()
}

// skipf ends the case as not applicable to the provider's stores, saying
// why; what it found before stays reported.
func (e *env) skipf(format string, args ...any) {
	e.mu.Lock()
	e.skipped = fmt.Sprintf(format, args...)
	e.mu.Unlock()
	runtime.Goexit()
}

// results returns the findings and the reason the case was skipped.
func (e *env) results() ([]error, string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := slices.Clone(e.findings)
	if e.dropped > 0 {
		out = append(out, &Violation{Case: e.c.name, Rule: e.c.rule, Err: fmt.Errorf("%d more findings not shown", e.dropped)})
	}
	return out, e.skipped
}

// runExits runs what onExit registered, newest first.
func (e *env) runExits() {
	e.mu.Lock()
	exits := e.atExit
	e.atExit = nil
	e.mu.Unlock()
	for i := len(exits) - 1; i >= 0; i-- {
		_ = protect(func() error { exits[i](); return nil })
	}
}

// onExit has cleanup call f before it logs anything off: what a case opens
// is closed, and what it makes deleted, newest first.
func (e *env) onExit(f func()) {
	e.mu.Lock()
	e.atExit = append(e.atExit, f)
	e.mu.Unlock()
}

// store returns the case's i-th store, making stores with NewStore up to
// it.
func (e *env) store(i int) *store {
	e.storeMu.Lock()
	defer e.storeMu.Unlock()
	for len(e.stores) <= i {
		svc, err := e.k.opts.NewStore(e.ctx)
		if err != nil {
			e.setupf("Options.NewStore: %w", err)
		}
		st, err := e.adopt(svc, len(e.stores))
		if err != nil {
			e.setupf("Options.NewStore returned a service the kit cannot use: %w", err)
		}
		e.stores = append(e.stores, st)
	}
	return e.stores[i]
}

// readOnlyStore returns the case's store from Options.NewReadOnlyStore,
// making it the first time, or nil when there is no such option.
func (e *env) readOnlyStore() *store {
	if e.k.opts.NewReadOnlyStore == nil {
		return nil
	}
	e.store(0) // the provider's name comes from the first store
	e.storeMu.Lock()
	defer e.storeMu.Unlock()
	if e.readOnly != nil {
		return e.readOnly
	}
	svc, err := e.k.opts.NewReadOnlyStore(e.ctx)
	if err != nil {
		e.setupf("Options.NewReadOnlyStore: %w", err)
	}
	st, err := e.adopt(svc, len(e.stores))
	if err != nil {
		e.setupf("Options.NewReadOnlyStore returned a service the kit cannot use: %w", err)
	}
	st.svc.Name = "spitest read-only store"
	e.readOnly = st
	return st
}

// adopt checks a service from NewStore and fixes its name and provider.
func (e *env) adopt(svc mapi.Service, n int) (*store, error) {
	name := e.k.opts.Provider
	switch {
	case name == "" && e.provName != "":
		name = e.provName
	case name == "":
		name = svc.Provider
	}
	switch {
	case name == "":
		return nil, errors.New("the service names no provider and Options.Provider is empty")
	case svc.Provider == "":
		svc.Provider = name
	case !strings.EqualFold(svc.Provider, name):
		return nil, fmt.Errorf("the service's provider %q is not %q", svc.Provider, name)
	}
	e.provName = name
	svc.Props = slices.Clone(svc.Props)
	var id mapispi.EntryID
	for _, v := range svc.Props {
		if v.Tag == mapispi.PropEntryID {
			b, _ := v.Value.([]byte)
			id = mapispi.EntryID(b).Clone()
		}
	}
	if len(id) == 0 {
		return nil, errors.New("its Props hold no PR_ENTRYID")
	}
	if _, inner, err := entryid.UnwrapStore(id); err == nil {
		id = inner
	}
	if svc.Name == "" || slices.ContainsFunc(e.stores, func(s *store) bool { return s.svc.Name == svc.Name }) {
		svc.Name = fmt.Sprintf("spitest store %d", n+1)
	}
	return &store{svc: svc, id: id}, nil
}

// providerName is the name the provider is registered under.
func (e *env) providerName() string {
	e.store(0)
	e.storeMu.Lock()
	defer e.storeMu.Unlock()
	return e.provName
}

// ids returns the store's ID, a copy of it and its aliases.
func (e *env) ids(st *store) []mapispi.EntryID {
	out := []mapispi.EntryID{st.id.Clone(), st.id.Clone()}
	if e.k.opts.Aliases != nil {
		for _, a := range e.k.opts.Aliases(st.id.Clone()) {
			out = append(out, a.Clone())
		}
	}
	return out
}

// initFunc is the provider's InitFunc, recording the objects it returns.
func (e *env) initFunc() mapispi.InitFunc {
	return func(ctx context.Context, p *mapispi.InitParams) (mapispi.MSProvider, mapispi.Version, error) {
		obj, v, err := e.k.init(ctx, p)
		if obj != nil {
			e.mu.Lock()
			e.objs = append(e.objs, obj)
			e.mu.Unlock()
		}
		return obj, v, err
	}
}

// callInit calls the InitFunc directly, as MAPI would with a, and keeps
// the object to shut down at cleanup.
func (e *env) callInit(a mapispi.Allocator, v mapispi.Version) (mapispi.MSProvider, mapispi.Version, error) {
	obj, ver, err := e.initFunc()(e.ctx, &mapispi.InitParams{Allocator: a, Malloc: &alloc.Malloc{}, MAPIVersion: v})
	if obj != nil {
		e.mu.Lock()
		e.own = append(e.own, obj)
		e.mu.Unlock()
	}
	return obj, ver, err
}

// session logs on a new host session whose profile holds the case's
// first n stores.
func (e *env) session(n int, o sessOpts) *session {
	var p mapi.Profile
	p.Name = profileName
	for i := range n {
		p.Services = append(p.Services, e.store(i).svc)
	}
	p.Services = append(p.Services, o.extra...)
	var reg mapi.Registry
	if err := reg.Register(e.providerName(), e.initFunc()); err != nil {
		e.setupf("registering the provider: %w", err)
	}
	s := &session{heap: &alloc.Heap{Trace: true}}
	mo := &mapi.Options{Allocator: s.heap, Trace: s.trace, Faults: o.faults}
	if o.prompt {
		mo.Prompt = s.prompt
	}
	sess, err := mapi.Logon(e.ctx, &reg, p, mo)
	if err != nil {
		e.setupf("mapi.Logon: %w", err)
	}
	s.Session = sess
	e.mu.Lock()
	e.sessions = append(e.sessions, s)
	e.mu.Unlock()
	return s
}

func (s *session) trace(c mapi.Call) {
	s.mu.Lock()
	s.calls = append(s.calls, c)
	s.mu.Unlock()
}

func (s *session) prompt(ctx context.Context, req *mapispi.PromptRequest) (*mapispi.PromptResponse, error) {
	return nil, mapispi.Errorf(mapispi.ErrUserCancel, "spitest", "the kit cancels every prompt")
}

// mark returns the number of calls traced so far.
func (s *session) mark() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.calls)
}

// traced returns the calls traced so far.
func (s *session) traced() []mapi.Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// provider returns the session's provider object for the i-th store's
// service; an InitFunc that fails is a violation.
func (e *env) provider(s *session, i int) mapispi.MSProvider {
	return e.providerOf(s, e.store(i).svc.Name)
}

// providerOf returns the session's provider object for the service svc.
func (e *env) providerOf(s *session, svc string) mapispi.MSProvider {
	p, err := hostkit.Provider(s.Session, e.ctx, svc)
	if err != nil {
		e.fatalf("precondition: MSProviderInit with MAPI's current SPI version failed: %w", err)
	}
	return p
}

// support returns a new support object of the host for a logon to the
// i-th store, recording the calls the provider makes.
func (e *env) support(s *session, svc string, spooler bool) *recSupport {
	sup, err := hostkit.Support(s.Session, e.ctx, svc, spooler)
	if err != nil {
		e.setupf("the host's support object: %w", err)
	}
	return &recSupport{Support: sup}
}

// logon is one IMSProvider::Logon the kit made itself.
type logon struct {
	ml    mapispi.MSLogon
	st    mapispi.MsgStore
	token []byte // a copy of the spool security data, nil for none
	sup   *recSupport
}

// rawLogon calls p.Logon and keeps the MSLogon it returns to log off at
// cleanup. It leaves the spool security data to the caller.
func (e *env) rawLogon(s *session, p mapispi.MSProvider, sup *recSupport, id mapispi.EntryID, flags mapispi.LogonFlags) (*mapispi.LogonResult, error) {
	req := &mapispi.LogonRequest{ProfileName: profileName, EntryID: id, Flags: flags}
	res, err := p.Logon(e.ctx, sup, req)
	if res != nil && res.Logon != nil {
		e.keep(s, res.Logon)
	}
	if err != nil {
		return nil, err
	}
	if res == nil || res.Store == nil {
		e.fatalf("Logon(%v, %v) returned no MsgStore and a nil error", id, flags)
	}
	return res, nil
}

func (e *env) keep(s *session, ml mapispi.MSLogon) {
	e.mu.Lock()
	e.logons = append(e.logons, kept{s, ml})
	e.mu.Unlock()
}

// logon logs on to the i-th store through s's provider object with a new
// support object, and takes the spool security data as MAPI does: it
// keeps a copy and frees the buffer (when it is one of s's allocator).
func (e *env) logon(s *session, i int, flags mapispi.LogonFlags) (*logon, error) {
	p := e.provider(s, i)
	sup := e.support(s, e.store(i).svc.Name, false)
	res, err := e.rawLogon(s, p, sup, e.store(i).id.Clone(), flags)
	if err != nil {
		return nil, err
	}
	return &logon{ml: res.Logon, st: res.Store, token: s.take(res.SpoolSecurity), sup: sup}, nil
}

// mustLogon is a first logon for a case whose rule is about something
// else: a failure ends the case as a failed precondition.
func (e *env) mustLogon(s *session, i int, flags mapispi.LogonFlags) *logon {
	l, err := e.logon(s, i, flags)
	if err != nil {
		e.fatalf("precondition: Logon(%v) of store %q failed: %w", flags, e.store(i).svc.Name, err)
	}
	if l.ml == nil {
		e.fatalf("precondition: a first Logon(%v) of store %q returned no MSLogon", flags, e.store(i).svc.Name)
	}
	return l
}

// take copies spool security data and frees the buffer, as MAPI does.
func (s *session) take(buf []byte) []byte {
	if buf == nil {
		return nil
	}
	token := slices.Clone(buf)
	if s.heap.Owns(buf) {
		_ = s.heap.FreeBuffer(buf)
	}
	return token
}

// spoolerLogon calls p.SpoolerLogon for the i-th store with token.
func (e *env) spoolerLogon(s *session, p mapispi.MSProvider, i int, id mapispi.EntryID, token []byte) (*logon, error) {
	sup := e.support(s, e.store(i).svc.Name, true)
	req := &mapispi.SpoolerLogonRequest{
		LogonRequest:  mapispi.LogonRequest{ProfileName: profileName, EntryID: id, Flags: mapispi.LogonNoDialog},
		SpoolSecurity: token,
	}
	res, err := p.SpoolerLogon(e.ctx, sup, req)
	if res != nil && res.Logon != nil {
		e.keep(s, res.Logon)
	}
	if err != nil {
		return nil, err
	}
	if res == nil || res.Store == nil || res.Logon == nil {
		e.fatalf("SpoolerLogon returned no MSLogon or MsgStore and a nil error")
	}
	return &logon{ml: res.Logon, st: res.Store, token: s.take(res.SpoolSecurity), sup: sup}, nil
}

// cleanup closes what the case opened, in MAPI's order: the objects it
// opened through its logons and the folders it made (onExit), each
// session (see close), then the provider objects the kit made itself.
// Failures are the business of the cases that check them.
func (e *env) cleanup() {
	ctx := context.WithoutCancel(e.ctx)
	e.runExits()
	e.mu.Lock()
	sessions, own := slices.Clone(e.sessions), slices.Clone(e.own)
	e.mu.Unlock()
	for _, s := range sessions {
		e.close(s)
	}
	for _, p := range own {
		_ = protect(func() error { return p.Shutdown(ctx) })
	}
}

// close ends a session as MAPI ends one: the logons the kit made through
// its provider objects are logged off (newest first), then the session
// logs off its own stores and shuts its provider objects down. It returns
// the session's Logoff error; closing a session twice does nothing.
func (e *env) close(s *session) error {
	ctx := context.WithoutCancel(e.ctx)
	e.mu.Lock()
	var mine []kept
	e.logons = slices.DeleteFunc(e.logons, func(k kept) bool {
		if k.s == s {
			mine = append(mine, k)
			return true
		}
		return false
	})
	e.mu.Unlock()
	for i := len(mine) - 1; i >= 0; i-- {
		_ = protect(func() error { return mine[i].ml.Logoff(ctx) })
	}
	s.mu.Lock()
	done := s.closed
	s.closed = true
	s.mu.Unlock()
	if done {
		return nil
	}
	return protect(func() error { return s.Logoff(ctx) })
}

// protect calls f and turns a panic into an error.
func protect(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &panicError{value: r}
		}
	}()
	return f()
}

// panicError is a panic a provider call raised.
type panicError struct{ value any }

func (p *panicError) Error() string { return fmt.Sprintf("panic: %v", p.value) }

// sameObject reports whether a and b are the same object, and whether it
// could tell: values of types that == cannot compare are not known.
func sameObject(a, b any) (same, known bool) {
	if a == nil || b == nil {
		return a == nil && b == nil, true
	}
	ta, tb := reflect.TypeOf(a), reflect.TypeOf(b)
	if ta != tb {
		return false, true
	}
	if !ta.Comparable() {
		return false, false
	}
	defer func() {
		if recover() != nil {
			same, known = false, false
		}
	}()
	return a == b, true
}

// isCode reports whether err carries code.
func isCode(err error, code mapispi.SCode) bool { return errors.Is(err, code) }
