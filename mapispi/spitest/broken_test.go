package spitest_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapispi/spitest"
)

// storeKey names the store a reference store ID names: its UID, at
// bytes 4..19.
func storeKey(id mapispi.EntryID) (string, bool) {
	if len(id) != 40 {
		return "", false
	}
	return string(id[4:20]), true
}

// breakages break one rule each.
var breakages = []*breakage{
	{
		name:  "reuses one provider object across Init",
		fails: []string{"InitNewObject"},
		init: func(wd *world, next mapispi.InitFunc) mapispi.InitFunc {
			return func(ctx context.Context, p *mapispi.InitParams) (mapispi.MSProvider, mapispi.Version, error) {
				obj, v, err := next(ctx, p)
				if err != nil {
					return nil, v, err
				}
				wd.mu.Lock()
				defer wd.mu.Unlock()
				if c := wd.cached; c != nil && !c.shut.Load() {
					_ = obj.Shutdown(ctx)
					return c, v, nil
				}
				wd.cached = obj.(*wprov)
				return obj, v, nil
			}
		},
	},
	{
		name:  "accepts an older MAPI",
		fails: []string{"InitVersion"},
		initParams: func(p *mapispi.InitParams) *mapispi.InitParams {
			q := *p
			q.MAPIVersion = max(q.MAPIVersion, mapispi.SPIVersion)
			return &q
		},
	},
	{
		name:  "accepts undefined logon flags",
		fails: []string{"LogonUnknownFlags"},
		logon: func(w *wprov, ctx context.Context, sup mapispi.Support, req *mapispi.LogonRequest) (*mapispi.LogonResult, error) {
			r := *req
			r.Flags &= mapispi.LogonKnown
			return w.logon(ctx, sup, &r)
		},
	},
	{
		name:  "asks which store to open under MDB_NO_DIALOG",
		fails: []string{"LogonNoDialogNoStore"},
		logon: func(w *wprov, ctx context.Context, sup mapispi.Support, req *mapispi.LogonRequest) (*mapispi.LogonResult, error) {
			if req.EntryID == nil {
				resp, err := sup.Prompt(ctx, &mapispi.PromptRequest{Kind: mapispi.PromptChooseStore})
				if err != nil {
					return nil, err
				}
				r := *req
				r.EntryID = resp.EntryID
				req = &r
			}
			return w.logon(ctx, sup, req)
		},
	},
	{
		name:  "never calls ModifyStatusRow",
		fails: []string{"LogonSupportCalls"},
		support: func(sup mapispi.Support) mapispi.Support {
			return &supportFunc{Support: sup, modifyStatusRow: func(context.Context, []mapispi.PropValue, mapispi.StatusRowFlags) error { return nil }}
		},
	},
	{
		name:  "writes its status row without PR_STATUS_CODE",
		fails: []string{"LogonSupportCalls"},
		support: func(sup mapispi.Support) mapispi.Support {
			return &supportFunc{Support: sup, modifyStatusRow: func(ctx context.Context, values []mapispi.PropValue, flags mapispi.StatusRowFlags) error {
				values = slices.DeleteFunc(slices.Clone(values), func(v mapispi.PropValue) bool { return v.Tag == mapispi.PropStatusCode })
				return sup.ModifyStatusRow(ctx, values, flags)
			}}
		},
	},
	{
		name:  "calls ModifyProfile(0) under MDB_TEMPORARY",
		fails: []string{"LogonTemporary"},
		logon: func(w *wprov, ctx context.Context, sup mapispi.Support, req *mapispi.LogonRequest) (*mapispi.LogonResult, error) {
			res, err := w.logon(ctx, sup, req)
			if err == nil && req.Flags&mapispi.LogonTemporary != 0 {
				_ = sup.ModifyProfile(ctx, 0)
			}
			return res, err
		},
	},
	{
		name:  "reports write access it did not grant",
		fails: []string{"LogonReadOnly"},
		getProps: func(s *wstore, vals []mapispi.PropValue, err error) ([]mapispi.PropValue, error) {
			for i, v := range vals {
				if m, ok := v.Value.(int32); ok && v.Tag == mapispi.PropStoreSupportMask && mapispi.StoreSupportMask(m)&mapispi.StoreReadOnly != 0 {
					vals[i].Value = int32(mapispi.StoreSupportMask(m)&^mapispi.StoreReadOnly | mapispi.StoreModifyOK | mapispi.StoreCreateOK)
				}
			}
			return vals, err
		},
	},
	{
		name:  "returns a reopen with a non-nil MSLogon",
		fails: []string{"LogonReopen"},
		logon: func(w *wprov, ctx context.Context, sup mapispi.Support, req *mapispi.LogonRequest) (*mapispi.LogonResult, error) {
			res, err := w.logon(ctx, sup, req)
			if err == nil && res.Logon == nil {
				res.Logon = &res.Store.(*wstore).logon
			}
			return res, err
		},
	},
	{
		name:  "gives the unwrapped ID in PR_ENTRYID",
		fails: []string{"StoreEntryIDWrapped"},
		getProps: func(s *wstore, vals []mapispi.PropValue, err error) ([]mapispi.PropValue, error) {
			for i, v := range vals {
				if b, ok := v.Value.([]byte); ok && v.Tag == mapispi.PropEntryID {
					if inner, err := entryid.UnwrapView(b); err == nil {
						vals[i].Value = []byte(inner.Clone())
					}
				}
			}
			return vals, err
		},
	},
	{
		name:  "makes spool security data with make",
		fails: []string{"SpoolSecurityAllocator"},
		logon: func(w *wprov, ctx context.Context, sup mapispi.Support, req *mapispi.LogonRequest) (*mapispi.LogonResult, error) {
			res, err := w.logon(ctx, sup, req)
			if err == nil && res.SpoolSecurity != nil {
				own := slices.Clone(res.SpoolSecurity)
				_ = w.params.Allocator.FreeBuffer(res.SpoolSecurity)
				res.SpoolSecurity = own
			}
			return res, err
		},
	},
	{
		name:  "accepts changed spool security data of the right length",
		fails: []string{"SpoolerLogonToken"},
		logon: func(w *wprov, ctx context.Context, sup mapispi.Support, req *mapispi.LogonRequest) (*mapispi.LogonResult, error) {
			res, err := w.logon(ctx, sup, req)
			if key, ok := storeKey(req.EntryID); ok && err == nil && res.SpoolSecurity != nil {
				w.wd.mu.Lock()
				w.wd.tokens[key] = slices.Clone(res.SpoolSecurity)
				w.wd.mu.Unlock()
			}
			return res, err
		},
		spoolerLogon: func(w *wprov, ctx context.Context, sup mapispi.Support, req *mapispi.SpoolerLogonRequest) (*mapispi.LogonResult, error) {
			if key, ok := storeKey(req.EntryID); ok {
				w.wd.mu.Lock()
				t := w.wd.tokens[key]
				w.wd.mu.Unlock()
				if t != nil && len(t) == len(req.SpoolSecurity) {
					r := *req
					r.SpoolSecurity = slices.Clone(t)
					req = &r
				}
			}
			return w.spoolerLogon(ctx, sup, req)
		},
	},
	{
		name:  "fails CompareStoreIDs once its last store was logged off",
		fails: []string{"CompareStoreIDsNoStoreOpen"},
		compare: func(w *wprov, a, b mapispi.EntryID, next func(a, b mapispi.EntryID) (bool, error)) (bool, error) {
			same, err := next(a, b)
			if err == nil && w.opened.Load() && w.open.Load() == 0 {
				return false, mapispi.Errorf(mapispi.ErrNotFound, "broken", "no store open")
			}
			return same, err
		},
	},
	{
		name:  "compares abFlags, so aliases differ",
		fails: []string{"CompareStoreIDsSameStore"},
		sameStore: func(a, b mapispi.EntryID, same bool) bool {
			return same && len(a) >= 4 && len(b) >= 4 && bytes.Equal(a[:4], b[:4])
		},
	},
	{
		name:  "is not symmetric",
		fails: []string{"CompareStoreIDsSymmetric"},
		sameStore: func(a, b mapispi.EntryID, same bool) bool {
			return same && !(a[0] != 0 && b[0] == 0)
		},
	},
	{
		name:      "says every two stores are the same",
		fails:     []string{"CompareStoreIDsOtherStore"},
		sameStore: func(a, b mapispi.EntryID, same bool) bool { return true },
	},
	{
		name:  "panics in CompareStoreIDs on short input",
		fails: []string{"CompareStoreIDsMalformed"},
		compare: func(w *wprov, a, b mapispi.EntryID, next func(a, b mapispi.EntryID) (bool, error)) (bool, error) {
			if mapispi.UID(a[4:20]) == mapispi.UID(b[4:20]) { // no length check
				return next(a, b)
			}
			return next(a, b)
		},
	},
	{
		name:        "keeps the caller's entry ID slice",
		fails:       []string{"BuffersNotKept"},
		keepEntryID: true,
	},
	{
		name:  "returns its own GetPropList slice",
		fails: []string{"ReturnedSlicesOwned"},
		getPropList: func(s *wstore, tags []mapispi.PropTag, err error) ([]mapispi.PropTag, error) {
			if err != nil {
				return nil, err
			}
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.list == nil {
				s.list = tags
			}
			return s.list, nil
		},
	},
	{
		name:  "leaves a property out of GetPropList",
		fails: []string{"GetPropsMatchesGetPropList"},
		getPropList: func(s *wstore, tags []mapispi.PropTag, err error) ([]mapispi.PropTag, error) {
			if err != nil || len(tags) == 0 {
				return tags, err
			}
			return tags[:len(tags)-1], nil
		},
	},
	{
		name:  "answers the logon's OpenEntry differently",
		fails: []string{"OpenEntryPathsAgree"},
		logonOpenEntry: func(obj mapispi.Object, err error) (mapispi.Object, error) {
			if errors.Is(err, mapispi.ErrNoSupport) {
				return nil, mapispi.Errorf(mapispi.ErrNotFound, "broken", "no such object")
			}
			return obj, err
		},
	},
	{
		name:  "compares entry IDs byte for byte",
		fails: []string{"CompareEntryIDsAgree"},
		entryIDs: func(a, b mapispi.EntryID, next func(a, b mapispi.EntryID) (bool, error)) (bool, error) {
			if _, err := next(a, b); err != nil {
				return false, err
			}
			return bytes.Equal(a, b), nil
		},
	},
	{
		name:  "calls StoreLogoffTransports twice",
		fails: []string{"StoreLogoffTransportsOnce"},
		support: func(sup mapispi.Support) mapispi.Support {
			return &supportFunc{Support: sup, storeLogoffTransports: func(ctx context.Context, flags mapispi.LogoffFlags) (mapispi.LogoffFlags, error) {
				_, _ = sup.StoreLogoffTransports(ctx, flags)
				return sup.StoreLogoffTransports(ctx, flags)
			}}
		},
	},
	{
		name:  "answers GetProps after Logoff",
		fails: []string{"LogoffInvalidates"},
		getProps: func(s *wstore, vals []mapispi.PropValue, err error) ([]mapispi.PropValue, error) {
			s.mu.Lock()
			defer s.mu.Unlock()
			switch {
			case err == nil && vals != nil:
				s.last = cloneValues(vals)
			case errors.Is(err, mapispi.ErrInvalidObject) && s.last != nil:
				return cloneValues(s.last), nil
			}
			return vals, err
		},
	},
	{
		name:  "leaves stores open at Shutdown",
		fails: []string{"ShutdownLogsOff"},
		shutdown: func(w *wprov, ctx context.Context) error {
			w.down.Store(true)
			return nil
		},
	},
	{
		name:  "leaks a buffer per logon",
		fails: []string{"NoLeaks"},
		logon: func(w *wprov, ctx context.Context, sup mapispi.Support, req *mapispi.LogonRequest) (*mapispi.LogonResult, error) {
			res, err := w.logon(ctx, sup, req)
			if err != nil || res.Logon == nil {
				return res, err
			}
			buf, err := w.params.Allocator.AllocateBuffer(16)
			if err != nil { // fail cleanly, as the failure cases ask
				_ = res.Logon.Logoff(ctx)
				if res.SpoolSecurity != nil {
					_ = w.params.Allocator.FreeBuffer(res.SpoolSecurity)
				}
				return nil, err
			}
			w.mu.Lock()
			w.leaked = append(w.leaked, buf)
			w.mu.Unlock()
			return res, nil
		},
	},
	{
		name:  "ignores a failed allocation",
		fails: []string{"LogonAllocFailure"},
		logon: func(w *wprov, ctx context.Context, sup mapispi.Support, req *mapispi.LogonRequest) (*mapispi.LogonResult, error) {
			if buf, err := w.params.Allocator.AllocateBuffer(8); err == nil {
				_ = w.params.Allocator.FreeBuffer(buf)
			}
			return w.logon(ctx, sup, req)
		},
	},
	{
		name:  "ignores a failed ModifyStatusRow",
		fails: []string{"LogonSupportFailure"},
		support: func(sup mapispi.Support) mapispi.Support {
			return &supportFunc{Support: sup, modifyStatusRow: func(ctx context.Context, values []mapispi.PropValue, flags mapispi.StatusRowFlags) error {
				_ = sup.ModifyStatusRow(ctx, values, flags)
				return nil
			}}
		},
	},
	{
		name:  "lets two concurrent first logons both open a store",
		fails: []string{"Concurrency"},
		logon: racyFirstLogon,
	},
	{
		name:  "refuses to compare while a logon is under way",
		fails: []string{"Concurrency"},
		logon: func(w *wprov, ctx context.Context, sup mapispi.Support, req *mapispi.LogonRequest) (*mapispi.LogonResult, error) {
			w.inflight.Add(1)
			defer w.inflight.Add(-1)
			time.Sleep(2 * time.Millisecond)
			return w.logon(ctx, sup, req)
		},
		compare: func(w *wprov, a, b mapispi.EntryID, next func(a, b mapispi.EntryID) (bool, error)) (bool, error) {
			same, err := next(a, b)
			if err == nil && w.inflight.Load() > 0 {
				return false, mapispi.Errorf(mapispi.ErrBusy, "broken", "a logon is under way")
			}
			return same, err
		},
	},
	{
		name:  "deletes folders that hold subfolders or messages without DEL_FOLDERS or DEL_MESSAGES",
		fails: []string{"FolderTree"},
		deleteFolder: func(flags mapispi.DeleteFolderFlags) mapispi.DeleteFolderFlags {
			return flags | mapispi.DelFolders | mapispi.DelMessages
		},
	},
	{
		name:  "copies subfolders without COPY_SUBFOLDERS",
		fails: []string{"FolderCopyMove"},
		copyFolder: func(flags mapispi.CopyFolderFlags) mapispi.CopyFolderFlags {
			return flags | mapispi.CopySubfolders
		},
	},
	{
		name:  "counts read messages in PR_CONTENT_UNREAD",
		fails: []string{"FolderCounts"},
		folderProps: func(tags []mapispi.PropTag, vals []mapispi.PropValue) []mapispi.PropValue {
			i := slices.IndexFunc(vals, func(v mapispi.PropValue) bool { return v.Tag == mapispi.PropContentCount })
			for j, v := range vals {
				if v.Tag == mapispi.PropContentUnread && i >= 0 {
					vals[j].Value = vals[i].Value
				}
			}
			return vals
		},
	},
	{
		name:  "saves over newer saves: SaveChanges ignores change numbers",
		fails: []string{"MessageTransactions"},
		saveMessage: func(flags mapispi.SaveFlags) mapispi.SaveFlags {
			return flags | mapispi.ForceSave
		},
	},
	{
		name:  "takes computed message properties without a problem",
		fails: []string{"MessageProperties"},
		messageProblems: func(probs []mapispi.PropProblem) []mapispi.PropProblem {
			return slices.DeleteFunc(probs, func(p mapispi.PropProblem) bool { return p.Code == mapispi.ErrComputed })
		},
	},
	{
		name:             "keeps the columns a MODRECIP_MODIFY row leaves out",
		fails:            []string{"Recipients"},
		modifyRecipients: modifyKeepsColumns,
	},
	{
		name:  "orders attachment tables by attachment number",
		fails: []string{"Attachments"},
		attachmentTable: func(ctx context.Context, t mapispi.Table) mapispi.Table {
			_ = t.SortTable(ctx, mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: mapispi.PropAttachNum, Order: mapispi.SortAscend}}})
			return t
		},
	},
	{
		name:  "opens streams read/write without MAPI_MODIFY",
		fails: []string{"Streams"},
		openProperty: func(ctx context.Context, tag mapispi.PropTag, iface mapispi.UID, flags mapispi.OpenFlags, next func(mapispi.OpenFlags) (any, error)) (any, error) {
			if iface == mapispi.IIDStream && flags&mapispi.OpenModify == 0 {
				if s, err := next(flags | mapispi.OpenModify); err == nil {
					return s, nil
				}
			}
			return next(flags)
		},
	},
	{
		name:         "maps names without MAPI_CREATE",
		fails:        []string{"NamedProps"},
		idsFromNames: func(create bool) bool { return true },
	},
	{
		name:  "gives the normal contents table for MAPI_ASSOCIATED",
		fails: []string{"ContentsTables"},
		contentsTable: func(flags mapispi.TableFlags) mapispi.TableFlags {
			return flags &^ mapispi.TableAssociated
		},
	},
	{
		name:  "ignores CONVENIENT_DEPTH",
		fails: []string{"HierarchyTables"},
		hierarchyTable: func(flags mapispi.TableFlags) mapispi.TableFlags {
			return flags &^ mapispi.TableConvenientDepth
		},
	},
	{
		name:  "opens read-only where MAPI_MODIFY was refused",
		fails: []string{"ReadOnlyRefusesChanges"},
		openEntry: func(ctx context.Context, id mapispi.EntryID, flags mapispi.OpenFlags, next func(mapispi.OpenFlags) (mapispi.Object, error)) (mapispi.Object, error) {
			obj, err := next(flags)
			if errors.Is(err, mapispi.ErrNoAccess) && flags&mapispi.OpenModify != 0 {
				return next(flags &^ mapispi.OpenModify)
			}
			return obj, err
		},
	},
	{
		name:  "sends fnevObjectMoved without the old IDs",
		fails: []string{"Notifications"},
		support: func(sup mapispi.Support) mapispi.Support {
			return &supportFunc{Support: sup, notify: func(ctx context.Context, key []byte, ns []mapispi.Notification) (mapispi.NotifyFlags, error) {
				ns = slices.Clone(ns)
				for i := range ns {
					if ns[i].Event == mapispi.EventObjectMoved {
						ns[i].OldID, ns[i].OldParentID = nil, nil
					}
				}
				return sup.Notify(ctx, key, ns)
			}}
		},
	},
	{
		name:  "shows clients the spooler's outgoing queue",
		fails: []string{"QueueSpoolerOnly"},
		outgoingQueue: func(s *wstore, ctx context.Context, next func() (mapispi.Table, error)) (mapispi.Table, error) {
			if sp := s.spoolerOf(); s.client && sp != nil {
				return sp.spooler().OutgoingQueue(ctx)
			}
			return next()
		},
	},
	{
		name:  "submits a message without recipients, to an undisclosed one",
		fails: []string{"SubmitNoRecipients"},
		submitMessage: func(m *wmessage, ctx context.Context, flags mapispi.SubmitMessageFlags, next func() error) error {
			err := next()
			if errors.Is(err, mapispi.ErrNoRecipients) {
				row := mapispi.Row{{Tag: mapispi.PropDisplayName, Value: "undisclosed"}, {Tag: mapispi.PropRecipientType, Value: int32(mapispi.RecipBCC)}}
				if err := m.inner.ModifyRecipients(ctx, mapispi.ModRecipAdd, []mapispi.Row{row}); err != nil {
					return err
				}
				return next()
			}
			return err
		},
	},
	{
		name:  "keeps no PR_CLIENT_SUBMIT_TIME on its messages",
		fails: []string{"SubmitMessage"},
		messageProps: func(tags []mapispi.PropTag, vals []mapispi.PropValue) []mapispi.PropValue {
			for i, v := range vals {
				if v.Tag.ID() == mapispi.PropClientSubmitTime.ID() {
					vals[i] = mapispi.PropValue{Tag: mapispi.PropClientSubmitTime.WithType(mapispi.PtError), Value: mapispi.ErrNotFound}
				}
			}
			return vals
		},
	},
	{
		name:  "closes a message whose submission it refused for want of recipients",
		fails: []string{"SubmitNoRecipients"},
		submitMessage: func(m *wmessage, ctx context.Context, flags mapispi.SubmitMessageFlags, next func() error) error {
			err := next()
			if errors.Is(err, mapispi.ErrNoRecipients) {
				_ = m.inner.Close(ctx)
			}
			return err
		},
	},
	{
		name:  "still answers GetProps on a submitted instance",
		fails: []string{"SubmitMessage"},
		submitMessage: func(m *wmessage, ctx context.Context, flags mapispi.SubmitMessageFlags, next func() error) error {
			before, err := m.inner.GetProps(ctx, nil)
			if err != nil {
				return next()
			}
			if err := next(); err != nil {
				return err
			}
			m.inner = ghostMessage{Message: m.inner, props: before}
			return nil
		},
	},
	{
		name:  "leaves PR_SENDER_NAME out of the outgoing queue's columns",
		fails: []string{"OutgoingQueue"},
		outgoingQueue: func(s *wstore, ctx context.Context, next func() (mapispi.Table, error)) (mapispi.Table, error) {
			t, err := next()
			if err != nil {
				return nil, err
			}
			cols, err := t.Columns(ctx)
			if err == nil {
				_ = t.SetColumns(ctx, slices.DeleteFunc(cols, func(c mapispi.PropTag) bool { return c == mapispi.PropSenderName }))
			}
			return t, nil
		},
	},
	{
		name:  "says AbortSubmit succeeded and leaves the message queued",
		fails: []string{"AbortSubmit"},
		abortSubmit: func(s *wstore, ctx context.Context, id mapispi.EntryID, next func() error) error {
			return nil
		},
	},
	{
		name:  "leaves a sent message where it was, ignoring PR_SENTMAIL_ENTRYID",
		fails: []string{"FinishedMsg"},
		finishedMsg: func(s *wstore, ctx context.Context, id mapispi.EntryID, next func() error) error {
			obj, err := s.inner.OpenEntry(ctx, id, mapispi.OpenModify)
			if err != nil {
				return next()
			}
			defer obj.Close(ctx)
			if m, ok := obj.(mapispi.Message); ok {
				if _, err := m.DeleteProps(ctx, []mapispi.PropTag{mapispi.PropSentMailEntryID}); err == nil {
					_ = m.SaveChanges(ctx, 0)
				}
			}
			return next()
		},
	},
	{
		name:  "lists the outgoing queue newest first",
		fails: []string{"OutgoingQueue"},
		outgoingQueue: func(s *wstore, ctx context.Context, next func() (mapispi.Table, error)) (mapispi.Table, error) {
			t, err := next()
			if err == nil {
				_ = t.SortTable(ctx, mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: mapispi.PropClientSubmitTime, Order: mapispi.SortDescend}}})
			}
			return t, err
		},
	},
	{
		name:  "never tells the outgoing queue's sinks of a change",
		fails: []string{"OutgoingQueueNotifications"},
		outgoingQueue: func(s *wstore, ctx context.Context, next func() (mapispi.Table, error)) (mapispi.Table, error) {
			t, err := next()
			if err != nil {
				return nil, err
			}
			return quietTable{t}, nil
		},
	},
	{
		name:  "hides SUBMITFLAG_LOCKED from a message's PR_SUBMIT_FLAGS",
		fails: []string{"QueueLock"},
		messageProps: func(tags []mapispi.PropTag, vals []mapispi.PropValue) []mapispi.PropValue {
			for i, v := range vals {
				if n, ok := v.Value.(int32); ok && v.Tag == mapispi.PropSubmitFlags {
					vals[i].Value = int32(mapispi.SubmitFlags(n) &^ mapispi.SubmitLocked)
				}
			}
			return vals
		},
	},
	{
		name:  "says AbortSubmit of a locked message succeeded",
		fails: []string{"AbortSubmit"},
		abortSubmit: func(s *wstore, ctx context.Context, id mapispi.EntryID, next func() error) error {
			if err := next(); !errors.Is(err, mapispi.ErrUnableToAbort) {
				return err
			}
			return nil
		},
	},
	{
		name:  "finishes messages the spooler has not locked",
		fails: []string{"FinishedMsg"},
		finishedMsg: func(s *wstore, ctx context.Context, id mapispi.EntryID, next func() error) error {
			err := next()
			if !errors.Is(err, mapispi.ErrInvalidParameter) {
				return err
			}
			m, oerr := s.inner.OpenEntry(ctx, id, mapispi.OpenModify)
			if oerr != nil {
				return err
			}
			defer m.Close(ctx)
			if err := s.spooler().SetLockState(ctx, m, mapispi.MsgLocked); err != nil {
				return err
			}
			return next()
		},
	},
	{
		name:  "drops NotifyNewMail",
		fails: []string{"NotifyNewMail"},
		notifyNewMail: func(s *wstore, ctx context.Context, n *mapispi.Notification, next func() error) error {
			if s.client || n == nil || n.Event != mapispi.EventNewMail {
				return next()
			}
			return nil
		},
	},
	{
		name:  "matches receive folder classes by characters, not whole levels",
		fails: []string{"ReceiveFolders"},
		receiveFolder: func(ctx context.Context, class string, next func(string) (mapispi.EntryID, string, error)) (mapispi.EntryID, string, error) {
			for i := len(class); i > 0; i-- {
				if id, explicit, err := next(class[:i]); err == nil && strings.EqualFold(explicit, class[:i]) {
					return id, explicit, nil
				}
			}
			return next(class)
		},
	},
	{
		name:  "matches receive folder classes case by case",
		fails: []string{"ReceiveFolders"},
		receiveFolder: func(ctx context.Context, class string, next func(string) (mapispi.EntryID, string, error)) (mapispi.EntryID, string, error) {
			id, explicit, err := next(class)
			if err == nil && !strings.HasPrefix(class, explicit) {
				return next("")
			}
			return id, explicit, err
		},
	},
}

