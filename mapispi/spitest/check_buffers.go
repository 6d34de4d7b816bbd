package spitest

import (
	"slices"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
)

// overwrite fills buf with other's bytes when they fit exactly, else
// inverts it: what a caller may do with its buffer once a call returned.
func overwrite(buf, other []byte) {
	if len(buf) == len(other) {
		copy(buf, other)
		return
	}
	for i := range buf {
		buf[i] = ^buf[i]
	}
}

// namesStore checks that the store's PR_ENTRYID (wrapped or not) still
// names the i-th store.
func (e *env) namesStore(p mapispi.MSProvider, st mapispi.MsgStore, i int, when string) {
	vals, err := st.GetProps(e.ctx, []mapispi.PropTag{mapispi.PropEntryID})
	if err != nil || len(vals) != 1 {
		e.errorf("%s, GetProps(PR_ENTRYID) = %v, %v", when, vals, err)
		return
	}
	b, _ := vals[0].Value.([]byte)
	inner, err := entryid.UnwrapView(b)
	if err != nil {
		inner = b
	}
	if same, err := p.CompareStoreIDs(inner.Clone(), e.store(i).id.Clone()); err != nil || !same {
		e.errorf("%s, the store's PR_ENTRYID %X no longer names it (CompareStoreIDs = %v, %v)", when, b, same, err)
	}
}

func checkBuffersNotKept(e *env) {
	s := e.session(2, sessOpts{})
	p := e.provider(s, 0)
	id, other := e.store(0).id, e.store(1).id

	// Logon's entry ID.
	buf := id.Clone()
	res, err := e.rawLogon(s, p, e.support(s, e.store(0).svc.Name, false), buf, rw)
	if err != nil {
		e.fatalf("precondition: Logon(%v) failed: %w", rw, err)
	}
	token := s.take(res.SpoolSecurity)
	name := displayName(e.ctx, res.Store)
	overwrite(buf, other)
	const afterLogon = "after the kit overwrote the entry ID it passed to Logon"
	e.namesStore(p, res.Store, 0, afterLogon)
	if got := displayName(e.ctx, res.Store); got != name {
		e.errorf("%s, the store's PR_DISPLAY_NAME changed from %q to %q", afterLogon, name, got)
	}
	if l, err := e.logon(s, 1, rw); err != nil {
		e.errorf("%s, Logon of another store with those bytes failed: %v", afterLogon, err)
	} else if same, known := sameObject(l.st, res.Store); known && same {
		e.errorf("%s, Logon of another store with those bytes returned the first store", afterLogon)
	}
	if l, err := e.logon(s, 0, rw); err != nil {
		e.errorf("%s, Logon of the store again failed: %v", afterLogon, err)
	} else if same, known := sameObject(l.st, res.Store); known && !same {
		e.errorf("%s, Logon of the store again gave another MsgStore: the provider lost track of it", afterLogon)
	}

	// SpoolerLogon's entry ID and spool security data.
	sp := e.session(2, sessOpts{})
	spp := e.provider(sp, 0)
	ib, tb := id.Clone(), slices.Clone(token)
	if l, err := e.spoolerLogon(sp, spp, 0, ib, tb); err == nil {
		overwrite(ib, other)
		overwrite(tb, nil)
		e.namesStore(spp, l.st, 0, "after the kit overwrote the entry ID and spool security data it passed to SpoolerLogon")
	}

	// SetProps' values.
	const renamed = "spitest renamed"
	vals := []mapispi.PropValue{{Tag: mapispi.PropDisplayName, Value: renamed}}
	if probs, err := res.Store.SetProps(e.ctx, vals); err == nil && len(probs) == 0 {
		vals[0] = mapispi.PropValue{Tag: mapispi.PropDisplayName, Value: "spitest overwritten"}
		if got := displayName(e.ctx, res.Store); got != renamed {
			e.errorf("after the kit overwrote the values it passed to SetProps, PR_DISPLAY_NAME = %q, want %q", got, renamed)
		}
	}
}

// propObject is an object whose properties the kit checks.
type propObject struct {
	what string
	obj  mapispi.Properties
}

