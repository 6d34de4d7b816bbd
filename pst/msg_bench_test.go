package pst

import (
	"bytes"
	"testing"
)

// BenchmarkWalkAll opens sample1.pst from memory and reads everything
// the messaging layer offers (walkAll: the store, the name map, every
// folder, every message whole, the entry IDs), from a cold cache.
func BenchmarkWalkAll(b *testing.B) {
	data := readTestFile(b, "sample1.pst")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := Open(bytes.NewReader(data), int64(len(data)), nil)
		if err != nil {
			b.Fatal(err)
		}
		root, err := f.Root()
		if err != nil {
			b.Fatal(err)
		}
		if err := walkAll(f, root, 1000); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWalkAllWarm is BenchmarkWalkAll on an open File whose cache
// already holds the file: what the reading itself costs.
func BenchmarkWalkAllWarm(b *testing.B) {
	data := readTestFile(b, "sample1.pst")
	f := openBytes(b, data, nil)
	root, err := f.Root()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := walkAll(f, root, 1000); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAttachmentData reads the properties of sample1's attachment,
// whose 93 KB PR_ATTACH_DATA_BIN spans twelve data blocks, on a warm
// File: the cost of a multi-block value.
func BenchmarkAttachmentData(b *testing.B) {
	data := readTestFile(b, "sample1.pst")
	f := openBytes(b, data, nil)
	root, err := f.Root()
	if err != nil {
		b.Fatal(err)
	}
	var att *Attachment
	var find func(*Folder)
	find = func(fo *Folder) {
		ms, _ := fo.Messages()
		for _, m := range ms {
			if as, _ := m.Attachments(); len(as) > 0 && att == nil {
				att = as[0]
			}
		}
		subs, _ := fo.Subfolders()
		for _, s := range subs {
			find(s)
		}
	}
	find(root)
	if att == nil {
		b.Fatal("sample1.pst has no attachment")
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := att.Props(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNodeLookup looks up every node of sample1.pst by its NID in
// the node B-tree, and the block of each, on a warm File.
func BenchmarkNodeLookup(b *testing.B) {
	data := readTestFile(b, "sample1.pst")
	f := openBytes(b, data, nil)
	var nids []NID
	var bids []BID
	err := f.walkNodes(func(e nbtEntry) error {
		nids = append(nids, e.nid)
		if e.bidData != 0 {
			bids = append(bids, e.bidData)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, nid := range nids {
			if _, err := f.nbtLookup(nid); err != nil {
				b.Fatal(err)
			}
		}
		for _, bid := range bids {
			if _, err := f.bbtLookup(bid, 0); err != nil {
				b.Fatal(err)
			}
		}
	}
}
