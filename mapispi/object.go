package mapispi

import "context"

// Object is what OpenEntry and OpenStatusEntry return: any MAPI object,
// with its type (lpulObjType). QueryInterface becomes a type assertion to
// the interface the caller wants, such as MsgStore or an optional
// interface a later package defines.
type Object interface {
	// ObjectType reports the object's MAPI type (PR_OBJECT_TYPE).
	ObjectType() ObjectType
}

// Properties is the Go form of the core of IMAPIProp, which every MAPI
// object with properties implements: GetProps, GetPropList, SetProps and
// DeleteProps. CopyTo, CopyProps, OpenProperty and named properties are
// left to optional interfaces.
type Properties interface {
	// GetProps is IMAPIProp::GetProps: the values of tags, in order, or of
	// every property when tags is nil. A property that cannot be returned
	// comes back as ErrorValue(tag, code) (ErrNotFound for a missing one)
	// and the call returns WarnErrorsReturned with the values.
	GetProps(ctx context.Context, tags []PropTag) ([]PropValue, error)

	// GetPropList is IMAPIProp::GetPropList: the tags of every property.
	GetPropList(ctx context.Context) ([]PropTag, error)

	// SetProps is IMAPIProp::SetProps. Properties it could not set are
	// listed as problems; the call still succeeds. Whole-call failures are
	// errors, such as ErrNoAccess on an object opened read-only.
	SetProps(ctx context.Context, values []PropValue) ([]PropProblem, error)

	// DeleteProps is IMAPIProp::DeleteProps, reporting problems as SetProps does.
	DeleteProps(ctx context.Context, tags []PropTag) ([]PropProblem, error)
}
