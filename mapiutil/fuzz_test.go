package mapiutil_test

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

// gen turns fuzz bytes into restrictions and rows from a small
// vocabulary, so that random input reaches every rule often.
type gen struct{ data []byte }

func (g *gen) next() int {
	if len(g.data) == 0 {
		return 0
	}
	b := g.data[0]
	g.data = g.data[1:]
	return int(b)
}

var (
	tagSubject8 = tagSubject.WithType(mapispi.PtString8)
	tagShort    = mapispi.NewPropTag(mapispi.PtI2, 0x8003)
	genTags     = []mapispi.PropTag{tagSubject, tagSubject8, tagSize, tagFlags, tagEntryID, tagKeyword, tagRead, tagShort}
	genStrings  = []string{"", "a", "A", "ab", "AB", "hello", "HeLLo", "xhellox", "é", "É"}
	genBins     = [][]byte{{}, {1}, {1, 2}, {2}, {0, 1, 2, 3}}
)

func (g *gen) tag() mapispi.PropTag { return genTags[g.next()%len(genTags)] }

// value returns a value for tag, usually of the right Go type.
func (g *gen) value(tag mapispi.PropTag) any {
	n := g.next()
	if n%23 == 22 {
		return "wrong type"
	}
	switch tag.Type() {
	case mapispi.PtUnicode, mapispi.PtString8:
		return genStrings[n%len(genStrings)]
	case mapispi.PtLong:
		return int32(n%5 - 1)
	case mapispi.PtI2:
		return int16(n%5 - 1)
	case mapispi.PtBinary:
		return genBins[n%len(genBins)]
	case mapispi.PtBoolean:
		return n%2 == 1
	case mapispi.PtUnicode | mapispi.MVFlag:
		k := n % 3
		s := make([]string, k)
		for i := range s {
			s[i] = genStrings[g.next()%len(genStrings)]
		}
		return s
	}
	return nil
}

// restrictionValue picks a value tag for tag: usually its own, sometimes
// the element type of an MV column, sometimes another type.
func (g *gen) valueTag(tag mapispi.PropTag) mapispi.PropTag {
	switch n := g.next() % 8; {
	case n == 7:
		return g.tag()
	case n >= 5 && tag.Type().IsMultiValued():
		return tag.WithType(tag.Type().Base())
	}
	return tag
}

func (g *gen) restriction(depth int) mapispi.Restriction {
	kind := g.next() % 15
	if depth > 4 && kind <= 2 {
		kind = 8
	}
	switch kind {
	case 0, 1:
		n := g.next() % 4
		rs := make([]mapispi.Restriction, n)
		for i := range rs {
			rs[i] = g.restriction(depth + 1)
		}
		if kind == 0 {
			return mapispi.AndRestriction{Res: rs}
		}
		return &mapispi.OrRestriction{Res: rs}
	case 2:
		return mapispi.NotRestriction{Res: g.restriction(depth + 1)}
	case 3:
		tag := g.tag()
		vt := g.valueTag(tag)
		return mapispi.ContentRestriction{FuzzyLevel: mapispi.FuzzyLevel(g.next()%4) | mapispi.FuzzyLevel(g.next()%2)<<16,
			Tag: tag, Prop: mapispi.PropValue{Tag: vt, Value: g.value(vt)}}
	case 4:
		tag := g.tag()
		vt := g.valueTag(tag)
		return mapispi.PropertyRestriction{Relop: mapispi.Relop(g.next() % 8), Tag: tag, Prop: mapispi.PropValue{Tag: vt, Value: g.value(vt)}}
	case 5:
		return mapispi.ComparePropsRestriction{Relop: mapispi.Relop(g.next() % 7), Tag1: g.tag(), Tag2: g.tag()}
	case 6:
		return mapispi.BitmaskRestriction{Relop: mapispi.BitmaskRelop(g.next() % 3), Tag: g.tag(), Mask: uint32(g.next() % 4)}
	case 7:
		return mapispi.SizeRestriction{Relop: mapispi.Relop(g.next() % 7), Tag: g.tag(), Size: uint32(g.next() % 12)}
	case 8:
		return mapispi.ExistRestriction{Tag: g.tag()}
	case 9:
		obj := mapispi.PropMessageRecipients
		if n := g.next() % 5; n == 3 {
			obj = mapispi.PropMessageAttachments
		} else if n == 4 {
			obj = tagFlags
		}
		return mapispi.SubRestriction{Object: obj, Res: g.restriction(depth + 1)}
	case 10:
		if g.next()%2 == 0 {
			return mapispi.CommentRestriction{}
		}
		return mapispi.CommentRestriction{Res: g.restriction(depth + 1)}
	case 11:
		return &mapispi.CountRestriction{Count: uint32(g.next() % 2), Res: g.restriction(depth + 1)}
	case 12:
		return nil
	case 13:
		// A chain of NOTs around the limit.
		r := mapispi.Restriction(mapispi.ExistRestriction{Tag: g.tag()})
		for range 60 + g.next()%8 {
			r = mapispi.NotRestriction{Res: r}
		}
		return r
	}
	return (*mapispi.ExistRestriction)(nil)
}

