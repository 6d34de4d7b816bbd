package mapiutil_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

var (
	tagImportance        = mapispi.NewPropTag(mapispi.PtLong, 0x0017)
	tagResponseRequested = mapispi.NewPropTag(mapispi.PtBoolean, 0x0063)
)

// TestPropDataNativeSequence replays the IPropData sequence that native
// MAPI's conformance tests record.
func TestPropDataNativeSequence(t *testing.T) {
	ctx := context.Background()
	p := mapiutil.NewPropData()

	if tags, err := p.GetPropList(ctx); err != nil || len(tags) != 0 {
		t.Fatalf("GetPropList(empty) = %v, %v, want [], nil", tags, err)
	}
	got, err := p.GetProps(ctx, []mapispi.PropTag{tagImportance})
	if err != nil || len(got) != 1 || got[0].Tag != tagImportance.WithType(mapispi.PtError) || got[0].Value != mapispi.ErrNotFound {
		t.Fatalf("GetProps(missing) = %v, %v, want one PT_ERROR NOT_FOUND value, nil", got, err)
	}
	for _, bad := range []mapispi.PropValue{
		{Tag: mapispi.NewPropTag(mapispi.PtNull, 1)},
		{Tag: mapispi.NewPropTag(mapispi.PtObject, 1), Value: struct{}{}},
	} {
		if probs, err := p.SetProps(ctx, []mapispi.PropValue{bad}); !errors.Is(err, mapispi.ErrInvalidParameter) || probs != nil {
			t.Errorf("SetProps(%v) = %v, %v, want nil, ErrInvalidParameter", bad.Tag.Type(), probs, err)
		}
	}
	if probs, err := p.SetProps(ctx, []mapispi.PropValue{{Tag: tagImportance, Value: int32(2)}}); err != nil || probs != nil {
		t.Fatalf("SetProps(PR_IMPORTANCE) = %v, %v, want nil, nil", probs, err)
	}
	if tags, _ := p.GetPropList(ctx); !slices.Equal(tags, []mapispi.PropTag{tagImportance}) {
		t.Fatalf("GetPropList = %v, want [PR_IMPORTANCE]", tags)
	}
	if err := p.SetObjAccess(mapiutil.AccessReadWrite); err != nil {
		t.Fatalf("SetObjAccess(READWRITE) = %v", err)
	}
	for _, a := range []mapiutil.Access{0, mapiutil.AccessReadWrite, mapiutil.AccessClean,
		mapiutil.AccessReadOnly | mapiutil.AccessReadWrite | mapiutil.AccessClean} {
		if err := p.SetPropAccess([]mapispi.PropTag{tagImportance}, []mapiutil.Access{a}); !errors.Is(err, mapispi.ErrInvalidParameter) {
			t.Errorf("SetPropAccess(0x%X) = %v, want ErrInvalidParameter", uint32(a), err)
		}
	}
	if err := p.SetPropAccess([]mapispi.PropTag{tagImportance}, []mapiutil.Access{mapiutil.AccessReadWrite | mapiutil.AccessClean}); err != nil {
		t.Fatalf("SetPropAccess(RW|CLEAN) = %v", err)
	}
	if err := p.SetObjAccess(mapiutil.AccessReadOnly); err != nil {
		t.Fatalf("SetObjAccess(READONLY) = %v", err)
	}
	// Property access can still be set on a read-only object.
	if err := p.SetPropAccess([]mapispi.PropTag{tagImportance}, []mapiutil.Access{mapiutil.AccessReadOnly | mapiutil.AccessDirty}); err != nil {
		t.Fatalf("SetPropAccess on a read-only object = %v, want nil", err)
	}
	// A read-only object refuses DeleteProps, even of a missing property.
	if probs, err := p.DeleteProps(ctx, []mapispi.PropTag{tagResponseRequested}); !errors.Is(err, mapispi.ErrNoAccess) || probs != nil {
		t.Errorf("DeleteProps(read-only object) = %v, %v, want nil, ErrNoAccess", probs, err)
	}
	if _, err := p.SetProps(ctx, []mapispi.PropValue{{Tag: tagImportance, Value: int32(1)}}); !errors.Is(err, mapispi.ErrNoAccess) {
		t.Errorf("SetProps(read-only object) = %v, want ErrNoAccess", err)
	}
	if err := p.SetObjAccess(mapiutil.AccessReadWrite); err != nil {
		t.Fatal(err)
	}
	if probs, err := p.DeleteProps(ctx, []mapispi.PropTag{tagResponseRequested}); err != nil || probs != nil {
		t.Errorf("DeleteProps(missing) = %v, %v, want nil, nil", probs, err)
	}
	probs, err := p.DeleteProps(ctx, []mapispi.PropTag{tagImportance})
	want := []mapispi.PropProblem{{Index: 0, Tag: tagImportance, Code: mapispi.ErrNoAccess}}
	if err != nil || !slices.Equal(probs, want) {
		t.Errorf("DeleteProps(read-only property) = %v, %v, want %v, nil", probs, err, want)
	}
	probs, err = p.SetProps(ctx, []mapispi.PropValue{{Tag: tagResponseRequested, Value: true}, {Tag: tagImportance, Value: int32(0)}})
	want = []mapispi.PropProblem{{Index: 1, Tag: tagImportance, Code: mapispi.ErrNoAccess}}
	if err != nil || !slices.Equal(probs, want) {
		t.Errorf("SetProps(read-only property) = %v, %v, want %v, nil", probs, err, want)
	}
	if err := p.SetPropAccess([]mapispi.PropTag{tagImportance}, []mapiutil.Access{mapiutil.AccessReadWrite | mapiutil.AccessDirty}); err != nil {
		t.Fatal(err)
	}
	if probs, err := p.DeleteProps(ctx, []mapispi.PropTag{tagImportance.WithType(mapispi.PtI2)}); err != nil || probs != nil {
		t.Errorf("DeleteProps(read/write, other type) = %v, %v, want nil, nil", probs, err)
	}
	if tags, _ := p.GetPropList(ctx); !slices.Equal(tags, []mapispi.PropTag{tagResponseRequested}) {
		t.Errorf("GetPropList after delete = %v, want [%v]", tags, tagResponseRequested)
	}
	tags, access := p.PropAccess(nil)
	if !slices.Equal(tags, []mapispi.PropTag{tagResponseRequested}) || !slices.Equal(access, []mapiutil.Access{mapiutil.AccessReadWrite | mapiutil.AccessDirty}) {
		t.Errorf("PropAccess(nil) = %v, %v, want the new property read/write and dirty", tags, access)
	}
}

