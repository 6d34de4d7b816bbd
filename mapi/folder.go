package mapi

import (
	"context"
	"fmt"

	"github.com/mapiemu/mapiemu/mapispi"
)

// Folder is the Go form of IMAPIFolder as a client holds it: a handle on
// a folder of a store (see mapispi.Folder for the rules). It is what
// Store.OpenEntry returns for a folder ID (the root folder for a nil ID)
// and what CreateFolder returns. Its methods go through the host as
// Store's do; close it when done. A Folder is safe for concurrent use.
type Folder struct {
	object
	f mapispi.Folder
}

// ContentsTable is IMAPIContainer::GetContentsTable: a handle on a new
// table of the folder's messages, or with TableAssociated of its
// associated messages. Close it when done.
func (f *Folder) ContentsTable(ctx context.Context, flags mapispi.TableFlags) (*Table, error) {
	const method = "IMAPIFolder::GetContentsTable"
	t, err := guard(f.h, method, func() string { return flags.String() }, func() (mapispi.Table, error) { return f.f.ContentsTable(ctx, flags) })
	if err != nil {
		return nil, err
	}
	return f.l.wrapTable(t, method, 1)
}

// HierarchyTable is IMAPIContainer::GetHierarchyTable: a handle on a new
// table of the folder's subfolders, or with TableConvenientDepth of all
// its descendants. Close it when done.
func (f *Folder) HierarchyTable(ctx context.Context, flags mapispi.TableFlags) (*Table, error) {
	const method = "IMAPIFolder::GetHierarchyTable"
	t, err := guard(f.h, method, func() string { return flags.String() }, func() (mapispi.Table, error) { return f.f.HierarchyTable(ctx, flags) })
	if err != nil {
		return nil, err
	}
	return f.l.wrapTable(t, method, 1)
}

// OpenEntry is IMAPIContainer::OpenEntry: a handle on the folder or
// message id names.
func (f *Folder) OpenEntry(ctx context.Context, id mapispi.EntryID, flags mapispi.OpenFlags) (Object, error) {
	const method = "IMAPIFolder::OpenEntry"
	obj, err := guard(f.h, method, idArg(id), func() (mapispi.Object, error) { return f.f.OpenEntry(ctx, id, flags) })
	if err != nil {
		return nil, err
	}
	return f.l.wrapObject(obj, method, 1)
}

// CreateFolder is IMAPIFolder::CreateFolder: a handle on a new subfolder
// (or, with FolderOpenIfExists, on the one of that name).
func (f *Folder) CreateFolder(ctx context.Context, typ mapispi.FolderType, name, comment string, flags mapispi.CreateFolderFlags) (*Folder, error) {
	const method = "IMAPIFolder::CreateFolder"
	sub, err := guard(f.h, method, func() string { return fmt.Sprintf("%v %q %v", typ, name, flags) }, func() (mapispi.Folder, error) {
		return f.f.CreateFolder(ctx, typ, name, comment, flags)
	})
	if err != nil {
		return nil, err
	}
	return f.folder(sub, method)
}

// folder wraps a folder the provider returned.
func (f *Folder) folder(sub mapispi.Folder, method string) (*Folder, error) {
	if sub == nil {
		return nil, mapispi.Errorf(mapispi.ErrCallFailed, f.l.svc.name, "%s returned no folder and no error", method)
	}
	o, err := f.l.wrapObject(sub, method, 2)
	if err != nil {
		return nil, err
	}
	folder, ok := o.(*Folder)
	if !ok {
		_ = o.Close(context.Background())
		return nil, mapispi.Errorf(mapispi.ErrCallFailed, f.l.svc.name, "%s returned an object of type %v, not a folder", method, o.ObjectType())
	}
	return folder, nil
}

// DeleteFolder is IMAPIFolder::DeleteFolder.
func (f *Folder) DeleteFolder(ctx context.Context, id mapispi.EntryID, flags mapispi.DeleteFolderFlags) error {
	_, err := guard(f.h, "IMAPIFolder::DeleteFolder", idArg(id), func() (struct{}, error) { return struct{}{}, f.f.DeleteFolder(ctx, id, flags) })
	return err
}

// CopyFolder is IMAPIFolder::CopyFolder: dest must be a folder of the
// same store.
func (f *Folder) CopyFolder(ctx context.Context, id mapispi.EntryID, dest *Folder, newName string, flags mapispi.CopyFolderFlags) error {
	const method = "IMAPIFolder::CopyFolder"
	d, err := f.destFolder(method, dest)
	if err != nil {
		return err
	}
	_, err = guard(f.h, method, idArg(id), func() (struct{}, error) { return struct{}{}, f.f.CopyFolder(ctx, id, d, newName, flags) })
	return err
}

