package mapiutil

import (
	"bytes"
	"encoding/binary"
	"iter"
	"slices"

	"github.com/mapiemu/mapiemu/mapispi"
)

// A tree holds the rows of a view (or, in TableData's base tree, the
// records in insertion order) in a counted B+tree: leaves hold up to fan
// rows in order, inner nodes up to fan children with the number of rows
// under each. Insert, remove, rank (a row's index) and select (the row at
// an index) cost O(log n) and read a few runs of memory, not one
// scattered node per level. Each row knows its leaf, so a cursor or
// bookmark simply points at its row.
//
// Beside each row a node keeps its ord (see ord.go), so that a search
// reads a row only when their ords are equal.

// node is one row of a view, or one record in the base tree.
type node struct {
	// What a change reads comes first.
	leaf    *bnode // the leaf holding the row, while in a tree
	rec     *record
	more    *node // the record's next row in the same view (MVI instances)
	visible bool  // in the view's tree (it matches the restriction)
	inst    int   // the MVI instance, or -1
	k0      sortKey
	keys    []sortKey           // the sort columns' values after the first
	cols    []mapispi.PropValue // the row in the view's columns, while visible
	id      rowID
	instVal [1]mapispi.PropValue // the MVI instance's value, tagged with the column
}

// key returns n's value for sort column i.
func (n *node) key(i int) *sortKey {
	if i == 0 {
		return &n.k0
	}
	return &n.keys[i-1]
}

// sortKey is one sort column's value for a row; a string's collation key
// is computed once, when the row gets its keys.
type sortKey struct {
	v       mapispi.PropValue
	present bool
	text    bool   // v holds a string, and coll its collation key
	coll    []byte // nil in code unit order
}

// rowID is a view row's PR_INSTANCE_KEY.
type rowID struct {
	own bool              // key is the record's own PR_INSTANCE_KEY
	key mapispi.PropValue // the record's own, when own
	num uint64            // the view's instance key for the row, otherwise
}

// instanceKey returns the row's PR_INSTANCE_KEY. A key the view made is
// made into a value only when it is asked for, so that a row costs no
// allocations for it.
func (id *rowID) instanceKey() mapispi.PropValue {
	if id.own {
		return id.key
	}
	return mapispi.PropValue{Tag: mapispi.PropInstanceKey, Value: id.bytes()}
}

// same reports whether id and o are the same key. A row's own key is a
// []byte, which == on rowIDs cannot compare.
func (id *rowID) same(o *rowID) bool {
	if id.own != o.own || id.num != o.num {
		return false
	}
	if !id.own {
		return true
	}
	a, _ := id.key.Value.([]byte)
	b, _ := o.key.Value.([]byte)
	return id.key.Tag == o.key.Tag && bytes.Equal(a, b)
}

// bytes returns the row's instance key, which the caller may keep.
func (id *rowID) bytes() []byte {
	if id.own {
		b, _ := id.key.Value.([]byte)
		return slices.Clone(b)
	}
	return binary.BigEndian.AppendUint64(nil, id.num)
}

// fan is the most entries a tree node holds; every node but the root
// holds at least minFill, except the last leaf, which fills up as rows are
// added after it.
const (
	fan     = 64
	minFill = fan / 4
)

// bnode is a leaf or an inner node. Its entries are in order: in a leaf,
// rows; in an inner node, children, entry i being the first row under
// child i. Ords come first and alone, so that a search reads one run of
// them.
type bnode struct {
	ords       [fan]ord
	rows       [fan]*node
	n          int
	parent     *bnode
	inner      *inner // nil in a leaf
	prev, next *bnode // neighbouring leaves
}

type inner struct {
	kids   [fan]*bnode
	counts [fan]int // rows under each child
}

// entry is a row and its ord, on their way into a tree.
type entry struct {
	ord ord
	row *node
}

type tree struct {
	root *bnode
	size int
	cmp  func(a, b *node) int // a total order on the rows, consistent with their ords
}

func (t *tree) len() int { return t.size }

// order orders two rows with their ords: by the ords, then by the
// tree's comparison.
func (t *tree) order(a *ord, x *node, b *ord, y *node) int {
	if c := cmpOrd(a, b); c != 0 {
		return c
	}
	return t.cmp(x, y)
}

