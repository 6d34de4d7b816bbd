package alloc

import (
	"cmp"
	"errors"
	"runtime"
	"slices"
	"sync"
	"unsafe"

	"github.com/mapiemu/mapiemu/mapispi"
)

// MaxSize is the largest size AllocateBuffer, AllocateMore, Alloc and
// Realloc accept; a larger one is the mistake [SizeTooLarge]. It is the
// largest int on 32-bit platforms, so the rule is the same everywhere.
// (MAPI's ULONG cbSize goes to 4 GiB - 1, which a 32-bit Go int cannot
// hold.) Use SetLimit to refuse smaller allocations with
// ErrNotEnoughMemory.
const MaxSize = 1<<31 - 1

// Poison is the byte freed memory is overwritten with, root and linked
// buffers alike, so a use after free reads 0xDD garbage, not plausible
// data.
const Poison = 0xDD

// poisonWord is eight Poison bytes.
const poisonWord = 0x0101010101010101 * Poison

// DefaultQuarantine is the quarantine, in bytes, of a Heap or Malloc whose
// Quarantine field is 0: 1 MiB.
const DefaultQuarantine = 1 << 20

// bookkeeping is what the quarantine counts for each freed buffer on top
// of its memory: roughly what remembering it costs (a slot and a queue
// entry). Heap.Quarantine's doc states it.
const bookkeeping = 64

// The operations, as they appear in errors.
type opcode uint8

const (
	opAllocateBuffer opcode = iota
	opAllocateMore
	opFreeBuffer
	opAlloc
	opRealloc
	opFree
)

var opNames = [...]string{
	opAllocateBuffer: "AllocateBuffer",
	opAllocateMore:   "AllocateMore",
	opFreeBuffer:     "FreeBuffer",
	opAlloc:          "Alloc",
	opRealloc:        "Realloc",
	opFree:           "Free",
}

func (o opcode) String() string { return opNames[o] }

// A block is what the allocator remembers of one buffer, live or freed and
// in the quarantine. Holding mem keeps the buffer's memory, and so its
// address, from going to any other Go allocation while it is remembered:
// an address a block in slots holds belongs to it and nothing else.
type block struct {
	mem   unsafe.Pointer // the backing words; nil in a free slot
	ext   *extra         // nil unless the block has linked buffers or stacks
	seq   uint64         // allocation number, from 1
	root  int32          // a live linked buffer's root's slot, plus 1; 0 for a root
	size  int32          // len and cap of the slice handed out (<= MaxSize)
	op    opcode         // the call that made it
	freed bool           // freed and in the quarantine
}

// extra is what only some blocks need.
type extra struct {
	links   []int32   // a live root's linked buffers' slots, in the order made
	bytes   int64     // their total size
	stack   []uintptr // where it was allocated, with Trace
	freedAt []uintptr // where it was freed, with Trace
}

// cost is what a freed block counts for in the quarantine.
func (b *block) cost() int64 { return int64(words(int(b.size)))*8 + bookkeeping }

// core is the bookkeeping Heap and Malloc share. The zero value is ready.
// One mutex guards everything, and every call holds it for its whole
// work, allocation and poisoning included.
//
// Blocks live in one slice. Live blocks are found by address through a
// map to their slot; freed blocks are found by looking at every slot,
// which only a mistake does, so a freed buffer costs no map entry. (A map
// of every remembered buffer put an insert, a lookup and a delete on a
// map of the quarantine's size, thousands of entries, behind each buffer:
// in interleaved runs of BenchmarkAllocateFree it was 40% slower.)
// Neither the map nor the queue holds pointers, so the garbage collector
// neither scans them nor makes their writes pay for barriers.
type core struct {
	mu    sync.Mutex
	index map[uintptr]int32 // address of a live buffer -> index in slots
	slots []block           // live and quarantined buffers
	spare []int32           // slots not in use

	// The quarantine: the slots of freed buffers in queue[head:], oldest
	// first, costing queued bytes in all.
	queue  []int32
	head   int
	queued int64

	seq      uint64 // the last allocation number given
	st       Stats
	limit    int64 // with limited: the cap on st.InUse
	limited  bool
	failLeft int // with failing: allocations left before failing
	failing  bool
}

