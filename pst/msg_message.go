package pst

import (
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

// This file is the message of the messaging layer ([MS-PST] 2.4.5,
// 2.4.6): a node whose data is the message's property context and
// whose subnodes hold its recipient table (NID_RECIPIENT_TABLE), its
// attachment table (NID_ATTACHMENT_TABLE) and one property context per
// attachment, named by the table's PidTagLtpRowId. An embedded message
// is a subnode of its attachment, named by the PT_OBJECT value of
// PR_ATTACH_DATA_OBJ, laid out as a message.

// Message is a message of the file, or a message embedded in an
// attachment. Its methods read the file on each call and are safe for
// concurrent use.
type Message struct {
	f     *File
	n     *node       // top-level, or a subnode of an attachment
	cp    codepage.ID // the code page of its folder or enclosing message
	depth int         // 0 for a top-level message
	// outer holds the subnode tree BIDs of the enclosing messages and
	// attachments, so that an embedded message cannot enclose itself.
	outer []BID
}

// NID returns the message's node ID: a top-level NID, or for an
// embedded message the NID of its subnode of the attachment.
func (m *Message) NID() NID { return m.n.nid }

// pc opens the message's property context with PT_STRING8 values in
// its code page: its PR_MESSAGE_CODEPAGE or PR_INTERNET_CPID, or its
// folder's (or enclosing message's) without one, for a call whose
// budget is bud.
func (m *Message) pc(bud *budget) (*propContext, error) {
	pc, err := openPC(m.n, m.cp, bud)
	if err != nil {
		return nil, err
	}
	if pc.cp, err = pcCodepage(pc, m.cp); err != nil {
		return nil, err
	}
	return pc, nil
}

// Props returns the message's properties (its property context, with
// PR_MESSAGE_SIZE and PR_MESSAGE_FLAGS as stored), in property ID
// order. PR_SUBJECT is the subject as MAPI gives it: without the
// two-character marker (U+0001 and the length of the subject's
// prefix) that Outlook stores in front of it in a PST.
func (m *Message) Props() ([]mapispi.PropValue, error) {
	return m.props(m.f.callBudget())
}

// props is Props, for a call whose budget is bud.
func (m *Message) props(bud *budget) ([]mapispi.PropValue, error) {
	pc, err := m.pc(bud)
	if err != nil {
		return nil, err
	}
	props, err := pcProps(pc)
	if err != nil {
		return nil, err
	}
	for i, v := range props {
		if s, ok := v.Value.(string); ok && v.Tag.ID() == mapispi.PropSubject.ID() {
			props[i].Value = trimSubjectMarker(s)
		}
	}
	return props, nil
}

// trimSubjectMarker drops the marker Outlook puts in front of a stored
// subject: U+0001, then a character whose code gives the length of the
// prefix ("RE: ") that starts the rest.
func trimSubjectMarker(s string) string {
	if len(s) < 2 || s[0] != 0x01 {
		return s
	}
	_, n := utf8.DecodeRuneInString(s[1:])
	return s[1+n:]
}

// subTable opens the message's table subnode nid, for a call whose
// budget is bud; a message without one has none (nil).
func (m *Message) subTable(nid NID, cp codepage.ID, bud *budget) (*tableContext, error) {
	s, err := m.n.sub(nid)
	if errors.Is(err, errNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return openTC(s, cp, bud)
}

// isLtp reports whether tag is one of the PST's own row columns,
// which say nothing about the object.
func isLtp(tag mapispi.PropTag) bool {
	return tag.ID() == propLtpRowID || tag.ID() == propLtpRowVer
}

// Recipients returns the rows of the message's recipient table, in
// table order, each with the values its row holds (cells the row lacks
// left out, and the table's PidTagLtpRowId and PidTagLtpRowVer) and
// PR_ROWID (the row's PidTagLtpRowId when the row has no PR_ROWID).
func (m *Message) Recipients() ([]mapispi.Row, error) {
	return m.recipients(m.f.callBudget())
}

// recipients is Recipients, for a call whose budget is bud.
func (m *Message) recipients(bud *budget) ([]mapispi.Row, error) {
	pc, err := m.pc(bud)
	if err != nil {
		return nil, err
	}
	tc, err := m.subTable(nidRecipientTable, pc.cp, bud)
	if err != nil || tc == nil {
		return nil, err
	}
	rows, err := tc.rows()
	if err != nil {
		return nil, err
	}
	out := make([]mapispi.Row, len(rows))
	for i, row := range rows {
		rowID, hasRowID := mapispi.PropValue{}, false
		r := make(mapispi.Row, 0, len(row)+1)
		for _, v := range row {
			switch {
			case v.Tag.Type() == mapispi.PtError:
			case v.Tag == mapispi.NewPropTag(mapispi.PtLong, propLtpRowID):
				rowID = mapispi.PropValue{Tag: mapispi.PropRowID, Value: v.Value}
			case isLtp(v.Tag):
			default:
				hasRowID = hasRowID || v.Tag == mapispi.PropRowID
				r = append(r, v)
			}
		}
		if !hasRowID {
			if rowID.Tag == 0 {
				return nil, msgErr(tc.h.nid, "recipient row %d has neither PR_ROWID nor PidTagLtpRowId", i)
			}
			r = append(r, rowID)
		}
		out[i] = r
	}
	return out, nil
}

// Attachment is an attachment of a message. It keeps its row of the
// attachment table, as Attachments read it; its methods read the rest
// of the file on each call, and are safe for concurrent use.
type Attachment struct {
	m   *Message
	n   *node // the attachment's subnode of the message
	num int   // its row in the attachment table
	// row is the attachment's row of the attachment table, shared by
	// every call: read-only, its values handed out as copies.
	row mapispi.Row
	cp  codepage.ID
}

// Attachments returns the message's attachments, in the order of its
// attachment table, each read from the property context of the
// subnode its row names.
func (m *Message) Attachments() ([]*Attachment, error) {
	return m.attachments(m.f.callBudget())
}

// attachments is Attachments, for a call whose budget is bud.
func (m *Message) attachments(bud *budget) ([]*Attachment, error) {
	pc, err := m.pc(bud)
	if err != nil {
		return nil, err
	}
	tc, err := m.subTable(nidAttachmentTab, pc.cp, bud)
	if err != nil || tc == nil {
		return nil, err
	}
	ids, err := rowIDs(tc)
	if err != nil {
		return nil, err
	}
	rows, err := tc.rows()
	if err != nil {
		return nil, err
	}
	out := make([]*Attachment, len(ids))
	for i, id := range ids {
		if id.Type() != nidTypeAttachment {
			return nil, msgErr(tc.h.nid, "attachment table row %d names %v, not an attachment's NID", i, id)
		}
		s, err := m.n.sub(id)
		if err != nil {
			return nil, err
		}
		out[i] = &Attachment{m: m, n: s, num: i, row: rows[i], cp: pc.cp}
	}
	return out, nil
}

// Props returns the attachment's properties: those of its property
// context (PR_ATTACH_DATA_BIN whole), the values of its attachment
// table row that the context lacks, and PR_ATTACH_NUM, which a PST does
// not store: the attachment's row in the table, from 0. PT_OBJECT
// values are left out (see Message). They are in property ID order.
// The values are the caller's, as every method's results are: those
// from the row, which the Attachment keeps, are copies made for the
// call, so that changing one changes neither the row nor what other
// calls return.
func (a *Attachment) Props() ([]mapispi.PropValue, error) {
	return a.props(a.m.f.callBudget())
}

// props is Props, for a call whose budget is bud.
func (a *Attachment) props(bud *budget) ([]mapispi.PropValue, error) {
	pc, err := openPC(a.n, a.cp, bud)
	if err != nil {
		return nil, err
	}
	props, err := pcProps(pc)
	if err != nil {
		return nil, err
	}
	has := func(tag mapispi.PropTag) bool {
		return slices.ContainsFunc(props, func(v mapispi.PropValue) bool { return v.Tag.ID() == tag.ID() })
	}
	for _, v := range a.row {
		if t := v.Tag.Type(); t != mapispi.PtError && t != mapispi.PtObject && !isLtp(v.Tag) && !has(v.Tag) {
			props = append(props, v.Clone())
		}
	}
	if !has(mapispi.PropAttachNum) {
		props = append(props, mapispi.PropValue{Tag: mapispi.PropAttachNum, Value: int32(a.num)})
	}
	slices.SortStableFunc(props, func(x, y mapispi.PropValue) int { return int(x.Tag.ID()) - int(y.Tag.ID()) })
	return props, nil
}

// Message returns the message embedded in an ATTACH_EMBEDDED_MSG
// attachment (the subnode its PR_ATTACH_DATA_OBJ names), and nil, nil
// for any other attachment. Embedded messages nest at most
// mapiutil.MaxNesting deep.
func (a *Attachment) Message() (*Message, error) {
	return a.message(a.m.f.callBudget())
}

// message is Message, for a call whose budget is bud.
func (a *Attachment) message(bud *budget) (*Message, error) {
	pc, err := openPC(a.n, a.cp, bud)
	if err != nil {
		return nil, err
	}
	v, ok, err := pc.prop(mapispi.PropAttachMethod.ID())
	if err != nil || !ok || v.Value != int32(mapispi.AttachEmbeddedMsg) {
		return nil, err
	}
	v, ok, err = pc.prop(mapispi.PropAttachDataObj.ID())
	if err != nil || !ok {
		return nil, err
	}
	obj, isObj := v.Value.(pcObject)
	if !isObj {
		return nil, nil // data of another type (PR_ATTACH_DATA_BIN): no message
	}
	m := a.m
	if m.depth >= mapiutil.MaxNesting {
		return nil, msgErr(a.n.nid, "embedded messages nest deeper than %d", mapiutil.MaxNesting)
	}
	s, err := a.n.sub(obj.NID)
	if err != nil {
		return nil, err
	}
	outer := append(slices.Clip(m.outer), m.n.bidSub, a.n.bidSub)
	if s.bidSub != 0 && slices.Contains(outer, s.bidSub) {
		return nil, &FormatError{Offset: -1, NID: s.nid, BID: s.bidSub, Reason: "embedded message shares the subnode tree of a message or attachment enclosing it"}
	}
	return &Message{f: m.f, n: s, cp: a.cp, depth: m.depth + 1, outer: outer}, nil
}

// String returns the message's NID, for logs and test failures.
func (m *Message) String() string { return fmt.Sprintf("message %v", m.n.nid) }
