package mapiutil

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"slices"

	"github.com/mapiemu/mapiemu/mapispi"
)

// A tree holds the rows of a view (or, in TableData's base tree, the
// records in insertion order) in a counted treap: a binary search tree
// ordered by the tree's comparison and heap-ordered by random
// priorities, whose nodes know their parents and subtree sizes. Insert,
// remove, rank (a row's index) and select (the row at an index) cost
// O(log n) expected, and a row's neighbours are found without a search,
// so a cursor or bookmark simply points at its row.

// node is one row of a view, or one record in the base tree.
type node struct {
	// What a search and a rotation read comes first.
	left, right, parent *node
	size                int
	prio                uint64
	rec                 *record
	k0                  sortKey             // the first sort column's value, while visible
	keys                []sortKey           // the other sort columns' values
	cols                []mapispi.PropValue // the row in the view's columns, while visible

	view    *View // nil in the base tree
	more    *node // the record's next row in the same view (MVI instances)
	visible bool  // in the view's tree (it matches the restriction)
	inst    int   // the MVI instance, or -1
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

// rowID is a view row's PR_INSTANCE_KEY.
type rowID struct {
	own bool              // key is the record's own PR_INSTANCE_KEY
	key mapispi.PropValue // the record's own, when own
	num uint64            // the view's instance key for the row, otherwise
}

// sortKey is one sort column's value for a row; a string's collation key
// is computed once, when the row gets its keys.
type sortKey struct {
	v       mapispi.PropValue
	present bool
	text    bool      // v holds a string, and coll its collation key
	pfx     [2]uint64 // coll's first 16 bytes, zero-padded, for a comparison that reads no other memory
	coll    []byte    // nil in code unit order
}

// compareColl orders two collation keys bytewise, comparing their
// prefixes first.
func compareColl(a, b *sortKey) int {
	if a.pfx != b.pfx {
		if a.pfx[0] != b.pfx[0] {
			return cmp.Compare(a.pfx[0], b.pfx[0])
		}
		return cmp.Compare(a.pfx[1], b.pfx[1])
	}
	return bytes.Compare(a.coll, b.coll)
}

// setColl sets k's collation key and its prefix.
func (k *sortKey) setColl(key []byte) {
	var w [16]byte
	copy(w[:], key)
	k.text, k.coll = true, key
	k.pfx = [2]uint64{binary.BigEndian.Uint64(w[:8]), binary.BigEndian.Uint64(w[8:])}
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

// bytes returns the row's instance key, which the caller may keep.
func (id *rowID) bytes() []byte {
	if id.own {
		b, _ := id.key.Value.([]byte)
		return slices.Clone(b)
	}
	return binary.BigEndian.AppendUint64(nil, id.num)
}

func size(n *node) int {
	if n == nil {
		return 0
	}
	return n.size
}

type tree struct {
	root *node
	rng  uint64
	cmp  func(a, b *node) int // a total order on the rows
}

func (t *tree) len() int { return size(t.root) }

// rand returns a pseudo-random priority (xorshift64*).
func (t *tree) rand() uint64 {
	if t.rng == 0 {
		t.rng = 0x9E3779B97F4A7C15
	}
	t.rng ^= t.rng >> 12
	t.rng ^= t.rng << 25
	t.rng ^= t.rng >> 27
	return t.rng * 0x2545F4914F6CDD1D
}

func (t *tree) replaceChild(parent, old, new *node) {
	switch {
	case parent == nil:
		t.root = new
	case parent.left == old:
		parent.left = new
	default:
		parent.right = new
	}
	if new != nil {
		new.parent = parent
	}
}

// rotateUp moves x above its parent.
func (t *tree) rotateUp(x *node) {
	p := x.parent
	g := p.parent
	if p.left == x {
		p.left = x.right
		if x.right != nil {
			x.right.parent = p
		}
		x.right = p
	} else {
		p.right = x.left
		if x.left != nil {
			x.left.parent = p
		}
		x.left = p
	}
	p.parent = x
	t.replaceChild(g, p, x)
	p.size = 1 + size(p.left) + size(p.right)
	x.size = 1 + size(x.left) + size(x.right)
}

// insert adds x (in no tree) in its sorted place.
func (t *tree) insert(x *node) {
	x.left, x.right, x.parent, x.size = nil, nil, nil, 1
	x.prio = t.rand()
	if t.root == nil {
		t.root = x
		return
	}
	p := t.root
	for {
		p.size++
		if t.cmp(x, p) < 0 {
			if p.left == nil {
				p.left = x
				break
			}
			p = p.left
		} else {
			if p.right == nil {
				p.right = x
				break
			}
			p = p.right
		}
	}
	x.parent = p
	for x.parent != nil && x.prio > x.parent.prio {
		t.rotateUp(x)
	}
}

// remove takes x out of the tree and returns the row that followed it,
// or nil.
func (t *tree) remove(x *node) *node {
	succ := next(x)
	for x.left != nil && x.right != nil {
		c := x.left
		if x.right.prio > c.prio {
			c = x.right
		}
		t.rotateUp(c)
	}
	child := x.left
	if child == nil {
		child = x.right
	}
	p := x.parent
	t.replaceChild(p, x, child)
	for ; p != nil; p = p.parent {
		p.size--
	}
	x.left, x.right, x.parent, x.size = nil, nil, nil, 0
	return succ
}

// rank returns x's 0-based index in its tree.
func rank(x *node) int {
	r := size(x.left)
	for ; x.parent != nil; x = x.parent {
		if x == x.parent.right {
			r += size(x.parent.left) + 1
		}
	}
	return r
}

// at returns the row at index i, or nil when i is out of range.
func (t *tree) at(i int) *node {
	if i < 0 || i >= t.len() {
		return nil
	}
	n := t.root
	for {
		switch l := size(n.left); {
		case i < l:
			n = n.left
		case i == l:
			return n
		default:
			i -= l + 1
			n = n.right
		}
	}
}

func (t *tree) first() *node {
	n := t.root
	for n != nil && n.left != nil {
		n = n.left
	}
	return n
}

func (t *tree) last() *node {
	n := t.root
	for n != nil && n.right != nil {
		n = n.right
	}
	return n
}

// next returns the row after x, or nil.
func next(x *node) *node {
	if x.right != nil {
		x = x.right
		for x.left != nil {
			x = x.left
		}
		return x
	}
	for x.parent != nil && x == x.parent.right {
		x = x.parent
	}
	return x.parent
}

// prev returns the row before x, or nil.
func prev(x *node) *node {
	if x.left != nil {
		x = x.left
		for x.right != nil {
			x = x.right
		}
		return x
	}
	for x.parent != nil && x == x.parent.left {
		x = x.parent
	}
	return x.parent
}

// build replaces the tree with rows, which are in sorted order, in O(n):
// the Cartesian tree of new random priorities, which is the treap of
// those rows.
func (t *tree) build(rows []*node) {
	t.root = nil
	stack := make([]*node, 0, 64)
	for _, x := range rows {
		x.left, x.right, x.parent = nil, nil, nil
		x.prio = t.rand()
		var last *node
		for len(stack) > 0 && stack[len(stack)-1].prio < x.prio {
			last = stack[len(stack)-1]
			stack = stack[:len(stack)-1]
		}
		x.left = last
		if last != nil {
			last.parent = x
		}
		if len(stack) > 0 {
			top := stack[len(stack)-1]
			top.right = x
			x.parent = top
		}
		stack = append(stack, x)
	}
	if len(stack) == 0 {
		return
	}
	t.root = stack[0]
	setSizes(t.root)
}

// setSizes sets the subtree sizes under n, children first, without
// recursion (a treap may be deep by chance).
func setSizes(n *node) {
	order := []*node{n}
	for i := 0; i < len(order); i++ {
		if l := order[i].left; l != nil {
			order = append(order, l)
		}
		if r := order[i].right; r != nil {
			order = append(order, r)
		}
	}
	for i := len(order) - 1; i >= 0; i-- {
		n := order[i]
		n.size = 1 + size(n.left) + size(n.right)
	}
}

// appendAll appends the tree's rows in order.
func (t *tree) appendAll(out []*node) []*node {
	for n := t.first(); n != nil; n = next(n) {
		out = append(out, n)
	}
	return out
}
