package mapiutil

import (
	"cmp"
	"errors"
	"fmt"
	"time"

	"github.com/mapiemu/mapiemu/mapispi"
)

// SubRows supplies the rows a RES_SUBRESTRICTION searches: a message's
// recipients or attachments. Match finds it as the Value of the row's
// PT_OBJECT property named by the restriction's Object
// (mapispi.PropMessageRecipients or mapispi.PropMessageAttachments), the
// way a message exposes its recipient and attachment tables as PT_OBJECT
// properties.
//
// When a view of a TableData evaluates its restriction for a change
// (every ModifyRow while the view is open, and SetColumns or SortTable
// when they expand MVI rows anew), SubRows runs with that TableData's
// lock held: it must not call the TableData or its views, or the call
// never returns. It should return rows it already holds. Restrict and
// FindRow call it without the lock. A
// source that fails or panics fails the evaluation with ErrCallFailed
// (the panic is recovered), and a view's row whose evaluation fails is
// hidden.
type SubRows interface {
	SubRows() ([]mapispi.Row, error)
}

// Match reports whether row satisfies r, as IMAPITable::Restrict and
// FindRow evaluate it. A nil r (no restriction) matches every row.
//
// r is checked whole before any row value is read, so a bad restriction
// fails whatever the row holds:
//   - ErrInvalidParameter: a nil restriction inside another, a kind
//     MAPIDefS.h does not define, an undefined relop or BMR, a fuzzy
//     level whose low word is not FL_FULLSTRING, FL_SUBSTRING or
//     FL_PREFIX, a value that does not match its own tag, or a
//     sub-restriction on anything but recipients or attachments.
//   - ErrTooComplex: RELOP_RE; a restriction nested more than
//     mapispi.MaxRestrictionDepth levels deep (which catches cycles of
//     shared sub-restrictions); types that do not agree (RES_CONTENT on a
//     type that is not a string or binary, or whose value has another
//     type; RES_PROPERTY whose value's type is neither the column's nor,
//     for a multi-valued column, its element type; RES_COMPAREPROPS on
//     two types; RES_BITMASK on a type that is not an integer); and a
//     RES_SUBRESTRICTION reached on a row without a SubRows source.
//
// Rows are evaluated as MAPI defines:
//   - A property the row lacks, or holds only as a PT_ERROR value, makes
//     RES_PROPERTY, RES_CONTENT, RES_COMPAREPROPS, RES_BITMASK and
//     RES_SIZE false (MAPI leaves these undefined; this is the reading
//     clients rely on when they AND them with RES_EXIST); RES_EXIST
//     checks presence. A row value whose Go type does not match its tag
//     counts as absent.
//   - The 8-bit and Unicode forms of a string property find each other,
//     since Go holds both as strings; a PT_UNSPECIFIED tag finds its ID
//     with any type.
//   - A multi-valued column compared with a value of its element type
//     matches when any element does (RES_PROPERTY, RES_CONTENT); with a
//     multi-valued value it compares as an ordered tuple.
//   - RES_AND of nothing is true and RES_OR of nothing false; RES_COMMENT
//     is its restriction, or true without one.
//   - RES_COUNT is its restriction, or false for a count of 0. The
//     SCountRestriction page gives ulCount as the most times the
//     restriction may match while it is evaluated (and lets an
//     implementation without count restrictions refuse them with
//     MAPI_E_TOO_COMPLEX); [MS-OXCDATA] 2.12.12 calls it the limit on the
//     number of matches returned. That limit counts matches across the
//     rows of one evaluation, in an order and with a short-circuiting of
//     RES_AND and RES_OR that neither source defines, so it is not a
//     property of one row, and a view that follows changes to its table
//     has no single evaluation to count in. Match and the views therefore
//     apply only the part that one row decides.
//   - RES_SIZE compares PropSize of the value.
//
// Match does not allocate for restrictions other than RES_SUBRESTRICTION
// and FL_IGNORENONSPACE content restrictions.
func Match(r mapispi.Restriction, row []mapispi.PropValue) (bool, error) {
	return match(r, row, defaultCollation)
}

func match(r mapispi.Restriction, row []mapispi.PropValue, coll *Collation) (bool, error) {
	if isNilRestriction(r) {
		return true, nil
	}
	if err := validate(r, 1); err != nil {
		return false, err
	}
	return eval(r, rowSource{props: row, coll: coll}, 1)
}

