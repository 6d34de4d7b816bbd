package msprovider_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
)

// propRank is a sort column some fixture messages lack.
var propRank = mapispi.NewPropTag(mapispi.PtLong, 0x6620)

// specTableFixture makes a folder of four messages, saved in this order:
//
//	"Say HELLO"   rank 3  read
//	"hello world" rank 1
//	"other"       (no rank)
//	"zeta"        rank 2  read
func specTableFixture(t *testing.T) (*mailbox, *mapi.Folder) {
	t.Helper()
	m := openMailbox(t)
	f := specFolder(t, specInbox(t, m), "Table")
	rank := func(n int32) mapispi.PropValue { return mapispi.PropValue{Tag: propRank, Value: n} }
	read := mapispi.PropValue{Tag: mapispi.PropMessageFlags, Value: int32(mapispi.MsgFlagRead)}
	specMsg(t, f, specSubject("Say HELLO"), rank(3), read)
	specMsg(t, f, specSubject("hello world"), rank(1))
	specMsg(t, f, specSubject("other"))
	specMsg(t, f, specSubject("zeta"), rank(2), read)
	return m, f
}

// specSubjectTable opens f's contents table with PR_SUBJECT as its only
// column.
func specSubjectTable(t *testing.T, f *mapi.Folder) *mapi.Table {
	t.Helper()
	tbl := specTable(t, f.ContentsTable, 0)
	require.NoError(t, tbl.SetColumns(bg, []mapispi.PropTag{mapispi.PropSubject}))
	return tbl
}

// specRead reads n rows and returns their first column.
func specRead(t *testing.T, tbl *mapi.Table, n int) []any {
	t.Helper()
	rows, err := tbl.QueryRows(bg, n)
	require.NoError(t, err, "QueryRows(%d)", n)
	return specCol(rows, 0)
}

// TestQueryRowsBounds: rules 73-74. QueryRows(0) is
// MAPI_E_INVALID_PARAMETER; at the end QueryRows gives S_OK and no rows.
// QueryRows(-n) reads the n rows before the cursor and leaves it on the
// first of them, so the next QueryRows(n) gives the same rows (the Go
// form has no TBL_NOADVANCE) [D imapitable-queryrows;
// D determining-a-table-s-end].
func TestQueryRowsBounds(t *testing.T) {
	_, f := specTableFixture(t)
	tbl := specSubjectTable(t, f)
	_, err := tbl.QueryRows(bg, 0)
	specCode(t, err, mapispi.ErrInvalidParameter, "QueryRows(0)")
	first := specRead(t, tbl, 2)
	assert.Equal(t, []any{"Say HELLO", "hello world"}, first, "QueryRows(2)")
	assert.Equal(t, first, specRead(t, tbl, -2), "QueryRows(-2) after QueryRows(2)")
	assert.Equal(t, first, specRead(t, tbl, 2), "QueryRows(2) after QueryRows(-2)")
	assert.Equal(t, []any{"other", "zeta"}, specRead(t, tbl, 10), "QueryRows(10) to the end")
	rows, err := tbl.QueryRows(bg, 1)
	assert.NoError(t, err, "QueryRows at the end")
	assert.Empty(t, rows, "QueryRows at the end")
}

// TestSetColumnsOrder: rule 75. Rows follow the SetColumns order; PR_NULL
// slots stay PR_NULL; a column the rows lack is {PT_ERROR,
// MAPI_E_NOT_FOUND} [D imapitable-setcolumns].
func TestSetColumnsOrder(t *testing.T) {
	_, f := specTableFixture(t)
	unknown := mapispi.NewPropTag(mapispi.PtUnicode, 0x6621)
	tbl := specTable(t, f.ContentsTable, 0)
	rows := specRows(t, tbl, propRank, mapispi.PropNull, mapispi.PropSubject, unknown)
	require.Len(t, rows, 4)
	r := rows[0]
	require.Len(t, r, 4, "row columns")
	assert.Equal(t, mapispi.PropValue{Tag: propRank, Value: int32(3)}, r[0], "column 0")
	assert.Equal(t, mapispi.PropNull, r[1].Tag, "column 1 (PR_NULL slot)")
	assert.Equal(t, mapispi.PropValue{Tag: mapispi.PropSubject, Value: "Say HELLO"}, r[2], "column 2")
	assert.Equal(t, mapispi.ErrorValue(unknown, mapispi.ErrNotFound), r[3], "column 3 (no message has it)")
	cols, err := tbl.Columns(bg)
	require.NoError(t, err)
	assert.Equal(t, []mapispi.PropTag{propRank, mapispi.PropNull, mapispi.PropSubject, unknown}, cols, "QueryColumns")
}

