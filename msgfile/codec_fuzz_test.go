package msgfile

import (
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/mapiemu/mapiemu/mapispi"
)

// fuzzTree builds a top-level message storage from fuzz input: props is
// the property stream (its header's counts zeroed, as the tree has no
// recipients or attachments), and values is a list of streams, each a
// 4-byte tag, a 2-byte value index (0xFFFF for the tag's own stream), a
// 2-byte length and that many bytes.
func fuzzTree(props, values []byte) *tree {
	t := newTree()
	p := append([]byte{}, props...)
	for i := 16; i < 24 && i < len(p); i++ {
		p[i] = 0
	}
	t.streams[propStreamName] = p
	for len(values) >= 8 {
		tg := mapispi.PropTag(le.Uint32(values))
		idx, n := le.Uint16(values[4:]), int(le.Uint16(values[6:]))
		values = values[8:]
		n = min(n, len(values))
		name := substgName(tg)
		if idx != 0xFFFF {
			name = substgValueName(tg, int(idx))
		}
		t.streams[name] = values[:n]
		values = values[n:]
	}
	return t
}

// fuzzInput is the inverse of fuzzTree for the seeds: the property stream
// and the value streams of t.
func fuzzInput(t *tree) (props, values []byte) {
	names := make([]string, 0, len(t.streams))
	for n := range t.streams {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if !strings.HasPrefix(n, substgPrefix) {
			continue
		}
		rest := n[len(substgPrefix):]
		tg, err := strconv.ParseUint(rest[:8], 16, 32)
		if err != nil {
			continue
		}
		idx := uint64(0xFFFF)
		if len(rest) > 8 {
			idx, _ = strconv.ParseUint(rest[9:], 16, 16)
		}
		b := t.streams[n]
		values = le.AppendUint32(values, uint32(tg))
		values = le.AppendUint16(values, uint16(idx))
		values = le.AppendUint16(values, uint16(len(b)))
		values = append(values, b...)
	}
	return t.streams[propStreamName], values
}

// FuzzDecodeProperties: any property stream and value streams decode to
// a model or an error, never a panic; a model re-encodes, decodes to the
// same model, and encodes again to the same tree.
func FuzzDecodeProperties(f *testing.F) {
	seeds := []*msgData{
		{props: everyType()},
		{props: []mapispi.PropValue{{Tag: mapispi.PropMessageCodepage, Value: int32(932)}, {Tag: tag(mapispi.PtString8, 0x0037), Value: "\u65e5\u672c"}, {Tag: tag(mapispi.MVFlag|mapispi.PtString8, 0x6601), Value: []string{"\u30c6"}}}},
	}
	for _, m := range seeds {
		tr, err := encodeMessage(m, nil)
		if err != nil {
			f.Fatal(err)
		}
		p, v := fuzzInput(tr)
		f.Add(p, v)
	}
	f.Add(make([]byte, headerTop), []byte{})
	f.Fuzz(func(t *testing.T, props, values []byte) {
		m, names, err := decodeMessage(fuzzTree(props, values))
		if err != nil {
			return
		}
		tr, err := encodeMessage(m, names)
		if err != nil {
			t.Fatalf("encodeMessage(decoded model) = %v", err)
		}
		m2, names2, err := decodeMessage(tr)
		if err != nil {
			t.Fatalf("decodeMessage(encodeMessage(decoded model)) = %v", err)
		}
		if !sameMsg(m, m2) || !sameNames(names, names2) {
			t.Fatalf("model changed on a round trip:\n got %v\nwant %v", m2.props, m.props)
		}
		tr2, err := encodeMessage(m2, names2)
		if err != nil {
			t.Fatalf("second encodeMessage = %v", err)
		}
		if !reflect.DeepEqual(tr, tr2) {
			t.Fatalf("second encoding differs from the first")
		}
	})
}
