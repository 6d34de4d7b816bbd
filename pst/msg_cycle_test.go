package pst

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/internal/wire"
	"github.com/mapiemu/mapiemu/mapispi"
)

// setPageCRC sets the dwCRC of the B-tree page raw.
func setPageCRC(f *File, raw []byte) {
	t := raw[pageSize-f.l.pageTrailer:]
	at := 4
	if f.format == FormatANSI {
		at = 8
	}
	binary.LittleEndian.PutUint32(t[at:], wire.CRC32(raw[:pageSize-f.l.pageTrailer]))
}

// setNIDParent sets, in the file b that f reads, the nidParent of node
// nid's entry in the node B-tree's leaf page, and that page's CRC.
func setNIDParent(t *testing.T, f *File, b []byte, nid, parent NID) {
	t.Helper()
	p, err := f.page(f.nbt, ptypeNBT, -1, nid)
	for err == nil && p.level > 0 {
		i := 0
		for i+1 < p.n && f.l.id(p.entry(i+1)) <= uint64(nid) {
			i++
		}
		p, err = f.page(f.child(p.entry(i)), ptypeNBT, p.level-1, nid)
	}
	if err != nil {
		t.Fatal(err)
	}
	raw := b[p.ref.ib : p.ref.ib+pageSize]
	for i := 0; i < p.n; i++ {
		if e := raw[i*p.cb:]; f.l.id(e) == uint64(nid) {
			binary.LittleEndian.PutUint32(e[3*f.l.idSize:], uint32(parent))
			setPageCRC(f, raw)
			return
		}
	}
	t.Fatalf("node %v is not in the node B-tree", nid)
}

// setRowID changes, in the file b that f reads, the PidTagLtpRowId of
// the row of table whose ID is from to to, re-encoding the block of
// the table's row matrix, which must be in its heap.
func setRowID(t *testing.T, f *File, b []byte, table, from, to NID) {
	t.Helper()
	n, err := f.node(table)
	if err != nil {
		t.Fatal(err)
	}
	tc, err := openTC(n, codepage.Windows1252, testBudget())
	if err != nil {
		t.Fatal(err)
	}
	info, err := tc.h.alloc(tc.h.userRoot)
	if err != nil {
		t.Fatal(err)
	}
	rows := hid(binary.LittleEndian.Uint32(info[14:]))
	if !isHID(uint32(rows)) || rows == 0 {
		t.Fatalf("table %v keeps its rows in subnode %v, not its heap", table, rows)
	}
	rgib, err := tc.h.pageMap(rows.blockIndex())
	if err != nil {
		t.Fatal(err)
	}
	start := int(binary.LittleEndian.Uint16(rgib[2*(rows.index()-1):]))
	col := -1
	for _, c := range tc.cols {
		if c.tag == mapispi.NewPropTag(mapispi.PtLong, propLtpRowID) {
			col = c.ibData
		}
	}
	bids, _, err := f.dataTree(n.bidData, n.nid)
	if err != nil {
		t.Fatal(err)
	}
	e, err := f.bbtLookup(bids[rows.blockIndex()], n.nid)
	if err != nil {
		t.Fatal(err)
	}
	raw := b[e.ib : e.ib+int64(f.l.blockSize(e.cb))]
	data := raw[:e.cb]
	f.crypt.decodeBlock(data, e.bid)
	for i := range tc.rowCount() {
		cell := data[start+i*tc.rgib[tciBM]+col:]
		if NID(binary.LittleEndian.Uint32(cell)) == from {
			binary.LittleEndian.PutUint32(cell, uint32(to))
			f.crypt.encodeBlock(data, e.bid)
			setBlockCRC(f, raw)
			return
		}
	}
	t.Fatalf("table %v has no row %v", table, from)
}

// walkFolders visits every folder from the root, breadth first, without
// bounds of its own: it ends when the folder tree does. It returns the
// number of folders visited and the first error.
func walkFolders(f *File) (int, error) {
	root, err := f.Root()
	if err != nil {
		return 0, err
	}
	queue := []*Folder{root}
	visited := 0
	for len(queue) > 0 {
		fo := queue[0]
		queue = queue[1:]
		visited++
		subs, err := fo.Subfolders()
		if err != nil {
			return visited, err
		}
		queue = append(queue, subs...)
	}
	return visited, nil
}

// TestFolderCycle: a hierarchy table that lists the root folder, in a
// file whose root names that table's folder as its parent (so that the
// parent check alone passes), is an error of Subfolders, and a walk of
// the tree ends.
func TestFolderCycle(t *testing.T) {
	for _, name := range []string{"sample1", "sample2"} {
		t.Run(name, func(t *testing.T) {
			b := readTestFile(t, name+".pst")
			f := openBytes(t, b, nil)
			top := folderByPath(t, f, "Top of Outlook data file")
			deleted := folderByPath(t, f, "Top of Outlook data file", "Deleted Items")
			d := bytes.Clone(b)
			setNIDParent(t, f, d, nidRootFolder, top.NID())
			setRowID(t, f, d, withNID(top.NID(), nidTypeHierarchyTable), deleted.NID(), nidRootFolder)
			f = openBytes(t, d, nil)

			done := make(chan error, 1)
			go func() {
				n, err := walkFolders(f)
				if err == nil {
					err = fmt.Errorf("walk of %d folders ended without an error", n)
				}
				done <- err
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("a walk of the folder tree does not end")
			}
			var fe *FormatError
			if !errors.As(err, &fe) || fe.NID != withNID(top.NID(), nidTypeHierarchyTable) {
				t.Errorf("walk = %v, want a *FormatError about node %v", err, withNID(top.NID(), nidTypeHierarchyTable))
			}
			fo := folderByPath(t, f, "Top of Outlook data file")
			if subs, err := fo.Subfolders(); !errors.As(err, &fe) {
				t.Errorf("%v.Subfolders() = %v, %v; want a *FormatError", fo, subs, err)
			}
		})
	}
}
