package graph_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"probity"
	"probity/graph/graphtest"
)

// Two administrators who revoke each other at once: one revocation is
// made, the other is refused because its own token is revoked by then;
// neither both nor none.
func TestRevokeEachOtherAtOnce(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	now := time.Now().UTC()
	for round := range 5 {
		a := probity.Token{ID: fmt.Sprintf("t-a%d", round), Name: fmt.Sprintf("a%d", round), Role: probity.RoleAdmin, Hash: fmt.Sprintf("hash-a%d", round), CreatedAt: now}
		b := probity.Token{ID: fmt.Sprintf("t-b%d", round), Name: fmt.Sprintf("b%d", round), Role: probity.RoleAdmin, Hash: fmt.Sprintf("hash-b%d", round), CreatedAt: now}
		for _, tk := range []probity.Token{a, b} {
			if err := s.CreateToken(ctx, tk); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, pair := range [][2]probity.Token{{a, b}, {b, a}} {
			wg.Go(func() { _, errs[i] = s.RevokeToken(ctx, pair[1].Name, pair[0].ID, now) })
		}
		wg.Wait()
		refused := 0
		for _, err := range errs {
			switch {
			case err == nil:
			case probity.ErrorCode(err) == probity.EFORBIDDEN:
				refused++
			default:
				t.Fatalf("round %d: %v", round, err)
			}
		}
		revoked := 0
		ts, err := s.ListTokens(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range ts {
			if (tk.ID == a.ID || tk.ID == b.ID) && tk.RevokedAt != nil {
				revoked++
			}
		}
		if refused != 1 || revoked != 1 {
			t.Fatalf("round %d: %d refused, %d revoked (errors %v); want one of each", round, refused, revoked, errs)
		}
	}
	// An unknown name is not found, from the command line (no token) too.
	if _, err := s.RevokeToken(ctx, "nobody", "", now); probity.ErrorCode(err) != probity.ENOTFOUND {
		t.Fatalf("unknown token: %v, want not_found", err)
	}
}
