// Package entryid reads, builds, compares and prints MAPI entry
// identifiers (ENTRYID) in every layout real Outlook and Exchange data
// carries: store IDs wrapped by MAPI (WrapStoreEntryID) around Exchange
// and PST store IDs, Exchange folder and message IDs, MS-PST IDs, Exchange
// address book and NSPI ephemeral IDs, one-off recipients, Outlook
// Contacts address book IDs (contacts, distribution lists, containers) and
// the WrappedEntryId of distribution list members. The layouts follow
// [MS-OXCDATA] 2.2.4-2.2.5, [MS-OXNSPI] 2.2.9, [MS-OXOCNTC] 2.2.2.2.4.1.1,
// [MS-PST] 2.4.3.2 and the ENTRYID, WrapStoreEntryID and "One-Off Entry
// Identifiers" pages of the MAPI reference.
//
// # Reading
//
// [Identify] names the layout from the header without allocating; [Parse]
// returns the decoded value ([Store], [ExchangeStore], [Folder], [OneOff],
// ...) and ParseStore, ParseFolder, ... decode one layout directly
// ([ParseLongTermID] reads the LongTermIDs and GIDs inside folder and
// message IDs, the form of PR_SOURCE_KEY). Every value type has
// AppendBinary, MarshalBinary and UnmarshalBinary, and for every input
// Parse accepts, Parse then AppendBinary gives the input back byte for
// byte, including the quirks real data has (V2/V3 tail sizes that disagree
// with their bytes, bytes after the end of an ID, which values keep in
// their Trailing field). Malformed input of any kind is a *[ParseError]
// that says where and why and unwraps to [mapispi.ErrInvalidEntryID];
// nothing panics.
//
// # 8-bit strings and code pages
//
// Entry IDs keep some strings (one-off fields without
// MAPI_ONE_OFF_UNICODE, the ANSI path of a PST store, X500 DNs, server and
// DLL names) as 8-bit text in the Windows code page of the program that
// wrote them, without saying which. In Go these fields are text, and the
// value's CodePage field names the code page of their bytes: Parse reads
// Windows-1252 (byte for byte reversible, so round trips stay exact),
// AppendBinary writes the value's code page and refuses, naming it, a
// character the code page cannot hold. [Options] read, compare and
// explain IDs in another code page; the package-level functions use
// Windows-1252. UTF-16 strings are decoded, and must be valid UTF-16 for
// the round trip to hold.
//
// # Comparing
//
// Entry IDs are not binary comparable: one object can have several IDs
// (short-term and long-term, wrapped and unwrapped, one mailbox seen
// through two servers). [Equal] applies the comparison rules it documents,
// C1 to C12; [Compare] says which rules decided and which differences they
// ignored; [Key] returns a string equal for exactly the IDs Equal calls
// equal, stable across versions of this module so that archivers can store
// it; [AppendCanonical] builds the same bytes without allocating. [Split],
// [UnwrapView], Identify, Equal, AppendCanonical and the fixed-size
// decoders (ParseFolder, ParseMessage, ParsePST, ParseEphemeral) do not
// allocate.
//
// # Text
//
// [ParseHex] reads the text forms tools print: plain hex, MFCMAPI's
// "cb: N lpb: HEX", Exchange logs' "[len=N, data=HEX]" and the Windows
// Search URL form of [EncodeSearch]; [FindAll] finds IDs in any of these
// forms inside a longer text, such as a log line.
// [mapispi.EntryID.String] prints upper case hex as Outlook does;
// [FormatCB] and [FormatLog] print the others. [Explain] describes an ID
// field by field with offsets, as the mapiid command prints it.
package entryid
