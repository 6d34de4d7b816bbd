// Package mapiutil is the Go form of what MAPI ships in mapiutil.h for
// providers and clients: property comparison and search (LPropCompareProp,
// FPropCompareProp, FPropContainsProp, PpropFindProp, FBadPropTag,
// FBadColumnSet, UlPropSize), restriction evaluation as IMAPITable::Restrict
// performs it (Match), an in-memory property object (PropData, CreateIProp)
// and in-memory table data with views (TableData, CreateTable).
//
// Everything here behaves as native MAPI does where that is observable,
// including its oddities; each function's documentation names the ones it
// keeps.
package mapiutil
