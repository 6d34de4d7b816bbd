package mapiutil

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// treeRow makes a row ordered by key then id; its ord holds key/8, so
// that rows share ords and the tree's comparison decides among them.
func treeRow(key, id int) entry {
	return entry{ord{uint64(key / 8)}, &node{rec: &record{seq: uint64(id)}, inst: key}}
}

func treeCmp(a, b *node) int {
	if c := cmp.Compare(a.inst, b.inst); c != 0 {
		return c
	}
	return cmp.Compare(a.rec.seq, b.rec.seq)
}

// checkTree checks every invariant of tr against want, the rows in order.
func checkTree(t *testing.T, tr *tree, want []*node) {
	t.Helper()
	if tr.len() != len(want) {
		t.Fatalf("len = %d, want %d", tr.len(), len(want))
	}
	if got := slices.Collect(tr.all()); !slices.Equal(got, want) {
		t.Fatal("rows in order differ from the model")
	}
	var leaves []*bnode
	var walkNode func(b, parent *bnode, depth int) int
	depth := -1
	walkNode = func(b, parent *bnode, d int) int {
		if b.parent != parent {
			t.Fatal("a node's parent is wrong")
		}
		if parent != nil && b.n < minFill && (b.inner != nil || b.next != nil) {
			t.Fatalf("a node holds %d entries, below %d", b.n, minFill)
		}
		if b.n == 0 {
			t.Fatal("an empty node")
		}
		if b.inner == nil {
			if depth >= 0 && d != depth {
				t.Fatal("leaves at different depths")
			}
			depth = d
			for _, x := range b.rows[:b.n] {
				if x.leaf != b {
					t.Fatal("a row's leaf is wrong")
				}
			}
			leaves = append(leaves, b)
			return b.n
		}
		s := 0
		for i, c := range b.inner.kids[:b.n] {
			if b.ords[i] != c.ords[0] || b.rows[i] != c.rows[0] {
				t.Fatal("an inner entry is not its child's first")
			}
			k := walkNode(c, b, d+1)
			if b.inner.counts[i] != k {
				t.Fatalf("a child's count is %d, want %d", b.inner.counts[i], k)
			}
			s += k
		}
		return s
	}
	if tr.root != nil {
		walkNode(tr.root, nil, 0)
	}
	for i, b := range leaves {
		if i > 0 && b.prev != leaves[i-1] || i+1 < len(leaves) && b.next != leaves[i+1] {
			t.Fatal("the leaves' links are wrong")
		}
	}
	for i, x := range want {
		if rank(x) != i || tr.at(i) != x {
			t.Fatalf("rank or at disagree at %d", i)
		}
		if i > 0 && prev(x) != want[i-1] {
			t.Fatalf("prev wrong at %d", i)
		}
	}
	if len(want) > 0 && (tr.first() != want[0] || tr.last() != want[len(want)-1]) {
		t.Fatal("first or last wrong")
	}
	if len(want) > 0 {
		back := slices.Collect(walk(want[len(want)-1], true))
		slices.Reverse(back)
		if !slices.Equal(back, want) {
			t.Fatal("rows walked backwards differ from the model")
		}
	}
	if tr.at(-1) != nil || tr.at(len(want)) != nil {
		t.Fatal("at out of range found a row")
	}
}

// TestTree checks the tree against a sorted slice through inserts at
// random places and at the end, removals that empty it again, and
// builds.
func TestTree(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	tr := tree{cmp: treeCmp}
	var model []*node
	insert := func(e entry) {
		tr.insert(e)
		i, _ := slices.BinarySearchFunc(model, e.row, treeCmp)
		model = slices.Insert(model, i, e.row)
	}
	remove := func(i int) {
		var want *node
		if i+1 < len(model) {
			want = model[i+1]
		}
		if succ := tr.remove(model[i]); succ != want {
			t.Fatalf("remove(%d of %d) returned the wrong successor", i, len(model))
		}
		model = slices.Delete(model, i, i+1)
	}
	id := 0
	for round := range 3 {
		// Grow to 20,000 rows: random keys, then keys in order (as the
		// base tree gets them), with some removals.
		for len(model) < 20000 {
			id++
			key := r.IntN(5000)
			if round == 1 {
				key = 5000 + id
			}
			if len(model) > 0 && r.IntN(4) == 0 {
				remove(r.IntN(len(model)))
			} else {
				insert(treeRow(key, id))
			}
			if id%2500 == 0 {
				checkTree(t, &tr, model)
			}
		}
		checkTree(t, &tr, model)
		// Shrink to nothing, from random places, then from the front.
		for len(model) > 0 {
			i := r.IntN(len(model))
			if round == 2 {
				i = 0
			}
			remove(i)
			if len(model)%1500 == 0 {
				checkTree(t, &tr, model)
			}
		}
		if tr.root != nil {
			t.Fatal("an empty tree has a root")
		}
	}
	for _, n := range []int{0, 1, fan, fan + 1, 5000} {
		var rows []entry
		model = model[:0]
		for i := range n {
			e := treeRow(i, i)
			rows = append(rows, e)
			model = append(model, e.row)
		}
		tr.build(rows)
		checkTree(t, &tr, model)
		for range n / 2 {
			insert(treeRow(r.IntN(n+1), n+r.IntN(n+1)))
		}
		checkTree(t, &tr, model)
	}
}
