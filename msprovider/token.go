package msprovider

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"

	"github.com/mapiemu/mapiemu/mapispi"
)

// Spool security data ("spool token"): what Logon returns so that the
// spooler can open the same store without the password. It holds no
// pointers and can be copied to another process.
//
//	offset size field
//	0      1    version = 1
//	1      16   the store's UID
//	17     16   random nonce
//	33     32   HMAC-SHA256 under the store's secret of bytes 0..32
//
// The store's secret is random and replaced whenever its password
// changes, so a token issued before the change no longer verifies. The
// store's data also lists the nonces of the tokens that are live, each
// with the logon that issued it: SpoolerLogon takes a token's nonce off
// the list (a token opens one spooler logon), and the issuing logon's
// end takes it off too.
const (
	tokenVersion = 1
	tokenMACOff  = 33
	tokenLen     = tokenMACOff + sha256.Size
)

// nonce is a token's random part, which names it in the store's list of
// live tokens.
type nonce [16]byte

// newToken returns a fresh token for the store d and its nonce. The
// token is not live until d.issue lists it.
func newToken(d *storeData) ([]byte, nonce) {
	t := make([]byte, tokenMACOff, tokenLen)
	t[0] = tokenVersion
	copy(t[1:17], d.uid[:])
	rand.Read(t[17:33])
	return appendMAC(t, d), nonce(t[17:33])
}

func appendMAC(t []byte, d *storeData) []byte {
	key := d.key()
	m := hmac.New(sha256.New, key[:])
	m.Write(t[:tokenMACOff])
	return m.Sum(t[:tokenMACOff])
}

func tokenError(format string, args ...any) error {
	return mapispi.Errorf(mapispi.ErrNoAccess, "msprovider", "SpoolerLogon: spool security data refused: "+format, args...)
}

// checkToken returns t's nonce if t is a genuine token of the store d,
// or an *Error wrapping ErrNoAccess that says what is wrong with it.
// Whether the token is still live is d.consume's question.
func checkToken(t []byte, d *storeData) (nonce, error) {
	switch {
	case len(t) == 0:
		return nonce{}, tokenError("none given")
	case t[0] != tokenVersion:
		return nonce{}, tokenError("unknown version %d", t[0])
	case len(t) != tokenLen:
		return nonce{}, tokenError("%d bytes, want %d (truncated or padded)", len(t), tokenLen)
	case mapispi.UID(t[1:17]) != d.uid:
		return nonce{}, tokenError("issued for another store (%v, not %v)", mapispi.UID(t[1:17]), d.uid)
	}
	want := make([]byte, tokenMACOff, tokenLen)
	copy(want, t[:tokenMACOff])
	want = appendMAC(want, d)
	if !hmac.Equal(want[tokenMACOff:], t[tokenMACOff:]) {
		return nonce{}, tokenError("the MAC does not verify (altered, forged, or issued before the store's password changed)")
	}
	return nonce(t[17:33]), nil
}

// issue lists the token n as live, issued by the logon s.
func (d *storeData) issue(n nonce, s *Store) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.tokens == nil {
		d.tokens = map[nonce]*Store{}
	}
	d.tokens[n] = s
}

// consume takes the token n off the list of live tokens and returns the
// logon that issued it; ErrNoAccess once it has been used or that logon
// has ended.
func (d *storeData) consume(n nonce) (*Store, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	s := d.tokens[n]
	if s == nil {
		return nil, tokenError("used already, or the logon that issued it has ended")
	}
	delete(d.tokens, n)
	return s, nil
}

// void takes the token n off the list if the logon s issued it and it is
// unused.
func (d *storeData) void(n nonce, s *Store) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.tokens[n] == s {
		delete(d.tokens, n)
	}
}
