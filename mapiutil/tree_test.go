package mapiutil

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// treeRow makes a row ordered by key then id.
func treeRow(key, id int) *node { return &node{rec: &record{seq: uint64(id)}, inst: key} }

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
	if got := tr.appendAll(nil); !slices.Equal(got, want) {
		t.Fatal("rows in order differ from the model")
	}
	var walk func(n, parent *node) int
	walk = func(n, parent *node) int {
		if n == nil {
			return 0
		}
		if n.parent != parent {
			t.Fatal("a node's parent is wrong")
		}
		if parent != nil && n.prio > parent.prio {
			t.Fatal("a node's priority is above its parent's")
		}
		s := 1 + walk(n.left, n) + walk(n.right, n)
		if n.size != s {
			t.Fatalf("a node's size is %d, want %d", n.size, s)
		}
		return s
	}
	walk(tr.root, nil)
	for i, x := range want {
		if rank(x) != i || tr.at(i) != x {
			t.Fatalf("rank or at disagree at %d", i)
		}
		if i > 0 && prev(x) != want[i-1] || i+1 < len(want) && next(x) != want[i+1] {
			t.Fatalf("prev or next wrong at %d", i)
		}
	}
	if len(want) > 0 && (tr.first() != want[0] || tr.last() != want[len(want)-1]) {
		t.Fatal("first or last wrong")
	}
	if tr.at(-1) != nil || tr.at(len(want)) != nil {
		t.Fatal("at out of range found a row")
	}
}

func TestTree(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	tr := tree{cmp: treeCmp}
	var model []*node
	for id := range 3000 {
		if len(model) > 0 && r.IntN(3) == 0 {
			i := r.IntN(len(model))
			x := model[i]
			var want *node
			if i+1 < len(model) {
				want = model[i+1]
			}
			if succ := tr.remove(x); succ != want {
				t.Fatal("remove returned the wrong successor")
			}
			model = slices.Delete(model, i, i+1)
		} else {
			x := treeRow(r.IntN(50), id)
			tr.insert(x)
			i, _ := slices.BinarySearchFunc(model, x, treeCmp)
			model = slices.Insert(model, i, x)
		}
		if id%300 == 0 {
			checkTree(t, &tr, model)
		}
	}
	checkTree(t, &tr, model)
	tr.build(model)
	checkTree(t, &tr, model)
	tr.build(nil)
	checkTree(t, &tr, nil)
}
