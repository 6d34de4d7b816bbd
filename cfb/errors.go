package cfb

import (
	"errors"
	"fmt"
)

// ErrFormat is the error every failure to read a damaged or foreign file
// wraps: the input is not a valid [MS-CFB] compound file. Test for it with
// errors.Is; errors.As with a *FormatError gives the place.
var ErrFormat = errors.New("cfb: not a valid compound file")

// ErrTooLarge is wrapped by the errors for files and streams past the
// limits this package handles: a version 3 file over 2 GB, which [MS-CFB]
// 2.6.3 and its 512-byte sectors do not allow, read or written.
var ErrTooLarge = errors.New("cfb: compound file too large")

// ErrName is wrapped by the Builder's errors for a name [MS-CFB] 2.6.1
// does not allow: empty, over 31 UTF-16 code units, or holding '/', '\',
// ':', '!' or NUL.
var ErrName = errors.New("cfb: invalid name")

// ErrDuplicate is wrapped by the Builder's error for a name already used in
// the same storage, names compared as [MS-CFB] 2.6.4 compares them
// (case-insensitively, by uppercased UTF-16 code units).
var ErrDuplicate = errors.New("cfb: duplicate name")

// ErrNotStream is wrapped by the error for reading a storage as a stream.
var ErrNotStream = errors.New("cfb: not a stream")

// FormatError is the error for a damaged file, after the STG_E_DOCFILECORRUPT
// of the COM structured storage implementation: it says where the problem
// is and what it is, and unwraps to [ErrFormat].
type FormatError struct {
	// Where names the place: "header", "FAT sector 3", "directory entry 7
	// (\"__substg1.0_0037001F\")", ...
	Where string
	// Offset is the byte offset in the file of the structure at fault, or
	// -1 when there is no single one.
	Offset int64
	// Reason says what is wrong.
	Reason string
}

func (e *FormatError) Error() string {
	if e.Offset >= 0 {
		return fmt.Sprintf("cfb: %s (offset 0x%X): %s", e.Where, e.Offset, e.Reason)
	}
	return fmt.Sprintf("cfb: %s: %s", e.Where, e.Reason)
}

// Unwrap returns [ErrFormat].
func (e *FormatError) Unwrap() error { return ErrFormat }

func formatErr(where string, off int64, format string, args ...any) error {
	return &FormatError{Where: where, Offset: off, Reason: fmt.Sprintf(format, args...)}
}
