package mapi

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

// LocalAddrType is the address type (PR_ADDRTYPE) of a recipient that is
// a store of the session's profile: its PR_EMAIL_ADDRESS is the message
// service's name. The spooler delivers such mail itself, into that
// store's receive folder, as it does for an SMTP address the service's
// profile section claims (PR_SMTP_ADDRESS or PR_EMAIL_ADDRESS).
const LocalAddrType = "MAPIEMU"

// Transport stands in for a MAPI transport provider (IXPProvider and
// IXPLogon in MAPI's transport SPI), reduced to what a Go program needs
// to take mail out of the session: the spooler hands it each message
// whose recipients have its address type, and it says what became of
// them. Register it in a [Transports] that Options.Transports names.
//
// Within a session Send is called one message at a time (sessions that
// share a Transports call it concurrently), with the message locked in
// its store (no client can change or abort it
// meanwhile), and must not keep m past its return. A Transport must be
// safe for use by several sessions when it is registered in more than
// one.
type Transport interface {
	// Send is IXPLogon::SubmitMessage and IXPLogon::EndMessage in one:
	// deliver m to m.Recipients. A panic is a Failed outcome that names
	// it. The context is cancelled when the flush that called Send is,
	// and a Send that gives up for it should return Deferred.
	Send(ctx context.Context, m *Outbound) Outcome
}

// TransportFunc adapts a function to [Transport].
type TransportFunc func(ctx context.Context, m *Outbound) Outcome

// Send calls f.
func (f TransportFunc) Send(ctx context.Context, m *Outbound) Outcome { return f(ctx, m) }

// Outbound is a message on its way out, as the spooler hands it to a
// transport: a copy of the message's properties, recipients and
// attachments, taken while the message is locked.
type Outbound struct {
	// Service is the name of the message service whose store the message
	// was submitted in.
	Service string
	// EntryID is the message's entry ID in that store.
	EntryID mapispi.EntryID
	// Props are the message's properties, large ones in full.
	Props []mapispi.PropValue
	// Recipients are the recipients this delivery is for (for a
	// transport, those of its address type the message still has to
	// reach), each with its PR_ROWID. For an embedded message, all of its
	// recipients.
	Recipients []mapispi.Row
	// AllRecipients are all of the message's recipients, as the recipient
	// table lists them; nil for an embedded message, whose Recipients are
	// all of them.
	AllRecipients []mapispi.Row
	// Attachments are the message's attachments, in the attachment
	// table's order.
	Attachments []OutboundAttachment
	// Names are the names of the named properties (IDs from
	// mapispi.NamedPropIDMin up) among the values above, by ID, as the
	// sender's store maps them; nil for an embedded message, whose IDs
	// are its top-level message's.
	Names map[uint16]mapispi.PropName
}

// OutboundAttachment is one attachment of an [Outbound] message.
type OutboundAttachment struct {
	// Props are the attachment's properties, PR_ATTACH_DATA_BIN in full.
	Props []mapispi.PropValue
	// Message is the embedded message of an ATTACH_EMBEDDED_MSG
	// attachment, or nil.
	Message *Outbound
}

// Prop returns the value of tag in m.Props (compared by property ID when
// tag's type is PT_UNSPECIFIED), and whether there is one.
func (m *Outbound) Prop(tag mapispi.PropTag) (mapispi.PropValue, bool) {
	return mapiutil.FindProp(m.Props, tag)
}

// Outcome is what a transport says became of the recipients it was given.
type Outcome struct {
	// Status is Delivered, Deferred or Failed.
	Status DeliveryStatus
	// Reason says why a delivery was deferred or failed; the
	// non-delivery report carries it.
	Reason string
}

// DeliveryStatus says what became of a message's recipients.
type DeliveryStatus int

// The delivery statuses.
const (
	// Delivered: the recipients have the message. The spooler marks them
	// done (PR_RESPONSIBILITY TRUE) and never hands them out again.
	Delivered DeliveryStatus = iota
	// Deferred: try again later. The message stays on the outgoing queue
	// with these recipients pending, for the next flush.
	Deferred
	// Failed: the recipients cannot be reached. The spooler marks them
	// done and writes a non-delivery report into the sender's store.
	Failed
)

var statusNames = [...]string{Delivered: "Delivered", Deferred: "Deferred", Failed: "Failed"}

// String returns the status's name, such as "Delivered".
func (d DeliveryStatus) String() string {
	if d >= 0 && int(d) < len(statusNames) {
		return statusNames[d]
	}
	return fmt.Sprintf("DeliveryStatus(%d)", int(d))
}

// Transports maps address types (PR_ADDRTYPE values such as "SMTP") to
// the transports that deliver to them; address types compare without
// regard to case. The zero Transports is empty and ready, and a
// Transports is safe for concurrent use: a transport registered while a
// session runs is used from the next message a flush routes.
type Transports struct {
	mu sync.RWMutex
	by map[string]registeredTransport // by strings.ToUpper(address type)
}

type registeredTransport struct {
	addrType string
	t        Transport
}

// Register makes t the transport for addrType. An empty address type, a
// nil transport, LocalAddrType (the spooler's own) or an address type
// registered already is an error wrapping ErrInvalidParameter or
// ErrCollision.
func (r *Transports) Register(addrType string, t Transport) error {
	const op = "mapi.Transports"
	if strings.TrimSpace(addrType) == "" {
		return mapispi.Errorf(mapispi.ErrInvalidParameter, op, "empty address type")
	}
	if t == nil || isNil(t) {
		return mapispi.Errorf(mapispi.ErrInvalidParameter, op, "address type %q has a nil transport", addrType)
	}
	key := strings.ToUpper(addrType)
	if key == LocalAddrType {
		return mapispi.Errorf(mapispi.ErrInvalidParameter, op, "address type %q is the spooler's own local delivery", addrType)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if old, ok := r.by[key]; ok {
		return mapispi.Errorf(mapispi.ErrCollision, op, "address type %q is already registered as %q", addrType, old.addrType)
	}
	if r.by == nil {
		r.by = make(map[string]registeredTransport)
	}
	r.by[key] = registeredTransport{addrType: addrType, t: t}
	return nil
}

// Lookup returns the transport registered for addrType.
func (r *Transports) Lookup(addrType string) (Transport, bool) {
	if r == nil {
		return nil, false
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	e, ok := r.by[strings.ToUpper(addrType)]
	return e.t, ok
}

// AddrTypes returns the registered address types, as registered, sorted.
func (r *Transports) AddrTypes() []string {
	r.mu.RLock()
	out := make([]string, 0, len(r.by))
	for _, e := range r.by {
		out = append(out, e.addrType)
	}
	r.mu.RUnlock()
	slices.Sort(out)
	return out
}
