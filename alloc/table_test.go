package alloc

import (
	"math/rand/v2"
	"testing"
)

// TestTable checks the open-addressing table against a map, with keys
// chosen to collide often.
func TestTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var tb table
	want := map[uintptr]int32{}
	var keys []uintptr
	for step := range 200000 {
		switch {
		case rng.IntN(3) > 0 || len(keys) == 0:
			k := uintptr(8 * (1 + rng.IntN(4096)))
			if _, ok := want[k]; ok {
				continue
			}
			want[k] = int32(step)
			keys = append(keys, k)
			if _, ok := tb.put(k, int32(step)); ok {
				t.Fatalf("step %d: put(new key %#x) found it", step, k)
			}
		default:
			i := rng.IntN(len(keys))
			k := keys[i]
			keys[i] = keys[len(keys)-1]
			keys = keys[:len(keys)-1]
			delete(want, k)
			tb.del(k)
		}
		if step%997 == 0 {
			for k, v := range want {
				if got, ok := tb.find(k); !ok || got != v {
					t.Fatalf("step %d: find(%#x) = %d, %v, want %d, true", step, k, got, ok, v)
				}
			}
			if k := keys[0]; true {
				if old, ok := tb.put(k, 7); !ok || old != want[k] {
					t.Fatalf("step %d: put(%#x) again = %d, %v, want %d, true", step, k, old, ok, want[k])
				}
				want[k] = 7
			}
			if _, ok := tb.find(8 * 5000); ok {
				t.Fatalf("step %d: find(absent) = true", step)
			}
			eq(t, "table.n", tb.n, len(want))
		}
	}
}
