package spitest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mapiemu/mapiemu/mapispi"
)

// This file holds what the cases of folders, messages, tables and their
// kin share: the store's capabilities, opening objects with a clear
// failure for a nil object or one of the wrong type, reading properties
// and tables, and the folder each case works in.

// closer is anything a case opens and cleanup releases: objects, tables,
// streams.
type closer interface {
	Close(ctx context.Context) error
}

// bg is the case's context without its deadline, for cleanup.
func (e *env) bg() context.Context { return context.WithoutCancel(e.ctx) }

// keepOpen has cleanup close c, unless the case closed it with release
// first.
func (e *env) keepOpen(c closer) {
	e.onExit(func() {
		if !e.released(c) {
			_ = protect(func() error { return c.Close(e.bg()) })
		}
	})
}

// release closes c now, so that cleanup does not close it again, and
// returns Close's error (a panic as an error).
func (e *env) release(c closer) error {
	e.mu.Lock()
	e.closed = append(e.closed, c)
	e.mu.Unlock()
	return protect(func() error { return c.Close(e.ctx) })
}

// released reports whether the case closed c with release.
func (e *env) released(c closer) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.ContainsFunc(e.closed, func(d closer) bool {
		same, _ := sameObject(c, d)
		return same
	})
}

// supportMask returns the store's PR_STORE_SUPPORT_MASK; a store without
// one fails the case, since every store has it (the "IMsgStore :
// IMAPIProp" page's required properties).
func (e *env) supportMask(st mapispi.MsgStore) mapispi.StoreSupportMask {
	v := e.prop("the store", st, mapispi.PropStoreSupportMask)
	m, ok := v.Value.(int32)
	if v.Tag != mapispi.PropStoreSupportMask || !ok {
		e.fatalf("the store's GetProps(PR_STORE_SUPPORT_MASK) = %v, want a PT_LONG: every store has it (\"IMsgStore : IMAPIProp\")", v)
	}
	return mapispi.StoreSupportMask(m)
}

// writable reports whether the mask lets a client make folders and
// messages and change them.
func writable(m mapispi.StoreSupportMask) bool {
	return m&mapispi.StoreReadOnly == 0 && m&(mapispi.StoreModifyOK|mapispi.StoreCreateOK) == mapispi.StoreModifyOK|mapispi.StoreCreateOK
}

// needWrite skips the rest of the case when the store cannot be written.
func (e *env) needWrite(m mapispi.StoreSupportMask) {
	if !writable(m) {
		e.skipf("PR_STORE_SUPPORT_MASK = %v: the store cannot be written (STORE_READONLY set, or STORE_MODIFY_OK or STORE_CREATE_OK clear), and the rest of the case writes", m)
	}
}

// opener is what opens entries: a store, a logon, a folder.
type opener interface {
	OpenEntry(ctx context.Context, id mapispi.EntryID, flags mapispi.OpenFlags) (mapispi.Object, error)
}

// asFolder checks what a call that gives a folder returned, ends the case
// on an error, a nil object or another type, and keeps the folder to
// close.
func (e *env) asFolder(what string, obj any, err error) mapispi.Folder {
	if err != nil {
		e.fatalf("%s: %v, want a folder", what, err)
	}
	f, ok := obj.(mapispi.Folder)
	switch {
	case isNil(obj):
		e.fatalf("%s returned a nil object and no error", what)
	case !ok:
		e.fatalf("%s returned a %T, which is not a mapispi.Folder", what, obj)
	}
	e.keepOpen(f)
	if t := f.ObjectType(); t != mapispi.ObjFolder {
		e.errorf("%s: ObjectType() = %v, want %v", what, t, mapispi.ObjFolder)
	}
	return f
}

// asMessage is asFolder for messages.
func (e *env) asMessage(what string, obj any, err error) mapispi.Message {
	if err != nil {
		e.fatalf("%s: %v, want a message", what, err)
	}
	m, ok := obj.(mapispi.Message)
	switch {
	case isNil(obj):
		e.fatalf("%s returned a nil object and no error", what)
	case !ok:
		e.fatalf("%s returned a %T, which is not a mapispi.Message", what, obj)
	}
	e.keepOpen(m)
	if t := m.ObjectType(); t != mapispi.ObjMessage {
		e.errorf("%s: ObjectType() = %v, want %v", what, t, mapispi.ObjMessage)
	}
	return m
}

