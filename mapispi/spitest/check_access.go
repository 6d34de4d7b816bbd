package spitest

import (
	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
)

func checkLogonReadOnly(e *env) {
	// No MDB_WRITE: the default access is read-only.
	s := e.session(1, sessOpts{})
	l := e.mustLogon(s, 0, mapispi.LogonNoDialog)
	e.mustBeReadOnly("a logon without MDB_WRITE", l.st)

	// MDB_WRITE on a store that cannot be written: it still opens, read-only.
	ro := e.readOnlyStore()
	if ro == nil {
		return
	}
	s = e.session(0, sessOpts{extra: []mapi.Service{ro.svc}})
	p := e.providerOf(s, ro.svc.Name)
	res, err := e.rawLogon(s, p, e.support(s, ro.svc.Name, false), ro.id.Clone(), rw)
	if err != nil {
		e.errorf("Logon(%v) of a store that cannot be written: %v, want a read-only store: MDB_WRITE requests write access and may not get it", rw, err)
		return
	}
	s.take(res.SpoolSecurity)
	e.mustBeReadOnly("a logon with MDB_WRITE of a store that cannot be written", res.Store)
}

// mustBeReadOnly checks that st is open read-only: PR_STORE_SUPPORT_MASK
// says so, and SetProps and DeleteProps fail with ErrNoAccess, changing
// nothing.
func (e *env) mustBeReadOnly(what string, st mapispi.MsgStore) {
	vals, err := st.GetProps(e.ctx, []mapispi.PropTag{mapispi.PropStoreSupportMask, mapispi.PropDisplayName})
	if err != nil || len(vals) != 2 {
		e.errorf("%s: GetProps(PR_STORE_SUPPORT_MASK, PR_DISPLAY_NAME) = %d values, %v", what, len(vals), err)
		return
	}
	mask, ok := vals[0].Value.(int32)
	switch m := mapispi.StoreSupportMask(mask); {
	case !ok:
		e.errorf("%s: the store has no PR_STORE_SUPPORT_MASK (%v)", what, vals[0])
	case m&(mapispi.StoreModifyOK|mapispi.StoreCreateOK) != 0 || m&mapispi.StoreReadOnly == 0:
		e.errorf("%s: PR_STORE_SUPPORT_MASK = %v, want STORE_READONLY set and STORE_MODIFY_OK and STORE_CREATE_OK clear", what, m)
	}
	name := vals[1].Value
	probs, err := st.SetProps(e.ctx, []mapispi.PropValue{{Tag: mapispi.PropDisplayName, Value: "spitest read-only"}})
	if !isCode(err, mapispi.ErrNoAccess) {
		e.errorf("%s: SetProps(PR_DISPLAY_NAME) = %v, %v; want ErrNoAccess", what, probs, err)
	}
	probs, err = st.DeleteProps(e.ctx, []mapispi.PropTag{mapispi.PropDisplayName})
	if !isCode(err, mapispi.ErrNoAccess) {
		e.errorf("%s: DeleteProps(PR_DISPLAY_NAME) = %v, %v; want ErrNoAccess", what, probs, err)
	}
	if got := displayName(e.ctx, st); got != name {
		e.errorf("%s: PR_DISPLAY_NAME changed from %v to %q", what, name, got)
	}
}
