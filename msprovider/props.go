package msprovider

import (
	"encoding/binary"
	"slices"
	"strings"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

// Properties this package uses that mapispi does not name.
var (
	propStatus = mapispi.NewPropTag(mapispi.PtLong, 0x360B) // PR_STATUS, a hierarchy table column
	// propPath is a hidden column of CONVENIENT_DEPTH hierarchy tables:
	// the IDs from the table's folder down, big-endian, so that sorting
	// by it gives the depth-first order.
	propPath = mapispi.NewPropTag(mapispi.PtBinary, 0x67F0)
)

// Display types of hierarchy rows, from MAPIDefS.h.
const (
	dtFolder        = 0x01000000 // DT_FOLDER
	dtFolderLink    = 0x02000000 // DT_FOLDER_LINK: a search folder
	dtFolderSpecial = 0x04000000 // DT_FOLDER_SPECIAL
)

// maxInline is the size of the largest value GetProps returns: a larger
// string or binary value is ErrNotEnoughMemory in GetProps, and read
// through OpenProperty, as stores do with large properties (the
// IMAPIProp::GetProps page).
const maxInline = 4096

// maxColumn is the length, in characters, past which a string column of
// a contents table is cut, as the "Contents Tables" page allows; binary
// values past maxInline are ErrNotEnoughMemory in table rows too.
const maxColumn = 255

// recordKey returns the PR_RECORD_KEY of object id: the store's UID and
// the ID, big-endian, in 22 bytes like a source key.
func (e *engine) recordKey(id ID) []byte {
	b := make([]byte, 0, 22)
	b = append(b, e.uid[:]...)
	var c [8]byte
	binary.BigEndian.PutUint64(c[:], uint64(id))
	return append(b, c[2:]...)
}

// instanceKey is the PR_INSTANCE_KEY of a table row for object id.
func instanceKey(id ID) []byte {
	return binary.BigEndian.AppendUint64(nil, uint64(id))
}

// computedFolder lists the folder properties the store computes;
// SetProps refuses them with ErrComputed problems.
var computedFolder = tagSet(
	mapispi.PropEntryID, mapispi.PropRecordKey, mapispi.PropParentEntryID, mapispi.PropObjectType,
	mapispi.PropStoreEntryID, mapispi.PropStoreRecordKey, mapispi.PropStoreSupportMask,
	mapispi.PropFolderType, mapispi.PropContentCount, mapispi.PropContentUnread, mapispi.PropAssocContentCount,
	mapispi.PropSubfolders, mapispi.PropAccess, mapispi.PropAccessLevel, mapispi.PropDepth, mapispi.PropInstanceKey,
	mapispi.PropContainerContents, mapispi.PropContainerHierarchy, mapispi.PropFolderAssociatedContents, mapispi.PropMappingSignature,
	mapispi.PropChangeKey, mapispi.PropPredecessorChangeList, mapispi.PropLastModificationTime, mapispi.PropCreationTime,
)

// computedMessage lists the message properties the store computes.
var computedMessage = tagSet(
	mapispi.PropEntryID, mapispi.PropRecordKey, mapispi.PropParentEntryID, mapispi.PropObjectType,
	mapispi.PropStoreEntryID, mapispi.PropStoreRecordKey, mapispi.PropStoreSupportMask,
	mapispi.PropMessageSize, mapispi.PropHasAttach, mapispi.PropMappingSignature,
	mapispi.PropDisplayTo, mapispi.PropDisplayCC, mapispi.PropDisplayBCC,
	mapispi.PropCreationTime, mapispi.PropLastModificationTime, mapispi.PropChangeKey, mapispi.PropPredecessorChangeList,
	mapispi.PropAccess, mapispi.PropAccessLevel, mapispi.PropMsgStatus, mapispi.PropInstanceKey,
	mapispi.PropMessageRecipients, mapispi.PropMessageAttachments, mapispi.PropSubmitFlags,
)

// computedAttach lists the attachment properties the store computes.
var computedAttach = tagSet(
	mapispi.PropAttachNum, mapispi.PropAttachSize, mapispi.PropObjectType, mapispi.PropRecordKey,
	mapispi.PropInstanceKey, mapispi.PropAccess, mapispi.PropAccessLevel,
	mapispi.PropCreationTime, mapispi.PropLastModificationTime,
)

func tagSet(tags ...mapispi.PropTag) map[uint16]bool {
	m := make(map[uint16]bool, len(tags))
	for _, t := range tags {
		m[t.ID()] = true
	}
	return m
}

// folderProps returns every property of folder f as a client sees it:
// the stored ones and the computed ones (e.mu held; f's subfolders and
// messages loaded by the caller when counts matter).
func (e *engine) folderProps(f *fnode, write bool) []mapispi.PropValue {
	d := f.data
	props := make([]mapispi.PropValue, 0, len(d.Props)+16)
	for _, v := range d.Props {
		if !computedFolder[v.Tag.ID()] {
			props = append(props, v)
		}
	}
	parent := d.Parent
	if parent == 0 {
		parent = d.ID
	}
	typ := folderTypeOf(f)
	access := mapispi.AccessRead
	level := mapispi.AccessLevelReadOnly
	if write {
		access |= mapispi.AccessModify | mapispi.AccessCreateHierarchy | mapispi.AccessCreateContents | mapispi.AccessCreateAssociated
		if d.Parent != 0 && d.Role == RoleNone {
			access |= mapispi.AccessDelete
		}
		level = mapispi.AccessLevelModify
	}
	props = append(props,
		mapispi.PropValue{Tag: mapispi.PropEntryID, Value: []byte(e.folderID(d.ID))},
		mapispi.PropValue{Tag: mapispi.PropRecordKey, Value: e.recordKey(d.ID)},
		mapispi.PropValue{Tag: mapispi.PropParentEntryID, Value: []byte(e.folderID(parent))},
		mapispi.PropValue{Tag: mapispi.PropObjectType, Value: int32(mapispi.ObjFolder)},
		mapispi.PropValue{Tag: mapispi.PropFolderType, Value: int32(typ)},
		mapispi.PropValue{Tag: mapispi.PropContentCount, Value: int32(f.count)},
		mapispi.PropValue{Tag: mapispi.PropContentUnread, Value: int32(f.unread)},
		mapispi.PropValue{Tag: mapispi.PropAssocContentCount, Value: int32(f.assoc)},
		mapispi.PropValue{Tag: mapispi.PropSubfolders, Value: len(f.kids) > 0},
		mapispi.PropValue{Tag: mapispi.PropStoreRecordKey, Value: e.uid[:]},
		mapispi.PropValue{Tag: mapispi.PropMappingSignature, Value: e.uid[:]},
		mapispi.PropValue{Tag: mapispi.PropAccess, Value: int32(access)},
		mapispi.PropValue{Tag: mapispi.PropAccessLevel, Value: int32(level)},
	)
	if e.wrapped != nil {
		props = append(props, mapispi.PropValue{Tag: mapispi.PropStoreEntryID, Value: []byte(e.wrapped)})
	}
	if findID(props, mapispi.PropDisplayName) < 0 {
		props = append(props, mapispi.PropValue{Tag: mapispi.PropDisplayName, Value: ""})
	}
	return props
}

// hierarchyRow returns folder f's row in a hierarchy table, at depth
// below the table's folder, with path its hidden sort key (e.mu held).
func (e *engine) hierarchyRow(f *fnode, depth int, path []byte) mapispi.Row {
	row := e.folderProps(f, !e.readOnly())
	display := int32(dtFolder)
	switch {
	case f.data.Role != RoleNone:
		display = dtFolderSpecial
	case folderTypeOf(f) == mapispi.FolderSearch:
		display = dtFolderLink
	}
	row = append(row,
		mapispi.PropValue{Tag: mapispi.PropInstanceKey, Value: instanceKey(f.data.ID)},
		mapispi.PropValue{Tag: mapispi.PropDepth, Value: int32(depth)},
		mapispi.PropValue{Tag: mapispi.PropDisplayType, Value: display},
		mapispi.PropValue{Tag: propStatus, Value: int32(0)},
	)
	if path != nil {
		row = append(row, mapispi.PropValue{Tag: propPath, Value: path})
	}
	return row
}

func folderTypeOf(f *fnode) mapispi.FolderType {
	if f.data.ID == RootID {
		return mapispi.FolderRoot
	}
	if n, ok := propInt(f.data.Props, mapispi.PropFolderType); ok {
		return mapispi.FolderType(n)
	}
	return mapispi.FolderGeneric
}

// displayRecipients returns PR_DISPLAY_TO, PR_DISPLAY_CC and
// PR_DISPLAY_BCC: the names of the recipients of each type, separated by
// "; " ("" when there are none), as the PidTagDisplayTo page describes.
func displayRecipients(recips []mapispi.Row) (to, cc, bcc string) {
	var lists [3][]string
	for _, r := range recips {
		typ, _ := propInt(r, mapispi.PropRecipientType)
		name, _ := propString(r, mapispi.PropDisplayName)
		switch mapispi.RecipientType(typ) &^ mapispi.RecipSubmitted {
		case mapispi.RecipTo:
			lists[0] = append(lists[0], name)
		case mapispi.RecipCC:
			lists[1] = append(lists[1], name)
		case mapispi.RecipBCC:
			lists[2] = append(lists[2], name)
		}
	}
	return strings.Join(lists[0], "; "), strings.Join(lists[1], "; "), strings.Join(lists[2], "; ")
}

// messageSize returns PR_MESSAGE_SIZE: the sizes of the message's
// properties, recipients and attachments, as the PidTagMessageSize page
// has it (an estimate of the storage the message takes).
func messageSize(d *MessageData) int {
	n := 0
	for _, v := range d.Props {
		if v.Tag.ID() != mapispi.PropMessageSize.ID() {
			n += mapiutil.PropSize(v)
		}
	}
	for _, r := range d.Recipients {
		for _, v := range r {
			n += mapiutil.PropSize(v)
		}
	}
	for _, a := range d.Attachments {
		n += attachSize(&a)
	}
	return n
}

// attachSize returns PR_ATTACH_SIZE: its properties' sizes, and its
// embedded message's.
func attachSize(a *AttachmentData) int {
	n := 0
	for _, v := range a.Props {
		n += mapiutil.PropSize(v)
	}
	if a.Embedded != nil {
		n += messageSize(a.Embedded)
	}
	return n
}

// msgInfo is what a message's computed properties are made from.
type msgInfo struct {
	e       *engine
	d       MessageData
	id      ID // 0 while the message has no entry ID
	folder  ID // 0 for an embedded message
	write   bool
	wrapped mapispi.EntryID // the store's, for PR_STORE_ENTRYID
}

// messageComputedTags are the properties msgInfo.value computes, in the
// order GetPropList lists them.
var messageComputedTags = []mapispi.PropTag{
	mapispi.PropObjectType, mapispi.PropMessageFlags, mapispi.PropMessageSize, mapispi.PropHasAttach,
	mapispi.PropDisplayTo, mapispi.PropDisplayCC, mapispi.PropDisplayBCC, mapispi.PropAccess, mapispi.PropAccessLevel,
	mapispi.PropStoreRecordKey, mapispi.PropStoreEntryID, mapispi.PropRecordKey, mapispi.PropEntryID, mapispi.PropParentEntryID,
	mapispi.PropMappingSignature,
}

// value returns the computed property with ID id, or false when the
// store does not compute it (or the message does not have it yet).
func (x *msgInfo) value(id uint16) (mapispi.PropValue, bool) {
	d := &x.d
	switch id {
	case mapispi.PropObjectType.ID():
		return mapispi.PropValue{Tag: mapispi.PropObjectType, Value: int32(mapispi.ObjMessage)}, true
	case mapispi.PropMessageFlags.ID():
		flags := messageFlags(d)
		if len(d.Attachments) > 0 {
			flags |= mapispi.MsgFlagHasAttach
		} else {
			flags &^= mapispi.MsgFlagHasAttach
		}
		if d.Associated {
			flags |= mapispi.MsgFlagAssociated
		}
		return mapispi.PropValue{Tag: mapispi.PropMessageFlags, Value: int32(flags)}, true
	case mapispi.PropMessageSize.ID():
		// Saved messages keep the size their last save measured, as the
		// PidTagMessageSize page has it (available after SaveChanges).
		if n, ok := propInt(d.Props, mapispi.PropMessageSize); ok {
			return mapispi.PropValue{Tag: mapispi.PropMessageSize, Value: n}, true
		}
		return mapispi.PropValue{Tag: mapispi.PropMessageSize, Value: int32(min(messageSize(d), 1<<31-1))}, true
	case mapispi.PropHasAttach.ID():
		return mapispi.PropValue{Tag: mapispi.PropHasAttach, Value: len(d.Attachments) > 0}, true
	case mapispi.PropDisplayTo.ID(), mapispi.PropDisplayCC.ID(), mapispi.PropDisplayBCC.ID():
		to, cc, bcc := displayRecipients(d.Recipients)
		switch id {
		case mapispi.PropDisplayTo.ID():
			return mapispi.PropValue{Tag: mapispi.PropDisplayTo, Value: to}, true
		case mapispi.PropDisplayCC.ID():
			return mapispi.PropValue{Tag: mapispi.PropDisplayCC, Value: cc}, true
		}
		return mapispi.PropValue{Tag: mapispi.PropDisplayBCC, Value: bcc}, true
	case mapispi.PropAccess.ID():
		access := mapispi.AccessRead
		if x.write {
			access |= mapispi.AccessModify | mapispi.AccessDelete
		}
		return mapispi.PropValue{Tag: mapispi.PropAccess, Value: int32(access)}, true
	case mapispi.PropAccessLevel.ID():
		level := mapispi.AccessLevelReadOnly
		if x.write {
			level = mapispi.AccessLevelModify
		}
		return mapispi.PropValue{Tag: mapispi.PropAccessLevel, Value: int32(level)}, true
	case mapispi.PropStoreRecordKey.ID():
		return mapispi.PropValue{Tag: mapispi.PropStoreRecordKey, Value: slices.Clone(x.e.uid[:])}, true
	case mapispi.PropMappingSignature.ID():
		// The store's named property map, which every object shares.
		return mapispi.PropValue{Tag: mapispi.PropMappingSignature, Value: slices.Clone(x.e.uid[:])}, true
	case mapispi.PropStoreEntryID.ID():
		return mapispi.PropValue{Tag: mapispi.PropStoreEntryID, Value: slices.Clone([]byte(x.wrapped))}, x.wrapped != nil
	case mapispi.PropRecordKey.ID():
		return mapispi.PropValue{Tag: mapispi.PropRecordKey, Value: x.e.recordKey(x.id)}, x.id != 0
	case mapispi.PropEntryID.ID():
		return mapispi.PropValue{Tag: mapispi.PropEntryID, Value: []byte(x.e.messageID(x.folder, x.id))}, x.id != 0 && x.folder != 0
	case mapispi.PropParentEntryID.ID():
		return mapispi.PropValue{Tag: mapispi.PropParentEntryID, Value: []byte(x.e.folderID(x.folder))}, x.folder != 0
	}
	return mapispi.PropValue{}, false
}

// computed returns every computed property the message has.
func (x *msgInfo) computed() []mapispi.PropValue {
	props := make([]mapispi.PropValue, 0, len(messageComputedTags))
	for _, t := range messageComputedTags {
		if v, ok := x.value(t.ID()); ok {
			props = append(props, v)
		}
	}
	return props
}

// messageProps returns every property of saved message d as GetProps
// shows it: the stored ones and the computed ones.
func (e *engine) messageProps(d *MessageData, folder ID, write bool) []mapispi.PropValue {
	info := msgInfo{e: e, d: *d, id: d.ID, folder: folder, write: write, wrapped: e.wrapped}
	comp := info.computed()
	props := make([]mapispi.PropValue, 0, len(d.Props)+len(comp))
	for _, v := range d.Props {
		if findID(comp, v.Tag) < 0 {
			props = append(props, v)
		}
	}
	return append(props, comp...)
}

// contentsRow returns message d's row in its folder's contents table:
// its properties, strings cut at maxColumn characters and binary values
// past maxInline as ErrNotEnoughMemory.
func (e *engine) contentsRow(d *MessageData) mapispi.Row {
	props := e.messageProps(d, d.Folder, !e.readOnly())
	for i, v := range props {
		props[i] = columnValue(v)
	}
	return append(props, mapispi.PropValue{Tag: mapispi.PropInstanceKey, Value: instanceKey(d.ID)})
}

// columnValue returns v as a table column holds it.
func columnValue(v mapispi.PropValue) mapispi.PropValue {
	switch x := v.Value.(type) {
	case string:
		if len(x) > maxColumn {
			n := 0
			for i := range x {
				if n == maxColumn {
					// A copy, so that the table does not keep the whole
					// value alive.
					return mapispi.PropValue{Tag: v.Tag, Value: strings.Clone(x[:i])}
				}
				n++
			}
		}
	case []byte:
		if len(x) > maxInline {
			return mapispi.ErrorValue(v.Tag, mapispi.ErrNotEnoughMemory)
		}
	}
	return v
}

// inlineValue returns v as GetProps returns it: a string or binary value
// past maxInline bytes is ErrNotEnoughMemory, to be read with
// OpenProperty.
func inlineValue(v mapispi.PropValue) mapispi.PropValue {
	switch x := v.Value.(type) {
	case string:
		n := len(x)
		if v.Tag.Type() == mapispi.PtUnicode {
			n = mapiutil.PropSize(v) - 2 // UTF-16, without the terminator
		}
		if n > maxInline {
			return mapispi.ErrorValue(v.Tag, mapispi.ErrNotEnoughMemory)
		}
	case []byte:
		if len(x) > maxInline {
			return mapispi.ErrorValue(v.Tag, mapispi.ErrNotEnoughMemory)
		}
	}
	return v
}
