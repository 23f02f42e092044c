package hubspottest

import "fmt"

// SetRejectRecordWrites makes batch updates of these records of a type
// (name or type ID) fail property validation, as a portal's validation
// rule does, replacing any earlier list for the type (none to clear it).
// As with contacts (SetRejectWrites), one such input fails its whole batch
// with one 400 listing every input's problems.
func (s *Server) SetRejectRecordWrites(objectType string, ids ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.p.objectType(objectType)
	if t == nil {
		return fmt.Errorf("the sandbox has no object type %q", objectType)
	}
	rs := s.p.objects[t.name]
	rejects := make(map[int]bool, len(ids))
	for _, id := range ids {
		i, ok := rs.indexOf(id)
		if !ok {
			return fmt.Errorf("the sandbox has no %s %s", t.singular, id)
		}
		rejects[i] = true
	}
	rs.rejects = rejects
	return nil
}
