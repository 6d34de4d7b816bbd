package mapiutil_test

import (
	"context"
	"fmt"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

func ExamplePropData() {
	ctx := context.Background()
	p := mapiutil.NewPropData()
	p.SetProps(ctx, []mapispi.PropValue{
		{Tag: mapispi.PropSubject, Value: "Quarterly report"},
		{Tag: mapispi.PropMessageSize, Value: int32(2048)},
	})
	// Make PR_MESSAGE_SIZE read-only, as a store does for computed properties.
	p.SetPropAccess([]mapispi.PropTag{mapispi.PropMessageSize},
		[]mapiutil.Access{mapiutil.AccessReadOnly | mapiutil.AccessClean})
	problems, _ := p.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropMessageSize, Value: int32(1)}})
	fmt.Println(problems[0].Code)

	// A missing property is a PT_ERROR value, not an error.
	values, err := p.GetProps(ctx, []mapispi.PropTag{mapispi.PropSubject, mapispi.PropBody})
	fmt.Println(values[0].Value, values[1].Err(), err)
	// Output:
	// MAPI_E_NO_ACCESS
	// Quarterly report MAPI_E_NOT_FOUND <nil>
}

func ExampleTableData() {
	ctx := context.Background()
	id := mapispi.NewPropTag(mapispi.PtLong, 0x6700)
	td, _ := mapiutil.NewTableData(id, []mapispi.PropTag{id, mapispi.PropSubject})
	for i, s := range []string{"lunch", "Budget", "invoice"} {
		td.ModifyRow(mapispi.Row{{Tag: id, Value: int32(i)}, {Tag: mapispi.PropSubject, Value: s}})
	}
	v, _ := td.View(nil)
	v.SortTable(ctx, mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: mapispi.PropSubject, Order: mapispi.SortAscend}}})
	v.Advise(ctx, mapispi.TableSinkFunc(func(n []mapispi.TableNotification) mapispi.CallbackResult {
		fmt.Println("notified:", n[0].Event, "first row:", n[0].Prior.Tag == mapispi.PropNull)
		return mapispi.CallbackContinue
	}))
	td.ModifyRow(mapispi.Row{{Tag: id, Value: int32(3)}, {Tag: mapispi.PropSubject, Value: "Agenda"}})
	td.Flush(ctx) // sinks run asynchronously: wait for them

	rows, _ := v.QueryRows(ctx, 10)
	for _, r := range rows {
		fmt.Println(r[0].Value, r[1].Value)
	}
	// Output:
	// notified: TABLE_ROW_ADDED first row: true
	// 3 Agenda
	// 1 Budget
	// 2 invoice
	// 0 lunch
}

func ExampleMatch() {
	row := []mapispi.PropValue{
		{Tag: mapispi.PropSubject, Value: "Say HELLO to the team"},
		{Tag: mapispi.PropMessageFlags, Value: int32(0x1)},
	}
	r := mapispi.AndRestriction{Res: []mapispi.Restriction{
		mapispi.ContentRestriction{
			FuzzyLevel: mapispi.FuzzySubstring | mapispi.FuzzyIgnoreCase,
			Tag:        mapispi.PropSubject,
			Prop:       mapispi.PropValue{Tag: mapispi.PropSubject, Value: "hello"},
		},
		mapispi.BitmaskRestriction{Relop: mapispi.BitmaskNEZ, Tag: mapispi.PropMessageFlags, Mask: 0x1},
	}}
	ok, err := mapiutil.Match(r, row)
	fmt.Println(ok, err)

	_, err = mapiutil.Match(mapispi.PropertyRestriction{
		Relop: mapispi.RelopEQ, Tag: mapispi.PropMessageFlags,
		Prop: mapispi.PropValue{Tag: mapispi.PropSubject, Value: "1"},
	}, row)
	fmt.Println(err)
	// Output:
	// true <nil>
	// mapiutil: Match: RES_PROPERTY: column PR_MESSAGE_FLAGS and value PR_SUBJECT have different types (MAPI_E_TOO_COMPLEX)
}