// TestSeekRowClamps: rules 76-78. SeekRow past either end clamps and
// reports the rows it moved (negative backwards); SeekRow(BOOKMARK_END,
// -1) then QueryRows(1) gives the last row; SeekRowApprox(1,1) is after
// the last row and (0,x) the start; QueryPosition's row is the rows read
// so far [D imapitable-seekrow; D imapitable-seekrowapprox;
// D imapitable-queryposition].
func TestSeekRowClamps(t *testing.T) {
	_, f := specTableFixture(t)
	tbl := specSubjectTable(t, f)
	res, err := tbl.SeekRow(bg, mapispi.BookmarkBeginning, 10)
	require.NoError(t, err)
	assert.Equal(t, 4, res.Rows, "SeekRow(BOOKMARK_BEGINNING, 10) rows sought")
	assert.Empty(t, specRead(t, tbl, 1), "QueryRows after seeking past the end")
	res, err = tbl.SeekRow(bg, mapispi.BookmarkEnd, -10)
	require.NoError(t, err)
	assert.Equal(t, -4, res.Rows, "SeekRow(BOOKMARK_END, -10) rows sought")
	assert.Equal(t, []any{"Say HELLO"}, specRead(t, tbl, 1), "QueryRows after seeking before the start")
	res, err = tbl.SeekRow(bg, mapispi.BookmarkCurrent, 2)
	require.NoError(t, err)
	assert.Equal(t, 2, res.Rows, "SeekRow(BOOKMARK_CURRENT, 2) rows sought")
	pos, err := tbl.QueryPosition(bg)
	require.NoError(t, err)
	assert.Equal(t, 3, pos.Row, "QueryPosition row after reading one row and seeking two")
	_, err = tbl.SeekRow(bg, mapispi.BookmarkEnd, -1)
	require.NoError(t, err)
	assert.Equal(t, []any{"zeta"}, specRead(t, tbl, 1), "SeekRow(BOOKMARK_END, -1) then QueryRows(1)")

	require.NoError(t, tbl.SeekRowApprox(bg, 1, 1))
	assert.Empty(t, specRead(t, tbl, 1), "QueryRows after SeekRowApprox(1, 1)")
	require.NoError(t, tbl.SeekRowApprox(bg, 0, 7))
	assert.Equal(t, []any{"Say HELLO", "hello world"}, specRead(t, tbl, 2), "QueryRows after SeekRowApprox(0, 7)")
	pos, err = tbl.QueryPosition(bg)
	require.NoError(t, err)
	assert.Equal(t, 2, pos.Row, "QueryPosition row after reading two rows")
	assert.NotZero(t, pos.Denominator, "QueryPosition denominator")
	specCode(t, tbl.SeekRowApprox(bg, 1, 0), mapispi.ErrInvalidParameter, "SeekRowApprox(1, 0)")
}

