package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapispi/spitest"
	"github.com/mapiemu/mapiemu/msprovider"
)

func TestDatastore(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatalf("run() = %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"PR_DISPLAY_NAME=Notes",
		"STORE_READONLY",
		"PR_VALID_FOLDER_MASK=FOLDER_IPM_SUBTREE_VALID|FOLDER_IPM_INBOX_VALID",
		// The folder tree, each folder's notes under it.
		"   Top of Information Store\n" +
			"     Inbox\n" +
			"     - Welcome: These notes are a MAPI store.\n" +
			"     Notes\n" +
			"     - Groceries: Milk, eggs, bread.\n" +
			"       Ideas\n" +
			"       - Garden: Plant tomatoes in May.\n" +
			"       - Trip: Lisbon in the autumn.\n\n",
		"MAPI_MODIFY on a store opened read-only (MAPI_E_NO_ACCESS)",
		"logged off: no handle left open, no buffer left behind",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("datastore output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestConformance runs the conformance kit over the reference provider
// with stores of the data set: every store the kit makes is a new
// Backend.AddStore over a new notes, and, as notes is no Writer, each is
// read-only, so it is the kit's read-only store too.
func TestConformance(t *testing.T) {
	backend := msprovider.NewBackend()
	newStore := func(context.Context) (mapi.Service, error) { return addStore(backend) }
	spitest.Run(t, backend.Init, &spitest.Options{NewStore: newStore, NewReadOnlyStore: newStore})
}

// TestNotFound: the Storage says ErrNotFound for an ID that names no
// folder or message, as msprovider.Storage asks.
func TestNotFound(t *testing.T) {
	ctx, n := context.Background(), load()
	_, errFolder := n.Folder(ctx, 999)
	_, errSubfolders := n.Subfolders(ctx, 999)
	_, errMessages := n.Messages(ctx, 999)
	_, errMessage := n.Message(ctx, msprovider.RootID) // a folder's ID
	for name, err := range map[string]error{"Folder": errFolder, "Subfolders": errSubfolders, "Messages": errMessages, "Message": errMessage} {
		if !errors.Is(err, mapispi.ErrNotFound) {
			t.Errorf("%s of a missing object = %v, want ErrNotFound", name, err)
		}
	}
}
