package msprovider

import (
	"context"
	"encoding/binary"
	"io"
	"slices"
	"sync"
	"unicode/utf16"

	"golang.org/x/text/encoding/charmap"

	"github.com/mapiemu/mapiemu/mapispi"
)

var _ mapispi.Stream = (*Stream)(nil)

// Stream is the Go form of the IStream this provider's OpenProperty
// gives on a PT_BINARY, PT_STRING8 or PT_UNICODE property: the value's
// bytes (UTF-16LE for PT_UNICODE, Windows-1252 for PT_STRING8, no
// terminator). What is written becomes the property's value in the
// object that opened the stream at Commit or Close, and in the store
// when that object (a message, or an attachment and its message) is
// saved. A Stream is safe for concurrent use.
type Stream struct {
	mu     sync.Mutex
	tag    mapispi.PropTag
	buf    []byte
	pos    int64
	write  bool
	dirty  bool
	closed bool
	owner  streamOwner
}

// streamOwner is the object a stream writes to.
type streamOwner interface {
	check(op string) error
	setStreamValue(ctx context.Context, v mapispi.PropValue) error
	chargeStream(n int) error
}

// valueBytes returns the stream bytes of a string or binary value.
func valueBytes(v mapispi.PropValue) []byte {
	switch x := v.Value.(type) {
	case []byte:
		return slices.Clone(x)
	case string:
		if v.Tag.Type() == mapispi.PtString8 {
			b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(x))
			if err == nil {
				return b
			}
			out := make([]byte, 0, len(x))
			for _, r := range x {
				if c, ok := charmap.Windows1252.EncodeRune(r); ok {
					out = append(out, c)
				} else {
					out = append(out, '?')
				}
			}
			return out
		}
		u := utf16.Encode([]rune(x))
		b := make([]byte, 2*len(u))
		for i, c := range u {
			binary.LittleEndian.PutUint16(b[2*i:], c)
		}
		return b
	}
	return nil
}

// bytesValue returns the value of tag that stream bytes b hold.
func bytesValue(tag mapispi.PropTag, b []byte) mapispi.PropValue {
	switch tag.Type() {
	case mapispi.PtString8:
		s, _ := charmap.Windows1252.NewDecoder().Bytes(b)
		return mapispi.PropValue{Tag: tag, Value: string(s)}
	case mapispi.PtUnicode:
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = binary.LittleEndian.Uint16(b[2*i:])
		}
		for len(u) > 0 && u[len(u)-1] == 0 {
			u = u[:len(u)-1] // a terminator written with the text
		}
		return mapispi.PropValue{Tag: tag, Value: string(utf16.Decode(u))}
	}
	return mapispi.PropValue{Tag: tag, Value: slices.Clone(b)}
}

func streamable(t mapispi.PropType) bool {
	return t == mapispi.PtBinary || t == mapispi.PtString8 || t == mapispi.PtUnicode
}

func (st *Stream) checkOpen(op string) error {
	if st.closed {
		return mapispi.Errorf(mapispi.ErrInvalidObject, "msprovider", "IStream::%s: the stream has been released", op)
	}
	return st.owner.check("IStream::" + op)
}

// Read is IStream::Read: io.EOF at the end.
func (st *Stream) Read(p []byte) (int, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if err := st.checkOpen("Read"); err != nil {
		return 0, err
	}
	if st.pos >= int64(len(st.buf)) {
		return 0, io.EOF
	}
	n := copy(p, st.buf[st.pos:])
	st.pos += int64(n)
	return n, nil
}

// Write is IStream::Write. A stream opened without OpenModify refuses it
// with ErrNoAccess.
func (st *Stream) Write(p []byte) (int, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if err := st.checkOpen("Write"); err != nil {
		return 0, err
	}
	if !st.write {
		return 0, mapispi.Errorf(mapispi.ErrNoAccess, "msprovider", "IStream::Write: the stream was opened read-only")
	}
	end := st.pos + int64(len(p))
	if grow := end - int64(len(st.buf)); grow > 0 {
		if err := st.owner.chargeStream(int(grow)); err != nil {
			return 0, err
		}
		st.buf = append(st.buf, make([]byte, grow)...)
	}
	copy(st.buf[st.pos:], p)
	st.pos = end
	st.dirty = true
	return len(p), nil
}