func (g *gen) row(depth int) []mapispi.PropValue {
	var row []mapispi.PropValue
	for _, tag := range genTags {
		switch g.next() % 4 {
		case 1, 2:
			row = append(row, mapispi.PropValue{Tag: tag, Value: g.value(tag)})
		case 3:
			row = append(row, mapispi.ErrorValue(tag, mapispi.ErrNotFound))
		}
	}
	if depth == 0 && g.next()%3 != 0 {
		n := g.next() % 3
		sub := make(subRows, n)
		for i := range sub {
			sub[i] = g.row(depth + 1)
		}
		row = append(row, mapispi.PropValue{Tag: mapispi.PropMessageRecipients, Value: sub})
	}
	return row
}

// The reference evaluator: the rules of Match written as plainly as
// possible over the small vocabulary above (ASCII-like text, where
// byte order is UTF-16 order and strings.EqualFold is simple folding;
// strings order as x/text/collate's English, ties by bytes).

type refErr struct{ code mapispi.SCode }

func refValid(v mapispi.PropValue) bool {
	t := v.Tag.Type()
	switch v.Value.(type) {
	case string:
		return t == mapispi.PtUnicode || t == mapispi.PtString8
	case int32:
		return t == mapispi.PtLong
	case int16:
		return t == mapispi.PtI2
	case []byte:
		return t == mapispi.PtBinary
	case bool:
		return t == mapispi.PtBoolean
	case []string:
		return t == mapispi.PtUnicode|mapispi.MVFlag || t == mapispi.PtString8|mapispi.MVFlag
	case mapispi.SCode:
		return t == mapispi.PtError
	}
	return false
}

func refIsText(t mapispi.PropType) bool {
	return t == mapispi.PtUnicode || t == mapispi.PtString8
}

func refSame(a, b mapispi.PropType) bool {
	if a == b {
		return true
	}
	if refIsText(a.Base()) && refIsText(b.Base()) {
		return a.IsMultiValued() == b.IsMultiValued()
	}
	return false
}

func refTakes(col, val mapispi.PropType) bool {
	return refSame(col, val) || (col.IsMultiValued() && !val.IsMultiValued() && refSame(col.Base(), val))
}

