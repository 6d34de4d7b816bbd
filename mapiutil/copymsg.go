package mapiutil

import (
	"context"
	"errors"
	"io"
	"slices"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/internal/wire"
	"github.com/mapiemu/mapiemu/mapispi"
)

// MessageContent is a message read whole by ReadMessage: what
// IMAPIProp::CopyTo copies from one message to another, in memory, so
// that it can be written into a message of any store or file
// (WriteMessage) or handed to code that sends it.
type MessageContent struct {
	// Props are the message's properties, large ones whole (read
	// through OpenProperty streams), PT_OBJECT ones left out.
	Props []mapispi.PropValue
	// Recipients are the recipients with every column their table has
	// (see mapispi.AllColumnsTable), PR_ROWID included, values a row
	// lacks left out.
	Recipients []mapispi.Row
	// Attachments are the attachments in the attachment table's order.
	Attachments []AttachmentContent
	// Names are the names of the named properties (IDs from
	// mapispi.NamedPropIDMin up) among the values above, by ID, in the
	// map of the message read; nil for an embedded message, whose IDs are
	// its top-level message's.
	Names map[uint16]mapispi.PropName
}

// AttachmentContent is one attachment of a MessageContent.
type AttachmentContent struct {
	// Props are the attachment's properties, PR_ATTACH_DATA_BIN whole.
	Props []mapispi.PropValue
	// Message is the embedded message of an ATTACH_EMBEDDED_MSG
	// attachment, or nil.
	Message *MessageContent
}

// CopyOptions tunes ReadMessage and WriteMessage. The zero value (or a
// nil *CopyOptions) calls the objects directly and copies everything.
type CopyOptions struct {
	// Call, when set, makes every call into the messages, attachments,
	// tables and streams: method is the C name ("IMessage::GetProps"),
	// f the call. A host uses it to trace and guard the calls.
	Call func(method string, f func() error) error
	// Skip, when set, leaves out of WriteMessage the properties (of the
	// message, its recipients and attachments) whose tag it reports.
	Skip func(mapispi.PropTag) bool
}

// MaxNesting is how deep ReadMessage follows embedded messages; deeper
// is ErrTooComplex.
const MaxNesting = 32

func (o *CopyOptions) call(method string, f func() error) error {
	if o != nil && o.Call != nil {
		return o.Call(method, f)
	}
	return f()
}

// ReadMessage reads m whole (see MessageContent).
func ReadMessage(ctx context.Context, m mapispi.Message, opts *CopyOptions) (*MessageContent, error) {
	c, err := readMessage(ctx, m, opts, 0)
	if err != nil {
		return nil, err
	}
	if err := c.name(ctx, m, opts); err != nil {
		return nil, err
	}
	return c, nil
}

func readMessage(ctx context.Context, m mapispi.Message, opts *CopyOptions, depth int) (*MessageContent, error) {
	if depth > MaxNesting {
		return nil, mapispi.Errorf(mapispi.ErrTooComplex, "mapiutil", "ReadMessage: embedded messages nest deeper than %d", MaxNesting)
	}
	props, err := readProps(ctx, m, "IMessage", opts)
	if err != nil {
		return nil, err
	}
	c := &MessageContent{Props: props}
	var rt mapispi.Table
	if err := opts.call("IMessage::GetRecipientTable", func() (err error) { rt, err = m.RecipientTable(ctx, 0); return err }); err != nil {
		return nil, err
	}
	c.Recipients, err = WholeRows(ctx, rt, opts, mapispi.PropRowID)
	closeQuiet(ctx, opts, "IMAPITable::Release", rt)
	if err != nil {
		return nil, err
	}
	var at mapispi.Table
	if err := opts.call("IMessage::GetAttachmentTable", func() (err error) { at, err = m.AttachmentTable(ctx, 0); return err }); err != nil {
		return nil, err
	}
	nums, err := allRows(ctx, at, opts, []mapispi.PropTag{mapispi.PropAttachNum})
	closeQuiet(ctx, opts, "IMAPITable::Release", at)
	if err != nil {
		return nil, err
	}
	for _, r := range nums {
		num, ok := r[0].Value.(int32)
		if !ok {
			continue
		}
		a, err := readAttach(ctx, m, int(num), opts, depth)
		if err != nil {
			return nil, err
		}
		c.Attachments = append(c.Attachments, a)
	}
	return c, nil
}

