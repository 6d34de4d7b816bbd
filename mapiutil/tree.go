package mapiutil

import (
	"encoding/binary"
	"slices"
	"unsafe"

	"github.com/mapiemu/mapiemu/mapispi"
)

// A tree holds the rows of a view (or, in TableData's base tree, the
// records in insertion order) in a counted B+tree: leaves hold up to fan
// rows in order, with each row's values in the view's columns, and inner
// nodes up to fan children with the number of rows under each, so that
// insert, delete, rank (a row's index) and select (the row at an index)
// cost O(log n) and touch a few runs of memory rather than one scattered
// node per level. Every row knows its leaf, so a cursor or bookmark can
// simply point at its row, and a page of rows is read by walking the
// leaves (and, after a rebuild, one block of columns in view order).
//
// Every entry also holds its row's ord, a coarse copy of its sort key
// (see ord), so that a search compares rows without reading them unless
// their ords are equal.

// node is one row of a view, or one record in the base tree.
type node struct {
	// What removing a row reads comes first, in one cache line.
	leaf    *bnode  // the leaf holding the node, while in a tree
	rec     *record // the record the row shows
	view    *View   // nil in the base tree
	visible bool    // in the view's tree (it matches the restriction)
	ownKey  bool    // ikey is the record's own PR_INSTANCE_KEY
	inst    int     // the MVI instance, or -1
	ord     ord     // the sort key's coarse form, fixed while in a tree

	instVal [1]mapispi.PropValue // the MVI instance's value, tagged with the column
	ikey    mapispi.PropValue    // the row's own PR_INSTANCE_KEY, when ownKey
	inum    uint64               // the view's instance key for the row, otherwise
	k0      sortKey              // the first sort column's value
	keys    []sortKey            // the other sort columns' values
}

// sortKey is one sort column's value for a row.
type sortKey struct {
	v       mapispi.PropValue
	present bool
}

// key returns n's value for sort column i.
func (n *node) key(i int) *sortKey {
	if i == 0 {
		return &n.k0
	}
	return &n.keys[i-1]
}

// instanceKey returns n's PR_INSTANCE_KEY. A key the view made is made
// into a value only when it is asked for, so that a row costs no
// allocations for it.
func (n *node) instanceKey() mapispi.PropValue {
	if n.ownKey {
		return n.ikey
	}
	return mapispi.PropValue{Tag: mapispi.PropInstanceKey, Value: n.ikeyBytes()}
}

// ikeyBytes returns n's instance key, which the caller may keep.
func (n *node) ikeyBytes() []byte {
	if n.ownKey {
		b, _ := n.ikey.Value.([]byte)
		return slices.Clone(b)
	}
	return binary.BigEndian.AppendUint64(nil, n.inum)
}

// fan is the most entries a tree node holds; every node but the root
// holds at least minFill, except the last leaf, which fills up as rows are
// added after it.
const (
	fan     = 64
	minFill = fan / 4
)

// bnode is a leaf or an inner node of a tree. Its entries are in order:
// in a leaf, rows with their columns; in an inner node, e[i].row is the
// first row under kids.kids[i]. Each entry fills one cache line, so that
// comparing with an entry reads one line and making room for a row moves
// one run of memory.
type bnode struct {
	parent     *bnode
	n          int
	kids       *kids                // nil in a leaf
	prev, next *bnode               // neighbouring leaves
	_          [64 - 5*ptrSize]byte // e starts on a cache line
	e          [fan]entry
}

// ptrSize is the size of a pointer, an int and a slice's words.
const ptrSize = unsafe.Sizeof(uintptr(0))

// entry is a row in a tree node, with a copy of its ord.
type entry struct {
	ord  ord
	_    [32 - 4*ptrSize]byte // 64 bytes on 32-bit platforms too
	row  *node
	cols []mapispi.PropValue // the row in the view's columns (leaves only)
}

type kids struct {
	kids   [fan]*bnode
	counts [fan]int // rows under each child
}

func (b *bnode) isLeaf() bool { return b.kids == nil }

// indexOf returns the index of child c in b.
func (b *bnode) indexOf(c *bnode) int {
	for i, k := range b.kids.kids[:b.n] {
		if k == c {
			return i
		}
	}
	panic("mapiutil: tree child not found in its parent")
}

// indexIn returns x's index in its leaf.
func indexIn(x *node) int {
	for i := range x.leaf.n {
		if x.leaf.e[i].row == x {
			return i
		}
	}
	panic("mapiutil: tree row not found in its leaf")
}