func refCheck(r mapispi.Restriction, depth int) mapispi.SCode {
	if depth > 64 {
		return mapispi.ErrTooComplex
	}
	relop := func(op mapispi.Relop) mapispi.SCode {
		if op > 6 {
			return mapispi.ErrInvalidParameter
		}
		if op == 6 {
			return mapispi.ErrTooComplex
		}
		return 0
	}
	list := func(rs []mapispi.Restriction) mapispi.SCode {
		for _, s := range rs {
			if c := refCheck(s, depth+1); c != 0 {
				return c
			}
		}
		return 0
	}
	switch x := r.(type) {
	case nil:
		return mapispi.ErrInvalidParameter
	case *mapispi.ExistRestriction:
		if x == nil {
			return mapispi.ErrInvalidParameter
		}
		return 0
	case mapispi.AndRestriction:
		return list(x.Res)
	case *mapispi.OrRestriction:
		return list(x.Res)
	case mapispi.NotRestriction:
		return refCheck(x.Res, depth+1)
	case mapispi.ContentRestriction:
		if x.FuzzyLevel&0xFFFF > 2 || !refValid(x.Prop) {
			return mapispi.ErrInvalidParameter
		}
		vt := x.Prop.Tag.Type()
		if (vt != mapispi.PtBinary && !refIsText(vt)) || !refTakes(x.Tag.Type(), vt) {
			return mapispi.ErrTooComplex
		}
		return 0
	case mapispi.PropertyRestriction:
		if c := relop(x.Relop); c != 0 {
			return c
		}
		if !refValid(x.Prop) {
			return mapispi.ErrInvalidParameter
		}
		if !refTakes(x.Tag.Type(), x.Prop.Tag.Type()) {
			return mapispi.ErrTooComplex
		}
		return 0
	case mapispi.ComparePropsRestriction:
		if c := relop(x.Relop); c != 0 {
			return c
		}
		if !refSame(x.Tag1.Type(), x.Tag2.Type()) {
			return mapispi.ErrTooComplex
		}
		return 0
	case mapispi.BitmaskRestriction:
		if x.Relop > 1 {
			return mapispi.ErrInvalidParameter
		}
		if t := x.Tag.Type(); t != mapispi.PtLong && t != mapispi.PtI2 {
			return mapispi.ErrTooComplex
		}
		return 0
	case mapispi.SizeRestriction:
		return relop(x.Relop)
	case mapispi.ExistRestriction:
		return 0
	case mapispi.SubRestriction:
		if x.Object != mapispi.PropMessageRecipients && x.Object != mapispi.PropMessageAttachments {
			return mapispi.ErrInvalidParameter
		}
		return refCheck(x.Res, depth+1)
	case mapispi.CommentRestriction:
		if x.Res == nil {
			return 0
		}
		return refCheck(x.Res, depth+1)
	case *mapispi.CountRestriction:
		return refCheck(x.Res, depth+1)
	}
	return mapispi.ErrInvalidParameter
}

func refFind(row []mapispi.PropValue, tag mapispi.PropTag) (mapispi.PropValue, bool) {
	for _, p := range row {
		same := p.Tag == tag
		if refIsText(tag.Type().Base()) && p.Tag.ID() == tag.ID() && refSame(p.Tag.Type(), tag.Type()) {
			same = true
		}
		if same && refValid(p) {
			return p, true
		}
	}
	return mapispi.PropValue{}, false
}

// refCollator is the reference's English order: x/text/collate's, with
// ties broken by code points (which is UTF-16 order for the vocabulary).
var (
	refCollatorMu sync.Mutex
	refCollator   = collate.New(language.English)
)

func refText(x, y string) int {
	refCollatorMu.Lock()
	c := refCollator.CompareString(x, y)
	refCollatorMu.Unlock()
	if c == 0 {
		c = strings.Compare(x, y)
	}
	return c
}

func refCompare(a, b any) (int, bool) {
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return refText(x, y), ok
	case int32:
		y, ok := b.(int32)
		return int(x) - int(y), ok
	case int16:
		y, ok := b.(int16)
		return int(x) - int(y), ok
	case []byte:
		y, ok := b.([]byte)
		return bytes.Compare(x, y), ok
	case bool:
		y, ok := b.(bool)
		if !ok {
			return 0, false
		}
		if x == y {
			return 0, true
		}
		if x {
			return 1, true
		}
		return -1, true
	case []string:
		y, ok := b.([]string)
		if !ok {
			return 0, false
		}
		for i := 0; i < len(x) && i < len(y); i++ {
			if c := refText(x[i], y[i]); c != 0 {
				return c, true
			}
		}
		return len(x) - len(y), true
	}
	return 0, false
}

