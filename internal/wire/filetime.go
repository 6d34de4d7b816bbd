package wire

import (
	"math"
	"time"
)

// FILETIME's scale and epoch ([MS-DTYP] 2.3.3).
const (
	unixEpochSeconds  = 11644473600 // seconds from 1601-01-01 to 1970-01-01
	filetimePerSecond = 10000000    // 100 ns intervals in a second
)

// FromFiletime returns the time, in UTC, that the FILETIME ft names (the
// Go form of FileTimeToSystemTime): every uint64 is one, from 1601-01-01
// to the year 60056. It allocates nothing. ToFiletime is its inverse.
func FromFiletime(ft uint64) time.Time {
	return time.Unix(int64(ft/filetimePerSecond)-unixEpochSeconds, int64(ft%filetimePerSecond)*100).UTC()
}

// ToFiletime returns t as a FILETIME, truncated to FILETIME's 100 ns
// (the Go form of SystemTimeToFileTime), and false for a time a FILETIME
// cannot hold: one before 1601-01-01 UTC or after FromFiletime(2^64-1).
// The zero time.Time, in year 1, is one of those; a format for which 0
// means "no time" maps it itself. It allocates nothing.
func ToFiletime(t time.Time) (uint64, bool) {
	unix := t.Unix()
	if unix < -unixEpochSeconds || unix > math.MaxInt64-unixEpochSeconds {
		return 0, false
	}
	sec, frac := uint64(unix+unixEpochSeconds), uint64(t.Nanosecond()/100)
	const maxSec, maxFrac = math.MaxUint64 / filetimePerSecond, math.MaxUint64 % filetimePerSecond
	if sec > maxSec || sec == maxSec && frac > maxFrac {
		return 0, false
	}
	return sec*filetimePerSecond + frac, true
}
