package mapispi

import (
	"errors"
	"testing"
)

func TestVersion(t *testing.T) {
	tests := []struct {
		v            Version
		want         Version
		major, minor uint8
		update       uint16
		str          string
	}{
		{SPIVersion, 0x00010010, 0, 1, 16, "0.1.16"},
		{PDK1SPIVersion, 0x00010000, 0, 1, 0, "0.1.0"},
		{PDK2SPIVersion, 0x00010008, 0, 1, 8, "0.1.8"},
		{PDK3SPIVersion, 0x00010010, 0, 1, 16, "0.1.16"},
		{0x02030405, 0x02030405, 2, 3, 0x0405, "2.3.1029"},
	}
	for _, tt := range tests {
		if tt.v != tt.want {
			t.Errorf("version = 0x%08X, want 0x%08X", uint32(tt.v), uint32(tt.want))
		}
		if tt.v.Major() != tt.major || tt.v.Minor() != tt.minor || tt.v.Update() != tt.update {
			t.Errorf("Version(0x%08X) parts = %d.%d.%d, want %d.%d.%d", uint32(tt.v),
				tt.v.Major(), tt.v.Minor(), tt.v.Update(), tt.major, tt.minor, tt.update)
		}
		if got := tt.v.String(); got != tt.str {
			t.Errorf("Version(0x%08X).String() = %q, want %q", uint32(tt.v), got, tt.str)
		}
	}
}

func TestCheckVersion(t *testing.T) {
	tests := []struct {
		mapi, provider Version
		ok             bool
	}{
		{SPIVersion, SPIVersion, true},
		{0x00020000, SPIVersion, true}, // newer MAPI loads an older provider
		{PDK2SPIVersion, SPIVersion, false},
		{PDK1SPIVersion, SPIVersion, false},
		{0, SPIVersion, false},
	}
	for _, tt := range tests {
		err := CheckVersion(tt.mapi, tt.provider)
		if tt.ok && err != nil {
			t.Errorf("CheckVersion(%v, %v) = %v, want nil", tt.mapi, tt.provider, err)
		}
		if !tt.ok && !errors.Is(err, ErrVersion) {
			t.Errorf("CheckVersion(%v, %v) = %v, want ErrVersion", tt.mapi, tt.provider, err)
		}
	}
}
