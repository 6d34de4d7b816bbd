package spitest

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/mapiemu/mapiemu/mapispi"
)

// subjectOf returns a message's PR_SUBJECT as a fresh instance shows it.
func (e *env) subjectOf(o opener, id mapispi.EntryID) string {
	m := e.openMessage(o, "the message", id, 0)
	defer e.release(m)
	s, _ := e.str("the message", m, mapispi.PropSubject)
	return s
}

func checkMessageTransactions(e *env) {
	l, w := e.writableWorkFolder()

	// Before its first save a new message is nobody else's: not in the
	// contents table, not counted ("IMAPIFolder::CreateMessage").
	obj, err := w.f.CreateMessage(e.ctx, 0)
	m := e.asMessage("CreateMessage(0)", obj, err)
	e.setProps("a new message", m, subject("draft"))
	if rows := e.contents("the folder", w.f, 0, mapispi.PropEntryID); len(rows) != 0 {
		e.errorf("before its first SaveChanges a new message is in the contents table (%d rows, want 0)", len(rows))
	}
	if n, _ := e.num("the folder", w.f, mapispi.PropContentCount); n != 0 {
		e.errorf("before its first SaveChanges a new message is counted: PR_CONTENT_COUNT = %d, want 0", n)
	}

	// The first save: PR_ENTRYID (PidTagEntryId), the contents table,
	// PR_MESSAGE_CLASS "IPM" when the message had none (PidTagMessageClass).
	if err := m.SaveChanges(e.ctx, mapispi.KeepOpenReadWrite); err != nil {
		e.fatalf("SaveChanges(KEEP_OPEN_READWRITE) of a new message: %v", err)
	}
	id := e.entryID("a message after its first SaveChanges", m)
	if rows := e.contents("the folder", w.f, 0, mapispi.PropEntryID); len(rows) != 1 {
		e.errorf("after its first SaveChanges the message is not in the contents table (%d rows, want 1)", len(rows))
	}
	fresh := e.openMessage(l.st, "the saved message", id, 0)
	if c, _ := e.str("the saved message", fresh, mapispi.PropMessageClass); c != "IPM" {
		e.errorf("a message saved without PR_MESSAGE_CLASS has PR_MESSAGE_CLASS %v, want \"IPM\"", e.prop("the saved message", fresh, mapispi.PropMessageClass))
	}

	// KEEP_OPEN_READWRITE keeps the instance writable; its unsaved
	// changes are its own until it saves them.
	if probs, err := m.SetProps(e.ctx, []mapispi.PropValue{subject("changed")}); err != nil || len(probs) > 0 {
		e.fatalf("SetProps after SaveChanges(KEEP_OPEN_READWRITE) = %v, %v; want success: the message stays open read/write", probs, err)
	}
	if got := e.subjectOf(l.st, id); got != "draft" {
		e.errorf("an instance opened while another has an unsaved change shows PR_SUBJECT %q, want \"draft\": unsaved changes are the instance's own", got)
	}
	if err := m.SaveChanges(e.ctx, mapispi.KeepOpenReadWrite); err != nil {
		e.errorf("a second SaveChanges(KEEP_OPEN_READWRITE): %v", err)
	}
	if got := e.subjectOf(l.st, id); got != "changed" {
		e.errorf("after SaveChanges a new instance shows PR_SUBJECT %q, want \"changed\"", got)
	}

	// Two instances: the first save wins, the second is ErrObjectChanged
	// and commits nothing, FORCE_SAVE then commits it
	// ("IMAPIProp::SaveChanges").
	x := e.openMessage(l.st, "the message", id, mapispi.OpenModify)
	y := e.openMessage(l.st, "the message", id, mapispi.OpenModify)
	e.setProps("instance x", x, subject("x"))
	e.setProps("instance y", y, subject("y"))
	if err := x.SaveChanges(e.ctx, 0); err != nil {
		e.fatalf("SaveChanges of the first of two instances: %v", err)
	}
	if err := y.SaveChanges(e.ctx, mapispi.KeepOpenReadWrite); !isCode(err, mapispi.ErrObjectChanged) {
		e.errorf("SaveChanges of an instance opened before another instance's save = %v, want ErrObjectChanged", err)
	}
	if got := e.subjectOf(l.st, id); got != "x" {
		e.errorf("after the second instance's SaveChanges failed, PR_SUBJECT = %q, want the first instance's \"x\"", got)
	}
	if err := y.SaveChanges(e.ctx, mapispi.ForceSave); err != nil {
		e.errorf("SaveChanges(FORCE_SAVE) after ErrObjectChanged: %v, want success", err)
	} else if got := e.subjectOf(l.st, id); got != "y" {
		e.errorf("after SaveChanges(FORCE_SAVE) PR_SUBJECT = %q, want \"y\": the instance keeps its changes when a save fails", got)
	}

	// A message deleted meanwhile: ErrObjectDeleted.
	z := e.openMessage(l.st, "the message", id, mapispi.OpenModify)
	if err := w.f.DeleteMessages(e.ctx, []mapispi.EntryID{id.Clone()}, 0); err != nil {
		e.fatalf("precondition: DeleteMessages: %v", err)
	}
	e.setProps("an instance of a deleted message", z, subject("z"))
	if err := z.SaveChanges(e.ctx, 0); !isCode(err, mapispi.ErrObjectDeleted) {
		e.errorf("SaveChanges of a message deleted since it was opened = %v, want ErrObjectDeleted", err)
	}
	if gone, err := e.gone(l.st, id); !gone {
		e.errorf("OpenEntry(a deleted message) = %v, want ErrNotFound", err)
	}
}

