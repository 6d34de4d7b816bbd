package msgfile

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/mapispi"
)

// The codec between a compound file storage (tree) and the model
// (msgData, nameMap): the message, recipient, attachment and embedded
// message storages of [MS-OXMSG] 2.2.

const (
	recipPrefix     = "__recip_version1.0_#"  // [MS-OXMSG] 2.2.1
	attachPrefix    = "__attach_version1.0_#" // [MS-OXMSG] 2.2.2
	objectStorage   = "__substg1.0_3701000D"  // PR_ATTACH_DATA_OBJ: embedded message or custom storage
	maxEmbedDepth   = 64                      // embedded messages inside embedded messages
	attachEmbedded  = int32(mapispi.AttachEmbeddedMsg)
	storageNumDigit = 8
)

// clsidMailMessage is the CLSID Outlook gives the root storage of a .msg
// file and the storage of an embedded message (CLSID_MailMessage).
var clsidMailMessage = mapispi.MustParseUID("{00020D0B-0000-0000-C000-000000000046}")

// decodeMessage reads the top-level message of a .msg file from its root
// storage, and the file's named property map. It takes root: the model
// keeps root's byte slices and storages (a PT_BINARY value is its stream,
// an ATTACH_OLE storage is root's) rather than copying them, so the
// caller must change neither root nor what it holds afterwards; the
// model is never changed in place either (see Message.load).
func decodeMessage(root *tree) (*msgData, *nameMap, error) {
	names, err := decodeNames(root)
	if err != nil {
		return nil, nil, err
	}
	m, err := decodeMsg(root, "", headerTop, codepage.Windows1252, 0)
	if err != nil {
		return nil, nil, err
	}
	return m, names, nil
}

// decodeMsg reads the message in storage t at path, whose property stream
// header is hdrLen bytes; cp is the code page of the enclosing message.
func decodeMsg(t *tree, path string, hdrLen int, cp codepage.ID, depth int) (*msgData, error) {
	if depth > maxEmbedDepth {
		return nil, formatErr(path, -1, "embedded messages nested more than %d deep", maxEmbedDepth)
	}
	hdr, entries, err := readPropStream(t, path, hdrLen)
	if err != nil {
		return nil, err
	}
	props, cp, err := decodeProps(t, path, entries, cp, true, nil)
	if err != nil {
		return nil, err
	}
	m := &msgData{
		props:      props,
		nextRecip:  le.Uint32(hdr[8:]),
		nextAttach: le.Uint32(hdr[12:]),
	}
	recipCount, attachCount := le.Uint32(hdr[16:]), le.Uint32(hdr[20:])

	recips, err := numbered(t, path, recipPrefix)
	if err != nil {
		return nil, err
	}
	if uint64(len(recips)) != uint64(recipCount) {
		return nil, formatErr(join(path, propStreamName), 16, "header's Recipient Count %d, want %d, the recipient storages present", recipCount, len(recips))
	}
	for _, r := range recips {
		p := join(path, r.name)
		_, entries, err := readPropStream(r.t, p, headerSub)
		if err != nil {
			return nil, err
		}
		props, _, err := decodeProps(r.t, p, entries, cp, false, nil)
		if err != nil {
			return nil, err
		}
		m.recips = append(m.recips, mapispi.Row(setNumber(props, mapispi.PropRowID, r.n)))
	}

	attachs, err := numbered(t, path, attachPrefix)
	if err != nil {
		return nil, err
	}
	if uint64(len(attachs)) != uint64(attachCount) {
		return nil, formatErr(join(path, propStreamName), 20, "header's Attachment Count %d, want %d, the attachment storages present", attachCount, len(attachs))
	}
	for _, at := range attachs {
		a, err := decodeAttach(at.t, join(path, at.name), at.n, cp, depth)
		if err != nil {
			return nil, err
		}
		m.attachs = append(m.attachs, a)
	}
	return m, nil
}

// decodeAttach reads attachment number n from its storage t.
func decodeAttach(t *tree, path string, n uint32, cp codepage.ID, depth int) (*attachData, error) {
	_, entries, err := readPropStream(t, path, headerSub)
	if err != nil {
		return nil, err
	}
	isObject := func(tag mapispi.PropTag) bool { return tag == mapispi.PropAttachDataObj }
	props, _, err := decodeProps(t, path, entries, cp, false, isObject)
	if err != nil {
		return nil, err
	}
	a := &attachData{props: setNumber(props, mapispi.PropAttachNum, n)}
	obj, ok := t.storage(objectStorage)
	if !ok {
		return a, nil
	}
	method, _ := propValue(props, mapispi.PropAttachMethod).(int32)
	if method != attachEmbedded {
		a.storage = obj // ATTACH_OLE's custom storage, or one we cannot tell: kept whole
		return a, nil
	}
	a.embedded, err = decodeMsg(obj, join(path, objectStorage), headerEmbedded, cp, depth+1)
	if err != nil {
		return nil, err
	}
	return a, nil
}

// numberedStorage is a recipient or attachment storage and its number.
type numberedStorage struct {
	n    uint32
	name string
	t    *tree
}

