package mapispi

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// storeWrap is MUIDSTOREWRAP, whose bytes and registry form the spec gives.
var storeWrap = UID{0x38, 0xA1, 0xBB, 0x10, 0x05, 0xE5, 0x10, 0x1A, 0xA1, 0xBB, 0x08, 0x00, 0x2B, 0x2A, 0x56, 0xC2}

func TestParseUID(t *testing.T) {
	tests := []struct {
		in   string
		want UID
	}{
		{"{10BBA138-E505-1A10-A1BB-08002B2A56C2}", storeWrap},
		{"{10bba138-e505-1a10-a1bb-08002b2a56c2}", storeWrap},
		{"10BBA138-E505-1A10-A1BB-08002B2A56C2", storeWrap},
		{"38A1BB1005E5101AA1BB08002B2A56C2", storeWrap},
		{"38a1bb1005e5101aa1bb08002b2a56c2", storeWrap},
		{"{00020310-0000-0000-C000-000000000046}", UID{0x10, 0x03, 0x02, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46}},
		{"00000000000000000000000000000000", UID{}},
	}
	for _, tt := range tests {
		got, err := ParseUID(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseUID(%q) = %X, %v, want %X, nil", tt.in, got[:], err, tt.want[:])
		}
	}
}

func TestParseUIDInvalid(t *testing.T) {
	for _, in := range []string{
		"",
		"{}",
		"10BBA138-E505-1A10-A1BB-08002B2A56C",
		"{10BBA138-E505-1A10-A1BB-08002B2A56C2",
		"[10BBA138-E505-1A10-A1BB-08002B2A56C2]",
		"{10BBA138E5051A10A1BB08002B2A56C2000}",
		"10BBA138-E505-1A10-A1BB_08002B2A56C2",
		"38A1BB1005E5101AA1BB08002B2A56CZ",
		"38A1BB1005E5101AA1BB08002B2A56C",
		"urn:uuid:10BBA138-E505-1A10-A1BB-08002B2A56C2",
		"{10BBA138-E505-1A10-A1BB-08002B2A56C2}x",
	} {
		got, err := ParseUID(in)
		if !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("ParseUID(%q) = %X, %v, want ErrInvalidParameter", in, got[:], err)
		}
		if got != (UID{}) {
			t.Errorf("ParseUID(%q) = %X on error, want zero", in, got[:])
		}
	}
}

func TestUIDText(t *testing.T) {
	if got, want := storeWrap.String(), "{10BBA138-E505-1A10-A1BB-08002B2A56C2}"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got, want := storeWrap.Hex(), "38A1BB1005E5101AA1BB08002B2A56C2"; got != want {
		t.Errorf("Hex() = %q, want %q", got, want)
	}
	if !(UID{}).IsZero() || storeWrap.IsZero() {
		t.Errorf("IsZero() wrong: zero=%v storeWrap=%v", UID{}.IsZero(), storeWrap.IsZero())
	}
	b, err := json.Marshal(map[string]UID{"uid": storeWrap})
	if err != nil || string(b) != `{"uid":"{10BBA138-E505-1A10-A1BB-08002B2A56C2}"}` {
		t.Errorf("json.Marshal = %s, %v", b, err)
	}
	var back map[string]UID
	if err := json.Unmarshal(b, &back); err != nil || back["uid"] != storeWrap {
		t.Errorf("json.Unmarshal(%s) = %v, %v, want %v", b, back, err, storeWrap)
	}
	var u UID
	if err := u.UnmarshalText([]byte("nope")); !errors.Is(err, ErrInvalidParameter) || u != (UID{}) {
		t.Errorf("UnmarshalText(nope) = %v, u=%v, want ErrInvalidParameter and u unchanged", err, u)
	}
}

func TestUIDBinary(t *testing.T) {
	b, err := storeWrap.MarshalBinary()
	if err != nil || string(b) != string(storeWrap[:]) {
		t.Fatalf("MarshalBinary() = %X, %v", b, err)
	}
	var u UID
	if err := u.UnmarshalBinary(b); err != nil || u != storeWrap {
		t.Errorf("UnmarshalBinary(%X) = %v, u=%v", b, err, u)
	}
	for _, n := range []int{0, 15, 17} {
		if err := u.UnmarshalBinary(make([]byte, n)); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("UnmarshalBinary(%d bytes) = %v, want ErrInvalidParameter", n, err)
		}
	}
}

func TestUIDUUIDConversion(t *testing.T) {
	g := uuid.MustParse("10BBA138-E505-1A10-A1BB-08002B2A56C2")
	if got := UIDFromUUID(g); got != storeWrap {
		t.Errorf("UIDFromUUID(%v) = %X, want %X", g, got[:], storeWrap[:])
	}
	if got := storeWrap.UUID(); got != g {
		t.Errorf("UUID() = %v, want %v", got, g)
	}
	if !strings.EqualFold(storeWrap.UUID().String(), strings.Trim(storeWrap.String(), "{}")) {
		t.Errorf("UUID().String() = %v, want the registry form %v", storeWrap.UUID(), storeWrap)
	}
}

func TestNewUID(t *testing.T) {
	seen := map[UID]bool{}
	for range 100 {
		u := NewUID()
		if u.IsZero() || seen[u] {
			t.Fatalf("NewUID() = %v: zero or repeated", u)
		}
		seen[u] = true
		if v := u.UUID().Version(); v != 4 {
			t.Fatalf("NewUID().UUID().Version() = %d, want 4", v)
		}
	}
}

// FuzzParseUID checks that ParseUID never panics, that whatever it accepts
// prints back to a form it parses to the same UID, and that both printed
// forms round-trip.
func FuzzParseUID(f *testing.F) {
	for _, s := range []string{
		"{10BBA138-E505-1A10-A1BB-08002B2A56C2}", "38A1BB1005E5101AA1BB08002B2A56C2",
		"10bba138-e505-1a10-a1bb-08002b2a56c2", "", "{", "{00000000-0000-0000-0000-000000000000}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseUID(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidParameter) {
				t.Fatalf("ParseUID(%q) error %v does not wrap ErrInvalidParameter", s, err)
			}
			return
		}
		for _, form := range []string{u.String(), u.Hex()} {
			v, err := ParseUID(form)
			if err != nil || v != u {
				t.Fatalf("ParseUID(%q) = %v, %v, want %v (from %q)", form, v, err, u, s)
			}
		}
		if got := UIDFromUUID(u.UUID()); got != u {
			t.Fatalf("UIDFromUUID(u.UUID()) = %v, want %v", got, u)
		}
	})
}
