package msprovider_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msprovider"
)

// mirror is a table sink that keeps a copy of a table's rows, by
// instance key, from its notifications alone.
type mirror struct {
	mu     sync.Mutex
	rows   map[string]string // instance key: subject
	reload bool              // TABLE_CHANGED or TABLE_RELOAD arrived: reread
	bad    []string
}

func (m *mirror) OnTableNotify(ns []mapispi.TableNotification) mapispi.CallbackResult {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, n := range ns {
		switch n.Event {
		case mapispi.TableRowAdded, mapispi.TableRowModified:
			key := string(n.Index.Value.([]byte))
			if n.Event == mapispi.TableRowAdded {
				if _, dup := m.rows[key]; dup {
					m.bad = append(m.bad, "TABLE_ROW_ADDED of a row the mirror has: "+n.String())
				}
			}
			subject, _ := n.Row[0].Value.(string)
			m.rows[key] = subject
		case mapispi.TableRowDeleted:
			key := string(n.Index.Value.([]byte))
			if _, ok := m.rows[key]; !ok {
				m.bad = append(m.bad, "TABLE_ROW_DELETED of a row the mirror lacks: "+n.String())
			}
			delete(m.rows, key)
		case mapispi.TableChanged, mapispi.TableReload:
			m.reload = true
		case mapispi.TableError:
			m.bad = append(m.bad, "TABLE_ERROR: "+n.String())
		}
	}
	return 0
}

// tableRows reads every row of table: instance key to subject.
func tableRows(ctx context.Context, table *mapi.Table) (map[string]string, error) {
	if _, err := table.SeekRow(ctx, mapispi.BookmarkBeginning, 0); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for {
		rows, err := table.QueryRows(ctx, 7)
		if err != nil {
			return nil, err
		}
		if len(rows) == 0 {
			return out, nil
		}
		for _, r := range rows {
			out[string(r[1].Value.([]byte))], _ = r[0].Value.(string)
		}
	}
}

