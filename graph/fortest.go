package graph

import "context"

// RunForTestParams runs one write statement with parameters. It exists for
// tests that load files through UNWIND; nothing in the product calls it.
func (s *Store) RunForTestParams(ctx context.Context, cypher string, params map[string]any) error {
	_, err := s.query(ctx, cypher, params, true)
	return err
}