// addr returns the address of buf's first byte, 0 for a nil slice.
func addr(buf []byte) uintptr {
	return uintptr(unsafe.Pointer(unsafe.SliceData(buf)))
}

// words returns how many 8-byte words back a buffer of size bytes: at
// least one, so that every buffer, size 0 included, has its own address.
func words(size int) int {
	n := size >> 3
	if size&7 != 0 || n == 0 {
		n++
	}
	return n
}

// misuse counts a mistake about the buffer b (nil if none is known) and
// returns its error.
func (c *core) misuse(op opcode, m Mistake, size int, b *block) error {
	c.st.mistakes[m]++
	e := &MisuseError{Op: op.String(), Mistake: m, Size: size}
	if b != nil {
		e.Seq = b.seq
		if b.ext != nil {
			e.FreedAt = b.ext.freedAt
		}
	}
	return e
}

// sizeMistake checks a size argument.
func (c *core) sizeMistake(op opcode, size int) error {
	switch {
	case size < 0:
		return c.misuse(op, NegativeSize, size, nil)
	case size > MaxSize:
		return c.misuse(op, SizeTooLarge, size, nil)
	}
	return nil
}

// A verdict is what the bookkeeping says of a buffer argument.
type verdict uint8

const (
	usable   verdict = iota // a live root, exactly as handed out
	linked                  // a live linked buffer, exactly as handed out
	resliced                // the start of a live buffer, other len or cap
	unknown                 // not the start of any live buffer
)

// lookup returns the slot of the live block at buf's address (-1 if
// none) and the verdict on buf: usable, linked, resliced, or unknown if no
// live buffer starts there (reject tells a freed buffer from a foreign
// one).
func (c *core) lookup(buf []byte) (int32, verdict) {
	i, ok := c.index[addr(buf)]
	if !ok {
		return -1, unknown
	}
	b := &c.slots[i]
	switch {
	case len(buf) != int(b.size) || cap(buf) != int(b.size):
		return i, resliced
	case b.root != 0:
		return i, linked
	}
	return i, usable
}

// reject counts and returns the mistake of passing buf, whose slot is i
// and verdict v, to op as a buffer to free or, if parent, as
// AllocateMore's parent.
func (c *core) reject(op opcode, buf []byte, i int32, v verdict, parent bool) error {
	var m Mistake
	switch v {
	case unknown:
		i, m = c.recall(addr(buf))
	case resliced:
		m = FreeResliced
	case linked:
		m = FreeLinked
	}
	if parent {
		switch m {
		case FreeResliced:
			m = ParentResliced
		case FreeForeign:
			m = ParentForeign
		case DoubleFree:
			m = ParentFreed
		}
	}
	if i < 0 {
		return c.misuse(op, m, len(buf), nil)
	}
	return c.misuse(op, m, len(buf), &c.slots[i])
}

// recall says what the allocator remembers at an address a where no live
// buffer starts: the slot of the freed buffer that starts at a
// (DoubleFree), or of the buffer, live or freed, that a points into past
// its first byte, as buf[i:] does (FreeResliced), or -1 (FreeForeign).
// Remembered buffers never overlap, so at most one matches. It looks at
// every buffer, so only mistakes pay for it.
func (c *core) recall(a uintptr) (int32, Mistake) {
	if a == 0 {
		return -1, FreeForeign
	}
	for i, b := range c.slots {
		base := uintptr(b.mem)
		switch {
		case base == 0:
		case a == base && b.freed:
			return int32(i), DoubleFree
		case a > base && a < base+uintptr(b.size):
			return int32(i), FreeResliced
		}
	}
	return -1, FreeForeign
}

// reserve accounts for size more bytes, or refuses them with
// ErrNotEnoughMemory because of FailAfter or the limit.
func (c *core) reserve(op opcode, size int) error {
	if c.failing {
		if c.failLeft == 0 {
			c.st.Failures++
			return mapispi.Errorf(mapispi.ErrNotEnoughMemory, "alloc", "%v(%d): failing as FailAfter asked", op, size)
		}
		c.failLeft--
	}
	if c.limited && c.st.InUse+int64(size) > c.limit {
		c.st.Failures++
		return mapispi.Errorf(mapispi.ErrNotEnoughMemory, "alloc", "%v(%d): %d bytes in use, limit %d", op, size, c.st.InUse, c.limit)
	}
	c.st.InUse += int64(size)
	c.st.Peak = max(c.st.Peak, c.st.InUse)
	return nil
}

