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
// changes, so a token issued before the change no longer verifies.
const (
	tokenVersion = 1
	tokenMACOff  = 33
	tokenLen     = tokenMACOff + sha256.Size
)

// newToken returns a fresh token for the store d.
func newToken(d *storeData) []byte {
	t := make([]byte, tokenMACOff, tokenLen)
	t[0] = tokenVersion
	copy(t[1:17], d.uid[:])
	rand.Read(t[17:33])
	return appendMAC(t, d)
}

func appendMAC(t []byte, d *storeData) []byte {
	key := d.key()
	m := hmac.New(sha256.New, key[:])
	m.Write(t[:tokenMACOff])
	return m.Sum(t[:tokenMACOff])
}

// checkToken returns nil if t authorises the spooler to open the store
// d, or an *Error wrapping ErrNoAccess that says what is wrong with it.
func checkToken(t []byte, d *storeData) error {
	fail := func(format string, args ...any) error {
		return mapispi.Errorf(mapispi.ErrNoAccess, "msprovider", "SpoolerLogon: spool security data refused: "+format, args...)
	}
	switch {
	case len(t) == 0:
		return fail("none given")
	case t[0] != tokenVersion:
		return fail("unknown version %d", t[0])
	case len(t) != tokenLen:
		return fail("%d bytes, want %d (truncated or padded)", len(t), tokenLen)
	case mapispi.UID(t[1:17]) != d.uid:
		return fail("issued for another store (%v, not %v)", mapispi.UID(t[1:17]), d.uid)
	}
	want := make([]byte, tokenMACOff, tokenLen)
	copy(want, t[:tokenMACOff])
	want = appendMAC(want, d)
	if !hmac.Equal(want[tokenMACOff:], t[tokenMACOff:]) {
		return fail("the MAC does not verify (altered, forged, or issued before the store's password changed)")
	}
	return nil
}