func readAttach(ctx context.Context, m mapispi.Message, num int, opts *CopyOptions, depth int) (AttachmentContent, error) {
	var a mapispi.Attachment
	if err := opts.call("IMessage::OpenAttach", func() (err error) { a, err = m.OpenAttach(ctx, num, 0); return err }); err != nil {
		return AttachmentContent{}, err
	}
	defer closeQuiet(ctx, opts, "IAttach::Release", a)
	props, err := readProps(ctx, a, "IAttach", opts)
	if err != nil {
		return AttachmentContent{}, err
	}
	out := AttachmentContent{Props: props}
	if v, ok := FindProp(props, mapispi.PropAttachMethod); !ok || v.Value != int32(mapispi.AttachEmbeddedMsg) {
		return out, nil
	}
	po, ok := a.(mapispi.PropertyOpener)
	if !ok {
		return out, nil
	}
	var v any
	err = opts.call("IAttach::OpenProperty", func() (err error) {
		v, err = po.OpenProperty(ctx, mapispi.PropAttachDataObj, mapispi.IIDMessage, 0)
		return err
	})
	if errors.Is(err, mapispi.ErrNotFound) {
		return out, nil
	}
	if err != nil {
		return AttachmentContent{}, err
	}
	em, ok := v.(mapispi.Message)
	if !ok {
		if c, isCloser := v.(interface{ Close(context.Context) error }); isCloser {
			closeQuiet(ctx, opts, "IUnknown::Release", c)
		}
		return AttachmentContent{}, mapispi.Errorf(mapispi.ErrCallFailed, "mapiutil", "PR_ATTACH_DATA_OBJ opened as a %T, not a message", v)
	}
	defer closeQuiet(ctx, opts, "IMessage::Release", em)
	out.Message, err = readMessage(ctx, em, opts, depth+1)
	if err != nil {
		return AttachmentContent{}, err
	}
	return out, nil
}

// readProps reads every property of obj, those too large for GetProps
// through OpenProperty streams.
func readProps(ctx context.Context, obj mapispi.Properties, ifc string, opts *CopyOptions) ([]mapispi.PropValue, error) {
	var tags []mapispi.PropTag
	if err := opts.call(ifc+"::GetPropList", func() (err error) { tags, err = obj.GetPropList(ctx); return err }); err != nil {
		return nil, err
	}
	tags = slices.DeleteFunc(tags, func(t mapispi.PropTag) bool { return t.Type() == mapispi.PtObject })
	if len(tags) == 0 {
		return nil, nil
	}
	var vals []mapispi.PropValue
	if err := opts.call(ifc+"::GetProps", func() (err error) { vals, err = obj.GetProps(ctx, tags); return err }); err != nil {
		return nil, err
	}
	out := make([]mapispi.PropValue, 0, len(vals))
	for i, v := range vals {
		if v.Tag.Type() != mapispi.PtError || i >= len(tags) {
			out = append(out, v)
			continue
		}
		if code, _ := v.Value.(mapispi.SCode); code != mapispi.ErrNotEnoughMemory {
			continue
		}
		big, err := readStream(ctx, obj, tags[i], ifc, opts)
		if errors.Is(err, mapispi.ErrNotFound) {
			continue // a computed property too large to return and not stored to stream
		}
		if err != nil {
			return nil, err
		}
		out = append(out, big)
	}
	return out, nil
}

