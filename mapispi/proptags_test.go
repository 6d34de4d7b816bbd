package mapispi

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestPropTagByName(t *testing.T) {
	tests := []struct {
		name string
		want PropTag
		ok   bool
	}{
		{"PR_SUBJECT", 0x0037001F, true},
		{"PR_SUBJECT_W", 0x0037001F, true},
		{"PR_SUBJECT_A", 0x0037001E, true},
		{"PidTagSubject", 0x0037001F, true},
		{"PR_ENTRYID", 0x0FFF0102, true},
		{"PidTagEntryId", 0x0FFF0102, true},
		{"PR_NULL", 0x00000001, true},
		{"PR_INSTANCE_KEY", 0x0FF60102, true},
		{"PR_MESSAGE_RECIPIENTS", 0x0E12000D, true},
		{"PR_ATTACH_DATA_BIN", 0x37010102, true},
		{"PR_ATTACH_DATA_OBJ", 0x3701000D, true},
		{"PR_HTML", 0x10130102, true},
		{"PR_BODY_HTML_A", 0x1013001E, true},
		{"PR_IN_REPLY_TO_ID", 0x1042001F, true},
		{"PR_IN_REPLY_TO", 0x1042001F, true},   // alias: MAPITags.h's spelling
		{"PR_IN_REPLY_TO_W", 0x1042001F, true}, // as MAPITags.h defines it
		{"PR_IN_REPLY_TO_A", 0x1042001E, true},
		{"pr_subject", 0, false},         // case-sensitive
		{"PidTagSubject_A", 0, false},    // widths only on PR_ names
		{"PR_ENTRYID_A", 0, false},       // not a string property
		{"PR_ENTRYID_W", 0, false},       // not a string property
		{"PR_SUBJECT_X", 0, false},       // no such name
		{"0x0037001F", 0, false},         // hex is not a name
		{"PR_", 0, false},                // no name at all
		{"", 0, false},                   // no name at all
		{"PR_MESSAGE_FLAGS_A", 0, false}, // not a string property
		{"PR_SUBJECT_A_A", 0, false},     // one width at most
		{"PR_DISPLAY_NAME_W", 0x3001001F, true},
	}
	for _, tt := range tests {
		got, ok := PropTagByName(tt.name)
		if got != tt.want || ok != tt.ok {
			t.Errorf("PropTagByName(%q) = 0x%08X, %v, want 0x%08X, %v", tt.name, uint32(got), ok, uint32(tt.want), tt.ok)
		}
	}
}

// TestPropTagRoundTrip reads every name String prints back to its tag.
func TestPropTagRoundTrip(t *testing.T) {
	for tag := range propTagNames {
		forms := []PropTag{tag}
		if tag.Type() == PtUnicode {
			forms = append(forms, tag.WithType(PtString8))
		}
		for _, tag := range forms {
			name := tag.String()
			if strings.HasPrefix(name, "0x") {
				t.Errorf("PropTag(0x%08X).String() = %q, want a name", uint32(tag), name)
				continue
			}
			if got, ok := PropTagByName(name); got != tag || !ok {
				t.Errorf("PropTagByName(%q) = 0x%08X, %v, want 0x%08X, true", name, uint32(got), ok, uint32(tag))
			}
		}
	}
}

// documentedAliases are the names PropTagByName takes besides each tag's
// PR_ name and canonical name; proptags.tsv says why each exists.
var documentedAliases = map[string]PropTag{
	"PR_IN_REPLY_TO": PropInReplyToID, // MAPITags.h defines PR_IN_REPLY_TO_W
}

