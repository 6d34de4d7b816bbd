package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
)

// builder is one kind of "mapiid build": it defines its flags on fs and
// returns a function that builds the ID once they are parsed, with 8-bit
// strings in code page *cp. That function's errors are invalid values
// (exit status 1).
type builder struct {
	synopsis string
	summary  string
	define   func(fs *flag.FlagSet, cp *codepage.ID) func() ([]byte, error)
	required []string // flags that must be given
	eightBit bool     // the ID has 8-bit strings: --codepage applies
}

var builders = map[string]builder{
	"oneoff": {
		eightBit: true,
		synopsis: "build oneoff --name N [--type SMTP] --address A [--unicode] [--tnef] [--codepage NAME]",
		summary:  "A one-off recipient entry ID (an address that is in no address book).",
		required: []string{"name", "address"},
		define: func(fs *flag.FlagSet, cp *codepage.ID) func() ([]byte, error) {
			name := fs.String("name", "", "display name")
			typ := fs.String("type", "SMTP", "address type")
			addr := fs.String("address", "", "address")
			unicode := fs.Bool("unicode", false, "write the strings as UTF-16 (MAPI_ONE_OFF_UNICODE)")
			tnef := fs.Bool("tnef", false, "allow rich info (TNEF): do not set MAPI_ONE_OFF_NO_RICH_INFO")
			return func() ([]byte, error) {
				o := entryid.OneOff{DisplayName: *name, AddressType: *typ, Address: *addr, CodePage: *cp}
				if *unicode {
					o.Options |= entryid.OneOffUnicode
				}
				if !*tnef {
					o.Options |= entryid.OneOffNoRichInfo
				}
				b, err := o.AppendBinary(nil)
				if err != nil && !*unicode && errors.Is(err, codepage.ErrUnrepresentable) {
					return nil, fmt.Errorf("%w (use --unicode, or --codepage for a code page that has these characters)", err)
				}
				return b, err
			}
		},
	},
	"addressbook": {
		eightBit: true,
		synopsis: "build addressbook --dn DN [--type N] [--codepage NAME]",
		summary:  "An Exchange address book entry ID (a mailbox, list or other directory object, by X500 DN).",
		required: []string{"dn"},
		define: func(fs *flag.FlagSet, cp *codepage.ID) func() ([]byte, error) {
			dn := fs.String("dn", "", "X500 DN of the object")
			typ := fs.String("type", "0", "display type: a number or a name such as DT_DISTLIST")
			return func() ([]byte, error) {
				t, err := parseDisplayType(*typ)
				if err != nil {
					return nil, fmt.Errorf("--type: %w", err)
				}
				return entryid.AddressBook{Type: t, DN: *dn, CodePage: *cp}.AppendBinary(nil)
			}
		},
	},
	"exchange-store": {
		eightBit: true,
		synopsis: "build exchange-store --server S --dn DN [--public] [--smtp ADDR] [--unwrapped] [--codepage NAME]",
		summary:  "An Exchange mailbox or public folder store entry ID, wrapped for EMSMDB.DLL unless --unwrapped.",
		required: []string{"server"},
		define: func(fs *flag.FlagSet, cp *codepage.ID) func() ([]byte, error) {
			server := fs.String("server", "", "server name (NetBIOS name or SMTP address)")
			dn := fs.String("dn", "", "X500 DN of the mailbox (optional with --public)")
			public := fs.Bool("public", false, "a public folder store")
			smtp := fs.String("smtp", "", "add a V3 tail with this SMTP address")
			unwrapped := fs.Bool("unwrapped", false, "print the provider's ID without the MUIDSTOREWRAP wrap")
			return func() ([]byte, error) {
				e := entryid.ExchangeStore{Provider: entryid.StorePrivateUID, Type: entryid.MailboxStoreType, Server: *server, MailboxDN: *dn, CodePage: *cp}
				if *public {
					e.Provider, e.Type = entryid.StorePublicUID, entryid.PublicStoreType
				} else if *dn == "" {
					return nil, fmt.Errorf("a mailbox store needs --dn")
				}
				if *smtp != "" {
					e.V3 = entryid.NewStoreV3(*smtp)
				}
				if *unwrapped {
					return e.AppendBinary(nil)
				}
				return e.Wrapped()
			}
		},
	},
	"pst-store": {
		eightBit: true,
		synopsis: "build pst-store --path P [--ansi] [--unwrapped] [--codepage NAME]",
		summary:  "A PST store entry ID, wrapped for mspst.dll unless --unwrapped.",
		required: []string{"path"},
		define: func(fs *flag.FlagSet, cp *codepage.ID) func() ([]byte, error) {
			path := fs.String("path", "", "path of the PST file")
			ansi := fs.Bool("ansi", false, "write only the 8-bit path, in the --codepage, as Outlook 97 and 98 do")
			unwrapped := fs.Bool("unwrapped", false, "print the provider's ID without the MUIDSTOREWRAP wrap")
			return func() ([]byte, error) {
				p := entryid.PSTStore{UnicodePath: *path}
				if *ansi {
					p = entryid.PSTStore{ANSIPath: *path, CodePage: *cp}
				}
				if *unwrapped {
					return p.AppendBinary(nil)
				}
				return p.Wrapped()
			}
		},
	},
	"folder": {
		synopsis: "build folder --provider UID --db GUID --counter N [--type private|public]",
		summary:  "An Exchange folder entry ID.",
		required: []string{"db", "counter"},
		define: func(fs *flag.FlagSet, cp *codepage.ID) func() ([]byte, error) {
			provider := fs.String("provider", "", "provider UID: the mailbox GUID (default for --type public: pbLongTermNonPrivateGuid)")
			db := fs.String("db", "", "database (replica) GUID of the folder")
			counter := fs.String("counter", "", "global counter of the folder")
			typ := fs.String("type", "private", "private or public")
			return func() ([]byte, error) {
				f := entryid.Folder{Type: entryid.PrivateFolder}
				var err error
				if f.Provider, err = storeProvider(*provider, *typ); err != nil {
					return nil, err
				}
				if *typ == "public" {
					f.Type = entryid.PublicFolder
				}
				if f.ID, err = longTermID(*db, *counter, ""); err != nil {
					return nil, err
				}
				return f.AppendBinary(nil)
			}
		},
	},
	"message": {
		synopsis: "build message --provider UID --folder-db GUID --folder-counter N --db GUID --counter N [--type private|public]",
		summary:  "An Exchange message entry ID.",
		required: []string{"folder-db", "folder-counter", "db", "counter"},
		define: func(fs *flag.FlagSet, cp *codepage.ID) func() ([]byte, error) {
			provider := fs.String("provider", "", "provider UID: the mailbox GUID (default for --type public: pbLongTermNonPrivateGuid)")
			fdb := fs.String("folder-db", "", "database GUID of the parent folder")
			fcounter := fs.String("folder-counter", "", "global counter of the parent folder")
			db := fs.String("db", "", "database GUID of the message")
			counter := fs.String("counter", "", "global counter of the message")
			typ := fs.String("type", "private", "private or public")
			return func() ([]byte, error) {
				m := entryid.Message{Type: entryid.PrivateMessage}
				var err error
				if m.Provider, err = storeProvider(*provider, *typ); err != nil {
					return nil, err
				}
				if *typ == "public" {
					m.Type = entryid.PublicMessage
				}
				if m.Folder, err = longTermID(*fdb, *fcounter, "folder-"); err != nil {
					return nil, err
				}
				if m.ID, err = longTermID(*db, *counter, ""); err != nil {
					return nil, err
				}
				return m.AppendBinary(nil)
			}
		},
	},
	"pst": {
		synopsis: "build pst --store UID --nid N",
		summary:  "A PST folder or message entry ID.",
		required: []string{"store", "nid"},
		define: func(fs *flag.FlagSet, cp *codepage.ID) func() ([]byte, error) {
			store := fs.String("store", "", "record key of the PST's message store")
			nid := fs.String("nid", "", "node ID")
			return func() ([]byte, error) {
				u, err := mapispi.ParseUID(*store)
				if err != nil {
					return nil, fmt.Errorf("--store: %w", err)
				}
				n, err := parseNumber(*nid, 32)
				if err != nil {
					return nil, fmt.Errorf("--nid: %w", err)
				}
				return entryid.PST{Store: u, NID: entryid.NID(n)}.AppendBinary(nil)
			}
		},
	},
	"wrap": {
		eightBit: true,
		synopsis: "build wrap --dll NAME --inner ID [--codepage NAME]",
		summary:  "Wrap a provider's store entry ID for MAPI, as MUIDSTOREWRAP IDs are.",
		required: []string{"dll", "inner"},
		define: func(fs *flag.FlagSet, cp *codepage.ID) func() ([]byte, error) {
			dll := fs.String("dll", "", `provider DLL name, such as "EMSMDB.DLL" or "mspst.dll"`)
			inner := fs.String("inner", "", "the provider's store entry ID (any text decode accepts)")
			return func() ([]byte, error) {
				b, err := entryid.ParseHex(*inner)
				if err != nil {
					return nil, fmt.Errorf("--inner: %w", err)
				}
				if len(b) == 0 {
					return nil, fmt.Errorf("--inner: empty entry ID")
				}
				return entryid.Store{DLL: *dll, Inner: b, CodePage: *cp}.AppendBinary(nil)
			}
		},
	},
}

