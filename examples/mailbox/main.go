// Mailbox builds a mailbox like a user's and reads it back through MAPI,
// as a mail client would: it makes folders (Inbox/Projects, Archive),
// maps two named properties (a PS_PUBLIC_STRINGS "Keywords" string name
// and PSETID_Common's PidLidReminderSet, an ID name), delivers messages
// with senders, delivery times, To and Cc recipients, an attachment and
// an embedded message, lists the folder tree (a CONVENIENT_DEPTH
// hierarchy table) and the unread mail newest first (a contents table
// with a restriction and a sort), reads one message back whole, moves
// and deletes messages showing the folders' counts, and at the end closes
// every handle, logs off and prints the leak check.
//
//	go run ./examples/mailbox
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msprovider"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "mailbox:", err)
		os.Exit(1)
	}
}

// mail is a message to deliver. Its sender and recipients are display
// names; their addresses are made up from the first name.
type mail struct {
	Subject   string
	From      string
	To, Cc    []string
	Delivered time.Time
	Read      bool
	Keywords  []string // the named property "Keywords", if any
	Reminder  bool     // the named property PidLidReminderSet
	Body      string
	File      *file // an attachment by value
	Embedded  *mail // a message attached to this one
}

// file is an attachment's name and data.
type file struct{ Name, Data string }

// named holds the property tags of the two named properties once the
// store has mapped their names to IDs.
type named struct {
	keywords mapispi.PropTag // PT_MV_UNICODE
	reminder mapispi.PropTag // PT_BOOLEAN
}

// folder is a folder handle and the name the example prints for it.
type folder struct {
	name string
	*mapi.Folder
}

// at returns the given time of a fixed day, so that the output is the
// same on every run.
func at(hour, minute int) time.Time { return time.Date(2026, 3, 2, hour, minute, 0, 0, time.UTC) }