// TestPropTagNamesUnique checks that each tag has one PR_ name, at most one
// canonical name, and no other name but a documented alias.
func TestPropTagNamesUnique(t *testing.T) {
	byTag := map[PropTag][]string{}
	for name, tag := range propNameTags {
		byTag[tag] = append(byTag[tag], name)
	}
	for tag, names := range byTag {
		pr, pid := 0, 0
		for _, name := range names {
			switch {
			case documentedAliases[name] == tag:
			case strings.HasPrefix(name, "PR_"):
				pr++
				if want := propTagNames[tag]; name != want {
					t.Errorf("PropTagByName(%q) = %v, whose String is %q: an undocumented alias", name, tag, want)
				}
			case strings.HasPrefix(name, "PidTag"):
				pid++
			default:
				t.Errorf("PropTagByName knows %q (tag 0x%08X), which is neither PR_ nor PidTag", name, uint32(tag))
			}
		}
		if pr != 1 || pid > 1 {
			t.Errorf("tag 0x%08X has names %v, want one PR_ name and at most one PidTag name", uint32(tag), names)
		}
	}
	for name, tag := range documentedAliases {
		if got, ok := propNameTags[name]; got != tag || !ok {
			t.Errorf("documented alias %s = 0x%08X, %v, want 0x%08X", name, uint32(got), ok, uint32(tag))
		}
	}
	if len(byTag) != len(propTagNames) {
		t.Errorf("PropTagByName knows %d tags, String names %d", len(byTag), len(propTagNames))
	}
}

