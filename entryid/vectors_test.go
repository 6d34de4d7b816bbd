package entryid_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
)

// vector is one row of testdata/vectors.tsv, a copy of
// shared/testdata/entryid/vectors.tsv: real entry IDs from public sources
// with the fields an independent decoder found in them.
type vector struct {
	name, kind string
	id         []byte
	expected   map[string]string
}

func loadVectors(t testing.TB) []vector {
	t.Helper()
	f, err := os.Open("testdata/vectors.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var vs []vector
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 4 || cols[0] == "name" {
			continue
		}
		id, err := entryid.ParseHex(cols[2])
		if err != nil {
			t.Fatalf("%s: ParseHex: %v", cols[0], err)
		}
		vs = append(vs, vector{name: cols[0], kind: cols[1], id: id, expected: parseExpected(cols[3])})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(vs) < 30 {
		t.Fatalf("read %d vectors, want the whole file", len(vs))
	}
	return vs
}

// parseExpected splits "k=v;k=v;inner=[k=v;...]" at the top level only.
func parseExpected(s string) map[string]string {
	m := map[string]string{}
	depth, start := 0, 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) {
			switch s[i] {
			case '[':
				depth++
				continue
			case ']':
				depth--
				continue
			case ';':
				if depth > 0 {
					continue
				}
			default:
				continue
			}
		}
		kv := s[start:i]
		start = i + 1
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		} else if kv != "" {
			m[kv] = ""
		}
	}
	return m
}

func isNegative(v vector) bool { return strings.Contains(v.expected["note"], "NEGATIVE") }

var wantKind = map[string][]entryid.Kind{
	"store":       {entryid.KindStore},
	"folder":      {entryid.KindFolder},
	"message":     {entryid.KindMessage},
	"pst":         {entryid.KindPST},
	"addressbook": {entryid.KindAddressBook, entryid.KindEphemeral},
	"oneoff":      {entryid.KindOneOff},
	"contact":     {entryid.KindContact, entryid.KindDistList, entryid.KindContactFolder},
	"wrapped":     {entryid.KindWrapped},
}

func TestVectorsRoundTrip(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.name, func(t *testing.T) {
			s, err := entryid.Parse(v.id)
			if isNegative(v) || v.kind == "other" {
				if err == nil {
					t.Fatalf("Parse(%s) = %v, want an error", v.name, s)
				}
				if !errors.Is(err, mapispi.ErrInvalidEntryID) {
					t.Fatalf("Parse(%s) error %v does not wrap ErrInvalidEntryID", v.name, err)
				}
				var pe *entryid.ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("Parse(%s) error %T, want *ParseError", v.name, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%s): %v", v.name, err)
			}
			if k := entryid.Identify(v.id); !containsKind(wantKind[v.kind], k) {
				t.Errorf("Identify(%s) = %v, want one of %v", v.name, k, wantKind[v.kind])
			}
			if s.Kind() != entryid.Identify(v.id) {
				t.Errorf("Parse(%s).Kind() = %v, Identify = %v", v.name, s.Kind(), entryid.Identify(v.id))
			}
			got, err := s.AppendBinary(nil)
			if err != nil {
				t.Fatalf("AppendBinary: %v", err)
			}
			if !bytes.Equal(got, v.id) {
				t.Fatalf("Parse then AppendBinary(%s) =\n%X\nwant\n%X", v.name, got, v.id)
			}
			if want := v.expected["len"]; want != fmt.Sprint(len(v.id)) {
				t.Errorf("len(%s) = %d, vector says %s", v.name, len(v.id), want)
			}
		})
	}
}

func containsKind(ks []entryid.Kind, k entryid.Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}
