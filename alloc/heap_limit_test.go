package alloc

import "testing"

func TestLimitGetter(t *testing.T) {
	var h Heap
	if got := h.Limit(); got != -1 {
		t.Errorf("zero Heap Limit() = %d, want -1 (none)", got)
	}
	for _, n := range []int64{0, 64, 1 << 20} {
		h.SetLimit(n)
		if got := h.Limit(); got != n {
			t.Errorf("SetLimit(%d); Limit() = %d", n, got)
		}
	}
	h.SetLimit(-5)
	if got := h.Limit(); got != -1 {
		t.Errorf("SetLimit(-5); Limit() = %d, want -1", got)
	}
}
