package mapispi

import "fmt"

// Version is the Go form of a MAPI SPI version word (ulMAPIVer,
// lpulProviderVer): the major version in bits 31..24, the minor in 23..16
// and the update (a build number) in 15..0. SPIVersion, 0x00010010, reads
// "0.1.16", not "1.0.16".
type Version uint32

// SPI versions from MAPISPI.h.
const (
	PDK1SPIVersion Version = 0x00010000 // PDK1_SPI_VERSION, 0.1.0 (MAPI PDK1, 1993)
	PDK2SPIVersion Version = 0x00010008 // PDK2_SPI_VERSION, 0.1.8 (PDK2, 1994)
	PDK3SPIVersion Version = 0x00010010 // PDK3_SPI_VERSION, 0.1.16 (PDK3, 1994)

	// SPIVersion is CURRENT_SPI_VERSION, the version this module speaks on
	// both sides of the SPI.
	SPIVersion = PDK3SPIVersion
)

// Major returns bits 31..24.
func (v Version) Major() uint8 { return uint8(v >> 24) }

// Minor returns bits 23..16.
func (v Version) Minor() uint8 { return uint8(v >> 16) }

// Update returns bits 15..0.
func (v Version) Update() uint16 { return uint16(v) }

// String returns "major.minor.update", such as "0.1.16".
func (v Version) String() string {
	return fmt.Sprintf("%d.%d.%d", v.Major(), v.Minor(), v.Update())
}

// CheckVersion applies MSProviderInit's compatibility rule: MAPI speaking
// mapiVersion can load a provider speaking providerVersion unless MAPI's
// version is older. It returns nil or an *Error wrapping ErrVersion.
// MSProviderInit calls it with the version MAPI passed and its own; the
// host calls it again with the version the provider returned, so the two
// sides agree on one rule.
func CheckVersion(mapiVersion, providerVersion Version) error {
	if mapiVersion < providerVersion {
		return Errorf(ErrVersion, "MSProviderInit",
			"MAPI speaks SPI version %v (0x%08X), older than the provider's %v (0x%08X)",
			mapiVersion, uint32(mapiVersion), providerVersion, uint32(providerVersion))
	}
	return nil
}
