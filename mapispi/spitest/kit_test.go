package spitest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapispi/spitest"
	"github.com/mapiemu/mapiemu/msprovider"
)

func TestOptionsRequired(t *testing.T) {
	backend := msprovider.NewBackend(msprovider.WithPasswordIterations(1))
	for _, tc := range []struct {
		name string
		init mapispi.InitFunc
		opts *spitest.Options
	}{
		{"nil InitFunc", nil, storeOptions(backend)},
		{"nil Options", backend.Init, nil},
		{"no NewStore", backend.Init, &spitest.Options{}},
	} {
		err := spitest.TestProvider(context.Background(), tc.init, tc.opts)
		if !errors.Is(err, mapispi.ErrInvalidParameter) {
			t.Errorf("TestProvider with %s = %v, want ErrInvalidParameter", tc.name, err)
		}
	}
}

// TestSetupErrorsAreNotViolations: a store the kit cannot make is the
// caller's problem, reported by the cases that need stores, never as a
// violation.
func TestSetupErrorsAreNotViolations(t *testing.T) {
	backend := msprovider.NewBackend(msprovider.WithPasswordIterations(1))
	errNoStore := errors.New("no store today")
	for _, tc := range []struct {
		name     string
		newStore func(context.Context) (mapi.Service, error)
		want     error
	}{
		{"NewStore fails", func(context.Context) (mapi.Service, error) { return mapi.Service{}, errNoStore }, errNoStore},
		{"no PR_ENTRYID", func(context.Context) (mapi.Service, error) {
			return mapi.Service{Name: "x", Provider: msprovider.DLLName}, nil
		}, nil},
		{"no provider name", func(context.Context) (mapi.Service, error) {
			id, err := backend.CreateStore("x", nil)
			return mapi.Service{Name: "x", Props: []mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte(id)}}}, err
		}, nil},
	} {
		err := spitest.TestProvider(context.Background(), backend.Init, &spitest.Options{NewStore: tc.newStore})
		cases, other := failedCases(err)
		if len(cases) > 0 {
			t.Errorf("TestProvider with %s reported violations of %v", tc.name, cases)
		}
		if len(other) == 0 {
			t.Errorf("TestProvider with %s gave no setup error", tc.name)
		}
		if tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("TestProvider with %s = %v, want it to wrap %v", tc.name, err, tc.want)
		}
	}
}

// TestProviderNameOption: Options.Provider names a provider whose
// services do not, and must agree with those that do.
func TestProviderNameOption(t *testing.T) {
	backend := msprovider.NewBackend(msprovider.WithPasswordIterations(1))
	opts := storeOptions(backend)
	newStore := opts.NewStore
	opts.Provider = "MSPROVIDER.DLL"
	opts.NewStore = func(ctx context.Context) (mapi.Service, error) {
		svc, err := newStore(ctx)
		svc.Provider, svc.Name = "", "" // the kit fills both in
		return svc, err
	}
	if err := spitest.TestProvider(context.Background(), backend.Init, opts); err != nil {
		t.Errorf("TestProvider with Options.Provider and unnamed services: %v", err)
	}
	opts = storeOptions(backend)
	opts.Provider = "other.dll"
	cases, other := failedCases(spitest.TestProvider(context.Background(), backend.Init, opts))
	if len(cases) > 0 || len(other) == 0 {
		t.Errorf("TestProvider with a service of another provider: violations of %v and %d setup errors, want none and some", cases, len(other))
	}
}

func TestViolation(t *testing.T) {
	cause := mapispi.Errorf(mapispi.ErrUnknownFlags, "p", "bad flags")
	v := &spitest.Violation{Case: "LogonUnknownFlags", Rule: "the rule", Err: cause}
	if got, want := v.Error(), "spitest: LogonUnknownFlags: "+cause.Error()+" (rule: the rule)"; got != want {
		t.Errorf("Violation.Error() = %q, want %q", got, want)
	}
	joined := errors.Join(errors.New("other"), v)
	var got *spitest.Violation
	if !errors.As(joined, &got) || got != v {
		t.Errorf("errors.As(join, *Violation) = %v, want the violation", got)
	}
	if !errors.Is(joined, mapispi.ErrUnknownFlags) {
		t.Errorf("errors.Is(join, ErrUnknownFlags) = false, want true through Violation.Unwrap")
	}
}

