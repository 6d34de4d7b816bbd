package msgfile

import (
	"errors"
	"fmt"

	"github.com/mapiemu/mapiemu/mapispi"
)

// ErrFormat is what every error matches, with errors.Is, when a compound
// file is not a .msg file as [MS-OXMSG] lays one out: a storage without
// its property stream, a stream shorter than its header, a property entry
// whose Size disagrees with the stream that holds the value, header
// counts that disagree with the storages present, a named property entry
// that points outside its streams, and the like.
var ErrFormat = errors.New("msgfile: not a valid .msg file")

// FormatError reports where and why a file is not a valid .msg file. It
// matches ErrFormat and mapispi.ErrCorruptData (MAPI_E_CORRUPT_DATA)
// with errors.Is, and its Err, when set, too: a file that is no compound
// file at all has Path "" and the *cfb.FormatError as Err.
type FormatError struct {
	// Path is the storage or stream at fault, from the file's root, with
	// "/" between names: "__attach_version1.0_#00000000/__properties_version1.0";
	// "" for the compound file itself.
	Path string
	// Offset is the byte offset of the fault in the stream Path names,
	// or -1 when the fault is not at one place in a stream.
	Offset int64
	// Reason says what is wrong.
	Reason string
	// Err is the cause, such as a codepage error for 8-bit text that is
	// not valid in the message's code page, or nil.
	Err error
}

func (e *FormatError) Error() string {
	s := "msgfile: "
	if e.Path != "" {
		s += e.Path
		if e.Offset >= 0 {
			s += fmt.Sprintf(" at offset %d", e.Offset)
		}
		s += ": "
	}
	s += e.Reason
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns ErrFormat, mapispi.ErrCorruptData and the cause, if any.
func (e *FormatError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrFormat, mapispi.ErrCorruptData, e.Err}
	}
	return []error{ErrFormat, mapispi.ErrCorruptData}
}

// formatErr returns a *FormatError at path and offset (-1 for none).
func formatErr(path string, offset int64, format string, args ...any) *FormatError {
	return &FormatError{Path: path, Offset: offset, Reason: fmt.Sprintf(format, args...)}
}

// join returns the path of name inside the storage at path.
func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "/" + name
}
