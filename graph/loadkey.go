package graph

import (
	"fmt"
	"hash/maphash"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"probity"
)

// RowKey says, for one import file, what a row writes and what identifies
// it, as the loader's write plans (plans) do: rows of a file with the same
// key write the same node or relationship, each later row's non-empty cells
// overwriting the earlier ones' (MERGE on the key, then SET += the
// properties). A repeated id in an entity file is rejected instead (the
// first row stays). export-bulk, behind probity load --bulk, merges repeated
// rows on the same keys so that both ways store the same graph.
type RowKey struct {
	Label string // entity files: the node's label, keyed by the file's TypeID column
	// The relationship a row writes: all link files; of entity files,
	// records.csv (PART_OF its case, B).
	Rel    string
	A, B   string // the columns naming its start and end (entity files: B only; owned nodes with OwnCols: no B)
	BLabel string // the end's label when B is not a reference to check: the owned node's, or records' Case
	Owned  bool   // the row writes its end node too (label BLabel), keyed by NodeID
	// OwnCols are the columns whose texts, joined by "/", are the owned
	// node's id (nil: the id is B's text); empty trailing cells are left
	// out (a shift without a start is officer_id/date).
	OwnCols []string
	// Key is the column that tells apart relationships between the same
	// ends, stored as KeyProp; "" when the ends are the key. An empty Key
	// cell is a key of its own (the relationship without that property).
	Key, KeyProp string
	NodeCols     []string // owned: the columns stored on the node; the others are on the relationship
}

// RowKeyOf returns the row key of an import file.
func RowKeyOf(file string) (RowKey, bool) {
	p, ok := plans[file]
	if !ok {
		return RowKey{}, false
	}
	spec, _ := probity.ImportFile(file)
	return RowKey{Label: spec.Label, Rel: p.rel, A: p.a, B: p.b, BLabel: p.bLabel, Owned: p.query == cypherOwned,
		OwnCols: p.ownCols, Key: p.key, KeyProp: p.keyProp, NodeCols: p.nodeCols}, true
}

// Prop is the name a column of the file is stored under: the key's
// KeyProp, declared_on as DECLARED.on, the others in camelCase.
func (k RowKey) Prop(col string) string {
	if col == k.Key && k.KeyProp != "" {
		return k.KeyProp
	}
	return propName("", col)
}

// NodeID is the id of the node a row of an owned file writes, given the
// text of each of its cells (KeyText of the parsed cell).
func (k RowKey) NodeID(text func(col string) string) string {
	if k.OwnCols == nil {
		return text(k.B)
	}
	parts := make([]string, len(k.OwnCols))
	for i, c := range k.OwnCols {
		parts[i] = text(c)
	}
	for len(parts) > 1 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return strings.Join(parts, "/")
}

// RelKey returns the texts that identify the relationship a row of a link
// file writes: the ids of its start and end and its key ("" when there is
// none or the cell is empty), given the text of each cell (KeyText).
func (k RowKey) RelKey(text func(col string) string) (a, b, key string) {
	b = text(k.B)
	if k.Owned {
		b = k.NodeID(text)
	}
	if k.Key != "" {
		key = text(k.Key)
	}
	return text(k.A), b, key
}

// HashKey hashes the texts of a key (RelKey's, or a node id): the loader
// and export-bulk keep one 64-bit hash a row, not the row.
func HashKey(seed maphash.Seed, parts ...string) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	for i, p := range parts {
		if i > 0 {
			h.WriteByte(0)
		}
		h.WriteString(p)
	}
	return h.Sum64()
}

// KeyText is the text of a parsed cell that keys compare: equal texts,
// equal values in Cypher. Dates are YYYY-MM-DD and date-times RFC 3339 in
// UTC, as neo4j-admin reads them from export-bulk's files; nil is "".
func KeyText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case neo4j.Date:
		return fmtDate(x)
	case time.Time:
		return fmtTime(x)
	}
	return fmt.Sprint(v)
}
