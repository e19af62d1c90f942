package api

import (
	"context"
	"fmt"
	"sync"
	"time"

	"probity"
)

// loader batches the link fields of one request: the first resolver that
// asks for a kind of link (with given paging and time filters) fetches it
// for every entity of that label the request has seen so far, in one query;
// the others find their page in the cache. A list of 200 officers with
// their accesses costs one query, not 200.
type loader struct {
	graph   Graph
	mu      sync.Mutex
	primed  map[string][]string // label → ids seen, in order
	known   map[string]bool     // "Label:id" seen
	entries map[string]*linkEntry
}

type linkEntry struct {
	mu      sync.Mutex
	fetched map[string]bool
	data    map[string][]probity.Link
}

func newLoader(g Graph) *loader {
	return &loader{graph: g, primed: map[string][]string{}, known: map[string]bool{}, entries: map[string]*linkEntry{}}
}

// prime records an entity the request returns, so later link batches
// include it.
// key is n.Ref().Key().
func (l *loader) prime(n probity.Node, key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.primeLocked(n, key)
}

// primeAll primes nodes (keys[i] is nodes[i].Ref().Key()).
func (l *loader) primeAll(nodes []probity.Node, keys []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.known) == 0 {
		l.known = make(map[string]bool, len(keys))
	}
	for i, n := range nodes {
		l.primeLocked(n, keys[i])
	}
}

func (l *loader) primeLocked(n probity.Node, key string) {
	if !l.known[key] {
		l.known[key] = true
		l.primed[n.Label] = append(l.primed[n.Label], n.ID)
	}
}

// links returns owner's page of q (q.Kind, q.From/To, q.Skip/Limit; q.Label
// is the owner's label).
func (l *loader) links(ctx context.Context, owner string, q probity.LinkQuery) ([]probity.Link, error) {
	key := fmt.Sprintf("%s|%s|%s|%s|%d|%d", q.Kind, q.Label, fmtTime(q.From), fmtTime(q.To), q.Skip, q.Limit)
	l.mu.Lock()
	e := l.entries[key]
	if e == nil {
		e = &linkEntry{fetched: map[string]bool{}, data: map[string][]probity.Link{}}
		l.entries[key] = e
	}
	ids := append([]string{}, l.primed[q.Label]...)
	l.mu.Unlock()

	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.fetched[owner] {
		var need []string
		for _, id := range ids {
			if !e.fetched[id] {
				need = append(need, id)
			}
		}
		if !contains(need, owner) {
			need = append(need, owner)
		}
		q.IDs = need
		res, err := l.graph.Links(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, id := range need {
			e.fetched[id] = true
			e.data[id] = res[id]
		}
	}
	return e.data[owner], nil
}

func fmtTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
