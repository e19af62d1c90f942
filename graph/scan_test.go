package graph_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"probity"
	"probity/graph/graphtest"
)

// TestScanStopsWhenNeo4jIsLost: with Neo4j gone in the middle of a scan,
// each pattern left waited out its time-out in turn and printed "0 hits"
// (opsW: five minutes); the scan now stops after the first pattern that
// fails with Neo4j unreachable, says so, and reports that pattern failed.
func TestScanStopsWhenNeo4jIsLost(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, `(O1:Officer)-[:ACCESSED {at: datetime('2025-03-01T10:00:00Z')}]->(R1:Record)`)
	p := graphtest.NewProxy(t)
	viaProxy := p.Open(t, 3*time.Second)
	var progress []probity.ScanProgress
	start := time.Now()
	opts := probity.ScanOptions{Progress: func(sp probity.ScanProgress) {
		if sp.Step != "" {
			return
		}
		progress = append(progress, sp)
		if sp.Done == 1 {
			p.Down()
		}
	}}
	_, err := viaProxy.Scan(context.Background(), opts)
	took := time.Since(start)
	if probity.ErrorCode(err) != probity.EUNAVAILABLE || !strings.Contains(probity.ErrorMessage(err), "lost Neo4j at "+p.URI()) {
		t.Fatalf("scan with Neo4j gone: %v, want lost Neo4j", err)
	}
	if len(progress) != 2 || progress[1].Error == "" {
		t.Fatalf("progress %+v: want the first pattern, then the second failed, and no more", progress)
	}
	// the second pattern's retries end with the store's 3 s time-out, then a 5 s ping
	if took > 20*time.Second {
		t.Errorf("stopped after %s, want within the time-out and the ping", took.Round(time.Millisecond))
	}
}

// Lost before any pattern ran (the hubs, the aggregates), a scan says so
// as when a pattern meets it, not with the driver's retry error (chaosA
// L3, mutT M2).
func TestScanLostBeforeAnyPattern(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, `(O1:Officer)-[:ACCESSED {at: datetime('2025-03-01T10:00:00Z')}]->(R1:Record)`)
	p := graphtest.NewProxy(t)
	viaProxy := p.Open(t, 3*time.Second)
	opts := probity.ScanOptions{Progress: func(sp probity.ScanProgress) {
		if sp.Step != "" {
			p.Down() // at the first step, before any pattern
		}
	}}
	_, err := viaProxy.Scan(context.Background(), opts)
	if probity.ErrorCode(err) != probity.EUNAVAILABLE || !strings.Contains(probity.ErrorMessage(err), "lost Neo4j at "+p.URI()) {
		t.Fatalf("scan with Neo4j gone before any pattern: %v, want lost Neo4j", err)
	}
}
