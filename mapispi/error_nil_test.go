package mapispi

import "testing"

func TestNilErrorString(t *testing.T) {
	var e *Error
	if got := e.Error(); got != "<nil *mapispi.Error>" {
		t.Errorf("(*Error)(nil).Error() = %q", got)
	}
}