// TestConcurrentMailboxUse: 8 goroutines in two sessions create, modify,
// move and delete messages in two shared folders while readers in both
// sessions page through the folders' contents tables with mirroring
// sinks; at the end each folder's count, its tables in both sessions,
// the mirrors and what the writers know they left agree, and no message
// was lost or duplicated. Run it with -race.
func TestConcurrentMailboxUse(t *testing.T) {
	const writers, rounds = 8, 30
	ctx := context.Background()
	backend := msprovider.NewBackend()
	var reg mapi.Registry
	if err := reg.Register(msprovider.DLLName, backend.Init); err != nil {
		t.Fatal(err)
	}
	id, err := backend.CreateStore("Shared", nil)
	if err != nil {
		t.Fatal(err)
	}
	profile := mapi.Profile{Name: "race", Services: []mapi.Service{{Name: "Shared", Provider: msprovider.DLLName,
		Props: []mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte(id)}}}}}

	type side struct {
		s       *mapi.Session
		st      *mapi.Store
		folders [2]*mapi.Folder
	}
	var sides [2]side
	var folderIDs [2]mapispi.EntryID
	for i := range sides {
		s, err := mapi.Logon(ctx, &reg, profile, nil)
		if err != nil {
			t.Fatal(err)
		}
		stores, _ := s.MsgStores(ctx)
		st, err := s.OpenMsgStore(ctx, stores[0].EntryID, mapispi.LogonWrite|mapispi.LogonNoDialog)
		if err != nil {
			t.Fatal(err)
		}
		sides[i] = side{s: s, st: st}
		if i == 0 {
			root, err := st.OpenEntry(ctx, nil, mapispi.OpenModify)
			if err != nil {
				t.Fatal(err)
			}
			for k, name := range []string{"A", "B"} {
				f, err := root.(*mapi.Folder).CreateFolder(ctx, mapispi.FolderGeneric, name, "", 0)
				if err != nil {
					t.Fatal(err)
				}
				props, _ := f.GetProps(ctx, []mapispi.PropTag{mapispi.PropEntryID})
				folderIDs[k] = props[0].Value.([]byte)
				_ = f.Close(ctx)
			}
			_ = root.Close(ctx)
		}
		for k := range folderIDs {
			obj, err := st.OpenEntry(ctx, folderIDs[k], mapispi.OpenModify)
			if err != nil {
				t.Fatal(err)
			}
			sides[i].folders[k] = obj.(*mapi.Folder)
		}
	}

	// Readers: a mirrored contents table per folder per session, paged
	// through until the writers are done.
	type watched struct {
		table  *mapi.Table
		mirror *mirror
	}
	var tables [2][2]watched
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for i := range sides {
		for k := range folderIDs {
			table, err := sides[i].folders[k].ContentsTable(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			if err := table.SetColumns(ctx, []mapispi.PropTag{mapispi.PropSubject, mapispi.PropInstanceKey}); err != nil {
				t.Fatal(err)
			}
			m := &mirror{rows: map[string]string{}}
			if _, err := table.Advise(ctx, m); err != nil {
				t.Fatal(err)
			}
			tables[i][k] = watched{table, m}
			pager, err := sides[i].folders[k].ContentsTable(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			if err := pager.SetColumns(ctx, []mapispi.PropTag{mapispi.PropSubject, mapispi.PropInstanceKey}); err != nil {
				t.Fatal(err)
			}
			readers.Go(func() {
				defer pager.Close(ctx)
				for {
					select {
					case <-stop:
						return
					default:
					}
					if _, err := tableRows(ctx, pager); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
	}

	// Writers: each keeps the subject and folder of the messages it left.
	results := make([]map[string]int, writers)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			sd := sides[w%2]
			mine := map[string]int{}            // subject: folder index
			ids := map[string]mapispi.EntryID{} // subject: entry ID
			defer func() { results[w] = mine }()
			for r := range rounds {
				subject := fmt.Sprintf("w%d-%d", w, r)
				k := (w + r) % 2
				msg, err := sd.folders[k].CreateMessage(ctx, 0)
				if err != nil {
					t.Error(err)
					return
				}
				_, err = msg.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropSubject, Value: subject}})
				if err == nil {
					err = msg.SaveChanges(ctx, 0)
				}
				if err == nil {
					var props []mapispi.PropValue
					props, err = msg.GetProps(ctx, []mapispi.PropTag{mapispi.PropEntryID})
					if err == nil {
						ids[subject] = props[0].Value.([]byte)
					}
				}
				_ = msg.Close(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				mine[subject] = k
				switch r % 4 {
				case 1: // modify
					obj, err := sd.folders[k].OpenEntry(ctx, ids[subject], mapispi.OpenModify)
					if err != nil {
						t.Errorf("%s: OpenEntry: %v", subject, err)
						return
					}
					m := obj.(*mapi.Message)
					newSubject := subject + "'"
					_, err = m.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropSubject, Value: newSubject}})
					if err == nil {
						err = m.SaveChanges(ctx, 0)
					}
					_ = m.Close(ctx)
					if err != nil {
						t.Errorf("%s: modify: %v", subject, err)
						return
					}
					delete(mine, subject)
					mine[newSubject] = k
				case 2: // move to the other folder
					if err := sd.folders[k].CopyMessages(ctx, []mapispi.EntryID{ids[subject]}, sd.folders[1-k], mapispi.MessageMove); err != nil {
						t.Errorf("%s: move: %v", subject, err)
						return
					}
					mine[subject] = 1 - k
				case 3: // delete
					if err := sd.folders[k].DeleteMessages(ctx, []mapispi.EntryID{ids[subject]}, 0); err != nil {
						t.Errorf("%s: delete: %v", subject, err)
						return
					}
					delete(mine, subject)
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	readers.Wait()

	want := [2][]string{}
	for _, mine := range results {
		for subject, k := range mine {
			want[k] = append(want[k], subject)
		}
	}
	for k := range want {
		slices.Sort(want[k])
	}
	for i := range sides {
		for k := range folderIDs {
			wt := tables[i][k]
			rows, err := tableRows(ctx, wt.table)
			if err != nil {
				t.Fatal(err)
			}
			if got := slices.Sorted(maps.Values(rows)); !slices.Equal(got, want[k]) {
				t.Errorf("session %d folder %d: contents table subjects = %v, want %v", i, k, got, want[k])
			}
			props, _ := sides[i].folders[k].GetProps(ctx, []mapispi.PropTag{mapispi.PropContentCount})
			if props[0].Value != int32(len(want[k])) {
				t.Errorf("session %d folder %d: PR_CONTENT_COUNT = %v, want %d", i, k, props[0].Value, len(want[k]))
			}
			// The mirror converges on the table: notifications are
			// asynchronous, so wait for them, with a deadline.
			deadline := time.Now().Add(10 * time.Second)
			for {
				wt.mirror.mu.Lock()
				same := maps.Equal(wt.mirror.rows, rows) && !wt.mirror.reload
				bad := slices.Clone(wt.mirror.bad)
				wt.mirror.mu.Unlock()
				if len(bad) > 0 {
					t.Errorf("session %d folder %d: the mirror saw %d wrong notifications, first %s", i, k, len(bad), bad[0])
					break
				}
				if same {
					break
				}
				if time.Now().After(deadline) {
					wt.mirror.mu.Lock()
					t.Errorf("session %d folder %d: the mirror has %d rows, the table %d, after 10 s", i, k, len(wt.mirror.rows), len(rows))
					wt.mirror.mu.Unlock()
					break
				}
				time.Sleep(5 * time.Millisecond)
			}
		}
	}
	for i := range sides {
		for k := range folderIDs {
			_ = tables[i][k].table.Close(ctx)
			_ = sides[i].folders[k].Close(ctx)
		}
		_ = sides[i].st.Close(ctx)
		if err := sides[i].s.Logoff(ctx); err != nil {
			t.Errorf("session %d Logoff = %v", i, err)
		}
	}
}
