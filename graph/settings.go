package graph

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
)

// PseudonymKey returns the pseudonym key kept in the database (a Setting),
// making it, 32 random bytes, the first time: for servers started without
// PROBITY_PSEUDONYM_KEY, so that all of them, and every restart, agree.
// A backup carries it with the data.
func (s *Store) PseudonymKey(ctx context.Context) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	res, err := s.write(ctx, `MERGE (k:`+LabelSetting+` {id: 'pseudonymKey'}) ON CREATE SET k.value = $fresh RETURN k.value`,
		map[string]any{"fresh": hex.EncodeToString(fresh)})
	if err != nil {
		return nil, fmt.Errorf("pseudonym key: %w", err)
	}
	v, _ := single(res).(string)
	key, err := hex.DecodeString(v)
	if err != nil || len(key) < 16 {
		return nil, fmt.Errorf("pseudonym key: the stored %s is not a hex key of 16 bytes or more", LabelSetting)
	}
	return key, nil
}
