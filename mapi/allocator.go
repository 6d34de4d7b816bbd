package mapi

import (
	"fmt"

	"github.com/mapiemu/mapiemu/mapispi"
)

// hostAllocator is the session's allocator as providers see it when the
// session has Faults or a Trace: the Options' allocator with the planned
// failures applied and each call traced.
type hostAllocator struct {
	s *Session
	a mapispi.Allocator
}

func (h *hostAllocator) AllocateBuffer(size int) ([]byte, error) {
	c := h.s.startCall("MAPIAllocateBuffer", nil)
	if c != nil {
		c.Args = fmt.Sprintf("size=%d", size)
	}
	if err := h.s.faults.check("MAPIAllocateBuffer"); err != nil {
		h.s.record(c, err, nil)
		return nil, err
	}
	b, err := h.a.AllocateBuffer(size)
	h.s.record(c, err, nil)
	return b, err
}

func (h *hostAllocator) AllocateMore(size int, parent []byte) ([]byte, error) {
	c := h.s.startCall("MAPIAllocateMore", nil)
	if c != nil {
		c.Args = fmt.Sprintf("size=%d", size)
	}
	if err := h.s.faults.check("MAPIAllocateMore"); err != nil {
		h.s.record(c, err, nil)
		return nil, err
	}
	b, err := h.a.AllocateMore(size, parent)
	h.s.record(c, err, nil)
	return b, err
}

func (h *hostAllocator) FreeBuffer(buf []byte) error {
	c := h.s.startCall("MAPIFreeBuffer", nil)
	if c != nil {
		c.Args = fmt.Sprintf("%d bytes", len(buf))
	}
	err := h.a.FreeBuffer(buf)
	h.s.record(c, err, nil)
	return err
}
