package spitest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/mapiemu/mapiemu/mapispi"
)

func checkStreams(e *env) {
	l, w := e.writableWorkFolder()
	m, id := e.message(w.f, 0, mapispi.KeepOpenReadWrite,
		mapispi.PropValue{Tag: mapispi.PropBody, Value: "hello"},
		mapispi.PropValue{Tag: mapispi.PropHTML, Value: []byte{1, 2, 3}})
	po, ok := m.(mapispi.PropertyOpener)
	if !ok {
		e.skipf("the store's messages (%T) do not implement mapispi.PropertyOpener: they have no streams", m)
	}
	open := func(what string, tag mapispi.PropTag, flags mapispi.OpenFlags) mapispi.Stream {
		obj, err := po.OpenProperty(e.ctx, tag, mapispi.IIDStream, flags)
		return e.asStream(fmt.Sprintf("OpenProperty(%v, IID_IStream, %v) %s", tag, flags, what), obj, err)
	}
	html := func(what string, o mapispi.Properties) []byte {
		b, _ := e.bin(what, o, mapispi.PropHTML)
		return b
	}

	// A tag without a type, and an absent property without MAPI_CREATE,
	// are errors ("IMAPIProp::OpenProperty").
	if obj, err := po.OpenProperty(e.ctx, mapispi.PropHTML.WithType(mapispi.PtUnspecified), mapispi.IIDStream, 0); !isCode(err, mapispi.ErrInvalidParameter) {
		e.errorf("OpenProperty(PR_HTML as PT_UNSPECIFIED, IID_IStream, 0) = %s, want ErrInvalidParameter", describeAny(obj, err))
	}
	absent := mapispi.NewPropTag(mapispi.PtBinary, 0x6802)
	if obj, err := po.OpenProperty(e.ctx, absent, mapispi.IIDStream, 0); !isCode(err, mapispi.ErrNotFound) {
		e.errorf("OpenProperty(%v, a property the message lacks, IID_IStream, 0) = %s, want ErrNotFound", absent, describeAny(obj, err))
	}

	// Read-only: the value's bytes, io.EOF at the end, and writes refused
	// with ErrNoAccess (mapispi.Stream).
	ro := open("of an existing property", mapispi.PropHTML, 0)
	if got := e.readAll("the PR_HTML stream", ro, 1<<10); !bytes.Equal(got, []byte{1, 2, 3}) {
		e.errorf("the PR_HTML stream reads %v, want [1 2 3]", got)
	}
	if n, err := ro.Read(make([]byte, 8)); n != 0 || !errors.Is(err, io.EOF) {
		e.errorf("Read at the end of a stream = %d, %v; want 0, io.EOF", n, err)
	}
	if st, err := ro.Stat(); err != nil || st.Size != 3 {
		e.errorf("Stat of a 3-byte stream = %+v, %v; want size 3", st, err)
	}
	if _, err := ro.Seek(0, io.SeekStart); err != nil {
		e.errorf("Seek(0, io.SeekStart): %v", err)
	}
	if n, err := ro.Write([]byte{7}); !isCode(err, mapispi.ErrNoAccess) {
		e.errorf("Write on a stream opened without MAPI_MODIFY = %d, %v; want ErrNoAccess", n, err)
	}
	if err := e.release(ro); err != nil {
		e.errorf("Close of a read-only stream: %v", err)
	}
	if got := html("the message", m); !bytes.Equal(got, []byte{1, 2, 3}) {
		e.errorf("after a refused Write and Close, PR_HTML = %v, want [1 2 3]", got)
	}

	// MAPI_CREATE empties an existing property; writes reach the object at
	// Commit and the store at SaveChanges.
	wr := open("of an existing property", mapispi.PropHTML, mapispi.OpenCreate|mapispi.OpenModify)
	if st, err := wr.Stat(); err != nil || st.Size != 0 {
		e.errorf("Stat of a stream opened with MAPI_CREATE on a 3-byte property = %+v, %v; want size 0: MAPI_CREATE empties it", st, err)
	}
	if n, err := wr.Read(make([]byte, 8)); n != 0 || !errors.Is(err, io.EOF) {
		e.errorf("Read of a stream opened with MAPI_CREATE on a 3-byte property = %d, %v; want 0, io.EOF", n, err)
	}
	if n, err := wr.Write([]byte{9, 8, 7, 6}); n != 4 || err != nil {
		e.fatalf("Write of 4 bytes = %d, %v", n, err)
	}
	if err := wr.Commit(e.ctx); err != nil {
		e.fatalf("IStream::Commit: %v", err)
	}
	if got := html("the message", m); !bytes.Equal(got, []byte{9, 8, 7, 6}) {
		e.errorf("after IStream::Commit the message's PR_HTML = %v, want [9 8 7 6]", got)
	}
	fresh := e.openMessage(l.st, "the message", id, 0)
	if got := html("another instance", fresh); !bytes.Equal(got, []byte{1, 2, 3}) {
		e.errorf("before the message's SaveChanges another instance's PR_HTML = %v, want [1 2 3]", got)
	}
	if err := e.release(wr); err != nil {
		e.errorf("Close of a committed stream: %v", err)
	}
	e.save("the message", m, mapispi.KeepOpenReadWrite)
	fresh = e.openMessage(l.st, "the message", id, 0)
	if got := html("a new instance", fresh); !bytes.Equal(got, []byte{9, 8, 7, 6}) {
		e.errorf("after the message's SaveChanges PR_HTML = %v, want [9 8 7 6]", got)
	}

	// A PT_UNICODE property streams as UTF-16LE; Close commits; reading
	// past the end is io.EOF.
	body := open("of PR_BODY", mapispi.PropBody, mapispi.OpenModify)
	got := bytes.TrimSuffix(e.readAll("the PR_BODY stream", body, 1<<10), []byte{0, 0})
	if !bytes.Equal(got, utf16LE("hello")) {
		e.errorf("the PR_BODY stream of %q reads % X, want its UTF-16LE bytes % X", "hello", got, utf16LE("hello"))
	}
	if _, err := body.Seek(int64(len(got)), io.SeekStart); err != nil {
		e.fatalf("Seek(%d, io.SeekStart): %v", len(got), err)
	}
	if _, err := body.Write(utf16LE(" world")); err != nil {
		e.fatalf("Write on a stream opened with MAPI_MODIFY: %v", err)
	}
	if _, err := body.Seek(100, io.SeekEnd); err != nil {
		e.errorf("Seek(100, io.SeekEnd): %v", err)
	} else if n, err := body.Read(make([]byte, 8)); n != 0 || !errors.Is(err, io.EOF) {
		e.errorf("Read past the end of a stream = %d, %v; want 0, io.EOF", n, err)
	}
	if err := e.release(body); err != nil {
		e.errorf("Close of a written stream: %v", err)
	}
	if b, _ := e.str("the message", m, mapispi.PropBody); strings.TrimRight(b, "\x00") != "hello world" {
		e.errorf("after writing \" world\" to the PR_BODY stream and closing it, PR_BODY = %q, want \"hello world\"", b)
	}
}
