// Package wire holds the little-endian encodings that several of MAPI's
// storage formats share, so that each format package reads and writes
// them one way:
//
//   - UTF-16LE text, the PT_UNICODE form of [MS-OXCDATA] 2.11.1 that
//     [MS-OXMSG] streams, [MS-CFB] directory names and [MS-PST] heap
//     values hold (the Windows WCHAR string of MultiByteToWideChar and
//     WideCharToMultiByte with CP_UTF8);
//   - FILETIME ([MS-DTYP] 2.3.3), PT_SYSTIME's form: 100-nanosecond
//     intervals since 1601-01-01 UTC (FileTimeToSystemTime and
//     SystemTimeToFileTime);
//   - the CRC-32 of [MS-OXRTFCP] 2.1.3.2, [MS-OXMSG] 2.2.3.2.2 and
//     [MS-PST] 5.3: the IEEE 802.3 polynomial with a register that starts
//     at 0 and is not inverted at the end.
//
// The functions take and return plain values and slices and never panic:
// any byte slice decodes, and a value that cannot be encoded is reported
// with a boolean, for the caller to turn into its own MAPI error. The
// allocation counts the doc comments state are checked by the tests with
// testing.AllocsPerRun.
//
// [MS-OXCDATA]: https://learn.microsoft.com/openspecs/exchange_server_protocols/ms-oxcdata/
// [MS-OXMSG]: https://learn.microsoft.com/openspecs/exchange_server_protocols/ms-oxmsg/
// [MS-CFB]: https://learn.microsoft.com/openspecs/windows_protocols/ms-cfb/
// [MS-PST]: https://learn.microsoft.com/openspecs/office_file_formats/ms-pst/
// [MS-DTYP]: https://learn.microsoft.com/openspecs/windows_protocols/ms-dtyp/
// [MS-OXRTFCP]: https://learn.microsoft.com/openspecs/exchange_server_protocols/ms-oxrtfcp/
package wire
