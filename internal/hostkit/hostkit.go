// Package hostkit gives the conformance kit (mapispi/spitest) and the
// host's own tests what package mapi keeps from clients: a session's
// provider objects, and support objects for logons the kit makes itself.
// Package mapi fills in the functions when it is linked in; their first
// argument is a *mapi.Session.
package hostkit

import (
	"context"

	"github.com/mapiemu/mapiemu/mapispi"
)

var (
	// Provider returns the session's provider object for the message
	// service called service, calling the provider's InitFunc the first
	// time. The session still shuts it down at Logoff.
	Provider func(session any, ctx context.Context, service string) (mapispi.MSProvider, error)

	// Support returns a new support object of the session for one logon
	// to the store of the message service called service (the spooler's
	// kind when spooler is true). It ends with the session's Logoff.
	Support func(session any, ctx context.Context, service string, spooler bool) (mapispi.Support, error)
)
