package alloc

// table maps buffer addresses to slot indices: open addressing with linear
// probing and backward-shift deletion, so it never holds tombstones. Its
// cells hold no pointers, so the garbage collector does not scan them; the
// slots keep the memory alive. The zero value is an empty table.
type table struct {
	cells []cell // len is 0 or a power of 2; key 0 marks an empty cell
	n     int
}

type cell struct {
	key  uintptr
	slot int32
}

// home returns key's preferred cell.
func (t *table) home(key uintptr) int {
	return int(uint64(key)*hashMul>>32) & (len(t.cells) - 1)
}

// find returns the slot of key.
func (t *table) find(key uintptr) (int32, bool) {
	if t.n == 0 {
		return 0, false
	}
	mask := len(t.cells) - 1
	for i := t.home(key); ; i = (i + 1) & mask {
		switch t.cells[i].key {
		case key:
			return t.cells[i].slot, true
		case 0:
			return 0, false
		}
	}
}

// put maps key to slot. If key was already there, it returns the slot it
// had and true.
func (t *table) put(key uintptr, slot int32) (int32, bool) {
	if 2*(t.n+1) > len(t.cells) {
		t.grow()
	}
	mask := len(t.cells) - 1
	i := t.home(key)
	for ; t.cells[i].key != 0; i = (i + 1) & mask {
		if t.cells[i].key == key {
			old := t.cells[i].slot
			t.cells[i].slot = slot
			return old, true
		}
	}
	t.cells[i] = cell{key, slot}
	t.n++
	return 0, false
}

func (t *table) grow() {
	old := t.cells
	t.cells = make([]cell, max(16, 2*len(old)))
	t.n = 0
	for _, c := range old {
		if c.key != 0 {
			t.put(c.key, c.slot)
		}
	}
}

// del removes key, which is in the table.
func (t *table) del(key uintptr) {
	mask := len(t.cells) - 1
	i := t.home(key)
	for t.cells[i].key != key {
		i = (i + 1) & mask
	}
	// Shift later cells of the probe run back into the hole unless their
	// home lies cyclically in (hole, j].
	for j := (i + 1) & mask; t.cells[j].key != 0; j = (j + 1) & mask {
		h := t.home(t.cells[j].key)
		var stays bool
		if i <= j {
			stays = i < h && h <= j
		} else {
			stays = i < h || h <= j
		}
		if !stays {
			t.cells[i] = t.cells[j]
			i = j
		}
	}
	t.cells[i] = cell{}
	t.n--
}
