package entryid

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

// storeVectors returns the wrapped Exchange store IDs of the vectors.
func storeVectors(t testing.TB) [][]byte {
	f, err := os.Open("testdata/vectors.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ids [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 3 {
			continue
		}
		b, err := hex.DecodeString(cols[2])
		if err != nil {
			continue
		}
		if in, _ := exchangeInner(b); in != nil {
			ids = append(ids, b)
		}
	}
	if len(ids) < 10 {
		t.Fatalf("found %d Exchange store IDs in the vectors", len(ids))
	}
	return ids
}

// storeVariant returns a with its server name replaced by server, abFlags
// byte 0 set to flags, and wrapped or unwrapped as wrap says: an ID that
// shares with a the bytes after the server name, the pairs equalStores
// answers for. Other IDs are returned changed only in abFlags.
func storeVariant(a, server []byte, flags, wrap byte) []byte {
	inner, _ := exchangeInner(a)
	if inner == nil || indexNUL8(inner[24:]) < 0 {
		b := bytes.Clone(a)
		if len(b) > 0 {
			b[0] = flags
		}
		return b
	}
	server = bytes.ReplaceAll(server, []byte{0}, nil)
	n := indexNUL8(inner[24:])
	b := append(append(bytes.Clone(inner[:24]), server...), inner[24+n:]...)
	b[0] = flags
	switch wrap % 4 {
	case 1:
		return WrapStore("EMSMDB.DLL", b)
	case 2:
		return WrapStore("emsmdb.dll", b)
	case 3:
		return WrapStore("x", b)
	}
	return b
}

// checkShortcut fails if equalStores answers for a and b and disagrees
// with the plain path; it reports whether it answered.
func checkShortcut(t *testing.T, a, b []byte) bool {
	t.Helper()
	eq, ok := equalStores(a, b)
	if plain := equalAt(a, b, 0, charsetOf(0)); ok && eq != plain {
		t.Fatalf("equalStores(%X, %X) = %v, the plain path says %v", a, b, eq, plain)
	}
	return ok
}

func TestEqualShortcutAgrees(t *testing.T) {
	answered := 0
	for _, a := range storeVectors(t) {
		inner, _ := exchangeInner(a)
		for _, server := range []string{"", "SERVER", "server", "mail.example.com"} {
			for _, flags := range []byte{0, 0x80, 0x87} {
				for wrap := range byte(4) {
					b := storeVariant(a, []byte(server), flags, wrap)
					for _, x := range [][]byte{a, inner, b[:len(b)-1], append(bytes.Clone(b), 0)} {
						if checkShortcut(t, x, b) {
							answered++
						}
					}
				}
			}
		}
	}
	if answered < 500 {
		t.Errorf("the shortcut answered %d times, want it exercised", answered)
	}
}

func FuzzEqualShortcut(f *testing.F) {
	for _, a := range storeVectors(f) {
		f.Add(a, []byte("server"), byte(0x80), byte(1))
		f.Add(a[:len(a)-3], []byte("SERVER"), byte(0), byte(0))
	}
	f.Fuzz(func(t *testing.T, a, server []byte, flags, wrap byte) {
		b := storeVariant(a, server, flags, wrap)
		checkShortcut(t, a, b)
		if inner, _ := exchangeInner(a); inner != nil {
			checkShortcut(t, inner, b)
		}
	})
}
