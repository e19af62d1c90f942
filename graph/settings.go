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

// PseudonymKeyFingerprint records fp, the fingerprint of the pseudonym key
// a server is about to use, as the database's the first time, and returns
// the one recorded before (fp itself the first time). adopt records fp in
// place of an earlier one: the deliberate change of key. Servers compare
// the two so that two of them never show one officer under two pseudonyms.
func (s *Store) PseudonymKeyFingerprint(ctx context.Context, fp string, adopt bool) (string, error) {
	res, err := s.write(ctx, `MERGE (k:`+LabelSetting+` {id: 'pseudonymKeyFingerprint'})
ON CREATE SET k.value = $fp
WITH k, k.value AS was
SET k.value = CASE WHEN $adopt THEN $fp ELSE was END
RETURN was`, map[string]any{"fp": fp, "adopt": adopt})
	if err != nil {
		return "", fmt.Errorf("pseudonym key fingerprint: %w", err)
	}
	was, _ := single(res).(string)
	return was, nil
}

// RecordedPseudonymKeyFingerprint is the fingerprint PseudonymKeyFingerprint
// recorded, "" before any server recorded one.
func (s *Store) RecordedPseudonymKeyFingerprint(ctx context.Context) (string, error) {
	res, err := s.read(ctx, `MATCH (k:`+LabelSetting+` {id: 'pseudonymKeyFingerprint'}) RETURN k.value`, nil)
	if err != nil {
		return "", fmt.Errorf("pseudonym key fingerprint: %w", err)
	}
	fp, _ := single(res).(string)
	return fp, nil
}