func TestPropDataGetProps(t *testing.T) {
	ctx := context.Background()
	p := mapiutil.NewPropData()
	if got, err := p.GetProps(ctx, nil); err != nil || got != nil {
		t.Errorf("GetProps(nil) on an empty object = %v, %v, want nil, nil", got, err)
	}
	if _, err := p.GetProps(ctx, []mapispi.PropTag{}); !errors.Is(err, mapispi.ErrInvalidParameter) {
		t.Errorf("GetProps([]) = %v, want ErrInvalidParameter", err)
	}
	bin := []byte{1, 2, 3}
	kw := []string{"a", "b"}
	if _, err := p.SetProps(ctx, []mapispi.PropValue{
		{Tag: mapispi.PropEntryID, Value: bin},
		{Tag: mapispi.PropSubject, Value: "hi"},
		{Tag: tagKeyword, Value: kw},
		{Tag: mapispi.PropBody.WithType(mapispi.PtError), Value: mapispi.ErrNotFound}, // skipped
	}); err != nil {
		t.Fatal(err)
	}
	bin[0], kw[0] = 9, "z" // the caller's slices are not stored
	got, err := p.GetProps(ctx, []mapispi.PropTag{
		mapispi.PropEntryID.WithType(mapispi.PtUnspecified),
		mapispi.PropSubject.WithType(mapispi.PtString8),
		tagKeyword,
		mapispi.PropSubject.WithType(mapispi.PtLong),
		mapispi.PropBody,
	})
	if err != nil {
		t.Fatal(err)
	}
	wantTags := []mapispi.PropTag{mapispi.PropEntryID, mapispi.PropSubject.WithType(mapispi.PtString8), tagKeyword,
		mapispi.NewPropTag(mapispi.PtError, mapispi.PropSubject.ID()), mapispi.PropBody.WithType(mapispi.PtError)}
	for i, v := range got {
		if v.Tag != wantTags[i] {
			t.Errorf("GetProps()[%d].Tag = %v, want %v", i, v.Tag, wantTags[i])
		}
	}
	if b := got[0].Value.([]byte); b[0] != 1 {
		t.Errorf("stored binary changed with the caller's slice: %v", b)
	}
	got[0].Value.([]byte)[1] = 7 // changing what GetProps returned changes nothing stored
	again, _ := p.GetProps(ctx, []mapispi.PropTag{mapispi.PropEntryID, tagKeyword})
	if !slices.Equal(again[0].Value.([]byte), []byte{1, 2, 3}) || !slices.Equal(again[1].Value.([]string), []string{"a", "b"}) {
		t.Errorf("GetProps after mutation = %v, want the stored values unchanged", again)
	}
	all, _ := p.GetProps(ctx, nil)
	if len(all) != 3 {
		t.Errorf("GetProps(nil) = %d values, want 3", len(all))
	}
	for _, bad := range [][]mapispi.PropValue{
		nil,
		{{Tag: tagSize, Value: "x"}},
		{{Tag: tagKeyword, Value: []string{}}},
	} {
		if _, err := p.SetProps(ctx, bad); !errors.Is(err, mapispi.ErrInvalidParameter) {
			t.Errorf("SetProps(%v) = %v, want ErrInvalidParameter", bad, err)
		}
	}
	for _, bad := range [][]mapispi.PropTag{nil, {mapispi.NewPropTag(mapispi.PtObject, 5)}, {mapispi.NewPropTag(mapispi.PtSvrEID, 5)}} {
		if _, err := p.DeleteProps(ctx, bad); !errors.Is(err, mapispi.ErrInvalidParameter) {
			t.Errorf("DeleteProps(%v) = %v, want ErrInvalidParameter", bad, err)
		}
	}
	if err := p.SetObjAccess(mapiutil.AccessReadOnly | mapiutil.AccessClean); !errors.Is(err, mapispi.ErrInvalidParameter) {
		t.Errorf("SetObjAccess(READONLY|CLEAN) = %v, want ErrInvalidParameter", err)
	}
	if err := p.SetPropAccess([]mapispi.PropTag{tagSize}, nil); !errors.Is(err, mapispi.ErrInvalidParameter) {
		t.Errorf("SetPropAccess(mismatched lengths) = %v, want ErrInvalidParameter", err)
	}
}

