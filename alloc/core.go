package alloc

import (
	"cmp"
	"errors"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
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

// DefaultQuarantine is the number of freed buffers a Heap or Malloc
// remembers when its Quarantine field is 0.
const DefaultQuarantine = 4096

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

// An entry is the bookkeeping of one buffer, kept in a slot of the shard
// its address hashes to.
type entry struct {
	key   uintptr        // the buffer's address; 0 in a slot not in the table
	mem   unsafe.Pointer // the backing words, kept alive while live; nil once freed
	root  uintptr        // a linked buffer's root; 0 for a root
	ext   *extra         // a root's linked buffers and stack; nil if neither
	size  int32          // len and cap of the slice handed out (<= MaxSize)
	op    opcode         // the call that allocated it
	freed bool           // freed and in quarantine
}

// extra is what only some roots need.
type extra struct {
	links []uintptr // linked buffers; appending is O(1) amortized
	bytes int64     // their total size
	stack []uintptr // allocating call, when tracing
}

const (
	shardBits  = 6
	shardCount = 1 << shardBits
	hashMul    = 0x9E3779B97F4A7C15
	pageShift  = 13
)

// shardData is one shard's buffers and counters, guarded by mu. No
// operation holds two shard locks at once.
type shardData struct {
	mu    sync.Mutex
	t     table   // address -> index in slots
	slots []entry // live and quarantined buffers
	spare []int32 // free indices in slots
	// q is the quarantine ring of slots of freed buffers; next is the
	// oldest once the ring is full.
	q    []int32
	next int
	// Counters of the buffers whose address hashes here.
	roots, linked, allocs, mores, frees int64
}

// get returns the slot and entry of address a, or nil. The pointer is
// valid while s.mu is held and no entry is added.
func (s *shardData) get(a uintptr) (int32, *entry) {
	if a == 0 {
		return 0, nil
	}
	i, ok := s.t.find(a)
	if !ok {
		return 0, nil
	}
	return i, &s.slots[i]
}

// add records e under its address, e.key.
func (s *shardData) add(e entry) {
	var i int32
	if n := len(s.spare); n > 0 {
		i = s.spare[n-1]
		s.spare = s.spare[:n-1]
		// Field by field, and ext (nil in a spare slot) only if needed:
		// pointer writes cost a write barrier while the GC runs.
		p := &s.slots[i]
		p.key, p.mem, p.root, p.size, p.op, p.freed = e.key, e.mem, e.root, e.size, e.op, e.freed
		if e.ext != nil {
			p.ext = e.ext
		}
	} else {
		i = int32(len(s.slots))
		s.slots = append(s.slots, e)
	}
	// A freed buffer's memory is not kept alive, so Go may have reused
	// its address once no slice referred to it. The new buffer takes the
	// address from the stale entry, which stays in the ring until
	// evicted.
	if j, stale := s.t.put(e.key, i); stale {
		s.slots[j].key = 0
	}
}

// remove forgets the entry in slot i.
func (s *shardData) remove(i int32) {
	p := &s.slots[i]
	if p.key != 0 {
		s.t.del(p.key)
		p.key = 0
	}
	if p.mem != nil {
		p.mem = nil
	}
	if p.ext != nil {
		p.ext = nil
	}
	s.spare = append(s.spare, i)
}

// retire frees the buffer in slot i: it marks it freed and puts it in
// quarantine, forgetting the oldest one if the ring of size ring is full;
// with no ring, it forgets it at once. The quarantine remembers the
// address, not the memory: a caller that can free the buffer again holds
// it, which keeps its address from being reused.
func (s *shardData) retire(i int32, ring int) {
	if ring == 0 {
		s.remove(i)
		return
	}
	p := &s.slots[i]
	p.freed, p.mem = true, nil
	if p.ext != nil {
		p.ext = nil
	}
	if len(s.q) < ring {
		s.q = append(s.q, i)
		return
	}
	s.remove(s.q[s.next])
	s.q[s.next] = i
	if s.next++; s.next == len(s.q) {
		s.next = 0
	}
}

// shard pads shardData to a multiple of 128 bytes so that neighbouring
// shards do not share a cache line.
type shard struct {
	shardData
	_ [128 - unsafe.Sizeof(shardData{})%128]byte
}

// core is the bookkeeping Heap and Malloc share. The zero value is ready.
type core struct {
	shards [shardCount]shard

	// inUse is written by every call: it has a cache line to itself,
	// away from the read-mostly fields every allocation reads.
	inUse atomic.Int64 // bytes in use
	_     [120]byte

	peak     atomic.Int64 // highest inUse
	limit    atomic.Int64 // limit+1; 0 for none
	failLeft atomic.Int64 // allocations left before failing, +1; 0 for off
	_        [104]byte

	failures atomic.Int64
	reallocs atomic.Int64
	mistakes [numMistakes]atomic.Int64
}

// shardOf returns the shard of address a: a hash of its 8 KiB page, so
// that buffers allocated one after the other (which Go places side by
// side) share a shard and its cache lines, while goroutines on other Ps,
// allocating from other spans, mostly use other shards.
func (c *core) shardOf(a uintptr) *shard {
	return &c.shards[uint64(a>>pageShift)*hashMul>>(64-shardBits)]
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

// sizeMistake checks a size argument.
func (c *core) sizeMistake(op opcode, size int) error {
	switch {
	case size < 0:
		return c.misuse(op, NegativeSize, size)
	case size > MaxSize:
		return c.misuse(op, SizeTooLarge, size)
	}
	return nil
}

// misuse counts a mistake and returns its error.
func (c *core) misuse(op opcode, m Mistake, size int) error {
	c.mistakes[m].Add(1)
	return &MisuseError{Op: op.String(), Mistake: m, Size: size}
}

// A verdict is what the bookkeeping says of a buffer argument.
type verdict uint8

const (
	usable   verdict = iota // a live root, exactly as handed out
	linked                  // a live linked buffer, exactly as handed out
	unknown                 // not the start of any buffer known
	freed                   // freed, in quarantine
	resliced                // the start of a known buffer, other len or cap
)

// judge gives the verdict on buf, whose entry is p (nil if none).
func judge(p *entry, buf []byte) verdict {
	switch {
	case p == nil:
		return unknown
	case p.freed:
		return freed
	case len(buf) != int(p.size) || cap(buf) != int(p.size):
		return resliced
	case p.root != 0:
		return linked
	}
	return usable
}

// reject counts and returns the mistake of passing buf to op with verdict
// v, as a buffer to free or, if parent, as AllocateMore's parent.
func (c *core) reject(op opcode, buf []byte, v verdict, parent bool) error {
	var m Mistake
	switch v {
	case unknown:
		m = FreeForeign
		if c.inside(addr(buf)) {
			m = FreeResliced
		}
	case freed:
		m = DoubleFree
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
	return c.misuse(op, m, len(buf))
}

// inside reports whether a points inside a buffer, live or quarantined,
// past its first byte: buf[i:] of a buffer handed out. It scans every
// shard, so only mistakes pay for it.
func (c *core) inside(a uintptr) bool {
	if a == 0 {
		return false
	}
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		for _, e := range s.slots {
			if base := e.key; base != 0 && a > base && a < base+uintptr(e.size) {
				s.mu.Unlock()
				return true
			}
		}
		s.mu.Unlock()
	}
	return false
}

// check returns buf's entry and the verdict on it.
func (c *core) check(buf []byte) (entry, verdict) {
	a := addr(buf)
	s := c.shardOf(a)
	s.mu.Lock()
	var e entry
	_, p := s.get(a)
	if p != nil {
		e = *p
	}
	v := judge(p, buf)
	s.mu.Unlock()
	return e, v
}

// live reports whether buf is a live buffer (root or linked) exactly as
// it was handed out, and returns its size.
func (c *core) live(buf []byte) (int, bool) {
	e, v := c.check(buf)
	return int(e.size), v == usable || v == linked
}

// reserve accounts for size more bytes, or refuses them with
// ErrNotEnoughMemory because of FailAfter or the limit.
func (c *core) reserve(op opcode, size int) error {
	for f := c.failLeft.Load(); f != 0; f = c.failLeft.Load() {
		if f == 1 {
			c.failures.Add(1)
			return mapispi.Errorf(mapispi.ErrNotEnoughMemory, "alloc", "%v(%d): failing as FailAfter asked", op, size)
		}
		if c.failLeft.CompareAndSwap(f, f-1) {
			break
		}
	}
	n := int64(size)
	var now int64
	if lim := c.limit.Load() - 1; lim >= 0 {
		for {
			cur := c.inUse.Load()
			if cur+n > lim {
				c.failures.Add(1)
				return mapispi.Errorf(mapispi.ErrNotEnoughMemory, "alloc", "%v(%d): %d bytes in use, limit %d", op, size, cur, lim)
			}
			if c.inUse.CompareAndSwap(cur, cur+n) {
				now = cur + n
				break
			}
		}
	} else {
		now = c.inUse.Add(n)
	}
	for p := c.peak.Load(); now > p; p = c.peak.Load() {
		if c.peak.CompareAndSwap(p, now) {
			break
		}
	}
	return nil
}

// newBuffer checks size, reserves it and allocates size zero-filled
// bytes, 8-byte aligned.
func (c *core) newBuffer(op opcode, size int) (unsafe.Pointer, error) {
	if err := c.sizeMistake(op, size); err != nil {
		return nil, err
	}
	if err := c.reserve(op, size); err != nil {
		return nil, err
	}
	return unsafe.Pointer(unsafe.SliceData(make([]uint64, words(size)))), nil
}

// insert records a new buffer.
func (c *core) insert(e entry) {
	s := c.shardOf(e.key)
	s.mu.Lock()
	s.add(e)
	if e.root == 0 {
		s.roots++
		s.allocs++
	} else {
		s.linked++
		s.mores++
	}
	s.mu.Unlock()
}

// alloc makes a new root buffer.
func (c *core) alloc(op opcode, size int, stack []uintptr) ([]byte, error) {
	mem, err := c.newBuffer(op, size)
	if err != nil {
		return nil, err
	}
	e := entry{key: uintptr(mem), mem: mem, size: int32(size), op: op}
	if stack != nil {
		e.ext = &extra{stack: stack}
	}
	c.insert(e)
	return unsafe.Slice((*byte)(mem), size), nil
}

// more makes a buffer linked to parent's root.
func (c *core) more(size int, parent []byte) ([]byte, error) {
	const op = opAllocateMore
	if err := c.sizeMistake(op, size); err != nil {
		return nil, err
	}
	e, v := c.check(parent)
	if v != usable && v != linked {
		return nil, c.reject(op, parent, v, true)
	}
	root := e.root
	if root == 0 {
		root = addr(parent)
	}
	mem, err := c.newBuffer(op, size)
	if err != nil {
		return nil, err
	}
	// Record the buffer before linking it, so that a FreeBuffer of the
	// root racing with this call either finds it among the root's links
	// or makes the link fail below.
	a := uintptr(mem)
	c.insert(entry{key: a, mem: mem, root: root, size: int32(size), op: op})
	rs := c.shardOf(root)
	rs.mu.Lock()
	_, re := rs.get(root)
	if re == nil || re.freed || re.root != 0 {
		rs.mu.Unlock()
		c.unlink(a, size)
		return nil, c.misuse(op, ParentFreed, len(parent))
	}
	if re.ext == nil {
		re.ext = new(extra)
	}
	re.ext.links = append(re.ext.links, a)
	re.ext.bytes += int64(size)
	rs.mu.Unlock()
	return unsafe.Slice((*byte)(mem), size), nil
}

// unlink forgets a linked buffer whose root was freed while AllocateMore
// was making it.
func (c *core) unlink(a uintptr, size int) {
	s := c.shardOf(a)
	s.mu.Lock()
	i, _ := s.get(a)
	s.remove(i)
	s.linked--
	s.mores--
	s.mu.Unlock()
	c.inUse.Add(-int64(size))
}

// perShard converts a Quarantine setting to a per-shard ring size.
func perShard(quarantine int) int {
	switch {
	case quarantine == 0:
		quarantine = DefaultQuarantine
	case quarantine < 0:
		return 0
	}
	return (quarantine + shardCount - 1) / shardCount
}

// poison overwrites a buffer's backing words with Poison.
func poison(mem unsafe.Pointer, size int32) {
	w := unsafe.Slice((*uint64)(mem), words(int(size)))
	for i := range w {
		w[i] = poisonWord
	}
}

// free frees a root buffer and the buffers linked to it.
func (c *core) free(op opcode, buf []byte, quarantine int) error {
	a := addr(buf)
	if a == 0 {
		return nil
	}
	s := c.shardOf(a)
	s.mu.Lock()
	i, p := s.get(a)
	if v := judge(p, buf); v != usable {
		s.mu.Unlock()
		return c.reject(op, buf, v, false)
	}
	mem, size, ext := p.mem, p.size, p.ext
	ring := perShard(quarantine)
	s.retire(i, ring)
	s.roots--
	s.frees++
	s.mu.Unlock()
	poison(mem, size)
	total := int64(size)
	if ext != nil {
		for _, k := range ext.links {
			c.freeLinked(k, ring)
		}
		total += ext.bytes
	}
	c.inUse.Add(-total)
	return nil
}

// freeLinked frees one linked buffer of a root being freed.
func (c *core) freeLinked(a uintptr, ring int) {
	s := c.shardOf(a)
	s.mu.Lock()
	i, p := s.get(a)
	mem, size := p.mem, p.size
	s.retire(i, ring)
	s.linked--
	s.mu.Unlock()
	poison(mem, size)
}

// realloc is IMalloc::Realloc.
func (c *core) realloc(buf []byte, size int, stack []uintptr, quarantine int) ([]byte, error) {
	const op = opRealloc
	if addr(buf) == 0 {
		nb, err := c.alloc(op, size, stack)
		if err == nil {
			c.reallocs.Add(1)
		}
		return nb, err
	}
	if err := c.sizeMistake(op, size); err != nil {
		return nil, err
	}
	if size == 0 {
		err := c.free(op, buf, quarantine)
		if err == nil {
			c.reallocs.Add(1)
		}
		return nil, err
	}
	if _, v := c.check(buf); v != usable {
		return nil, c.reject(op, buf, v, false)
	}
	nb, err := c.alloc(op, size, stack)
	if err != nil {
		return nil, err
	}
	copy(nb, buf)
	if err := c.free(op, buf, quarantine); err != nil {
		// Another goroutine freed buf meanwhile.
		c.free(op, nb, quarantine)
		return nil, err
	}
	c.reallocs.Add(1)
	return nb, nil
}

// flush empties the quarantine.
func (c *core) flush() {
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		for _, i := range s.q {
			s.remove(i)
		}
		s.q, s.next = nil, 0
		s.mu.Unlock()
	}
}

// setLimit and failAfter store their argument plus one, so that the zero
// value means "off".
func (c *core) setLimit(n int64) { c.limit.Store(max(n, -1) + 1) }

func (c *core) failAfter(n int) { c.failLeft.Store(int64(max(n, -1)) + 1) }

func (c *core) stats() Stats {
	var st Stats
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		st.Roots += s.roots
		st.Linked += s.linked
		st.Allocs += s.allocs
		st.Mores += s.mores
		st.Frees += s.frees
		s.mu.Unlock()
	}
	st.InUse = c.inUse.Load()
	st.Peak = c.peak.Load()
	st.Reallocs = c.reallocs.Load()
	st.Failures = c.failures.Load()
	for i := range c.mistakes {
		st.Mistakes[i] = c.mistakes[i].Load()
	}
	return st
}

