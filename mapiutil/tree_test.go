package mapiutil

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"unsafe"

	"github.com/mapiemu/mapiemu/mapispi"
)

// treeRow makes a row ordered by key then id; ords keep only key/4, so
// that many rows have equal ords and the comparison decides.
func treeRow(key, id int) *node {
	n := &node{rec: &record{seq: uint64(id)}, inst: key}
	n.ord = ord{uint64(int64(key/4)) ^ 1<<63}
	return n
}

func treeCmp(a, b *node) int {
	if c := cmp.Compare(a.inst, b.inst); c != 0 {
		return c
	}
	return cmp.Compare(a.rec.seq, b.rec.seq)
}

// checkTree checks every invariant of t against want, the rows in order.
func checkTree(t *testing.T, tr *tree, want []*node) {
	t.Helper()
	checkShape(t, tr, want)
	if len(want) == 0 {
		return
	}
	if !slices.Equal(tr.appendAll(nil), want) {
		t.Fatal("appendAll differs from the leaves")
	}
	var walked []*node
	for it := tr.iterFirst(); it.peek() != nil; {
		x, cols := it.next()
		if len(cols) != 1 || cols[0].Value != x {
			t.Fatal("iter returns another row's columns")
		}
		walked = append(walked, x)
	}
	if !slices.Equal(walked, want) {
		t.Fatal("iter differs from the leaves")
	}
	walked = walked[:0]
	for it := iterFrom(tr.last()); ; {
		x := it.prev()
		if x == nil {
			break
		}
		walked = append(walked, x)
	}
	slices.Reverse(walked)
	if !slices.Equal(walked, want) {
		t.Fatal("iter backwards differs from the leaves")
	}
	if tr.first() != want[0] || tr.last() != want[len(want)-1] {
		t.Fatal("first or last wrong")
	}
	for i, x := range want {
		if r := rank(x); r != i {
			t.Fatalf("rank(row %d) = %d", i, r)
		}
		if a := tr.at(i); a != x {
			t.Fatalf("at(%d) is another row", i)
		}
		if c := colsOf(x); len(c) != 1 || c[0].Value != x {
			t.Fatalf("colsOf(row %d) is another row's", i)
		}
		var p, n *node
		if i > 0 {
			p = want[i-1]
		}
		if i+1 < len(want) {
			n = want[i+1]
		}
		if prev(x) != p || next(x) != n {
			t.Fatalf("prev or next of row %d wrong", i)
		}
	}
	if tr.at(-1) != nil || tr.at(len(want)) != nil {
		t.Fatal("at out of range returns a row")
	}
}