func TestPropDataCopy(t *testing.T) {
	ctx := context.Background()
	src := mapiutil.NewPropData()
	src.SetProps(ctx, []mapispi.PropValue{
		{Tag: mapispi.PropSubject, Value: "s"},
		{Tag: tagSize, Value: int32(3)},
		{Tag: tagFlags, Value: int32(1)},
	})
	dst := mapiutil.NewPropData()
	dst.SetProps(ctx, []mapispi.PropValue{{Tag: tagFlags, Value: int32(0)}})
	dst.SetPropAccess([]mapispi.PropTag{tagFlags}, []mapiutil.Access{mapiutil.AccessReadOnly | mapiutil.AccessClean})

	probs, err := src.CopyTo(ctx, dst, []mapispi.PropTag{tagSize.WithType(mapispi.PtUnspecified)})
	want := []mapispi.PropProblem{{Index: 1, Tag: tagFlags, Code: mapispi.ErrNoAccess}}
	if err != nil || !slices.Equal(probs, want) {
		t.Errorf("CopyTo = %v, %v, want %v, nil", probs, err, want)
	}
	tags, _ := dst.GetPropList(ctx)
	if !slices.Equal(tags, []mapispi.PropTag{tagFlags, mapispi.PropSubject}) {
		t.Errorf("after CopyTo, dst has %v, want PR_MESSAGE_FLAGS and PR_SUBJECT", tags)
	}
	probs, err = src.CopyProps(ctx, dst, []mapispi.PropTag{tagRead, tagFlags, tagSize})
	want = []mapispi.PropProblem{
		{Index: 0, Tag: tagRead, Code: mapispi.ErrNotFound},
		{Index: 1, Tag: tagFlags, Code: mapispi.ErrNoAccess},
	}
	if err != nil || !slices.Equal(probs, want) {
		t.Errorf("CopyProps = %v, %v, want %v, nil", probs, err, want)
	}
	if got, _ := dst.GetProps(ctx, []mapispi.PropTag{tagSize}); got[0].Value != int32(3) {
		t.Errorf("CopyProps did not copy PR_MESSAGE_SIZE: %v", got)
	}
	if _, err := src.CopyTo(ctx, nil, nil); !errors.Is(err, mapispi.ErrInvalidParameter) {
		t.Errorf("CopyTo(nil) = %v, want ErrInvalidParameter", err)
	}
	if _, err := src.CopyProps(ctx, dst, nil); !errors.Is(err, mapispi.ErrInvalidParameter) {
		t.Errorf("CopyProps(no tags) = %v, want ErrInvalidParameter", err)
	}
	dst.SetObjAccess(mapiutil.AccessReadOnly)
	if _, err := src.CopyProps(ctx, dst, []mapispi.PropTag{tagSize}); !errors.Is(err, mapispi.ErrNoAccess) {
		t.Errorf("CopyProps to a read-only object = %v, want ErrNoAccess", err)
	}
}