// bigText is a PR_BODY of n UTF-16 code units, ASCII.
func bigText(n int) string {
	var b strings.Builder
	for b.Len() < n {
		fmt.Fprintf(&b, "line %d of a long body. ", b.Len())
	}
	return b.String()[:n]
}

func checkMessageProperties(e *env) {
	l, w := e.writableWorkFolder()
	obj, err := w.f.CreateMessage(e.ctx, 0)
	m := e.asMessage("CreateMessage(0)", obj, err)

	// Computed properties are ErrComputed problems, at the value's index,
	// and the others are set (PidTagStoreSupportMask, PidTagDisplayTo,
	// "IMAPIProp::SetProps").
	body := bigText(32 << 10) // 64 KiB as PT_UNICODE
	vals := []mapispi.PropValue{
		subject("properties"),
		{Tag: mapispi.PropStoreSupportMask, Value: int32(-1)},
		{Tag: mapispi.PropBody, Value: body},
		{Tag: mapispi.PropDisplayTo, Value: "Nobody"},
	}
	probs, err := m.SetProps(e.ctx, vals)
	if err != nil {
		e.fatalf("SetProps(%v, ...) with computed properties: %v; want ErrComputed problems and a nil error", vals[0], err)
	}
	for _, want := range []int{1, 3} {
		i := slices.IndexFunc(probs, func(p mapispi.PropProblem) bool { return p.Index == want })
		if i < 0 || probs[i].Code != mapispi.ErrComputed || probs[i].Tag.ID() != vals[want].Tag.ID() {
			e.errorf("SetProps of computed %v at index %d: problems %v, want one with index %d, that tag and ErrComputed", vals[want].Tag, want, probs, want)
		}
	}
	for _, p := range probs {
		if p.Index != 1 && p.Index != 3 {
			e.errorf("SetProps: problem %v for a property a client may set", p)
		}
	}
	if err := m.SaveChanges(e.ctx, 0); err != nil {
		e.fatalf("precondition: SaveChanges: %v", err)
	}
	id := e.entryID("a saved message", m)
	r := e.openMessage(l.st, "the saved message", id, 0)
	if to, _ := e.str("the saved message", r, mapispi.PropDisplayTo); to != "" {
		e.errorf("PR_DISPLAY_TO of a message without recipients, after SetProps(PR_DISPLAY_TO, \"Nobody\") = %q, want \"\"", to)
	}

	// GetProps: one value per tag in the request's order; PT_UNSPECIFIED
	// takes the stored type; a missing property is PT_ERROR ErrNotFound
	// under its ID; a large one is its value or ErrNotEnoughMemory
	// ("IMAPIProp::GetProps").
	missing := mapispi.NewPropTag(mapispi.PtLong, 0x6801)
	tags := []mapispi.PropTag{mapispi.PropBody, missing, mapispi.PropSubject.WithType(mapispi.PtUnspecified), mapispi.PropSubject}
	got := e.getProps("the saved message", r, tags...)
	if v := got[0]; !(v.Tag == mapispi.PropBody && v.Value == body) && !(v.Tag == mapispi.PropBody.WithType(mapispi.PtError) && v.Value == mapispi.ErrNotEnoughMemory) {
		e.errorf("GetProps(PR_BODY) of a 64 KiB body = %s, want the whole value or PT_ERROR MAPI_E_NOT_ENOUGH_MEMORY", short(v))
	}
	if v := got[1]; v.Tag != missing.WithType(mapispi.PtError) || v.Value != mapispi.ErrNotFound {
		e.errorf("GetProps(%v), a property the message lacks = %v, want %v", missing, v, mapispi.ErrorValue(missing, mapispi.ErrNotFound))
	}
	if v := got[2]; v.Tag.ID() != mapispi.PropSubject.ID() || (v.Tag.Type() != mapispi.PtUnicode && v.Tag.Type() != mapispi.PtString8) || v.Value != "properties" {
		e.errorf("GetProps(PR_SUBJECT as PT_UNSPECIFIED) = %v, want PR_SUBJECT with its stored string type and \"properties\"", v)
	}
	if v := got[3]; v.Tag != mapispi.PropSubject || v.Value != "properties" {
		e.errorf("GetProps([..., PR_SUBJECT]) gave %v last, want %v: values come in the order of the tags", v, subject("properties"))
	}

	// The large value is all there through a stream.
	po, ok := r.(mapispi.PropertyOpener)
	if !ok {
		return // Streams skips for the same reason
	}
	obj2, err := po.OpenProperty(e.ctx, mapispi.PropBody, mapispi.IIDStream, 0)
	st := e.asStream("OpenProperty(PR_BODY, IID_IStream, 0) of a 64 KiB body", obj2, err)
	data := e.readAll("the PR_BODY stream", st, 4*len(body))
	want := utf16LE(body)
	data = bytes.TrimSuffix(data, []byte{0, 0}) // a terminator is the stream's business
	if !bytes.Equal(data, want) {
		e.errorf("the PR_BODY stream of a 64 KiB body gave %d bytes, want the %d bytes of its UTF-16LE text", len(data), len(want))
	}
}