// checkShape checks the tree's structure and its rows' order.
func checkShape(t *testing.T, tr *tree, want []*node) {
	t.Helper()
	if tr.len() != len(want) {
		t.Fatalf("len() = %d, want %d", tr.len(), len(want))
	}
	if len(want) == 0 {
		if tr.root != nil || tr.first() != nil || tr.last() != nil {
			t.Fatal("empty tree keeps a root or rows")
		}
		return
	}
	if tr.root.parent != nil {
		t.Fatal("root has a parent")
	}
	var leaves []*bnode
	var walk func(b *bnode, depth int) int
	height := -1
	walk = func(b *bnode, depth int) int {
		if b != tr.root && b.n < minFill && !(b.isLeaf() && b.next == nil) {
			t.Fatalf("node with %d entries, want at least %d", b.n, minFill)
		}
		if b.n == 0 || b.n > fan {
			t.Fatalf("node with %d entries", b.n)
		}
		for i := range b.n {
			if b.e[i].ord != b.e[i].row.ord {
				t.Fatalf("entry %d holds another ord than its row's", i)
			}
		}
		if b.isLeaf() {
			if height < 0 {
				height = depth
			} else if height != depth {
				t.Fatalf("leaves at depths %d and %d", height, depth)
			}
			for _, e := range b.e[:b.n] {
				if e.row.leaf != b {
					t.Fatal("row does not point at its leaf")
				}
			}
			leaves = append(leaves, b)
			return b.n
		}
		if b == tr.root && b.n < 2 {
			t.Fatal("inner root with one child")
		}
		total := 0
		for i, c := range b.kids.kids[:b.n] {
			if c.parent != b {
				t.Fatal("child does not point at its parent")
			}
			if b.e[i].row != c.e[0].row || b.e[i].ord != c.e[0].ord {
				t.Fatalf("entry %d is not the first row under child %d", i, i)
			}
			got := walk(c, depth+1)
			if got != b.kids.counts[i] {
				t.Fatalf("counts[%d] = %d, want %d", i, b.kids.counts[i], got)
			}
			total += got
		}
		return total
	}
	if got := walk(tr.root, 0); got != len(want) {
		t.Fatalf("rows under the root = %d, want %d", got, len(want))
	}
	var got []*node
	for i, b := range leaves {
		if i > 0 && (b.prev != leaves[i-1] || leaves[i-1].next != b) {
			t.Fatal("leaf links broken")
		}
		for _, e := range b.e[:b.n] {
			got = append(got, e.row)
		}
	}
	if leaves[0].prev != nil || leaves[len(leaves)-1].next != nil {
		t.Fatal("end leaves linked outwards")
	}
	if !slices.Equal(got, want) {
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("rows out of order from %d of %d: got (%d,%d) want (%d,%d)", i, len(want), got[i].inst, got[i].rec.seq, want[i].inst, want[i].rec.seq)
			}
		}
		t.Fatal("rows out of order")
	}
}

// TestTreeLayout checks that each entry of a tree node fills one cache
// line of its own.
func TestTreeLayout(t *testing.T) {
	var b bnode
	if off, size := unsafe.Offsetof(b.e), unsafe.Sizeof(b.e[0]); off%64 != 0 || size != 64 {
		t.Errorf("entries at offset %d, %d bytes each, want a multiple of 64 and 64", off, size)
	}
}

// rowCols is a row's columns in the tree tests: the row itself.
func rowCols(x *node) []mapispi.PropValue { return []mapispi.PropValue{{Value: x}} }

// TestTree drives a tree through random inserts (some of a new first or
// last row) and removes (some of runs of neighbours, which empty one leaf
// beside a full one), growing it to thousands of rows and shrinking it to
// none, and checks it against a sorted slice.
func TestTree(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	tr := &tree{cmp: treeCmp}
	var model []*node
	id, low, high := 0, 0, 500
	insert := func(key int) {
		id++
		x := treeRow(key, id)
		tr.insert(x, rowCols(x))
		i, _ := slices.BinarySearchFunc(model, x, treeCmp)
		model = slices.Insert(model, i, x)
	}
	remove := func(i int) {
		var want *node
		if i+1 < len(model) {
			want = model[i+1]
		}
		if succ := tr.remove(model[i]); succ != want {
			t.Fatal("remove returned another row than the one that followed")
		}
		if model[i].leaf != nil {
			t.Fatal("removed row still points at a leaf")
		}
		model = slices.Delete(model, i, i+1)
	}
	for step := range 12000 {
		switch op := r.IntN(100); {
		case len(model) == 0, step < 4000 && op < 90, op < 50:
			insert(r.IntN(500))
		case op < 54:
			low--
			insert(low)
		case op < 58:
			high++
			insert(high)
		case op < 60:
			i := r.IntN(len(model))
			for range min(len(model)-i, r.IntN(2*fan)) {
				remove(i)
			}
		default:
			remove(r.IntN(len(model)))
		}
		switch {
		case step%499 == 0 || len(model) < 3*fan:
			checkTree(t, tr, model)
		case step%5 == 0:
			checkShape(t, tr, model)
		}
	}
	for len(model) > 0 {
		remove(r.IntN(len(model)))
		if len(model)%50 == 0 {
			checkTree(t, tr, model)
		}
	}
	checkTree(t, tr, model)
}