// TestBookmarksAndRestrict: rules 79-80. FreeBookmark(BOOKMARK_CURRENT)
// is S_OK, an unknown bookmark MAPI_E_INVALID_BOOKMARK; Restrict discards
// the bookmarks and puts the cursor at the start; Restrict(NULL) brings
// every row back [D imapitable-freebookmark; D imapitable-restrict].
func TestBookmarksAndRestrict(t *testing.T) {
	_, f := specTableFixture(t)
	tbl := specSubjectTable(t, f)
	assert.NoError(t, tbl.FreeBookmark(bg, mapispi.BookmarkCurrent), "FreeBookmark(BOOKMARK_CURRENT)")
	specCode(t, tbl.FreeBookmark(bg, 0x7777), mapispi.ErrInvalidBookmark, "FreeBookmark(unknown)")
	specRead(t, tbl, 2)
	bk, err := tbl.CreateBookmark(bg)
	require.NoError(t, err)
	res, err := tbl.SeekRow(bg, bk, 0)
	require.NoError(t, err, "SeekRow(bookmark)")
	assert.False(t, res.PositionChanged)
	assert.Equal(t, []any{"other"}, specRead(t, tbl, 1), "QueryRows from the bookmark")

	require.NoError(t, tbl.Restrict(bg, mapispi.ExistRestriction{Tag: propRank}))
	pos, err := tbl.QueryPosition(bg)
	require.NoError(t, err)
	assert.Equal(t, 0, pos.Row, "QueryPosition after Restrict")
	_, err = tbl.SeekRow(bg, bk, 0)
	specCode(t, err, mapispi.ErrInvalidBookmark, "SeekRow(bookmark made before Restrict)")
	assert.Equal(t, []any{"Say HELLO", "hello world", "zeta"}, specRead(t, tbl, 10), "rows with RES_EXIST(rank)")
	require.NoError(t, tbl.Restrict(bg, nil))
	assert.Equal(t, []any{"Say HELLO", "hello world", "other", "zeta"}, specCol(specRows(t, tbl), 0), "rows after Restrict(NULL)")
}

// TestFindRow: rules 81-82. FindRow forward from BOOKMARK_BEGINNING puts
// the cursor on the first match, which the next QueryRows(1) returns;
// DIR_BACKWARD from BOOKMARK_END finds the last match; no match is
// MAPI_E_NOT_FOUND [D imapitable-findrow].
func TestFindRow(t *testing.T) {
	_, f := specTableFixture(t)
	tbl := specSubjectTable(t, f)
	read := mapispi.BitmaskRestriction{Relop: mapispi.BitmaskNEZ, Tag: mapispi.PropMessageFlags, Mask: uint32(mapispi.MsgFlagRead)}
	_, err := tbl.FindRow(bg, read, mapispi.BookmarkBeginning, 0)
	require.NoError(t, err, "FindRow(read, BOOKMARK_BEGINNING)")
	assert.Equal(t, []any{"Say HELLO"}, specRead(t, tbl, 1), "QueryRows(1) after FindRow forward")
	_, err = tbl.FindRow(bg, read, mapispi.BookmarkEnd, mapispi.FindBackward)
	require.NoError(t, err, "FindRow(read, BOOKMARK_END, DIR_BACKWARD)")
	assert.Equal(t, []any{"zeta"}, specRead(t, tbl, 1), "QueryRows(1) after FindRow backward")
	_, err = tbl.FindRow(bg, mapispi.PropertyRestriction{Relop: mapispi.RelopEQ, Tag: mapispi.PropSubject, Prop: specSubject("nobody")}, mapispi.BookmarkBeginning, 0)
	specCode(t, err, mapispi.ErrNotFound, "FindRow(no match)")
}