// buildKinds lists the kinds in the order the usage gives them.
var buildKinds = []string{"oneoff", "addressbook", "exchange-store", "pst-store", "folder", "message", "pst", "wrap"}

// buildUsage is the usage of "mapiid build" itself.
func buildUsage(w io.Writer) {
	fmt.Fprint(w, "usage: mapiid build <kind> [flags]\nPrint a new entry ID in hex. Kinds:\n")
	for _, k := range buildKinds {
		fmt.Fprintf(w, "  %s\n", strings.TrimPrefix(builders[k].synopsis, "build "))
	}
	fmt.Fprint(w, "Run \"mapiid build <kind> --help\" for a kind's flags.\n")
}

func runBuild(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && isHelp(args[0]) {
		buildUsage(stdout)
		return exitOK
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprint(stderr, "mapiid build: the kind of ID comes first\n")
		buildUsage(stderr)
		return exitUsage
	}
	kind := args[0]
	bd, ok := builders[kind]
	if !ok {
		fmt.Fprintf(stderr, "mapiid build: unknown kind %s; kinds: %s\n", quoteInput(kind), strings.Join(buildKinds, ", "))
		return exitUsage
	}
	fs := newFlagSet("build "+kind, bd.synopsis, bd.summary, stdout, stderr)
	cp := new(codepage.ID)
	if bd.eightBit {
		cp = codePageFlag(fs.FlagSet)
	}
	build := bd.define(fs.FlagSet, cp)
	if st := fs.parse(args[1:]); st >= 0 {
		return st
	}
	if fs.NArg() > 0 {
		return fs.usageError("unexpected argument %s", quoteInput(fs.Arg(0)))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var missing []string
	for _, r := range bd.required {
		if !set[r] {
			missing = append(missing, "--"+r)
		}
	}
	if len(missing) > 0 {
		return fs.usageError("missing %s", strings.Join(missing, ", "))
	}
	for _, r := range bd.required {
		if f := fs.Lookup(r); f != nil && f.Value.String() == "" {
			return fs.usageError("--%s is empty", r)
		}
	}
	b, err := build()
	if err != nil {
		return fs.errorf(exitInvalid, "%v", err)
	}
	// The fields may give bytes another layout claims (a folder whose
	// provider UID is a well-known one, say): refuse what decode would not
	// read back.
	if _, err := (entryid.Options{CodePage: *cp}).Parse(b); err != nil {
		return fs.errorf(exitInvalid, "the fields give %s, which is not an entry ID Parse accepts: %v", mapispi.EntryID(b), err)
	}
	fmt.Fprintln(stdout, mapispi.EntryID(b).String())
	return exitOK
}

// storeProvider returns the provider UID of a folder or message ID; a
// public one defaults to pbLongTermNonPrivateGuid.
func storeProvider(s, typ string) (mapispi.UID, error) {
	switch typ {
	case "private", "public":
	default:
		return mapispi.UID{}, fmt.Errorf("--type: %s is neither private nor public", quote(typ))
	}
	if s == "" {
		if typ == "public" {
			return entryid.PublicFolderUID, nil
		}
		return mapispi.UID{}, fmt.Errorf("--provider: a private folder or message needs the mailbox's provider UID")
	}
	u, err := mapispi.ParseUID(s)
	if err != nil {
		return mapispi.UID{}, fmt.Errorf("--provider: %w", err)
	}
	return u, nil
}

// longTermID reads a database GUID and a 48-bit global counter from the
// flags --<prefix>db and --<prefix>counter.
func longTermID(db, counter, prefix string) (entryid.LongTermID, error) {
	u, err := mapispi.ParseUID(db)
	if err != nil {
		return entryid.LongTermID{}, fmt.Errorf("--%sdb: %w", prefix, err)
	}
	c, err := parseNumber(counter, 48)
	if err != nil {
		return entryid.LongTermID{}, fmt.Errorf("--%scounter: %w", prefix, err)
	}
	return entryid.LongTermID{Database: u, Counter: c}, nil
}

// displayTypes are the display types build addressbook knows by name.
var displayTypes = []entryid.DisplayType{
	entryid.DTMailUser, entryid.DTDistList, entryid.DTForum, entryid.DTAgent,
	entryid.DTOrganization, entryid.DTPrivateDistList, entryid.DTRemoteMailUser,
	entryid.DTContainer, entryid.DTTemplate, entryid.DTAddressTemplate, entryid.DTSearch,
}

func parseDisplayType(s string) (entryid.DisplayType, error) {
	for _, t := range displayTypes {
		if strings.EqualFold(s, t.String()) {
			return t, nil
		}
	}
	n, err := parseNumber(s, 32)
	if err != nil {
		return 0, err
	}
	return entryid.DisplayType(n), nil
}
