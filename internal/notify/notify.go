// Package notify delivers notifications to sinks under the rules package
// mapispi states in its "Notifications" section, for the host's
// subscriptions (IMAPISupport::Subscribe and Notify), its client sinks and
// every mapiutil table view. It is written once, here:
//
//   - a sink gets its batches in the order they were posted, one call at a
//     time;
//   - Post returns before the sink runs; PostSync returns after;
//   - sinks run on goroutines of this package, which hold no lock of the
//     caller's, so a sink may call back into whatever notified it;
//   - after Close returns the sink is not called again: a call under way
//     finishes first, unless Close is called from inside that call;
//   - a sink that panics is recovered, reported to OnPanic, and its
//     connection closed.
//
// A poster that needs its batches in the order of its changes posts them
// while it still holds the lock that orders the changes: Post only
// appends to the connection's queue.
package notify

import (
	"context"
	"runtime/debug"
	"sync"

	"github.com/mapiemu/mapiemu/internal/goid"
	"github.com/mapiemu/mapiemu/mapispi"
)

// Options configure a Conn.
type Options[T any] struct {
	// OnPanic, when set, is told of a panic in the sink, with the
	// recovered value and the stack, on the goroutine that called it. The
	// connection is closed by then.
	OnPanic func(recovered any, stack []byte)
	// Limit, when above zero with Overflow set, bounds the batches
	// waiting for the sink: a post that would exceed it replaces every
	// waiting batch with the one Overflow returns (a table's
	// TABLE_CHANGED, say), so a slow sink costs bounded memory.
	Limit    int
	Overflow func() []T
}

// Conn is one sink's connection: the batches waiting for it and the
// goroutine, if any, delivering them. Its methods are safe for concurrent
// use.
type Conn[T any] struct {
	deliver func([]T) mapispi.CallbackResult
	opts    Options[T]

	mu      sync.Mutex
	queue   []item[T]
	waiting int    // batches in queue (markers not counted)
	running bool   // a runner goroutine exists
	runner  uint64 // its goroutine ID while running
	inCall  bool   // the runner is inside deliver
	callEnd chan struct{}
	closed  bool
}

// item is one posted batch, or, with a nil notes and a non-nil ack, a
// marker Flush waits for.
type item[T any] struct {
	notes  []T
	marker bool
	ack    chan mapispi.CallbackResult // for PostSync and Flush; buffered
}

// New returns an open connection that calls deliver for each batch.
func New[T any](deliver func([]T) mapispi.CallbackResult, opts Options[T]) *Conn[T] {
	return &Conn[T]{deliver: deliver, opts: opts}
}

// Post queues notes for the sink and returns at once. Posts to a closed
// connection are dropped. notes belongs to the connection from then on.
func (c *Conn[T]) Post(notes []T) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.enqueue(item[T]{notes: notes})
}

// PostSync queues notes and waits until the sink has returned from them,
// or ctx ends, or the connection closes first. It returns what the sink
// returned (CallbackContinue when it did not run). Called from inside this
// connection's own sink, it cannot wait for a call that would come after
// the one it is in: it queues notes and returns CallbackContinue at once.
func (c *Conn[T]) PostSync(ctx context.Context, notes []T) (mapispi.CallbackResult, error) {
	return c.PostAwait(notes)(ctx)
}

// PostAwait queues notes, as Post does, and returns a function that waits
// for the sink to return from them, as PostSync does. A poster that must
// keep its posts in order across connections queues them all under its
// lock and waits after releasing it.
func (c *Conn[T]) PostAwait(notes []T) func(context.Context) (mapispi.CallbackResult, error) {
	ack := make(chan mapispi.CallbackResult, 1)
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return answered
	}
	reentrant := c.running && c.runner == goid.Get()
	c.enqueue(item[T]{notes: notes, ack: ack})
	c.mu.Unlock()
	if reentrant {
		return answered
	}
	return func(ctx context.Context) (mapispi.CallbackResult, error) {
		select {
		case r := <-ack:
			return r, nil
		case <-ctx.Done():
			return mapispi.CallbackContinue, ctx.Err()
		}
	}
}

// answered is the wait of a post that will not be waited for.
func answered(context.Context) (mapispi.CallbackResult, error) { return mapispi.CallbackContinue, nil }