// TestRestrictionKinds: rules 83-85. RES_CONTENT FL_SUBSTRING|FL_IGNORECASE
// finds "hello" in "Say HELLO", FL_FULLSTRING does not; RES_CONTENT of a
// string column with a number is MAPI_E_TOO_COMPLEX; RES_BITMASK BMR_NEZ
// MSGFLAG_READ keeps the read messages; RES_EXIST drops rows lacking the
// property [D scontentrestriction; D sbitmaskrestriction;
// D sexistrestriction].
//
// FL_FULLSTRING (store-facts §8 #13): the SContentRestriction page words
// it "must be contained in the property", the words it uses for
// FL_SUBSTRING, yet says the three values are exclusive with "fixed"
// meanings; [MS-OXCDATA] ContentRestriction, also Microsoft's, has the
// two values "match in their entirety". No Docs override here: the whole
// value it is.
func TestRestrictionKinds(t *testing.T) {
	_, f := specTableFixture(t)
	tbl := specSubjectTable(t, f)
	restrict := func(r mapispi.Restriction) []any {
		t.Helper()
		require.NoError(t, tbl.Restrict(bg, r))
		return specCol(specRows(t, tbl), 0)
	}
	hello := specSubject("hello")
	assert.Equal(t, []any{"Say HELLO", "hello world"}, restrict(mapispi.ContentRestriction{FuzzyLevel: mapispi.FuzzySubstring | mapispi.FuzzyIgnoreCase, Tag: mapispi.PropSubject, Prop: hello}),
		"RES_CONTENT(FL_SUBSTRING|FL_IGNORECASE, hello)")
	assert.Empty(t, restrict(mapispi.ContentRestriction{FuzzyLevel: mapispi.FuzzyFullString | mapispi.FuzzyIgnoreCase, Tag: mapispi.PropSubject, Prop: hello}),
		"RES_CONTENT(FL_FULLSTRING|FL_IGNORECASE, hello)")
	assert.Equal(t, []any{"hello world"}, restrict(mapispi.ContentRestriction{FuzzyLevel: mapispi.FuzzyPrefix, Tag: mapispi.PropSubject, Prop: hello}),
		"RES_CONTENT(FL_PREFIX, hello)")
	err := tbl.Restrict(bg, mapispi.ContentRestriction{FuzzyLevel: mapispi.FuzzySubstring, Tag: mapispi.PropSubject, Prop: mapispi.PropValue{Tag: propRank, Value: int32(1)}})
	specCode(t, err, mapispi.ErrTooComplex, "RES_CONTENT(string column, PT_LONG value)")
	assert.Equal(t, []any{"Say HELLO", "zeta"}, restrict(mapispi.BitmaskRestriction{Relop: mapispi.BitmaskNEZ, Tag: mapispi.PropMessageFlags, Mask: uint32(mapispi.MsgFlagRead)}),
		"RES_BITMASK(BMR_NEZ, MSGFLAG_READ)")
	assert.Equal(t, []any{"hello world", "other"}, restrict(mapispi.BitmaskRestriction{Relop: mapispi.BitmaskEQZ, Tag: mapispi.PropMessageFlags, Mask: uint32(mapispi.MsgFlagRead)}),
		"RES_BITMASK(BMR_EQZ, MSGFLAG_READ)")
	assert.Equal(t, []any{"Say HELLO", "hello world", "zeta"}, restrict(mapispi.ExistRestriction{Tag: propRank}), "RES_EXIST(rank)")
}

// TestSortTableAbsentLast: rule 86. TABLE_SORT_DESCEND reverses
// TABLE_SORT_ASCEND; rows lacking the sort column come last both ways
// [D ssortorder].
func TestSortTableAbsentLast(t *testing.T) {
	_, f := specTableFixture(t)
	tbl := specSubjectTable(t, f)
	sortBy := func(dir mapispi.SortDirection) []any {
		t.Helper()
		require.NoError(t, tbl.SortTable(bg, mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: propRank, Order: dir}}}))
		return specCol(specRows(t, tbl), 0)
	}
	assert.Equal(t, []any{"hello world", "zeta", "Say HELLO", "other"}, sortBy(mapispi.SortAscend), "rows by rank ascending")
	assert.Equal(t, []any{"Say HELLO", "zeta", "hello world", "other"}, sortBy(mapispi.SortDescend), "rows by rank descending")
}

