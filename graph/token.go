package graph

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"probity"
)

// CreateToken stores t (its hash, never the secret). A name already taken
// is ECONFLICT: names are unique, revoked tokens included, and in any case
// ("AN" beside "an" would read as the same person in the audit log).
func (s *Store) CreateToken(ctx context.Context, t probity.Token) error {
	recs, err := s.write(ctx, `OPTIONAL MATCH (o:`+LabelToken+`) WHERE toLower(o.name) = toLower($name)
		WITH o.name AS taken LIMIT 1
		CALL (taken) {
		  WITH taken WHERE taken IS NULL
		  CREATE (:`+LabelToken+` {id: $id, name: $name, role: $role, hash: $hash, createdAt: $createdAt, officerId: $officer})
		}
		RETURN taken`,
		map[string]any{"id": t.ID, "name": t.Name, "role": string(t.Role), "hash": t.Hash, "createdAt": t.CreatedAt.UTC(),
			"officer": stringOrNull(t.OfficerID)})
	var ne *neo4j.Neo4jError
	if errors.As(err, &ne) && ne.Code == "Neo.ClientError.Schema.ConstraintValidationFailed" {
		return probity.Errorf(probity.ECONFLICT, "a token named %q already exists", t.Name)
	}
	if err != nil {
		return fmt.Errorf("create token: %w", err)
	}
	if recs != nil && len(recs.Records) == 1 {
		if taken, _ := recs.Records[0].Values[0].(string); taken != "" {
			if taken == t.Name {
				return probity.Errorf(probity.ECONFLICT, "a token named %q already exists", t.Name)
			}
			// "Ann" beside "ann": two names that read alike in the audit log
			return probity.Errorf(probity.ECONFLICT, "a token named %q would read like the token %q: token names must differ by more than case and spaces", t.Name, taken)
		}
	}
	return nil
}

func tokenOfNode(n dbtype.Node) probity.Token {
	p := n.Props
	str := func(k string) string { v, _ := p[k].(string); return v }
	t := probity.Token{ID: str("id"), Name: str("name"), Role: probity.Role(str("role")), Hash: str("hash"),
		OfficerID: str("officerId")}
	t.CreatedAt, _ = p["createdAt"].(time.Time)
	if r, ok := p["revokedAt"].(time.Time); ok {
		t.RevokedAt = &r
	}
	return t
}

// TokenByHash returns the token whose secret hashes to hash, revoked or
// not; ENOTFOUND when there is none.
func (s *Store) TokenByHash(ctx context.Context, hash string) (probity.Token, error) {
	res, err := s.read(ctx, `MATCH (t:`+LabelToken+` {hash: $hash}) RETURN t LIMIT 1`, map[string]any{"hash": hash})
	if err != nil {
		return probity.Token{}, fmt.Errorf("token: %w", err)
	}
	if len(res.Records) == 0 {
		return probity.Token{}, probity.Errorf(probity.ENOTFOUND, "no such token")
	}
	n, _ := res.Records[0].Values[0].(dbtype.Node)
	return tokenOfNode(n), nil
}

// RevokeToken marks the token named or identified by nameOrID revoked at
// at (an already revoked token keeps its first revocation time) and returns
// it; ENOTFOUND when there is none. by is the id of the token the
// revocation is made with ("" from the command line): it is write-locked
// and read again in the same transaction, and a revoked one revokes
// nothing (EFORBIDDEN). Two administrators revoking each other at once thus
// take the two tokens' locks in opposite orders: Neo4j aborts one as a
// deadlock, the driver runs it again, and it finds its own token revoked;
// one of the two keeps access (both lost it before).
func (s *Store) RevokeToken(ctx context.Context, nameOrID, by string, at time.Time) (probity.Token, error) {
	res, err := s.write(ctx, `OPTIONAL MATCH (me:`+LabelToken+` {id: $by})
		SET me._lock = true REMOVE me._lock
		WITH me
		OPTIONAL MATCH (t:`+LabelToken+`) WHERE t.name = $key OR t.id = $key
		WITH me, t LIMIT 1
		WITH me, t, me.revokedAt IS NOT NULL AS callerRevoked
		FOREACH (_ IN CASE WHEN t IS NOT NULL AND NOT callerRevoked THEN [1] ELSE [] END |
		  SET t.revokedAt = coalesce(t.revokedAt, $at))
		RETURN t, callerRevoked`, map[string]any{"key": nameOrID, "by": stringOrNull(by), "at": at.UTC()})
	if err != nil {
		return probity.Token{}, fmt.Errorf("revoke token: %w", err)
	}
	if len(res.Records) == 0 {
		return probity.Token{}, fmt.Errorf("revoke token: no result")
	}
	rec := res.Records[0]
	if revoked, _ := rec.Values[1].(bool); revoked {
		return probity.Token{}, probity.Errorf(probity.EFORBIDDEN, "the token this revocation was made with is itself revoked")
	}
	n, ok := rec.Values[0].(dbtype.Node)
	if !ok {
		return probity.Token{}, probity.Errorf(probity.ENOTFOUND, "no token named or with id %q", nameOrID)
	}
	return tokenOfNode(n), nil
}

// ListTokens returns every token, oldest first (hashes included; callers
// must not show them).
func (s *Store) ListTokens(ctx context.Context) ([]probity.Token, error) {
	res, err := s.read(ctx, `MATCH (t:`+LabelToken+`) RETURN t ORDER BY t.createdAt, t.name`, nil)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	var out []probity.Token
	for _, rec := range res.Records {
		n, _ := rec.Values[0].(dbtype.Node)
		out = append(out, tokenOfNode(n))
	}
	return out, nil
}

// sameOfficer is a Cypher condition: the tokens named by the expressions
// me and them both belong to one officer record (a token without an
// officer is no one's): a second pair of eyes is another person, not
// another token of the same one.
func sameOfficer(me, them string) string {
	return `EXISTS { MATCH (me:` + LabelToken + ` {name: ` + me + `}), (them:` + LabelToken + ` {name: ` + them + `})
		WHERE me.officerId IS NOT NULL AND me.officerId = them.officerId }`
}
