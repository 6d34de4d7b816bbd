// Command mapimsg reads and writes .msg files, MAPI messages saved by
// Outlook ([MS-OXMSG]):
//
//	mapimsg dump [--json] FILE     the message: properties (named ones with
//	                               their set and name), recipients,
//	                               attachments and embedded messages
//	mapimsg rewrite IN OUT         read IN as a message and write it as OUT
//	mapimsg rtf FILE               the RTF body: PR_RTF_COMPRESSED decompressed
//
// Exit status: 0 ok, 1 a file that cannot be read or written (the
// message says why), 2 a usage error.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/mapiemu/mapiemu/internal/dump"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msgfile"
	"github.com/mapiemu/mapiemu/rtfcp"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

const (
	exitOK      = 0
	exitInvalid = 1
	exitUsage   = 2
)

const usage = `usage:
  mapimsg dump [--json] FILE   print a .msg file's message, recipients, attachments
  mapimsg rewrite IN OUT       read IN and write it again as OUT
  mapimsg rtf FILE             print the RTF body (PR_RTF_COMPRESSED, decompressed)
  mapimsg help                 print this text
Exit status: 0 ok, 1 a file that cannot be read or written, 2 usage error.
`

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "dump":
		return runDump(args[1:], stdout, stderr)
	case "rewrite":
		return runRewrite(args[1:], stderr)
	case "rtf":
		return runRTF(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "mapimsg: unknown command %q\n%s", args[0], usage)
	return exitUsage
}

func runDump(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("dump", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print one JSON object")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(stderr, "mapimsg dump: want one FILE, got %d arguments\n%s", fs.NArg(), usage)
		return exitUsage
	}
	m, err := read(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "mapimsg: %v\n", err)
		return exitInvalid
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(m)
	} else {
		err = m.WriteText(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "mapimsg: %v\n", err)
		return exitInvalid
	}
	return exitOK
}

// read reads the .msg file at path whole.
func read(path string) (*dump.Message, error) {
	ctx := context.Background()
	msg, err := msgfile.OpenFile(path, 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer msg.Close(ctx)
	m, err := dump.Read(ctx, msg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

func runRewrite(args []string, stderr io.Writer) int {
	if len(args) != 2 {
		fmt.Fprintf(stderr, "mapimsg rewrite: want IN OUT, got %d arguments\n%s", len(args), usage)
		return exitUsage
	}
	ctx := context.Background()
	msg, err := msgfile.OpenFile(args[0], 0)
	if err != nil {
		fmt.Fprintf(stderr, "mapimsg: %s: %v\n", args[0], err)
		return exitInvalid
	}
	defer msg.Close(ctx)
	out, err := os.Create(args[1])
	if err != nil {
		fmt.Fprintf(stderr, "mapimsg: %v\n", err)
		return exitInvalid
	}
	_, werr := msg.WriteTo(out)
	if err := out.Close(); werr == nil {
		werr = err
	}
	if werr != nil {
		fmt.Fprintf(stderr, "mapimsg: %s: %v\n", args[1], werr)
		return exitInvalid
	}
	return exitOK
}

func runRTF(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintf(stderr, "mapimsg rtf: want one FILE, got %d arguments\n%s", len(args), usage)
		return exitUsage
	}
	ctx := context.Background()
	msg, err := msgfile.OpenFile(args[0], 0)
	if err != nil {
		fmt.Fprintf(stderr, "mapimsg: %s: %v\n", args[0], err)
		return exitInvalid
	}
	defer msg.Close(ctx)
	vals, err := msg.GetProps(ctx, []mapispi.PropTag{mapispi.PropRTFCompressed})
	if err != nil {
		fmt.Fprintf(stderr, "mapimsg: %s: %v\n", args[0], err)
		return exitInvalid
	}
	b, ok := vals[0].Value.([]byte)
	if !ok {
		fmt.Fprintf(stderr, "mapimsg: %s has no RTF body (PR_RTF_COMPRESSED)\n", args[0])
		return exitInvalid
	}
	rtf, err := rtfcp.Decompress(b)
	if err != nil {
		fmt.Fprintf(stderr, "mapimsg: %s: PR_RTF_COMPRESSED: %v\n", args[0], err)
		return exitInvalid
	}
	if _, err := stdout.Write(rtf); err != nil {
		return exitInvalid
	}
	return exitOK
}