func refRelop(op mapispi.Relop, c int) bool {
	return [...]bool{c < 0, c <= 0, c > 0, c >= 0, c == 0, c != 0}[op]
}

func refContains(hay, needle any, level mapispi.FuzzyLevel) bool {
	switch h := hay.(type) {
	case string:
		n, ok := needle.(string)
		if !ok {
			return false
		}
		fold := level&mapispi.FuzzyIgnoreCase != 0
		eq := func(a, b string) bool { return a == b || (fold && strings.EqualFold(a, b)) }
		switch level & 0xFFFF {
		case 1:
			for i := 0; i+len(n) <= len(h); i++ {
				if eq(h[i:i+len(n)], n) {
					return true
				}
			}
			return false
		case 2:
			return len(n) <= len(h) && eq(h[:len(n)], n)
		}
		return eq(h, n)
	case []byte:
		n, ok := needle.([]byte)
		if !ok {
			return false
		}
		switch level & 0xFFFF {
		case 1:
			return bytes.Contains(h, n)
		case 2:
			return bytes.HasPrefix(h, n)
		}
		return bytes.Equal(h, n)
	case []string:
		for _, e := range h {
			if refContains(e, needle, level) {
				return true
			}
		}
	}
	return false
}

func refSize(v mapispi.PropValue) int {
	switch x := v.Value.(type) {
	case string:
		if v.Tag.Type() == mapispi.PtUnicode {
			return 2 * (len([]rune(x)) + 1)
		}
		return len(x) + 1
	case int32:
		return 4
	case int16, bool:
		return 2
	case []byte:
		return len(x)
	case []string:
		n := 0
		for _, s := range x {
			n += 2 * (len([]rune(s)) + 1)
		}
		return n
	}
	return 0
}

func refEval(r mapispi.Restriction, row []mapispi.PropValue) (bool, error) {
	switch x := r.(type) {
	case mapispi.AndRestriction:
		for _, s := range x.Res {
			if ok, err := refEval(s, row); !ok || err != nil {
				return false, err
			}
		}
		return true, nil
	case *mapispi.OrRestriction:
		for _, s := range x.Res {
			if ok, err := refEval(s, row); ok || err != nil {
				return ok, err
			}
		}
		return false, nil
	case mapispi.NotRestriction:
		ok, err := refEval(x.Res, row)
		return !ok && err == nil, err
	case mapispi.ContentRestriction:
		v, ok := refFind(row, x.Tag)
		return ok && refContains(v.Value, x.Prop.Value, x.FuzzyLevel), nil
	case mapispi.PropertyRestriction:
		v, ok := refFind(row, x.Tag)
		if !ok {
			return false, nil
		}
		if vs, many := v.Value.([]string); many && !x.Prop.Tag.Type().IsMultiValued() {
			for _, e := range vs {
				if c, ok := refCompare(e, x.Prop.Value); ok && refRelop(x.Relop, c) {
					return true, nil
				}
			}
			return false, nil
		}
		c, ok := refCompare(v.Value, x.Prop.Value)
		return ok && refRelop(x.Relop, c), nil
	case mapispi.ComparePropsRestriction:
		a, ok1 := refFind(row, x.Tag1)
		b, ok2 := refFind(row, x.Tag2)
		c, ok := refCompare(a.Value, b.Value)
		return ok1 && ok2 && ok && refRelop(x.Relop, c), nil
	case mapispi.BitmaskRestriction:
		v, ok := refFind(row, x.Tag)
		if !ok {
			return false, nil
		}
		var bits uint32
		switch n := v.Value.(type) {
		case int32:
			bits = uint32(n)
		case int16:
			bits = uint32(uint16(n))
		}
		return (bits&x.Mask == 0) == (x.Relop == mapispi.BitmaskEQZ), nil
	case mapispi.SizeRestriction:
		v, ok := refFind(row, x.Tag)
		return ok && refRelop(x.Relop, refSize(v)-int(x.Size)), nil
	case mapispi.ExistRestriction:
		_, ok := refFind(row, x.Tag)
		return ok, nil
	case mapispi.SubRestriction:
		for _, p := range row {
			if p.Tag == x.Object {
				for _, sub := range p.Value.(subRows) {
					if ok, err := refEval(x.Res, sub); ok || err != nil {
						return ok, err
					}
				}
				return false, nil
			}
		}
		return false, refErr{mapispi.ErrTooComplex}
	case mapispi.CommentRestriction:
		if x.Res == nil {
			return true, nil
		}
		return refEval(x.Res, row)
	case *mapispi.CountRestriction:
		if x.Count == 0 {
			return false, nil
		}
		return refEval(x.Res, row)
	}
	panic("unreachable")
}