// modifyKeepsColumns is a ModifyRecipients whose MODRECIP_MODIFY keeps
// the properties the old recipient had and the new row lacks, as if it
// merged the rows.
func modifyKeepsColumns(m *wmessage, ctx context.Context, flags mapispi.ModRecipFlags, rows []mapispi.Row) error {
	if flags != mapispi.ModRecipModify {
		return m.inner.ModifyRecipients(ctx, flags, rows)
	}
	t, err := m.inner.RecipientTable(ctx, 0)
	if err != nil {
		return err
	}
	defer t.Close(ctx)
	var old []mapispi.Row
	for {
		rs, err := t.QueryRows(ctx, 50)
		if err != nil {
			return err
		}
		if len(rs) == 0 {
			break
		}
		old = append(old, rs...)
	}
	merged := make([]mapispi.Row, len(rows))
	for i, r := range rows {
		merged[i] = slices.Clone(r)
		id := slices.IndexFunc(r, func(v mapispi.PropValue) bool { return v.Tag == mapispi.PropRowID })
		if id < 0 {
			continue
		}
		for _, o := range old {
			if !slices.ContainsFunc(o, func(v mapispi.PropValue) bool { return v.Tag == mapispi.PropRowID && v.Value == r[id].Value }) {
				continue
			}
			for _, v := range o {
				if v.Tag.Type() != mapispi.PtError && v.Tag != mapispi.PropInstanceKey && !slices.ContainsFunc(r, func(w mapispi.PropValue) bool { return w.Tag.ID() == v.Tag.ID() }) {
					merged[i] = append(merged[i], v)
				}
			}
		}
	}
	return m.inner.ModifyRecipients(ctx, flags, merged)
}