func run(ctx context.Context, out io.Writer) error {
	step := func(n int, format string, args ...any) {
		fmt.Fprintf(out, "\n%d. "+format+"\n", append([]any{n}, args...)...)
	}

	// 1. A session with one store of the reference provider, open read/write.
	step(1, "log on and open the mailbox")
	backend := msprovider.NewBackend()
	var reg mapi.Registry
	if err := reg.Register(msprovider.DLLName, backend.Init); err != nil {
		return err
	}
	id, err := backend.CreateStore("Mailbox", nil)
	if err != nil {
		return err
	}
	profile := mapi.Profile{Name: "Pat", Services: []mapi.Service{{Name: "Mailbox", Provider: msprovider.DLLName,
		Props: []mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte(id)}}}}}
	session, err := mapi.Logon(ctx, &reg, profile, nil)
	if err != nil {
		return err
	}
	stores, err := session.MsgStores(ctx)
	if err != nil {
		return err
	}
	store, err := session.OpenMsgStore(ctx, stores[0].EntryID, mapispi.LogonWrite)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "   store %q open for writing\n", stores[0].DisplayName)

	// 2. The IPM subtree (PR_IPM_SUBTREE_ENTRYID) and the Inbox are the
	// store's; the rest we make.
	step(2, "open the IPM subtree and the Inbox, create Inbox/Projects and Archive")
	ipm, err := storeFolder(ctx, store, mapispi.PropIPMSubtreeEntryID)
	if err != nil {
		return err
	}
	inboxF, err := openInbox(ctx, store, ipm)
	if err != nil {
		return err
	}
	projectsF, err := inboxF.CreateFolder(ctx, mapispi.FolderGeneric, "Projects", "work in progress", 0)
	if err != nil {
		return err
	}
	archiveF, err := ipm.CreateFolder(ctx, mapispi.FolderGeneric, "Archive", "kept for later", 0)
	if err != nil {
		return err
	}
	inbox, projects, archive := folder{"Inbox", inboxF}, folder{"Inbox/Projects", projectsF}, folder{"Archive", archiveF}
	fmt.Fprintln(out, "   created Inbox/Projects and Archive")

	// 3. Named properties: the store maps names to IDs from 0x8000 up,
	// and the tags of those IDs hold the values.
	step(3, "map the named properties")
	tags, err := mapNames(ctx, store, out)
	if err != nil {
		return err
	}

	// 4. Delivery: each message is created, filled and saved.
	step(4, "deliver the mail")
	ids := map[string]mapispi.EntryID{} // subject: entry ID
	for _, d := range []struct {
		to folder
		m  mail
	}{
		{inbox, mail{Subject: "Newsletter", From: "News Desk", To: []string{"Pat Doe"}, Delivered: at(6, 0), Read: true}},
		{inbox, mail{Subject: "Quarterly report", From: "Ann Lee", To: []string{"Pat Doe"}, Cc: []string{"Bob Stone"},
			Delivered: at(8, 30), Read: true, Keywords: []string{"finance", "q1"}, Body: "The numbers are attached.",
			File: &file{"report.csv", "quarter,revenue\nQ1,1200\n"}}},
		{inbox, mail{Subject: "Lunch on Friday?", From: "Bob Stone", To: []string{"Pat Doe"}, Delivered: at(9, 10)}},
		{inbox, mail{Subject: "Fwd: Project kickoff", From: "Carol King", To: []string{"Pat Doe"}, Cc: []string{"Ann Lee"},
			Delivered: at(10, 5), Keywords: []string{"project"}, Reminder: true, Body: "See below.",
			Embedded: &mail{Subject: "Project kickoff", From: "Dan Moss", To: []string{"Carol King"},
				Delivered: at(7, 45), Read: true, Body: "Kickoff is Monday at ten."}}},
		{inbox, mail{Subject: "Build failed", From: "CI Robot", To: []string{"Pat Doe"}, Delivered: at(11, 0)}},
		{projects, mail{Subject: "Design review notes", From: "Dan Moss", To: []string{"Pat Doe", "Ann Lee"},
			Delivered: at(12, 20), Keywords: []string{"project", "design"}}},
	} {
		id, err := deliver(ctx, d.to.Folder, d.m, tags)
		if err != nil {
			return fmt.Errorf("%s: %w", d.m.Subject, err)
		}
		ids[d.m.Subject] = id
		fmt.Fprintf(out, "   %-15s %s  %-11s %s\n", d.to.name, d.m.Delivered.Format("15:04"), d.m.From, d.m.Subject)
	}
	if err := printCounts(ctx, out, inbox, projects, archive); err != nil {
		return err
	}

	// 5. The folder tree, as a client's folder pane shows it.
	step(5, "list the folder tree (hierarchy table, CONVENIENT_DEPTH)")
	if err := printTree(ctx, out, ipm); err != nil {
		return err
	}

	// 6. The unread mail, newest first.
	step(6, "list the Inbox's unread mail, newest first (restriction and sort)")
	if err := printUnread(ctx, out, inbox.Folder); err != nil {
		return err
	}

	// 7. One message read back whole.
	step(7, "read %q back", "Fwd: Project kickoff")
	if err := printMessage(ctx, out, inbox.Folder, ids["Fwd: Project kickoff"], tags); err != nil {
		return err
	}
	step(8, "read the attachment of %q", "Quarterly report")
	if err := printAttachment(ctx, out, inbox.Folder, ids["Quarterly report"]); err != nil {
		return err
	}

	// 9. Moving is CopyMessages with MESSAGE_MOVE; deleting is DeleteMessages.
	step(9, "move two messages from the Inbox to the Archive")
	if err := inbox.CopyMessages(ctx, []mapispi.EntryID{ids["Quarterly report"], ids["Fwd: Project kickoff"]}, archive.Folder, mapispi.MessageMove); err != nil {
		return err
	}
	if err := printCounts(ctx, out, inbox, projects, archive); err != nil {
		return err
	}
	step(10, "delete two messages from the Inbox")
	if err := inbox.DeleteMessages(ctx, []mapispi.EntryID{ids["Build failed"], ids["Newsletter"]}, 0); err != nil {
		return err
	}
	if err := printCounts(ctx, out, inbox, projects, archive); err != nil {
		return err
	}

	// 11. Every handle closed, then Logoff: its leak check lists any
	// handle left open and any buffer a provider left behind.
	step(11, "close everything, log off and check for leaks")
	for _, f := range []*mapi.Folder{ipm, inbox.Folder, projects.Folder, archive.Folder} {
		if err := f.Close(ctx); err != nil {
			return err
		}
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

// openInbox opens the Inbox: the receive folder of class "IPM" where the
// store has receive folders, else the IPM subtree's folder named "Inbox".
func openInbox(ctx context.Context, store *mapi.Store, ipm *mapi.Folder) (*mapi.Folder, error) {
	if store.Supports(mapi.CapReceiveFolders) {
		id, _, err := store.ReceiveFolder(ctx, "IPM")
		if err != nil {
			return nil, err
		}
		return store.OpenFolder(ctx, id, mapispi.OpenModify)
	}
	t, err := ipm.HierarchyTable(ctx, 0)
	if err != nil {
		return nil, err
	}
	rows, err := queryAll(ctx, t, mapispi.PropDisplayName, mapispi.PropEntryID)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if r[0].Value == "Inbox" {
			return store.OpenFolder(ctx, r[1].Value.([]byte), mapispi.OpenModify)
		}
	}
	return nil, fmt.Errorf("the IPM subtree has no Inbox")
}

