package msgfile_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/internal/dump"
	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapitest"
	"github.com/mapiemu/mapiemu/msgfile"
)

// computedByStores are the IDs of the properties a store gives a message
// it saves, whatever the message held: a round trip through a store may
// change them.
var computedByStores = map[string]bool{
	"0FFF": true, "0E09": true, "0FFB": true, "0FFA": true, "340D": true, // PR_ENTRYID, PR_PARENT_ENTRYID, PR_STORE_*
	"0FF8": true, "0FF9": true, "300B": true, // PR_MAPPING_SIGNATURE, PR_RECORD_KEY, PR_SEARCH_KEY
	"3007": true, "3008": true, "65E2": true, "65E3": true, // times, PR_CHANGE_KEY, PR_PREDECESSOR_CHANGE_LIST
	"0E08": true, "0E1B": true, "0E07": true, "0FF4": true, "0FF7": true, // size, PR_HASATTACH, flags, access
	"0E02": true, "0E03": true, "0E04": true, "0FFE": true, "0FF6": true, // PR_DISPLAY_*, PR_OBJECT_TYPE, PR_INSTANCE_KEY
	"3000": true, "0E21": true, // PR_ROWID, PR_ATTACH_NUM
	"0E14": true, // PR_SUBMIT_FLAGS, which only a submission sets
}

// byName flattens a dump with named properties keyed by their name (their
// IDs differ between maps) and the properties stores compute left out.
func byName(path string, m *dump.Message) map[string]string {
	out := map[string]string{}
	props := func(p string, ps []dump.Prop) {
		for _, q := range ps {
			if computedByStores[q.Tag[2:6]] {
				continue
			}
			key := q.Tag
			if q.Named != nil {
				id := ""
				if q.Named.ID != nil {
					id = fmt.Sprintf("0x%X", *q.Named.ID)
				}
				key = fmt.Sprintf("%s:%s%s/%s", q.Named.Set, q.Named.Name, id, q.Tag[6:])
			}
			b, _ := json.Marshal(q.Value)
			out[p+" "+key] = string(b)
		}
	}
	props(path, m.Props)
	out[path+" recipients"] = fmt.Sprint(len(m.Recipients))
	for i, r := range m.Recipients {
		props(fmt.Sprintf("%s/recipients[%d]", path, i), r.Props)
	}
	out[path+" attachments"] = fmt.Sprint(len(m.Attachments))
	for i, a := range m.Attachments {
		props(fmt.Sprintf("%s/attachments[%d]", path, i), a.Props)
		if a.Message != nil {
			for k, v := range byName(fmt.Sprintf("%s/attachments[%d]/message", path, i), a.Message) {
				out[k] = v
			}
		}
	}
	return out
}

// lost lists what want has that got lacks or holds otherwise.
func lost(want, got map[string]string) []string {
	var out []string
	for k, v := range want {
		if g, ok := got[k]; !ok {
			out = append(out, "lost "+k+" = "+trim(v))
		} else if g != v {
			out = append(out, k+" = "+trim(g)+", want "+trim(v))
		}
	}
	sort.Strings(out)
	return out
}

func trim(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}

// export writes a store message into a new .msg file and reads it back.
func export(t *testing.T, m *mapi.Message) *msgfile.Message {
	t.Helper()
	f := msgfile.New()
	require.NoError(t, m.ExportTo(ctx, f), "ExportTo")
	require.NoError(t, f.SaveChanges(ctx, 0))
	var buf bytes.Buffer
	_, err := f.WriteTo(&buf)
	require.NoError(t, err)
	require.NoError(t, f.Close(ctx))
	back, err := msgfile.Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()), 0)
	require.NoError(t, err, "Read of the exported file")
	return back
}

// TestFileStoreFileKeepsEverything imports Outlook's files into a store
// and exports them again: every property, recipient, attachment,
// embedded message and named property comes back, but those the store
// computes.
func TestFileStoreFileKeepsEverything(t *testing.T) {
	env, err := mapitest.New(ctx, &mapi.Options{ManualFlush: true}, "store")
	require.NoError(t, err)
	defer func() { require.NoError(t, env.Close(ctx)) }()
	inbox, err := env.Folder(ctx, "store", mapitest.Inbox)
	require.NoError(t, err)
	defer inbox.Close(ctx)
	for _, name := range []string{"Friday_Lunch", "msgInMsgInMsg", "attachmentsOrder", "contactUnicode", "nonUnicodeCP932", "voteItems", "200_recipients"} {
		t.Run(name, func(t *testing.T) {
			src, err := msgfile.OpenFile(filepath.Join("testdata", "msg", name+".msg"), 0)
			require.NoError(t, err)
			defer src.Close(ctx)
			want, err := dump.Read(ctx, src)
			require.NoError(t, err)

			m, err := inbox.CreateMessage(ctx, 0)
			require.NoError(t, err)
			defer m.Close(ctx)
			require.NoError(t, m.ImportFrom(ctx, src), "ImportFrom(%s)", name)
			require.NoError(t, m.SaveChanges(ctx, mapispi.KeepOpenReadWrite), "SaveChanges of the imported message")

			back := export(t, m)
			defer back.Close(ctx)
			got, err := dump.Read(ctx, back)
			require.NoError(t, err)
			if l := lost(byName("", want), byName("", got)); len(l) > 0 {
				if len(l) > 12 {
					l = append(l[:12], fmt.Sprintf("... and %d more", len(l)-12))
				}
				t.Errorf("%s through a store and back:\n%s", name, strings.Join(l, "\n"))
			}
		})
	}
}

