package entryid

import (
	"bufio"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

// scanRestOK is the reference for validExchangeRest: what scanRest says.
func scanRestOK(rest []byte, public bool) bool {
	x := exchangeScan{}
	if public {
		x.typ = OpenStorePublic
	}
	r := reader{b: rest, kind: KindExchangeStore}
	x.scanRest(&r)
	return r.err == nil
}

// exchangeRests returns the bytes after the server name of every Exchange
// store ID in the vectors, with its public bit.
func exchangeRests(t testing.TB) (rests [][]byte, public []bool) {
	f, err := os.Open("testdata/vectors.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 3 {
			continue
		}
		b, err := hex.DecodeString(cols[2])
		if err != nil || Identify(b) != KindStore {
			continue
		}
		inner, err := UnwrapView(b)
		if err != nil || Identify(inner) != KindExchangeStore {
			continue
		}
		n := indexNUL8(inner[24:])
		rests = append(rests, inner[24+n+1:])
		public = append(public, inner[20]&byte(OpenStorePublic) != 0)
	}
	if len(rests) < 10 {
		t.Fatalf("found %d Exchange store IDs in the vectors", len(rests))
	}
	return rests, public
}

// TestValidExchangeRestAgrees checks Equal's straight-line validation
// against scanRest on every truncation and many single-byte changes of
// real store IDs.
func TestValidExchangeRestAgrees(t *testing.T) {
	rests, public := exchangeRests(t)
	check := func(rest []byte, pub bool) {
		t.Helper()
		if got, want := validExchangeRest(rest, pub), scanRestOK(rest, pub); got != want {
			t.Fatalf("validExchangeRest(%X, public=%v) = %v, scanRest says %v", rest, pub, got, want)
		}
	}
	for i, rest := range rests {
		for _, pub := range []bool{public[i], !public[i]} {
			for n := 0; n <= len(rest); n++ {
				check(rest[:n], pub)
			}
			for j := range rest {
				for _, v := range []byte{0, 1, 2, 0x35, 0x46, 0xD8, 0xDC, 0xE9, 0xF3, 0xF4, 0xFF} {
					m := append([]byte(nil), rest...)
					m[j] = v
					check(m, pub)
				}
			}
		}
	}
}

func FuzzValidExchangeRest(f *testing.F) {
	rests, public := exchangeRests(f)
	for i := range rests {
		f.Add(rests[i], public[i])
	}
	f.Fuzz(func(t *testing.T, rest []byte, pub bool) {
		if got, want := validExchangeRest(rest, pub), scanRestOK(rest, pub); got != want {
			t.Fatalf("validExchangeRest(%X, public=%v) = %v, scanRest says %v", rest, pub, got, want)
		}
	})
}
