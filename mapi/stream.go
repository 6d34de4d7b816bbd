package mapi

import (
	"context"

	"github.com/mapiemu/mapiemu/mapispi"
)

// Stream is the Go form of IStream as a client holds it: a handle on a
// property's bytes that OpenProperty (or OpenStream) gave. It is an
// io.ReadWriteSeeker and an io.Closer. Writes reach the object when the
// stream is committed or closed, and the store when the object is saved.
// Its methods go through the host as Store's do (a closed handle is
// ErrInvalidObject); close it when done.
type Stream struct {
	h *handle
	s mapispi.Stream
}

// Read reads from the stream's position; io.EOF at its end.
func (s *Stream) Read(p []byte) (int, error) {
	return guard(s.h, "IStream::Read", nil, func() (int, error) { return s.s.Read(p) })
}

// Write writes at the stream's position; ErrNoAccess on a stream opened
// read-only.
func (s *Stream) Write(p []byte) (int, error) {
	return guard(s.h, "IStream::Write", nil, func() (int, error) { return s.s.Write(p) })
}

// Seek is IStream::Seek, as io.Seeker defines it.
func (s *Stream) Seek(offset int64, whence int) (int64, error) {
	return guard(s.h, "IStream::Seek", nil, func() (int64, error) { return s.s.Seek(offset, whence) })
}

// Stat is IStream::Stat: the stream's size.
func (s *Stream) Stat() (mapispi.StreamStat, error) {
	return guard(s.h, "IStream::Stat", nil, s.s.Stat)
}

// SetSize is IStream::SetSize.
func (s *Stream) SetSize(n int64) error {
	_, err := guard(s.h, "IStream::SetSize", nil, func() (struct{}, error) { return struct{}{}, s.s.SetSize(n) })
	return err
}

// Commit is IStream::Commit: what was written becomes the property's
// value in the object that opened the stream.
func (s *Stream) Commit(ctx context.Context) error {
	_, err := guard(s.h, "IStream::Commit", nil, func() (struct{}, error) { return struct{}{}, s.s.Commit(ctx) })
	return err
}

// Close releases the stream (IUnknown::Release), committing what was
// written. A second Close is ErrInvalidObject.
func (s *Stream) Close() error { return s.h.close(context.Background(), "IStream::Release") }
