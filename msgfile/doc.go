// Package msgfile is MAPI's IMessage on a .msg file (OpenIMsgOnIStg in
// imessage.h): a message, its recipients, attachments, embedded messages
// and named properties, read from and written to a compound file laid
// out as [MS-OXMSG] describes.
package msgfile
