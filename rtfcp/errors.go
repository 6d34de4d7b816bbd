package rtfcp

import (
	"errors"
	"fmt"
)

// ErrFormat is wrapped by every error Decompress returns: the input is not a
// well-formed PR_RTF_COMPRESSED value as [MS-OXRTFCP] 2.1.3.1.1 defines it.
var ErrFormat = errors.New("rtfcp: malformed compressed RTF")

// ErrChecksum is wrapped by the error Decompress returns when an LZFu
// stream's CRC field does not match its contents. It wraps ErrFormat, so
// errors.Is(err, ErrFormat) holds for it too.
var ErrChecksum = fmt.Errorf("%w: CRC mismatch", ErrFormat)

// ErrTooLarge is returned by Compress for input whose size does not fit the
// header's 32-bit COMPSIZE and RAWSIZE fields.
var ErrTooLarge = errors.New("rtfcp: RTF too large for a 32-bit size field")

// FormatError describes malformed input to Decompress, in the manner of
// strconv.NumError: where the fault is and what it is. It unwraps to
// ErrFormat or ErrChecksum.
type FormatError struct {
	// Offset is the byte offset in the input (counting the 16-byte
	// header) of the field or token at fault.
	Offset int
	// Reason says what is wrong, in words.
	Reason string
	// Err is ErrFormat or ErrChecksum.
	Err error
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("rtfcp: %s (at offset %d)", e.Reason, e.Offset)
}

func (e *FormatError) Unwrap() error { return e.Err }

// formatError builds a *FormatError wrapping ErrFormat.
func formatError(off int, format string, args ...any) error {
	return &FormatError{Offset: off, Reason: fmt.Sprintf(format, args...), Err: ErrFormat}
}
