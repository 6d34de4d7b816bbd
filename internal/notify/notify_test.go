package notify

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mapiemu/mapiemu/mapispi"
)

// wait bounds every wait in these tests, so that a deadlock fails the
// test instead of hanging it.
const wait = 10 * time.Second

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	t.Cleanup(cancel)
	return ctx
}

// recorder is a sink that records what it got and checks that it is never
// called on two goroutines at once.
type recorder struct {
	mu      sync.Mutex
	got     []int
	active  atomic.Int32
	overlap atomic.Bool
	delay   time.Duration
}

func (r *recorder) deliver(notes []int) mapispi.CallbackResult {
	if r.active.Add(1) > 1 {
		r.overlap.Store(true)
	}
	defer r.active.Add(-1)
	if r.delay > 0 {
		time.Sleep(r.delay)
	}
	r.mu.Lock()
	r.got = append(r.got, notes...)
	r.mu.Unlock()
	return mapispi.CallbackContinue
}

func (r *recorder) snapshot() []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]int(nil), r.got...)
}

func TestPostOrderOneAtATime(t *testing.T) {
	var r recorder
	c := New(r.deliver, Options[int]{})
	var mu sync.Mutex // orders the "changes", as a table's lock does
	next := 0
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 500 {
				mu.Lock()
				next++
				c.Post([]int{next})
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if err := c.Flush(ctxT(t)); err != nil {
		t.Fatalf("Flush = %v, want nil", err)
	}
	got := r.snapshot()
	if len(got) != 2000 {
		t.Fatalf("sink got %d notifications, want 2000", len(got))
	}
	for i, v := range got {
		if v != i+1 {
			t.Fatalf("notification %d = %d, want %d (posting order)", i, v, i+1)
		}
	}
	if r.overlap.Load() {
		t.Fatal("sink ran on two goroutines at once")
	}
}

func TestPostReturnsBeforeSinkRuns(t *testing.T) {
	release := make(chan struct{})
	ran := make(chan struct{})
	c := New(func([]int) mapispi.CallbackResult {
		<-release
		close(ran)
		return 0
	}, Options[int]{})
	done := make(chan struct{})
	go func() {
		c.Post([]int{1})
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(wait):
		t.Fatal("Post waited for the sink")
	}
	close(release)
	select {
	case <-ran:
	case <-time.After(wait):
		t.Fatal("the sink never ran")
	}
}

func TestPostSyncReturnsAfterSink(t *testing.T) {
	var ran atomic.Bool
	c := New(func([]int) mapispi.CallbackResult {
		time.Sleep(10 * time.Millisecond)
		ran.Store(true)
		return mapispi.CallbackDiscontinue
	}, Options[int]{})
	r, err := c.PostSync(ctxT(t), []int{1})
	if err != nil || r != mapispi.CallbackDiscontinue || !ran.Load() {
		t.Fatalf("PostSync = %v, %v (sink ran: %t), want CallbackDiscontinue, nil after the sink ran", r, err, ran.Load())
	}
}

func TestPostSyncFromInsideOwnSink(t *testing.T) {
	var c *Conn[int]
	var got []int
	inner := make(chan error, 1)
	c = New(func(notes []int) mapispi.CallbackResult {
		got = append(got, notes...)
		if notes[0] == 1 {
			_, err := c.PostSync(context.Background(), []int{2})
			inner <- err
		}
		return 0
	}, Options[int]{})
	if _, err := c.PostSync(ctxT(t), []int{1}); err != nil {
		t.Fatalf("PostSync = %v, want nil", err)
	}
	select {
	case err := <-inner:
		if err != nil {
			t.Fatalf("PostSync from inside the sink = %v, want nil", err)
		}
	case <-time.After(wait):
		t.Fatal("PostSync from inside the sink deadlocked")
	}
	if err := c.Flush(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1] != 2 {
		t.Fatalf("sink got %v, want [1 2]", got)
	}
}

func TestCloseWaitsForCallUnderWay(t *testing.T) {
	entered := make(chan struct{})
	release := make(chan struct{})
	var finished atomic.Bool
	var calls atomic.Int32
	c := New(func([]int) mapispi.CallbackResult {
		if calls.Add(1) == 1 {
			close(entered)
			<-release
			finished.Store(true)
		}
		return 0
	}, Options[int]{})
	c.Post([]int{1})
	c.Post([]int{2}) // dropped by Close
	<-entered
	closed := make(chan error, 1)
	go func() { closed <- c.Close(context.Background()) }()
	select {
	case <-closed:
		t.Fatal("Close returned while the sink's call was under way")
	case <-time.After(20 * time.Millisecond):
	}
	close(release)
	select {
	case err := <-closed:
		if err != nil || !finished.Load() {
			t.Fatalf("Close = %v (call finished: %t), want nil after the call", err, finished.Load())
		}
	case <-time.After(wait):
		t.Fatal("Close never returned")
	}
	c.Post([]int{3})
	time.Sleep(20 * time.Millisecond)
	if n := calls.Load(); n != 1 {
		t.Fatalf("sink called %d times, want 1: nothing after Close", n)
	}
}

func TestCloseFromInsideOwnSink(t *testing.T) {
	var c *Conn[int]
	closed := make(chan error, 1)
	var calls atomic.Int32
	c = New(func([]int) mapispi.CallbackResult {
		calls.Add(1)
		closed <- c.Close(context.Background())
		return 0
	}, Options[int]{})
	c.Post([]int{1})
	c.Post([]int{2})
	select {
	case err := <-closed:
		if err != nil {
			t.Fatalf("Close from inside the sink = %v, want nil", err)
		}
	case <-time.After(wait):
		t.Fatal("Close from inside the sink deadlocked")
	}
	time.Sleep(20 * time.Millisecond)
	if n := calls.Load(); n != 1 {
		t.Fatalf("sink called %d times, want 1", n)
	}
	if !c.Closed() {
		t.Fatal("Closed() = false after Close")
	}
}

func TestCloseHonoursContext(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	entered := make(chan struct{})
	c := New(func([]int) mapispi.CallbackResult { close(entered); <-release; return 0 }, Options[int]{})
	c.Post([]int{1})
	<-entered
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := c.Close(ctx); err != context.DeadlineExceeded {
		t.Fatalf("Close with a sink that never returns = %v, want context.DeadlineExceeded", err)
	}
}

func TestCloseAnswersPostSync(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{})
	c := New(func(notes []int) mapispi.CallbackResult {
		if notes[0] == 1 {
			close(entered)
			<-release
		}
		return mapispi.CallbackDiscontinue
	}, Options[int]{})
	c.Post([]int{1})
	<-entered
	res := make(chan mapispi.CallbackResult, 1)
	go func() {
		r, _ := c.PostSync(context.Background(), []int{2})
		res <- r
	}()
	time.Sleep(10 * time.Millisecond)
	go func() { time.Sleep(10 * time.Millisecond); close(release) }()
	if err := c.Close(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-res:
		if r != mapispi.CallbackContinue {
			t.Fatalf("PostSync of a batch Close dropped = %v, want CallbackContinue", r)
		}
	case <-time.After(wait):
		t.Fatal("PostSync stayed blocked after Close")
	}
}

