// Package pst reads Outlook's Personal Folders files (.pst), as [MS-PST]
// describes them, in layers: the node database (NDB: the header, the
// node and block B-trees, blocks with their trailers and encodings, data
// trees and subnode trees), the lists, tables and properties layer (LTP:
// heap-on-node, BTree-on-heap, property contexts and table contexts),
// and the messaging layer (the store, folders, messages, recipients,
// attachments, embedded messages, the named property map, entry IDs, and
// Message.Content, a message whole for mapiutil.WriteMessage).
//
// A file is read through an io.ReaderAt with a bounded cache of blocks,
// B-tree pages and the named property map, never whole; a damaged file is an error that says what is wrong and
// where (offset, node ID, block ID) and wraps ErrFormat, never a panic,
// a hang or an allocation that the file's claims inflate.
package pst