// racyFirstLogon is a Logon that keeps its own list of open stores and
// checks it, then opens the store, then lists it, with no claim in
// between: two first logons of one store that overlap both open it, each
// through a reference provider object of its own (the reference object
// would otherwise make the second a reopen). Logons that do not overlap
// behave correctly.
func racyFirstLogon(w *wprov, ctx context.Context, sup mapispi.Support, req *mapispi.LogonRequest) (*mapispi.LogonResult, error) {
	key, ok := storeKey(req.EntryID)
	if !ok || w.shut.Load() {
		return w.logon(ctx, sup, req)
	}
	w.mu.Lock()
	open := w.listed[key]
	w.mu.Unlock()
	if open != nil && !open.closed.Load() {
		return &mapispi.LogonResult{Store: open}, nil
	}
	params := w.params
	inner, _, err := w.wd.backend.Init(ctx, &params)
	if err != nil {
		return nil, err
	}
	res, err := inner.Logon(ctx, w.sup(sup), req)
	if err != nil {
		_ = inner.Shutdown(ctx)
		return nil, err
	}
	out := w.wrap(res, req.EntryID, true)
	w.mu.Lock()
	w.extra = append(w.extra, inner)
	w.listed[key] = out.Store.(*wstore)
	w.mu.Unlock()
	return out, nil
}

