package api

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"

	"github.com/graph-gophers/graphql-go"

	"probity"
)

// sealedSeqs hides an audit event's place in the chain from a reader tied
// to an officer. The log leaves out the events about that officer's case,
// and the gaps in seq (in ids, cursors, prevHash links and the count of
// events checked) counted them exactly: a tied reviewer polling the log
// read a meter of the work on its case (secO M2). For such a reader an
// event has no seq nor hashes, its id and the page cursors carry the seq
// sealed (one AES block under a key derived from the pseudonym key: equal
// seqs give equal text, nothing more), and the chain's check says only
// whether it holds.
type sealedSeqs struct{ block cipher.Block }

// newSealedSeqs keys the seal from the pseudonym key (a random key without
// one: cursors then last as long as the process).
func newSealedSeqs(pseudonymKey []byte) sealedSeqs {
	key := make([]byte, 16)
	if len(pseudonymKey) > 0 {
		m := hmac.New(sha256.New, pseudonymKey)
		m.Write([]byte("probity audit sealed seq"))
		copy(key, m.Sum(nil))
	} else if _, err := rand.Read(key); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		panic(err) // a 16-byte key is always valid
	}
	return sealedSeqs{b}
}

// seal is seq in one block: eight zero bytes, then seq big-endian.
func (s sealedSeqs) seal(seq int64) []byte {
	var b [16]byte
	binary.BigEndian.PutUint64(b[8:], uint64(seq))
	s.block.Encrypt(b[:], b[:])
	return b[:]
}

// open is seal's inverse; false for anything seal did not write.
func (s sealedSeqs) open(sealed []byte) (int64, bool) {
	if len(sealed) != 16 {
		return 0, false
	}
	var b [16]byte
	s.block.Decrypt(b[:], sealed)
	seq := int64(binary.BigEndian.Uint64(b[8:]))
	return seq, binary.BigEndian.Uint64(b[:8]) == 0 && seq >= 0 && seq <= maxCursorOffset
}

// cursor is the page cursor after seq: the plain one, or sealed for a
// tied reader.
func (s sealedSeqs) cursor(seq int64, tied bool) string {
	if !tied {
		return cursor(int(seq))
	}
	return base64.RawURLEncoding.EncodeToString(s.seal(seq))
}

// decodeCursor reads what cursor wrote for the same kind of reader.
func (s sealedSeqs) decodeCursor(c *string, tied bool) (int64, error) {
	if !tied {
		n, err := decodeCursor(c)
		return int64(n), err
	}
	if c == nil || *c == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*c)
	seq, ok := s.open(b)
	if err != nil || !ok {
		return 0, probity.Errorf(probity.EINVALID, "bad cursor %q: pass an endCursor from a previous page", *c)
	}
	return seq, nil
}

// auditEvent is an event as the log shows it to its reader; sealed is set
// for a reader tied to an officer.
type auditEvent struct {
	e      probity.AuditEvent
	sealed *sealedSeqs
}

func (a auditEvent) ID() graphql.ID {
	if a.sealed != nil {
		return graphql.ID("audit-s" + hex.EncodeToString(a.sealed.seal(a.e.Seq)))
	}
	return graphql.ID(a.e.ID)
}

func (a auditEvent) Seq() *int32 {
	if a.sealed != nil {
		return nil
	}
	n := int32(a.e.Seq)
	return &n
}

func (a auditEvent) PrevHash() *string { return a.unsealed(a.e.PrevHash) }
func (a auditEvent) Hash() *string     { return a.unsealed(a.e.Hash) }

func (a auditEvent) unsealed(s string) *string {
	if a.sealed != nil {
		return nil
	}
	return &s
}
