package alloc

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/mapiemu/mapiemu/mapispi"
)

// heapModel runs operations against a Heap and against a simple model of
// what the Heap must do, and checks after each step that they agree.
type heapModel struct {
	t     testing.TB
	h     *Heap
	live  []*mbuf // live buffers, roots and linked
	freed []*mbuf // freed buffers, all remembered (huge quarantine)
	want  Stats
	// FailAfter and SetLimit as the model sees them.
	failArmed bool
	failLeft  int
	limit     int64 // -1 for none
	fill      byte
	steps     int
}

// mbuf is a buffer the model knows: its slice, its root (nil for a
// root), its linked buffers, and the byte it is filled with.
type mbuf struct {
	buf  []byte
	root *mbuf
	kids []*mbuf
	fill byte
}

func newHeapModel(t testing.TB) *heapModel {
	return &heapModel{t: t, h: &Heap{Quarantine: 1 << 30}, limit: -1}
}

// The model's operations; step decodes them from two bytes.
const (
	mAlloc = iota
	mMore
	mFree
	mFreeLinked
	mDoubleFree
	mFreeForeign
	mFreeResliced
	mMoreFreed
	mMoreForeign
	mMoreResliced
	mBadSize
	mFailAfter
	mLimit
	mCheckMemory
	numModelOps
)

func (m *heapModel) pick(arg byte, n int) int { return int(arg) % n }

// allocOK applies the model's FailAfter and limit rules to an allocation
// of size bytes with valid arguments, and reports whether it succeeds.
func (m *heapModel) allocOK(size int) bool {
	if m.failArmed {
		if m.failLeft == 0 {
			m.want.Failures++
			return false
		}
		m.failLeft--
	}
	if m.limit >= 0 && m.want.InUse+int64(size) > m.limit {
		m.want.Failures++
		return false
	}
	m.want.InUse += int64(size)
	m.want.Peak = max(m.want.Peak, m.want.InUse)
	return true
}

// expect checks the result of a call the model says must fail with
// mistake mk, and counts it.
func (m *heapModel) expect(call string, err error, mk Mistake) {
	m.t.Helper()
	m.want.mistakes[mk]++
	var me *MisuseError
	if !errors.Is(err, mapispi.ErrInvalidParameter) || !errors.As(err, &me) || me.Mistake != mk {
		m.t.Fatalf("step %d: %s = %v, want mistake %v", m.steps, call, err, mk)
	}
}

// expectOOM checks an allocation the model says must fail.
func (m *heapModel) expectOOM(call string, buf []byte, err error) {
	m.t.Helper()
	if buf != nil || !errors.Is(err, mapispi.ErrNotEnoughMemory) {
		m.t.Fatalf("step %d: %s = %v, %v, want nil, ErrNotEnoughMemory", m.steps, call, buf, err)
	}
}

func (m *heapModel) newBuf(buf []byte, root *mbuf) *mbuf {
	m.fill++
	b := &mbuf{buf: buf, root: root, fill: m.fill}
	for i := range buf {
		if buf[i] != 0 {
			m.t.Fatalf("step %d: new buffer byte %d = %#x, want 0", m.steps, i, buf[i])
		}
		buf[i] = b.fill
	}
	m.live = append(m.live, b)
	return b
}

func (m *heapModel) roots() []*mbuf {
	var r []*mbuf
	for _, b := range m.live {
		if b.root == nil {
			r = append(r, b)
		}
	}
	return r
}

func (m *heapModel) linkedBufs() []*mbuf {
	var r []*mbuf
	for _, b := range m.live {
		if b.root != nil {
			r = append(r, b)
		}
	}
	return r
}

