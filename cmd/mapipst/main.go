// Command mapipst reads Outlook's Personal Folders files (.pst,
// [MS-PST]):
//
//	mapipst info FILE          format, encryption, password, the store's
//	                           name, counts of folders, messages and
//	                           attachments
//	mapipst ls FILE [FOLDER]   the folder tree with counts; with FOLDER
//	                           (a path of names below the root, joined
//	                           by "/"), its messages
//	mapipst dump --json FILE   every folder and message as one JSON object,
//	                           on one line
//	mapipst export FILE DIR    every message as a .msg file in a tree of
//	                           folders under DIR, with progress on stderr
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
	"path/filepath"
	"strings"
	"time"

	"github.com/mapiemu/mapiemu/internal/dump"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
	"github.com/mapiemu/mapiemu/msgfile"
	"github.com/mapiemu/mapiemu/pst"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

const (
	exitOK      = 0
	exitInvalid = 1
	exitUsage   = 2
)

const usage = `usage:
  mapipst info FILE            format, encryption, password, the store's name, counts
  mapipst ls FILE [FOLDER]     the folder tree; with FOLDER (names joined by "/"), its messages
  mapipst dump --json FILE     every folder and message as one JSON object
  mapipst export FILE DIR      every message as a .msg file in a tree of folders
  mapipst help                 print this text
Exit status: 0 ok, 1 a file that cannot be read or written, 2 usage error.
`

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	case "info":
		if len(rest) != 1 {
			return usageErr(stderr, "info: want FILE")
		}
		err = info(rest[0], stdout)
	case "ls":
		if len(rest) != 1 && len(rest) != 2 {
			return usageErr(stderr, "ls: want FILE [FOLDER]")
		}
		folder := ""
		if len(rest) == 2 {
			folder = rest[1]
		}
		err = ls(rest[0], folder, stdout)
	case "dump":
		fs := flag.NewFlagSet("dump", flag.ContinueOnError)
		fs.SetOutput(stderr)
		asJSON := fs.Bool("json", false, "print one JSON object (the only form)")
		if fs.Parse(rest) != nil || fs.NArg() != 1 || !*asJSON {
			return usageErr(stderr, "dump: want --json FILE")
		}
		err = dumpJSON(fs.Arg(0), stdout)
	case "export":
		if len(rest) != 2 {
			return usageErr(stderr, "export: want FILE DIR")
		}
		err = export(rest[0], rest[1], stdout, stderr)
	default:
		return usageErr(stderr, fmt.Sprintf("unknown command %q", cmd))
	}
	if err != nil {
		fmt.Fprintf(stderr, "mapipst: %v\n", err)
		return exitInvalid
	}
	return exitOK
}

func usageErr(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "mapipst %s\n%s", msg, usage)
	return exitUsage
}

// openPST opens the PST file at path; close it when done.
func openPST(path string) (*pst.File, io.Closer, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	st, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, nil, err
	}
	f, err := pst.Open(fh, st.Size(), nil)
	if err != nil {
		fh.Close()
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, fh, nil
}

// openTree opens the PST file at path and lists its folders; call done
// when finished with them.
func openTree(path string) (f *pst.File, all []node, done func(), err error) {
	f, c, err := openPST(path)
	if err != nil {
		return nil, nil, nil, err
	}
	if all, err = folders(f); err != nil {
		c.Close()
		return nil, nil, nil, err
	}
	return f, all, func() { c.Close() }, nil
}

// node is a folder with its path below the root.
type node struct {
	folder *pst.Folder
	path   []string
}