// storeFolder opens the folder whose entry ID the store property tag
// holds, such as PR_IPM_SUBTREE_ENTRYID.
func storeFolder(ctx context.Context, store *mapi.Store, tag mapispi.PropTag) (*mapi.Folder, error) {
	props, err := store.GetProps(ctx, []mapispi.PropTag{tag})
	if err != nil {
		return nil, err
	}
	id, ok := props[0].Value.([]byte)
	if !ok {
		return nil, fmt.Errorf("the store has no %v: %v", tag, props[0])
	}
	return store.OpenFolder(ctx, id, mapispi.OpenModify)
}

// mapNames maps the example's two named properties (GetIDsFromNames with
// MAPI_CREATE) and prints the map read back with GetNamesFromIDs.
func mapNames(ctx context.Context, store *mapi.Store, out io.Writer) (named, error) {
	names := []mapispi.PropName{
		{Set: mapispi.PSPublicStrings, Kind: mapispi.NameString, Name: "Keywords"},
		{Set: mapispi.PSETIDCommon, Kind: mapispi.NameID, ID: 0x8503}, // PidLidReminderSet
	}
	ids, err := store.IDsFromNames(ctx, names, true)
	if err != nil {
		return named{}, err
	}
	back, _, err := store.NamesFromIDs(ctx, ids, nil)
	if err != nil {
		return named{}, err
	}
	tags := named{
		keywords: mapispi.NewPropTag(mapispi.PtUnicode|mapispi.MVFlag, ids[0]),
		reminder: mapispi.NewPropTag(mapispi.PtBoolean, ids[1]),
	}
	for i, tag := range []mapispi.PropTag{tags.keywords, tags.reminder} {
		fmt.Fprintf(out, "   0x%04X = %-28s tag %v (%v)\n", ids[i], nameString(back[i]), tag, tag.Type())
	}
	return tags, nil
}

// nameString prints a name of the two property sets the example uses as
// `PS_PUBLIC_STRINGS "Keywords"` or `PSETID_Common 0x8503`.
func nameString(n mapispi.PropName) string {
	set := n.Set.String()
	switch n.Set {
	case mapispi.PSPublicStrings:
		set = "PS_PUBLIC_STRINGS"
	case mapispi.PSETIDCommon:
		set = "PSETID_Common"
	}
	if n.Kind == mapispi.NameString {
		return fmt.Sprintf("%s %q", set, n.Name)
	}
	return fmt.Sprintf("%s 0x%04X", set, n.ID)
}

// deliver saves m as a new message of f and returns its entry ID.
func deliver(ctx context.Context, f *mapi.Folder, m mail, tags named) (mapispi.EntryID, error) {
	msg, err := f.CreateMessage(ctx, 0)
	if err != nil {
		return nil, err
	}
	defer msg.Close(ctx)
	if err := fill(ctx, msg, m, tags); err != nil {
		return nil, err
	}
	if err := msg.SaveChanges(ctx, 0); err != nil {
		return nil, err
	}
	props, err := msg.GetProps(ctx, []mapispi.PropTag{mapispi.PropEntryID})
	if err != nil {
		return nil, err
	}
	return props[0].Value.([]byte), nil
}

