package msgfile

import (
	"context"
	"io"
	"sync"
	"unicode/utf16"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

// stream is IStream on one property of a message or attachment instance:
// the property's bytes (UTF-16LE for PT_UNICODE, the message's code page
// for PT_STRING8), which Commit and Close write back to the instance.
type stream struct {
	props *mapiutil.PropData
	tag   mapispi.PropTag
	cp    codepage.ID
	write bool

	mu     sync.Mutex
	buf    []byte
	pos    int64
	dirty  bool
	closed bool
}

var _ mapispi.Stream = (*stream)(nil)

// openStream opens a Stream on property tag of props, as OpenProperty
// does for mapispi.IIDStream.
func openStream(ctx context.Context, props *mapiutil.PropData, tag mapispi.PropTag, iface mapispi.UID, flags mapispi.OpenFlags, cp codepage.ID) (*stream, error) {
	const op = "OpenProperty"
	switch {
	case tag.Type() == mapispi.PtUnspecified:
		return nil, errf(mapispi.ErrInvalidParameter, op, "%v: a stream needs the property's type", tag)
	case iface != mapispi.IIDStream:
		return nil, errf(mapispi.ErrInterfaceNotSupported, op, "%v offers only IID_IStream", tag)
	case tag.Type() != mapispi.PtBinary && tag.Type() != mapispi.PtUnicode && tag.Type() != mapispi.PtString8:
		return nil, errf(mapispi.ErrInterfaceNotSupported, op, "%v: only binary and string properties open as streams", tag)
	}
	s := &stream{props: props, tag: tag, cp: cp, write: flags&mapispi.OpenModify != 0}
	if flags&mapispi.OpenCreate != 0 {
		if !s.write {
			return nil, errf(mapispi.ErrInvalidParameter, op, "MAPI_CREATE without MAPI_MODIFY")
		}
		s.dirty = true
		return s, nil
	}
	vals, err := props.GetProps(ctx, []mapispi.PropTag{tag.WithType(mapispi.PtUnspecified)})
	if err != nil {
		return nil, err
	}
	v := vals[0]
	if v.Tag.Type() == mapispi.PtError {
		return nil, errf(mapispi.ErrNotFound, op, "the object has no %v", tag)
	}
	b, err := streamBytes(v, cp)
	if err != nil {
		return nil, err
	}
	s.buf = b
	return s, nil
}

// streamBytes returns v's value as a stream holds it.
func streamBytes(v mapispi.PropValue, cp codepage.ID) ([]byte, error) {
	switch x := v.Value.(type) {
	case []byte:
		return append([]byte(nil), x...), nil
	case string:
		if v.Tag.Type() == mapispi.PtString8 {
			return cp.Encode(x)
		}
		u := utf16.Encode([]rune(x))
		b := make([]byte, 2*len(u))
		for i, c := range u {
			b[2*i], b[2*i+1] = byte(c), byte(c>>8)
		}
		return b, nil
	}
	return nil, errf(mapispi.ErrInterfaceNotSupported, "OpenProperty", "%v holds a %T, not bytes or a string", v.Tag, v.Value)
}

// value returns the stream's bytes as a value of its tag's type.
func (s *stream) value() (mapispi.PropValue, error) {
	switch s.tag.Type() {
	case mapispi.PtString8:
		str, err := s.cp.Decode(s.buf)
		if err != nil {
			return mapispi.PropValue{}, err
		}
		return mapispi.PropValue{Tag: s.tag, Value: str}, nil
	case mapispi.PtUnicode:
		u := make([]uint16, len(s.buf)/2)
		for i := range u {
			u[i] = uint16(s.buf[2*i]) | uint16(s.buf[2*i+1])<<8
		}
		for len(u) > 0 && u[len(u)-1] == 0 {
			u = u[:len(u)-1]
		}
		return mapispi.PropValue{Tag: s.tag, Value: string(utf16.Decode(u))}, nil
	}
	return mapispi.PropValue{Tag: s.tag, Value: append([]byte(nil), s.buf...)}, nil
}

func (s *stream) check(op string) error {
	if s.closed {
		return errf(mapispi.ErrInvalidObject, op, "the stream has been closed")
	}
	return nil
}

// Read is IStream::Read.
func (s *stream) Read(p []byte) (int, error) {
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

// Write is IStream::Write; a stream opened without OpenModify refuses
// it with ErrNoAccess.
func (s *stream) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check("IStream::Write"); err != nil {
		return 0, err
	}
	if !s.write {
		return 0, errf(mapispi.ErrNoAccess, "IStream::Write", "the stream is open read-only")
	}
	end := s.pos + int64(len(p))
	if end > int64(len(s.buf)) {
		s.buf = append(s.buf, make([]byte, end-int64(len(s.buf)))...)
	}
	copy(s.buf[s.pos:], p)
	s.pos = end
	s.dirty = true
	return len(p), nil
}

// Seek is IStream::Seek.
func (s *stream) Seek(off int64, whence int) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check("IStream::Seek"); err != nil {
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
		return 0, errf(mapispi.ErrInvalidParameter, "IStream::Seek", "whence %d", whence)
	}
	if base+off < 0 {
		return 0, errf(mapispi.ErrInvalidParameter, "IStream::Seek", "position %d is before the start", base+off)
	}
	s.pos = base + off
	return s.pos, nil
}

// Stat is IStream::Stat.
func (s *stream) Stat() (mapispi.StreamStat, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check("IStream::Stat"); err != nil {
		return mapispi.StreamStat{}, err
	}
	return mapispi.StreamStat{Size: int64(len(s.buf))}, nil
}

// SetSize is IStream::SetSize.
func (s *stream) SetSize(n int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check("IStream::SetSize"); err != nil {
		return err
	}
	if !s.write {
		return errf(mapispi.ErrNoAccess, "IStream::SetSize", "the stream is open read-only")
	}
	if n < 0 {
		return errf(mapispi.ErrInvalidParameter, "IStream::SetSize", "size %d", n)
	}
	if n <= int64(len(s.buf)) {
		s.buf = s.buf[:n]
	} else {
		s.buf = append(s.buf, make([]byte, n-int64(len(s.buf)))...)
	}
	s.dirty = true
	return nil
}

// Commit is IStream::Commit: what was written becomes the property's
// value in the instance that opened the stream.
func (s *stream) Commit(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check("IStream::Commit"); err != nil {
		return err
	}
	return s.commit(ctx)
}

func (s *stream) commit(ctx context.Context) error {
	if !s.dirty {
		return nil
	}
	v, err := s.value()
	if err != nil {
		return err
	}
	if _, err := s.props.SetProps(ctx, []mapispi.PropValue{v}); err != nil {
		return err
	}
	s.dirty = false
	return nil
}

// Close is IUnknown::Release: it commits what was written.
func (s *stream) Close(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check("IStream::Release"); err != nil {
		return err
	}
	s.closed = true
	return s.commit(ctx)
}