// propObjects returns the store of l and, when it opens, its status object.
func (e *env) propObjects(l *logon) []propObject {
	objs := []propObject{{"the store", l.st}}
	if st, err := l.ml.OpenStatusEntry(e.ctx, 0); err == nil && st != nil {
		objs = append(objs, propObject{"the status object", st})
	}
	return objs
}

func checkReturnedSlicesOwned(e *env) {
	s := e.session(1, sessOpts{})
	l := e.mustLogon(s, 0, rw)
	for _, o := range e.propObjects(l) {
		list, err := o.obj.GetPropList(e.ctx)
		if err != nil {
			e.errorf("%s's GetPropList: %v", o.what, err)
			continue
		}
		list = slices.Clone(list)
		for _, tags := range [][]mapispi.PropTag{nil, list} {
			v1, err := o.obj.GetProps(e.ctx, slices.Clone(tags))
			if err != nil {
				e.errorf("%s's GetProps: %v", o.what, err)
				continue
			}
			v1 = cloneValues(v1)
			v2, _ := o.obj.GetProps(e.ctx, slices.Clone(tags))
			stable := stableTags(v1, v2)
			scribbleValues(v2)
			v3, err := o.obj.GetProps(e.ctx, slices.Clone(tags))
			if err != nil {
				e.errorf("%s's GetProps: %v", o.what, err)
				continue
			}
			if ch := changed(stable, v3); len(ch) > 0 {
				what := "GetProps(nil)"
				if tags != nil {
					what = "GetProps(GetPropList())"
				}
				e.errorf("after the kit changed the slices %s's %s returned, the same call returns other values for %v", o.what, what, ch)
			}
		}
		t2, err := o.obj.GetPropList(e.ctx)
		if err != nil || !slices.Equal(t2, list) {
			continue // not stable: nothing to compare
		}
		for i := range t2 {
			t2[i] = mapispi.PropNull
		}
		if t3, err := o.obj.GetPropList(e.ctx); err == nil && !slices.Equal(t3, list) {
			e.errorf("after the kit changed the slice %s's GetPropList returned, GetPropList returns %v, want %v", o.what, t3, list)
		}
	}
}

func checkGetPropsMatchesGetPropList(e *env) {
	s := e.session(1, sessOpts{})
	l := e.mustLogon(s, 0, rw)
	for _, o := range e.propObjects(l) {
		list, err := o.obj.GetPropList(e.ctx)
		if err != nil {
			e.errorf("%s's GetPropList: %v", o.what, err)
			continue
		}
		list = slices.Clone(list)
		all, err := o.obj.GetProps(e.ctx, nil)
		if err != nil {
			e.errorf("%s's GetProps(nil): %v", o.what, err)
			continue
		}
		all = cloneValues(all)
		again, _ := o.obj.GetProps(e.ctx, nil)
		stable := stableTags(all, again)
		listed := make(map[uint16]bool)
		for _, t := range list {
			listed[t.ID()] = true
		}
		got := make(map[uint16]bool)
		for _, v := range all {
			got[v.Tag.ID()] = true
			if !listed[v.Tag.ID()] {
				e.errorf("%s's GetProps(nil) returns %v, which GetPropList %v does not list", o.what, v.Tag, list)
			}
			if v.Tag.Type() != mapispi.PtError {
				if err := v.Check(); err != nil {
					e.errorf("%s's GetProps(nil) returns %v: %v", o.what, v, err)
				}
			}
		}
		for _, t := range list {
			if !got[t.ID()] {
				e.errorf("%s's GetPropList lists %v, which GetProps(nil) does not return", o.what, t)
			}
		}
		byList, err := o.obj.GetProps(e.ctx, slices.Clone(list))
		if err != nil || len(byList) != len(list) {
			e.errorf("%s's GetProps(GetPropList()) = %d values, %v; want %d", o.what, len(byList), err, len(list))
			continue
		}
		for i, v := range byList {
			if v.Tag.ID() != list[i].ID() {
				e.errorf("%s's GetProps(GetPropList()) value %d is %v, want %v", o.what, i, v.Tag, list[i])
				continue
			}
			if w, ok := stable[v.Tag]; ok && changed(map[mapispi.PropTag]mapispi.PropValue{v.Tag: w}, []mapispi.PropValue{v}) != nil {
				e.errorf("%s's GetProps(GetPropList()) gives %v, GetProps(nil) %v", o.what, v, w)
			}
		}
	}
}
