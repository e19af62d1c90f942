package api

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"regexp"
	"strings"

	"probity"
)

// Pseudonym maps an entity to a stable pseudonym, "Label-XXXXXXXX": the
// first four bytes of HMAC-SHA256(key, "Label:id") in upper-case hex. The
// same key gives the same pseudonym on every request and restart; without
// the key it cannot be reversed or recomputed.
func Pseudonym(key []byte, label, id string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(label + ":" + id))
	return label + "-" + strings.ToUpper(hex.EncodeToString(m.Sum(nil)[:4]))
}

// KeyFingerprint names a pseudonym key without giving it away: the first
// eight bytes of HMAC-SHA256(key, a fixed text) in hex. Two servers with
// the same fingerprint show the same pseudonyms.
func KeyFingerprint(key []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("probity pseudonym key fingerprint"))
	return hex.EncodeToString(m.Sum(nil)[:8])
}

// TokenPrefix starts every API token secret.
const TokenPrefix = "prb_"

// NewToken makes a token for name with role: a secret of 32 random bytes
// (returned once, to be shown to the user) and the Token to store, which
// keeps only the secret's SHA-256. An unknown role or a name that is not
// tokenName is EINVALID.
func NewToken(name string, role probity.Role) (secret string, t probity.Token, err error) {
	if strings.TrimSpace(name) == "" {
		return "", t, probity.Errorf(probity.EINVALID, "a token needs a name")
	}
	// a trailing or doubled space would make a name that reads like another in the audit log
	if !tokenName.MatchString(name) || strings.HasPrefix(name, "tok-") || strings.HasSuffix(name, " ") || strings.Contains(name, "  ") {
		return "", t, probity.Errorf(probity.EINVALID, "token name %q: up to 64 letters, digits, single spaces and . _ @ -, starting and ending with a letter, digit or sign, not with tok- (token ids do)", name)
	}
	if !role.Valid() {
		return "", t, probity.Errorf(probity.EINVALID, "unknown role %q: want analyst, reviewer or admin", role)
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", t, err
	}
	idb := make([]byte, 6)
	if _, err := rand.Read(idb); err != nil {
		return "", t, err
	}
	secret = TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, probity.Token{ID: "tok-" + hex.EncodeToString(idb), Name: name, Role: role, Hash: HashToken(secret)}, nil
}

// tokenName is the form of a token's name: it is the actor of every audit
// event, so it is one printable line, and it can be neither taken for a
// token id (revokeToken takes either) nor for the CLI's own actor
// (cli:USER).
var tokenName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 ._@-]{0,63}$`)

// HashToken is the hex SHA-256 of a token secret, as stored.
func HashToken(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}
