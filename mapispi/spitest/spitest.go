package spitest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
)

// Options tells the kit how to make stores of the provider under test.
type Options struct {
	// NewStore makes a new store and returns the message service that
	// names it, as a profile holds it: the service's Props must hold the
	// store's entry ID in PR_ENTRYID (unwrapped, as the provider's
	// backend issued it, or wrapped) and whatever else the provider needs
	// to log on without a dialog, such as a saved password. The kit calls
	// it at least once per case, so that each case gets fresh stores; a
	// case that needs two stores calls it twice. The kit renames services
	// whose names are empty or repeat. Required.
	NewStore func(ctx context.Context) (mapi.Service, error)

	// NewReadOnlyStore makes a store that cannot be written (a read-only
	// file, a store the user may only read), as NewStore makes a store.
	// The LogonReadOnly case logs on to it with MDB_WRITE and expects a
	// read-only store. The kit names the service itself. Nil means the
	// provider has no such stores: the case then checks only logons
	// without MDB_WRITE.
	NewReadOnlyStore func(ctx context.Context) (mapi.Service, error)

	// Aliases returns other unwrapped entry IDs of the store that id (an
	// unwrapped store entry ID from NewStore) names: IDs the provider
	// issues for the same store, such as short-term forms with other
	// abFlags. The kit expects CompareStoreIDs, and the CompareEntryIDs of
	// the store's logon, to say they name the same store. Nil, or a nil
	// result, means none: the kit then uses only copies of id, and the
	// comparison checks are weaker.
	Aliases func(id mapispi.EntryID) []mapispi.EntryID

	// Provider is the name the kit registers the InitFunc under, which
	// plays the provider DLL's role (mapi.Registry). Default: the Provider
	// field of the service NewStore returns.
	Provider string

	// Timeout bounds each case, so that a provider that deadlocks fails
	// the case instead of hanging the test. Default: one minute.
	Timeout time.Duration

	// Skipped, when set, is called for each case that does not apply to
	// the provider's stores, with the reason: a case whose capability the
	// store's PR_STORE_SUPPORT_MASK says it lacks (STORE_ATTACH_OK,
	// STORE_NOTIFY_OK, STORE_SUBMIT_OK, or write access: STORE_MODIFY_OK
	// and STORE_CREATE_OK set, STORE_READONLY clear), or whose objects do
	// not implement the optional interface it checks (mapispi.NamedProps,
	// mapispi.PropertyOpener, mapispi.Adviser, mapispi.SpoolerStore,
	// mapispi.Submitter, mapispi.ReceiveFolders). Such a case checks what
	// it can first (a read-only store still gets the read checks). Run
	// reports a skipped case with t.Skip as well.
	Skipped func(c Case, reason string)
}

// Violation is one rule a provider broke: TestProvider's error joins one
// per finding, and Run reports each with t.Error. Use errors.As to reach
// them through the join.
type Violation struct {
	// Case names the check, as Run names its subtest.
	Case string
	// Rule is the rule the check enforces, in one sentence.
	Rule string
	// Err says what the kit saw.
	Err error
}

// Error returns "spitest: case: what the kit saw (rule: ...)".
func (v *Violation) Error() string {
	return fmt.Sprintf("spitest: %s: %v (rule: %s)", v.Case, v.Err, v.Rule)
}

// Unwrap returns Err, so that errors.Is reaches the provider's error
// where the kit kept it.
func (v *Violation) Unwrap() error { return v.Err }

// Case is one check of the kit: its name, as Run names its subtest and
// Violation.Case gives it, and the rule it enforces.
type Case struct {
	Name string
	Rule string
}

// Cases returns the kit's cases, in the order Run and TestProvider run
// them.
func Cases() []Case {
	out := make([]Case, len(cases))
	for i, c := range cases {
		out[i] = Case{Name: c.name, Rule: c.rule}
	}
	return out
}

// Run runs every case against the provider init makes, each as a subtest
// named after the case, with a fresh session of the host (package mapi)
// and so a fresh provider object, a fresh leak-traced allocator and the
// host's support objects. Each violation, and each error making the
// stores a case needs, is reported with t.Error; a nil init or missing
// Options.NewStore with t.Fatal.
func Run(t *testing.T, init mapispi.InitFunc, opts *Options) {
	t.Helper()
	k, err := newKit(init, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			errs, skip := k.run(t.Context(), c)
			for _, err := range errs {
				t.Error(err)
			}
			if skip != "" {
				t.Skip(skip)
			}
		})
	}
}

// TestProvider runs the same cases as Run without a *testing.T, and
// returns the errors.Join of every violation (each a *Violation naming its
// case and rule) and of any error making the stores the cases need; nil
// when the provider passes. ctx bounds the whole run.
func TestProvider(ctx context.Context, init mapispi.InitFunc, opts *Options) error {
	k, err := newKit(init, opts)
	if err != nil {
		return err
	}
	var errs []error
	for _, c := range cases {
		if err := ctx.Err(); err != nil {
			errs = append(errs, fmt.Errorf("spitest: %s: not run: %w", c.name, err))
			continue
		}
		found, _ := k.run(ctx, c)
		errs = append(errs, found...)
	}
	return errors.Join(errs...)
}

// kit is one run of the cases against one provider.
type kit struct {
	init    mapispi.InitFunc
	opts    Options
	timeout time.Duration
}

func newKit(init mapispi.InitFunc, opts *Options) (*kit, error) {
	switch {
	case init == nil:
		return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "spitest", "nil InitFunc")
	case opts == nil || opts.NewStore == nil:
		return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "spitest", "Options.NewStore is required: the kit needs stores to log on to")
	}
	k := &kit{init: init, opts: *opts, timeout: opts.Timeout}
	if k.timeout <= 0 {
		k.timeout = time.Minute
	}
	return k, nil
}

// run runs one case and returns its violations and setup errors, and the
// reason it was skipped ("" when it ran to the end). The check runs on a
// goroutine of its own, so that a provider that blocks fails the case at
// the timeout; such a goroutine is abandoned.
func (k *kit) run(ctx context.Context, c *caseDef) ([]error, string) {
	ctx, cancel := context.WithTimeout(ctx, k.timeout)
	defer cancel()
	e := newEnv(ctx, k, c)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer e.cleanup()
		defer func() {
			if r := recover(); r != nil {
				e.errorf("a call panicked: %v", r)
			}
		}()
		c.check(e)
	}()
	select {
	case <-done:
	case <-time.After(k.timeout + k.timeout/4): // time to report a cancelled call
		e.errorf("the case did not finish within %v: a call blocks (deadlock?)", k.timeout)
	}
	errs, skip := e.results()
	if skip != "" && k.opts.Skipped != nil {
		k.opts.Skipped(Case{Name: c.name, Rule: c.rule}, skip)
	}
	return errs, skip
}
