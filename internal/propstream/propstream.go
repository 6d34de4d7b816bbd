// Package propstream is the IStream that IMAPIProp::OpenProperty gives on
// a PT_BINARY, PT_STRING8 or PT_UNICODE property (with IID_IStream): the
// value's bytes in memory, a seek pointer, and a commit that gives the
// bytes back to the object that opened the stream as the property's new
// value. It is the part the providers share; each supplies, as an Owner,
// what differs: whether the object is still usable, what growing the
// stream costs, and what a commit does with the bytes. Bytes and Value
// are the conversions between a value and a stream's bytes.
package propstream

import (
	"context"
	"io"
	"math"
	"slices"
	"sync"

	"github.com/mapiemu/mapiemu/internal/wire"
	"github.com/mapiemu/mapiemu/mapispi"
)

// Owner is the object a Stream belongs to: the message or attachment
// instance whose OpenProperty opened it. The Stream calls it with its own
// lock held, so an Owner must not call back into the Stream.
type Owner interface {
	// Check is called first by every method, with the name of the
	// IStream method ("IStream::Read"); an error (the object has been
	// released, say) is returned as it is and the call does nothing.
	// Close calls it too, and commits only when it returns nil.
	Check(op string) error
	// Grow is called before Write or SetSize (op) makes the stream n
	// bytes longer (n > 0); an error, such as a memory budget spent, is
	// returned and the stream stays as it was.
	Grow(op string, n int) error
	// Commit makes b the property's value in the object. b is the
	// stream's buffer, valid during the call only: Commit copies what it
	// keeps (Value does).
	Commit(ctx context.Context, b []byte) error
}

// Config is how a Stream was opened.
type Config struct {
	// Component names the provider in errors, as mapispi.Error does:
	// "msgfile".
	Component string
	// Write is MAPI_MODIFY: Write and SetSize are allowed. Without it
	// they are ErrNoAccess.
	Write bool
	// Create is MAPI_CREATE: the stream starts empty, and Commit and
	// Close make the property even if nothing is written.
	Create bool
}

// Stream is the Go form of IStream on one property (mapispi.Stream).
// What is written becomes the property's value in the Owner at Commit,
// and at Close (IUnknown::Release of the last reference). A Stream is
// safe for concurrent use; after Close every method is ErrInvalidObject.
type Stream struct {
	owner Owner
	comp  string
	write bool

	mu     sync.Mutex
	buf    []byte
	pos    int64
	dirty  bool
	closed bool
}

var _ mapispi.Stream = (*Stream)(nil)

// New returns a Stream on data, which it takes: the caller must not use
// data afterwards. With c.Create, data is ignored and the stream starts
// empty.
func New(owner Owner, data []byte, c Config) *Stream {
	s := &Stream{owner: owner, comp: c.Component, write: c.Write, buf: data}
	if c.Create {
		s.buf, s.dirty = nil, true
	}
	return s
}

// check returns ErrInvalidObject after Close, else the owner's Check (mu
// held).
func (s *Stream) check(op string) error {
	if s.closed {
		return mapispi.Errorf(mapispi.ErrInvalidObject, s.comp, "%s: the stream has been released", op)
	}
	return s.owner.Check(op)
}

// checkWrite is check for Write and SetSize.
func (s *Stream) checkWrite(op string) error {
	if err := s.check(op); err != nil {
		return err
	}
	if !s.write {
		return mapispi.Errorf(mapispi.ErrNoAccess, s.comp, "%s: the stream was opened read-only (without MAPI_MODIFY)", op)
	}
	return nil
}

// MaxSize is the most bytes a Stream holds: a property's value can be
// no longer, its count of bytes being a ULONG (SBinary's cb, and the
// cbSize of IStream::Stat that MAPI reads as one).
const MaxSize = math.MaxUint32

// resize makes the buffer n bytes, new bytes zero, after the owner's
// Grow agrees to what it adds (mu held). Over MaxSize, or over what an
// int holds (on a 32-bit system), is ErrTooBig.
func (s *Stream) resize(op string, n int64) error {
	grow := n - int64(len(s.buf))
	if grow <= 0 {
		s.buf = s.buf[:n]
		return nil
	}
	if n > MaxSize {
		return mapispi.Errorf(mapispi.ErrTooBig, s.comp, "%s: %d bytes, more than the %d a property can hold", op, n, int64(MaxSize))
	}
	if n > math.MaxInt {
		return mapispi.Errorf(mapispi.ErrTooBig, s.comp, "%s: %d bytes, more than this system's memory can address", op, n)
	}
	if err := s.owner.Grow(op, int(grow)); err != nil {
		return err
	}
	s.buf = append(s.buf, make([]byte, grow)...)
	return nil
}

// Read is IStream::Read: io.EOF at the end (and past it).
func (s *Stream) Read(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check("IStream::Read"); err != nil {
		return 0, err
	}
	if s.pos >= int64(len(s.buf)) {
		return 0, io.EOF
	}
	n := copy(p, s.buf[s.pos:])
	s.pos += int64(n)
	return n, nil
}

// Write is IStream::Write at the seek pointer, which a write past the
// end reaches by filling the gap with zeros. A stream opened without
// MAPI_MODIFY refuses it with ErrNoAccess.
func (s *Stream) Write(p []byte) (int, error) {
	const op = "IStream::Write"
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkWrite(op); err != nil {
		return 0, err
	}
	end := s.pos + int64(len(p))
	if end < s.pos {
		end = math.MaxInt64 // past MaxSize all the same
	}
	if end > int64(len(s.buf)) {
		if err := s.resize(op, end); err != nil {
			return 0, err
		}
	}
	copy(s.buf[s.pos:], p)
	s.pos = end
	s.dirty = true
	return len(p), nil
}

