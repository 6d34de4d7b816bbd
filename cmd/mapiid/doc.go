// Command mapiid decodes, compares and builds MAPI entry IDs.
//
// Usage:
//
//	mapiid decode [--json] [--codepage NAME] [ID...]
//	mapiid compare [--codepage NAME] A B
//	mapiid build <kind> [flags]
//	mapiid help
//	mapiid <command> --help
//
// An ID is any text [entryid.ParseHex] accepts: hex digits of either case
// with or without spaces ("0000000038A1BB10..." or "00 00 00 00 38 a1 ..."),
// optionally prefixed by "0x"; MFCMAPI's "cb: N lpb: HEX"; the
// "[len=N, data=HEX]" form of Exchange logs; or the Windows Search URL
// form. An ID that holds spaces must be quoted as one argument. Flags come
// before the IDs.
//
// # decode
//
// decode explains each ID field by field, as [entryid.Explain] sees it.
// With no IDs it reads one ID per line from standard input and skips blank
// lines. For each ID it prints a header line with the layout and length,
// then one line per field:
//
//	store entry ID (173 bytes)
//	  0x0000     4  abFlags                  0x00000000
//	  0x0004    16  ProviderUID              {10BBA138-E505-1A10-A1BB-08002B2A56C2} (MUIDSTOREWRAP)
//	  0x0014     1  Version                  0x00
//	  0x0015     1  Flag                     0x00 (MAPIMDB_NORMAL)
//	  0x0016    11  DLL name                 "EMSMDB.DLL"
//	  0x0021     3  padding                  000000
//	  0x0024   137  Exchange store entry ID
//	    0x0024     4  abFlags          0x00000000
//	    0x0028    16  ProviderUID      {20FA551B-66AA-CD11-9BC8-00AA002FC45A} (g_muidStorePrivate)
//	    0x0038     4  WrappedType      0x0000000C (OPENSTORE_HOME_LOGON|OPENSTORE_TAKE_OWNERSHIP)
//	    0x003C     9  ServerShortname  "BOOEX2K7"
//	    0x0045   104  MailboxDN        "/o=First Organization/ou=Exchange [...]/cn=Administrator"
//
// The first column is the field's byte offset from the start of the ID in
// hex, as a hex editor shows it; the second its size in bytes, in
// decimal; then the field's name and its value. Both columns are at least
// four digits wide and grow for longer IDs. Sub-fields (an embedded entry
// ID, the parts of a LongTermID, a V2 or V3 store tail) are indented two
// more spaces under their parent. A warning about a field follows it on a
// line of its own, starting with "!". IDs are separated by a blank line.
// Offsets in error messages and warnings are decimal, as
// [entryid.ParseError] gives them.
//
// Strings are printed in double quotes as they are: a PST path reads
// "C:\Users\ann\Outlook.pst", not "C:\\Users\\ann\\Outlook.pst". Only control
// characters, format characters such as bidirectional overrides, and
// bytes that are not UTF-8 are written as Go escapes ("\x1b", "\u202e",
// "\xff"), so that no input, whatever it holds, can send escape sequences
// to a terminal. The same holds for every input mapiid quotes in an error
// message, in every command.
//
// "cb: 0 lpb: NULL" and "[len=0, data=]" are MAPI's way of saying there
// is no entry ID: decode prints "no entry ID (0 bytes)" and counts it as
// a success.
//
// With --json decode prints one JSON object per ID, one per line (JSON
// Lines), so that output can be streamed: the fields of [entryid.Field]
// (name, offset, size, value, note, fields) plus "input" (the text as
// given, without surrounding space), "hex" (the bytes in upper-case hex)
// and "kind" (the layout name of [entryid.Kind], such as "folder", or
// "none" for "no entry ID").
//
// An ID that does not decode is reported on standard error as
//
//	mapiid decode: "<input>": <error>
//	mapiid decode: line <N>: "<input>": <error>
//
// (the second for IDs read from standard input), with the byte offset (or
// the text offset, for text that is not hex) in the error. The input is escaped as above and cut after 60
// characters, with its length given. decode goes on with the next ID and
// exits with status 1 at the end.
//
// # compare
//
// compare prints "same object" or "different objects", then indented
// lines that give the reasons, all from [entryid.Compare]: the layouts of
// the two IDs, Parse's error for an ID it rejects, "identical bytes" when
// they are, then one line per difference (those that decide first), and
// last the comparison rules the differences cite, in a few words:
//
//	same object
//	  both Exchange store entry IDs
//	  wrap abFlags differs (0x00000000, 0x00000080 (MAPI_SHORTTERM)): ignored by C2
//	  MailboxDN differs only in case ("/o=x/cn=Ann", "/O=X/cn=ann"): ignored by C5
//	  C2: abFlags are ignored, but an ephemeral ID never equals a permanent one
//	  C5: Exchange stores compare by mailbox DN and public bit, address book IDs by DN, without regard to case
//
// The rules are those [entryid.Equal] states in full. Bytes that no layout
// reads are still compared: they name the same object only as the same
// bytes (rule C12).
//
// Like cmp and diff, compare exits with status 0 when the IDs name the
// same object, 1 when they do not, and 2 on an error: a usage error, or
// an ID that is not valid text or is "no entry ID", reported as
//
//	mapiid compare: first ID "<input>": <error>
//
// or "second ID".
//
// # Code pages
//
// Entry IDs keep some strings as 8-bit text (one-off fields without
// MAPI_ONE_OFF_UNICODE, the ANSI path of a PST store, X500 DNs, server
// and DLL names) in the Windows code page of the program that wrote them,
// and do not record which. decode, compare and build read and write them
// in Windows-1252, the code page of Western-language Outlook, unless
// --codepage names another: a name or number package codepage knows,
// such as windows-1251, cp1251, 1251, shift_jis or 932. The code page
// changes how decode prints these strings, which strings compare equal
// (an 8-bit address and a UTF-16 one are compared as the text the bytes
// decode to), and which bytes build writes. An unknown code page is a
// usage error (status 2).
//
// # build
//
// build prints a new entry ID as upper-case hex. The kinds and their flags:
//
//	oneoff --name N [--type SMTP] --address A [--unicode] [--tnef] [--codepage NAME]
//	addressbook --dn DN [--type N] [--codepage NAME]
//	exchange-store --server S --dn DN [--public] [--smtp ADDR] [--unwrapped] [--codepage NAME]
//	pst-store --path P [--ansi] [--unwrapped] [--codepage NAME]
//	folder --provider UID --db GUID --counter N [--type private|public]
//	message --provider UID --folder-db GUID --folder-counter N --db GUID --counter N [--type private|public]
//	pst --store UID --nid N
//	wrap --dll NAME --inner ID [--codepage NAME]
//
// Every flag in a synopsis that is not in brackets is required: build
// exits with status 2 when one is missing or empty.
//
// A one-off ID has 8-bit strings unless --unicode is given, and
// MAPI_ONE_OFF_NO_RICH_INFO set unless --tnef is given. The --type of an
// address book ID is a display type, as a number or a name such as
// DT_DISTLIST (default DT_MAILUSER). Exchange and PST store IDs are printed
// wrapped, as clients see them ("EMSMDB.DLL" and "mspst.dll"), unless
// --unwrapped is given; --smtp adds a V3 tail with the mailbox's SMTP
// address, and a --public store may omit --dn. pst-store writes the path
// as UTF-16 unless --ansi is given, which writes it as 8-bit text. A
// public folder or message without --provider gets the public folder
// provider UID (pbLongTermNonPrivateGuid).
//
// UIDs and GUIDs are in registry form ("{10BBA138-E505-1A10-A1BB-08002B2A56C2}",
// braces optional) or 32 hex digits in byte order, as
// [mapispi.ParseUID] reads them. Counters and other numbers are decimal, or
// hex with a 0x prefix. build exits with status 2 for unknown or missing
// or empty flags and 1 for values that are invalid (a malformed UID, a
// counter wider than 48 bits, 8-bit text the code page cannot hold,
// fields that give bytes decode would read as another layout).
//
// # Exit status
//
// 0 on success, 1 when an input or value is invalid, 2 on a usage error
// (including no arguments, which prints the usage on standard error);
// compare's statuses are its own, given above. "mapiid help", and -h or
// --help after any command or build kind, print the usage on standard
// output and exit with 0.
package main