// add makes a buffer of size bytes, reserved already: zero-filled, 8-byte
// aligned, linked to the root in slot root-1 unless root is 0.
func (c *core) add(op opcode, size int, root int32, stack []uintptr) []byte {
	mem := unsafe.Pointer(unsafe.SliceData(make([]uint64, words(size))))
	var i int32
	if n := len(c.spare); n > 0 {
		i = c.spare[n-1]
		c.spare = c.spare[:n-1]
	} else {
		i = int32(len(c.slots))
		c.slots = append(c.slots, block{})
	}
	c.seq++
	b := &c.slots[i]
	b.mem, b.seq, b.root, b.size, b.op = mem, c.seq, root, int32(size), op
	if stack != nil {
		b.ext = &extra{stack: stack}
	}
	if c.index == nil {
		c.index = make(map[uintptr]int32)
	}
	c.index[uintptr(mem)] = i
	if root == 0 {
		c.st.Roots++
		c.st.Allocs++
	} else {
		c.st.Linked++
		c.st.Mores++
		r := &c.slots[root-1]
		if r.ext == nil {
			r.ext = new(extra)
		}
		r.ext.links = append(r.ext.links, i)
		r.ext.bytes += int64(size)
	}
	return unsafe.Slice((*byte)(mem), size)
}

// alloc makes a new root buffer.
func (c *core) alloc(op opcode, size int, stack []uintptr) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.sizeMistake(op, size); err != nil {
		return nil, err
	}
	if err := c.reserve(op, size); err != nil {
		return nil, err
	}
	return c.add(op, size, 0, stack), nil
}

// more makes a buffer linked to parent's root.
func (c *core) more(size int, parent []byte, stack []uintptr) ([]byte, error) {
	const op = opAllocateMore
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.sizeMistake(op, size); err != nil {
		return nil, err
	}
	i, v := c.lookup(parent)
	if v != usable && v != linked {
		return nil, c.reject(op, parent, i, v, true)
	}
	root := c.slots[i].root
	if root == 0 {
		root = i + 1
	}
	if err := c.reserve(op, size); err != nil {
		return nil, err
	}
	return c.add(op, size, root, stack), nil
}

// poison overwrites a buffer's backing words with Poison.
func poison(b *block) {
	w := unsafe.Slice((*uint64)(b.mem), words(int(b.size)))
	for i := range w {
		w[i] = poisonWord
	}
}

// release frees the live root in slot i and the buffers linked to it,
// poisons them and puts them in the quarantine, which it then trims to
// quarantine bytes (a Heap's or Malloc's Quarantine setting). With Trace,
// stack says where.
func (c *core) release(i int32, quarantine int, stack []uintptr) {
	b := &c.slots[i]
	var links []int32
	if b.ext != nil {
		links = b.ext.links
		c.st.InUse -= b.ext.bytes
		c.st.Linked -= int64(len(links))
	}
	c.st.InUse -= int64(b.size)
	c.st.Roots--
	c.st.Frees++
	c.retire(i, stack)
	for _, k := range links {
		c.retire(k, stack)
	}
	switch {
	case quarantine == 0:
		c.trim(DefaultQuarantine)
	case quarantine < 0:
		c.trim(0)
	default:
		c.trim(int64(quarantine))
	}
}

// retire takes the live block in slot i out of the index, poisons it,
// marks it freed and puts it at the end of the quarantine.
func (c *core) retire(i int32, stack []uintptr) {
	b := &c.slots[i]
	delete(c.index, uintptr(b.mem))
	poison(b)
	b.freed, b.root = true, 0
	// A freed block keeps only its stacks, if traced.
	if b.ext != nil || stack != nil {
		var allocated []uintptr
		if b.ext != nil {
			allocated = b.ext.stack
		}
		b.ext = nil
		if allocated != nil || stack != nil {
			b.ext = &extra{stack: allocated, freedAt: stack}
		}
	}
	c.queue = append(c.queue, i)
	c.queued += b.cost()
}

