package pst

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// readDamaged opens b, claiming size bytes, and reads every node, and
// fails t if that panics, hangs or returns an error that is not a
// *FormatError.
func readDamaged(t *testing.T, what string, b []byte, size int64, opts *Options) {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("panic: %v", r)
			}
		}()
		f, err := Open(bytes.NewReader(b), size, opts)
		if err == nil {
			_, err = readAll(f)
		}
		var fe *FormatError
		if err != nil && !errors.As(err, &fe) {
			err = fmt.Errorf("not a *FormatError: %w", err)
		} else {
			err = nil
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("%s: hangs", what)
	}
}

// boundaries returns the offsets where the pages and blocks of b begin
// and end.
func boundaries(t *testing.T, b []byte) []int64 {
	f := openBytes(t, b, nil)
	var at []int64
	for ib := int64(0); ib < int64(len(b)); ib += pageSize {
		at = append(at, ib)
	}
	err := f.walkBlocks(func(e bbtEntry) error {
		at = append(at, e.ib, e.ib+int64(f.l.blockSize(e.cb)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(at)
	return slices.Compact(at)
}

// TestTruncated cuts every test file at each page and block boundary,
// once telling Open the short size and once the full one (a file that
// shrinks while it is read).
func TestTruncated(t *testing.T) {
	for _, tf := range testFiles {
		t.Run(tf.name, func(t *testing.T) {
			b := readTestFile(t, tf.name)
			cuts := boundaries(t, b)
			if testing.Short() {
				cuts = cuts[:len(cuts)/8]
			}
			for _, cut := range cuts {
				short := b[:cut]
				readDamaged(t, fmt.Sprintf("cut at %d", cut), short, cut, nil)
				readDamaged(t, fmt.Sprintf("cut at %d, full size claimed", cut), short, int64(len(b)), nil)
			}
		})
	}
}

// TestBitFlips flips random bits in every test file, with the CRCs
// checked (most flips are found there) and unchecked (so the flips
// reach the structure's own checks).
func TestBitFlips(t *testing.T) {
	trials := 150
	if testing.Short() {
		trials = 20
	}
	for i, tf := range testFiles {
		t.Run(tf.name, func(t *testing.T) {
			b := readTestFile(t, tf.name)
			r := rand.New(rand.NewPCG(uint64(i), 20))
			for trial := range trials {
				d := bytes.Clone(b)
				var flips []int
				for range 1 + r.IntN(8) {
					// Half the flips land in the first 64 KiB, where the
					// header and most B-tree pages lie.
					n := len(d)
					if r.IntN(2) == 0 {
						n = min(n, 64<<10)
					}
					bit := r.IntN(n * 8)
					d[bit/8] ^= 1 << (bit % 8)
					flips = append(flips, bit)
				}
				what := fmt.Sprintf("trial %d, bits %v", trial, flips)
				readDamaged(t, what, d, int64(len(d)), nil)
				readDamaged(t, what+" without CRCs", d, int64(len(d)), &Options{skipCRC: true})
			}
		})
	}
}