func (e refErr) Error() string { return e.code.Error() }

func refMatch(r mapispi.Restriction, row []mapispi.PropValue) (bool, mapispi.SCode) {
	if e, ok := r.(*mapispi.ExistRestriction); r == nil || (ok && e == nil) {
		return true, 0
	}
	if c := refCheck(r, 1); c != 0 {
		return false, c
	}
	ok, err := refEval(r, row)
	if err != nil {
		return false, err.(refErr).code
	}
	return ok, 0
}

// FuzzMatch checks Match against the reference evaluator on random
// restrictions and rows.
func FuzzMatch(f *testing.F) {
	f.Add([]byte{3, 0, 1, 5, 1, 2, 2, 2, 2, 2, 2, 2, 2, 1})
	f.Add([]byte{0, 3, 4, 4, 0, 4, 0, 2, 8, 3, 9, 0, 8, 1, 1, 1, 1, 1, 1, 1, 1, 2, 3})
	f.Add([]byte{9, 0, 3, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 2, 2, 2, 2})
	f.Add([]byte{13, 4, 2})
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &gen{data: data}
		r := g.restriction(0)
		row := g.row(0)
		got, err := mapiutil.Match(r, row)
		want, code := refMatch(r, row)
		if code != 0 {
			if !errors.Is(err, code) || got {
				t.Fatalf("Match(%v, %v) = %v, %v, want false, %v", r, row, got, err, code)
			}
			return
		}
		if err != nil || got != want {
			t.Fatalf("Match(%v, %v) = %v, %v, want %v, nil", r, row, got, err, want)
		}
	})
}

