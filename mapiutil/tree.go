package mapiutil

import "github.com/mapiemu/mapiemu/mapispi"

// node is one row of a view (or, in TableData's base tree, one record) in
// an order-statistic treap: a binary search tree ordered by the tree's
// comparison, heap-ordered by random priorities, whose nodes know their
// subtree sizes and parents. That gives O(log n) expected insert, delete,
// rank (a node's index) and select (the node at an index), and in-order
// neighbours without a search, so a cursor or bookmark can simply point
// at its node.
type node struct {
	left, right, parent *node
	size                int
	prio                uint64

	rec     *record
	props   []mapispi.PropValue // rec.props, kept here for locality
	view    *View               // nil in the base tree
	inst    int                 // the MVI instance, or -1
	instVal mapispi.PropValue   // the MVI instance's value, tagged with the column
	ikey    []byte              // PR_INSTANCE_KEY in this view
	ikeyPV  mapispi.PropValue   // ikey as a PR_INSTANCE_KEY value
	ownKey  bool                // ikey is the record's own PR_INSTANCE_KEY
	k0      sortKey             // the first sort column's value
	cols    []mapispi.PropValue // the row in the view's columns, while visible
	keys    []sortKey           // the other sort columns' values
	visible bool                // in the view's tree (it matches the restriction)
}

// sortKey is one sort column's value for a node; a string value is also
// held in str, so that comparing two strings reads no interface.
type sortKey struct {
	v       mapispi.PropValue
	str     string
	pfx     uint64 // str's first 8 bytes, big-endian, when usePfx
	isStr   bool
	usePfx  bool // str's first 8 bytes order as UTF-16 does (all below 0xEE)
	present bool
}

// setStr records a string sort value.
func (k *sortKey) setStr(s string) {
	k.str, k.isStr, k.usePfx, k.pfx = s, true, true, 0
	for i := range 8 {
		var c byte
		if i < len(s) {
			c = s[i]
		}
		if c >= 0xEE {
			k.usePfx = false
		}
		k.pfx = k.pfx<<8 | uint64(c)
	}
}

// compareStr orders two string sort values as compareText does.
func compareStr(a, b *sortKey) int {
	if a.usePfx && b.usePfx && a.pfx != b.pfx {
		if a.pfx < b.pfx {
			return -1
		}
		return 1
	}
	return sign(compareText(a.str, b.str))
}

// key returns n's value for sort column i.
func (n *node) key(i int) *sortKey {
	if i == 0 {
		return &n.k0
	}
	return &n.keys[i-1]
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
	cmp  func(a, b *node) int
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

// insert adds x (not in any tree) in its sorted place.
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

// remove takes x out of the tree.
func (t *tree) remove(x *node) {
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
}

// rank returns x's 0-based index in the tree.
func rank(x *node) int {
	r := size(x.left)
	for ; x.parent != nil; x = x.parent {
		if x == x.parent.right {
			r += size(x.parent.left) + 1
		}
	}
	return r
}

// at returns the node at index i, or nil when i is out of range.
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

// next returns the node after x, or nil.
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

// prev returns the node before x, or nil.
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

// build replaces the tree with nodes, which are in sorted order, in O(n):
// the Cartesian tree of their priorities, which is exactly the treap of
// those nodes.
func (t *tree) build(nodes []*node) {
	t.root = nil
	stack := make([]*node, 0, 64)
	for _, x := range nodes {
		x.left, x.right, x.parent, x.size = nil, nil, nil, 1
		if x.prio == 0 {
			x.prio = t.rand()
		}
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
	// Sizes, children before parents: walk the nodes in reverse level
	// order, which visits every child before its parent.
	order := make([]*node, 0, len(nodes))
	order = append(order, t.root)
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

// appendAll appends the tree's nodes in order.
func (t *tree) appendAll(out []*node) []*node {
	for n := t.first(); n != nil; n = next(n) {
		out = append(out, n)
	}
	return out
}
