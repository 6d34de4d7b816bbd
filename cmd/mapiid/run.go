package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Exit statuses.
const (
	exitOK      = 0
	exitInvalid = 1 // an input or flag value is invalid
	exitUsage   = 2 // the command line is wrong
)

const usage = `usage:
  mapiid decode [--json] [ID...]     explain entry IDs field by field (IDs from stdin if none)
  mapiid compare A B                 tell whether two entry IDs name the same object
  mapiid build <kind> [flags]        print a new entry ID in hex; kinds:
      oneoff --name N [--type SMTP] --address A [--unicode] [--tnef]
      addressbook --dn DN [--type N]
      exchange-store --server S --dn DN [--public] [--smtp ADDR] [--unwrapped]
      pst-store --path P [--ansi] [--unwrapped]
      folder --provider UID --db GUID --counter N [--type private|public]
      message --provider UID --folder-db GUID --folder-counter N --db GUID --counter N [--type private|public]
      pst --store UID --nid N
      wrap --dll NAME --inner ID
  mapiid help                        print this text

An ID is hex (spaces allowed, optional 0x), "cb: N lpb: HEX", "[len=N, data=HEX]"
or the Windows Search form. Exit status: 0 ok (compare: either verdict), 1 invalid
input, 2 usage error.
`

// run is the command: it parses args (without the program name), reads
// stdin when decode has no IDs, and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "decode":
		return runDecode(rest, stdin, stdout, stderr)
	case "compare":
		return runCompare(rest, stdout, stderr)
	case "build":
		return runBuild(rest, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage) // asked for: not an error
		return exitOK
	default:
		fmt.Fprintf(stderr, "mapiid: unknown command %q\n", cmd)
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
}

// newFlagSet returns a flag set that reports to stderr and does not exit.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: mapiid %s\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args with fs and returns the exit status for a flag
// error (the flag package has already printed it), or -1 to go on.
func parseFlags(fs *flag.FlagSet, args []string) int {
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	return -1
}

// usageError prints a usage error for fs and returns exitUsage.
func usageError(fs *flag.FlagSet, stderr io.Writer, format string, args ...any) int {
	fmt.Fprintf(stderr, "mapiid %s: %s\n", fs.Name(), fmt.Sprintf(format, args...))
	fs.Usage()
	return exitUsage
}

// abbrev shortens an input for an error message.
func abbrev(s string) string {
	s = strings.TrimSpace(s)
	const max = 40
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-3]) + "..."
}

// parseNumber reads a decimal number or a hex one with a 0x prefix (no
// octal: "010" is ten) that fits in bits.
func parseNumber(s string, bits int) (uint64, error) {
	t, base := s, 10
	if len(t) > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') {
		t, base = t[2:], 16
	}
	if t == "" || t[0] == '+' || t[0] == '-' {
		return 0, fmt.Errorf("%q is not a decimal or 0x hex number", s)
	}
	v, err := strconv.ParseUint(t, base, bits)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
			return 0, fmt.Errorf("%s does not fit in %d bits", s, bits)
		}
		return 0, fmt.Errorf("%q is not a decimal or 0x hex number", s)
	}
	return v, nil
}