// rowSource is a row as a restriction sees it: for a view's row, its
// PR_INSTANCE_KEY and extra values (an MVI column's instance) in front of
// the row's own; and the order of strings.
type rowSource struct {
	id    *rowID
	extra []mapispi.PropValue
	props []mapispi.PropValue
	coll  *Collation
}

// find returns the value a restriction on tag sees, if the row has one.
func (s rowSource) find(tag mapispi.PropTag) (mapispi.PropValue, bool) {
	if s.id != nil && tag.ID() == mapispi.PropInstanceKey.ID() {
		if v, ok := findIn([]mapispi.PropValue{s.id.instanceKey()}, tag); ok {
			return v, true
		}
	}
	if v, ok := findIn(s.extra, tag); ok {
		return v, true
	}
	return findIn(s.props, tag)
}

func findIn(props []mapispi.PropValue, tag mapispi.PropTag) (mapispi.PropValue, bool) {
	var alt mapispi.PropTag
	if t := tag.Type(); isString(t) {
		alt = tag.WithType(t ^ (mapispi.PtString8 ^ mapispi.PtUnicode))
	}
	for _, p := range props {
		if p.Tag == tag || (alt != 0 && p.Tag == alt) ||
			(tag.Type() == mapispi.PtUnspecified && p.Tag.ID() == tag.ID() && p.Tag.Type() != mapispi.PtError) {
			if p.Tag.Type() == mapispi.PtError && tag.Type() != mapispi.PtError {
				continue
			}
			if !validValue(p) {
				continue
			}
			return p, true
		}
	}
	return mapispi.PropValue{}, false
}

func matchErr(code mapispi.SCode, format string, args ...any) error {
	return mapispi.Errorf(code, "mapiutil", "Match: "+format, args...)
}

// isNilRestriction reports whether r is nil or a nil pointer to a
// restriction struct.
func isNilRestriction(r mapispi.Restriction) bool {
	switch x := r.(type) {
	case nil:
		return true
	case *mapispi.AndRestriction:
		return x == nil
	case *mapispi.OrRestriction:
		return x == nil
	case *mapispi.NotRestriction:
		return x == nil
	case *mapispi.ContentRestriction:
		return x == nil
	case *mapispi.PropertyRestriction:
		return x == nil
	case *mapispi.ComparePropsRestriction:
		return x == nil
	case *mapispi.BitmaskRestriction:
		return x == nil
	case *mapispi.SizeRestriction:
		return x == nil
	case *mapispi.ExistRestriction:
		return x == nil
	case *mapispi.SubRestriction:
		return x == nil
	case *mapispi.CommentRestriction:
		return x == nil
	case *mapispi.CountRestriction:
		return x == nil
	}
	return false
}

// MaxRestrictionNodes bounds how many restriction nodes Match, Restrict
// and FindRow visit in one restriction, counting a sub-restriction shared
// by several parents once per parent: a small acyclic structure that
// shares its parts (And{r, r} nested 40 deep) stands for 2^40 nodes, and
// is refused with ErrTooComplex instead of being walked.
const MaxRestrictionNodes = 1 << 16

// validate checks r (not nil) and every restriction below it: the
// nesting depth, the number of nodes and each node's form.
func validate(r mapispi.Restriction, depth int) error {
	budget := MaxRestrictionNodes
	return validateNode(r, depth, &budget)
}

