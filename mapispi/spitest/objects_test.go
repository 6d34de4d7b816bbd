package spitest_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapispi/spitest"
	"github.com/mapiemu/mapiemu/msprovider"
)

// objectCases are the cases of folders, messages and what they hold.
var objectCases = []string{
	"FolderTree", "FolderCopyMove", "FolderCounts", "MessageTransactions", "MessageProperties",
	"Recipients", "Attachments", "Streams", "NamedProps", "ContentsTables", "HierarchyTables",
	"ReadOnlyRefusesChanges", "Notifications",
	"QueueSpoolerOnly", "SubmitNoRecipients", "SubmitMessage", "OutgoingQueue", "OutgoingQueueNotifications",
	"QueueLock", "AbortSubmit", "FinishedMsg", "NotifyNewMail", "ReceiveFolders",
}

// sendCases are the cases that need STORE_SUBMIT_OK.
var sendCases = []string{
	"QueueSpoolerOnly", "SubmitNoRecipients", "SubmitMessage", "OutgoingQueue", "OutgoingQueueNotifications",
	"QueueLock", "AbortSubmit", "FinishedMsg", "NotifyNewMail",
}

// each maps every name to word.
func each(names []string, word string) map[string]string {
	out := make(map[string]string, len(names))
	for _, n := range names {
		out[n] = word
	}
	return out
}

// skips runs TestProvider with the world of b and returns the violations
// of objectCases and the skipped cases with their reasons.
func skips(t *testing.T, b *breakage, change func(*spitest.Options)) (failed []string, skipped map[string]string, err error) {
	t.Helper()
	_, init, opts := newWorld(b)
	if change != nil {
		change(opts)
	}
	var mu sync.Mutex
	skipped = map[string]string{}
	opts.Skipped = func(c spitest.Case, reason string) {
		mu.Lock()
		skipped[c.Name] = reason
		mu.Unlock()
	}
	err = spitest.TestProvider(context.Background(), init, opts)
	cases, other := failedCases(err)
	for _, e := range other {
		t.Errorf("not a violation: %v", e)
	}
	for _, c := range cases {
		if slices.Contains(objectCases, c) {
			failed = append(failed, c)
		}
	}
	return failed, skipped, err
}

// TestSkipsWithoutCapability: a case whose capability the store's
// PR_STORE_SUPPORT_MASK lacks, or whose optional interface its objects
// lack, is skipped with a reason, and is no violation.
func TestSkipsWithoutCapability(t *testing.T) {
	for _, tc := range []struct {
		name string
		b    *breakage
		want map[string]string // case: a word of the reason
	}{
		{"no STORE_ATTACH_OK", &breakage{name: "keeps no attachments",
			mask: func(m mapispi.StoreSupportMask) mapispi.StoreSupportMask { return m &^ mapispi.StoreAttachOK }},
			map[string]string{"Attachments": "STORE_ATTACH_OK"}},
		{"no STORE_NOTIFY_OK", &breakage{name: "sends no notifications",
			mask: func(m mapispi.StoreSupportMask) mapispi.StoreSupportMask { return m &^ mapispi.StoreNotifyOK }},
			map[string]string{"Notifications": "STORE_NOTIFY_OK", "NotifyNewMail": "STORE_NOTIFY_OK"}},
		{"no STORE_SUBMIT_OK", &breakage{name: "sends no mail",
			mask: func(m mapispi.StoreSupportMask) mapispi.StoreSupportMask { return m &^ mapispi.StoreSubmitOK }},
			each(sendCases, "STORE_SUBMIT_OK")},
		{"no mapispi.SpoolerStore", &breakage{name: "has no spooler methods", noSpoolerStore: true},
			each(sendCases, "mapispi.SpoolerStore")},
		{"no mapispi.Submitter", &breakage{name: "cannot submit messages", noSubmitter: true},
			each(slices.DeleteFunc(slices.Clone(sendCases), func(c string) bool { return c == "NotifyNewMail" }), "mapispi.Submitter")},
		{"no mapispi.ReceiveFolders", &breakage{name: "has no receive folders", noReceiveFolders: true},
			map[string]string{"ReceiveFolders": "mapispi.ReceiveFolders"}},
		{"no named properties", &breakage{name: "has no named properties", noNamedProps: true},
			map[string]string{"NamedProps": "mapispi.NamedProps"}},
		{"STORE_READONLY", &breakage{name: "says it is read-only",
			mask: func(m mapispi.StoreSupportMask) mapispi.StoreSupportMask { return m | mapispi.StoreReadOnly }},
			nil}, // every write case; see TestReadOnlyStorePassesReadCases
	} {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			failed, skipped, err := skips(t, tc.b, nil)
			if len(failed) > 0 {
				t.Errorf("TestProvider(provider that %s) failed %v; violations:\n%v", tc.b.name, failed, err)
			}
			for c, word := range tc.want {
				if !strings.Contains(skipped[c], word) {
					t.Errorf("TestProvider(provider that %s): case %s skipped with reason %q, want one naming %s", tc.b.name, c, skipped[c], word)
				}
			}
			for c := range skipped {
				if _, ok := tc.want[c]; !ok && tc.want != nil {
					t.Errorf("TestProvider(provider that %s) skipped %s too: %s", tc.b.name, c, skipped[c])
				}
			}
		})
	}
}

