package entryid_test

import (
	"bytes"
	"testing"

	"github.com/mapiemu/mapiemu/entryid"
)

// The benchmarks come in pairs: each entryid call beside the bytes.Equal
// (or copy) baseline on the same bytes. README.md reports the ratios.

// storePair is two wrapped Exchange store IDs (V3 tail, SMTP server name)
// that differ only in abFlags and the case of the server name.
func storePair(b *testing.B) (x, y []byte) {
	x = vectorID(b, "mfcmapi-ENTRYID-38")
	y = withFlags(replaceOnce(b, x, "USER.NAME@", "user.name@"), 0x80)
	if !entryid.Equal(x, y) {
		b.Fatal("Equal(storePair) = false")
	}
	return x, y
}

var sink bool

func BenchmarkEqual(b *testing.B) {
	x, y := storePair(b)
	b.ReportAllocs()
	for b.Loop() {
		sink = entryid.Equal(x, y)
	}
}

func BenchmarkBytesEqual(b *testing.B) {
	x, y := storePair(b)
	b.ReportAllocs()
	for b.Loop() {
		sink = bytes.Equal(x, y)
	}
}

// BenchmarkBytesEqualIdentical is the floor for comparing the store IDs
// of storePair: bytes.Equal reading two identical copies to their end,
// where BenchmarkBytesEqual stops at the first byte.
func BenchmarkBytesEqualIdentical(b *testing.B) {
	x, _ := storePair(b)
	y := bytes.Clone(x)
	b.ReportAllocs()
	for b.Loop() {
		sink = bytes.Equal(x, y)
	}
}

// BenchmarkEqualIdentical is Equal on those two copies: it returns at the
// cost of bytes.Equal.
func BenchmarkEqualIdentical(b *testing.B) {
	x, _ := storePair(b)
	y := bytes.Clone(x)
	b.ReportAllocs()
	for b.Loop() {
		sink = entryid.Equal(x, y)
	}
}

// storePairV1 is storePair for an ID without a V2/V3 tail (ENTRYID-1,
// Exchange 2007, 173 bytes).
func storePairV1(b *testing.B) (x, y []byte) {
	x = vectorID(b, "mfcmapi-ENTRYID-1")
	y = withFlags(replaceOnce(b, x, "BOOEX2K7", "booex2k7"), 0x80)
	if !entryid.Equal(x, y) {
		b.Fatal("Equal(storePairV1) = false")
	}
	return x, y
}

func BenchmarkEqualNoTail(b *testing.B) {
	x, y := storePairV1(b)
	b.ReportAllocs()
	for b.Loop() {
		sink = entryid.Equal(x, y)
	}
}

func BenchmarkBytesEqualNoTail(b *testing.B) {
	x, y := storePairV1(b)
	b.ReportAllocs()
	for b.Loop() {
		sink = bytes.Equal(x, y)
	}
}

// folder and message pairs: equal IDs in distinct buffers, the case a
// lookup meets.
func idPair(b *testing.B, name string) (x, y []byte) {
	x = vectorID(b, name)
	return x, bytes.Clone(x)
}

func BenchmarkEqualFolder(b *testing.B) {
	x, y := idPair(b, "mfcmapi-ENTRYID-8")
	b.ReportAllocs()
	for b.Loop() {
		sink = entryid.Equal(x, y)
	}
}

func BenchmarkBytesEqualFolder(b *testing.B) {
	x, y := idPair(b, "mfcmapi-ENTRYID-8")
	b.ReportAllocs()
	for b.Loop() {
		sink = bytes.Equal(x, y)
	}
}

// BenchmarkEqualFolderFlags compares a short-term and a long-term ID of
// one folder: the plain path, where identical copies stop at bytes.Equal.
func BenchmarkEqualFolderFlags(b *testing.B) {
	x, y := idPair(b, "mfcmapi-ENTRYID-8")
	y[0] = 0x80
	b.ReportAllocs()
	for b.Loop() {
		sink = entryid.Equal(x, y)
	}
}

