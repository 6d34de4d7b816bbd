package pst

import "fmt"

// node is a node of the NDB layer ([MS-PST] 2.2.2.1, 2.4): a top-level
// node from the node B-tree or a subnode from a subnode tree. It is
// what the LTP layer reads (nodeData).
type node struct {
	f         *File
	nid       NID
	bidData   BID // data block or data tree; 0 for none
	bidSub    BID // subnode tree; 0 for none
	nidParent NID // the parent folder of a top-level node; 0 for a subnode
}

var _ nodeData = (*node)(nil)

// node returns the top-level node nid, from the node B-tree. A missing
// node is a *FormatError whose cause is errNotFound.
func (f *File) node(nid NID) (*node, error) {
	e, err := f.nbtLookup(nid)
	if err != nil {
		return nil, err
	}
	return f.nodeOf(e), nil
}

// nodeOf returns the node of an entry from walkNodes.
func (f *File) nodeOf(e nbtEntry) *node {
	return &node{f: f, nid: e.nid, bidData: e.bidData, bidSub: e.bidSub, nidParent: e.nidParent}
}

func (n *node) id() NID { return n.nid }

// blocks returns the decoded data of the node's data blocks, in order,
// as nodeData says: slices shared with the File's cache, which nobody
// may modify. A data tree's size is checked against its lcbTotal.
func (n *node) blocks() ([][]byte, error) {
	bids, total, err := n.f.dataTree(n.bidData, n.nid)
	if err != nil {
		return nil, err
	}
	out := make([][]byte, len(bids))
	var sum int64
	for i, bid := range bids {
		if out[i], _, err = n.f.block(bid, n.nid); err != nil {
			return nil, err
		}
		sum += int64(len(out[i]))
	}
	if total >= 0 && sum != total {
		return nil, &FormatError{Offset: -1, NID: n.nid, BID: n.bidData, Reason: fmt.Sprintf("data tree lcbTotal is %d, its blocks hold %d", total, sum)}
	}
	return out, nil
}

// subnode returns the subnode nid of n, as nodeData.
func (n *node) subnode(nid NID) (nodeData, error) {
	s, err := n.sub(nid)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// sub returns the subnode nid of n. A missing subnode is a
// *FormatError whose cause is errNotFound.
func (n *node) sub(nid NID) (*node, error) {
	if n.bidSub == 0 {
		return nil, &FormatError{Offset: -1, NID: n.nid, Reason: fmt.Sprintf("node has no subnodes, so no subnode %v", nid), Err: errNotFound}
	}
	e, err := n.f.subnodeLookup(n.bidSub, n.nid, nid)
	if err != nil {
		return nil, err
	}
	return &node{f: n.f, nid: e.nid, bidData: e.bidData, bidSub: e.bidSub}, nil
}

// subnodes calls fn with every subnode of n, in NID order, and stops at
// fn's first error.
func (n *node) subnodes(fn func(*node) error) error {
	if n.bidSub == 0 {
		return nil
	}
	return n.f.walkSubnodes(n.bidSub, n.nid, func(e slEntry) error {
		return fn(&node{f: n.f, nid: e.nid, bidData: e.bidData, bidSub: e.bidSub})
	})
}