// upper returns how many of b's entries order before or at e.
func (t *tree) upper(b *bnode, e *entry) int {
	lo, hi := 0, b.n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if t.order(&e.ord, e.row, &b.ords[m], b.rows[m]) < 0 {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// index returns x's index in its leaf, or a child's in its parent.
func (b *bnode) index(x *node) int     { return slices.Index(b.rows[:b.n], x) }
func (b *bnode) kidIndex(c *bnode) int { return slices.Index(b.inner.kids[:b.n], c) }

// total returns the number of rows under b.
func (b *bnode) total() int {
	if b.inner == nil {
		return b.n
	}
	s := 0
	for _, c := range b.inner.counts[:b.n] {
		s += c
	}
	return s
}

// open makes room for k entries at index i of b.
func (b *bnode) open(i, k int) {
	copy(b.ords[i+k:b.n+k], b.ords[i:b.n])
	copy(b.rows[i+k:b.n+k], b.rows[i:b.n])
	if b.inner != nil {
		copy(b.inner.kids[i+k:b.n+k], b.inner.kids[i:b.n])
		copy(b.inner.counts[i+k:b.n+k], b.inner.counts[i:b.n])
	}
	b.n += k
}

// close removes the k entries at index i of b.
func (b *bnode) close(i, k int) {
	copy(b.ords[i:], b.ords[i+k:b.n])
	copy(b.rows[i:], b.rows[i+k:b.n])
	clear(b.rows[b.n-k : b.n])
	if b.inner != nil {
		copy(b.inner.kids[i:], b.inner.kids[i+k:b.n])
		copy(b.inner.counts[i:], b.inner.counts[i+k:b.n])
		clear(b.inner.kids[b.n-k : b.n])
	}
	b.n -= k
}

// put sets entry i of b: row x in a leaf, or child c in an inner node.
func (b *bnode) put(i int, o ord, x *node, c *bnode) {
	b.ords[i], b.rows[i] = o, x
	if c == nil {
		x.leaf = b
		return
	}
	b.inner.kids[i], b.inner.counts[i] = c, c.total()
	c.parent = b
}

// move moves k entries of src from index si to index di of dst.
func move(dst *bnode, di int, src *bnode, si, k int) {
	dst.open(di, k)
	for j := range k {
		var c *bnode
		if src.inner != nil {
			c = src.inner.kids[si+j]
		}
		dst.put(di+j, src.ords[si+j], src.rows[si+j], c)
	}
	src.close(si, k)
}

// addCount adds d to the counts on the path from b to the root.
func addCount(b *bnode, d int) {
	for ; b.parent != nil; b = b.parent {
		b.parent.inner.counts[b.parent.kidIndex(b)] += d
	}
}

// recount sets the counts on the path from b to the root anew.
func recount(b *bnode) {
	for ; b.parent != nil; b = b.parent {
		b.parent.inner.counts[b.parent.kidIndex(b)] = b.total()
	}
}

// fixFirst copies b's first entry into its ancestors after it changed.
func fixFirst(b *bnode) {
	for p := b.parent; p != nil && b.n > 0; b, p = p, p.parent {
		i := p.kidIndex(b)
		p.ords[i], p.rows[i] = b.ords[0], b.rows[0]
		if i != 0 {
			return
		}
	}
}

// insert adds e's row (in no tree) in its sorted place.
func (t *tree) insert(e entry) {
	t.size++
	if t.root == nil {
		t.root = &bnode{}
	}
	b := t.root
	for b.inner != nil {
		b = b.inner.kids[max(0, t.upper(b, &e)-1)]
	}
	i := t.upper(b, &e)
	if b.n == fan {
		b, i = t.split(b, i)
	}
	b.open(i, 1)
	b.put(i, e.ord, e.row, nil)
	addCount(b, 1)
	if i == 0 {
		fixFirst(b)
	}
}

// split moves the upper half of the full node b to a new node after it,
// and returns where the entry that was to go at index i of b goes. A last
// leaf that gains a row at its end keeps its rows, so that rows added in
// order (as in the base tree) leave full leaves behind.
func (t *tree) split(b *bnode, i int) (*bnode, int) {
	r := &bnode{}
	at := fan / 2
	if b.inner != nil {
		r.inner = &inner{}
	} else {
		if i == fan && b.next == nil {
			at = fan
		}
		r.prev, r.next = b, b.next
		if b.next != nil {
			b.next.prev = r
		}
		b.next = r
	}
	move(r, 0, b, at, fan-at)
	if b.parent == nil {
		t.root = &bnode{inner: &inner{}}
		t.root.open(0, 1)
		t.root.put(0, b.ords[0], b.rows[0], b)
	}
	p, j := b.parent, b.parent.kidIndex(b)+1
	if p.n == fan {
		p, j = t.split(p, j)
	}
	p.open(j, 1)
	p.put(j, r.ords[0], r.rows[0], r) // an empty r gets its first row next
	if j == 0 {
		fixFirst(p)
	}
	recount(b)
	recount(r)
	if i < at {
		return b, i
	}
	return r, i - at
}

// remove takes x out of the tree and returns the row that followed it,
// or nil.
func (t *tree) remove(x *node) *node {
	b := x.leaf
	i := b.index(x)
	var succ *node
	switch {
	case i+1 < b.n:
		succ = b.rows[i+1]
	case b.next != nil:
		succ = b.next.rows[0]
	}
	b.close(i, 1)
	x.leaf = nil
	t.size--
	addCount(b, -1)
	if i == 0 {
		fixFirst(b)
	}
	t.rebalance(b)
	return succ
}

// rebalance restores the fill of b after a removal: a node below minFill
// merges with a sibling, or takes entries from it, and a root with one
// child gives way to it.
func (t *tree) rebalance(b *bnode) {
	for b.parent != nil && b.n < minFill {
		p := b.parent
		j := max(1, p.kidIndex(b))
		l, r := p.inner.kids[j-1], p.inner.kids[j]
		if l.n+r.n > fan {
			// Share evenly; l's first entry stays, r's changes.
			if want := (l.n + r.n) / 2; l.n > want {
				move(r, 0, l, want, l.n-want)
			} else {
				move(l, l.n, r, 0, want-l.n)
			}
			p.put(j-1, p.ords[j-1], p.rows[j-1], l)
			p.put(j, r.ords[0], r.rows[0], r)
			return
		}
		move(l, l.n, r, 0, r.n)
		fixFirst(l) // in case l was empty
		if l.inner == nil {
			l.next = r.next
			if r.next != nil {
				r.next.prev = l
			}
		}
		p.close(j, 1)
		p.inner.counts[j-1] = l.total()
		b = p
	}
	switch {
	case b.parent != nil:
	case b.n == 0:
		t.root = nil
	case b.inner != nil && b.n == 1:
		t.root = b.inner.kids[0]
		t.root.parent = nil
	}
}

// rank returns x's 0-based index in its tree.
func rank(x *node) int {
	r := x.leaf.index(x)
	for b := x.leaf; b.parent != nil; b = b.parent {
		for _, c := range b.parent.inner.counts[:b.parent.kidIndex(b)] {
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
	for b.inner != nil {
		j := 0
		for i >= b.inner.counts[j] {
			i -= b.inner.counts[j]
			j++
		}
		b = b.inner.kids[j]
	}
	return b.rows[i]
}

func (t *tree) first() *node { return t.at(0) }
func (t *tree) last() *node  { return t.at(t.size - 1) }

// prev returns the row before x, or nil.
func prev(x *node) *node {
	for y := range walk(x, true) {
		if y != x {
			return y
		}
	}
	return nil
}

// walk yields x, if not nil, and the rows after it, or before it when
// back. The tree must not change during the walk.
func walk(x *node, back bool) iter.Seq[*node] {
	return func(yield func(*node) bool) {
		if x == nil {
			return
		}
		b := x.leaf
		for i := b.index(x); b != nil; {
			if !yield(b.rows[i]) {
				return
			}
			switch {
			case !back && i+1 < b.n:
				i++
			case !back:
				b, i = b.next, 0
			case i > 0:
				i--
			default:
				if b = b.prev; b != nil {
					i = b.n - 1
				}
			}
		}
	}
}

// all yields the tree's rows in order.
func (t *tree) all() iter.Seq[*node] { return walk(t.first(), false) }

// after returns the first row that orders after e, whose row is in no
// tree, or nil.
func (t *tree) after(e entry) *node {
	if t.root == nil {
		return nil
	}
	b := t.root
	for b.inner != nil {
		b = b.inner.kids[max(0, t.upper(b, &e)-1)]
	}
	if i := t.upper(b, &e); i < b.n {
		return b.rows[i]
	}
	if b.next != nil {
		return b.next.rows[0]
	}
	return nil
}

// detach empties the tree, leaving each of its rows in no tree, and
// returns its first leaf, from which the old leaves still list the rows
// (or nil when it was empty).
func (t *tree) detach() *bnode {
	if t.root == nil {
		return nil
	}
	first := t.first().leaf
	for b := first; b != nil; b = b.next {
		for _, n := range b.rows[:b.n] {
			n.leaf = nil
		}
	}
	t.root, t.size = nil, 0
	return first
}

// build replaces the tree with rows in sorted order, in O(n): full
// leaves, then the inner nodes above them, level by level.
func (t *tree) build(rows []entry) {
	t.root, t.size = nil, len(rows)
	var level []*bnode
	var prev *bnode
	for _, k := range parts(len(rows)) {
		b := &bnode{prev: prev, n: k}
		if prev != nil {
			prev.next = b
		}
		for i, e := range rows[:k] {
			b.put(i, e.ord, e.row, nil)
		}
		rows = rows[k:]
		level = append(level, b)
		prev = b
	}
	for len(level) > 1 {
		var up []*bnode
		for _, k := range parts(len(level)) {
			b := &bnode{inner: &inner{}, n: k}
			for i, c := range level[:k] {
				b.put(i, c.ords[0], c.rows[0], c)
			}
			level = level[k:]
			up = append(up, b)
		}
		level = up
	}
	if len(level) == 1 {
		t.root = level[0]
	}
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
