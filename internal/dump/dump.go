// Package dump turns a MAPI message (its properties, recipients,
// attachments and embedded messages) into a plain tree of values that
// encodes as the JSON the commands print (mapimsg dump --json), and
// writes it as text.
package dump

import (
	"context"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

// Message is a message as the commands print it.
type Message struct {
	Props       []Prop       `json:"props"`
	Recipients  []Row        `json:"recipients"`
	Attachments []Attachment `json:"attachments"`
}

// Row is one recipient.
type Row struct {
	Props []Prop `json:"props"`
}

// Attachment is one attachment, and its embedded message if it holds
// one.
type Attachment struct {
	Props   []Prop   `json:"props"`
	Message *Message `json:"message,omitempty"`
}

// Prop is one property: its tag as 0x plus 8 upper-case hex digits, its
// MAPI name when it has one, its name when it is a named property, and
// its value (see Value).
type Prop struct {
	Tag   string `json:"tag"`
	Name  string `json:"name,omitempty"`
	Named *Named `json:"named,omitempty"`
	Value any    `json:"value"`
}

// Named is a named property's name: its property set and its number or
// string.
type Named struct {
	Set  string  `json:"set"`
	ID   *uint32 `json:"id,omitempty"`
	Name string  `json:"name,omitempty"`
}

// Value returns v's value as the JSON shows it: numbers and booleans as
// themselves (a float that JSON cannot hold, NaN or an infinity, as its
// name), strings as strings, times in RFC 3339 (UTC), binary values and
// GUIDs as upper-case hex, PT_ERROR values as the SCode's name, and
// multi-valued properties as arrays of those.
func Value(v mapispi.PropValue) any {
	switch x := v.Value.(type) {
	case []byte:
		return upperHex(x)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case mapispi.UID:
		return upperHex(x[:])
	case mapispi.SCode:
		return x.String()
	case float32:
		return float(float64(x))
	case float64:
		return float(x)
	case [][]byte:
		return each(x, func(b []byte) any { return upperHex(b) })
	case []time.Time:
		return each(x, func(t time.Time) any { return t.UTC().Format(time.RFC3339Nano) })
	case []mapispi.UID:
		return each(x, func(u mapispi.UID) any { return upperHex(u[:]) })
	case []float32:
		return each(x, func(f float32) any { return float(float64(f)) })
	case []float64:
		return each(x, func(f float64) any { return float(f) })
	}
	return v.Value
}

// upperHex is b in upper-case hex, made in one allocation (a message's
// attachment data can be megabytes).
func upperHex(b []byte) string {
	const digits = "0123456789ABCDEF"
	out := make([]byte, 2*len(b))
	for i, c := range b {
		out[2*i], out[2*i+1] = digits[c>>4], digits[c&15]
	}
	return string(out)
}

func float(f float64) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Sprint(f)
	}
	return f
}

func each[T any](s []T, f func(T) any) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = f(x)
	}
	return out
}

// Read reads m whole (mapiutil.ReadMessage): every property, the
// recipients with every column (when the table can list them), the
// attachments with their embedded messages, and the names of named
// properties (when m has mapispi.NamedProps).
func Read(ctx context.Context, m mapispi.Message) (*Message, error) {
	c, err := mapiutil.ReadMessage(ctx, m, nil)
	if err != nil {
		return nil, err
	}
	return FromContent(c), nil
}

// FromContent is a message read whole (by mapiutil.ReadMessage, or by a
// reader of a file format such as package pst) as the commands print it.
func FromContent(c *mapiutil.MessageContent) *Message { return fromContent(c, c.Names) }

// fromContent is c as the commands print it; names are the top-level
// message's, which embedded messages share.
func fromContent(c *mapiutil.MessageContent, names map[uint16]mapispi.PropName) *Message {
	out := &Message{Props: convert(c.Props, names), Recipients: []Row{}, Attachments: []Attachment{}}
	for _, r := range c.Recipients {
		out.Recipients = append(out.Recipients, Row{Props: convert(r, names)})
	}
	for _, a := range c.Attachments {
		att := Attachment{Props: convert(a.Props, names)}
		if a.Message != nil {
			att.Message = fromContent(a.Message, names)
		}
		out.Attachments = append(out.Attachments, att)
	}
	return out
}

// convert returns props as the JSON shows them, sorted by tag.
func convert(props []mapispi.PropValue, names map[uint16]mapispi.PropName) []Prop {
	out := make([]Prop, 0, len(props))
	sorted := append([]mapispi.PropValue(nil), props...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Tag < sorted[j].Tag })
	for _, p := range sorted {
		if p.Tag.Type() == mapispi.PtError || p.Tag.Type() == mapispi.PtObject {
			continue
		}
		q := Prop{Tag: fmt.Sprintf("0x%08X", uint32(p.Tag)), Value: Value(p)}
		if s := p.Tag.String(); !strings.HasPrefix(s, "0x") {
			q.Name = s
		}
		if p.Tag.ID() >= mapispi.NamedPropIDMin {
			if n, ok := names[p.Tag.ID()]; ok {
				q.Named = &Named{Set: n.Set.String()}
				if n.Kind == mapispi.NameString {
					q.Named.Name = n.Name
				} else {
					id := n.ID
					q.Named.ID = &id
				}
			}
		}
		out = append(out, q)
	}
	return out
}

// WriteText writes m as indented text: one property a line.
func (m *Message) WriteText(w io.Writer) error {
	return m.write(w, "")
}

func (m *Message) write(w io.Writer, indent string) error {
	var err error
	line := func(format string, args ...any) {
		if err == nil {
			_, err = fmt.Fprintf(w, indent+format+"\n", args...)
		}
	}
	props := func(ps []Prop, ind string) {
		for _, p := range ps {
			label := p.Name
			if p.Named != nil {
				if p.Named.ID != nil {
					label = fmt.Sprintf("%s:0x%X", p.Named.Set, *p.Named.ID)
				} else {
					label = fmt.Sprintf("%s:%q", p.Named.Set, p.Named.Name)
				}
			}
			line("%s%s %-28s %s", ind, p.Tag, label, text(p.Value))
		}
	}
	props(m.Props, "")
	for i, r := range m.Recipients {
		line("recipient %d:", i)
		props(r.Props, "  ")
	}
	for i, a := range m.Attachments {
		line("attachment %d:", i)
		props(a.Props, "  ")
		if a.Message != nil && err == nil {
			line("  embedded message:")
			err = a.Message.write(w, indent+"    ")
		}
	}
	return err
}

// text is a value as the text form shows it: long ones cut.
func text(v any) string {
	const max = 120
	str, isString := v.(string)
	if !isString {
		str = fmt.Sprint(v)
	}
	// Cut before quoting: a value can be megabytes (attachment data).
	cut := false
	if len(str) > 4*max {
		str, cut = str[:4*max], true
	}
	if isString {
		str = fmt.Sprintf("%q", str)
	}
	if r := []rune(str); len(r) > max || cut {
		str = string(r[:min(len(r), max-3)]) + "..."
	}
	return str
}