// step runs one operation.
func (m *heapModel) step(op, arg byte) {
	m.t.Helper()
	m.steps++
	h := m.h
	size := int(arg % 40)
	switch int(op) % numModelOps {
	case mAlloc:
		buf, err := h.AllocateBuffer(size)
		if !m.allocOK(size) {
			m.expectOOM("AllocateBuffer", buf, err)
			break
		}
		if err != nil || len(buf) != size || cap(buf) != size {
			m.t.Fatalf("step %d: AllocateBuffer(%d) = len %d cap %d, %v; want len and cap %d, nil", m.steps, size, len(buf), cap(buf), err, size)
		}
		m.want.Roots++
		m.want.Allocs++
		m.newBuf(buf, nil)
	case mMore:
		if len(m.live) == 0 {
			break
		}
		parent := m.live[m.pick(arg, len(m.live))]
		buf, err := h.AllocateMore(size, parent.buf)
		if !m.allocOK(size) {
			m.expectOOM("AllocateMore", buf, err)
			break
		}
		if err != nil || len(buf) != size {
			m.t.Fatalf("step %d: AllocateMore(%d, parent) = len %d, %v; want len %d, nil", m.steps, size, len(buf), err, size)
		}
		root := parent
		if parent.root != nil {
			root = parent.root
		}
		root.kids = append(root.kids, m.newBuf(buf, root))
		m.want.Linked++
		m.want.Mores++
	case mFree:
		roots := m.roots()
		if len(roots) == 0 {
			if err := h.FreeBuffer(nil); err != nil {
				m.t.Fatalf("step %d: FreeBuffer(nil) = %v, want nil", m.steps, err)
			}
			break
		}
		r := roots[m.pick(arg, len(roots))]
		if err := h.FreeBuffer(r.buf); err != nil {
			m.t.Fatalf("step %d: FreeBuffer(live root) = %v, want nil", m.steps, err)
		}
		gone := append([]*mbuf{r}, r.kids...)
		for _, b := range gone {
			m.want.InUse -= int64(len(b.buf))
			m.freed = append(m.freed, b)
			for i, l := range m.live {
				if l == b {
					m.live = append(m.live[:i], m.live[i+1:]...)
					break
				}
			}
		}
		m.want.Roots--
		m.want.Frees++
		m.want.Linked -= int64(len(r.kids))
	case mFreeLinked:
		if l := m.linkedBufs(); len(l) > 0 {
			m.expect("FreeBuffer(linked)", h.FreeBuffer(l[m.pick(arg, len(l))].buf), FreeLinked)
		}
	case mDoubleFree:
		if len(m.freed) > 0 {
			m.expect("FreeBuffer(freed)", h.FreeBuffer(m.freed[m.pick(arg, len(m.freed))].buf), DoubleFree)
		}
	case mFreeForeign:
		foreign := make([]byte, size)
		m.expect("FreeBuffer(foreign)", h.FreeBuffer(foreign), FreeForeign)
	case mFreeResliced:
		roots := m.roots()
		if len(roots) == 0 {
			break
		}
		b := roots[m.pick(arg, len(roots))].buf
		switch {
		case len(b) >= 2 && arg&1 == 0:
			m.expect("FreeBuffer(buf[1:])", h.FreeBuffer(b[1:]), FreeResliced)
		case len(b) >= 1:
			m.expect("FreeBuffer(buf[:n-1])", h.FreeBuffer(b[:len(b)-1]), FreeResliced)
		}
	case mMoreFreed:
		if len(m.freed) > 0 {
			_, err := h.AllocateMore(size, m.freed[m.pick(arg, len(m.freed))].buf)
			m.expect("AllocateMore(freed parent)", err, ParentFreed)
		}
	case mMoreForeign:
		var parent []byte
		if arg&1 == 0 {
			parent = make([]byte, size)
		}
		_, err := h.AllocateMore(size, parent)
		m.expect("AllocateMore(foreign parent)", err, ParentForeign)
	case mMoreResliced:
		if len(m.live) > 0 {
			b := m.live[m.pick(arg, len(m.live))].buf
			if len(b) >= 2 {
				_, err := h.AllocateMore(size, b[1:])
				m.expect("AllocateMore(parent[1:])", err, ParentResliced)
			}
		}
	case mBadSize:
		switch arg % 3 {
		case 0:
			_, err := h.AllocateBuffer(-1 - size)
			m.expect("AllocateBuffer(negative)", err, NegativeSize)
		case 1:
			if len(m.live) > 0 {
				_, err := h.AllocateMore(-1, m.live[0].buf)
				m.expect("AllocateMore(-1)", err, NegativeSize)
			}
		case 2:
			if big := int64(MaxSize) + 1; int64(int(big)) == big {
				_, err := h.AllocateBuffer(int(big))
				m.expect("AllocateBuffer(MaxSize+1)", err, SizeTooLarge)
			}
		}
	case mFailAfter:
		n := int(arg%8) - 1
		h.FailAfter(n)
		m.failArmed, m.failLeft = n >= 0, n
	case mLimit:
		lim := int64(arg)*2 - 1
		if arg%4 == 0 {
			lim = -1
		}
		h.SetLimit(lim)
		m.limit = lim
	case mCheckMemory:
		m.checkMemory()
	}
	m.check()
}