// TestStoreFileStoreKeepsEverything exports a store message with named
// properties, recipients, an attachment and an embedded message to a
// .msg file, imports the file into another message, and finds the same.
func TestStoreFileStoreKeepsEverything(t *testing.T) {
	env, err := mapitest.New(ctx, &mapi.Options{ManualFlush: true}, "store")
	require.NoError(t, err)
	defer func() { require.NoError(t, env.Close(ctx)) }()
	inbox, err := env.Folder(ctx, "store", mapitest.Inbox)
	require.NoError(t, err)
	defer inbox.Close(ctx)

	m, err := inbox.CreateMessage(ctx, 0)
	require.NoError(t, err)
	defer m.Close(ctx)
	ids, err := m.IDsFromNames(ctx, []mapispi.PropName{
		{Set: mapispi.PSPublicStrings, Kind: mapispi.NameString, Name: "Keywords"},
		{Set: mapispi.PSETIDCommon, Kind: mapispi.NameID, ID: 0x8503},
	}, true)
	require.NoError(t, err)
	_, err = m.SetProps(ctx, []mapispi.PropValue{
		{Tag: mapispi.PropSubject, Value: "round trip"},
		{Tag: mapispi.PropMessageClass, Value: "IPM.Note"},
		{Tag: mapispi.PropBody, Value: strings.Repeat("long body ", 2000)},
		{Tag: mapispi.NewPropTag(mapispi.MVFlag|mapispi.PtUnicode, ids[0]), Value: []string{"a", "b"}},
		{Tag: mapispi.NewPropTag(mapispi.PtBoolean, ids[1]), Value: true},
	})
	require.NoError(t, err)
	require.NoError(t, m.ModifyRecipients(ctx, mapispi.ModRecipAdd, []mapispi.Row{{
		{Tag: mapispi.PropDisplayName, Value: "Ann"}, {Tag: mapispi.PropRecipientType, Value: int32(1)},
		{Tag: mapispi.PropAddrType, Value: "SMTP"}, {Tag: mapispi.PropEmailAddress, Value: "ann@example.com"},
	}}))
	a, _, err := m.CreateAttach(ctx, 0)
	require.NoError(t, err)
	_, err = a.SetProps(ctx, []mapispi.PropValue{
		{Tag: mapispi.PropAttachMethod, Value: int32(mapispi.AttachByValue)},
		{Tag: mapispi.PropAttachLongFilename, Value: "data.bin"},
		{Tag: mapispi.PropAttachDataBin, Value: bytes.Repeat([]byte{1, 2, 3}, 30000)},
	})
	require.NoError(t, err)
	require.NoError(t, a.SaveChanges(ctx, 0))
	require.NoError(t, a.Close(ctx))
	a, _, err = m.CreateAttach(ctx, 0)
	require.NoError(t, err)
	em, err := a.EmbeddedMessage(ctx, mapispi.OpenModify|mapispi.OpenCreate)
	require.NoError(t, err)
	_, err = em.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropSubject, Value: "inner"}, {Tag: mapispi.NewPropTag(mapispi.PtBoolean, ids[1]), Value: false}})
	require.NoError(t, err)
	require.NoError(t, em.SaveChanges(ctx, 0))
	require.NoError(t, em.Close(ctx))
	require.NoError(t, a.SaveChanges(ctx, 0))
	require.NoError(t, a.Close(ctx))
	require.NoError(t, m.SaveChanges(ctx, mapispi.KeepOpenReadWrite))

	file := export(t, m)
	defer file.Close(ctx)
	want, err := dump.Read(ctx, file)
	require.NoError(t, err)
	kw := false
	for _, p := range want.Props {
		kw = kw || p.Named != nil && p.Named.Name == "Keywords"
	}
	require.True(t, kw, "the exported file names its Keywords property")

	m2, err := inbox.CreateMessage(ctx, 0)
	require.NoError(t, err)
	defer m2.Close(ctx)
	require.NoError(t, m2.ImportFrom(ctx, file))
	require.NoError(t, m2.SaveChanges(ctx, mapispi.KeepOpenReadWrite))
	again := export(t, m2)
	defer again.Close(ctx)
	got, err := dump.Read(ctx, again)
	require.NoError(t, err)
	if l := lost(byName("", want), byName("", got)); len(l) > 0 {
		t.Errorf("store -> .msg -> store -> .msg:\n%s", strings.Join(l, "\n"))
	}
}