// validateNode checks r at nesting level depth, spending one node of
// *budget.
func validateNode(r mapispi.Restriction, depth int, budget *int) error {
	if depth > mapispi.MaxRestrictionDepth {
		return matchErr(mapispi.ErrTooComplex, "restriction nested deeper than %d levels", mapispi.MaxRestrictionDepth)
	}
	if *budget--; *budget < 0 {
		return matchErr(mapispi.ErrTooComplex, "restriction of more than %d nodes (shared sub-restrictions count once per parent)", MaxRestrictionNodes)
	}
	if isNilRestriction(r) {
		return matchErr(mapispi.ErrInvalidParameter, "nil restriction inside a %s", "restriction")
	}
	sub := func(r mapispi.Restriction) error { return validateNode(r, depth+1, budget) }
	switch x := r.(type) {
	case mapispi.AndRestriction:
		return validateList(x.Res, sub)
	case *mapispi.AndRestriction:
		return validateList(x.Res, sub)
	case mapispi.OrRestriction:
		return validateList(x.Res, sub)
	case *mapispi.OrRestriction:
		return validateList(x.Res, sub)
	case mapispi.NotRestriction:
		return sub(x.Res)
	case *mapispi.NotRestriction:
		return sub(x.Res)
	case mapispi.ContentRestriction:
		return validateContent(&x)
	case *mapispi.ContentRestriction:
		return validateContent(x)
	case mapispi.PropertyRestriction:
		return validateProperty(&x)
	case *mapispi.PropertyRestriction:
		return validateProperty(x)
	case mapispi.ComparePropsRestriction:
		return validateCompare(&x)
	case *mapispi.ComparePropsRestriction:
		return validateCompare(x)
	case mapispi.BitmaskRestriction:
		return validateBitmask(&x)
	case *mapispi.BitmaskRestriction:
		return validateBitmask(x)
	case mapispi.SizeRestriction:
		return validateRelop(x.Relop)
	case *mapispi.SizeRestriction:
		return validateRelop(x.Relop)
	case mapispi.ExistRestriction, *mapispi.ExistRestriction:
		return nil
	case mapispi.SubRestriction:
		return validateSub(&x, sub)
	case *mapispi.SubRestriction:
		return validateSub(x, sub)
	case mapispi.CommentRestriction:
		if x.Res == nil {
			return nil
		}
		return sub(x.Res)
	case *mapispi.CommentRestriction:
		if x.Res == nil {
			return nil
		}
		return sub(x.Res)
	case mapispi.CountRestriction:
		return sub(x.Res)
	case *mapispi.CountRestriction:
		return sub(x.Res)
	}
	return matchErr(mapispi.ErrInvalidParameter, "%T is not a restriction kind MAPIDefS.h defines", r)
}

func validateList(rs []mapispi.Restriction, sub func(mapispi.Restriction) error) error {
	for _, r := range rs {
		if err := sub(r); err != nil {
			return err
		}
	}
	return nil
}

func validateRelop(op mapispi.Relop) error {
	if !op.Valid() {
		return matchErr(mapispi.ErrInvalidParameter, "relop %v is undefined", op)
	}
	if op == mapispi.RelopRE {
		return matchErr(mapispi.ErrTooComplex, "RELOP_RE (regular expressions) is not evaluated")
	}
	return nil
}

func validateValue(v mapispi.PropValue) error {
	if !validValue(v) {
		return matchErr(mapispi.ErrInvalidParameter, "restriction value %v holds %T, not a value of its type", v.Tag, v.Value)
	}
	return nil
}

// columnTakes reports whether a column of type col can be compared with
// a value of type val: the same type, or a multi-valued column's element
// type.
func columnTakes(col, val mapispi.PropType) bool {
	return sameType(col, val) || (col.IsMultiValued() && !val.IsMultiValued() && sameType(col.Base(), val))
}

func validateContent(x *mapispi.ContentRestriction) error {
	if m := x.FuzzyLevel.Match(); m > mapispi.FuzzyPrefix {
		return matchErr(mapispi.ErrInvalidParameter, "fuzzy level %v: the low word must be FL_FULLSTRING, FL_SUBSTRING or FL_PREFIX", x.FuzzyLevel)
	}
	if err := validateValue(x.Prop); err != nil {
		return err
	}
	vt := valueType(x.Prop.Tag)
	if b := vt; b != mapispi.PtBinary && !isString(b) || vt.IsMultiValued() {
		return matchErr(mapispi.ErrTooComplex, "RES_CONTENT on %v: only string and binary values", x.Prop.Tag.Type())
	}
	if !columnTakes(valueType(x.Tag), vt) {
		return matchErr(mapispi.ErrTooComplex, "RES_CONTENT: column %v and value %v have different types", x.Tag, x.Prop.Tag)
	}
	return nil
}

