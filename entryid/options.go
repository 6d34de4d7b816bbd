package entryid

import "github.com/mapiemu/mapiemu/codepage"

// Options say how to read the 8-bit strings of entry IDs: one-off fields
// without MAPI_ONE_OFF_UNICODE, PST ANSI paths, X500 DNs, server names and
// DLL names. Entry IDs keep them in the Windows code page of the program
// that wrote them and do not record which, so the reader must say: the
// zero Options read Windows-1252, the code page of Western-language
// Outlook, and the package-level functions ([Parse], [Equal], [Compare],
// [AppendCanonical], [Key], [Explain]) use them.
//
// The code page is used the same way everywhere: Parse decodes the
// strings with it (and records it in the value's CodePage field, which
// AppendBinary encodes with), Equal, Compare, AppendCanonical and Key
// compare an 8-bit string with a UTF-16 one as the text it decodes to,
// and Explain prints that text. Windows-1252 maps every byte to one
// character and back, so reading with it never fails and round trips are
// exact; with another code page, bytes not valid in it make the ID
// malformed for these functions (Parse reports them with a
// *codepage.Error as the ParseError's Err).
type Options struct {
	// CodePage is the Windows code page of 8-bit strings; zero is
	// Windows-1252. It must be one package codepage supports.
	CodePage codepage.ID
}