// readStream reads a large property of obj whole.
func readStream(ctx context.Context, obj mapispi.Properties, tag mapispi.PropTag, ifc string, opts *CopyOptions) (mapispi.PropValue, error) {
	po, ok := obj.(mapispi.PropertyOpener)
	if !ok {
		return mapispi.PropValue{}, mapispi.Errorf(mapispi.ErrNoSupport, "mapiutil", "%v is too large for GetProps and the object has no OpenProperty", tag)
	}
	var v any
	if err := opts.call(ifc+"::OpenProperty", func() (err error) { v, err = po.OpenProperty(ctx, tag, mapispi.IIDStream, 0); return err }); err != nil {
		return mapispi.PropValue{}, err
	}
	st, ok := v.(mapispi.Stream)
	if !ok {
		return mapispi.PropValue{}, mapispi.Errorf(mapispi.ErrCallFailed, "mapiutil", "OpenProperty(%v, IID_IStream) gave a %T", tag, v)
	}
	defer closeQuiet(ctx, opts, "IStream::Release", st)
	var b []byte
	if err := opts.call("IStream::Read", func() (err error) { b, err = io.ReadAll(st); return err }); err != nil {
		return mapispi.PropValue{}, err
	}
	switch tag.Type() {
	case mapispi.PtUnicode:
		return mapispi.PropValue{Tag: tag, Value: wire.DecodeUTF16(wire.UTF16TrimNUL(b))}, nil
	case mapispi.PtString8:
		s, err := codepage.Windows1252.Decode(b)
		if err != nil {
			return mapispi.PropValue{}, err
		}
		return mapispi.PropValue{Tag: tag, Value: s}, nil
	}
	return mapispi.PropValue{Tag: tag, Value: b}, nil
}

// WholeRows reads every row of t with every column its rows have (its
// AllColumns when it is a mapispi.AllColumnsTable, its own columns
// otherwise, and must), leaving out the values a row lacks and
// PR_INSTANCE_KEY, which names a table's row, not the object.
func WholeRows(ctx context.Context, t mapispi.Table, opts *CopyOptions, must ...mapispi.PropTag) ([]mapispi.Row, error) {
	var cols []mapispi.PropTag
	var err error
	if at, ok := t.(mapispi.AllColumnsTable); ok {
		err = opts.call("IMAPITable::QueryColumns", func() (err error) { cols, err = at.AllColumns(ctx); return err })
	} else {
		err = opts.call("IMAPITable::QueryColumns", func() (err error) { cols, err = t.Columns(ctx); return err })
	}
	if err != nil {
		return nil, err
	}
	for _, m := range must {
		if !slices.ContainsFunc(cols, func(c mapispi.PropTag) bool { return c.ID() == m.ID() }) {
			cols = append(cols, m)
		}
	}
	rows, err := allRows(ctx, t, opts, cols)
	if err != nil {
		return nil, err
	}
	for i, r := range rows {
		rows[i] = slices.DeleteFunc(r, func(p mapispi.PropValue) bool {
			return p.Tag.Type() == mapispi.PtError || p.Tag == mapispi.PropInstanceKey
		})
	}
	return rows, nil
}

// allRows reads every row of t in the columns cols (nil: its own).
func allRows(ctx context.Context, t mapispi.Table, opts *CopyOptions, cols []mapispi.PropTag) ([]mapispi.Row, error) {
	if cols != nil {
		if err := opts.call("IMAPITable::SetColumns", func() error { return t.SetColumns(ctx, cols) }); err != nil {
			return nil, err
		}
	}
	var all []mapispi.Row
	for {
		var rows []mapispi.Row
		if err := opts.call("IMAPITable::QueryRows", func() (err error) { rows, err = t.QueryRows(ctx, 256); return err }); err != nil {
			return nil, err
		}
		if len(rows) == 0 {
			return all, nil
		}
		all = append(all, rows...)
	}
}

