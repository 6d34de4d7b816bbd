package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestMailbox(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatalf("run() = %v\n%s", err, out.String())
	}
	for _, want := range []string{
		`0x8000 = PS_PUBLIC_STRINGS "Keywords" tag 0x8000101F (PT_MV_UNICODE)`,
		`0x8001 = PSETID_Common 0x8503         tag 0x8001000B (PT_BOOLEAN)`,
		// After delivery.
		"Inbox           PR_CONTENT_COUNT 5, PR_CONTENT_UNREAD 3",
		"Inbox/Projects  PR_CONTENT_COUNT 1, PR_CONTENT_UNREAD 1",
		// The hierarchy table with CONVENIENT_DEPTH.
		"PR_DEPTH 0  Inbox              count 5, unread 3",
		"PR_DEPTH 1    Projects         count 1, unread 1",
		"PR_DEPTH 0  Archive            count 0, unread 0",
		// The restricted, sorted contents table: the unread messages
		// only, newest first, and no other row.
		"   11:00  CI Robot    Build failed           attachments: false\n" +
			"   10:05  Carol King  Fwd: Project kickoff   attachments: true\n" +
			"   09:10  Bob Stone   Lunch on Friday?       attachments: false\n\n",
		// The message read back.
		"PR_DISPLAY_TO  Pat Doe",
		"PR_DISPLAY_CC  Ann Lee",
		"Keywords       [project]",
		"ReminderSet    true",
		"recipient      MAPI_TO  Pat Doe <pat@example.com>",
		"recipient      MAPI_CC  Ann Lee <ann@example.com>",
		`embedded       "Project kickoff" from Dan Moss to Carol King: Kickoff is Monday at ten.`,
		"attachment 0: report.csv",
		`data: "quarter,revenue\nQ1,1200\n"`,
		// After the move, then after the delete.
		"Inbox           PR_CONTENT_COUNT 3, PR_CONTENT_UNREAD 2",
		"Archive         PR_CONTENT_COUNT 2, PR_CONTENT_UNREAD 1",
		"Inbox           PR_CONTENT_COUNT 1, PR_CONTENT_UNREAD 1",
		"logged off: no handle left open, no buffer left behind",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("mailbox output lacks %q:\n%s", want, out.String())
		}
	}
}