func validateProperty(x *mapispi.PropertyRestriction) error {
	if err := validateRelop(x.Relop); err != nil {
		return err
	}
	if err := validateValue(x.Prop); err != nil {
		return err
	}
	if !columnTakes(valueType(x.Tag), valueType(x.Prop.Tag)) {
		return matchErr(mapispi.ErrTooComplex, "RES_PROPERTY: column %v and value %v have different types", x.Tag, x.Prop.Tag)
	}
	return nil
}

func validateCompare(x *mapispi.ComparePropsRestriction) error {
	if err := validateRelop(x.Relop); err != nil {
		return err
	}
	if !sameType(valueType(x.Tag1), valueType(x.Tag2)) {
		return matchErr(mapispi.ErrTooComplex, "RES_COMPAREPROPS: %v and %v have different types", x.Tag1, x.Tag2)
	}
	return nil
}

func validateBitmask(x *mapispi.BitmaskRestriction) error {
	if x.Relop != mapispi.BitmaskEQZ && x.Relop != mapispi.BitmaskNEZ {
		return matchErr(mapispi.ErrInvalidParameter, "relBMR %v is undefined", x.Relop)
	}
	switch valueType(x.Tag) {
	case mapispi.PtLong, mapispi.PtI2, mapispi.PtI8:
		return nil
	}
	return matchErr(mapispi.ErrTooComplex, "RES_BITMASK on %v: only integer properties", x.Tag)
}

func validateSub(x *mapispi.SubRestriction, sub func(mapispi.Restriction) error) error {
	if x.Object != mapispi.PropMessageRecipients && x.Object != mapispi.PropMessageAttachments {
		return matchErr(mapispi.ErrInvalidParameter, "RES_SUBRESTRICTION on %v: only PR_MESSAGE_RECIPIENTS or PR_MESSAGE_ATTACHMENTS", x.Object)
	}
	return sub(x.Res)
}

// eval evaluates a validated restriction against a row.
func eval(r mapispi.Restriction, row rowSource, depth int) (bool, error) {
	switch x := r.(type) {
	case mapispi.AndRestriction:
		return evalAnd(x.Res, row, depth)
	case *mapispi.AndRestriction:
		return evalAnd(x.Res, row, depth)
	case mapispi.OrRestriction:
		return evalOr(x.Res, row, depth)
	case *mapispi.OrRestriction:
		return evalOr(x.Res, row, depth)
	case mapispi.NotRestriction:
		ok, err := eval(x.Res, row, depth+1)
		return !ok && err == nil, err
	case *mapispi.NotRestriction:
		ok, err := eval(x.Res, row, depth+1)
		return !ok && err == nil, err
	case mapispi.ContentRestriction:
		return evalContent(&x, row), nil
	case *mapispi.ContentRestriction:
		return evalContent(x, row), nil
	case mapispi.PropertyRestriction:
		return evalProperty(&x, row), nil
	case *mapispi.PropertyRestriction:
		return evalProperty(x, row), nil
	case mapispi.ComparePropsRestriction:
		return evalCompare(&x, row), nil
	case *mapispi.ComparePropsRestriction:
		return evalCompare(x, row), nil
	case mapispi.BitmaskRestriction:
		return evalBitmask(&x, row), nil
	case *mapispi.BitmaskRestriction:
		return evalBitmask(x, row), nil
	case mapispi.SizeRestriction:
		return evalSize(&x, row), nil
	case *mapispi.SizeRestriction:
		return evalSize(x, row), nil
	case mapispi.ExistRestriction:
		_, ok := row.find(x.Tag)
		return ok, nil
	case *mapispi.ExistRestriction:
		_, ok := row.find(x.Tag)
		return ok, nil
	case mapispi.SubRestriction:
		return evalSub(&x, row, depth)
	case *mapispi.SubRestriction:
		return evalSub(x, row, depth)
	case mapispi.CommentRestriction:
		if x.Res == nil {
			return true, nil
		}
		return eval(x.Res, row, depth+1)
	case *mapispi.CommentRestriction:
		if x.Res == nil {
			return true, nil
		}
		return eval(x.Res, row, depth+1)
	case mapispi.CountRestriction:
		return evalCount(x.Count, x.Res, row, depth)
	case *mapispi.CountRestriction:
		return evalCount(x.Count, x.Res, row, depth)
	}
	return false, matchErr(mapispi.ErrInvalidParameter, "%T is not a restriction kind MAPIDefS.h defines", r)
}