// liveRoots counts the live root buffers.
func (c *core) liveRoots() int {
	n := int64(0)
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		n += s.roots
		s.mu.Unlock()
	}
	return int(n)
}

// checkLeaks returns one *LeakError per live root, largest first.
func (c *core) checkLeaks() error {
	var leaks []*LeakError
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		for _, e := range s.slots {
			if e.key == 0 || e.freed || e.root != 0 {
				continue
			}
			l := &LeakError{Op: e.op.String(), Size: int(e.size)}
			if e.ext != nil {
				l.Linked, l.LinkedBytes, l.Stack = len(e.ext.links), e.ext.bytes, e.ext.stack
			}
			leaks = append(leaks, l)
		}
		s.mu.Unlock()
	}
	if len(leaks) == 0 {
		return nil
	}
	slices.SortFunc(leaks, func(x, y *LeakError) int {
		return cmp.Or(
			cmp.Compare(int64(y.Size)+y.LinkedBytes, int64(x.Size)+x.LinkedBytes),
			cmp.Compare(y.Size, x.Size),
			cmp.Compare(y.Linked, x.Linked),
			cmp.Compare(x.Op, y.Op),
		)
	})
	errs := make([]error, len(leaks))
	for i, l := range leaks {
		errs[i] = l
	}
	return errors.Join(errs...)
}

// callers records the stack above the exported method that calls it
// when on is true.
func callers(on bool) []uintptr {
	if !on {
		return nil
	}
	var pcs [32]uintptr
	n := runtime.Callers(3, pcs[:])
	return slices.Clone(pcs[:n])
}
