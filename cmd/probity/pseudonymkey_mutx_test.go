package main

// mutX: additions to cmd/probity/pseudonymkey_test.go. Copy into cmd/probity
// and run: go test -count=1 -p 1 -run 'TestMutX' ./cmd/probity/

import (
	"cmp"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"probity/api"
)

// TestMutXPseudonymKeyTooShort kills M03: a key of 15 characters is refused,
// one of 16 taken (the store is not reached when the variable is set).
func TestMutXPseudonymKeyTooShort(t *testing.T) {
	if _, _, err := pseudonymKeyInUse(context.Background(), withKey("123456789012345"), nil); err == nil || !strings.Contains(err.Error(), "too short") {
		t.Errorf("a 15-character key: %v, want refused as too short", err)
	}
	if k, src, err := pseudonymKeyInUse(context.Background(), withKey("1234567890123456"), nil); err != nil || string(k) != "1234567890123456" || src != "PROBITY_PSEUDONYM_KEY" {
		t.Errorf("a 16-character key: %q, %q, %v", k, src, err)
	}
}

// TestMutXPseudonymKeyRefusalSaysWhichIsWhich kills M04 and M06: the
// refusal names the key in use (its source and fingerprint) first and the
// database's recorded fingerprint second, and show names the source; an
// administrator told the two the other way round adopts the wrong key.
func TestMutXPseudonymKeyRefusalSaysWhichIsWhich(t *testing.T) {
	store := keyTestStore(t)
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	keyA, keyB := "a-key-of-sixteen-or-more", "another-key-of-sixteen"
	fpA, fpB := api.KeyFingerprint([]byte(keyA)), api.KeyFingerprint([]byte(keyB))
	if _, err := pseudonymKey(ctx, withKey(keyA), store, quiet); err != nil {
		t.Fatal(err)
	}
	_, err := pseudonymKey(ctx, withKey(keyB), store, quiet)
	if err == nil || !strings.Contains(err.Error(), "(PROBITY_PSEUDONYM_KEY, fingerprint "+fpB+")") || !strings.Contains(err.Error(), "made with (fingerprint "+fpA+")") {
		t.Errorf("refusal of key B after key A: %v", err)
	}
	e, out, _ := testEnv()
	vars := e.getenv
	e.getenv = func(k string) string { return cmp.Or(withKey(keyB)(k), vars(k)) }
	_ = run(ctx, []string{"pseudonym-key", "show"}, e)
	if !strings.Contains(out.String(), "in use here: "+fpB+" (PROBITY_PSEUDONYM_KEY)") || !strings.Contains(out.String(), "recorded:    "+fpA) {
		t.Errorf("show: %q", out)
	}
}

// TestMutXPseudonymKeyExtraArgs kills M12: `pseudonym-key show extra` is a
// usage error, as `rotate` is, not a show that ignores what follows.
func TestMutXPseudonymKeyExtraArgs(t *testing.T) {
	e, _, _ := testEnv()
	for _, args := range [][]string{{"pseudonym-key", "show", "extra"}, {"pseudonym-key", "adopt", "--yes"}} {
		if err := run(context.Background(), args, e); exitCode(err) != 64 {
			t.Errorf("%v: %v (exit %d), want a usage error", args, err, exitCode(err))
		}
	}
}
