package msgfile

import (
	"strings"

	"github.com/mapiemu/mapiemu/mapispi"
)

// The in-memory form of a .msg file, between the compound file and the
// MAPI objects: what the codec reads from a file and writes to one
// ([MS-OXMSG]), and what a Message instance holds and changes until
// SaveChanges.

// msgData is one message: the top-level message of a file or an
// embedded one.
type msgData struct {
	// props are the message's properties, PT_STRING8 values decoded to
	// Go strings (the codec converts them with the message's code page),
	// PT_OBJECT properties left out (attachments hold their objects).
	props []mapispi.PropValue
	// recips are the recipients in file order, each with PR_ROWID (the
	// number of its __recip_version1.0_#XXXXXXXX storage).
	recips []mapispi.Row
	// attachs are the attachments in file order.
	attachs []*attachData
	// nextRecip and nextAttach are the property stream header's
	// NextRecipientID and NextAttachmentID: the numbers the next new
	// recipient and attachment get.
	nextRecip, nextAttach uint32
}

// attachData is one attachment: its properties (with PR_ATTACH_NUM, the
// number of its __attach_version1.0_#XXXXXXXX storage, and
// PR_ATTACH_DATA_BIN in full) and, for ATTACH_EMBEDDED_MSG, the embedded
// message (PR_ATTACH_DATA_OBJ, the __substg1.0_3701000D storage).
type attachData struct {
	props    []mapispi.PropValue
	embedded *msgData
	// storage is the custom storage of an ATTACH_OLE attachment
	// (afStorage), kept whole so that a rewrite loses nothing.
	storage *tree
}

// nameMap is the file's named property map (the __nameid_version1.0
// storage): names[i] is the name of property ID 0x8000+i. Every message
// of the file (embedded ones too) uses the top-level message's map.
type nameMap struct {
	names []mapispi.PropName
}

// tree is a compound file storage in memory: its streams and its
// substorages by name, and its CLSID. Names are as the file spells them;
// lookups compare them as [MS-CFB] does (case-insensitively).
type tree struct {
	clsid    mapispi.UID
	streams  map[string][]byte
	storages map[string]*tree
}

func newTree() *tree {
	return &tree{streams: map[string][]byte{}, storages: map[string]*tree{}}
}

// stream returns the stream called name, compared without regard to
// case as [MS-CFB] compares names.
func (t *tree) stream(name string) ([]byte, bool) {
	if b, ok := t.streams[name]; ok {
		return b, true
	}
	for n, b := range t.streams {
		if strings.EqualFold(n, name) {
			return b, true
		}
	}
	return nil, false
}

// storage returns the substorage called name, compared as stream does.
func (t *tree) storage(name string) (*tree, bool) {
	if s, ok := t.storages[name]; ok {
		return s, true
	}
	for n, s := range t.storages {
		if strings.EqualFold(n, name) {
			return s, true
		}
	}
	return nil, false
}