// TestContentsTableNotifications: rules 87-88 and the table notification
// rules. A contents table opened on an empty folder, before its first
// message, gets TABLE_ROW_ADDED at the message's first save with
// propPrior PR_NULL (first row) and the row in the table's columns; the
// next message's propPrior is the first row's PR_INSTANCE_KEY; a later
// save is TABLE_ROW_MODIFIED; a delete TABLE_ROW_DELETED whose propIndex
// is the row's PR_INSTANCE_KEY [D table_notification;
// D about-table-notifications].
func TestContentsTableNotifications(t *testing.T) {
	m := openMailbox(t)
	f := specFolder(t, specInbox(t, m), "Empty")
	tbl := specTable(t, f.ContentsTable, 0)
	require.NoError(t, tbl.SetColumns(bg, []mapispi.PropTag{mapispi.PropSubject, mapispi.PropInstanceKey}))
	sink := specTableAdvise(t, tbl)

	first := specCreate(t, f, 0, specSubject("first"))
	require.NoError(t, first.SaveChanges(bg, mapispi.KeepOpenReadWrite))
	got := sink.waitN(t, 1, "TABLE_ROW_ADDED of the first message")
	assert.Equal(t, mapispi.TableRowAdded, got[0].Event, "event of the first save")
	assert.Equal(t, mapispi.PropNull, got[0].Prior.Tag, "propPrior of the first row, want PR_NULL")
	assert.Equal(t, "first", specRowValue(got[0].Row, mapispi.PropSubject), "row of TABLE_ROW_ADDED")
	firstKey := got[0].Index.Value

	rows := specRows(t, tbl)
	require.Len(t, rows, 1)
	assert.Equal(t, rows[0][1].Value, firstKey, "propIndex of TABLE_ROW_ADDED, want the row's PR_INSTANCE_KEY")

	secondID := specMsg(t, f, specSubject("second"))
	got = sink.waitN(t, 2, "TABLE_ROW_ADDED of the second message")
	assert.Equal(t, mapispi.TableRowAdded, got[1].Event, "event of the second message's save")
	assert.Equal(t, mapispi.PropInstanceKey, got[1].Prior.Tag, "propPrior of the second row")
	assert.Equal(t, firstKey, got[1].Prior.Value, "propPrior of the second row, want the first row's key")
	secondKey := got[1].Index.Value

	_, err := first.SetProps(bg, []mapispi.PropValue{specSubject("first, edited")})
	require.NoError(t, err)
	require.NoError(t, first.SaveChanges(bg, 0))
	got = sink.waitN(t, 3, "TABLE_ROW_MODIFIED")
	assert.Equal(t, mapispi.TableRowModified, got[2].Event, "event of the second save")
	assert.Equal(t, firstKey, got[2].Index.Value, "propIndex of TABLE_ROW_MODIFIED")
	assert.Equal(t, "first, edited", specRowValue(got[2].Row, mapispi.PropSubject), "row of TABLE_ROW_MODIFIED")

	require.NoError(t, f.DeleteMessages(bg, []mapispi.EntryID{secondID}, 0))
	got = sink.waitN(t, 4, "TABLE_ROW_DELETED")
	assert.Equal(t, mapispi.TableRowDeleted, got[3].Event, "event of DeleteMessages")
	assert.Equal(t, secondKey, got[3].Index.Value, "propIndex of TABLE_ROW_DELETED, want the row's PR_INSTANCE_KEY")
	assert.Empty(t, got[3].Row, "row of TABLE_ROW_DELETED")
	assert.Len(t, got, 4, "table notifications: %v", got)
}

// TestNoTableEventForRestrictedRow: rule 89. A change to a row the
// table's restriction hides sends no table notification: the first one
// the sink gets is the visible row's [D about-table-notifications].
func TestNoTableEventForRestrictedRow(t *testing.T) {
	m := openMailbox(t)
	f := specFolder(t, specInbox(t, m), "Restricted")
	tbl := specTable(t, f.ContentsTable, 0)
	require.NoError(t, tbl.SetColumns(bg, []mapispi.PropTag{mapispi.PropSubject}))
	require.NoError(t, tbl.Restrict(bg, mapispi.PropertyRestriction{Relop: mapispi.RelopEQ, Tag: mapispi.PropSubject, Prop: specSubject("shown")}))
	sink := specTableAdvise(t, tbl)
	hidden := specMsg(t, f, specSubject("hidden"))
	require.NoError(t, f.DeleteMessages(bg, []mapispi.EntryID{hidden}, 0))
	specMsg(t, f, specSubject("hidden too"))
	specMsg(t, f, specSubject("shown")) // the barrier: events come in order
	got := sink.waitN(t, 1, "TABLE_ROW_ADDED of the visible row")
	assert.Equal(t, mapispi.TableRowAdded, got[0].Event, "first table notification")
	assert.Equal(t, "shown", specRowValue(got[0].Row, mapispi.PropSubject), "first table notification's row, want the visible message's")
}

