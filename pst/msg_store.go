package pst

import (
	"errors"
	"fmt"
	"slices"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
)

// This file is the message store of the messaging layer ([MS-PST]
// 2.4.3): the property context of NID_MESSAGE_STORE, and what is
// derived from it (the code page of 8-bit text, entry IDs, the
// password's CRC).

// Special internal NIDs ([MS-PST] 2.4.1) and the fixed subnode NIDs of
// a message ([MS-PST] 2.4.5).
const (
	nidMessageStore   NID = 0x21
	nidNameToIDMap    NID = 0x61
	nidRootFolder     NID = 0x122
	nidAttachmentTab  NID = 0x671 // a message's attachment table subnode
	nidRecipientTable NID = 0x692 // a message's recipient table subnode
)

// NID types ([MS-PST] 2.2.2.1) the messaging layer reads.
const (
	nidTypeNormalFolder     = 0x02
	nidTypeSearchFolder     = 0x03
	nidTypeNormalMessage    = 0x04
	nidTypeAttachment       = 0x05
	nidTypeAssocMessage     = 0x08
	nidTypeHierarchyTable   = 0x0D
	nidTypeContentsTable    = 0x0E
	nidTypeAssocContents    = 0x0F
	nidTypeSearchContentsTC = 0x10
)

// Property IDs of the PST's own bookkeeping.
const (
	propLtpRowID  uint16 = 0x67F2 // PidTagLtpRowId: a TC row's ID
	propLtpRowVer uint16 = 0x67F3 // PidTagLtpRowVer

	// PropPstPassword is PidTagPstPassword (PR_PST_PASSWORD): the CRC-32
	// of the password a PST is protected with, in its message store.
	PropPstPassword mapispi.PropTag = 0x67FF0003
)

// withNID returns nid with its type replaced by t: the nodes of one
// folder share the nidIndex ([MS-PST] 2.4.4).
func withNID(nid NID, t uint8) NID { return nid&^0x1F | NID(t) }

// msgErr returns the FormatError for a problem the messaging layer
// finds in node nid.
func msgErr(nid NID, format string, args ...any) *FormatError {
	return &FormatError{Offset: -1, NID: nid, Reason: fmt.Sprintf(format, args...)}
}

// callBudget returns the budget of one call of the messaging layer: a
// multiple of the file's size (see budget).
func (f *File) callBudget() *budget { return newBudget(budgetFactor*f.size + budgetFloor) }

// storePC opens the message store's property context, its PT_STRING8
// values in the store's code page, for a call of its own.
func (f *File) storePC() (*propContext, error) {
	n, err := f.node(nidMessageStore)
	if err != nil {
		return nil, err
	}
	pc, err := openPC(n, codepage.Windows1252, f.callBudget())
	if err != nil {
		return nil, err
	}
	if pc.cp, err = pcCodepage(pc, codepage.Windows1252); err != nil {
		return nil, err
	}
	return pc, nil
}

// storeSummary is what a File keeps of its message store's property
// context, so that Root and EntryID need not read it again: a few
// dozen bytes, whatever the file.
type storeSummary struct {
	cp     codepage.ID // of the store's 8-bit text
	key    mapispi.UID // PR_RECORD_KEY
	keyErr error       // a *FormatError: why there is no usable key
}

// summary returns the store's summary, read once: a summary whose
// reading met an error other than damage (the io.ReaderAt's) is not
// kept, so that the next call reads again.
func (f *File) summary() (*storeSummary, error) {
	if s := f.store.Load(); s != nil {
		return s, nil
	}
	pc, err := f.storePC()
	if err != nil {
		return nil, err
	}
	s := &storeSummary{cp: pc.cp}
	s.key, s.keyErr = pcRecordKey(pc)
	if s.keyErr == nil || errors.Is(s.keyErr, ErrFormat) {
		f.store.CompareAndSwap(nil, s)
	}
	return s, nil
}

// storeCodepage returns the code page of the store's 8-bit text.
func (f *File) storeCodepage() (codepage.ID, error) {
	s, err := f.summary()
	if err != nil {
		return 0, err
	}
	return s.cp, nil
}

