package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"

	"github.com/mapiemu/mapiemu/codepage"
)

// Exit statuses.
const (
	exitOK      = 0
	exitInvalid = 1 // an input or flag value is invalid (compare: different objects)
	exitUsage   = 2 // the command line is wrong (compare: any error)
)

const usage = `usage:
  mapiid decode [--json] [--codepage NAME] [ID...]
                                     explain entry IDs field by field (IDs from stdin if none)
  mapiid compare [--codepage NAME] A B
                                     tell whether two entry IDs name the same object
  mapiid build <kind> [flags]        print a new entry ID in hex; kinds:
      oneoff --name N [--type SMTP] --address A [--unicode] [--tnef] [--codepage NAME]
      addressbook --dn DN [--type N] [--codepage NAME]
      exchange-store --server S --dn DN [--public] [--smtp ADDR] [--unwrapped] [--codepage NAME]
      pst-store --path P [--ansi] [--unwrapped] [--codepage NAME]
      folder --provider UID --db GUID --counter N [--type private|public]
      message --provider UID --folder-db GUID --folder-counter N --db GUID --counter N [--type private|public]
      pst --store UID --nid N
      wrap --dll NAME --inner ID [--codepage NAME]
  mapiid help                        print this text
  mapiid <command> --help            print a command's flags

An ID is hex (spaces allowed, optional 0x), "cb: N lpb: HEX", "[len=N, data=HEX]"
or the Windows Search form. 8-bit strings are read and written in Windows-1252
unless --codepage names another code page (windows-1251, shift_jis, 932, ...).
Exit status: 0 ok, 1 invalid input, 2 usage error; compare exits 0 for the
same object, 1 for different objects, 2 on an error.
`

// run is the command: it parses args (without the program name), reads
// stdin when decode has no IDs, and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch cmd, rest := args[0], args[1:]; {
	case cmd == "decode":
		return runDecode(rest, stdin, stdout, stderr)
	case cmd == "compare":
		return runCompare(rest, stdout, stderr)
	case cmd == "build":
		return runBuild(rest, stdout, stderr)
	case cmd == "help" || isHelp(cmd):
		fmt.Fprint(stdout, usage) // asked for: not an error
		return exitOK
	default:
		fmt.Fprintf(stderr, "mapiid: unknown command %s\n", quoteInput(cmd))
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
}

// isHelp reports whether arg asks for help, as the flag package reads it.
func isHelp(arg string) bool {
	switch arg {
	case "-h", "-help", "--h", "--help":
		return true
	}
	return false
}

// flagSet is a command's flags with what its usage needs: the synopsis,
// a one-line summary, and where help and errors go.
type flagSet struct {
	*flag.FlagSet
	synopsis, summary string
	stdout, stderr    io.Writer
}

// newFlagSet returns a flag set that reports to stderr and does not exit.
func newFlagSet(name, synopsis, summary string, stdout, stderr io.Writer) *flagSet {
	fs := &flagSet{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError),
		synopsis: synopsis, summary: summary, stdout: stdout, stderr: stderr}
	// The flag package echoes unknown flags as given: escape them.
	fs.SetOutput(escapingWriter{stderr})
	// parse prints the usage itself, to stdout when it was asked for.
	fs.Usage = func() {}
	return fs
}

// printUsage prints the synopsis, the summary and the flags to w.
func (fs *flagSet) printUsage(w io.Writer) {
	fmt.Fprintf(w, "usage: mapiid %s\n", fs.synopsis)
	if fs.summary != "" {
		fmt.Fprintf(w, "%s\n", fs.summary)
	}
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprint(w, "flags:\n")
		out := fs.Output()
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(out)
	}
}

// parse parses args and returns the exit status to stop with, or -1 to go
// on: 0 after printing the usage on stdout for -h or --help, 2 after a
// flag error (which the flag package has printed) and the usage.
func (fs *flagSet) parse(args []string) int {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return -1
	case errors.Is(err, flag.ErrHelp):
		fs.printUsage(fs.stdout) // asked for: not an error
		return exitOK
	default:
		fs.printUsage(escapingWriter{fs.stderr})
		return exitUsage
	}
}

// usageError prints a usage error and the usage, and returns exitUsage.
func (fs *flagSet) usageError(format string, args ...any) int {
	fmt.Fprintf(fs.stderr, "mapiid %s: %s\n", fs.Name(), escape(fmt.Sprintf(format, args...)))
	fs.printUsage(escapingWriter{fs.stderr})
	return exitUsage
}

// errorf prints "mapiid <command>: <message>" on stderr, escaped, and
// returns status.
func (fs *flagSet) errorf(status int, format string, args ...any) int {
	fmt.Fprintf(fs.stderr, "mapiid %s: %s\n", fs.Name(), escape(fmt.Sprintf(format, args...)))
	return status
}

// parseNumber reads a decimal number or a hex one with a 0x prefix (no
// octal: "010" is ten) that fits in bits.
func parseNumber(s string, bits int) (uint64, error) {
	t, base := s, 10
	if len(t) > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') {
		t, base = t[2:], 16
	}
	if t == "" || t[0] == '+' || t[0] == '-' {
		return 0, fmt.Errorf("%s is not a decimal or 0x hex number", quote(s))
	}
	v, err := strconv.ParseUint(t, base, bits)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
			return 0, fmt.Errorf("%s does not fit in %d bits", s, bits)
		}
		return 0, fmt.Errorf("%s is not a decimal or 0x hex number", quote(s))
	}
	return v, nil
}

// codePageFlag defines --codepage on fs: the Windows code page of 8-bit
// strings, Windows-1252 unless given.
func codePageFlag(fs *flag.FlagSet) *codepage.ID {
	cp := new(codepage.ID)
	fs.Func("codepage", "Windows `code page` of 8-bit strings, a name or number such as windows-1251, shift_jis or 932 (default windows-1252)",
		func(s string) error {
			id, err := codepage.Parse(s)
			if err != nil {
				return err
			}
			*cp = id
			return nil
		})
	return cp
}