// trim forgets the oldest freed buffers until the quarantine holds at
// most limit bytes. Forgetting a block drops its memory: Go may then
// reclaim it once no slice refers to it, and reuse its address.
func (c *core) trim(limit int64) {
	for c.queued > limit {
		i := c.queue[c.head]
		c.head++
		b := &c.slots[i]
		c.queued -= b.cost()
		*b = block{}
		c.spare = append(c.spare, i)
	}
	// Move what is left to the front once the dead part is the larger,
	// so the queue stays within twice its contents.
	if c.head > 0 && c.head >= len(c.queue)-c.head {
		n := copy(c.queue, c.queue[c.head:])
		c.queue = c.queue[:n]
		c.head = 0
	}
}

// free frees a root buffer and the buffers linked to it.
func (c *core) free(op opcode, buf []byte, quarantine int, stack []uintptr) error {
	if addr(buf) == 0 {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	i, v := c.lookup(buf)
	if v != usable {
		return c.reject(op, buf, i, v, false)
	}
	c.release(i, quarantine, stack)
	return nil
}

// realloc is IMalloc::Realloc.
func (c *core) realloc(buf []byte, size int, stack []uintptr, quarantine int) ([]byte, error) {
	const op = opRealloc
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.sizeMistake(op, size); err != nil {
		return nil, err
	}
	if addr(buf) == 0 {
		if err := c.reserve(op, size); err != nil {
			return nil, err
		}
		c.st.Reallocs++
		return c.add(op, size, 0, stack), nil
	}
	i, v := c.lookup(buf)
	if v != usable {
		return nil, c.reject(op, buf, i, v, false)
	}
	var nb []byte
	if size > 0 {
		if err := c.reserve(op, size); err != nil {
			return nil, err
		}
		nb = c.add(op, size, 0, stack)
		copy(nb, buf)
	}
	c.release(i, quarantine, stack)
	c.st.Reallocs++
	return nb, nil
}

// live reports whether buf is a live buffer (root or linked) exactly as
// it was handed out, and returns its size.
func (c *core) live(buf []byte) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	i, v := c.lookup(buf)
	if v != usable && v != linked {
		return 0, false
	}
	return int(c.slots[i].size), true
}

// flush empties the quarantine.
func (c *core) flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.trim(0)
}

func (c *core) setLimit(n int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.limit, c.limited = n, n >= 0
}

func (c *core) getLimit() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.limited {
		return -1
	}
	return c.limit
}

func (c *core) failAfter(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.failLeft, c.failing = n, n >= 0
}

// liveRoots counts the live root buffers.
func (c *core) liveRoots() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return int(c.st.Roots)
}

func (c *core) stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.st
}

// checkLeaks returns one *LeakError per live root, largest first.
func (c *core) checkLeaks() error {
	var leaks []*LeakError
	c.mu.Lock()
	for _, b := range c.slots {
		if b.mem == nil || b.freed || b.root != 0 {
			continue
		}
		l := &LeakError{Op: b.op.String(), Seq: b.seq, Size: int(b.size)}
		if b.ext != nil {
			l.Stack = b.ext.stack
			for _, k := range b.ext.links {
				lb := &c.slots[k]
				l.Linked = append(l.Linked, LinkedBuffer{Seq: lb.seq, Size: int(lb.size)})
				if lb.ext != nil {
					l.Linked[len(l.Linked)-1].Stack = lb.ext.stack
				}
			}
		}
		leaks = append(leaks, l)
	}
	c.mu.Unlock()
	if len(leaks) == 0 {
		return nil
	}
	slices.SortFunc(leaks, func(x, y *LeakError) int {
		return cmp.Or(
			cmp.Compare(y.bytes(), x.bytes()),
			cmp.Compare(y.Size, x.Size),
			cmp.Compare(x.Seq, y.Seq),
		)
	})
	errs := make([]error, len(leaks))
	for i, l := range leaks {
		errs[i] = l
	}
	return errors.Join(errs...)
}

// callers records the stack above the exported method that calls it
// when on is true. It is small enough to inline, so that it costs nothing
// when off.
func callers(on bool) []uintptr {
	if !on {
		return nil
	}
	return record()
}

// record returns the program counters above callers' caller.
func record() []uintptr {
	var pcs [32]uintptr
	n := runtime.Callers(4, pcs[:]) // runtime.Callers, record, callers, the method
	return slices.Clone(pcs[:n])
}
