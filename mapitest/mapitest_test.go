package mapitest_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapitest"
)

func Example() {
	ctx := context.Background()
	env, err := mapitest.New(ctx, nil, "alice")
	if err != nil {
		panic(err)
	}
	inbox, err := env.Folder(ctx, "alice", mapitest.Inbox)
	if err != nil {
		panic(err)
	}
	msg, _ := inbox.CreateMessage(ctx, 0)
	_, _ = msg.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropSubject, Value: "hello"}})
	_ = msg.SaveChanges(ctx, 0)
	_ = msg.Close(ctx)
	vals, _ := inbox.GetProps(ctx, []mapispi.PropTag{mapispi.PropDisplayName, mapispi.PropContentCount})
	fmt.Println(vals[0].Value, vals[1].Value)
	_ = inbox.Close(ctx)
	fmt.Println("leaks:", env.Close(ctx))
	// Output:
	// Inbox 1
	// leaks: <nil>
}

func TestSpecialFolders(t *testing.T) {
	ctx := context.Background()
	env, err := mapitest.New(ctx, &mapi.Options{ManualFlush: true}, "alice", "bob")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		which mapitest.SpecialFolder
		name  string
	}{
		{mapitest.IPMSubtree, "Top of Information Store"}, {mapitest.Inbox, "Inbox"}, {mapitest.Outbox, "Outbox"},
		{mapitest.SentItems, "Sent Items"}, {mapitest.DeletedItems, "Deleted Items"},
	} {
		f, err := env.Folder(ctx, "bob", c.which)
		if err != nil {
			t.Fatalf("Folder(bob, %d) = %v", c.which, err)
		}
		vals, err := f.GetProps(ctx, []mapispi.PropTag{mapispi.PropDisplayName})
		if err != nil || vals[0].Value != c.name {
			t.Errorf("Folder(bob, %d) PR_DISPLAY_NAME = %v, %v; want %q", c.which, vals[0].Value, err, c.name)
		}
		if err := f.Close(ctx); err != nil {
			t.Fatal(err)
		}
	}
	root, err := env.Folder(ctx, "alice", mapitest.Root)
	if err != nil {
		t.Fatal(err)
	}
	vals, _ := root.GetProps(ctx, []mapispi.PropTag{mapispi.PropFolderType})
	if vals[0].Value != int32(mapispi.FolderRoot) {
		t.Errorf("Folder(alice, Root) PR_FOLDER_TYPE = %v, want FOLDER_ROOT", vals[0].Value)
	}
	_ = root.Close(ctx)
	if _, err := env.Folder(ctx, "carol", mapitest.Inbox); !errors.Is(err, mapispi.ErrNotFound) {
		t.Errorf("Folder(carol) = %v, want ErrNotFound", err)
	}
	if env.Store("alice") == nil || env.Store("carol") != nil {
		t.Errorf("Store(alice), Store(carol) = %v, %v; want a store and nil", env.Store("alice"), env.Store("carol"))
	}
	if err := env.Close(ctx); err != nil {
		t.Fatalf("Close() = %v", err)
	}
}

func TestCloseReportsALeftHandle(t *testing.T) {
	ctx := context.Background()
	env, err := mapitest.New(ctx, nil, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Folder(ctx, "alice", mapitest.Inbox); err != nil {
		t.Fatal(err)
	}
	var leak *mapi.LeakError
	if err := env.Close(ctx); !errors.As(err, &leak) {
		t.Errorf("Close() with a folder left open = %v, want a *mapi.LeakError", err)
	}
}

func TestNewRefusesTwoStoresOfOneName(t *testing.T) {
	if env, err := mapitest.New(context.Background(), nil, "alice", "alice"); err == nil {
		_ = env.Close(context.Background())
		t.Error("New(alice, alice) = nil error, want one")
	}
}
