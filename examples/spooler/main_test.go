package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestSpooler(t *testing.T) {
	var out, progress bytes.Buffer
	if err := run(context.Background(), 50, &out, &progress); err != nil {
		t.Fatalf("run(50) = %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"submitted 50 messages",
		"flushed: 50 sent, 50 delivered, 0 deferred, 0 failed",
		"messages per second",
		"leak check: no handle left open, no buffer left behind",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("spooler output lacks %q:\n%s", want, out.String())
		}
	}
	if !strings.Contains(progress.String(), "delivered 50/50") {
		t.Errorf("progress = %q, want a last line delivered 50/50", progress.String())
	}
}

func TestSpoolerRefusesNoMessages(t *testing.T) {
	if err := run(context.Background(), 0, new(bytes.Buffer), new(bytes.Buffer)); err == nil {
		t.Error("run(0) = nil, want an error")
	}
}
