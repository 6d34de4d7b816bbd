package mapiutil

import (
	"math/rand/v2"
	"testing"

	"github.com/mapiemu/mapiemu/mapispi"
)

// TestTableDataHashCollisions makes every index value hash alike, so that
// finding, replacing and deleting rows walk chains of records.
func TestTableDataHashCollisions(t *testing.T) {
	tag := mapispi.NewPropTag(mapispi.PtLong, 0x6700)
	td, err := NewTableData(tag, []mapispi.PropTag{tag})
	if err != nil {
		t.Fatal(err)
	}
	td.hash = func(recKey) uint64 { return 7 }
	r := rand.New(rand.NewPCG(9, 10))
	model := map[int32]bool{}
	for range 2000 {
		k := int32(r.IntN(40))
		key := mapispi.PropValue{Tag: tag, Value: k}
		switch r.IntN(3) {
		case 0, 1:
			if err := td.ModifyRow(mapispi.Row{key}); err != nil {
				t.Fatal(err)
			}
			model[k] = true
		default:
			err := td.DeleteRow(key)
			if model[k] != (err == nil) {
				t.Fatalf("DeleteRow(%d) = %v, want a row: %v", k, err, model[k])
			}
			delete(model, k)
		}
		if td.RowCount() != len(model) {
			t.Fatalf("RowCount() = %d, want %d", td.RowCount(), len(model))
		}
		for k := range int32(40) {
			row, _, err := td.QueryRow(mapispi.PropValue{Tag: tag, Value: k})
			if model[k] != (err == nil) || (err == nil && row[0].Value != k) {
				t.Fatalf("QueryRow(%d) = %v, %v, want a row: %v", k, row, err, model[k])
			}
		}
	}
}