func evalAnd(rs []mapispi.Restriction, row rowSource, depth int) (bool, error) {
	for _, r := range rs {
		if ok, err := eval(r, row, depth+1); !ok || err != nil {
			return false, err
		}
	}
	return true, nil
}

func evalOr(rs []mapispi.Restriction, row rowSource, depth int) (bool, error) {
	for _, r := range rs {
		if ok, err := eval(r, row, depth+1); ok || err != nil {
			return ok && err == nil, err
		}
	}
	return false, nil
}

func evalCount(n uint32, r mapispi.Restriction, row rowSource, depth int) (bool, error) {
	if n == 0 {
		return false, nil
	}
	return eval(r, row, depth+1)
}

func evalContent(x *mapispi.ContentRestriction, row rowSource) bool {
	v, ok := row.find(x.Tag)
	if !ok {
		return false
	}
	switch vals := v.Value.(type) {
	case []string:
		for _, e := range vals {
			if containsValue(e, x.Prop.Value, x.FuzzyLevel) {
				return true
			}
		}
		return false
	case [][]byte:
		for _, e := range vals {
			if containsValue(e, x.Prop.Value, x.FuzzyLevel) {
				return true
			}
		}
		return false
	}
	return containsValue(v.Value, x.Prop.Value, x.FuzzyLevel)
}

func evalProperty(x *mapispi.PropertyRestriction, row rowSource) bool {
	v, ok := row.find(x.Tag)
	if !ok {
		return false
	}
	if valueType(v.Tag).IsMultiValued() && !valueType(x.Prop.Tag).IsMultiValued() {
		return anyElement(v.Value, func(e any) bool {
			c, ok := compareValues(e, x.Prop.Value, row.coll)
			return ok && relopHolds(x.Relop, c)
		})
	}
	c, ok := compareValues(v.Value, x.Prop.Value, row.coll)
	return ok && relopHolds(x.Relop, c)
}

// anyElement reports whether f holds for an element of a multi-valued
// value.
func anyElement(mv any, f func(any) bool) bool {
	switch s := mv.(type) {
	case []int16:
		return anyOf(s, f)
	case []int32:
		return anyOf(s, f)
	case []int64:
		return anyOf(s, f)
	case []float32:
		return anyOf(s, f)
	case []float64:
		return anyOf(s, f)
	case []string:
		return anyOf(s, f)
	case [][]byte:
		return anyOf(s, f)
	case []mapispi.UID:
		return anyOf(s, f)
	}
	if s, ok := mv.([]time.Time); ok {
		return anyOf(s, f)
	}
	return false
}

func anyOf[T any](s []T, f func(any) bool) bool {
	for _, e := range s {
		if f(e) {
			return true
		}
	}
	return false
}

func evalCompare(x *mapispi.ComparePropsRestriction, row rowSource) bool {
	a, ok1 := row.find(x.Tag1)
	b, ok2 := row.find(x.Tag2)
	if !ok1 || !ok2 {
		return false
	}
	c, ok := compareValues(a.Value, b.Value, row.coll)
	return ok && relopHolds(x.Relop, c)
}

func evalBitmask(x *mapispi.BitmaskRestriction, row rowSource) bool {
	v, ok := row.find(x.Tag)
	if !ok {
		return false
	}
	var bits uint32
	switch n := v.Value.(type) {
	case int32:
		bits = uint32(n)
	case int16:
		bits = uint32(uint16(n))
	case int64:
		bits = uint32(n)
	default:
		return false
	}
	if x.Relop == mapispi.BitmaskEQZ {
		return bits&x.Mask == 0
	}
	return bits&x.Mask != 0
}

func evalSize(x *mapispi.SizeRestriction, row rowSource) bool {
	v, ok := row.find(x.Tag)
	if !ok {
		return false
	}
	return relopHolds(x.Relop, cmp.Compare(int64(PropSize(v)), int64(x.Size)))
}

