package msprovider

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"sync"

	"github.com/mapiemu/mapiemu/mapispi"
)

// Backend holds the stores' data, shared by every provider object that
// uses it: the process-wide state that files are for a PST provider. A
// second session's provider object and the spooler's reach the same
// stores through it.
//
// A program makes one Backend and hands MAPI its Init method value:
// backend.Init is the mapispi.InitFunc whose providers use backend. A
// Backend is safe for concurrent use.
type Backend struct {
	iterations int

	mu     sync.RWMutex
	stores map[mapispi.UID]*storeData
}

// DefaultPasswordIterations is the PBKDF2-HMAC-SHA256 iteration count a
// Backend uses for store passwords unless WithPasswordIterations says
// otherwise.
const DefaultPasswordIterations = 600_000

// BackendOption configures NewBackend.
type BackendOption func(*Backend)

// WithPasswordIterations sets the PBKDF2 iteration count for passwords
// set from then on (at least 1). Lower counts make tests fast; production
// use should keep the default.
func WithPasswordIterations(n int) BackendOption {
	return func(b *Backend) { b.iterations = max(n, 1) }
}

// NewBackend returns an empty in-memory backend.
func NewBackend(opts ...BackendOption) *Backend {
	b := &Backend{iterations: DefaultPasswordIterations, stores: map[mapispi.UID]*storeData{}}
	for _, o := range opts {
		o(b)
	}
	return b
}

// StoreOptions are the settings of a new store.
type StoreOptions struct {
	// Password, when not empty, must be given at logon: from the profile
	// section or, when dialogs are allowed, through Support.Prompt. The
	// backend keeps only a salted PBKDF2 hash of it.
	Password string

	// ReadOnly makes a store that cannot be written, as a read-only file
	// or a store the user may only read: every logon of it is read-only,
	// also one with LogonWrite or LogonBestAccess, which still succeeds
	// (see Provider.Logon).
	ReadOnly bool
}

// storeData is one store's shared state.
type storeData struct {
	uid      mapispi.UID
	readOnly bool
	eng      *engine // the store's folders and messages

	mu      sync.RWMutex
	name    string
	nameVer uint64 // counts changes of name
	salt    []byte // nil when the store has no password
	hash    []byte
	iter    int              // PBKDF2 iterations of hash
	secret  [32]byte         // keys spool tokens; replaced when the password changes
	tokens  map[nonce]*Store // spool tokens not yet used, and the client logon that issued each
}

// CreateStore adds a store named name, held in memory, and returns its
// unwrapped entry ID, the ID MAPI passes to Logon. The store has a root
// folder and, in the IPM subtree ("Top of Information Store"), an Inbox
// (the receive folder of class "IPM"), an Outbox, Sent Items and Deleted
// Items. An empty name is ErrInvalidParameter.
func (b *Backend) CreateStore(name string, opts *StoreOptions) (mapispi.EntryID, error) {
	return b.AddStore(name, nil, opts)
}

// AddStore adds a store named name over st and returns its unwrapped
// entry ID. The store keeps MAPI's rules (entry IDs, computed
// properties, tables, notifications, transactions, access) and reads
// its folders and messages from st, which must have a root folder
// (RootID); a st that is not a Writer makes a read-only store, as
// StoreOptions.ReadOnly does. A nil st is a new store in memory, as
// CreateStore makes. An empty name is ErrInvalidParameter.
func (b *Backend) AddStore(name string, st Storage, opts *StoreOptions) (mapispi.EntryID, error) {
	if name == "" {
		return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider backend", "CreateStore: empty store name")
	}
	if st == nil {
		st = newMailbox()
	}
	d := &storeData{uid: mapispi.NewUID(), name: name}
	d.eng = newEngine(d.uid, st, d.displayName)
	var password string
	if opts != nil {
		password, d.readOnly = opts.Password, opts.ReadOnly
	}
	if _, ok := st.(Writer); !ok {
		d.readOnly = true
	}
	if d.readOnly {
		d.eng.w = nil // nothing writes a read-only store
	}
	if err := d.setPassword(password, b.iterations); err != nil {
		return nil, err
	}
	b.mu.Lock()
	b.stores[d.uid] = d
	b.mu.Unlock()
	return appendStoreID(nil, d.uid), nil
}

// SetPassword replaces the password of the store id names; an empty
// password removes it. Spool security data issued before the change no
// longer opens the store, even if it is unused and the logon that issued
// it is still open. An unknown store is ErrNotFound.
func (b *Backend) SetPassword(id mapispi.EntryID, password string) error {
	d, err := b.lookupID(id)
	if err != nil {
		return err
	}
	return d.setPassword(password, b.iterations)
}

// Rename sets the display name of the store id names.
func (b *Backend) Rename(id mapispi.EntryID, name string) error {
	if name == "" {
		return mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider backend", "Rename: empty store name")
	}
	d, err := b.lookupID(id)
	if err != nil {
		return err
	}
	d.setName(name)
	return nil
}

// Len returns the number of stores.
func (b *Backend) Len() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.stores)
}

func (b *Backend) lookupID(id mapispi.EntryID) (*storeData, error) {
	uid, err := parseStoreID(id)
	if err != nil {
		return nil, err
	}
	return b.lookup(uid, id)
}

func (b *Backend) lookup(uid mapispi.UID, id mapispi.EntryID) (*storeData, error) {
	b.mu.RLock()
	d := b.stores[uid]
	b.mu.RUnlock()
	if d == nil {
		return nil, mapispi.Errorf(mapispi.ErrNotFound, "msprovider backend",
			"no store with entry ID %v (store %v)", id, uid)
	}
	return d, nil
}

// setPassword replaces the store's password (none when password is
// empty) and its spool token secret, so that tokens issued before no
// longer verify, and forgets the live ones.
func (d *storeData) setPassword(password string, iterations int) error {
	var salt, hash []byte
	if password != "" {
		salt = make([]byte, 16)
		rand.Read(salt)
		var err error
		if hash, err = pbkdf2.Key(sha256.New, password, salt, iterations, 32); err != nil {
			return &mapispi.Error{Code: mapispi.ErrCallFailed, Component: "msprovider backend", Message: "hashing the password", Err: err}
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.salt, d.hash, d.iter = salt, hash, iterations
	rand.Read(d.secret[:])
	clear(d.tokens) // they no longer verify: forget them
	return nil
}

// hasPassword reports whether logon needs a password.
func (d *storeData) hasPassword() bool {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.hash != nil
}

// checkPassword reports whether password is the store's, comparing the
// hashes in constant time.
func (d *storeData) checkPassword(password string) bool {
	d.mu.RLock()
	salt, hash, iter := d.salt, d.hash, d.iter
	d.mu.RUnlock()
	if hash == nil {
		return true
	}
	got, err := pbkdf2.Key(sha256.New, password, salt, iter, len(hash))
	return err == nil && subtle.ConstantTimeCompare(got, hash) == 1
}

func (d *storeData) displayName() string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.name
}

// displayNameVersion returns the name and a number that changes with it.
func (d *storeData) displayNameVersion() (string, uint64) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.name, d.nameVer
}

func (d *storeData) setName(name string) {
	d.mu.Lock()
	d.name = name
	d.nameVer++
	d.mu.Unlock()
}

func (d *storeData) key() [32]byte {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.secret
}
