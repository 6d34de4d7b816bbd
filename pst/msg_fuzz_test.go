package pst

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"time"
)

// FuzzMessaging opens a file, with CRCs unchecked so that changes reach
// the structures, and a small cache, and reads everything the
// messaging layer offers: the store, the name map, the folder tree,
// every message whole and the entry IDs. No panic, every error a
// *FormatError, and the walk ends quickly whatever the file says.
func FuzzMessaging(f *testing.F) {
	for _, tf := range testFiles {
		f.Add(readTestFile(f, tf.name))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := Open(bytes.NewReader(b), int64(len(b)), &Options{skipCRC: true, CacheSize: 256 << 10})
		if err != nil {
			checkFormatError(t, err)
			return
		}
		start := time.Now()
		root, err := file.Root()
		if err != nil {
			checkFormatError(t, err)
			// The rest of the store may still read.
			_, err = file.StoreProps()
			checkFormatError(t, err)
			_, err = file.Names()
			checkFormatError(t, err)
			return
		}
		checkFormatError(t, walkAll(file, root, 1000))
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("walking a %d-byte file took %v", len(b), d)
		}
	})
}

// TestMessagingBitFlips flips bits inside the blocks of each file (most
// of a file is free space, where flips change nothing) and reads
// everything, with CRCs unchecked so that the flips reach the
// structures: every error is a *FormatError, and nothing panics.
func TestMessagingBitFlips(t *testing.T) {
	trials := 300
	if testing.Short() {
		trials = 30
	}
	for i, tf := range testFiles {
		t.Run(tf.name, func(t *testing.T) {
			b := readTestFile(t, tf.name)
			f, err := Open(bytes.NewReader(b), int64(len(b)), nil)
			if err != nil {
				t.Fatal(err)
			}
			var blocks []bbtEntry
			if err := f.walkBlocks(func(e bbtEntry) error { blocks = append(blocks, e); return nil }); err != nil {
				t.Fatal(err)
			}
			r := rand.New(rand.NewPCG(uint64(i), 21))
			damaged := 0
			for trial := range trials {
				d := bytes.Clone(b)
				var flips []int64
				for range 1 + r.IntN(4) {
					e := blocks[r.IntN(len(blocks))]
					if e.cb == 0 {
						continue
					}
					bit := e.ib*8 + int64(r.IntN(e.cb*8))
					d[bit/8] ^= 1 << (bit % 8)
					flips = append(flips, bit)
				}
				file, err := Open(bytes.NewReader(d), int64(len(d)), &Options{skipCRC: true, CacheSize: 256 << 10})
				if err != nil {
					t.Fatalf("trial %d, bits %v: Open = %v", trial, flips, err)
				}
				root, err := file.Root()
				if err == nil {
					err = walkAll(file, root, 1000)
				}
				if _, ok := err.(*FormatError); err != nil && !ok {
					t.Errorf("trial %d, bits %v: %v (%T) is not a *FormatError", trial, flips, err, err)
				}
				if err != nil {
					damaged++
				}
			}
			t.Logf("%d of %d trials found damage", damaged, trials)
		})
	}
}
