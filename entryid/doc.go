// Package entryid reads, builds, compares and prints MAPI entry
// identifiers (ENTRYID) in every layout real Outlook and Exchange data
// carries: store IDs wrapped by MAPI (WrapStoreEntryID) around Exchange
// and PST store IDs, Exchange folder and message IDs, MS-PST IDs, Exchange
// address book and NSPI ephemeral IDs, one-off recipients, Outlook
// Contacts address book IDs (contacts, distribution lists, containers) and
// the WrappedEntryId of distribution list members. The layouts follow
// [MS-OXCDATA] 2.2.4-2.2.5, [MS-OXNSPI] 2.2.9, [MS-OXOCNTC] 2.2.2.2.4.1.1,
// [MS-PST] 2.4.3.2 and the MAPI reference, as restated in
// shared/spec/entryid-formats.md.
//
// # Reading
//
// [Identify] names the layout from the header without allocating; [Parse]
// returns the decoded value ([Store], [ExchangeStore], [Folder], [OneOff],
// ...) and ParseStore, ParseFolder, ... decode one layout directly
// ([ParseLongTermID] reads the LongTermIDs and GIDs inside folder and
// message IDs, the form of PR_SOURCE_KEY). Every
// value type has AppendBinary, MarshalBinary and UnmarshalBinary, and for
// every input Parse accepts, Parse then AppendBinary gives the input back
// byte for byte, including the quirks real data has (V2/V3 tail sizes that
// disagree with their bytes, the 3 meaningless bytes Outlook adds to
// contact IDs). Malformed input of any kind is a *[ParseError] that says
// where and why and unwraps to [mapispi.ErrInvalidEntryID]; nothing panics.
//
// 8-bit strings (DLL names, X500 DNs, ANSI paths and one-off fields) are
// kept as the bytes stored, since entry IDs do not record a code page;
// UTF-16 strings are decoded, and must be valid UTF-16 for the round trip
// to hold.
//
// # Comparing
//
// Entry IDs are not binary comparable: one object can have several IDs
// (short-term and long-term, wrapped and unwrapped, one mailbox seen
// through two servers). [Equal] applies the comparison rules of the spec's
// section 8 and [AppendCanonical] returns the form Equal compares, for use
// as a map key. [Split], [UnwrapView], Identify, Equal, AppendCanonical and
// the fixed-size decoders (ParseFolder, ParseMessage, ParsePST,
// ParseEphemeral) do not allocate; TestZeroAllocs proves it.
//
// # Text
//
// [ParseHex] reads the text forms tools print: plain hex, MFCMAPI's
// "cb: N lpb: HEX", Exchange logs' "[len=N, data=HEX]" and the Windows
// Search URL form of [EncodeSearch]. [mapispi.EntryID.String] prints upper
// case hex as Outlook does; [FormatCB] and [FormatLog] print the others.
// [Explain] describes an ID field by field with offsets, as the mapiid
// command prints it.
package entryid
