package mapispi

import "testing"

// TestMessagePropTags checks the message and folder tags the spooler path
// uses against their [MS-OXPROPS] property IDs and types.
func TestMessagePropTags(t *testing.T) {
	for _, c := range []struct {
		tag  PropTag
		id   uint16
		typ  PropType
		name string
	}{
		{PropMessageClass, 0x001A, PtUnicode, "PR_MESSAGE_CLASS"},
		{PropSubject, 0x0037, PtUnicode, "PR_SUBJECT"},
		{PropClientSubmitTime, 0x0039, PtSysTime, "PR_CLIENT_SUBMIT_TIME"},
		{PropDeleteAfterSubmit, 0x0E01, PtBoolean, "PR_DELETE_AFTER_SUBMIT"},
		{PropMessageFlags, 0x0E07, PtLong, "PR_MESSAGE_FLAGS"},
		{PropParentEntryID, 0x0E09, PtBinary, "PR_PARENT_ENTRYID"},
		{PropSentMailEntryID, 0x0E0A, PtBinary, "PR_SENTMAIL_ENTRYID"},
		{PropIPMOutboxEntryID, 0x35E2, PtBinary, "PR_IPM_OUTBOX_ENTRYID"},
		{PropIPMWastebasketEntryID, 0x35E3, PtBinary, "PR_IPM_WASTEBASKET_ENTRYID"},
		{PropIPMSentMailEntryID, 0x35E4, PtBinary, "PR_IPM_SENTMAIL_ENTRYID"},
	} {
		if c.tag.ID() != c.id || c.tag.Type() != c.typ {
			t.Errorf("%s = %#08x, want ID %#04x type %v", c.name, uint32(c.tag), c.id, c.typ)
		}
		if got := c.tag.String(); got != c.name {
			t.Errorf("PropTag(%#08x).String() = %q, want %q", uint32(c.tag), got, c.name)
		}
	}
}

func TestMustParseUIDPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustParseUID(\"not a uid\") did not panic")
		}
	}()
	MustParseUID("not a uid")
}
