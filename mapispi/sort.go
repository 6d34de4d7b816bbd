package mapispi

import (
	"fmt"
	"strings"
)

// SortDirection is the Go form of SSortOrder's ulOrder.
type SortDirection uint32

// Sort directions, from MAPIDefS.h. SortCombine, SortCategMax and
// SortCategMin apply only to categorized sorts.
const (
	SortAscend   SortDirection = 0 // TABLE_SORT_ASCEND
	SortDescend  SortDirection = 1 // TABLE_SORT_DESCEND
	SortCombine  SortDirection = 2 // TABLE_SORT_COMBINE: one category from this and the previous column
	SortCategMax SortDirection = 4 // TABLE_SORT_CATEG_MAX: order categories by their greatest value of this column
	SortCategMin SortDirection = 8 // TABLE_SORT_CATEG_MIN: order categories by their least value of this column
)

// String returns the C name, such as "TABLE_SORT_DESCEND", or
// "TABLE_SORT_0x%X".
func (d SortDirection) String() string {
	switch d {
	case SortAscend:
		return "TABLE_SORT_ASCEND"
	case SortDescend:
		return "TABLE_SORT_DESCEND"
	case SortCombine:
		return "TABLE_SORT_COMBINE"
	case SortCategMax:
		return "TABLE_SORT_CATEG_MAX"
	case SortCategMin:
		return "TABLE_SORT_CATEG_MIN"
	}
	return fmt.Sprintf("TABLE_SORT_0x%X", uint32(d))
}

// SortOrder is the Go form of SSortOrder: one sort key.
type SortOrder struct {
	Tag   PropTag
	Order SortDirection
}

// String returns "TAG DIRECTION", such as "PR_SUBJECT TABLE_SORT_ASCEND".
func (s SortOrder) String() string { return s.Tag.String() + " " + s.Order.String() }

// SortOrderSet is the Go form of SSortOrderSet: the sort keys, most
// significant first, and for a categorized sort the number of leading
// keys that are categories (cCategories) and how many of those start
// expanded (cExpanded). An empty Sorts means no particular order.
type SortOrderSet struct {
	Sorts      []SortOrder
	Categories int
	Expanded   int
}

// String lists the keys separated by ", ", followed by the category
// counts when there are categories.
func (s SortOrderSet) String() string {
	parts := make([]string, len(s.Sorts))
	for i, o := range s.Sorts {
		parts[i] = o.String()
	}
	out := strings.Join(parts, ", ")
	if s.Categories != 0 || s.Expanded != 0 {
		out += fmt.Sprintf(" (cCategories %d, cExpanded %d)", s.Categories, s.Expanded)
	}
	return out
}