// asAttachment is asFolder for attachments.
func (e *env) asAttachment(what string, obj any, err error) mapispi.Attachment {
	if err != nil {
		e.fatalf("%s: %v, want an attachment", what, err)
	}
	a, ok := obj.(mapispi.Attachment)
	switch {
	case isNil(obj):
		e.fatalf("%s returned a nil object and no error", what)
	case !ok:
		e.fatalf("%s returned a %T, which is not a mapispi.Attachment", what, obj)
	}
	e.keepOpen(a)
	return a
}

// asTable is asFolder for tables.
func (e *env) asTable(what string, obj any, err error) mapispi.Table {
	if err != nil {
		e.fatalf("%s: %v, want a table", what, err)
	}
	t, ok := obj.(mapispi.Table)
	switch {
	case isNil(obj):
		e.fatalf("%s returned a nil table and no error", what)
	case !ok:
		e.fatalf("%s returned a %T, which is not a mapispi.Table", what, obj)
	}
	e.keepOpen(t)
	return t
}

// asStream is asFolder for streams.
func (e *env) asStream(what string, obj any, err error) mapispi.Stream {
	if err != nil {
		e.fatalf("%s: %v, want a stream", what, err)
	}
	s, ok := obj.(mapispi.Stream)
	switch {
	case isNil(obj):
		e.fatalf("%s returned a nil stream and no error", what)
	case !ok:
		e.fatalf("%s returned a %T, which is not a mapispi.Stream", what, obj)
	}
	e.keepOpen(s)
	return s
}

// isNil reports whether v is nil or a nil pointer, map, slice, func or
// channel in an interface.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface, reflect.UnsafePointer:
		return rv.IsNil()
	}
	return false
}

// openFolder opens the folder id names.
func (e *env) openFolder(o opener, what string, id mapispi.EntryID, flags mapispi.OpenFlags) mapispi.Folder {
	obj, err := o.OpenEntry(e.ctx, id.Clone(), flags)
	return e.asFolder(fmt.Sprintf("OpenEntry(%s, %v)", what, flags), obj, err)
}

// openMessage opens the message id names.
func (e *env) openMessage(o opener, what string, id mapispi.EntryID, flags mapispi.OpenFlags) mapispi.Message {
	obj, err := o.OpenEntry(e.ctx, id.Clone(), flags)
	return e.asMessage(fmt.Sprintf("OpenEntry(%s, %v)", what, flags), obj, err)
}

// getProps returns obj's values of tags, one per tag, or ends the case.
func (e *env) getProps(what string, obj mapispi.Properties, tags ...mapispi.PropTag) []mapispi.PropValue {
	vals, err := obj.GetProps(e.ctx, slices.Clone(tags))
	if err != nil {
		e.fatalf("%s: GetProps(%v): %v", what, tags, err)
	}
	if len(vals) != len(tags) {
		e.fatalf("%s: GetProps(%v) returned %d values, want one per tag", what, tags, len(vals))
	}
	return vals
}

// prop returns obj's value of tag, a PT_ERROR value when it has none.
func (e *env) prop(what string, obj mapispi.Properties, tag mapispi.PropTag) mapispi.PropValue {
	return e.getProps(what, obj, tag)[0]
}

// str, num, flag and bin return obj's value of tag and whether it has
// one of that type.
func (e *env) str(what string, obj mapispi.Properties, tag mapispi.PropTag) (string, bool) {
	s, ok := e.prop(what, obj, tag).Value.(string)
	return s, ok
}

func (e *env) num(what string, obj mapispi.Properties, tag mapispi.PropTag) (int32, bool) {
	n, ok := e.prop(what, obj, tag).Value.(int32)
	return n, ok
}

func (e *env) flag(what string, obj mapispi.Properties, tag mapispi.PropTag) (bool, bool) {
	b, ok := e.prop(what, obj, tag).Value.(bool)
	return b, ok
}

func (e *env) bin(what string, obj mapispi.Properties, tag mapispi.PropTag) ([]byte, bool) {
	b, ok := e.prop(what, obj, tag).Value.([]byte)
	return b, ok
}