// FuzzView drives a view through random rows, restrictions, sort orders
// and changes, and checks its rows against the reference evaluator and a
// plain stable sort after every step.
func FuzzView(f *testing.F) {
	f.Add([]byte{4, 8, 0, 1, 2, 3, 1, 1, 1, 1, 1, 1, 1, 1, 0, 2, 1, 5, 2, 2})
	f.Add([]byte{6, 3, 4, 2, 1, 1, 0, 9, 9, 9, 2, 1, 7, 0, 3, 3, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &gen{data: data}
		td, err := mapiutil.NewTableData(tagKey, []mapispi.PropTag{tagKey})
		if err != nil {
			t.Fatal(err)
		}
		v, err := td.View(nil)
		if err != nil {
			t.Fatal(err)
		}
		model := map[int32][]mapispi.PropValue{}
		var order []int32 // insertion order of the model's keys
		if g.next()%4 == 0 {
			// 150 more rows, which the steps below never change, so that
			// the view's tree has several leaves to split, merge and walk.
			r := rand.New(rand.NewPCG(uint64(len(data)), 1))
			filler := &gen{data: make([]byte, 4096)}
			for i := range filler.data {
				filler.data[i] = byte(r.Uint32())
			}
			for k := int32(100); k < 250; k++ {
				row := append(filler.row(1), mapispi.PropValue{Tag: tagKey, Value: k})
				if slices.ContainsFunc(row, func(p mapispi.PropValue) bool { return !refValid(p) }) {
					continue
				}
				if err := td.ModifyRow(row); err != nil {
					t.Fatalf("ModifyRow(filler) = %v", err)
				}
				model[k] = row
				order = append(order, k)
			}
		}
		var res mapispi.Restriction
		var sorts []mapispi.SortOrder
		for step := 0; step < 12 && len(g.data) > 0; step++ {
			switch g.next() % 5 {
			case 0, 1: // ModifyRow
				k := int32(g.next() % 8)
				row := append(g.row(1), mapispi.PropValue{Tag: tagKey, Value: k})
				bad := slices.ContainsFunc(row, func(p mapispi.PropValue) bool { return !refValid(p) })
				if err := td.ModifyRow(row); bad {
					if !errors.Is(err, mapispi.ErrInvalidParameter) {
						t.Fatalf("ModifyRow(bad value) = %v, want ErrInvalidParameter", err)
					}
					continue
				} else if err != nil {
					t.Fatalf("ModifyRow = %v", err)
				}
				if _, ok := model[k]; !ok {
					order = append(order, k)
				}
				model[k] = row
			case 2: // DeleteRow
				k := int32(g.next() % 8)
				err := td.DeleteRow(keyOf(k))
				if _, ok := model[k]; ok != (err == nil) {
					t.Fatalf("DeleteRow(%d) = %v, model has it: %v", k, err, ok)
				}
				delete(model, k)
				order = slices.DeleteFunc(order, func(x int32) bool { return x == k })
			case 3: // Restrict
				r := g.restriction(2)
				err := v.Restrict(ctx, r)
				var code mapispi.SCode
				if e, ok := r.(*mapispi.ExistRestriction); r != nil && (!ok || e != nil) {
					code = refCheck(r, 1)
					// A restriction that fails on a row fails Restrict.
					for _, k := range order {
						if _, c := refMatch(r, model[k]); code == 0 && c != 0 {
							code = c
						}
					}
				}
				if code != 0 {
					if !errors.Is(err, code) {
						t.Fatalf("Restrict(%v) = %v, want %v", r, err, code)
					}
					continue
				}
				if err != nil {
					t.Fatalf("Restrict(%v) = %v", r, err)
				}
				res = r
				if e, ok := r.(*mapispi.ExistRestriction); ok && e == nil {
					res = nil
				}
			case 4: // SortTable
				s := []mapispi.SortOrder{{Tag: g.tag(), Order: mapispi.SortDirection(g.next() % 2)}}
				if g.next()%2 == 0 {
					s = append(s, mapispi.SortOrder{Tag: g.tag(), Order: mapispi.SortDirection(g.next() % 2)})
				}
				if err := v.SortTable(ctx, mapispi.SortOrderSet{Sorts: s}); err != nil {
					t.Fatalf("SortTable(%v) = %v", s, err)
				}
				sorts = s
			}
			// The expected rows: matching rows in insertion order, sorted
			// stably by the sort columns, rows lacking one last.
			var want []int32
			for _, k := range order {
				ok, code := refMatch(res, model[k])
				if code == 0 && ok {
					want = append(want, k)
				}
			}
			slices.SortStableFunc(want, func(a, b int32) int {
				for _, s := range sorts {
					va, oka := refFind(model[a], s.Tag)
					vb, okb := refFind(model[b], s.Tag)
					switch {
					case !oka && !okb:
						continue
					case !oka:
						return 1
					case !okb:
						return -1
					}
					c := mapiutil.CompareProps(va, vb)
					if s.Order == mapispi.SortDescend {
						c = -c
					}
					if c != 0 {
						return c
					}
				}
				return 0
			})
			got := allKeys(t, v)
			if !slices.Equal(got, want) {
				t.Fatalf("step %d: view rows %v, want %v (restriction %v, sort %v)", step, got, want, res, sorts)
			}
			if n, _ := v.RowCount(ctx); n != len(want) {
				t.Fatalf("RowCount = %d, want %d", n, len(want))
			}
		}
	})
}
