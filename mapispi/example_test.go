package mapispi_test

import (
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

// A warning is returned as the error of a call that succeeded.
func ExampleFailed() {
	for _, err := range []error{nil, mapispi.WarnErrorsReturned, mapispi.ErrLogonFailed} {
		fmt.Printf("%v: failed=%v\n", err, mapispi.Failed(err))
	}
	// Output:
	// <nil>: failed=false
	// MAPI_W_ERRORS_RETURNED: failed=false
	// MAPI_E_LOGON_FAILED: failed=true
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
