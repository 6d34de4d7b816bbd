package pst

import (
	"errors"
	"io"
	"testing"
)

func TestFormatErrorSaysWhereItIsKnown(t *testing.T) {
	tests := []struct {
		err  *FormatError
		want string
	}{
		{&FormatError{Offset: -1, Reason: "bad header"}, "pst: bad header"},
		{&FormatError{Offset: 0x200, Reason: "bad page"}, "pst: bad page (offset 0x200)"},
		{&FormatError{Offset: -1, NID: 0x21, Reason: "bad node"}, "pst: bad node (node " + NID(0x21).String() + ")"},
		{&FormatError{Offset: 0x10, NID: 0x21, BID: 0x44, Reason: "bad block"},
			"pst: bad block (offset 0x10, node " + NID(0x21).String() + ", block " + BID(0x44).String() + ")"},
		{&FormatError{Offset: -1, BID: 0x44, Reason: "short", Err: io.ErrUnexpectedEOF},
			"pst: short (block " + BID(0x44).String() + "): unexpected EOF"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("FormatError.Error() = %q, want %q", got, tt.want)
		}
	}
	if err := (&FormatError{Offset: -1, Err: io.ErrUnexpectedEOF}); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("errors.Is(%v, io.ErrUnexpectedEOF) = false, want true", err)
	}
}