func evalSub(x *mapispi.SubRestriction, row rowSource, depth int) (bool, error) {
	var src SubRows
	for _, p := range row.props {
		if p.Tag == x.Object {
			src, _ = p.Value.(SubRows)
			break
		}
	}
	if src == nil {
		return false, matchErr(mapispi.ErrTooComplex, "RES_SUBRESTRICTION: the row has no %v to search", x.Object)
	}
	rows, err := subRowsOf(src)
	if err != nil {
		var se *mapispi.Error
		if errors.As(err, &se) {
			return false, err
		}
		return false, &mapispi.Error{Code: mapispi.ErrCallFailed, Component: "mapiutil",
			Message: "Match: RES_SUBRESTRICTION: reading " + x.Object.String(), Err: err}
	}
	for _, sr := range rows {
		ok, err := eval(x.Res, rowSource{props: sr, coll: row.coll}, depth+1)
		if err != nil || ok {
			return ok && err == nil, err
		}
	}
	return false, nil
}

// copyRestriction returns a copy of r that shares no memory a caller
// could change (slices, values, pointers), for a view to keep. It walks
// at most as far as validate does: past MaxRestrictionDepth levels or
// MaxRestrictionNodes nodes it keeps the rest of r as it is, which
// validate then refuses, so that a cyclic or huge r costs bounded work.
func copyRestriction(r mapispi.Restriction) mapispi.Restriction {
	budget := MaxRestrictionNodes
	return copyNode(r, 1, &budget)
}

func copyNode(r mapispi.Restriction, depth int, budget *int) mapispi.Restriction {
	if depth > mapispi.MaxRestrictionDepth || *budget <= 0 || isNilRestriction(r) {
		return r
	}
	*budget--
	sub := func(r mapispi.Restriction) mapispi.Restriction { return copyNode(r, depth+1, budget) }
	list := func(rs []mapispi.Restriction) []mapispi.Restriction {
		out := make([]mapispi.Restriction, len(rs))
		for i, r := range rs {
			out[i] = sub(r)
		}
		return out
	}
	switch x := r.(type) {
	case mapispi.AndRestriction:
		return mapispi.AndRestriction{Res: list(x.Res)}
	case *mapispi.AndRestriction:
		return mapispi.AndRestriction{Res: list(x.Res)}
	case mapispi.OrRestriction:
		return mapispi.OrRestriction{Res: list(x.Res)}
	case *mapispi.OrRestriction:
		return mapispi.OrRestriction{Res: list(x.Res)}
	case mapispi.NotRestriction:
		return mapispi.NotRestriction{Res: sub(x.Res)}
	case *mapispi.NotRestriction:
		return mapispi.NotRestriction{Res: sub(x.Res)}
	case mapispi.ContentRestriction:
		x.Prop = cloneProp(x.Prop)
		return x
	case *mapispi.ContentRestriction:
		c := *x
		c.Prop = cloneProp(c.Prop)
		return c
	case mapispi.PropertyRestriction:
		x.Prop = cloneProp(x.Prop)
		return x
	case *mapispi.PropertyRestriction:
		c := *x
		c.Prop = cloneProp(c.Prop)
		return c
	case *mapispi.ComparePropsRestriction:
		return *x
	case *mapispi.BitmaskRestriction:
		return *x
	case *mapispi.SizeRestriction:
		return *x
	case *mapispi.ExistRestriction:
		return *x
	case mapispi.SubRestriction:
		return mapispi.SubRestriction{Object: x.Object, Res: sub(x.Res)}
	case *mapispi.SubRestriction:
		return mapispi.SubRestriction{Object: x.Object, Res: sub(x.Res)}
	case mapispi.CommentRestriction: // its Props are not evaluated, so not kept
		return mapispi.CommentRestriction{Res: sub(x.Res)}
	case *mapispi.CommentRestriction:
		return mapispi.CommentRestriction{Res: sub(x.Res)}
	case mapispi.CountRestriction:
		return mapispi.CountRestriction{Count: x.Count, Res: sub(x.Res)}
	case *mapispi.CountRestriction:
		return mapispi.CountRestriction{Count: x.Count, Res: sub(x.Res)}
	}
	return r // value forms of the leaf kinds hold no shared memory
}

// subRowsOf calls src, turning a panic into an error: a source is called
// while a table's lock is held, and its bug must not leave the lock held
// or the table half changed.
func subRowsOf(src SubRows) (rows []mapispi.Row, err error) {
	defer func() {
		if p := recover(); p != nil {
			rows, err = nil, fmt.Errorf("SubRows panicked: %v", p)
		}
	}()
	return src.SubRows()
}