// colsOf returns x's row in its view's columns.
func colsOf(x *node) []mapispi.PropValue { return x.leaf.e[indexIn(x)].cols }

type tree struct {
	root  *bnode
	spare *bnode // the last root leaf, emptied, kept for the next insert
	size  int
	cmp   func(a, b *node) int // a total order on the rows, consistent with ords
}

func (t *tree) len() int { return t.size }

// upper returns how many of b's entries order before or at x.
func (t *tree) upper(b *bnode, x *node) int {
	lo, hi := 0, b.n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		e := &b.e[m]
		c := cmpOrd(&x.ord, &e.ord)
		if c == 0 {
			c = t.cmp(x, e.row)
		}
		if c < 0 {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// open makes room for k entries at index i of b.
func (b *bnode) open(i, k int) {
	copy(b.e[i+k:b.n+k], b.e[i:b.n])
	if b.kids != nil {
		copy(b.kids.kids[i+k:b.n+k], b.kids.kids[i:b.n])
		copy(b.kids.counts[i+k:b.n+k], b.kids.counts[i:b.n])
	}
	b.n += k
}

// close removes the k entries at index i of b.
func (b *bnode) close(i, k int) {
	copy(b.e[i:], b.e[i+k:b.n])
	clear(b.e[b.n-k : b.n])
	if b.kids != nil {
		copy(b.kids.kids[i:], b.kids.kids[i+k:b.n])
		copy(b.kids.counts[i:], b.kids.counts[i+k:b.n])
		clear(b.kids.kids[b.n-k : b.n])
		clear(b.kids.counts[b.n-k : b.n])
	}
	b.n -= k
}

// copyIn copies k entries of src from index j to index i of b, which
// has room for them, and makes b their leaf or parent.
func (b *bnode) copyIn(i int, src *bnode, j, k int) {
	copy(b.e[i:i+k], src.e[j:j+k])
	if b.kids == nil {
		for j := i; j < i+k; j++ {
			b.e[j].row.leaf = b
		}
	} else {
		copy(b.kids.kids[i:i+k], src.kids.kids[j:j+k])
		copy(b.kids.counts[i:i+k], src.kids.counts[j:j+k])
		for _, c := range b.kids.kids[i : i+k] {
			c.parent = b
		}
	}
}

// insertRow puts row x with its columns at index i of the leaf b.
func (b *bnode) insertRow(i int, x *node, cols []mapispi.PropValue) {
	b.open(i, 1)
	b.e[i] = entry{ord: x.ord, row: x, cols: cols}
	x.leaf = b
}

// insertKid puts child c, holding count rows, at index i of the inner
// node b.
func (b *bnode) insertKid(i int, c *bnode, count int) {
	b.open(i, 1)
	b.e[i] = entry{ord: c.e[0].ord, row: c.e[0].row}
	b.kids.kids[i], b.kids.counts[i] = c, count
	c.parent = b
}

// moveTo moves k of b's entries from index i to index j of dst.
func (b *bnode) moveTo(i, k int, dst *bnode, j int) {
	dst.open(j, k)
	dst.copyIn(j, b, i, k)
	b.close(i, k)
}

// total returns the number of rows under b.
func (b *bnode) total() int {
	if b.kids == nil {
		return b.n
	}
	s := 0
	for _, c := range b.kids.counts[:b.n] {
		s += c
	}
	return s
}

// addCount adds d to the counts on the path from b to the root.
func addCount(b *bnode, d int) {
	for ; b.parent != nil; b = b.parent {
		b.parent.kids.counts[b.parent.indexOf(b)] += d
	}
}

// fixFirst copies b's first entry into its ancestors after it changed.
func fixFirst(b *bnode) {
	for p := b.parent; p != nil; b, p = p, p.parent {
		i := p.indexOf(b)
		p.e[i].ord, p.e[i].row = b.e[0].ord, b.e[0].row
		if i != 0 {
			return
		}
	}
}

// insert adds x (in no tree), whose row in the view's columns is cols,
// in its sorted place.
func (t *tree) insert(x *node, cols []mapispi.PropValue) {
	t.size++
	if t.root == nil {
		// A table that empties and fills again (a status table, a queue)
		// reuses its leaf instead of making a 4 KiB node each time.
		t.root, t.spare = t.spare, nil
		if t.root == nil {
			t.root = &bnode{}
		}
	}
	b := t.root
	for !b.isLeaf() {
		b = b.kids.kids[max(0, t.upper(b, x)-1)]
	}
	i := t.upper(b, x)
	if b.n < fan {
		b.insertRow(i, x, cols)
		addCount(b, 1)
		if i == 0 {
			fixFirst(b)
		}
		return
	}
	// A full leaf gives its upper half to a new leaf; but a row added
	// after the last one starts a new leaf of its own, so that rows added
	// in order (as in insertion order) leave full leaves behind.
	at := fan / 2
	if i == fan && b.next == nil {
		at = fan
	}
	r := &bnode{prev: b, next: b.next}
	if b.next != nil {
		b.next.prev = r
	}
	b.next = r
	if at == fan {
		r.insertRow(0, x, cols)
		t.attach(b, r, 0)
	} else {
		b.moveTo(at, fan-at, r, 0)
		t.attach(b, r, fan-at)
		if i > at {
			r.insertRow(i-at, x, cols)
		} else {
			b.insertRow(i, x, cols)
		}
	}
	addCount(x.leaf, 1)
	if i == 0 {
		fixFirst(b)
	}
}

// attach puts r, which took the last moved rows of b (and no others),
// after b in b's parent, splitting the parent when it is full.
func (t *tree) attach(b, r *bnode, moved int) {
	if b.parent == nil {
		root := &bnode{kids: &kids{}}
		root.insertKid(0, b, b.total()+moved)
		t.root = root
	}
	p := b.parent
	i := p.indexOf(b)
	if p.n == fan {
		pr := &bnode{kids: &kids{}}
		k := fan - fan/2
		rows := 0
		for _, c := range p.kids.counts[fan/2:] {
			rows += c
		}
		p.moveTo(fan/2, k, pr, 0)
		t.attach(p, pr, rows)
		if i >= p.n {
			i -= p.n
			p = pr
		}
	}
	p.kids.counts[i] -= moved
	p.insertKid(i+1, r, moved)
}

// remove takes x out of the tree and returns the row that followed it,
// or nil.
func (t *tree) remove(x *node) *node {
	b := x.leaf
	i := indexIn(x)
	b.close(i, 1)
	x.leaf = nil
	t.size--
	var succ *node
	switch {
	case i < b.n:
		succ = b.e[i].row
	case b.next != nil:
		succ = b.next.e[0].row
	}
	addCount(b, -1)
	if i == 0 && b.n > 0 {
		fixFirst(b)
	}
	t.rebalance(b)
	return succ
}

// rebalance restores the fill of b after a removal: a node below minFill
// merges with a sibling or takes entries from it, and a root with one
// child gives way to it.
func (t *tree) rebalance(b *bnode) {
	for {
		p := b.parent
		if p == nil {
			switch {
			case b.n == 0:
				t.root = nil
				if b.isLeaf() { // empty: its entries are cleared
					b.prev, b.next = nil, nil
					t.spare = b
				}
			case !b.isLeaf() && b.n == 1:
				t.root = b.kids.kids[0]
				t.root.parent = nil
			}
			return
		}
		if b.n >= minFill {
			return
		}
		j := p.indexOf(b)
		if j == 0 {
			j = 1
		}
		l, r := p.kids.kids[j-1], p.kids.kids[j]
		if l.n+r.n <= fan {
			// Merge r into l.
			p.kids.counts[j-1] += p.kids.counts[j]
			r.moveTo(0, r.n, l, l.n)
			if l.isLeaf() {
				l.next = r.next
				if r.next != nil {
					r.next.prev = l
				}
			}
			p.close(j, 1)
			b = p
			continue
		}
		// Share evenly: l's first entry does not change, r's does.
		want := (l.n + r.n) / 2
		before := r.total()
		if l.n > want {
			l.moveTo(want, l.n-want, r, 0)
		} else {
			r.moveTo(0, want-l.n, l, l.n)
		}
		d := r.total() - before
		p.kids.counts[j] += d
		p.kids.counts[j-1] -= d
		p.e[j].ord, p.e[j].row = r.e[0].ord, r.e[0].row
		return
	}
}

// rank returns x's 0-based index in its tree.
func rank(x *node) int {
	r := indexIn(x)
	for b := x.leaf; b.parent != nil; b = b.parent {
		p := b.parent
		for _, c := range p.kids.counts[:p.indexOf(b)] {
			r += c
		}
	}
	return r
}

// at returns the row at index i, or nil when i is out of range.
func (t *tree) at(i int) *node {
	if i < 0 || i >= t.size {
		return nil
	}
	b := t.root
	for !b.isLeaf() {
		j := 0
		for i >= b.kids.counts[j] {
			i -= b.kids.counts[j]
			j++
		}
		b = b.kids.kids[j]
	}
	return b.e[i].row
}

func (t *tree) firstLeaf() *bnode {
	b := t.root
	for b != nil && !b.isLeaf() {
		b = b.kids.kids[0]
	}
	return b
}

func (t *tree) first() *node {
	if b := t.firstLeaf(); b != nil {
		return b.e[0].row
	}
	return nil
}

func (t *tree) last() *node {
	b := t.root
	for b != nil && !b.isLeaf() {
		b = b.kids.kids[b.n-1]
	}
	if b == nil {
		return nil
	}
	return b.e[b.n-1].row
}

// next returns the row after x, or nil.
func next(x *node) *node {
	b, i := x.leaf, indexIn(x)
	if i+1 < b.n {
		return b.e[i+1].row
	}
	if b.next != nil {
		return b.next.e[0].row
	}
	return nil
}

// prev returns the row before x, or nil.
func prev(x *node) *node {
	b, i := x.leaf, indexIn(x)
	if i > 0 {
		return b.e[i-1].row
	}
	if b.prev != nil {
		return b.prev.e[b.prev.n-1].row
	}
	return nil
}

// iter walks rows in order from a row without searching its leaf again
// at each step.
type iter struct {
	b *bnode
	i int
}

// iterFrom returns an iterator whose next call returns x (nil for none).
func iterFrom(x *node) iter {
	if x == nil {
		return iter{}
	}
	return iter{x.leaf, indexIn(x)}
}

func (t *tree) iterFirst() iter { return iter{t.firstLeaf(), 0} }

// next returns the iterator's row and its columns and moves past it, or
// nil at the end.
func (it *iter) next() (*node, []mapispi.PropValue) {
	if it.b == nil {
		return nil, nil
	}
	x, cols := it.b.e[it.i].row, it.b.e[it.i].cols
	it.i++
	if it.i == it.b.n {
		it.b, it.i = it.b.next, 0
	}
	return x, cols
}

// prev returns the iterator's row and moves to the one before it, or
// nil before the first.
func (it *iter) prev() *node {
	if it.b == nil {
		return nil
	}
	x := it.b.e[it.i].row
	it.i--
	if it.i < 0 {
		it.b = it.b.prev
		if it.b != nil {
			it.i = it.b.n - 1
		}
	}
	return x
}

// peek returns the row next returns, or nil at the end.
func (it *iter) peek() *node {
	if it.b == nil {
		return nil
	}
	return it.b.e[it.i].row
}

// build replaces the tree with n rows in sorted order, in O(n): full
// leaves and inner nodes, made level by level from the bottom. row(p)
// returns the row at position p, its ord and its columns. build does not
// touch the rows themselves: it returns the leaf of each position, and
// the caller sets each row's leaf, in the order its memory prefers.
func (t *tree) build(n int, row func(p int) (*node, ord, []mapispi.PropValue)) []*bnode {
	t.root, t.size = nil, n
	if n == 0 {
		return nil
	}
	leafAt := make([]*bnode, n)
	level := make([]*bnode, 0, (n+fan-1)/fan)
	var prev *bnode
	p := 0
	for _, part := range parts(n) {
		b := &bnode{prev: prev}
		if prev != nil {
			prev.next = b
		}
		for j := range part {
			e := &b.e[j]
			e.row, e.ord, e.cols = row(p)
			leafAt[p] = b
			p++
		}
		b.n = part
		level = append(level, b)
		prev = b
	}
	for len(level) > 1 {
		up := level[:0:0]
		for _, part := range parts(len(level)) {
			b := &bnode{kids: &kids{}}
			for _, c := range level[:part] {
				b.insertKid(b.n, c, c.total())
			}
			level = level[part:]
			up = append(up, b)
		}
		level = up
	}
	t.root = level[0]
	return leafAt
}

// parts divides n entries into the fewest nodes, as evenly as possible
// (so that each holds at least fan/2 when there are several).
func parts(n int) []int {
	k := (n + fan - 1) / fan
	out := make([]int, k)
	for i := range out {
		out[i] = n / k
		if i < n%k {
			out[i]++
		}
	}
	return out
}

// appendAll appends the tree's rows in order.
func (t *tree) appendAll(out []*node) []*node {
	for b := t.firstLeaf(); b != nil; b = b.next {
		for _, e := range b.e[:b.n] {
			out = append(out, e.row)
		}
	}
	return out
}