// TestPanicIsViolation: a panic anywhere in a provider call fails the
// case it happened in, and the others still run.
func TestPanicIsViolation(t *testing.T) {
	b := &breakage{
		name: "panics on a temporary logon",
		logon: func(w *wprov, ctx context.Context, sup mapispi.Support, req *mapispi.LogonRequest) (*mapispi.LogonResult, error) {
			if req.Flags&mapispi.LogonTemporary != 0 {
				panic("temporary")
			}
			return w.logon(ctx, sup, req)
		},
	}
	_, init, opts := newWorld(b)
	err := spitest.TestProvider(context.Background(), init, opts)
	cases, other := failedCases(err)
	if len(other) > 0 || len(cases) != 1 || cases[0] != "LogonTemporary" {
		t.Errorf("TestProvider(provider that %s) failed %v (other errors %v), want [LogonTemporary]", b.name, cases, other)
	}
	if !strings.Contains(fmt.Sprint(err), "panicked: temporary") {
		t.Errorf("TestProvider(provider that %s) = %v, want the panic's value", b.name, err)
	}
}

// TestTimeout: a call that blocks fails its case at Options.Timeout, and
// the other cases still run.
func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	b := &breakage{
		name: "blocks comparing a nil ID",
		compare: func(w *wprov, a, b mapispi.EntryID, next func(a, b mapispi.EntryID) (bool, error)) (bool, error) {
			if a == nil {
				<-release
			}
			return next(a, b)
		},
	}
	_, init, opts := newWorld(b)
	// Long enough for every other case to finish under -race on a busy
	// two-core machine, which 200 ms was not for Concurrency.
	opts.Timeout = 2 * time.Second
	start := time.Now()
	err := spitest.TestProvider(context.Background(), init, opts)
	cases, other := failedCases(err)
	if len(other) > 0 || len(cases) != 1 || cases[0] != "CompareStoreIDsMalformed" {
		t.Errorf("TestProvider(provider that %s) failed %v (other errors %v), want [CompareStoreIDsMalformed]: %v", b.name, cases, other, err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("TestProvider with a blocking provider took %v", d)
	}
}

// TestCasesDocumented: the package doc lists every case, and every rule
// is one sentence.
func TestCasesDocumented(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range spitest.Cases() {
		if !strings.Contains(string(doc), "//\t"+c.Name+" ") {
			t.Errorf("doc.go does not list case %s", c.Name)
		}
		if c.Rule == "" || strings.Contains(c.Rule, ". ") || strings.HasSuffix(c.Rule, ".") {
			t.Errorf("case %s: rule %q is not one sentence without a final period", c.Name, c.Rule)
		}
	}
}

func TestContextCanceled(t *testing.T) {
	backend := msprovider.NewBackend(msprovider.WithPasswordIterations(1))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := spitest.TestProvider(ctx, backend.Init, storeOptions(backend))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("TestProvider with a canceled context = %v, want context.Canceled", err)
	}
	if cases, _ := failedCases(err); len(cases) > 0 {
		t.Errorf("TestProvider with a canceled context reported violations of %v", cases)
	}
}

// TestRunReportsViolations runs Run against a broken provider in a child
// process (a failing subtest would fail this test) and checks that it
// fails exactly the broken rule's subtest.
func TestRunReportsViolations(t *testing.T) {
	if os.Getenv("SPITEST_CHILD") == "1" {
		for _, b := range breakages {
			if b.name == "calls ModifyProfile(0) under MDB_TEMPORARY" {
				_, init, opts := newWorld(b)
				spitest.Run(t, init, opts)
				return
			}
		}
		t.Fatal("no such breakage")
	}
	if testing.Short() {
		t.Skip("runs a child process")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestRunReportsViolations$", "-test.v")
	cmd.Env = append(os.Environ(), "SPITEST_CHILD=1")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("child process: %v, want a failing exit; output:\n%s", err, out)
	}
	var failed []string
	for _, line := range strings.Split(string(out), "\n") {
		if name, ok := strings.CutPrefix(strings.TrimSpace(line), "--- FAIL: TestRunReportsViolations/"); ok {
			failed = append(failed, strings.Fields(name)[0])
		}
	}
	if len(failed) != 1 || failed[0] != "LogonTemporary" {
		t.Errorf("Run failed subtests %v, want [LogonTemporary]; output:\n%s", failed, out)
	}
	if !strings.Contains(string(out), "ModifyProfile(0)") {
		t.Errorf("Run's report does not say what the provider did; output:\n%s", out)
	}
}