func closeQuiet(ctx context.Context, opts *CopyOptions, method string, obj interface{ Close(context.Context) error }) {
	_ = opts.call(method, func() error { return obj.Close(ctx) })
}

// name fills c.Names with the names of the named properties c and its
// parts hold, as m's map has them.
func (c *MessageContent) name(ctx context.Context, m mapispi.Message, opts *CopyOptions) error {
	ids := c.NamedIDs()
	np, ok := m.(mapispi.NamedProps)
	if len(ids) == 0 || !ok {
		return nil
	}
	var names []mapispi.PropName
	var mapped []uint16
	if err := opts.call("IMAPIProp::GetNamesFromIDs", func() (err error) { names, mapped, err = np.NamesFromIDs(ctx, ids, nil); return err }); err != nil {
		return err
	}
	c.Names = make(map[uint16]mapispi.PropName, len(ids))
	for i, id := range mapped {
		if id != 0 && i < len(names) {
			c.Names[id] = names[i]
		}
	}
	return nil
}

// NamedIDs returns the IDs of the named properties (mapispi.NamedPropIDMin
// up) among the values of c, its recipients and its attachments,
// embedded messages included: the IDs c.Names is to name. Each is listed
// once, in the order first met.
func (c *MessageContent) NamedIDs() []uint16 {
	var ids []uint16
	c.eachTag(func(t mapispi.PropTag) {
		if t.ID() >= mapispi.NamedPropIDMin && !slices.Contains(ids, t.ID()) {
			ids = append(ids, t.ID())
		}
	})
	return ids
}

// eachTag calls f with every tag of c's properties, recipients and
// attachments, embedded messages included.
func (c *MessageContent) eachTag(f func(mapispi.PropTag)) {
	for _, p := range c.Props {
		f(p.Tag)
	}
	for _, r := range c.Recipients {
		for _, p := range r {
			f(p.Tag)
		}
	}
	for _, a := range c.Attachments {
		for _, p := range a.Props {
			f(p.Tag)
		}
		if a.Message != nil {
			a.Message.eachTag(f)
		}
	}
}

// WriteMessage writes c into m, a message opened read/write (new, or
// one whose content c should join): c's properties over m's, c's
// recipients added, c's attachments created (their embedded messages
// too) and each saved; m itself is not saved. Named properties are
// mapped from c.Names into m's map (made with MAPI_CREATE); a named
// property without a name, or that m cannot map, is left out. The
// properties m computes come back from its SetProps as problems, which
// WriteMessage ignores, as CopyTo does.
func WriteMessage(ctx context.Context, m mapispi.Message, c *MessageContent, opts *CopyOptions) error {
	np, _ := m.(mapispi.NamedProps)
	n := &namer{opts: opts, np: np, names: c.Names}
	return writeInto(ctx, n, m, c)
}

// namer maps the named property IDs of a source to a destination's,
// asking the destination once per name.
type namer struct {
	opts  *CopyOptions
	np    mapispi.NamedProps
	names map[uint16]mapispi.PropName
	to    map[uint16]uint16
}

// tag returns t with its named ID mapped, and false when it cannot be.
func (n *namer) tag(ctx context.Context, t mapispi.PropTag) (mapispi.PropTag, bool) {
	if t.ID() < mapispi.NamedPropIDMin {
		return t, true
	}
	if id, ok := n.to[t.ID()]; ok {
		return mapispi.NewPropTag(t.Type(), id), id != 0
	}
	name, ok := n.names[t.ID()]
	if !ok || n.np == nil {
		return t, false
	}
	var ids []uint16
	err := n.opts.call("IMAPIProp::GetIDsFromNames", func() (err error) {
		ids, err = n.np.IDsFromNames(ctx, []mapispi.PropName{name}, true)
		return err
	})
	id := uint16(0)
	if err == nil && len(ids) == 1 {
		id = ids[0]
	}
	if n.to == nil {
		n.to = map[uint16]uint16{}
	}
	n.to[t.ID()] = id
	return mapispi.NewPropTag(t.Type(), id), id != 0
}

