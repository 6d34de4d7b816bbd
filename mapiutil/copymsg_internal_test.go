package mapiutil

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"github.com/mapiemu/mapiemu/mapispi"
)

// streamObj is an object whose one large property reads as data through
// OpenProperty; it has no other method.
type streamObj struct {
	mapispi.Properties
	data []byte
}

func (o streamObj) OpenProperty(context.Context, mapispi.PropTag, mapispi.UID, mapispi.OpenFlags) (any, error) {
	return &readStreamStub{r: bytes.NewReader(o.data)}, nil
}

// readStreamStub is a mapispi.Stream that can only be read and closed.
type readStreamStub struct {
	mapispi.Stream
	r *bytes.Reader
}

func (s *readStreamStub) Read(p []byte) (int, error)  { return s.r.Read(p) }
func (s *readStreamStub) Close(context.Context) error { return nil }

// TestReadStreamUnicode pins how readStream turns the bytes of a
// PT_UNICODE stream into text: the terminator and any NUL padding go, a
// final odd byte is ignored, and an unpaired surrogate reads as U+FFFD.
func TestReadStreamUnicode(t *testing.T) {
	tag := mapispi.NewPropTag(mapispi.PtUnicode, 0x1000)
	tests := []struct {
		in   []byte
		want string
	}{
		{nil, ""},
		{[]byte{0, 0}, ""},
		{[]byte{'H', 0, 'i', 0, 0, 0}, "Hi"},
		{[]byte{'H', 0, 'i', 0, 0, 0, 0, 0}, "Hi"},
		{[]byte{'a', 0, 0, 0, 'b', 0}, "a\x00b"},
		{[]byte{'a', 0, 'b'}, "a"},
		{[]byte{'a', 0, 0, 0, 7}, "a"},
		{[]byte{0x3D, 0xD8, 0x00, 0xDE, 0, 0}, "\U0001F600"},
		{[]byte{0x3D, 0xD8, 'x', 0}, "\uFFFDx"},
		{[]byte{0x00, 0xDE, 0x3D, 0xD8, 0, 0}, "\uFFFD\uFFFD"},
	}
	for _, tc := range tests {
		v, err := readStream(context.Background(), streamObj{data: tc.in}, tag, "IMessage", nil)
		if err != nil {
			t.Errorf("readStream(% X) = %v, want %q", tc.in, err, tc.want)
			continue
		}
		if got, _ := v.Value.(string); got != tc.want || v.Tag != tag {
			t.Errorf("readStream(% X) = %v %#v, want %v %q", tc.in, v.Tag, v.Value, tag, tc.want)
		}
	}
}

// TestNamedIDs: the named property IDs of a message's values, its
// recipients', its attachments' and its embedded messages', each once,
// in the order first met; other IDs are not named properties.
func TestNamedIDs(t *testing.T) {
	named := func(id uint16) mapispi.PropValue {
		return mapispi.PropValue{Tag: mapispi.NewPropTag(mapispi.PtLong, id), Value: int32(1)}
	}
	c := &MessageContent{
		Props:      []mapispi.PropValue{named(0x8001), {Tag: mapispi.PropSubject, Value: "s"}},
		Recipients: []mapispi.Row{{named(0x8002), named(0x8001)}},
		Attachments: []AttachmentContent{{
			Props:   []mapispi.PropValue{named(0x8003)},
			Message: &MessageContent{Props: []mapispi.PropValue{named(0x8004), named(0x8002)}},
		}},
	}
	got := c.NamedIDs()
	want := []uint16{0x8001, 0x8002, 0x8003, 0x8004}
	if !slices.Equal(got, want) {
		t.Errorf("NamedIDs() = %X, want %X", got, want)
	}
}
