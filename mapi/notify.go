package mapi

import (
	"bytes"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/mapiemu/mapiemu/mapispi"
)

// notifier holds the session's subscriptions (IMAPISupport::Subscribe).
type notifier struct {
	mu   sync.Mutex
	last mapispi.Connection
	subs []*subscription // in subscription order
}

type subscription struct {
	conn   mapispi.Connection
	owner  *logon
	key    []byte
	events mapispi.EventMask
	sink   mapispi.AdviseSink
	active atomic.Bool
}

func (n *notifier) subscribe(owner *logon, key []byte, events mapispi.EventMask, flags mapispi.NotifyFlags, sink mapispi.AdviseSink) (mapispi.Connection, error) {
	switch {
	case len(key) == 0:
		return 0, mapispi.Errorf(mapispi.ErrInvalidParameter, "IMAPISupport::Subscribe", "empty notification key")
	case sink == nil:
		return 0, mapispi.Errorf(mapispi.ErrInvalidParameter, "IMAPISupport::Subscribe", "nil sink")
	case events == 0:
		return 0, mapispi.Errorf(mapispi.ErrInvalidParameter, "IMAPISupport::Subscribe", "empty event mask")
	case flags&^mapispi.NotifySync != 0:
		return 0, mapispi.Errorf(mapispi.ErrUnknownFlags, "IMAPISupport::Subscribe", "flags %v", flags)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.last++
	sub := &subscription{conn: n.last, owner: owner, key: slices.Clone(key), events: events, sink: sink}
	sub.active.Store(true)
	n.subs = append(n.subs, sub)
	return sub.conn, nil
}

func (n *notifier) unsubscribe(owner *logon, conn mapispi.Connection) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	for i, sub := range n.subs {
		if sub.conn == conn && sub.owner == owner {
			sub.active.Store(false)
			n.subs = slices.Delete(n.subs, i, i+1)
			return nil
		}
	}
	return mapispi.Errorf(mapispi.ErrNotFound, "IMAPISupport::Unsubscribe", "no connection %d", conn)
}

// drop ends every subscription of owner.
func (n *notifier) drop(owner *logon) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.subs = slices.DeleteFunc(n.subs, func(sub *subscription) bool {
		if sub.owner == owner {
			sub.active.Store(false)
			return true
		}
		return false
	})
}

// notify delivers synchronously, outside the lock, so a sink may call
// back into the host. A subscription ended before its turn gets nothing.
func (n *notifier) notify(key []byte, notes []mapispi.Notification) mapispi.NotifyFlags {
	n.mu.Lock()
	var targets []*subscription
	for _, sub := range n.subs {
		if bytes.Equal(sub.key, key) {
			targets = append(targets, sub)
		}
	}
	n.mu.Unlock()
	var out mapispi.NotifyFlags
	for _, sub := range targets {
		var mine []mapispi.Notification
		for _, note := range notes {
			if note.Event&sub.events != 0 {
				mine = append(mine, copyNotification(note))
			}
		}
		if len(mine) == 0 || !sub.active.Load() {
			continue
		}
		if sub.sink.OnNotify(mine) == mapispi.CallbackDiscontinue {
			out |= mapispi.NotifyCanceled
		}
	}
	return out
}

// copyNotification is MAPI's copy of a notification: the sink shares no
// slice with the provider.
func copyNotification(n mapispi.Notification) mapispi.Notification {
	n.EntryID = slices.Clone(n.EntryID)
	n.ParentID = slices.Clone(n.ParentID)
	n.OldID = slices.Clone(n.OldID)
	n.OldParentID = slices.Clone(n.OldParentID)
	n.Props = slices.Clone(n.Props)
	n.Values = slices.Clone(n.Values)
	return n
}