// enqueue adds it and makes sure a runner will deliver it (c.mu held).
func (c *Conn[T]) enqueue(it item[T]) {
	if c.closed {
		return
	}
	if !it.marker && c.opts.Limit > 0 && c.opts.Overflow != nil && c.waiting >= c.opts.Limit {
		// Collapse: one batch stands for every waiting one, followed by
		// the Flush markers (which wait for it); synchronous posts among
		// the dropped batches are answered now.
		kept := []item[T]{{notes: c.opts.Overflow()}}
		for _, q := range c.queue {
			switch {
			case q.marker:
				kept = append(kept, q)
			case q.ack != nil:
				q.ack <- mapispi.CallbackContinue
			}
		}
		if it.ack != nil {
			it.ack <- mapispi.CallbackContinue
		}
		c.queue, c.waiting = kept, 1
	} else {
		c.queue = append(c.queue, it)
		if !it.marker {
			c.waiting++
		}
	}
	if !c.running {
		c.running = true
		go c.run()
	}
}

// run delivers the queue until it is empty.
func (c *Conn[T]) run() {
	id := goid.Get()
	c.mu.Lock()
	c.runner = id
	for len(c.queue) > 0 && !c.closed {
		it := c.queue[0]
		c.queue[0] = item[T]{}
		c.queue = c.queue[1:]
		if it.marker {
			it.ack <- mapispi.CallbackContinue
			continue
		}
		c.waiting--
		c.inCall = true
		c.mu.Unlock()
		r, panicked, stack := c.call(it.notes)
		c.mu.Lock()
		c.inCall = false
		if c.callEnd != nil {
			close(c.callEnd)
			c.callEnd = nil
		}
		if it.ack != nil {
			it.ack <- r
		}
		if panicked != nil {
			c.closeLocked()
			c.mu.Unlock()
			if c.opts.OnPanic != nil {
				c.opts.OnPanic(panicked, stack)
			}
			c.mu.Lock()
		}
	}
	c.running, c.runner = false, 0
	c.mu.Unlock()
}

// call runs the sink on notes, recovering a panic.
func (c *Conn[T]) call(notes []T) (r mapispi.CallbackResult, panicked any, stack []byte) {
	defer func() {
		if v := recover(); v != nil {
			panicked, stack = v, debug.Stack()
		}
	}()
	return c.deliver(notes), nil, nil
}

// Flush waits until every batch posted before it has been delivered (or
// dropped by Close), or ctx ends. Called from inside this connection's
// sink it returns at once: the batches after the current one cannot be
// delivered before it returns.
func (c *Conn[T]) Flush(ctx context.Context) error {
	c.mu.Lock()
	if c.closed || !c.running {
		c.mu.Unlock()
		return nil
	}
	if c.runner == goid.Get() {
		c.mu.Unlock()
		return nil
	}
	ack := make(chan mapispi.CallbackResult, 1)
	c.enqueue(item[T]{marker: true, ack: ack})
	c.mu.Unlock()
	select {
	case <-ack:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close stops delivery: waiting batches are dropped (a PostSync waiting
// for one returns), and once Close returns the sink is not called again.
// A call under way finishes first, unless Close is called from inside it
// (the sink closing its own connection), or ctx ends first, when Close
// returns ctx's error and that one call may still be running. A second
// Close does nothing.
func (c *Conn[T]) Close(ctx context.Context) error {
	c.mu.Lock()
	c.closeLocked()
	if !c.inCall || c.runner == goid.Get() {
		c.mu.Unlock()
		return nil
	}
	if c.callEnd == nil {
		c.callEnd = make(chan struct{})
	}
	end := c.callEnd
	c.mu.Unlock()
	select {
	case <-end:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// closeLocked marks the connection closed and answers what waits in the
// queue (c.mu held).
func (c *Conn[T]) closeLocked() {
	c.closed = true
	for _, q := range c.queue {
		if q.ack != nil {
			q.ack <- mapispi.CallbackContinue
		}
	}
	c.queue, c.waiting = nil, 0
}

// Closed reports whether the connection has been closed, by Close or by a
// panic in its sink.
func (c *Conn[T]) Closed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}
