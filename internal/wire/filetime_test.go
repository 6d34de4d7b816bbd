package wire

import (
	"math"
	"testing"
	"time"
)

func TestFiletime(t *testing.T) {
	tests := []struct {
		ft   uint64
		want time.Time
	}{
		{0, time.Date(1601, 1, 1, 0, 0, 0, 0, time.UTC)},
		{1, time.Date(1601, 1, 1, 0, 0, 0, 100, time.UTC)},
		{116444736000000000, time.Unix(0, 0).UTC()}, // the Unix epoch
		// 2024-02-29 13:14:15.1234567 UTC, as [MS-DTYP] counts it.
		{133536860551234567, time.Date(2024, 2, 29, 13, 14, 15, 123456700, time.UTC)},
		{math.MaxUint64, time.Date(60056, 5, 28, 5, 36, 10, 955161500, time.UTC)},
	}
	for _, tc := range tests {
		got := FromFiletime(tc.ft)
		if !got.Equal(tc.want) || got.Location() != time.UTC {
			t.Errorf("FromFiletime(%d) = %v, want %v", tc.ft, got, tc.want)
		}
		if ft, ok := ToFiletime(tc.want); !ok || ft != tc.ft {
			t.Errorf("ToFiletime(%v) = %d, %v, want %d, true", tc.want, ft, ok, tc.ft)
		}
	}
}

func TestToFiletimeTruncates(t *testing.T) {
	in := time.Date(2024, 2, 29, 13, 14, 15, 123456789, time.FixedZone("UTC+2", 2*3600))
	ft, ok := ToFiletime(in)
	if want := uint64(133536788551234567); !ok || ft != want {
		t.Errorf("ToFiletime(%v) = %d, %v, want %d, true (100 ns, the instant in UTC)", in, ft, ok, want)
	}
}

func TestToFiletimeOutOfRange(t *testing.T) {
	last := FromFiletime(math.MaxUint64)
	for _, tm := range []time.Time{
		{}, // year 1
		time.Date(1600, 12, 31, 23, 59, 59, 999999999, time.UTC),
		last.Add(100 * time.Nanosecond),
		last.Add(time.Second),
		time.Unix(math.MaxInt64, 0),
		time.Unix(math.MinInt64, 0),
	} {
		if ft, ok := ToFiletime(tm); ok {
			t.Errorf("ToFiletime(%v) = %d, true, want false: a FILETIME cannot hold it", tm, ft)
		}
	}
}

func TestFiletimeAllocs(t *testing.T) {
	tm := time.Date(2024, 2, 29, 13, 14, 15, 0, time.UTC)
	if n := testing.AllocsPerRun(100, func() { _ = FromFiletime(133536860551234567) }); n != 0 {
		t.Errorf("FromFiletime: %v allocations a call, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = ToFiletime(tm) }); n != 0 {
		t.Errorf("ToFiletime: %v allocations a call, want 0", n)
	}
}