// checkMemory checks that live buffers kept their contents and freed ones
// hold Poison.
func (m *heapModel) checkMemory() {
	m.t.Helper()
	for _, b := range m.live {
		for i, c := range b.buf {
			if c != b.fill {
				m.t.Fatalf("step %d: live buffer byte %d = %#x, want %#x", m.steps, i, c, b.fill)
			}
		}
	}
	for _, b := range m.freed {
		for i, c := range b.buf {
			if c != Poison {
				m.t.Fatalf("step %d: freed buffer byte %d = %#x, want Poison", m.steps, i, c)
			}
		}
	}
}

// check compares the Heap with the model.
func (m *heapModel) check() {
	m.t.Helper()
	if got := m.h.Stats(); got != m.want {
		m.t.Fatalf("step %d: Stats() = %+v, want %+v", m.steps, got, m.want)
	}
	if got, want := m.h.Live(), int(m.want.Roots); got != want {
		m.t.Fatalf("step %d: Live() = %d, want %d", m.steps, got, want)
	}
	err := m.h.CheckLeaks()
	var n int
	if err != nil {
		n = len(err.(interface{ Unwrap() []error }).Unwrap())
	}
	if n != int(m.want.Roots) {
		m.t.Fatalf("step %d: CheckLeaks() reports %d leaks, want %d: %v", m.steps, n, m.want.Roots, err)
	}
}

// run decodes ops two bytes at a time, then frees everything and checks
// that nothing leaks.
func (m *heapModel) run(ops []byte) {
	m.t.Helper()
	for i := 0; i+1 < len(ops); i += 2 {
		m.step(ops[i], ops[i+1])
	}
	m.checkMemory()
	m.h.FailAfter(-1)
	for _, r := range m.roots() {
		if err := m.h.FreeBuffer(r.buf); err != nil {
			m.t.Fatalf("FreeBuffer(live root) at the end = %v, want nil", err)
		}
	}
	if err := m.h.CheckLeaks(); err != nil {
		m.t.Fatalf("CheckLeaks() after freeing everything = %v, want nil", err)
	}
	if st := m.h.Stats(); st.Roots != 0 || st.Linked != 0 || st.InUse != 0 {
		m.t.Fatalf("Stats() after freeing everything = %+v, want no roots, linked buffers or bytes", st)
	}
}

func TestHeapModel(t *testing.T) {
	steps := 20000
	if testing.Short() {
		steps = 2000
	}
	for seed := range uint64(4) {
		rng := rand.New(rand.NewPCG(seed, 0xA110C))
		ops := make([]byte, 2*steps)
		for i := range ops {
			ops[i] = byte(rng.UintN(256))
		}
		// Weigh the stream towards allocation so buffers pile up, and
		// keep FailAfter and limits rare.
		for i := 0; i < len(ops); i += 2 {
			switch r := rng.UintN(100); {
			case r < 35:
				ops[i] = mAlloc
			case r < 60:
				ops[i] = mMore
			case r < 75:
				ops[i] = mFree
			case r < 98:
				if o := ops[i] % numModelOps; o == mFailAfter || o == mLimit {
					ops[i] = mCheckMemory
				}
			}
		}
		newHeapModel(t).run(ops)
	}
}

func FuzzHeapOps(f *testing.F) {
	f.Add([]byte{mAlloc, 8, mMore, 3, mMore, 1, mFree, 0, mDoubleFree, 0})
	f.Add([]byte{mAlloc, 0, mFreeResliced, 0, mFreeForeign, 3, mMoreForeign, 1, mBadSize, 2})
	f.Add([]byte{mFailAfter, 3, mAlloc, 1, mAlloc, 2, mMore, 3, mAlloc, 4, mLimit, 10, mAlloc, 30})
	f.Add([]byte{mAlloc, 5, mMore, 9, mFreeLinked, 0, mMoreResliced, 0, mFree, 0, mMoreFreed, 0, mCheckMemory, 0})
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) > 1000 {
			ops = ops[:1000]
		}
		newHeapModel(t).run(ops)
	})
}