// TestInstanceKeysAndCursor: rules 90-92. PR_INSTANCE_KEY is unique per
// row and stays while the table is open, across changes of the rows;
// when the cursor's row is deleted the next QueryRows(1) gives the row
// that followed; a row inserted before the cursor does not change the
// next row read [D pidtaginstancekey; K/I].
func TestInstanceKeysAndCursor(t *testing.T) {
	m, f := specTableFixture(t)
	tbl := specTable(t, f.ContentsTable, 0)
	require.NoError(t, tbl.SetColumns(bg, []mapispi.PropTag{mapispi.PropSubject, mapispi.PropInstanceKey, mapispi.PropEntryID}))
	require.NoError(t, tbl.SortTable(bg, mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: mapispi.PropSubject}}}))
	rows := specRows(t, tbl)
	require.Len(t, rows, 4)
	keys := map[string]any{}
	seen := map[string]bool{}
	for _, r := range rows {
		k := string(r[1].Value.([]byte))
		assert.False(t, seen[k], "PR_INSTANCE_KEY %X repeats", k)
		seen[k] = true
		keys[r[0].Value.(string)] = r[1].Value
	}
	// Editing a message keeps its row's key.
	msg := specOpenMsg(t, m.store, rows[3][2].Value.([]byte), mapispi.OpenModify)
	_, err := msg.SetProps(bg, []mapispi.PropValue{{Tag: mapispi.PropImportance, Value: int32(2)}})
	require.NoError(t, err)
	require.NoError(t, msg.SaveChanges(bg, 0))
	for _, r := range specRows(t, tbl) {
		assert.Equal(t, keys[r[0].Value.(string)], r[1].Value, "PR_INSTANCE_KEY of %q after an edit", r[0].Value)
	}

	// Put the cursor on the second row and delete its message.
	_, err = tbl.SeekRow(bg, mapispi.BookmarkBeginning, 1)
	require.NoError(t, err)
	require.NoError(t, f.DeleteMessages(bg, []mapispi.EntryID{rows[1][2].Value.([]byte)}, 0))
	assert.Equal(t, []any{rows[2][0].Value}, specRead(t, tbl, 1), "QueryRows(1) after the cursor's row (%q) was deleted", rows[1][0].Value)
	specMsg(t, f, specSubject("Aardvark")) // sorts before the cursor
	assert.Equal(t, []any{rows[3][0].Value}, specRead(t, tbl, 1), "QueryRows(1) after a row was inserted before the cursor")
}

// TestHierarchyTableNotifications: table notifications on hierarchy
// tables: CreateFolder is TABLE_ROW_ADDED in the parent's open table,
// renaming TABLE_ROW_MODIFIED, DeleteFolder TABLE_ROW_DELETED; a
// CONVENIENT_DEPTH table of an ancestor gets the grandchild's row with
// its PR_DEPTH, in depth-first place.
func TestHierarchyTableNotifications(t *testing.T) {
	m := openMailbox(t)
	top := specFolder(t, specInbox(t, m), "Top")
	flat := specTable(t, top.HierarchyTable, 0)
	require.NoError(t, flat.SetColumns(bg, []mapispi.PropTag{mapispi.PropDisplayName, mapispi.PropInstanceKey}))
	deep := specTable(t, top.HierarchyTable, mapispi.TableConvenientDepth)
	require.NoError(t, deep.SetColumns(bg, []mapispi.PropTag{mapispi.PropDisplayName, mapispi.PropDepth}))
	flatSink, deepSink := specTableAdvise(t, flat), specTableAdvise(t, deep)

	a := specFolder(t, top, "A")
	got := flatSink.waitN(t, 1, "TABLE_ROW_ADDED of A")
	assert.Equal(t, mapispi.TableRowAdded, got[0].Event, "hierarchy event of CreateFolder")
	assert.Equal(t, "A", specRowValue(got[0].Row, mapispi.PropDisplayName), "row of TABLE_ROW_ADDED")
	aKey := got[0].Index.Value

	specFolder(t, a, "A1")
	specFolder(t, top, "B")
	dgot := deepSink.wait(t, "TABLE_ROW_ADDED of B in the CONVENIENT_DEPTH table", func(ns []mapispi.TableNotification) bool {
		for _, x := range ns {
			if x.Event == mapispi.TableRowAdded && specRowValue(x.Row, mapispi.PropDisplayName) == "B" {
				return true
			}
		}
		return false
	})
	var a1Added bool
	for _, x := range dgot {
		if x.Event == mapispi.TableRowAdded && specRowValue(x.Row, mapispi.PropDisplayName) == "A1" {
			a1Added = true
			assert.Equal(t, int32(1), specRowValue(x.Row, mapispi.PropDepth), "PR_DEPTH in the grandchild's TABLE_ROW_ADDED")
		}
	}
	assert.True(t, a1Added, "CONVENIENT_DEPTH table notifications %v lack TABLE_ROW_ADDED of the grandchild", dgot)
	assert.Equal(t, []any{"A", "A1", "B"}, specCol(specRows(t, deep), 0), "CONVENIENT_DEPTH rows after the creates")
	assert.Equal(t, []any{int32(0), int32(1), int32(0)}, specCol(specRows(t, deep), 1), "CONVENIENT_DEPTH PR_DEPTH after the creates")

	n := len(flatSink.waitN(t, 2, "TABLE_ROW_ADDED of B"))
	_, err := a.SetProps(bg, []mapispi.PropValue{{Tag: mapispi.PropDisplayName, Value: "A renamed"}})
	require.NoError(t, err)
	got = flatSink.wait(t, "TABLE_ROW_MODIFIED of A", func(ns []mapispi.TableNotification) bool {
		return len(ns) > n && ns[len(ns)-1].Event == mapispi.TableRowModified && specRowValue(ns[len(ns)-1].Row, mapispi.PropDisplayName) == "A renamed"
	})
	assert.Equal(t, aKey, got[len(got)-1].Index.Value, "propIndex of TABLE_ROW_MODIFIED")

	n = len(got)
	require.NoError(t, top.DeleteFolder(bg, specID(t, a), mapispi.DelFolders))
	got = flatSink.wait(t, "TABLE_ROW_DELETED of A", func(ns []mapispi.TableNotification) bool {
		for _, x := range ns[n:] {
			if x.Event == mapispi.TableRowDeleted {
				return true
			}
		}
		return false
	})
	for _, x := range got[n:] {
		if x.Event == mapispi.TableRowDeleted {
			assert.Equal(t, aKey, x.Index.Value, "propIndex of TABLE_ROW_DELETED")
		}
	}
	assert.Equal(t, []any{"B"}, specCol(specRows(t, deep), 0), "CONVENIENT_DEPTH rows after deleting A and A1")
}

