package mapispi

import "context"

// Support is the Go form of the IMAPISupport methods a message store
// provider uses: the support object MAPI passes to Logon and SpoolerLogon,
// one per store logon. A provider keeps the support object of each store
// and uses it for all later work on that store, until Logoff.
//
// Methods MAPI implements only for other provider types are absent. Every
// host implements every method here; Prompt may answer ErrNoSupport. All
// methods must be safe for concurrent use.
type Support interface {
	// SetProviderUID is IMAPISupport::SetProviderUID: register uid so that
	// MAPI routes entry IDs carrying it (bytes 4..19) to this logon. Each
	// call adds one; none can be removed. Call it during Logon.
	SetProviderUID(ctx context.Context, uid UID) error

	// WrapStoreEntryID is IMAPISupport::WrapStoreEntryID: the standard
	// (wrapped) form of the store's unwrapped entry ID, as clients see it
	// in PR_ENTRYID, PR_STORE_ENTRYID and the profile. The result is
	// allocated with MemAllocRoutines; the caller frees it with FreeBuffer.
	WrapStoreEntryID(ctx context.Context, inner EntryID) (EntryID, error)

	// ModifyProfile is IMAPISupport::ModifyProfile: make the store's
	// profile section permanent and list the store in the message store
	// table. With LogonTemporary it does nothing and succeeds.
	ModifyProfile(ctx context.Context, flags LogonFlags) error

	// ModifyStatusRow is IMAPISupport::ModifyStatusRow: add or replace the
	// store's row in the status table, or with StatusRowUpdate merge the
	// columns given.
	ModifyStatusRow(ctx context.Context, values []PropValue, flags StatusRowFlags) error

	// OpenProfileSection is IMAPISupport::OpenProfileSection: the section
	// uid names, or the caller's own section when uid is zero. A missing
	// section is created with OpenModify and is ErrNotFound without it;
	// ErrNoAccess when the caller may not open it.
	OpenProfileSection(ctx context.Context, uid UID, flags OpenFlags) (ProfileSection, error)

	// Subscribe is IMAPISupport::Subscribe: register sink for events on
	// key (often a source's entry ID). Notify delivers to it
	// asynchronously, or with NotifySync synchronously, under the rules of
	// the package documentation's "Notifications" section. The connection
	// is never zero.
	Subscribe(ctx context.Context, key []byte, events EventMask, flags NotifyFlags, sink AdviseSink) (Connection, error)

	// Unsubscribe is IMAPISupport::Unsubscribe. An unknown connection is
	// ErrNotFound. Once it returns the sink is not called again (a call
	// under way finishes first, unless Unsubscribe is called from inside
	// it).
	Unsubscribe(ctx context.Context, conn Connection) error

	// Notify is IMAPISupport::Notify: send notifications to the sinks
	// subscribed to key, each getting the ones its event mask selects.
	// MAPI copies them. It returns before the sinks run, except for
	// subscriptions made with NotifySync, whose sinks have returned when
	// it does; the result has NotifyCanceled when one of those returned
	// CallbackDiscontinue.
	Notify(ctx context.Context, key []byte, notifications []Notification) (NotifyFlags, error)

	// SpoolerNotify is IMAPISupport::SpoolerNotify. A store may pass
	// NotifyReadyToSend (n is nil) or NotifyNewMailReceived (n describes
	// the message); other flags are ErrUnknownFlags.
	SpoolerNotify(ctx context.Context, flags SpoolerNotifyFlags, n *Notification) error

	// StoreLogoffTransports is IMAPISupport::StoreLogoffTransports: ask the
	// spooler to release the store, passing the client's LogoffIn flag
	// (LogoffAbort when the store closes without StoreLogoff), and report
	// the LogoffOut flags. Call it exactly once per store shutdown.
	StoreLogoffTransports(ctx context.Context, flags LogoffFlags) (LogoffFlags, error)

	// CompareEntryIDs is IMAPISupport::CompareEntryIDs: compare two entry
	// IDs of any provider, through the logon that registered their UID
	// (MSLogon.CompareEntryIDs). ErrUnknownEntryID when no logon handles
	// them. Like the comparison it routes to, it takes no context: the
	// host finds the logon in its routing table and the logon compares
	// bytes, so nothing blocks.
	CompareEntryIDs(a, b EntryID) (bool, error)

	// NewUID is IMAPISupport::NewUID: a fresh UID, such as for
	// PR_SEARCH_KEY. Never a provider UID.
	NewUID() (UID, error)

	// MemAllocRoutines is IMAPISupport::GetMemAllocRoutines: the Allocator
	// MSProviderInit received.
	MemAllocRoutines() Allocator

	// Prompt stands in for the dialog a provider would show at logon
	// (asking for a password, or for which store to open). A provider
	// never calls it when the logon has LogonNoDialog. The host answers
	// ErrUserCancel when the user cancels and ErrNoSupport when it has no
	// way to ask.
	Prompt(ctx context.Context, req *PromptRequest) (*PromptResponse, error)
}

// ProfileSection is the Go form of IProfSect: a property bag in the
// profile, one per provider, service or store. A provider keeps its
// settings there, and private data in property IDs from PropIDSecureMin
// to PropIDSecureMax.
type ProfileSection interface {
	Properties
}

// PromptKind says what a PromptRequest asks for.
type PromptKind int

// Kinds of prompt.
const (
	// PromptPassword asks for the store's password.
	PromptPassword PromptKind = iota + 1
	// PromptChooseStore asks which store to open, when the logon named none
	// or named one the provider cannot find.
	PromptChooseStore
)

// String returns the kind's name.
func (k PromptKind) String() string {
	switch k {
	case PromptPassword:
		return "PromptPassword"
	case PromptChooseStore:
		return "PromptChooseStore"
	}
	return "PromptKind(?)"
}

// PromptRequest is what a provider asks the user through Support.Prompt.
type PromptRequest struct {
	Kind        PromptKind
	UIParam     uintptr // the logon's parent window
	ProfileName string
	StoreName   string  // the store's display name, when known
	EntryID     EntryID // the store's unwrapped entry ID, when known
	Reason      string  // why the provider asks, such as "wrong password"
}

// PromptResponse is the user's answer to a PromptRequest.
type PromptResponse struct {
	Password string  // for PromptPassword
	EntryID  EntryID // for PromptChooseStore: the chosen store
	// Remember asks the provider to keep the credential in its profile
	// section, as a "save password" box does.
	Remember bool
}