// failedCases returns the names of the cases err's violations name, and
// the errors in it that are not violations.
func failedCases(err error) (cases []string, other []error) {
	for _, e := range unjoin(err) {
		var v *spitest.Violation
		if !errors.As(e, &v) {
			other = append(other, e)
			continue
		}
		if !slices.Contains(cases, v.Case) {
			cases = append(cases, v.Case)
		}
	}
	slices.Sort(cases)
	return cases, other
}

func TestBrokenProviders(t *testing.T) {
	names := make(map[string]bool)
	for _, c := range spitest.Cases() {
		names[c.Name] = true
	}
	covered := make(map[string]bool)
	for _, b := range breakages {
		for _, c := range b.fails {
			if !names[c] {
				t.Fatalf("breakage %q expects case %q, which the kit does not have", b.name, c)
			}
			covered[c] = true
		}
		t.Run(strings.ReplaceAll(b.name, " ", "_"), func(t *testing.T) {
			t.Parallel() // many wait out a notification timeout; each has a world of its own
			_, init, opts := newWorld(b)
			err := spitest.TestProvider(context.Background(), init, opts)
			got, other := failedCases(err)
			for _, e := range other {
				t.Errorf("not a violation: %v", e)
			}
			want := slices.Sorted(slices.Values(b.fails))
			if !slices.Equal(got, want) {
				t.Errorf("TestProvider(provider that %s) failed cases %v, want %v; violations:\n%v", b.name, got, want, err)
			}
		})
	}
	for _, c := range spitest.Cases() {
		if !covered[c.Name] {
			t.Errorf("no broken provider fails case %s", c.Name)
		}
	}
}

// ghostMessage is a submitted message that still answers GetProps, with
// what it held before the submission.
type ghostMessage struct {
	mapispi.Message
	props []mapispi.PropValue
}

func (g ghostMessage) GetProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropValue, error) {
	out := make([]mapispi.PropValue, 0, len(tags))
	for _, tag := range tags {
		i := slices.IndexFunc(g.props, func(v mapispi.PropValue) bool { return v.Tag.ID() == tag.ID() })
		if i < 0 {
			out = append(out, mapispi.PropValue{Tag: tag.WithType(mapispi.PtError), Value: mapispi.ErrNotFound})
			continue
		}
		out = append(out, g.props[i])
	}
	return out, nil
}

func (g ghostMessage) SubmitMessage(ctx context.Context, flags mapispi.SubmitMessageFlags) error {
	return g.Message.(mapispi.Submitter).SubmitMessage(ctx, flags)
}