// numbered returns the substorages of t named prefix and 8 hex digits, in
// the order of their numbers. Two with one number (names differing in
// the case of their digits) are an error at the one whose name sorts
// last, whatever the order of t's map.
func numbered(t *tree, path, prefix string) ([]numberedStorage, error) {
	var out []numberedStorage
	for name, s := range t.storages {
		if len(name) < len(prefix) || !strings.EqualFold(name[:len(prefix)], prefix) {
			continue
		}
		digits := name[len(prefix):]
		n, err := strconv.ParseUint(digits, 16, 32)
		if err != nil || len(digits) != storageNumDigit {
			return nil, formatErr(join(path, name), -1, "storage name does not end in %d hex digits", storageNumDigit)
		}
		out = append(out, numberedStorage{n: uint32(n), name: name, t: s})
	}
	slices.SortFunc(out, func(a, b numberedStorage) int { return cmp.Or(cmp.Compare(a.n, b.n), strings.Compare(a.name, b.name)) })
	for i := 1; i < len(out); i++ {
		if out[i].n == out[i-1].n {
			return nil, formatErr(join(path, out[i].name), -1, "number %08X, as %s has", out[i].n, out[i-1].name)
		}
	}
	return out, nil
}

// setNumber sets tag (PR_ROWID or PR_ATTACH_NUM) to the storage's number:
// the name of the storage is what the number is.
func setNumber(props []mapispi.PropValue, tag mapispi.PropTag, n uint32) []mapispi.PropValue {
	for i, v := range props {
		if v.Tag.ID() == tag.ID() {
			props[i] = mapispi.PropValue{Tag: tag, Value: int32(n)}
			return props
		}
	}
	return append(props, mapispi.PropValue{Tag: tag, Value: int32(n)})
}

// propValue returns the value of tag in props, or nil.
func propValue(props []mapispi.PropValue, tag mapispi.PropTag) any {
	for _, v := range props {
		if v.Tag == tag {
			return v.Value
		}
	}
	return nil
}

// encodeMessage writes m as the root storage of a .msg file, with the
// named property map names. It is the inverse of decodeMessage. The tree
// shares the model's byte slices and storages, which neither changes: it
// is for reading, by writeTree, while the model is in use. A value
// the model should not hold (a Go type its tag does not call for, a
// recipient without PR_ROWID, text its code page cannot hold) is an error
// that wraps the cause: a *mapispi.Error, or a codepage error.
func encodeMessage(m *msgData, names *nameMap) (*tree, error) {
	root, err := encodeMsg(m, "", true, codepage.Windows1252, 0)
	if err != nil {
		return nil, err
	}
	nameid, err := encodeNames(names)
	if err != nil {
		return nil, err
	}
	root.storages[nameidStorage] = nameid
	return root, nil
}

func encodeMsg(m *msgData, path string, top bool, cp codepage.ID, depth int) (*tree, error) {
	if depth > maxEmbedDepth {
		return nil, fmt.Errorf("msgfile: writing %s: %w", path, mapispi.Errorf(mapispi.ErrTooComplex, "msgfile", "embedded messages nested more than %d deep", maxEmbedDepth))
	}
	t := newTree()
	t.clsid = clsidMailMessage
	cp = codePage(m.props, cp)
	hdr := make([]byte, headerEmbedded, headerTop)
	if top {
		hdr = hdr[:headerTop]
	}
	le.PutUint32(hdr[8:], m.nextRecip)
	le.PutUint32(hdr[12:], m.nextAttach)
	le.PutUint32(hdr[16:], uint32(len(m.recips)))
	le.PutUint32(hdr[20:], uint32(len(m.attachs)))
	if err := encodeProps(t, path, hdr, m.props, cp, false); err != nil {
		return nil, err
	}
	used := map[string]int{} // the storage names given, and to which recipient or attachment
	for i, row := range m.recips {
		name, err := storageName(path, recipPrefix, "recipient", i, row, mapispi.PropRowID, used)
		if err != nil {
			return nil, err
		}
		s := newTree()
		if err := encodeProps(s, join(path, name), make([]byte, headerSub), row, cp, false); err != nil {
			return nil, err
		}
		t.storages[name] = s
	}
	for i, a := range m.attachs {
		name, err := storageName(path, attachPrefix, "attachment", i, a.props, mapispi.PropAttachNum, used)
		if err != nil {
			return nil, err
		}
		p := join(path, name)
		if a.embedded != nil && a.storage != nil {
			return nil, fmt.Errorf("msgfile: writing %s: %w", p, mapispi.Errorf(mapispi.ErrBadValue, "msgfile", "attachment has both an embedded message and a custom storage"))
		}
		s := newTree()
		object := a.embedded != nil || a.storage != nil
		if err := encodeProps(s, p, make([]byte, headerSub), a.props, cp, object); err != nil {
			return nil, err
		}
		switch {
		case a.embedded != nil:
			e, err := encodeMsg(a.embedded, join(p, objectStorage), false, cp, depth+1)
			if err != nil {
				return nil, err
			}
			s.storages[objectStorage] = e
		case a.storage != nil:
			s.storages[objectStorage] = a.storage
		}
		t.storages[name] = s
	}
	return t, nil
}

// storageName returns the name of the storage of recipient or attachment
// i, from its number property tag, and records it in used; a missing
// number, or one used already, is an error.
func storageName(path, prefix, what string, i int, props []mapispi.PropValue, tag mapispi.PropTag, used map[string]int) (string, error) {
	n, ok := propValue(props, tag).(int32)
	if !ok {
		return "", fmt.Errorf("msgfile: writing %s %d of %s: %w", what, i, cmp.Or(path, "the message"),
			mapispi.Errorf(mapispi.ErrBadValue, "msgfile", "no %v, which names its storage", tag))
	}
	name := fmt.Sprintf("%s%08X", prefix, uint32(n))
	if j, dup := used[name]; dup {
		return "", fmt.Errorf("msgfile: writing %s %d of %s: %w", what, i, cmp.Or(path, "the message"),
			mapispi.Errorf(mapispi.ErrBadValue, "msgfile", "%v %d is %s %d's too", tag, n, what, j))
	}
	used[name] = i
	return name, nil
}
