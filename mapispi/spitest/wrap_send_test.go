package spitest_test

import (
	"context"

	"github.com/mapiemu/mapiemu/mapispi"
)

// This file gives the wrapped store and messages the reference's
// interfaces of sending and receiving mail (mapispi.SpoolerStore,
// mapispi.ReceiveFolders, mapispi.Submitter), with the breakages' hooks.

var (
	_ mapispi.SpoolerStore   = (*wstore)(nil)
	_ mapispi.ReceiveFolders = (*wstore)(nil)
	_ mapispi.Submitter      = (*wmessage)(nil)
)

func (s *wstore) spooler() mapispi.SpoolerStore { return s.inner.(mapispi.SpoolerStore) }

func (s *wstore) AbortSubmit(ctx context.Context, id mapispi.EntryID) error {
	next := func() error { return s.spooler().AbortSubmit(ctx, id) }
	if s.w.b.abortSubmit != nil {
		return s.w.b.abortSubmit(s, ctx, id, next)
	}
	return next()
}

func (s *wstore) OutgoingQueue(ctx context.Context) (mapispi.Table, error) {
	next := func() (mapispi.Table, error) { return s.spooler().OutgoingQueue(ctx) }
	if s.w.b.outgoingQueue != nil {
		return s.w.b.outgoingQueue(s, ctx, next)
	}
	return next()
}

func (s *wstore) SetLockState(ctx context.Context, msg mapispi.Object, state mapispi.LockState) error {
	return s.spooler().SetLockState(ctx, unwrap(msg), state)
}

func (s *wstore) FinishedMsg(ctx context.Context, id mapispi.EntryID) error {
	next := func() error { return s.spooler().FinishedMsg(ctx, id) }
	if s.w.b.finishedMsg != nil {
		return s.w.b.finishedMsg(s, ctx, id, next)
	}
	return next()
}

func (s *wstore) NotifyNewMail(ctx context.Context, n *mapispi.Notification) error {
	next := func() error { return s.spooler().NotifyNewMail(ctx, n) }
	if s.w.b.notifyNewMail != nil {
		return s.w.b.notifyNewMail(s, ctx, n, next)
	}
	return next()
}

func (s *wstore) SetReceiveFolder(ctx context.Context, class string, id mapispi.EntryID) error {
	return s.inner.(mapispi.ReceiveFolders).SetReceiveFolder(ctx, class, id)
}

func (s *wstore) ReceiveFolder(ctx context.Context, class string) (mapispi.EntryID, string, error) {
	next := func(class string) (mapispi.EntryID, string, error) {
		return s.inner.(mapispi.ReceiveFolders).ReceiveFolder(ctx, class)
	}
	if s.w.b.receiveFolder != nil {
		return s.w.b.receiveFolder(ctx, class, next)
	}
	return next(class)
}

func (s *wstore) ReceiveFolderTable(ctx context.Context, flags mapispi.OpenFlags) (mapispi.Table, error) {
	return s.inner.(mapispi.ReceiveFolders).ReceiveFolderTable(ctx, flags)
}

// spoolerOf returns the spooler's store of the client's store s, nil
// when the spooler has not logged on to it.
func (s *wstore) spoolerOf() *wstore {
	s.w.wd.mu.Lock()
	defer s.w.wd.mu.Unlock()
	return s.w.wd.spoolers[s.key]
}

func (m *wmessage) SubmitMessage(ctx context.Context, flags mapispi.SubmitMessageFlags) error {
	next := func() error { return m.inner.(mapispi.Submitter).SubmitMessage(ctx, flags) }
	if m.w.b.submitMessage != nil {
		return m.w.b.submitMessage(m, ctx, flags, next)
	}
	return next()
}

// quietTable is a table whose Advise registers a sink that is never
// called.
type quietTable struct{ mapispi.Table }

func (t quietTable) Advise(ctx context.Context, sink mapispi.TableSink) (mapispi.Connection, error) {
	return t.Table.Advise(ctx, mapispi.TableSinkFunc(func([]mapispi.TableNotification) mapispi.CallbackResult {
		return mapispi.CallbackContinue
	}))
}

// hiding returns the store Logon hands out for s: s itself, or, for a
// breakage that hides an interface, a store without it. It is made once,
// as a reopen gives the same MsgStore.
func (s *wstore) hiding() mapispi.MsgStore {
	switch {
	case s.w.b.noSpoolerStore:
		return &noSpoolerStore{s, s, s, s}
	case s.w.b.noReceiveFolders:
		return &noReceiveStore{s, s, s, s}
	}
	return s
}

// noSpoolerStore is a wrapped store without mapispi.SpoolerStore.
type noSpoolerStore struct {
	mapispi.MsgStore
	mapispi.Adviser
	mapispi.NamedProps
	mapispi.ReceiveFolders
}

// noReceiveStore is a wrapped store without mapispi.ReceiveFolders.
type noReceiveStore struct {
	mapispi.MsgStore
	mapispi.Adviser
	mapispi.NamedProps
	mapispi.SpoolerStore
}

// noSubmitMessage is a wrapped message without mapispi.Submitter.
type noSubmitMessage struct {
	mapispi.Message
	mapispi.PropertyOpener
	mapispi.Copier
	mapispi.NamedProps
}