// fill sets m's properties, recipients and attachments on msg, a new
// message (or a new embedded one), which the caller saves.
func fill(ctx context.Context, msg *mapi.Message, m mail, tags named) error {
	var flags mapispi.MessageFlags // received mail: not MSGFLAG_UNSENT
	if m.Read {
		flags = mapispi.MsgFlagRead
	}
	props := []mapispi.PropValue{
		{Tag: mapispi.PropMessageClass, Value: "IPM.Note"},
		{Tag: mapispi.PropSubject, Value: m.Subject},
		{Tag: mapispi.PropSenderName, Value: m.From},
		{Tag: mapispi.PropSenderEmailAddress, Value: address(m.From)},
		{Tag: mapispi.PropMessageDeliveryTime, Value: m.Delivered},
		{Tag: mapispi.PropMessageFlags, Value: int32(flags)}, // settable before the first save
		{Tag: tags.reminder, Value: m.Reminder},
	}
	if m.Body != "" {
		props = append(props, mapispi.PropValue{Tag: mapispi.PropBody, Value: m.Body})
	}
	if len(m.Keywords) > 0 {
		props = append(props, mapispi.PropValue{Tag: tags.keywords, Value: m.Keywords})
	}
	if err := setProps(ctx, msg, props); err != nil {
		return err
	}
	if err := msg.ModifyRecipients(ctx, 0, recipients(m)); err != nil {
		return err
	}
	if m.File != nil {
		if err := attachFile(ctx, msg, *m.File); err != nil {
			return err
		}
	}
	if m.Embedded != nil {
		return attachMessage(ctx, msg, *m.Embedded, tags)
	}
	return nil
}

// setProps is SetProps where a problem with any property is an error.
func setProps(ctx context.Context, obj mapi.Object, props []mapispi.PropValue) error {
	probs, err := obj.SetProps(ctx, props)
	if err == nil && len(probs) > 0 {
		err = fmt.Errorf("SetProps: %v", probs)
	}
	return err
}

// recipients returns m's To and Cc recipients as ModifyRecipients takes
// them: a row of properties each.
func recipients(m mail) []mapispi.Row {
	var rows []mapispi.Row
	add := func(names []string, typ mapispi.RecipientType) {
		for _, name := range names {
			rows = append(rows, mapispi.Row{
				{Tag: mapispi.PropDisplayName, Value: name},
				{Tag: mapispi.PropAddrType, Value: "SMTP"},
				{Tag: mapispi.PropEmailAddress, Value: address(name)},
				{Tag: mapispi.PropRecipientType, Value: int32(typ)},
			})
		}
	}
	add(m.To, mapispi.RecipTo)
	add(m.Cc, mapispi.RecipCC)
	return rows
}

// address makes up an address from a display name: "Ann Lee" is
// ann@example.com.
func address(name string) string {
	return strings.ToLower(strings.Fields(name)[0]) + "@example.com"
}

// attachFile adds f to msg as an ATTACH_BY_VALUE attachment, writing its
// data through a stream on PR_ATTACH_DATA_BIN.
func attachFile(ctx context.Context, msg *mapi.Message, f file) error {
	att, _, err := msg.CreateAttach(ctx, 0)
	if err != nil {
		return err
	}
	defer att.Close(ctx)
	if err := setProps(ctx, att, []mapispi.PropValue{
		{Tag: mapispi.PropAttachMethod, Value: int32(mapispi.AttachByValue)},
		{Tag: mapispi.PropAttachLongFilename, Value: f.Name},
	}); err != nil {
		return err
	}
	st, err := att.OpenStream(ctx, mapispi.PropAttachDataBin, mapispi.OpenModify|mapispi.OpenCreate)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(st, f.Data); err != nil {
		_ = st.Close()
		return err
	}
	if err := st.Close(); err != nil { // Close commits what was written
		return err
	}
	return att.SaveChanges(ctx, 0)
}

