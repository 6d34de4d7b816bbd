// Command mapimsg reads and writes .msg files, MAPI messages saved by
// Outlook ([MS-OXMSG]):
//
//	mapimsg dump [--json] FILE     the message: properties (named ones with
//	                               their set and name), recipients,
//	                               attachments and embedded messages
//	mapimsg rewrite IN OUT         read IN as a message and write it as OUT
//	                               (whole: on an error OUT is as it was)
//	mapimsg rtf FILE               the RTF body: PR_RTF_COMPRESSED decompressed
//	mapimsg import [--folder NAME] [--out DIR] FILE...
//	                               copy the files into a folder of a MAPI
//	                               store (the reference provider's, in
//	                               memory), list the folder's contents
//	                               table, and with --out (an existing
//	                               directory) write each message back
//	                               from the store as a .msg
//
// Exit status: 0 ok, 1 a file that cannot be read or written (the
// message says why), 2 a usage error.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"github.com/mapiemu/mapiemu/internal/atomicfile"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/mapiemu/mapiemu/internal/dump"
	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapitest"
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
  mapimsg import [--folder NAME] [--out DIR] FILE...
                               copy files into a folder of an in-memory MAPI store,
                               list its contents table, write them back to DIR
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
	case "import":
		return runImport(args[1:], stdout, stderr)
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
	msg, code := openMsg(args[0], stderr)
	if msg == nil {
		return code
	}
	defer msg.Close(ctx)
	if err := writeFile(args[1], func(w io.Writer) error { _, err := msg.WriteTo(w); return err }); err != nil {
		fmt.Fprintf(stderr, "mapimsg: %s: %v\n", args[1], err)
		return exitInvalid
	}
	return exitOK
}

// writeFile writes the file at path with write, whole or not at all
// (atomicfile.Write: a regular file is replaced only once it is written,
// keeping its permission bits; a device or pipe is written in place). An
// error of the file system is returned as its reason alone, without the
// *fs.PathError or *os.LinkError around it, for the caller to name path:
// these would name the new file, which the caller never saw.
func writeFile(path string, write func(io.Writer) error) error {
	return reason(atomicfile.Write(path, func(w io.Writer) error { return write(outWriter(w)) }))
}

// reason returns the error err wraps when it is an *fs.PathError or an
// *os.LinkError, and err otherwise.
func reason(err error) error {
	switch e := err.(type) {
	case *fs.PathError:
		return e.Err
	case *os.LinkError:
		return e.Err
	}
	return err
}

// outWriter returns the writer writeFile writes f through: f, or what
// wrapOut makes of it.
func outWriter(w io.Writer) io.Writer {
	if wrapOut != nil {
		return wrapOut(w)
	}
	return w
}

// wrapOut, when a test sets it, wraps the writer writeFile writes
// through, to make the write fail.
var wrapOut func(io.Writer) io.Writer

func runRTF(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintf(stderr, "mapimsg rtf: want one FILE, got %d arguments\n%s", len(args), usage)
		return exitUsage
	}
	ctx := context.Background()
	msg, code := openMsg(args[0], stderr)
	if msg == nil {
		return code
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

func runImport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	folderName := fs.String("folder", "Imported", "the folder to create under the store's IPM subtree")
	outDir := fs.String("out", "", "write each message back from the store into this directory")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintf(stderr, "mapimsg import: want at least one FILE\n%s", usage)
		return exitUsage
	}
	if err := importFiles(context.Background(), fs.Args(), *folderName, *outDir, stdout); err != nil {
		fmt.Fprintf(stderr, "mapimsg: %v\n", err)
		return exitInvalid
	}
	return exitOK
}

// importFiles copies files into a new folder of an in-memory store,
// prints its contents table, and writes the messages back into outDir.
func importFiles(ctx context.Context, files []string, folderName, outDir string, stdout io.Writer) (err error) {
	env, err := mapitest.New(ctx, &mapi.Options{ManualFlush: true}, "Mailbox")
	if err != nil {
		return err
	}
	defer func() {
		if cerr := env.Close(ctx); err == nil {
			err = cerr
		}
	}()
	top, err := env.Folder(ctx, "Mailbox", mapitest.IPMSubtree)
	if err != nil {
		return err
	}
	defer top.Close(ctx)
	folder, err := top.CreateFolder(ctx, mapispi.FolderGeneric, folderName, "", mapispi.FolderOpenIfExists)
	if err != nil {
		return err
	}
	defer folder.Close(ctx)
	for _, path := range files {
		if err := importOne(ctx, folder, path); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	table, err := folder.ContentsTable(ctx, 0)
	if err != nil {
		return err
	}
	defer table.Close(ctx)
	cols := []mapispi.PropTag{mapispi.PropEntryID, mapispi.PropSubject, mapispi.PropMessageClass, mapispi.PropHasAttach, mapispi.PropMessageSize}
	if err := table.SetColumns(ctx, cols); err != nil {
		return err
	}
	rows, err := table.QueryRows(ctx, len(files)+1)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "folder %q of the store holds %d messages:\n", folderName, len(rows))
	for i, r := range rows {
		fmt.Fprintf(stdout, "  %-40.40v %-24v attachments=%v size=%v\n", valueText(r[1]), valueText(r[2]), valueText(r[3]), valueText(r[4]))
		if outDir == "" {
			continue
		}
		id, _ := r[0].Value.([]byte)
		out := filepath.Join(outDir, fmt.Sprintf("%03d.msg", i+1))
		if err := exportOne(ctx, env.Store("Mailbox"), id, out); err != nil {
			return fmt.Errorf("%s: %w", out, err)
		}
		fmt.Fprintf(stdout, "    written back as %s\n", out)
	}
	return nil
}

func valueText(v mapispi.PropValue) any {
	if v.Tag.Type() == mapispi.PtError {
		return "-"
	}
	return v.Value
}

// importOne copies the .msg file at path into a new message of folder.
func importOne(ctx context.Context, folder *mapi.Folder, path string) error {
	src, err := msgfile.OpenFile(path, 0)
	if err != nil {
		return err
	}
	defer src.Close(ctx)
	m, err := folder.CreateMessage(ctx, 0)
	if err != nil {
		return err
	}
	defer m.Close(ctx)
	if err := m.ImportFrom(ctx, src); err != nil {
		return err
	}
	return m.SaveChanges(ctx, 0)
}

// exportOne writes the store message id as a .msg file at path.
func exportOne(ctx context.Context, st *mapi.Store, id mapispi.EntryID, path string) error {
	m, err := st.OpenMessage(ctx, id, 0)
	if err != nil {
		return err
	}
	defer m.Close(ctx)
	dst, err := msgfile.CreateFile(path)
	if err != nil {
		return err
	}
	defer dst.Close(ctx)
	if err := m.ExportTo(ctx, dst); err != nil {
		return err
	}
	return dst.SaveChanges(ctx, 0)
}

// openMsg opens the .msg file at path read-only, or says why it cannot
// on stderr and returns the exit status.
func openMsg(path string, stderr io.Writer) (*msgfile.Message, int) {
	msg, err := msgfile.OpenFile(path, 0)
	if err != nil {
		fmt.Fprintf(stderr, "mapimsg: %s: %v\n", path, err)
		return nil, exitInvalid
	}
	return msg, exitOK
}