// Seek is IStream::Seek. A position before the start is
// ErrInvalidParameter; past the end, reads give io.EOF and a write fills
// the gap with zeros.
func (st *Stream) Seek(offset int64, whence int) (int64, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if err := st.checkOpen("Seek"); err != nil {
		return 0, err
	}
	var base int64
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		base = st.pos
	case io.SeekEnd:
		base = int64(len(st.buf))
	default:
		return 0, mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "IStream::Seek: whence %d", whence)
	}
	if base+offset < 0 {
		return 0, mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "IStream::Seek: position %d is before the start", base+offset)
	}
	st.pos = base + offset
	return st.pos, nil
}

// Stat is IStream::Stat.
func (st *Stream) Stat() (mapispi.StreamStat, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if err := st.checkOpen("Stat"); err != nil {
		return mapispi.StreamStat{}, err
	}
	return mapispi.StreamStat{Size: int64(len(st.buf))}, nil
}

// SetSize is IStream::SetSize.
func (st *Stream) SetSize(n int64) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if err := st.checkOpen("SetSize"); err != nil {
		return err
	}
	if !st.write {
		return mapispi.Errorf(mapispi.ErrNoAccess, "msprovider", "IStream::SetSize: the stream was opened read-only")
	}
	if n < 0 {
		return mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "IStream::SetSize: negative size %d", n)
	}
	if grow := n - int64(len(st.buf)); grow > 0 {
		if err := st.owner.chargeStream(int(grow)); err != nil {
			return err
		}
		st.buf = append(st.buf, make([]byte, grow)...)
	} else {
		st.buf = st.buf[:n]
	}
	st.dirty = true
	return nil
}

// Commit is IStream::Commit: what was written becomes the property's
// value in the object that opened the stream.
func (st *Stream) Commit(ctx context.Context) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if err := st.checkOpen("Commit"); err != nil {
		return err
	}
	return st.commit(ctx)
}

func (st *Stream) commit(ctx context.Context) error {
	if !st.dirty {
		return nil
	}
	if err := st.owner.setStreamValue(ctx, bytesValue(st.tag, st.buf)); err != nil {
		return err
	}
	st.dirty = false
	return nil
}

// Close is the release of the stream: it commits what was written (its
// error is returned), and every later call is ErrInvalidObject.
func (st *Stream) Close(ctx context.Context) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.closed {
		return mapispi.Errorf(mapispi.ErrInvalidObject, "msprovider", "IStream::Release: the stream has been released already")
	}
	var err error
	if st.owner.check("IStream::Release") == nil {
		err = st.commit(ctx)
	}
	st.closed = true
	st.buf = nil
	return err
}

// openStream is OpenProperty(tag, IIDStream) on an object whose working
// properties are props (computed says which the store computes).
func openStream(owner streamOwner, props []mapispi.PropValue, tag mapispi.PropTag, flags mapispi.OpenFlags, objWrite bool, computed map[uint16]bool) (*Stream, error) {
	if !streamable(tag.Type()) {
		return nil, mapispi.Errorf(mapispi.ErrInterfaceNotSupported, "msprovider", "OpenProperty: %v is not a string or binary property, which open as IStream", tag)
	}
	write := flags&(mapispi.OpenModify|mapispi.OpenCreate) != 0
	if flags&mapispi.OpenBestAccess != 0 {
		write = objWrite
	}
	if write && (!objWrite || computed[tag.ID()]) {
		return nil, mapispi.Errorf(mapispi.ErrNoAccess, "msprovider", "OpenProperty: %v cannot be written here", tag)
	}
	st := &Stream{tag: tag, write: write, owner: owner}
	if flags&mapispi.OpenCreate != 0 {
		st.dirty = true // the property exists, empty, once committed
		return st, nil
	}
	i := findID(props, tag)
	if i < 0 || props[i].Tag.Type() == mapispi.PtError {
		return nil, mapispi.Errorf(mapispi.ErrNotFound, "msprovider", "OpenProperty: the object has no %v (MAPI_CREATE makes it)", tag)
	}
	v := props[i]
	if v.Tag.Type() != tag.Type() && !(isText(v.Tag.Type()) && isText(tag.Type())) {
		return nil, mapispi.Errorf(mapispi.ErrNotFound, "msprovider", "OpenProperty: the object's %v is a %v", tag, v.Tag.Type())
	}
	st.buf = valueBytes(mapispi.PropValue{Tag: tag, Value: v.Value})
	return st, nil
}

