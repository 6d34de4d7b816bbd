package mapispi

import "context"

// Object is what OpenEntry and OpenStatusEntry return: any MAPI object,
// with its type (lpulObjType), its properties, since every object MAPI
// opens (store, folder, message, status object) implements IMAPIProp, and
// its lifetime. QueryInterface becomes a type assertion to the interface
// the caller wants, such as MsgStore or an optional interface.
//
// # Lifetime
//
// A provider may return one Go value for several opens (a reopened store,
// a status object it keeps); MAPI counts the client handles on each value
// it got, as a COM object counts its references, and calls Close once,
// when the last of them is released: IUnknown::Release of the last
// reference. Close releases what the object holds for its clients
// (unsaved changes are discarded; a store runs its logoff, see MsgStore);
// after it every method of the object, Close included, returns
// ErrInvalidObject. The objects opened through a logon become invalid
// too when the logon ends (MSLogon.Logoff), whether or not Close was
// called; MAPI never calls Close on an object after its logon ended.
type Object interface {
	// ObjectType reports the object's MAPI type, as PR_OBJECT_TYPE does.
	ObjectType() ObjectType
	Properties
	// Close is IUnknown::Release of the object's last reference: release
	// the object, as the type's documentation says. A second call returns
	// ErrInvalidObject.
	Close(ctx context.Context) error
}

// Properties is the Go form of the core of IMAPIProp, which every MAPI
// object with properties implements: GetProps, GetPropList, SetProps and
// DeleteProps. CopyTo, CopyProps, OpenProperty and named properties are
// left to optional interfaces.
//
// A property the call cannot handle is never the call's error: GetProps
// reports it as a PT_ERROR value, SetProps and DeleteProps as a
// PropProblem, and the call returns a nil error. An error means the call
// as a whole failed, such as ErrInvalidObject after logoff or ErrNoAccess
// on an object opened read-only, and then the other results are nil.
//
// The methods take a context because a store may have to fetch or write
// its properties (a file, a server). Returned slices belong to the
// caller; implementations keep no reference to them, nor to the slices
// they are given.
type Properties interface {
	// GetProps is IMAPIProp::GetProps: the values of tags, one per tag in
	// the same order, or of every property when tags is nil. A property
	// that cannot be returned comes back as ErrorValue(tag, code):
	// ErrNotFound for one the object lacks, ErrNotEnoughMemory for one too
	// large to return this way. MAPI would return MAPI_W_ERRORS_RETURNED
	// with such values (see PropsWarning); here the error is nil.
	GetProps(ctx context.Context, tags []PropTag) ([]PropValue, error)

	// GetPropList is IMAPIProp::GetPropList: the tags of every property.
	GetPropList(ctx context.Context) ([]PropTag, error)

	// SetProps is IMAPIProp::SetProps. Each property it could not set is
	// a PropProblem whose Index points into values; the others are set
	// and the error is nil. The problems are nil when every one was set.
	SetProps(ctx context.Context, values []PropValue) ([]PropProblem, error)

	// DeleteProps is IMAPIProp::DeleteProps, reporting each property it
	// could not delete as SetProps does.
	DeleteProps(ctx context.Context, tags []PropTag) ([]PropProblem, error)
}