// Seek is IStream::Seek. A position before the start, or a whence that
// is not io.SeekStart, io.SeekCurrent or io.SeekEnd, is
// ErrInvalidParameter; a position past the end is allowed.
func (s *Stream) Seek(off int64, whence int) (int64, error) {
	const op = "IStream::Seek"
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(op); err != nil {
		return 0, err
	}
	var base int64
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		base = s.pos
	case io.SeekEnd:
		base = int64(len(s.buf))
	default:
		return 0, mapispi.Errorf(mapispi.ErrInvalidParameter, s.comp, "%s: whence %d, want 0, 1 or 2 (STREAM_SEEK_SET, _CUR, _END)", op, whence)
	}
	if off < -base {
		return 0, mapispi.Errorf(mapispi.ErrInvalidParameter, s.comp, "%s: offset %d from %d is before the start", op, off, base)
	}
	if base > 0 && off > 1<<63-1-base {
		return 0, mapispi.Errorf(mapispi.ErrInvalidParameter, s.comp, "%s: offset %d from %d is past the largest position", op, off, base)
	}
	s.pos = base + off
	return s.pos, nil
}

// Stat is IStream::Stat: the stream's size.
func (s *Stream) Stat() (mapispi.StreamStat, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check("IStream::Stat"); err != nil {
		return mapispi.StreamStat{}, err
	}
	return mapispi.StreamStat{Size: int64(len(s.buf))}, nil
}

// SetSize is IStream::SetSize: the stream cut to n bytes, or extended
// with zeros; the seek pointer stays. A negative n is
// ErrInvalidParameter; a stream opened without MAPI_MODIFY refuses it
// with ErrNoAccess.
func (s *Stream) SetSize(n int64) error {
	const op = "IStream::SetSize"
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkWrite(op); err != nil {
		return err
	}
	if n < 0 {
		return mapispi.Errorf(mapispi.ErrInvalidParameter, s.comp, "%s: size %d is negative", op, n)
	}
	if err := s.resize(op, n); err != nil {
		return err
	}
	s.dirty = true
	return nil
}

// Commit is IStream::Commit: what was written becomes the property's
// value in the owner (Owner.Commit). A stream with nothing written since
// it was opened or last committed commits nothing.
func (s *Stream) Commit(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check("IStream::Commit"); err != nil {
		return err
	}
	return s.commit(ctx)
}

func (s *Stream) commit(ctx context.Context) error {
	if !s.dirty {
		return nil
	}
	if err := s.owner.Commit(ctx, s.buf); err != nil {
		return err
	}
	s.dirty = false
	return nil
}

// Close is IUnknown::Release of the stream's last reference: it commits
// what was written, when the owner's Check allows, and returns the
// commit's error; the stream is released either way, and every later
// call, a second Close too, is ErrInvalidObject.
func (s *Stream) Close(ctx context.Context) error {
	const op = "IStream::Release"
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return mapispi.Errorf(mapispi.ErrInvalidObject, s.comp, "%s: the stream has been released already", op)
	}
	var err error
	if s.owner.Check(op) == nil {
		err = s.commit(ctx)
	}
	s.closed, s.buf = true, nil
	return err
}

// Bytes returns the bytes a stream on v holds, in a new slice, without a
// terminator: a PT_BINARY value's bytes; a string as v's tag types it,
// UTF-16LE for PT_UNICODE and as string8 encodes it for PT_STRING8 (the
// object's code page). An error of string8 is returned as ErrBadValue
// that names the property and wraps it; a value of another Go type is
// ErrInterfaceNotSupported. comp names the provider in errors.
func Bytes(comp string, v mapispi.PropValue, string8 func(string) ([]byte, error)) ([]byte, error) {
	switch x := v.Value.(type) {
	case []byte:
		return slices.Clone(x), nil
	case string:
		if v.Tag.Type() != mapispi.PtString8 {
			return wire.EncodeUTF16(x), nil
		}
		b, err := string8(x)
		if err != nil {
			return nil, &mapispi.Error{Code: mapispi.ErrBadValue, Component: comp, Message: "OpenProperty: " + v.Tag.String() + ": the text has no 8-bit form in the object's code page", Err: err}
		}
		return b, nil
	}
	return nil, mapispi.Errorf(mapispi.ErrInterfaceNotSupported, comp, "OpenProperty: %v holds a %T, not bytes or text, which open as a stream", v.Tag, v.Value)
}

// Value returns the value of tag that stream bytes b hold, sharing no
// memory with b: for PT_UNICODE the UTF-16LE text up to its trailing
// NULs (a terminator written with the text), for PT_STRING8 what
// string8 decodes (the object's code page), for any other type the bytes.
// An error of string8 is returned as ErrBadValue, from IStream::Commit,
// that names the property and wraps it. comp names the provider in
// errors.
func Value(comp string, tag mapispi.PropTag, b []byte, string8 func([]byte) (string, error)) (mapispi.PropValue, error) {
	switch tag.Type() {
	case mapispi.PtUnicode:
		return mapispi.PropValue{Tag: tag, Value: wire.DecodeUTF16(wire.UTF16TrimNUL(b))}, nil
	case mapispi.PtString8:
		s, err := string8(b)
		if err != nil {
			return mapispi.PropValue{}, &mapispi.Error{Code: mapispi.ErrBadValue, Component: comp, Message: "IStream::Commit: " + tag.String() + ": the bytes written are not 8-bit text in the object's code page", Err: err}
		}
		return mapispi.PropValue{Tag: tag, Value: s}, nil
	}
	return mapispi.PropValue{Tag: tag, Value: slices.Clone(b)}, nil
}
