package msprovider

// Closed reports whether the store has been logged off. Tests use it; a
// caller of the contract sees ErrInvalidObject instead.
func (s *Store) Closed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state == storeClosed
}
