package entryid_test

import (
	"fmt"

	"github.com/mapiemu/mapiemu/entryid"
)

// A store ID as Outlook prints it: the Exchange mailbox of one user,
// wrapped by MAPI.
const mailboxStoreID = "0000000038A1BB1005E5101AA1BB08002B2A56C20000454D534D44422E444C4C00000000000000001B55FA20AA6611CD9BC800AA002FC45A0C000000534552564552002F6F3D6D6963726F736F66742F6F753D736F6D657468696E672F636E3D526563697069656E74732F636E3D313233343500"

func ExampleParse() {
	id, err := entryid.ParseHex(mailboxStoreID)
	if err != nil {
		panic(err)
	}
	s, err := entryid.Parse(id)
	if err != nil {
		panic(err)
	}
	store := s.(entryid.Store)
	x, err := store.Exchange()
	if err != nil {
		panic(err)
	}
	fmt.Println(entryid.Identify(id), store.DLL)
	fmt.Println(x.Server, x.MailboxDN)
	// Output:
	// store EMSMDB.DLL
	// SERVER /o=microsoft/ou=something/cn=Recipients/cn=12345
}

func ExampleEqual() {
	id, _ := entryid.ParseHex(mailboxStoreID)
	inner, _ := entryid.UnwrapView(id)

	// The same mailbox: unwrapped, as a short-term ID, through a server
	// whose name is spelled in lower case.
	x, _ := entryid.ParseExchangeStore(inner)
	x.Flags = entryid.ShortTerm
	x.Server = "server"
	other, _ := x.MarshalBinary()

	fmt.Println(entryid.Equal(id, inner), entryid.Equal(id, other))

	// Canonical forms make map keys that follow the same rules.
	seen := map[string]bool{}
	for _, b := range [][]byte{id, inner, other} {
		key, _ := entryid.AppendCanonical(nil, b)
		seen[string(key)] = true
	}
	fmt.Println(len(seen), "mailbox")
	// Output:
	// true true
	// 1 mailbox
}

func ExampleOneOff() {
	b, err := entryid.NewOneOff("Ann Smith", "SMTP", "ann@example.com").MarshalBinary()
	if err != nil {
		panic(err)
	}
	o, err := entryid.ParseOneOff(b)
	if err != nil {
		panic(err)
	}
	fmt.Println(entryid.Identify(b), len(b), o.Options)
	fmt.Printf("%s <%s:%s>\n", o.DisplayName, o.AddressType, o.Address)
	// Output:
	// one-off 86 MAPI_ONE_OFF_UNICODE|MAPI_ONE_OFF_NO_RICH_INFO
	// Ann Smith <SMTP:ann@example.com>
}

func ExampleParseHex() {
	for _, s := range []string{
		"00000000 0FC47A51 C32F264A AA1CD7F2 BA4F1D7A 82800000",
		"cb: 24 lpb: 000000000FC47A51C32F264AAA1CD7F2BA4F1D7A82800000",
		"[len=24, data=000000000FC47A51C32F264AAA1CD7F2BA4F1D7A82800000]",
	} {
		id, err := entryid.ParseHex(s)
		if err != nil {
			panic(err)
		}
		p, _ := entryid.ParsePST(id)
		fmt.Println(p.NID)
	}
	_, err := entryid.ParseHex("cb: 25 lpb: 000000000FC47A51C32F264AAA1CD7F2BA4F1D7A82800000")
	fmt.Println(err)
	// Output:
	// 0x00008082 (NormalFolder #0x404)
	// 0x00008082 (NormalFolder #0x404)
	// 0x00008082 (NormalFolder #0x404)
	// entryid: offset 12: the text says 25 bytes but holds 24
}

func ExampleWrapStore() {
	inner, _ := entryid.PSTStore{UnicodePath: `C:\Mail\archive.pst`}.MarshalBinary()
	wrapped := entryid.WrapStore("mspst.dll", inner)
	dll, got, err := entryid.UnwrapStore(wrapped)
	fmt.Println(len(inner), len(wrapped), dll, err, string(got) == string(inner))
	// Output:
	// 62 94 mspst.dll <nil> true
}

func ExampleExplain() {
	id, _ := entryid.ParseHex("000000000FC47A51C32F264AAA1CD7F2BA4F1D7A82800000")
	f, err := entryid.Explain(id)
	if err != nil {
		panic(err)
	}
	fmt.Println(f.Name, f.Size)
	for _, c := range f.Fields {
		fmt.Printf("%2d %2d %-11s %s\n", c.Offset, c.Size, c.Name, c.Value)
	}
	// Output:
	// PST entry ID 24
	//  0  4 abFlags     0x00000000
	//  4 16 record key  {517AC40F-2FC3-4A26-AA1C-D7F2BA4F1D7A}
	// 20  4 NID         0x00008082 (NormalFolder #0x404)
}