func TestPanicClosesConnection(t *testing.T) {
	reported := make(chan any, 1)
	var calls atomic.Int32
	c := New(func([]int) mapispi.CallbackResult {
		calls.Add(1)
		panic("sink bug")
	}, Options[int]{OnPanic: func(v any, stack []byte) {
		if len(stack) == 0 {
			v = "no stack"
		}
		reported <- v
	}})
	c.Post([]int{1})
	c.Post([]int{2})
	select {
	case v := <-reported:
		if v != "sink bug" {
			t.Fatalf("OnPanic got %v, want the sink's panic value with a stack", v)
		}
	case <-time.After(wait):
		t.Fatal("OnPanic was never called")
	}
	if !c.Closed() {
		t.Fatal("Closed() = false after the sink panicked")
	}
	c.Post([]int{3})
	time.Sleep(20 * time.Millisecond)
	if n := calls.Load(); n != 1 {
		t.Fatalf("sink called %d times, want 1: the connection is dropped after a panic", n)
	}
}

func TestOverflowCollapses(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	var got [][]int
	c := New(func(notes []int) mapispi.CallbackResult {
		if notes[0] == 0 {
			<-release
		}
		mu.Lock()
		got = append(got, notes)
		mu.Unlock()
		return 0
	}, Options[int]{Limit: 4, Overflow: func() []int { return []int{-1} }})
	c.Post([]int{0}) // the sink blocks on this one
	for i := 1; i <= 100; i++ {
		c.Post([]int{i})
	}
	close(release)
	if err := c.Flush(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) > 6 {
		t.Fatalf("sink got %d batches for 101 posts with Limit 4, want at most 6", len(got))
	}
	last := got[len(got)-1][0]
	if last != 100 && last != -1 {
		t.Fatalf("last batch = %v, want the last post or the overflow batch", got[len(got)-1])
	}
}

func TestFlushFromInsideSink(t *testing.T) {
	var c *Conn[int]
	done := make(chan error, 1)
	c = New(func([]int) mapispi.CallbackResult {
		done <- c.Flush(context.Background())
		return 0
	}, Options[int]{})
	c.Post([]int{1})
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Flush from inside the sink = %v, want nil", err)
		}
	case <-time.After(wait):
		t.Fatal("Flush from inside the sink deadlocked")
	}
}

// TestCloseRacesDeliveries runs under -race: Close racing Posts never
// lets a call start after Close returned.
func TestCloseRacesDeliveries(t *testing.T) {
	for range 200 {
		var closedAt atomic.Bool
		var late atomic.Bool
		c := New(func([]int) mapispi.CallbackResult {
			if closedAt.Load() {
				late.Store(true)
			}
			return 0
		}, Options[int]{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				c.Post([]int{i})
			}
		}()
		if err := c.Close(ctxT(t)); err != nil {
			t.Fatal(err)
		}
		closedAt.Store(true)
		wg.Wait()
		time.Sleep(time.Millisecond)
		if late.Load() {
			t.Fatal("the sink was called after Close returned")
		}
	}
}
