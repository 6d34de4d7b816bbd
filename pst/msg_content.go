package pst

import (
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

// Content returns the message whole, as mapiutil.ReadMessage would read
// it from a MAPI store: its properties, its recipients and its
// attachments with their embedded messages, and the names of the named
// properties among them, so that mapiutil.WriteMessage can write it
// into another message (a .msg file of package msgfile, say).
func (m *Message) Content() (*mapiutil.MessageContent, error) {
	seen := map[BID]bool{}
	c, err := m.content(seen, m.f.callBudget())
	if err != nil {
		return nil, err
	}
	names, err := m.f.names()
	if err != nil {
		return nil, err
	}
	c.Names = map[uint16]mapispi.PropName{}
	for _, id := range c.NamedIDs() {
		if name, ok := names[id]; ok {
			c.Names[id] = name
		}
	}
	return c, nil
}

// content reads m and its parts, all for one call whose budget is bud.
// seen holds the subnode trees of the embedded messages read so far:
// one met twice is an error, so that the work stays in proportion to
// the file however its subnode trees point at each other.
func (m *Message) content(seen map[BID]bool, bud *budget) (*mapiutil.MessageContent, error) {
	props, err := m.props(bud)
	if err != nil {
		return nil, err
	}
	recips, err := m.recipients(bud)
	if err != nil {
		return nil, err
	}
	atts, err := m.attachments(bud)
	if err != nil {
		return nil, err
	}
	c := &mapiutil.MessageContent{Props: props, Recipients: recips}
	for _, a := range atts {
		ap, err := a.props(bud)
		if err != nil {
			return nil, err
		}
		ac := mapiutil.AttachmentContent{Props: ap}
		em, err := a.message(bud)
		if err != nil {
			return nil, err
		}
		if em != nil {
			if b := em.n.bidSub; b != 0 {
				if seen[b] {
					return nil, &FormatError{Offset: -1, NID: em.n.nid, BID: b, Reason: "embedded message shares its subnode tree with another one of the same message"}
				}
				seen[b] = true
			}
			if ac.Message, err = em.content(seen, bud); err != nil {
				return nil, err
			}
		}
		c.Attachments = append(c.Attachments, ac)
	}
	return c, nil
}