// TestPropTagTableMatchesTSV checks the generated lookup against
// proptags.tsv, so that an edited table without a regenerated file fails
// here too (mapispi/internal/proptagsgen compares the files byte for byte).
// It also checks the constants declared by hand in other files.
func TestPropTagTableMatchesTSV(t *testing.T) {
	f, err := os.Open("proptags.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	types := map[string]PropType{}
	for pt, name := range propTypeNames {
		types[name] = pt
	}
	sc := bufio.NewScanner(f)
	rows := 0
	for header := false; sc.Scan(); {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !header {
			header = true
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 8 {
			t.Fatalf("proptags.tsv line %q has %d cells, want 8", line, len(c))
		}
		rows++
		id, err := strconv.ParseUint(c[2], 0, 16)
		if err != nil {
			t.Fatalf("proptags.tsv %s: id %q: %v", c[0], c[2], err)
		}
		pt, ok := types[strings.Replace(c[3], "PT_MV_", "PT_", 1)]
		if !ok {
			t.Fatalf("proptags.tsv %s: type %q unknown", c[0], c[3])
		}
		if strings.HasPrefix(c[3], "PT_MV_") {
			pt |= MVFlag
		}
		want := NewPropTag(pt, uint16(id))
		names := []string{c[0]}
		if c[1] != "-" {
			names = append(names, c[1])
		}
		if c[6] != "-" {
			names = append(names, strings.Split(c[6], ",")...)
		}
		for _, name := range names {
			if got, ok := PropTagByName(name); got != want || !ok {
				t.Errorf("PropTagByName(%q) = 0x%08X, %v, want 0x%08X from proptags.tsv", name, uint32(got), ok, uint32(want))
			}
		}
		if got := want.String(); got != c[0] {
			t.Errorf("PropTag(0x%08X).String() = %q, want %q from proptags.tsv", uint32(want), got, c[0])
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if rows != len(propTagNames) {
		t.Errorf("proptags.tsv has %d tags, propTagNames %d; run go generate ./mapispi/", rows, len(propTagNames))
	}
	// The constants other files declare by hand.
	for _, tt := range []struct {
		tag  PropTag
		name string
	}{
		{PropNull, "PR_NULL"},
		{PropInstanceKey, "PR_INSTANCE_KEY"},
		{PropMessageRecipients, "PR_MESSAGE_RECIPIENTS"},
		{PropMessageAttachments, "PR_MESSAGE_ATTACHMENTS"},
	} {
		if got, _ := PropTagByName(tt.name); got != tt.tag {
			t.Errorf("PropTagByName(%q) = 0x%08X, want the constant's 0x%08X", tt.name, uint32(got), uint32(tt.tag))
		}
	}
}

// TestPropTagsFromSpec checks tags against values read by hand from
// [MS-OXPROPS] and from the PidTag pages of the MAPI reference (Identifier
// and Data type), independently of proptags.tsv. String properties are
// PtypString (0x001F) in [MS-OXPROPS].
func TestPropTagsFromSpec(t *testing.T) {
	tests := []struct {
		pr, pid string
		want    uint32
	}{
		{"PR_MESSAGE_DELIVERY_TIME", "PidTagMessageDeliveryTime", 0x0E060040},
		{"PR_ATTACH_FILENAME", "PidTagAttachFilename", 0x3704001F},
		{"PR_ATTACH_LONG_FILENAME", "PidTagAttachLongFilename", 0x3707001F},
		{"PR_ATTACH_DATA_OBJ", "PidTagAttachDataObject", 0x3701000D},
		{"PR_ATTACH_CONTENT_ID", "PidTagAttachContentId", 0x3712001F},
		{"PR_ATTACH_CONTENT_LOCATION", "PidTagAttachContentLocation", 0x3713001F},
		{"PR_ATTACH_FLAGS", "PidTagAttachFlags", 0x37140003},
		{"PR_ATTACHMENT_FLAGS", "PidTagAttachmentFlags", 0x7FFD0003},
		{"PR_ATTACHMENT_HIDDEN", "PidTagAttachmentHidden", 0x7FFE000B},
		{"PR_PREDECESSOR_CHANGE_LIST", "PidTagPredecessorChangeList", 0x65E30102},
		{"PR_CHANGE_KEY", "PidTagChangeKey", 0x65E20102},
		{"PR_INTERNET_CPID", "PidTagInternetCodepage", 0x3FDE0003},
		{"PR_MESSAGE_CODEPAGE", "PidTagMessageCodepage", 0x3FFD0003},
		{"PR_MESSAGE_LOCALE_ID", "PidTagMessageLocaleId", 0x3FF10003},
		{"PR_LAST_VERB_EXECUTED", "PidTagLastVerbExecuted", 0x10810003},
		{"PR_LAST_VERB_EXECUTION_TIME", "PidTagLastVerbExecutionTime", 0x10820040},
		{"PR_INTERNET_MESSAGE_ID", "PidTagInternetMessageId", 0x1035001F},
		{"PR_IN_REPLY_TO_ID", "PidTagInReplyToId", 0x1042001F},
		{"PR_INTERNET_REFERENCES", "PidTagInternetReferences", 0x1039001F},
		{"PR_BODY", "PidTagBody", 0x1000001F},
		{"PR_BODY_HTML", "PidTagBodyHtml", 0x1013001F},
		{"PR_NATIVE_BODY_INFO", "PidTagNativeBody", 0x10160003},
		{"PR_READ", "PidTagRead", 0x0E69000B},
		{"PR_STORE_SUPPORT_MASK", "PidTagStoreSupportMask", 0x340D0003},
		{"PR_MESSAGE_FLAGS", "PidTagMessageFlags", 0x0E070003},
		{"PR_MESSAGE_SIZE_EXTENDED", "PidTagMessageSizeExtended", 0x0E080014},
		{"PR_ACCESS_LEVEL", "PidTagAccessLevel", 0x0FF70003},
		{"PR_SENDER_SMTP_ADDRESS", "PidTagSenderSmtpAddress", 0x5D01001F},
		{"PR_SENT_REPRESENTING_SMTP_ADDRESS", "PidTagSentRepresentingSmtpAddress", 0x5D02001F},
		{"PR_SMTP_ADDRESS", "PidTagSmtpAddress", 0x39FE001F},
		{"PR_7BIT_DISPLAY_NAME", "PidTag7BitDisplayName", 0x39FF001F},
		{"PR_RECIPIENT_DISPLAY_NAME", "PidTagRecipientDisplayName", 0x5FF6001F},
		{"PR_RECIPIENT_ENTRYID", "PidTagRecipientEntryId", 0x5FF70102},
		{"PR_RECIPIENT_FLAGS", "PidTagRecipientFlags", 0x5FFD0003},
		{"PR_RECIPIENT_TRACKSTATUS", "PidTagRecipientTrackStatus", 0x5FFF0003},
		{"PR_FLAG_COMPLETE_TIME", "PidTagFlagCompleteTime", 0x10910040},
		{"PR_FOLLOWUP_ICON", "PidTagFollowupIcon", 0x10950003},
		{"PR_IPM_JOURNAL_ENTRYID", "PidTagIpmJournalEntryId", 0x36D20102},
		{"PR_IPM_NOTE_ENTRYID", "PidTagIpmNoteEntryId", 0x36D30102},
	}
	for _, tt := range tests {
		for _, name := range []string{tt.pr, tt.pid} {
			if got, ok := PropTagByName(name); uint32(got) != tt.want || !ok {
				t.Errorf("PropTagByName(%q) = 0x%08X, %v, want 0x%08X, true", name, uint32(got), ok, tt.want)
			}
		}
	}
}

// TestPropIDNames checks the names of IDs that several tags share: a
// PT_ERROR value keeps only the ID.
func TestPropIDNames(t *testing.T) {
	tests := []struct {
		tag  PropTag
		want string
	}{
		{PropMessageSizeExtended, "PR_MESSAGE_SIZE=PT_ERROR(MAPI_E_NOT_FOUND)"},
		{PropBodyHTML, "PR_HTML=PT_ERROR(MAPI_E_NOT_FOUND)"},
		{PropAttachDataObj, "PR_ATTACH_DATA_BIN=PT_ERROR(MAPI_E_NOT_FOUND)"},
		{PropInReplyToID, "PR_IN_REPLY_TO_ID=PT_ERROR(MAPI_E_NOT_FOUND)"},
	}
	for _, tt := range tests {
		if got := ErrorValue(tt.tag, ErrNotFound).String(); got != tt.want {
			t.Errorf("ErrorValue(%v, ErrNotFound).String() = %q, want %q", tt.tag, got, tt.want)
		}
	}
}

// panicStringer's String panics; fmt reports that in its output.
type panicStringer struct{}

func (panicStringer) String() string { panic("boom") }

// TestPropValueStringNeverPanics prints every known tag, in its types,
// with values of the right and the wrong Go types.
func TestPropValueStringNeverPanics(t *testing.T) {
	values := []any{
		nil, int32(0), int32(-1), int32(0x7FFFFFFF), int32(-0x80000000), uint32(0xFFFFFFFF), 7,
		"x", []byte{1}, [][]byte{nil}, true, time.Unix(0, 0), SCode(0x80040010), SCode(0), UID{},
		struct{}{}, (*int)(nil), panicStringer{}, []string{"a"}, fmt.Errorf("e"),
	}
	for tag := range propTagNames {
		for _, tag := range []PropTag{tag, tag.WithType(PtError), tag.WithType(PtLong), tag.WithType(PtString8)} {
			for _, v := range values {
				func() {
					defer func() {
						if r := recover(); r != nil {
							t.Errorf("PropValue{%#08x, %#v}.String() panicked: %v", uint32(tag), v, r)
						}
					}()
					_ = PropValue{tag, v}.String()
				}()
			}
		}
	}
}

func TestPropTagNamingAllocs(t *testing.T) {
	tests := []struct {
		name string
		f    func()
	}{
		{"PropTag.String", func() { _ = PropMessageFlags.String() }},
		{"PropTagByName", func() { _, _ = PropTagByName("PR_MESSAGE_FLAGS") }},
		{"PropTagByName _A", func() { _, _ = PropTagByName("PR_SUBJECT_A") }},
		{"PropTagByName PidTag", func() { _, _ = PropTagByName("PidTagSubject") }},
		{"PropTagByName unknown", func() { _, _ = PropTagByName("PR_NO_SUCH_PROPERTY_W") }},
	}
	for _, tt := range tests {
		if got := testing.AllocsPerRun(100, tt.f); got != 0 {
			t.Errorf("%s allocates %v times, want 0", tt.name, got)
		}
	}
}

func BenchmarkPropValueString(b *testing.B) {
	b.ReportAllocs()
	v := PropValue{PropMessageFlags, int32(MsgFlagRead | MsgFlagHasAttach)}
	for b.Loop() {
		_ = v.String()
	}
}
