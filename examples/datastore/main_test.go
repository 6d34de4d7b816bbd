package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
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