// TestMultiValuedInstanceSort: an MVI_FLAG column expands each row into
// one row per value, and sorts on the single values
// [D imapitable-sorttable; D pidtagstoresupportmask STORE_MV_PROPS_OK];
// a multi-valued property keeps its value order through a save.
func TestMultiValuedInstanceSort(t *testing.T) {
	m := openMailbox(t)
	f := specFolder(t, specInbox(t, m), "MV")
	kw := mapispi.NewPropTag(mapispi.PtUnicode|mapispi.MVFlag, 0x6622)
	one := specMsg(t, f, specSubject("one"), mapispi.PropValue{Tag: kw, Value: []string{"pear", "apple"}})
	specMsg(t, f, specSubject("two"), mapispi.PropValue{Tag: kw, Value: []string{"fig"}})
	stored := specOpenMsg(t, m.store, one, 0)
	assert.Equal(t, []string{"pear", "apple"}, specGet(t, stored, kw).Value, "multi-valued property after a save, in its order")

	mvi := kw.WithType(kw.Type() | mapispi.MVInstance)
	tbl := specTable(t, f.ContentsTable, 0)
	require.NoError(t, tbl.SetColumns(bg, []mapispi.PropTag{mapispi.PropSubject, mvi}))
	require.NoError(t, tbl.SortTable(bg, mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: mvi, Order: mapispi.SortAscend}}}))
	rows := specRows(t, tbl)
	assert.Equal(t, []any{"one", "two", "one"}, specCol(rows, 0), "rows sorted on the MVI column: subjects")
	assert.Equal(t, []any{"apple", "fig", "pear"}, specCol(rows, 1), "rows sorted on the MVI column: values")
	keys := map[string]bool{}
	require.NoError(t, tbl.SetColumns(bg, []mapispi.PropTag{mapispi.PropInstanceKey, mvi}))
	for _, r := range specRows(t, tbl) {
		keys[string(r[0].Value.([]byte))] = true
	}
	assert.Len(t, keys, 3, "PR_INSTANCE_KEYs of the MVI rows, want one each")
}