// folders returns every folder under the root (not the root), depth
// first in table order.
func folders(f *pst.File) ([]node, error) {
	root, err := f.Root()
	if err != nil {
		return nil, err
	}
	var out []node
	var walk func(fo *pst.Folder, path []string, depth int) error
	walk = func(fo *pst.Folder, path []string, depth int) error {
		if depth > 64 {
			return fmt.Errorf("folder %s: folders nest deeper than 64", fo.NID())
		}
		subs, err := fo.Subfolders()
		if err != nil {
			return err
		}
		for _, s := range subs {
			p := append(append([]string(nil), path...), s.Name())
			out = append(out, node{s, p})
			if err := walk(s, p, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return out, walk(root, nil, 0)
}

func propOf(props []mapispi.PropValue, tag mapispi.PropTag) (any, bool) {
	v, ok := mapiutil.FindProp(props, tag.WithType(mapispi.PtUnspecified))
	if !ok || v.Tag.Type() == mapispi.PtError {
		return nil, false
	}
	return v.Value, true
}

func info(path string, stdout io.Writer) error {
	f, all, done, err := openTree(path)
	if err != nil {
		return err
	}
	defer done()
	props, err := f.StoreProps()
	if err != nil {
		return err
	}
	name, _ := propOf(props, mapispi.PropDisplayName)
	_, protected, err := f.Password()
	if err != nil {
		return err
	}
	messages, attachments := 0, 0
	for _, n := range all {
		ms, err := n.folder.Messages()
		if err != nil {
			return err
		}
		messages += len(ms)
		for _, m := range ms {
			as, err := m.Attachments()
			if err != nil {
				return err
			}
			attachments += len(as)
		}
	}
	fmt.Fprintf(stdout, "file:        %s\n", path)
	fmt.Fprintf(stdout, "format:      %v\n", f.Format())
	fmt.Fprintf(stdout, "encryption:  %v\n", f.CryptMethod())
	if protected {
		fmt.Fprintf(stdout, "password:    set (a CRC in the store's properties, not encryption: the file reads without it)\n")
	} else {
		fmt.Fprintf(stdout, "password:    none\n")
	}
	fmt.Fprintf(stdout, "store:       %v\n", name)
	fmt.Fprintf(stdout, "folders:     %d\n", len(all))
	fmt.Fprintf(stdout, "messages:    %d\n", messages)
	fmt.Fprintf(stdout, "attachments: %d\n", attachments)
	return nil
}

func ls(path, folder string, stdout io.Writer) error {
	_, all, done, err := openTree(path)
	if err != nil {
		return err
	}
	defer done()
	if folder == "" {
		for _, n := range all {
			ms, err := n.folder.Messages()
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s%s (%d)\n", strings.Repeat("  ", len(n.path)-1), n.path[len(n.path)-1], len(ms))
		}
		return nil
	}
	for _, n := range all {
		if strings.Join(n.path, "/") != folder {
			continue
		}
		ms, err := n.folder.Messages()
		if err != nil {
			return err
		}
		for _, m := range ms {
			props, err := m.Props()
			if err != nil {
				return err
			}
			subject, _ := propOf(props, mapispi.PropSubject)
			sender, _ := propOf(props, mapispi.PropSenderName)
			size, _ := propOf(props, mapispi.PropMessageSize)
			when := "-"
			if t, ok := propOf(props, mapispi.PropMessageDeliveryTime); ok {
				when = t.(time.Time).UTC().Format(time.RFC3339)
			}
			fmt.Fprintf(stdout, "%-20s %-24v %-40v %v bytes\n", when, orDash(sender), orDash(subject), orDash(size))
		}
		return nil
	}
	return fmt.Errorf("%s has no folder %q (names below the root joined by \"/\"; mapipst ls %s lists them)", path, folder, path)
}

func orDash(v any) any {
	if v == nil {
		return "-"
	}
	return v
}

// jsonFolder is one folder as dump --json prints it.
type jsonFolder struct {
	Path       []string        `json:"path"`
	Messages   []*dump.Message `json:"messages"`
	Associated []*dump.Message `json:"associated"`
}

func dumpJSON(path string, stdout io.Writer) error {
	_, all, done, err := openTree(path)
	if err != nil {
		return err
	}
	defer done()
	out := struct {
		Folders []jsonFolder `json:"folders"`
	}{Folders: []jsonFolder{}}
	for _, n := range all {
		jf := jsonFolder{Path: n.path, Messages: []*dump.Message{}, Associated: []*dump.Message{}}
		for _, list := range []struct {
			get func() ([]*pst.Message, error)
			to  *[]*dump.Message
		}{{n.folder.Messages, &jf.Messages}, {n.folder.Associated, &jf.Associated}} {
			ms, err := list.get()
			if err != nil {
				return err
			}
			for _, m := range ms {
				content, err := m.Content()
				if err != nil {
					return fmt.Errorf("message %s: %w", m.NID(), err)
				}
				*list.to = append(*list.to, dump.FromContent(content))
			}
		}
		out.Folders = append(out.Folders, jf)
	}
	// One object on one line: a PST's dump can be large, and indenting
	// it would double the work (jq . reads it indented).
	return json.NewEncoder(stdout).Encode(out)
}

// safeName makes a folder or file name from a display name.
func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < 0x20 {
			return '_'
		}
		return r
	}, s)
	s = strings.TrimRight(strings.TrimSpace(s), ".")
	if s == "" {
		s = "_"
	}
	if r := []rune(s); len(r) > 100 {
		s = string(r[:100]) // whole characters: a name cut inside one is not UTF-8
	}
	return s
}

func export(path, dir string, stdout, stderr io.Writer) error {
	ctx := context.Background()
	_, all, closeFile, err := openTree(path)
	if err != nil {
		return err
	}
	defer closeFile()
	total := 0
	messages := make([][]*pst.Message, len(all))
	for i, n := range all {
		if messages[i], err = n.folder.Messages(); err != nil {
			return err
		}
		total += len(messages[i])
	}
	done := 0
	last := time.Now()
	for fi, n := range all {
		parts := make([]string, len(n.path))
		for i, p := range n.path {
			parts[i] = safeName(p)
		}
		fdir := filepath.Join(append([]string{dir}, parts...)...)
		if err := os.MkdirAll(fdir, 0o755); err != nil {
			return err
		}
		for i, m := range messages[fi] {
			content, err := m.Content()
			if err != nil {
				return fmt.Errorf("message %s: %w", m.NID(), err)
			}
			subject, _ := propOf(content.Props, mapispi.PropSubject)
			name := fmt.Sprintf("%04d %s.msg", i+1, safeName(fmt.Sprint(orDash(subject))))
			if err := writeMsg(ctx, filepath.Join(fdir, name), content); err != nil {
				return fmt.Errorf("%s: %w", filepath.Join(fdir, name), err)
			}
			done++
			if time.Since(last) > 200*time.Millisecond {
				fmt.Fprintf(stderr, "\rexported %d/%d", done, total)
				last = time.Now()
			}
		}
	}
	fmt.Fprintf(stderr, "\rexported %d/%d\n", done, total)
	fmt.Fprintf(stdout, "%d messages in %d folders written under %s\n", done, len(all), dir)
	return nil
}

// writeMsg writes content as a new .msg file at path.
func writeMsg(ctx context.Context, path string, content *mapiutil.MessageContent) error {
	m, err := msgfile.CreateFile(path)
	if err != nil {
		return err
	}
	defer m.Close(ctx)
	if err := mapiutil.WriteMessage(ctx, m, content, nil); err != nil {
		return err
	}
	return m.SaveChanges(ctx, 0) // writes the file; nothing is written if it fails
}
