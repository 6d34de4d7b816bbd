package mapispi_test

import (
	"fmt"

	"github.com/mapiemu/mapiemu/mapispi"
)

// PropTagByName reads the names MFCMAPI-style tools show: MAPITags.h
// names, with _A and _W for a string's width, and canonical names.
func ExamplePropTagByName() {
	for _, name := range []string{"PR_SUBJECT", "PR_SUBJECT_A", "PidTagMessageDeliveryTime", "PR_NO_SUCH_THING"} {
		tag, ok := mapispi.PropTagByName(name)
		fmt.Printf("%-26s 0x%08X %-26v %v\n", name, uint32(tag), tag, ok)
	}
	// Output:
	// PR_SUBJECT                 0x0037001F PR_SUBJECT                 true
	// PR_SUBJECT_A               0x0037001E PR_SUBJECT_A               true
	// PidTagMessageDeliveryTime  0x0E060040 PR_MESSAGE_DELIVERY_TIME   true
	// PR_NO_SUCH_THING           0x00000000 0x00000000                 false
}

// A flag-valued property prints by flag name, unnamed bits in hex.
func ExamplePropValue_String_messageFlags() {
	v := mapispi.PropValue{
		Tag:   mapispi.PropMessageFlags,
		Value: int32(mapispi.MsgFlagRead | mapispi.MsgFlagHasAttach | mapispi.MsgFlagFromMe),
	}
	fmt.Println(v)
	fmt.Println(mapispi.PropValue{Tag: mapispi.PropMessageFlags, Value: int32(0x00800009)})
	fmt.Println(mapispi.PropValue{Tag: mapispi.PropAttachMethod, Value: int32(mapispi.AttachByValue)})
	// Output:
	// PR_MESSAGE_FLAGS=MSGFLAG_READ|MSGFLAG_HASATTACH|MSGFLAG_FROMME
	// PR_MESSAGE_FLAGS=MSGFLAG_READ|MSGFLAG_UNSENT|0x800000
	// PR_ATTACH_METHOD=ATTACH_BY_VALUE
}
