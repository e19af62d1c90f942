package api

// mutX: additions for api/auditview.go and api/pseudonym.go (package api,
// internal). Copy into api/ and run:
//   go test -count=1 -p 1 -run 'TestMutX' ./api/
// The golden values were computed outside the project from what the doc
// comments say: HMAC-SHA256(key, "probity pseudonym key fingerprint")[:8]
// in hex, and AES-128 under HMAC-SHA256(key, "probity audit sealed seq")[:16]
// of eight zero bytes then seq big-endian.

import (
	"crypto/aes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"testing"
)

var mutxKey = []byte("a-key-of-sixteen-or-more")

// TestMutXKeyFingerprintStable kills M21, M23 (and M22): the fingerprint is
// recorded in every database; a change of its derivation makes every
// server refuse to start after an upgrade, and it must not be part of the
// audit seal's key.
func TestMutXKeyFingerprintStable(t *testing.T) {
	if fp := KeyFingerprint(mutxKey); fp != "8d54a072eff5068c" {
		t.Fatalf("KeyFingerprint = %s, want 8d54a072eff5068c: a recorded fingerprint would no longer match its key", fp)
	}
}

// TestMutXSealKeyedFromPseudonymKey kills M54, M55, M56 (and M45): the seal
// is keyed from the pseudonym key as documented (two servers of one
// database, or a restart, read each other's cursors and show the same
// ids), never from a known key nor from the fingerprint's bytes.
func TestMutXSealKeyedFromPseudonymKey(t *testing.T) {
	s := newSealedSeqs(mutxKey)
	if got := hex.EncodeToString(s.seal(7)); got != "2755224873c72b46ae68b6c7cdac2f11" {
		t.Fatalf("seal(7) = %s, want 2755224873c72b46ae68b6c7cdac2f11", got)
	}
	if a, b := newSealedSeqs(mutxKey).seal(7), newSealedSeqs(mutxKey).seal(7); string(a) != string(b) {
		t.Fatal("two servers with one pseudonym key seal seq 7 differently")
	}
	if a, b := newSealedSeqs(mutxKey).seal(7), newSealedSeqs([]byte("another-key-of-sixteen")).seal(7); string(a) == string(b) {
		t.Fatal("two pseudonym keys seal seq 7 alike")
	}
}

// TestMutXOpenRefuses kills M46 and M47: open takes only what seal wrote.
func TestMutXOpenRefuses(t *testing.T) {
	s := newSealedSeqs(mutxKey)
	if seq, ok := s.open(s.seal(42)); !ok || seq != 42 {
		t.Fatalf("open(seal(42)) = %d, %v", seq, ok)
	}
	for _, n := range []int{0, 15, 17} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("open of %d bytes panicked: %v", n, r)
				}
			}()
			if _, ok := s.open(make([]byte, n)); ok {
				t.Errorf("open of %d bytes: ok", n)
			}
		}()
	}
	// a block seal never writes: the first half not zero, seq small
	b, _ := aes.NewCipher(mutxKeyBlock())
	var blk [16]byte
	binary.BigEndian.PutUint64(blk[:8], 1)
	binary.BigEndian.PutUint64(blk[8:], 5)
	b.Encrypt(blk[:], blk[:])
	if seq, ok := s.open(blk[:]); ok {
		t.Errorf("open of a block with a non-zero first half: %d, ok", seq)
	}
}

func mutxKeyBlock() []byte {
	// the seal key as documented, to forge a block seal did not write
	k := hmacSum(mutxKey, "probity audit sealed seq")
	return k[:16]
}

// TestMutXTiedEmptyCursor kills M49: after "" is the first page for a tied
// reader as for any other (a client that sends "" for no cursor).
func TestMutXTiedEmptyCursor(t *testing.T) {
	s := newSealedSeqs(mutxKey)
	empty := ""
	for _, tied := range []bool{false, true} {
		if n, err := s.decodeCursor(&empty, tied); err != nil || n != 0 {
			t.Errorf("after \"\" (tied %v): %d, %v", tied, n, err)
		}
	}
	c := s.cursor(9, true)
	if n, err := s.decodeCursor(&c, true); err != nil || n != 9 {
		t.Errorf("a sealed cursor read back: %d, %v", n, err)
	}
	if _, err := base64.RawURLEncoding.DecodeString(c); err != nil {
		t.Errorf("sealed cursor %q is not base64url: %v", c, err)
	}
}

func hmacSum(key []byte, text string) []byte {
	m := hmacNew(key)
	m.Write([]byte(text))
	return m.Sum(nil)
}

func hmacNew(key []byte) hash.Hash { return hmac.New(sha256.New, key) }