// TestTreeBuild builds trees of many sizes and then changes them.
func TestTreeBuild(t *testing.T) {
	for _, n := range []int{0, 1, fan - 1, fan, fan + 1, 2*fan + 1, fan * fan, fan*fan + 7, 3 * fan * fan} {
		rows := make([]*node, n)
		cols := make([]mapispi.PropValue, n)
		for i := range rows {
			rows[i] = treeRow(i, i)
			cols[i] = mapispi.PropValue{Value: rows[i]}
		}
		tr := &tree{cmp: treeCmp}
		leafAt := tr.build(n, func(p int) (*node, ord, []mapispi.PropValue) {
			return rows[p], rows[p].ord, cols[p : p+1 : p+1]
		})
		for p, x := range rows {
			x.leaf = leafAt[p]
		}
		checkTree(t, tr, rows)
		x := treeRow(n/2, n+1)
		tr.insert(x, rowCols(x))
		i, _ := slices.BinarySearchFunc(rows, x, treeCmp)
		rows = slices.Insert(rows, i, x)
		checkTree(t, tr, rows)
		for len(rows) > n/2 {
			tr.remove(rows[0])
			rows = rows[1:]
		}
		checkTree(t, tr, rows)
	}
}

// TestTreeAppendFills checks that rows added after the last one leave
// full leaves behind, as a table's insertion order does.
func TestTreeAppendFills(t *testing.T) {
	tr := &tree{cmp: treeCmp}
	var rows []*node
	const n = 10*fan + 3
	for i := range n {
		x := treeRow(i, i)
		tr.insert(x, rowCols(x))
		rows = append(rows, x)
	}
	checkTree(t, tr, rows)
	leaves := 0
	for b := tr.firstLeaf(); b != nil; b = b.next {
		leaves++
	}
	if want := (n + fan - 1) / fan; leaves != want {
		t.Errorf("%d rows added in order fill %d leaves, want %d", n, leaves, want)
	}
}

// BenchmarkTreeInsertRemove adds one row at a random place of a tree of
// n rows and removes another: the tree's share of a ModifyRow and a
// DeleteRow in a big view.
func BenchmarkTreeInsertRemove(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			tr := &tree{cmp: treeCmp}
			rows := make([]*node, 0, n)
			for i := range n {
				x := treeRow(r.IntN(1<<30), i)
				tr.insert(x, rowCols(x))
				rows = append(rows, x)
			}
			id := n
			b.ReportAllocs()
			for b.Loop() {
				i := r.IntN(len(rows))
				tr.remove(rows[i])
				id++
				x := treeRow(r.IntN(1<<30), id)
				tr.insert(x, nil)
				rows[i] = x
			}
		})
	}
}

// TestTreeReusesEmptiedLeaf: a table that empties and fills again, as a
// status table or an outgoing queue does, makes no new node.
func TestTreeReusesEmptiedLeaf(t *testing.T) {
	td, err := NewTableData(mapispi.PropInstanceKey, []mapispi.PropTag{mapispi.PropInstanceKey, mapispi.PropDisplayName})
	if err != nil {
		t.Fatal(err)
	}
	v, err := td.View(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close(context.Background())
	row := mapispi.Row{{Tag: mapispi.PropInstanceKey, Value: []byte{1}}, {Tag: mapispi.PropDisplayName, Value: "x"}}
	key := row[0]
	cycle := func() {
		if err := td.ModifyRow(row); err != nil {
			t.Fatal(err)
		}
		if err := td.DeleteRow(key); err != nil {
			t.Fatal(err)
		}
	}
	cycle()
	allocs := testing.AllocsPerRun(50, cycle)
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)
	before := stats.TotalAlloc
	for range 100 {
		cycle()
	}
	runtime.ReadMemStats(&stats)
	if per := (stats.TotalAlloc - before) / 100; per > 2048 {
		t.Errorf("an add and delete of one row allocates %d bytes (%v allocations), want no new 4 KiB leaf", per, allocs)
	}
	if n, _ := v.RowCount(context.Background()); n != 0 {
		t.Errorf("RowCount after the cycles = %d, want 0", n)
	}
}