// entryID returns obj's PR_ENTRYID, or ends the case.
func (e *env) entryID(what string, obj mapispi.Properties) mapispi.EntryID {
	v := e.prop(what, obj, mapispi.PropEntryID)
	b, ok := v.Value.([]byte)
	if v.Tag != mapispi.PropEntryID || !ok || len(b) == 0 {
		e.fatalf("%s: GetProps(PR_ENTRYID) = %v, want its entry ID", what, v)
	}
	return mapispi.EntryID(b).Clone()
}

// setProps sets vals on obj, for a case whose rule is about something
// else: an error or a problem ends the case.
func (e *env) setProps(what string, obj mapispi.Properties, vals ...mapispi.PropValue) {
	probs, err := obj.SetProps(e.ctx, vals)
	if err != nil || len(probs) > 0 {
		e.fatalf("precondition: %s: SetProps(%v) = %v, %v; want success", what, vals, probs, err)
	}
}

// save saves m, for a case whose rule is about something else.
func (e *env) save(what string, m interface {
	SaveChanges(context.Context, mapispi.SaveFlags) error
}, flags mapispi.SaveFlags) {
	if err := m.SaveChanges(e.ctx, flags); err != nil {
		e.fatalf("precondition: %s: SaveChanges(%v): %v", what, flags, err)
	}
}

// sameID reports whether a and b name the same object of st: equal bytes,
// or CompareEntryIDs says so.
func (e *env) sameID(st mapispi.MsgStore, a, b []byte) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	if bytes.Equal(a, b) {
		return true
	}
	var same bool
	err := protect(func() error {
		var err error
		same, err = st.CompareEntryIDs(mapispi.EntryID(a).Clone(), mapispi.EntryID(b).Clone())
		return err
	})
	return err == nil && same
}

// workspace is the folder a case works in: made under the IPM subtree,
// or the root folder when the store has none, and deleted with
// everything in it when the case ends.
type workspace struct {
	parent mapispi.Folder
	f      mapispi.Folder
	id     mapispi.EntryID
}

// writableWorkFolder logs on to the first store read/write in a new
// session and makes the case's folder in it; the case skips when the
// store cannot be written.
func (e *env) writableWorkFolder() (*logon, *workspace) {
	l := e.mustLogon(e.session(1, sessOpts{}), 0, rw)
	e.needWrite(e.supportMask(l.st))
	return l, e.workFolder(l.st)
}

// workFolder makes the case's folder in store st.
func (e *env) workFolder(st mapispi.MsgStore) *workspace {
	parent := e.ipmSubtree(st, mapispi.OpenModify)
	name := "spitest " + e.c.name
	f, err := parent.CreateFolder(e.ctx, mapispi.FolderGeneric, name, "made by spitest", 0)
	w := &workspace{parent: parent}
	w.f = e.asFolder(fmt.Sprintf("precondition: CreateFolder(FOLDER_GENERIC, %q)", name), f, err)
	w.id = e.entryID("the case's folder", w.f)
	id := w.id.Clone()
	e.onExit(func() {
		_ = protect(func() error { return parent.DeleteFolder(e.bg(), id, mapispi.DelFolders|mapispi.DelMessages) })
	})
	return w
}

// ipmSubtree opens the folder PR_IPM_SUBTREE_ENTRYID names, or the root
// folder for a store without one.
func (e *env) ipmSubtree(st mapispi.MsgStore, flags mapispi.OpenFlags) mapispi.Folder {
	if id, ok := e.bin("the store", st, mapispi.PropIPMSubtreeEntryID); ok {
		return e.openFolder(st, "PR_IPM_SUBTREE_ENTRYID", id, flags)
	}
	return e.openFolder(st, "nil (the root folder)", nil, flags)
}

// subfolder makes a generic subfolder of f.
func (e *env) subfolder(f mapispi.Folder, name string) (mapispi.Folder, mapispi.EntryID) {
	obj, err := f.CreateFolder(e.ctx, mapispi.FolderGeneric, name, "", 0)
	k := e.asFolder(fmt.Sprintf("precondition: CreateFolder(FOLDER_GENERIC, %q)", name), obj, err)
	return k, e.entryID(fmt.Sprintf("folder %q", name), k)
}

