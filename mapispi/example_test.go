package mapispi_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/mapiemu/mapiemu/mapispi"
)

// A provider's failure carries a status code and says why; callers test
// the code with errors.Is.
func Example_errors() {
	err := fmt.Errorf("open store: %w", mapispi.Errorf(mapispi.ErrFailOneProvider,
		"msprovider", "no password in the profile section and no dialog allowed"))

	fmt.Println(err)
	fmt.Println(errors.Is(err, mapispi.ErrFailOneProvider))
	fmt.Println(mapispi.CodeOf(err).Code() == 0x011D)

	var e *mapispi.Error
	if errors.As(err, &e) {
		fmt.Println("component:", e.Component)
	}

	// A few codes match the standard library's sentinels.
	fmt.Println(errors.Is(mapispi.ErrNotFound, fs.ErrNotExist))

	// Codes without a MAPI name print numerically.
	fmt.Println(mapispi.SCode(0x80041234))
	// Output:
	// open store: msprovider: no password in the profile section and no dialog allowed (MAPI_E_FAILONEPROVIDER)
	// true
	// true
	// component: msprovider
	// true
	// SCODE 0x80041234
}

// A provider keeps the cause of a failure in Err: errors.Is and errors.As
// find it through every layer, and the text names the MAPI code once.
func ExampleError_cause() {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := &mapispi.Error{
		Code:      mapispi.ErrLogonFailed,
		Component: "msprovider",
		Message:   "waiting for another logon of the store",
		Err:       ctx.Err(),
	}
	fmt.Println(err)
	fmt.Println(errors.Is(err, mapispi.ErrLogonFailed), errors.Is(err, context.Canceled))
	// Output:
	// msprovider: waiting for another logon of the store (MAPI_E_LOGON_FAILED): context canceled
	// true true
}

// GetProps reports a property it cannot return as a PT_ERROR value and
// returns a nil error; PropsWarning gives the SCode MAPI would have
// returned with those values.
func ExamplePropsWarning() {
	vals := []mapispi.PropValue{
		{Tag: mapispi.PropDisplayName, Value: "Mailbox"},
		{Tag: mapispi.PropRecordKey, Value: []byte{0x5A, 0x3E, 0x1D}},
		mapispi.ErrorValue(mapispi.PropComment, mapispi.ErrNotFound),
	}
	for _, v := range vals {
		fmt.Println(v)
	}
	fmt.Println(mapispi.PropsWarning(vals))
	fmt.Println(mapispi.PropsWarning(vals[:2]))
	// Output:
	// PR_DISPLAY_NAME=Mailbox
	// PR_RECORD_KEY=5A3E1D
	// PR_COMMENT=PT_ERROR(MAPI_E_NOT_FOUND)
	// MAPI_W_ERRORS_RETURNED
	// S_OK
}

// A MAPIUID prints in the registry form of the GUID whose in-memory bytes
// it holds, and parses from that form or from its raw bytes in hex.
func ExampleUID() {
	u := mapispi.MustParseUID("{10BBA138-E505-1A10-A1BB-08002B2A56C2}")
	fmt.Println(u)
	fmt.Println(u.Hex())
	fmt.Printf("% X\n", u[:4])

	v, err := mapispi.ParseUID("38A1BB1005E5101AA1BB08002B2A56C2")
	fmt.Println(v == u, err)
	// Output:
	// {10BBA138-E505-1A10-A1BB-08002B2A56C2}
	// 38A1BB1005E5101AA1BB08002B2A56C2
	// 38 A1 BB 10
	// true <nil>
}

func ExampleLogonFlags() {
	f := mapispi.LogonNoDialog | mapispi.LogonWrite | mapispi.LogonBestAccess
	fmt.Println(f)
	fmt.Println(f.Check())
	fmt.Println(errors.Is(mapispi.LogonFlags(0x2).Check(), mapispi.ErrUnknownFlags))
	// Output:
	// MDB_NO_DIALOG|MDB_WRITE|MAPI_BEST_ACCESS
	// <nil>
	// true
}

func ExampleCheckVersion() {
	fmt.Println(mapispi.SPIVersion)
	fmt.Println(mapispi.CheckVersion(mapispi.PDK2SPIVersion, mapispi.SPIVersion))
	// Output:
	// 0.1.16
	// MSProviderInit: MAPI speaks SPI version 0.1.8 (0x00010008), older than the provider's 0.1.16 (0x00010010) (MAPI_E_VERSION)
}