// destFolder returns the provider's folder behind dest, which must be a
// folder of f's store.
func (f *Folder) destFolder(method string, dest *Folder) (mapispi.Folder, error) {
	if dest == nil {
		return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, method, "nil destination folder")
	}
	if _, err := f.sameStore(method, dest); err != nil {
		return nil, err
	}
	return dest.f, nil
}

// EmptyFolder is IMAPIFolder::EmptyFolder.
func (f *Folder) EmptyFolder(ctx context.Context, flags mapispi.EmptyFolderFlags) error {
	_, err := guard(f.h, "IMAPIFolder::EmptyFolder", nil, func() (struct{}, error) { return struct{}{}, f.f.EmptyFolder(ctx, flags) })
	return err
}

// CreateMessage is IMAPIFolder::CreateMessage: a handle on a new message,
// opened read/write, which nobody else sees until its first SaveChanges.
func (f *Folder) CreateMessage(ctx context.Context, flags mapispi.CreateMessageFlags) (*Message, error) {
	const method = "IMAPIFolder::CreateMessage"
	m, err := guard(f.h, method, nil, func() (mapispi.Message, error) { return f.f.CreateMessage(ctx, flags) })
	if err != nil {
		return nil, err
	}
	return f.l.message(m, method, 1)
}

// message wraps a message the provider returned.
func (l *logon) message(m mapispi.Message, method string, skip int) (*Message, error) {
	if m == nil {
		return nil, mapispi.Errorf(mapispi.ErrCallFailed, l.svc.name, "%s returned no message and no error", method)
	}
	o, err := l.wrapObject(m, method, skip+1)
	if err != nil {
		return nil, err
	}
	msg, ok := o.(*Message)
	if !ok {
		_ = o.Close(context.Background())
		return nil, mapispi.Errorf(mapispi.ErrCallFailed, l.svc.name, "%s returned an object of type %v, not a message", method, o.ObjectType())
	}
	return msg, nil
}

// CopyMessages is IMAPIFolder::CopyMessages: dest must be a folder of the
// same store.
func (f *Folder) CopyMessages(ctx context.Context, ids []mapispi.EntryID, dest *Folder, flags mapispi.CopyMessageFlags) error {
	const method = "IMAPIFolder::CopyMessages"
	d, err := f.destFolder(method, dest)
	if err != nil {
		return err
	}
	_, err = guard(f.h, method, func() string { return fmt.Sprintf("%d messages %v", len(ids), flags) }, func() (struct{}, error) {
		return struct{}{}, f.f.CopyMessages(ctx, ids, d, flags)
	})
	return err
}

// DeleteMessages is IMAPIFolder::DeleteMessages.
func (f *Folder) DeleteMessages(ctx context.Context, ids []mapispi.EntryID, flags mapispi.DeleteMessageFlags) error {
	_, err := guard(f.h, "IMAPIFolder::DeleteMessages", func() string { return fmt.Sprintf("%d messages", len(ids)) }, func() (struct{}, error) {
		return struct{}{}, f.f.DeleteMessages(ctx, ids, flags)
	})
	return err
}

// SetReadFlags is IMAPIFolder::SetReadFlags.
func (f *Folder) SetReadFlags(ctx context.Context, ids []mapispi.EntryID, flags mapispi.ReadFlags) error {
	_, err := guard(f.h, "IMAPIFolder::SetReadFlags", func() string { return fmt.Sprintf("%d messages %v", len(ids), flags) }, func() (struct{}, error) {
		return struct{}{}, f.f.SetReadFlags(ctx, ids, flags)
	})
	return err
}

// MessageStatus is IMAPIFolder::GetMessageStatus.
func (f *Folder) MessageStatus(ctx context.Context, id mapispi.EntryID) (mapispi.MessageStatus, error) {
	return guard(f.h, "IMAPIFolder::GetMessageStatus", idArg(id), func() (mapispi.MessageStatus, error) { return f.f.MessageStatus(ctx, id) })
}

// SetMessageStatus is IMAPIFolder::SetMessageStatus: it returns the
// status the message had.
func (f *Folder) SetMessageStatus(ctx context.Context, id mapispi.EntryID, status, mask mapispi.MessageStatus) (mapispi.MessageStatus, error) {
	return guard(f.h, "IMAPIFolder::SetMessageStatus", idArg(id), func() (mapispi.MessageStatus, error) {
		return f.f.SetMessageStatus(ctx, id, status, mask)
	})
}