// attachMessage adds m to msg as an ATTACH_EMBEDDED_MSG attachment: the
// embedded message is opened on PR_ATTACH_DATA_OBJ, filled and saved
// like any other, then the attachment is saved.
func attachMessage(ctx context.Context, msg *mapi.Message, m mail, tags named) error {
	att, _, err := msg.CreateAttach(ctx, 0)
	if err != nil {
		return err
	}
	defer att.Close(ctx)
	if err := setProps(ctx, att, []mapispi.PropValue{
		{Tag: mapispi.PropAttachMethod, Value: int32(mapispi.AttachEmbeddedMsg)},
		{Tag: mapispi.PropDisplayName, Value: m.Subject},
	}); err != nil {
		return err
	}
	emb, err := att.EmbeddedMessage(ctx, mapispi.OpenCreate|mapispi.OpenModify)
	if err != nil {
		return err
	}
	defer emb.Close(ctx)
	if err := fill(ctx, emb, m, tags); err != nil {
		return err
	}
	if err := emb.SaveChanges(ctx, 0); err != nil {
		return err
	}
	return att.SaveChanges(ctx, 0)
}

// printCounts prints each folder's PR_CONTENT_COUNT and PR_CONTENT_UNREAD.
func printCounts(ctx context.Context, out io.Writer, folders ...folder) error {
	for _, f := range folders {
		props, err := f.GetProps(ctx, []mapispi.PropTag{mapispi.PropContentCount, mapispi.PropContentUnread})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "   %-15s PR_CONTENT_COUNT %v, PR_CONTENT_UNREAD %v\n", f.name, props[0].Value, props[1].Value)
	}
	return nil
}

// queryAll sets the table's columns, reads all its rows and closes it.
func queryAll(ctx context.Context, t *mapi.Table, cols ...mapispi.PropTag) ([]mapispi.Row, error) {
	defer t.Close(ctx)
	if err := t.SetColumns(ctx, cols); err != nil {
		return nil, err
	}
	return t.QueryRows(ctx, 100)
}

// printTree lists every folder under top, indented by its PR_DEPTH.
func printTree(ctx context.Context, out io.Writer, top *mapi.Folder) error {
	t, err := top.HierarchyTable(ctx, mapispi.TableConvenientDepth)
	if err != nil {
		return err
	}
	rows, err := queryAll(ctx, t, mapispi.PropDepth, mapispi.PropDisplayName, mapispi.PropContentCount, mapispi.PropContentUnread)
	if err != nil {
		return err
	}
	for _, r := range rows {
		depth := int(r[0].Value.(int32))
		name := strings.Repeat("  ", depth) + r[1].Value.(string)
		fmt.Fprintf(out, "   PR_DEPTH %d  %-18s count %v, unread %v\n", depth, name, r[2].Value, r[3].Value)
	}
	return nil
}

// printUnread lists f's messages without MSGFLAG_READ, newest first.
func printUnread(ctx context.Context, out io.Writer, f *mapi.Folder) error {
	t, err := f.ContentsTable(ctx, 0)
	if err != nil {
		return err
	}
	unread := mapispi.BitmaskRestriction{Relop: mapispi.BitmaskEQZ, Tag: mapispi.PropMessageFlags, Mask: uint32(mapispi.MsgFlagRead)}
	if err := t.Restrict(ctx, unread); err != nil {
		_ = t.Close(ctx)
		return err
	}
	newest := mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: mapispi.PropMessageDeliveryTime, Order: mapispi.SortDescend}}}
	if err := t.SortTable(ctx, newest); err != nil {
		_ = t.Close(ctx)
		return err
	}
	fmt.Fprintf(out, "   restriction: RES_BITMASK, PR_MESSAGE_FLAGS & MSGFLAG_READ is 0\n   sort: %v\n", newest)
	rows, err := queryAll(ctx, t, mapispi.PropMessageDeliveryTime, mapispi.PropSenderName, mapispi.PropSubject, mapispi.PropHasAttach)
	if err != nil {
		return err
	}
	for _, r := range rows {
		fmt.Fprintf(out, "   %s  %-11s %-22s attachments: %v\n", r[0].Value.(time.Time).UTC().Format("15:04"), r[1].Value, r[2].Value, r[3].Value)
	}
	return nil
}

