package mapispi

// Connection is the Go form of a notification connection number
// (ULONG_PTR ulConnection), as Advise and Subscribe return it. It is
// never zero.
type Connection uint64

// CallbackResult is the Go form of what IMAPIAdviseSink::OnNotify returns.
type CallbackResult uint32

// Callback results, from MAPIDefS.h.
const (
	CallbackContinue    CallbackResult = 0          // keep notifying
	CallbackDiscontinue CallbackResult = 0x80000000 // CALLBACK_DISCONTINUE: stop this batch
)

// AdviseSink is the Go form of IMAPIAdviseSink: the receiver of
// notifications. OnNotify is called under the rules of the package
// documentation's "Notifications" section: in the order of the changes,
// one call at a time, on a goroutine that holds no host, provider or
// table lock. It must not keep the slice after it returns.
type AdviseSink interface {
	OnNotify(notifications []Notification) CallbackResult
}

// AdviseSinkFunc adapts a function to AdviseSink.
type AdviseSinkFunc func(notifications []Notification) CallbackResult

// OnNotify calls f.
func (f AdviseSinkFunc) OnNotify(notifications []Notification) CallbackResult {
	return f(notifications)
}

// Notification is the Go form of NOTIFICATION. Event holds exactly one
// event bit; which other fields are set depends on it:
//
//	EventNewMail                     EntryID, ParentID, MessageClass, MessageFlags
//	EventObjectCreated ... Copied    EntryID, ObjectType, ParentID, OldID, OldParentID, Props
//	EventCriticalError               EntryID, Err
//	EventStatusObjectModified        EntryID, Values
//
// Entry IDs in notifications are long-term IDs.
type Notification struct {
	Event        EventMask
	EntryID      EntryID
	ParentID     EntryID
	OldID        EntryID
	OldParentID  EntryID
	ObjectType   ObjectType
	Props        []PropTag   // the changed properties
	Values       []PropValue // status object modifications
	MessageClass string
	MessageFlags uint32
	Err          error
}