// values returns vals with their named IDs mapped, less what Skip and
// the copy itself leave out (PT_ERROR and PT_OBJECT values).
func (n *namer) values(ctx context.Context, vals []mapispi.PropValue) []mapispi.PropValue {
	out := make([]mapispi.PropValue, 0, len(vals))
	for _, v := range vals {
		if v.Tag.Type() == mapispi.PtError || v.Tag.Type() == mapispi.PtObject || n.opts != nil && n.opts.Skip != nil && n.opts.Skip(v.Tag) {
			continue
		}
		t, ok := n.tag(ctx, v.Tag)
		if !ok {
			continue
		}
		out = append(out, mapispi.PropValue{Tag: t, Value: v.Value})
	}
	return out
}

func writeInto(ctx context.Context, n *namer, m mapispi.Message, c *MessageContent) error {
	if props := n.values(ctx, c.Props); len(props) > 0 {
		if err := n.opts.call("IMessage::SetProps", func() error { _, err := m.SetProps(ctx, props); return err }); err != nil {
			return err
		}
	}
	if len(c.Recipients) > 0 {
		rows := make([]mapispi.Row, 0, len(c.Recipients))
		for _, r := range c.Recipients {
			rows = append(rows, n.values(ctx, slices.DeleteFunc(slices.Clone(r), func(p mapispi.PropValue) bool { return p.Tag.ID() == mapispi.PropRowID.ID() })))
		}
		if err := n.opts.call("IMessage::ModifyRecipients", func() error { return m.ModifyRecipients(ctx, mapispi.ModRecipAdd, rows) }); err != nil {
			return err
		}
	}
	for _, a := range c.Attachments {
		if err := writeAttach(ctx, n, m, a); err != nil {
			return err
		}
	}
	return nil
}

func writeAttach(ctx context.Context, n *namer, m mapispi.Message, a AttachmentContent) error {
	var na mapispi.Attachment
	if err := n.opts.call("IMessage::CreateAttach", func() (err error) { na, _, err = m.CreateAttach(ctx, 0); return err }); err != nil {
		return err
	}
	defer closeQuiet(ctx, n.opts, "IAttach::Release", na)
	props := n.values(ctx, slices.DeleteFunc(slices.Clone(a.Props), func(p mapispi.PropValue) bool { return p.Tag.ID() == mapispi.PropAttachNum.ID() }))
	if len(props) > 0 {
		if err := n.opts.call("IAttach::SetProps", func() error { _, err := na.SetProps(ctx, props); return err }); err != nil {
			return err
		}
	}
	if a.Message != nil {
		po, ok := na.(mapispi.PropertyOpener)
		if !ok {
			return mapispi.Errorf(mapispi.ErrNoSupport, "mapiutil", "an attachment without OpenProperty cannot hold an embedded message")
		}
		var v any
		if err := n.opts.call("IAttach::OpenProperty", func() (err error) {
			v, err = po.OpenProperty(ctx, mapispi.PropAttachDataObj, mapispi.IIDMessage, mapispi.OpenModify|mapispi.OpenCreate)
			return err
		}); err != nil {
			return err
		}
		em, ok := v.(mapispi.Message)
		if !ok {
			return mapispi.Errorf(mapispi.ErrCallFailed, "mapiutil", "PR_ATTACH_DATA_OBJ opened as a %T, not a message", v)
		}
		err := writeInto(ctx, n, em, a.Message)
		if err == nil {
			err = n.opts.call("IMessage::SaveChanges", func() error { return em.SaveChanges(ctx, 0) })
		}
		closeQuiet(ctx, n.opts, "IMessage::Release", em)
		if err != nil {
			return err
		}
	}
	return n.opts.call("IAttach::SaveChanges", func() error { return na.SaveChanges(ctx, 0) })
}