// message makes a message in f with vals and saves it with flags, and
// returns it and its entry ID.
func (e *env) message(f mapispi.Folder, cflags mapispi.CreateMessageFlags, sflags mapispi.SaveFlags, vals ...mapispi.PropValue) (mapispi.Message, mapispi.EntryID) {
	obj, err := f.CreateMessage(e.ctx, cflags)
	m := e.asMessage(fmt.Sprintf("precondition: CreateMessage(%v)", cflags), obj, err)
	if len(vals) > 0 {
		e.setProps("a new message", m, vals...)
	}
	e.save("a new message", m, sflags)
	return m, e.entryID("a saved message", m)
}

// subject is a PR_SUBJECT value.
func subject(s string) mapispi.PropValue {
	return mapispi.PropValue{Tag: mapispi.PropSubject, Value: s}
}

// readRows reads every row of t with columns cols from the beginning.
func (e *env) readRows(what string, t mapispi.Table, cols ...mapispi.PropTag) []mapispi.Row {
	if err := t.SetColumns(e.ctx, slices.Clone(cols)); err != nil {
		e.fatalf("%s: SetColumns(%v): %v", what, cols, err)
	}
	if _, err := t.SeekRow(e.ctx, mapispi.BookmarkBeginning, 0); err != nil {
		e.fatalf("%s: SeekRow(BOOKMARK_BEGINNING, 0): %v", what, err)
	}
	var out []mapispi.Row
	for range maxTableReads {
		rows, err := t.QueryRows(e.ctx, 64)
		if err != nil {
			e.fatalf("%s: QueryRows(64): %v", what, err)
		}
		if len(rows) == 0 {
			return out
		}
		for _, r := range rows {
			if len(r) != len(cols) {
				e.fatalf("%s: QueryRows gave a row of %d values for %d columns: %v", what, len(r), len(cols), r)
			}
		}
		out = append(out, rows...)
	}
	e.fatalf("%s: QueryRows never reached the end of the table (%d rows read)", what, len(out))
	return nil
}

// maxTableReads bounds the QueryRows calls of one table read.
const maxTableReads = 64

// contents reads the rows of f's contents table (flags 0 or
// TableAssociated), opened and closed for the read.
func (e *env) contents(what string, f mapispi.Folder, flags mapispi.TableFlags, cols ...mapispi.PropTag) []mapispi.Row {
	t, err := f.ContentsTable(e.ctx, flags)
	tb := e.asTable(fmt.Sprintf("%s: ContentsTable(%v)", what, flags), t, err)
	defer e.release(tb)
	return e.readRows(fmt.Sprintf("%s's contents table (%v)", what, flags), tb, cols...)
}

// children reads the rows of f's hierarchy table (flags 0 or
// TableConvenientDepth).
func (e *env) children(what string, f mapispi.Folder, flags mapispi.TableFlags, cols ...mapispi.PropTag) []mapispi.Row {
	t, err := f.HierarchyTable(e.ctx, flags)
	tb := e.asTable(fmt.Sprintf("%s: HierarchyTable(%v)", what, flags), t, err)
	defer e.release(tb)
	return e.readRows(fmt.Sprintf("%s's hierarchy table (%v)", what, flags), tb, cols...)
}

// col returns the value of the column with tag's ID in row, and whether
// it is there and not PT_ERROR.
func col(row mapispi.Row, tag mapispi.PropTag) (mapispi.PropValue, bool) {
	for _, v := range row {
		if v.Tag.ID() == tag.ID() {
			return v, v.Tag.Type() != mapispi.PtError
		}
	}
	return mapispi.PropValue{}, false
}

// colString returns a string column's value, "" when it has none.
func colString(row mapispi.Row, tag mapispi.PropTag) string {
	v, _ := col(row, tag)
	s, _ := v.Value.(string)
	return s
}

// colBytes returns a binary column's value, nil when it has none.
func colBytes(row mapispi.Row, tag mapispi.PropTag) []byte {
	v, _ := col(row, tag)
	b, _ := v.Value.([]byte)
	return b
}

// names returns the PR_DISPLAY_NAME (or PR_SUBJECT) column of each row,
// sorted.
func names(rows []mapispi.Row, tag mapispi.PropTag) []string {
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		out = append(out, colString(r, tag))
	}
	slices.Sort(out)
	return out
}