// short prints a value, cutting a long one.
func short(v mapispi.PropValue) string {
	s := v.String()
	if len(s) > 80 {
		s = s[:80] + "..."
	}
	return s
}

func checkRecipients(e *env) {
	l, w := e.writableWorkFolder()
	obj, err := w.f.CreateMessage(e.ctx, 0)
	m := e.asMessage("CreateMessage(0)", obj, err)
	cols := []mapispi.PropTag{mapispi.PropRowID, mapispi.PropDisplayName, mapispi.PropRecipientType, mapispi.PropEmailAddress}
	recips := func(what string) map[string]mapispi.Row {
		t, err := m.RecipientTable(e.ctx, 0)
		tb := e.asTable("RecipientTable(0)", t, err)
		defer e.release(tb)
		out := map[string]mapispi.Row{}
		for _, r := range e.readRows("the recipient table "+what, tb, cols...) {
			out[colString(r, mapispi.PropDisplayName)] = r
		}
		return out
	}
	rowID := func(r mapispi.Row) (int32, bool) {
		v, ok := col(r, mapispi.PropRowID)
		n, isInt := v.Value.(int32)
		return n, ok && isInt
	}
	recip := func(name string, typ mapispi.RecipientType, more ...mapispi.PropValue) mapispi.Row {
		return append(mapispi.Row{
			{Tag: mapispi.PropDisplayName, Value: name},
			{Tag: mapispi.PropRecipientType, Value: int32(typ)},
		}, more...)
	}

	// MODRECIP_ADD: each recipient gets a PR_ROWID of its own
	// ("IMessage::ModifyRecipients", PidTagRowid).
	add := []mapispi.Row{recip("Alice", mapispi.RecipTo, mapispi.PropValue{Tag: mapispi.PropEmailAddress, Value: "alice@example.com"}), recip("Bob", mapispi.RecipCC)}
	if err := m.ModifyRecipients(e.ctx, mapispi.ModRecipAdd, add); err != nil {
		e.fatalf("ModifyRecipients(MODRECIP_ADD, Alice, Bob): %v", err)
	}
	if err := m.ModifyRecipients(e.ctx, mapispi.ModRecipAdd, []mapispi.Row{recip("Carol", mapispi.RecipBCC)}); err != nil {
		e.fatalf("ModifyRecipients(MODRECIP_ADD, Carol): %v", err)
	}
	rs := recips("after MODRECIP_ADD")
	ids := map[int32]string{}
	for _, name := range []string{"Alice", "Bob", "Carol"} {
		r, ok := rs[name]
		if !ok {
			e.fatalf("after ModifyRecipients(MODRECIP_ADD) the recipient table has no %s (rows %v)", name, rs)
		}
		n, ok := rowID(r)
		if !ok {
			e.errorf("recipient %s has no PR_ROWID: %v", name, r)
			continue
		}
		if other, dup := ids[n]; dup {
			e.errorf("recipients %s and %s have the same PR_ROWID %d", other, name, n)
		}
		ids[n] = name
	}
	if len(rs) != 3 {
		e.errorf("after adding three recipients the table has %d rows, want 3", len(rs))
	}
	alice, _ := rowID(rs["Alice"])
	bob, _ := rowID(rs["Bob"])

	// A MODIFY or REMOVE row without PR_ROWID is an error and changes
	// nothing.
	before := recips("before a failed change")
	for _, f := range []mapispi.ModRecipFlags{mapispi.ModRecipModify, mapispi.ModRecipRemove} {
		err := m.ModifyRecipients(e.ctx, f, []mapispi.Row{recip("Nobody", mapispi.RecipTo)})
		if !isCode(err, mapispi.ErrNotFound) && !isCode(err, mapispi.ErrInvalidParameter) {
			e.errorf("ModifyRecipients(%v) with a row without PR_ROWID = %v, want ErrNotFound or ErrInvalidParameter", f, err)
		}
	}
	if after := recips("after a failed change"); !sameRows(before, after) {
		e.errorf("a ModifyRecipients that failed changed the recipients: %v, was %v", after, before)
	}

	// MODRECIP_MODIFY replaces the whole row: what it leaves out goes.
	mod := recip("Alice Two", mapispi.RecipTo, mapispi.PropValue{Tag: mapispi.PropRowID, Value: alice})
	if err := m.ModifyRecipients(e.ctx, mapispi.ModRecipModify, []mapispi.Row{mod}); err != nil {
		e.fatalf("ModifyRecipients(MODRECIP_MODIFY, Alice's row without PR_EMAIL_ADDRESS): %v", err)
	}
	rs = recips("after MODRECIP_MODIFY")
	if r, ok := rs["Alice Two"]; !ok {
		e.errorf("after MODRECIP_MODIFY of Alice's row to \"Alice Two\" the table has %v", rs)
	} else if v, has := col(r, mapispi.PropEmailAddress); has {
		e.errorf("after MODRECIP_MODIFY with a row without PR_EMAIL_ADDRESS the recipient still has %v: the row replaces the whole recipient", v)
	}
	if _, ok := rs["Alice"]; ok {
		e.errorf("after MODRECIP_MODIFY of Alice's row the old row is still there")
	}

	// MODRECIP_REMOVE removes the recipient with that PR_ROWID.
	if err := m.ModifyRecipients(e.ctx, mapispi.ModRecipRemove, []mapispi.Row{{{Tag: mapispi.PropRowID, Value: bob}}}); err != nil {
		e.fatalf("ModifyRecipients(MODRECIP_REMOVE, Bob's PR_ROWID): %v", err)
	}
	if got := slices.Sorted(maps.Keys(recips("after MODRECIP_REMOVE"))); !slices.Equal(got, []string{"Alice Two", "Carol"}) {
		e.errorf("after MODRECIP_REMOVE of Bob the recipients are %q, want [\"Alice Two\" \"Carol\"]", got)
	}

	// PR_DISPLAY_TO, _CC and _BCC follow the recipients at SaveChanges
	// (PidTagDisplayTo).
	display := func(what string, to, cc, bcc []string) {
		id := e.entryID("the saved message", m)
		r := e.openMessage(l.st, "the saved message", id, 0)
		defer e.release(r)
		vals := e.getProps("the saved message", r, mapispi.PropDisplayTo, mapispi.PropDisplayCC, mapispi.PropDisplayBCC)
		for i, want := range [][]string{to, cc, bcc} {
			s, ok := vals[i].Value.(string)
			if got := splitNames(s); !ok || !slices.Equal(got, want) {
				e.errorf("%s: %v, want the names %q separated by semicolons", what, vals[i], want)
			}
		}
	}
	e.save("the message", m, mapispi.KeepOpenReadWrite)
	display("after SaveChanges", []string{"Alice Two"}, nil, []string{"Carol"})

	// Flags 0 replace every recipient.
	if err := m.ModifyRecipients(e.ctx, 0, []mapispi.Row{recip("Dave", mapispi.RecipTo), recip("Erin", mapispi.RecipTo)}); err != nil {
		e.fatalf("ModifyRecipients(0, Dave, Erin): %v", err)
	}
	if got := slices.Sorted(maps.Keys(recips("after ModifyRecipients(0)"))); !slices.Equal(got, []string{"Dave", "Erin"}) {
		e.errorf("after ModifyRecipients(0, Dave, Erin) the recipients are %q, want [\"Dave\" \"Erin\"]", got)
	}
	e.save("the message", m, mapispi.KeepOpenReadWrite)
	display("after ModifyRecipients(0) and SaveChanges", []string{"Dave", "Erin"}, nil, nil)
}

