// Package cfb reads and writes compound files ([MS-CFB], the structured
// storage of COM's StgOpenStorage and StgCreateDocfile): the container
// .msg files ([MS-OXMSG]) and older Office documents use. A compound file
// is a tree of storages (directories, each with a class ID) and streams
// (byte sequences), laid out in sectors of 512 bytes (version 3, what .msg
// files use) or 4096 bytes (version 4), with small streams packed in a
// mini stream.
//
// # Reading
//
// [Open] reads a file through an io.ReaderAt and checks all of it before
// it returns: the header (2.2), the FAT through the header's DIFAT and the
// DIFAT sectors (2.3, 2.5), the directory (2.6), the mini FAT and mini
// stream (2.4) and every stream's chain. Walk the tree from [File.Root]
// with [Entry.Children] or [Entry.Child] (names compare as 2.6.4 says:
// case-insensitively, by uppercased UTF-16 code units); read a stream with
// [Entry.ReadAll] or through the io.SectionReader [Entry.Open] returns.
//
// Damaged input gives a *[FormatError] that says what is wrong and where
// (the header field, FAT or DIFAT sector, directory entry) and wraps
// [ErrFormat]; nothing panics and nothing loops (cycles in chains and in
// the directory are errors). Memory stays within a small multiple of the
// file's real size whatever its header claims: each size is checked
// against the chain and the file before it is allocated. Version 3 files
// over 2 GB are refused with [ErrTooLarge].
//
// # Writing
//
// [NewBuilder] starts a tree; [Storage.AddStorage], [Storage.AddStream]
// and [Storage.SetCLSID] fill it, and [Builder.WriteTo] or [Builder.Bytes]
// write it: FAT first, then DIFAT when there are more than 109 FAT
// sectors, the directory, the mini FAT and mini stream holding the streams
// under 4096 bytes, and the larger streams, each in consecutive sectors.
// Each storage's children form a balanced red-black tree in 2.6.4's order.
// The output depends only on the tree: the same tree gives the same bytes,
// with times zero unless set.
//
// [MS-CFB]: https://learn.microsoft.com/openspecs/windows_protocols/ms-cfb/
// [MS-OXMSG]: https://learn.microsoft.com/openspecs/exchange_server_protocols/ms-oxmsg/
package cfb
