// Package mapi plays MAPI's own side of the message store provider SPI:
// the provider DLLs it can load ([Registry]) and the profiles that name
// message services ([Profile]). Sessions, the support object, routing and
// the spooler follow.
package mapi
