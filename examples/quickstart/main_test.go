package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestQuickstart(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatalf("run() = %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"providers loaded: 0",
		"wrapped vs unwrapped       same store: true",
		"wrapped vs other abFlags   same store: true",
		"Mailbox vs Archive         same store: false",
		"Mailbox  SpoolerLogon ok: true",
		"provider objects so far: 2",
		"status row: Mailbox, Available",
		"a closed handle: IMsgStore::GetProps: the handle has been closed (MAPI_E_INVALID_OBJECT)",
		"PR_DISPLAY_NAME = Mailbox (renamed)",
		"provider objects: 4",
		"spooler: 1 sent, 1 delivered",
		"notification Mailbox: fnevObjectMoved",
		"notification Archive: fnevNewMail IPM.Note",
		`Archive's Inbox, read by the second session: "Hello from the Mailbox", received by Archive`,
		"session 2 logged off",
		"MAPI_E_INVALID_OBJECT",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("quickstart output lacks %q:\n%s", want, out.String())
		}
	}
}