func BenchmarkEqualMessage(b *testing.B) {
	x, y := idPair(b, "mfcmapi-ENTRYID-13")
	b.ReportAllocs()
	for b.Loop() {
		sink = entryid.Equal(x, y)
	}
}

func BenchmarkBytesEqualMessage(b *testing.B) {
	x, y := idPair(b, "mfcmapi-ENTRYID-13")
	b.ReportAllocs()
	for b.Loop() {
		sink = bytes.Equal(x, y)
	}
}

func BenchmarkIdentify(b *testing.B) {
	x := vectorID(b, "mfcmapi-ENTRYID-38")
	b.ReportAllocs()
	for b.Loop() {
		sink = entryid.Identify(x) == entryid.KindStore
	}
}

func BenchmarkSplit(b *testing.B) {
	x := vectorID(b, "mfcmapi-ENTRYID-38")
	b.ReportAllocs()
	for b.Loop() {
		_, _, _, err := entryid.Split(x)
		sink = err == nil
	}
}

func BenchmarkAppendCanonical(b *testing.B) {
	x := vectorID(b, "mfcmapi-ENTRYID-38")
	buf := make([]byte, 0, 3*len(x)+32)
	b.ReportAllocs()
	for b.Loop() {
		_, err := entryid.AppendCanonical(buf[:0], x)
		sink = err == nil
	}
}

// BenchmarkCopy is the baseline for AppendCanonical: appending the raw
// bytes to the same buffer.
func BenchmarkCopy(b *testing.B) {
	x := vectorID(b, "mfcmapi-ENTRYID-38")
	buf := make([]byte, 0, 3*len(x)+32)
	b.ReportAllocs()
	for b.Loop() {
		buf = append(buf[:0], x...)
	}
}

// BenchmarkKey is AppendCanonical plus the one allocation of the string.
func BenchmarkKey(b *testing.B) {
	x := vectorID(b, "mfcmapi-ENTRYID-38")
	b.ReportAllocs()
	for b.Loop() {
		sink = entryid.Key(x) != ""
	}
}

// BenchmarkCompare explains the storePair verdict; it allocates the
// differences it returns.
func BenchmarkCompare(b *testing.B) {
	x, y := storePair(b)
	b.ReportAllocs()
	for b.Loop() {
		sink = entryid.Compare(x, y).Same
	}
}

// BenchmarkFindAll finds the entry ID in a migration log line.
func BenchmarkFindAll(b *testing.B) {
	line := "2024-05-01T10:00:00.123Z [MoveItem] copied folder " + entryid.FormatLog(vectorID(b, "mfcmapi-ENTRYID-8")) + " to target mailbox"
	b.ReportAllocs()
	for b.Loop() {
		sink = len(entryid.FindAll(line)) == 1
	}
}

func BenchmarkParseFolder(b *testing.B) {
	x := vectorID(b, "mfcmapi-ENTRYID-8")
	b.ReportAllocs()
	for b.Loop() {
		_, err := entryid.ParseFolder(x)
		sink = err == nil
	}
}

func BenchmarkParseMessage(b *testing.B) {
	x := vectorID(b, "mfcmapi-ENTRYID-13")
	b.ReportAllocs()
	for b.Loop() {
		_, err := entryid.ParseMessage(x)
		sink = err == nil
	}
}

func BenchmarkParsePST(b *testing.B) {
	x := vectorID(b, "mfcmapi-ENTRYID-19")
	b.ReportAllocs()
	for b.Loop() {
		_, err := entryid.ParsePST(x)
		sink = err == nil
	}
}

func BenchmarkParseExchangeStore(b *testing.B) {
	x := vectorID(b, "mfcmapi-ENTRYID-38")
	b.ReportAllocs()
	for b.Loop() {
		_, err := entryid.ParseExchangeStore(x)
		sink = err == nil
	}
}