// findRow returns the row whose PR_ENTRYID names id.
func (e *env) findRow(st mapispi.MsgStore, rows []mapispi.Row, id mapispi.EntryID) (mapispi.Row, bool) {
	for _, r := range rows {
		if e.sameID(st, colBytes(r, mapispi.PropEntryID), id) {
			return r, true
		}
	}
	return nil, false
}

// childNamed returns the entry ID of f's subfolder named name.
func (e *env) childNamed(what string, f mapispi.Folder, name string) (mapispi.EntryID, bool) {
	for _, r := range e.children(what, f, 0, mapispi.PropEntryID, mapispi.PropDisplayName) {
		if colString(r, mapispi.PropDisplayName) == name {
			return colBytes(r, mapispi.PropEntryID), true
		}
	}
	return nil, false
}

// gone reports whether opening id fails with ErrNotFound (or
// ErrObjectDeleted), as for an object that no longer exists, and the
// error.
func (e *env) gone(o opener, id mapispi.EntryID) (bool, error) {
	obj, err := o.OpenEntry(e.ctx, id.Clone(), 0)
	if err == nil {
		if c, ok := obj.(closer); ok && !isNil(obj) {
			_ = protect(func() error { return c.Close(e.ctx) })
		}
		return false, nil
	}
	return isCode(err, mapispi.ErrNotFound) || isCode(err, mapispi.ErrObjectDeleted), err
}

// readAll reads s to its end: what io.ReadAll does, but a stream that
// returns no bytes and no error again and again, or more bytes than max,
// ends the case instead of the kit's patience.
func (e *env) readAll(what string, s io.Reader, max int) []byte {
	var out []byte
	buf := make([]byte, 4096)
	for idle := 0; ; {
		n, err := s.Read(buf)
		if n < 0 || n > len(buf) {
			e.fatalf("%s: Read of %d bytes returned n = %d", what, len(buf), n)
		}
		out = append(out, buf[:n]...)
		switch {
		case errors.Is(err, io.EOF):
			return out
		case err != nil:
			e.fatalf("%s: Read after %d bytes: %v", what, len(out), err)
		case len(out) > max:
			e.fatalf("%s: the stream gave more than %d bytes", what, max)
		case n == 0:
			if idle++; idle > 100 {
				e.fatalf("%s: Read returned no bytes and no error 100 times after %d bytes, want io.EOF at the end", what, len(out))
			}
		default:
			idle = 0
		}
	}
}

// utf16LE returns s as UTF-16LE bytes, the stream form of a PT_UNICODE
// property.
func utf16LE(s string) []byte {
	var out []byte
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			hi, lo := 0xD800+(r>>10), 0xDC00+(r&0x3FF)
			out = append(out, byte(hi), byte(hi>>8), byte(lo), byte(lo>>8))
			continue
		}
		out = append(out, byte(r), byte(r>>8))
	}
	return out
}

// recorder collects what a sink receives, for a case to wait for.
type recorder[T any] struct {
	mu   sync.Mutex
	got  []T
	wake chan struct{}
}

func newRecorder[T any]() *recorder[T] { return &recorder[T]{wake: make(chan struct{}, 1)} }

func (r *recorder[T]) add(ns []T) {
	r.mu.Lock()
	r.got = append(r.got, ns...)
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

func (r *recorder[T]) all() []T {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.got)
}

// notifyWait is how long a case waits for a notification it expects:
// delivery is asynchronous, but prompt.
const notifyWait = 3 * time.Second

// wait waits until ok holds for what the sink received, or notifyWait
// passes, and reports whether it held.
func (r *recorder[T]) wait(ctx context.Context, ok func([]T) bool) bool {
	timer := time.NewTimer(notifyWait)
	defer timer.Stop()
	for {
		if ok(r.all()) {
			return true
		}
		select {
		case <-r.wake:
		case <-timer.C:
			return ok(r.all())
		case <-ctx.Done():
			return false
		}
	}
}

// splitNames splits a PR_DISPLAY_TO value into its names: separated by
// semicolons (the PidTagDisplayTo page), with or without spaces.
func splitNames(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	parts := strings.Split(s, ";")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return parts
}
