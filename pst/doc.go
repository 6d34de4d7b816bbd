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
//
// What a method returns is the caller's, to keep or to change: its
// values (binary and multi-valued ones are slices), rows and maps are
// made for the call and share no memory with the cache, with what the
// File, a Folder, a Message or an Attachment keeps (the store's code
// page and record key, the named property map, an attachment's row of
// its message's attachment table, which Attachment.Props copies), or
// with what another call returns, in this goroutine or another.
//
// In particular a value is stored once, and decoded once by each call
// that returns it: two properties of one property context, or two
// cells of the table rows one call returns, that reference the same
// heap allocation (HID) or subnode are an error naming the node and
// the HID or subnode, as Outlook never writes them. And each call (a
// method of File, Folder, Message or Attachment; Message.Content
// whole) decodes at most 4 times the file's size, and 1 MiB more, of
// stored values, counting 8 bytes for each value besides: a call that
// would pass that, through subnodes or nodes whose data share blocks,
// is an error. So what a call allocates for the values it returns
// stays within a small multiple of the file's size; reading a file as
// Outlook writes it comes nowhere near the bound. Folder.Subfolders,
// Folder.Messages and Folder.Associated read only the row ID cell
// (PidTagLtpRowId) of their tables' rows, which names each object they
// list.
package pst
