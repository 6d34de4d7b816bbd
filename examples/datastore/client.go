package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msprovider"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "datastore:", err)
		os.Exit(1)
	}
}

// run is a MAPI client of the store main.go makes: it logs on, lists the
// folder tree and each folder's notes, is refused a write, logs off and
// prints the leak check.
func run(ctx context.Context, out io.Writer) error {
	step := func(n int, format string, args ...any) {
		fmt.Fprintf(out, "\n%d. "+format+"\n", append([]any{n}, args...)...)
	}

	step(1, "add a store of the data set to the reference provider's backend")
	backend := msprovider.NewBackend()
	svc, err := addStore(backend)
	if err != nil {
		return err
	}
	var reg mapi.Registry
	if err := reg.Register(msprovider.DLLName, backend.Init); err != nil {
		return err
	}
	fmt.Fprintf(out, "   message service %q of provider %s\n", svc.Name, svc.Provider)

	step(2, "log on and open the store")
	session, err := mapi.Logon(ctx, &reg, mapi.Profile{Name: "Notes", Services: []mapi.Service{svc}}, nil)
	if err != nil {
		return err
	}
	stores, err := session.MsgStores(ctx)
	if err != nil {
		return err
	}
	store, err := session.OpenMsgStore(ctx, stores[0].EntryID, mapispi.LogonWrite) // asks for write access
	if err != nil {
		return err
	}
	props, err := store.GetProps(ctx, []mapispi.PropTag{mapispi.PropDisplayName, mapispi.PropStoreSupportMask, mapispi.PropValidFolderMask})
	if err != nil {
		return err
	}
	for _, v := range props {
		fmt.Fprintf(out, "   %v\n", v)
	}

	// The root folder is the nil entry ID's; its hierarchy table with
	// CONVENIENT_DEPTH has every folder, each before its subfolders.
	step(3, "list the folders (hierarchy table) and their notes (contents tables)")
	root, err := store.OpenFolder(ctx, nil, 0)
	if err != nil {
		return err
	}
	folders, err := table(ctx, root.HierarchyTable, mapispi.TableConvenientDepth, mapispi.PropDepth, mapispi.PropDisplayName, mapispi.PropEntryID)
	if err != nil {
		return err
	}
	for _, row := range folders {
		depth, name := int(row[0].Value.(int32)), row[1].Value.(string)
		fmt.Fprintf(out, "   %*s%s\n", 2*depth, "", name)
		f, err := store.OpenFolder(ctx, row[2].Value.([]byte), 0)
		if err != nil {
			return err
		}
		notes, err := table(ctx, f.ContentsTable, 0, mapispi.PropSubject, mapispi.PropBody)
		if err != nil {
			return err
		}
		for _, note := range notes {
			fmt.Fprintf(out, "   %*s- %v: %v\n", 2*depth, "", note[0].Value, note[1].Value)
		}
		if err := f.Close(ctx); err != nil {
			return err
		}
	}

	// The store keeps MAPI's access rules: the logon asked for MDB_WRITE,
	// but the store is read-only.
	step(4, "open the root folder for writing (MAPI_MODIFY)")
	obj, err := store.OpenEntry(ctx, nil, mapispi.OpenModify)
	if err == nil {
		_ = obj.Close(ctx)
		return fmt.Errorf("a read-only store opened a folder for writing")
	}
	fmt.Fprintf(out, "   %v\n", err)

	step(5, "close everything, log off and check for leaks")
	if err := root.Close(ctx); err != nil {
		return err
	}
	if err := store.Close(ctx); err != nil {
		return err
	}
	if err := session.Logoff(ctx); err != nil {
		return err
	}
	fmt.Fprintln(out, "   logged off: no handle left open, no buffer left behind")
	return nil
}

// table opens a table with open (a folder's HierarchyTable or
// ContentsTable method) and flags, and returns the columns cols of all
// its rows.
func table(ctx context.Context, open func(context.Context, mapispi.TableFlags) (*mapi.Table, error), flags mapispi.TableFlags, cols ...mapispi.PropTag) ([]mapispi.Row, error) {
	t, err := open(ctx, flags)
	if err != nil {
		return nil, err
	}
	defer t.Close(ctx)
	if err := t.SetColumns(ctx, cols); err != nil {
		return nil, err
	}
	return t.QueryRows(ctx, 100)
}