// openMessage opens the message id names, read-only.
func openMessage(ctx context.Context, f *mapi.Folder, id mapispi.EntryID) (*mapi.Message, error) {
	obj, err := f.OpenEntry(ctx, id, 0)
	if err != nil {
		return nil, err
	}
	msg, ok := obj.(*mapi.Message)
	if !ok {
		_ = obj.Close(ctx)
		return nil, fmt.Errorf("entry %v is a %v, not a message", id, obj.ObjectType())
	}
	return msg, nil
}

// printMessage prints the message id names: its properties (the
// computed PR_DISPLAY_TO and PR_DISPLAY_CC among them), the named ones,
// its recipient table and the message embedded in it.
func printMessage(ctx context.Context, out io.Writer, f *mapi.Folder, id mapispi.EntryID, tags named) error {
	msg, err := openMessage(ctx, f, id)
	if err != nil {
		return err
	}
	defer msg.Close(ctx)
	props, err := msg.GetProps(ctx, []mapispi.PropTag{mapispi.PropSubject, mapispi.PropSenderName, mapispi.PropDisplayTo,
		mapispi.PropDisplayCC, mapispi.PropHasAttach, tags.keywords, tags.reminder})
	if err != nil {
		return err
	}
	for i, label := range []string{"subject", "from", "PR_DISPLAY_TO", "PR_DISPLAY_CC", "PR_HASATTACH", "Keywords", "ReminderSet"} {
		fmt.Fprintf(out, "   %-14s %v\n", label, props[i].Value)
	}
	t, err := msg.RecipientTable(ctx, 0)
	if err != nil {
		return err
	}
	rows, err := queryAll(ctx, t, mapispi.PropRecipientType, mapispi.PropDisplayName, mapispi.PropEmailAddress)
	if err != nil {
		return err
	}
	for _, r := range rows {
		fmt.Fprintf(out, "   recipient      %-8v %s <%s>\n", mapispi.RecipientType(r[0].Value.(int32)), r[1].Value, r[2].Value)
	}
	att, err := msg.OpenAttach(ctx, 0, 0)
	if err != nil {
		return err
	}
	defer att.Close(ctx)
	emb, err := att.EmbeddedMessage(ctx, 0)
	if err != nil {
		return err
	}
	defer emb.Close(ctx)
	eprops, err := emb.GetProps(ctx, []mapispi.PropTag{mapispi.PropSubject, mapispi.PropSenderName, mapispi.PropDisplayTo, mapispi.PropBody})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "   embedded       %q from %v to %v: %v\n", eprops[0].Value, eprops[1].Value, eprops[2].Value, eprops[3].Value)
	return nil
}

// printAttachment lists the attachments of the message id names and
// prints the first one's data, read through a stream.
func printAttachment(ctx context.Context, out io.Writer, f *mapi.Folder, id mapispi.EntryID) error {
	msg, err := openMessage(ctx, f, id)
	if err != nil {
		return err
	}
	defer msg.Close(ctx)
	t, err := msg.AttachmentTable(ctx, 0)
	if err != nil {
		return err
	}
	rows, err := queryAll(ctx, t, mapispi.PropAttachNum, mapispi.PropAttachLongFilename, mapispi.PropAttachSize)
	if err != nil {
		return err
	}
	for _, r := range rows {
		fmt.Fprintf(out, "   attachment %v: %v, PR_ATTACH_SIZE %v\n", r[0].Value, r[1].Value, r[2].Value)
	}
	att, err := msg.OpenAttach(ctx, int(rows[0][0].Value.(int32)), 0)
	if err != nil {
		return err
	}
	defer att.Close(ctx)
	st, err := att.OpenStream(ctx, mapispi.PropAttachDataBin, 0)
	if err != nil {
		return err
	}
	defer st.Close()
	data, err := io.ReadAll(st)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "   data: %q\n", data)
	return nil
}