// pcCodepage returns the code page a PC's PR_MESSAGE_CODEPAGE or, when
// it has none, its PR_INTERNET_CPID names (an Internet code page standing
// for its Windows family, codepage.ID.ANSIFamily), if this module can
// convert it, and def otherwise.
func pcCodepage(pc *propContext, def codepage.ID) (codepage.ID, error) {
	for _, tag := range []mapispi.PropTag{mapispi.PropMessageCodepage, mapispi.PropInternetCPID} {
		v, ok, err := pc.prop(tag.ID())
		if err != nil {
			return 0, err
		}
		n, isLong := v.Value.(int32)
		if id := codepage.ID(n).ANSIFamily(); ok && isLong && n > 0 && n <= 0xFFFF && id.Known() {
			return id, nil
		}
	}
	return def, nil
}

// pcProps returns the properties of pc less its PT_OBJECT ones, whose
// values are subnodes that the methods open (Attachment.Message).
func pcProps(pc *propContext) ([]mapispi.PropValue, error) {
	props, err := pc.props()
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(props, func(v mapispi.PropValue) bool { return v.Tag.Type() == mapispi.PtObject }), nil
}

// StoreProps returns the message store's properties (the property
// context of NID_MESSAGE_STORE, [MS-PST] 2.4.3), in property ID order,
// PT_STRING8 values decoded in the store's code page: its
// PR_MESSAGE_CODEPAGE or PR_INTERNET_CPID, Windows-1252 without one.
func (f *File) StoreProps() ([]mapispi.PropValue, error) {
	pc, err := f.storePC()
	if err != nil {
		return nil, err
	}
	return pcProps(pc)
}

// Password returns the store's PidTagPstPassword: the CRC-32 of the
// password Outlook asks for before it opens the file, and whether one
// is set (the property present and not zero). It is a check Outlook
// makes, not encryption: the file reads the same either way.
func (f *File) Password() (crc uint32, set bool, err error) {
	pc, err := f.storePC()
	if err != nil {
		return 0, false, err
	}
	v, ok, err := pc.prop(PropPstPassword.ID())
	if err != nil || !ok {
		return 0, false, err
	}
	n, isLong := v.Value.(int32)
	if !isLong {
		return 0, false, msgErr(nidMessageStore, "PidTagPstPassword is a %v, not PT_LONG", v.Tag.Type())
	}
	return uint32(n), n != 0, nil
}

// recordKey returns the store's PR_RECORD_KEY, the UID that names the
// file in its entry IDs ([MS-PST] 2.4.3.2).
func (f *File) recordKey() (mapispi.UID, error) {
	s, err := f.summary()
	if err != nil {
		return mapispi.UID{}, err
	}
	return s.key, s.keyErr
}

// pcRecordKey returns the PR_RECORD_KEY of the store's property
// context pc.
func pcRecordKey(pc *propContext) (mapispi.UID, error) {
	v, ok, err := pc.prop(mapispi.PropRecordKey.ID())
	if err != nil {
		return mapispi.UID{}, err
	}
	b, isBin := v.Value.([]byte)
	if !ok || !isBin || len(b) != 16 {
		return mapispi.UID{}, msgErr(nidMessageStore, "the message store has no 16-byte PR_RECORD_KEY")
	}
	return mapispi.UID(b), nil
}

// errNotObject is the cause of EntryID's error for a NID that names
// neither a folder nor a message.
var errNotObject = errors.New("pst: not the NID of a folder or a message")

// EntryID returns the entry ID of the folder or message nid ([MS-PST]
// 2.4.3.2): four zero flag bytes, the store's PR_RECORD_KEY and the NID,
// as entryid.PST encodes it, so that entryid.ParsePST reads it back.
// A NID of another type is an error wrapping errors.ErrUnsupported; a
// node the file lacks is a *FormatError.
func (f *File) EntryID(nid NID) (mapispi.EntryID, error) {
	switch nid.Type() {
	case nidTypeNormalFolder, nidTypeSearchFolder, nidTypeNormalMessage, nidTypeAssocMessage:
	default:
		return nil, fmt.Errorf("pst: EntryID(%v): NID type 0x%02X: %w: %w", nid, nid.Type(), errNotObject, errors.ErrUnsupported)
	}
	if _, err := f.node(nid); err != nil {
		return nil, err
	}
	uid, err := f.recordKey()
	if err != nil {
		return nil, err
	}
	b, err := entryid.PST{Store: uid, NID: entryid.NID(nid)}.MarshalBinary()
	if err != nil {
		return nil, err
	}
	return mapispi.EntryID(b), nil
}