// sameRows reports whether two recipient snapshots are equal.
func sameRows(a, b map[string]mapispi.Row) bool {
	if len(a) != len(b) {
		return false
	}
	for k, r := range a {
		if fmt.Sprint(r) != fmt.Sprint(b[k]) {
			return false
		}
	}
	return true
}

func checkAttachments(e *env) {
	s := e.session(1, sessOpts{})
	l := e.mustLogon(s, 0, rw)
	mask := e.supportMask(l.st)
	e.needWrite(mask)
	if mask&mapispi.StoreAttachOK == 0 {
		e.skipf("PR_STORE_SUPPORT_MASK = %v has no STORE_ATTACH_OK: the store keeps no attachments", mask)
	}
	w := e.workFolder(l.st)
	m, id := e.message(w.f, 0, mapispi.KeepOpenReadWrite, subject("with attachments"))
	cols := []mapispi.PropTag{mapispi.PropAttachNum, mapispi.PropRenderingPosition}
	table := func(what string) []int32 {
		r := e.openMessage(l.st, "the message", id, 0)
		defer e.release(r)
		t, err := r.AttachmentTable(e.ctx, 0)
		tb := e.asTable("AttachmentTable(0)", t, err)
		defer e.release(tb)
		var nums []int32
		for _, row := range e.readRows("the attachment table "+what, tb, cols...) {
			v, _ := col(row, mapispi.PropAttachNum)
			n, _ := v.Value.(int32)
			nums = append(nums, n)
		}
		return nums
	}
	hasAttach := func(what string, want bool) {
		r := e.openMessage(l.st, "the message", id, 0)
		defer e.release(r)
		vals := e.getProps("the message", r, mapispi.PropHasAttach, mapispi.PropMessageFlags)
		if b, ok := vals[0].Value.(bool); !ok || b != want {
			e.errorf("%s: %v, want %v (PidTagHasAttachments)", what, vals[0], want)
		}
		if f, ok := vals[1].Value.(int32); !ok || (mapispi.MessageFlags(f)&mapispi.MsgFlagHasAttach != 0) != want {
			e.errorf("%s: %v, want MSGFLAG_HASATTACH %s", what, vals[1], map[bool]string{true: "set", false: "clear"}[want])
		}
	}

	// Attachment numbers are distinct; an attachment is the message's only
	// once it and then the message are saved ("IMessage::CreateAttach").
	var nums []int
	for i, pos := range []int32{10, -1, 5} {
		obj, num, err := m.CreateAttach(e.ctx, 0)
		a := e.asAttachment(fmt.Sprintf("CreateAttach #%d", i+1), obj, err)
		if slices.Contains(nums, num) {
			e.errorf("CreateAttach gave attachment number %d twice (numbers so far %v)", num, nums)
		}
		nums = append(nums, num)
		e.setProps("a new attachment", a,
			mapispi.PropValue{Tag: mapispi.PropAttachMethod, Value: int32(mapispi.AttachByValue)},
			mapispi.PropValue{Tag: mapispi.PropAttachDataBin, Value: []byte(fmt.Sprintf("data %d", i))},
			mapispi.PropValue{Tag: mapispi.PropRenderingPosition, Value: pos})
		if got := table("of another instance, before the attachment's SaveChanges"); len(got) != 0 {
			e.errorf("an unsaved attachment is in another instance's attachment table: %v", got)
		}
		e.save("the attachment", a, 0)
	}
	if got := table("of another instance, before the message's SaveChanges"); len(got) != 0 {
		e.errorf("a saved attachment of an unsaved message is in another instance's attachment table: %v", got)
	}
	hasAttach("PR_HASATTACH before the message's SaveChanges", false)
	e.save("the message", m, mapispi.KeepOpenReadWrite)

	// The table is in rendering position order, as a signed number
	// ("Attachment Tables"), and PR_HASATTACH follows.
	want := []int32{int32(nums[1]), int32(nums[2]), int32(nums[0])}
	if got := table("after SaveChanges"); !slices.Equal(got, want) {
		e.errorf("attachment table (PR_ATTACH_NUM) = %v, want %v: rows in PR_RENDERING_POSITION order (-1, 5, 10)", got, want)
	}
	hasAttach("PR_HASATTACH with attachments", true)
	r := e.openMessage(l.st, "the message", id, 0)
	obj, err := r.OpenAttach(e.ctx, nums[0], 0)
	a := e.asAttachment(fmt.Sprintf("OpenAttach(%d)", nums[0]), obj, err)
	if b, _ := e.bin("the attachment", a, mapispi.PropAttachDataBin); string(b) != "data 0" {
		e.errorf("OpenAttach(%d): PR_ATTACH_DATA_BIN = %q, want %q", nums[0], b, "data 0")
	}
	if n, _ := e.num("the attachment", a, mapispi.PropAttachNum); n != int32(nums[0]) {
		e.errorf("OpenAttach(%d): PR_ATTACH_NUM = %d", nums[0], n)
	}
	unknown := slices.Max(nums) + 100
	if obj, err := r.OpenAttach(e.ctx, unknown, 0); !isCode(err, mapispi.ErrNotFound) {
		e.errorf("OpenAttach(%d), a number no attachment has = %s, want ErrNotFound", unknown, describeAny(obj, err))
	}

	// DeleteAttach takes effect at the message's SaveChanges.
	if err := m.DeleteAttach(e.ctx, nums[1]); err != nil {
		e.errorf("DeleteAttach(%d): %v", nums[1], err)
	}
	if got := table("after DeleteAttach, before SaveChanges"); len(got) != 3 {
		e.errorf("after DeleteAttach and before the message's SaveChanges another instance lists attachments %v, want all three", got)
	}
	e.save("the message", m, mapispi.KeepOpenReadWrite)
	if got := table("after DeleteAttach and SaveChanges"); !slices.Equal(got, []int32{int32(nums[2]), int32(nums[0])}) {
		e.errorf("after DeleteAttach(%d) and SaveChanges the attachments are %v, want %v", nums[1], got, []int{nums[2], nums[0]})
	}
	for _, n := range []int{nums[0], nums[2]} {
		if err := m.DeleteAttach(e.ctx, n); err != nil {
			e.errorf("DeleteAttach(%d): %v", n, err)
		}
	}
	e.save("the message", m, mapispi.KeepOpenReadWrite)
	hasAttach("PR_HASATTACH after every attachment was deleted", false)

	// An embedded message goes in and comes back through
	// OpenProperty(PR_ATTACH_DATA_OBJ, IID_IMessage).
	obj, _, err = m.CreateAttach(e.ctx, 0)
	a = e.asAttachment("CreateAttach", obj, err)
	po, ok := a.(mapispi.PropertyOpener)
	if !ok {
		return // attachments without OpenProperty hold no embedded messages
	}
	e.setProps("a new attachment", a, mapispi.PropValue{Tag: mapispi.PropAttachMethod, Value: int32(mapispi.AttachEmbeddedMsg)})
	inner, err := po.OpenProperty(e.ctx, mapispi.PropAttachDataObj, mapispi.IIDMessage, mapispi.OpenCreate|mapispi.OpenModify)
	em := e.asMessage("OpenProperty(PR_ATTACH_DATA_OBJ, IID_IMessage, MAPI_CREATE|MAPI_MODIFY)", inner, err)
	e.setProps("the embedded message", em, subject("inside"))
	e.save("the embedded message", em, 0)
	e.save("the attachment", a, 0)
	e.save("the message", m, mapispi.KeepOpenReadWrite)
	got := table("with an embedded message")
	if len(got) != 1 {
		e.fatalf("the message with one embedded message lists attachments %v", got)
	}
	r = e.openMessage(l.st, "the message", id, 0)
	obj, err = r.OpenAttach(e.ctx, int(got[0]), 0)
	a = e.asAttachment(fmt.Sprintf("OpenAttach(%d)", got[0]), obj, err)
	po, ok = a.(mapispi.PropertyOpener)
	if !ok {
		e.fatalf("an attachment opened with OpenAttach does not implement mapispi.PropertyOpener, one made with CreateAttach does")
	}
	inner, err = po.OpenProperty(e.ctx, mapispi.PropAttachDataObj, mapispi.IIDMessage, 0)
	em = e.asMessage("OpenProperty(PR_ATTACH_DATA_OBJ, IID_IMessage, 0)", inner, err)
	if sub, _ := e.str("the embedded message", em, mapispi.PropSubject); sub != "inside" {
		e.errorf("the embedded message's PR_SUBJECT = %q after a round trip, want \"inside\"", sub)
	}
}