// TestReadOnlyStorePassesReadCases: with stores that cannot be written,
// the cases check what they can read, find nothing wrong with the
// reference, and skip the rest saying why.
func TestReadOnlyStorePassesReadCases(t *testing.T) {
	failed, skipped, err := skips(t, &breakage{name: "has read-only stores"}, func(o *spitest.Options) {
		o.NewStore = o.NewReadOnlyStore
	})
	if len(failed) > 0 {
		t.Errorf("TestProvider with read-only stores failed %v; violations:\n%v", failed, err)
	}
	for _, c := range objectCases {
		reason, ok := skipped[c]
		switch {
		case c == "ReadOnlyRefusesChanges":
			if ok {
				t.Errorf("TestProvider with read-only stores skipped %s: %s", c, reason)
			}
		case !ok:
			t.Errorf("TestProvider with read-only stores did not skip %s, which writes", c)
		case !strings.Contains(reason, "cannot be written"):
			t.Errorf("TestProvider with read-only stores skipped %s with reason %q, want one saying the store cannot be written", c, reason)
		}
	}
}

// TestRunSkips: Run reports a skipped case with t.Skip, and the
// reference, which has every capability the cases ask for, skips none.
func TestRunSkips(t *testing.T) {
	backend := msprovider.NewBackend(msprovider.WithPasswordIterations(1))
	var skipped []string
	opts := storeOptions(backend)
	opts.Skipped = func(c spitest.Case, reason string) { skipped = append(skipped, c.Name+": "+reason) }
	t.Run("reference", func(t *testing.T) { spitest.Run(t, backend.Init, opts) })
	if len(skipped) > 0 {
		t.Errorf("Run against the reference skipped %v, want none", skipped)
	}
	opts.NewStore = opts.NewReadOnlyStore
	skipped = nil
	t.Run("read-only", func(t *testing.T) { spitest.Run(t, backend.Init, opts) })
	if len(skipped) == 0 {
		t.Errorf("Run against read-only stores skipped nothing, want the write cases")
	}
}

// TestBadObjectsAreViolations: a provider that returns nil objects, or
// objects of the wrong type, fails the cases that open them with a clear
// message, and the kit does not panic.
func TestBadObjectsAreViolations(t *testing.T) {
	for _, tc := range []struct {
		name string
		obj  mapispi.Object
		want string
	}{
		{"nil objects", nil, "returned a nil object and no error"},
		{"objects of the wrong type", &wattach{}, "which is not a mapispi.Folder"},
	} {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			b := &breakage{name: "opens " + tc.name,
				openEntry: func(ctx context.Context, id mapispi.EntryID, flags mapispi.OpenFlags, next func(mapispi.OpenFlags) (mapispi.Object, error)) (mapispi.Object, error) {
					return tc.obj, nil
				}}
			failed, _, err := skips(t, b, nil)
			if len(failed) == 0 {
				t.Fatalf("TestProvider(provider that %s) found nothing wrong", b.name)
			}
			for _, e := range unjoin(err) {
				var v *spitest.Violation
				if errors.As(e, &v) && slices.Contains(objectCases, v.Case) && strings.Contains(v.Error(), "panic") {
					t.Errorf("the kit panicked: %v", e)
				}
			}
			if !strings.Contains(fmt.Sprint(err), tc.want) {
				t.Errorf("TestProvider(provider that %s) = %v, want a violation saying %q", b.name, err, tc.want)
			}
		})
	}
}

// TestObjectCasesListed: objectCases is the kit's list.
func TestObjectCasesListed(t *testing.T) {
	var names []string
	for _, c := range spitest.Cases() {
		names = append(names, c.Name)
	}
	for _, c := range objectCases {
		if !slices.Contains(names, c) {
			t.Errorf("objectCases lists %s, which the kit does not have", c)
		}
	}
}