// setStreamValue is a stream's commit into the message instance.
func (m *Message) setStreamValue(ctx context.Context, v mapispi.PropValue) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.props = setProp(slices.Clone(m.props), v)
	return nil
}

func (m *Message) chargeStream(n int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.charge("IStream::Write", n)
}

// OpenProperty is IMAPIProp::OpenProperty on the message instance: a
// Stream on a string or binary property (MAPI_CREATE, with MAPI_MODIFY,
// makes or empties it), or with IIDMAPITable its recipient
// (PR_MESSAGE_RECIPIENTS) or attachment (PR_MESSAGE_ATTACHMENTS) table.
func (m *Message) OpenProperty(ctx context.Context, tag mapispi.PropTag, iface mapispi.UID, flags mapispi.OpenFlags) (any, error) {
	if err := m.check("OpenProperty"); err != nil {
		return nil, err
	}
	if err := checkOpenProperty(tag, flags); err != nil {
		return nil, err
	}
	switch {
	case tag == mapispi.PropMessageRecipients && iface == mapispi.IIDMAPITable:
		return m.RecipientTable(ctx, 0)
	case tag == mapispi.PropMessageAttachments && iface == mapispi.IIDMAPITable:
		return m.AttachmentTable(ctx, 0)
	case iface != mapispi.IIDStream:
		return nil, mapispi.Errorf(mapispi.ErrInterfaceNotSupported, "msprovider", "OpenProperty: a message's %v does not open as %v", tag, iface)
	}
	m.mu.Lock()
	props := m.props
	write := m.write.Load()
	m.mu.Unlock()
	if flags&mapispi.OpenCreate != 0 && flags&mapispi.OpenModify == 0 {
		return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "OpenProperty: MAPI_CREATE without MAPI_MODIFY")
	}
	return openStream(m, props, tag, flags, write, computedMessage)
}

// checkOpenProperty refuses what fails every OpenProperty call.
func checkOpenProperty(tag mapispi.PropTag, flags mapispi.OpenFlags) error {
	if tag.Type() == mapispi.PtUnspecified {
		return mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "OpenProperty: %v has no type", tag)
	}
	return (flags &^ mapispi.OpenCreate).Check()
}

// setStreamValue is a stream's commit into the attachment instance.
func (a *Attachment) setStreamValue(ctx context.Context, v mapispi.PropValue) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.props = setProp(slices.Clone(a.props), v)
	return nil
}

func (a *Attachment) chargeStream(n int) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.mem == nil {
		return mapispi.Errorf(mapispi.ErrInvalidObject, "msprovider", "IStream::Write: the attachment has been released")
	}
	return a.s.charge("IStream::Write", a.mem, n)
}

// OpenProperty is IMAPIProp::OpenProperty on the attachment instance: a
// Stream on PR_ATTACH_DATA_BIN or another string or binary property, or
// with IIDMessage the embedded message of PR_ATTACH_DATA_OBJ (MAPI_CREATE
// makes an empty one); its SaveChanges makes it part of the attachment.
func (a *Attachment) OpenProperty(ctx context.Context, tag mapispi.PropTag, iface mapispi.UID, flags mapispi.OpenFlags) (any, error) {
	if err := a.check("OpenProperty"); err != nil {
		return nil, err
	}
	if err := checkOpenProperty(tag, flags); err != nil {
		return nil, err
	}
	if flags&mapispi.OpenCreate != 0 && flags&mapispi.OpenModify == 0 {
		return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "OpenProperty: MAPI_CREATE without MAPI_MODIFY")
	}
	if tag == mapispi.PropAttachDataObj {
		if iface != mapispi.IIDMessage {
			return nil, mapispi.Errorf(mapispi.ErrInterfaceNotSupported, "msprovider", "OpenProperty: PR_ATTACH_DATA_OBJ opens as IID_IMessage, not %v", iface)
		}
		return a.openEmbedded(ctx, flags)
	}
	if iface != mapispi.IIDStream {
		return nil, mapispi.Errorf(mapispi.ErrInterfaceNotSupported, "msprovider", "OpenProperty: an attachment's %v does not open as %v", tag, iface)
	}
	a.mu.Lock()
	props := a.props
	write := a.write.Load()
	a.mu.Unlock()
	return openStream(a, props, tag, flags, write, computedAttach)
}
