package graph_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"probity"
	"probity/graph"
	"probity/graph/graphtest"
)

func TestMigrateTwiceChangesNothing(t *testing.T) {
	store := graphtest.Open(t) // applies the migrations once
	ctx := context.Background()

	before, err := store.SchemaObjects(ctx)
	if err != nil {
		t.Fatal(err)
	}
	applied, err := store.Migrate(ctx)
	if err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	if len(applied) != 0 {
		t.Fatalf("second migrate applied %v, want nothing", applied)
	}
	after, err := store.SchemaObjects(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Fatalf("schema changed on second migrate:\nbefore %v\nafter  %v", before, after)
	}
	v, err := store.SchemaVersion(ctx)
	if err != nil || v != graph.LatestSchemaVersion() {
		t.Fatalf("schema version = %d, %v; want %d", v, err, graph.LatestSchemaVersion())
	}
}

func TestEveryLabelHasUniqueID(t *testing.T) {
	store := graphtest.Open(t)
	objs, err := store.SchemaObjects(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, o := range objs {
		have[o] = true
	}
	for _, label := range []string{"Officer", "Person", "Company", "Account", "Address", "Phone", "Case",
		"Record", "Complaint", "Shift", "BadgeSwipe", "MisconductCase", "Flag", "Review", "Schedule",
		"ScanRun", "AuditEvent"} {
		want := "constraint UNIQUENESS " + label + "(id)"
		if !have[want] {
			t.Errorf("missing %q", want)
		}
	}
}

func TestHealthReportsServer(t *testing.T) {
	store := graphtest.Open(t)
	h := store.Health(context.Background())
	if !h.Reachable || h.ServerVersion == "" || h.SchemaVersion != graph.LatestSchemaVersion() {
		t.Fatalf("health = %+v", h)
	}
	if h.ServerVersion[:4] != "5.26" {
		t.Fatalf("server version %s, want 5.26.x", h.ServerVersion)
	}
}

func TestOpenUnreachableSaysWhatToDo(t *testing.T) {
	_, err := graph.Open(context.Background(), graph.Config{URI: "bolt://127.0.0.1:1", Password: "x"})
	if err == nil {
		t.Fatal("open of a closed port succeeded")
	}
	want := "cannot reach Neo4j at bolt://127.0.0.1:1: run scripts/neo4j start or set NEO4J_URI"
	if got := err.Error(); got != "unavailable: "+want {
		t.Fatalf("error = %q, want %q", got, want)
	}
	// a password written into the address is never shown (secL M2), one a
	// URL parser refuses neither (reviewI M1)
	_, err = graph.Open(context.Background(), graph.Config{URI: "bolt://neo4j:s3cret@127.0.0.1:1", Password: "x"})
	if got := fmt.Sprint(err); strings.Contains(got, "s3cret") || !strings.Contains(got, "cannot reach Neo4j at bolt://127.0.0.1:1:") {
		t.Fatalf("error with credentials in the address = %q", got)
	}
	for _, uri := range []string{"bolt://neo4j:s3%zzcret@127.0.0.1:1", "bolt://neo4j:s3cr/et@127.0.0.1:1", "neo4j://neo4j:s3cr#et@[::1:7866",
		"neo4j:s3cret@127.0.0.1:1", "bolt:/neo4j:s3cret@127.0.0.1:1", // without "//" too (reviewJ L2)
		"bolt://neo4j:s3@cr3t@127.0.0.1:1"} { // cut at the last "@" (mutV R01)
		if _, err := graph.Open(context.Background(), graph.Config{URI: uri, Password: "x"}); err == nil || strings.Contains(err.Error(), "s3") {
			t.Errorf("%s: %v", uri, err)
		}
	}
}

// TestMigrateRefusesANewerSchema: a database a newer binary migrated is
// not this binary's to read or write (an old binary started after an
// upgrade).
func TestMigrateRefusesANewerSchema(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	newer := graph.LatestSchemaVersion() + 1
	t.Cleanup(func() {
		_ = store.RunForTestParams(context.Background(), `MATCH (m:SchemaMigration {version: $v}) DELETE m`, map[string]any{"v": newer})
	})
	// two newer versions: the refusal names the highest (opsX L3)
	for _, v := range []int{newer + 1, newer} {
		if err := store.RunForTestParams(ctx, `CREATE (:SchemaMigration {version: $v, name: 'from the future'})`, map[string]any{"v": v}); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		_ = store.RunForTestParams(context.Background(), `MATCH (m:SchemaMigration {version: $v}) DELETE m`, map[string]any{"v": newer + 1})
	})
	want := fmt.Sprintf("at version %d, newer than this binary's", newer+1)
	if _, err := store.Migrate(ctx); probity.ErrorCode(err) != probity.ECONFLICT || !strings.Contains(err.Error(), want) {
		t.Fatalf("migrate on a newer schema: %v, want conflict saying %q", err, want)
	}
	// A scan or a load by a process started before the upgrade (a
	// scheduler left running) writes nothing either (opsX M6).
	if _, err := store.Scan(ctx, probity.ScanOptions{}); probity.ErrorCode(err) != probity.ECONFLICT || !strings.Contains(err.Error(), want) {
		t.Fatalf("scan on a newer schema: %v, want conflict", err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "officers.csv"), []byte("officer_id,name\nO-future,Fay\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Load(ctx, dir, graph.LoadOptions{}); probity.ErrorCode(err) != probity.ECONFLICT {
		t.Fatalf("load on a newer schema: %v, want conflict", err)
	}
	if n, _ := store.CountForTest(ctx, `MATCH (o:Officer {id: 'O-future'}) RETURN count(o)`); n != 0 {
		t.Fatal("a load on a newer schema wrote its officer")
	}
}

// TestPseudonymKeyKept: without PROBITY_PSEUDONYM_KEY, servers share the
// key kept in the database: made once, the same at every start.
func TestPseudonymKeyKept(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	a, err := store.PseudonymKey(ctx)
	if err != nil || len(a) != 32 {
		t.Fatalf("first key: %x, %v", a, err)
	}
	b, err := store.PseudonymKey(ctx)
	if err != nil || !reflect.DeepEqual(a, b) {
		t.Fatalf("second read %x, %v; want the first key %x", b, err, a)
	}
	if n, _ := store.CountForTest(ctx, `MATCH (k:Setting {id: 'pseudonymKey'}) RETURN count(k)`); n != 1 {
		t.Fatalf("%d pseudonym keys stored, want 1", n)
	}
}

// A wrong NEO4J_DATABASE says so in words, not in the driver's.
func TestMigrateNamesAWrongDatabase(t *testing.T) {
	graphtest.Open(t) // the server is up
	ctx := context.Background()
	for db, want := range map[string]string{"nosuch": `NEO4J_DATABASE="nosuch": no such database`, "system": "NEO4J_DATABASE=system is Neo4j's own catalogue"} {
		cfg := graphtest.Config()
		cfg.Database = db
		s, err := graph.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Migrate(ctx); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("NEO4J_DATABASE=%s: %v, want %q", db, err, want)
		}
		s.Close(ctx)
	}
}

// Two audit events at one seq are refused when written (migration 19), not
// left for audit verify to find, which missed one on a page boundary.
func TestAuditSeqUnique(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	if _, err := store.AppendAudit(ctx, probity.AuditEvent{Actor: "a", Role: probity.RoleAnalyst, Operation: "flags"}); err != nil {
		t.Fatal(err)
	}
	err := store.RunForTestParams(ctx, `MATCH (e:AuditEvent {seq: 1}) CREATE (:AuditEvent {id: 'audit-forged', seq: e.seq, hash: e.hash})`, nil)
	if err == nil || !strings.Contains(err.Error(), "audit_seq_unique") && !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("a second event at seq 1: %v, want refused by the constraint", err)
	}
}

// Migration 21 copies the links a decision or note was made despite, from
// its audit event (all the release before Review.acknowledged kept), to
// the review or note its author made on that flag just before; nothing
// else is touched (upgradeA M1).
func TestMigrationCopiesAcknowledgedLinks(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	if err := s.RunForTestParams(ctx, `
		CREATE (f:Flag {id: 'FLAG-a'}), (g:Flag {id: 'FLAG-b'}), (h:Flag {id: 'FLAG-c'}), (i:Flag {id: 'FLAG-d'})
		CREATE (:Review {id: 'R1', flagId: 'FLAG-a', reviewer: 'tied', to: 'in_review', at: datetime('2026-11-26T10:00:00Z')})-[:REVIEWS]->(f)
		CREATE (:Review {id: 'R2', flagId: 'FLAG-a', reviewer: 'other', to: 'false_positive', at: datetime('2026-11-26T10:00:00.5Z')})-[:REVIEWS]->(f)
		CREATE (:Review {id: 'R3', flagId: 'FLAG-b', reviewer: 'tied', to: 'in_review', at: datetime('2026-11-26T09:00:00Z')})-[:REVIEWS]->(g)
		CREATE (:FlagNote {id: 'NOTE-1', flagId: 'FLAG-b', author: 'tied', text: 'seen', at: datetime('2026-11-26T11:00:00Z')})-[:NOTES]->(g)
		CREATE (:FlagNote {id: 'NOTE-2', flagId: 'FLAG-b', author: 'other', text: 'mine', at: datetime('2026-11-26T11:00:01Z')})-[:NOTES]->(g)
		CREATE (:Review {id: 'R4', flagId: 'FLAG-c', reviewer: 'tied', to: 'in_review', at: datetime('2026-11-26T12:00:00Z')})-[:REVIEWS]->(h)
		CREATE (:Review {id: 'R5', flagId: 'FLAG-d', reviewer: 'tied', to: 'in_review', at: datetime('2026-11-26T13:00:00Z')})-[:REVIEWS]->(i)
		CREATE (:AuditEvent {id: 'ev1', seq: 900001, actor: 'tied', operation: 'reviewFlag', at: datetime('2026-11-26T10:00:01Z'),
		  purpose: 'checking; recusal acknowledged on FLAG-a: same unit (North); the data records no line manager; review FLAG-a: new -> in_review: "why"'})
		CREATE (:AuditEvent {id: 'ev2', seq: 900002, actor: 'tied', operation: 'noteFlag', at: datetime('2026-11-26T11:00:02Z'),
		  purpose: 'recusal acknowledged on FLAG-b: shares an address (Address:A1); note NOTE-1 on FLAG-b'})
		// the caller's own text is not the server's note (secK M2): a purpose
		// header on a read, and a reason that quotes the words
		CREATE (:AuditEvent {id: 'ev3', seq: 900003, actor: 'tied', operation: 'flags', at: datetime('2026-11-26T12:00:30Z'),
		  purpose: 'recusal acknowledged on FLAG-c: Officer:O9 (family); review FLAG-c: new -> in_review: "x"'})
		CREATE (:AuditEvent {id: 'ev4', seq: 900004, actor: 'tied', operation: 'reviewFlag', at: datetime('2026-11-26T13:00:01Z'),
		  purpose: 'review FLAG-d: new -> in_review: "checked. recusal acknowledged on FLAG-d: Officer:O1 (partner)"'})
		WITH 1 AS one MATCH (m:SchemaMigration {version: 21}) DELETE m`, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for cypher, want := range map[string]int64{
		`MATCH (r:Review {id: 'R1'}) WHERE r.acknowledged = ['same unit (North); the data records no line manager'] RETURN count(r)`: 1,
		`MATCH (n:FlagNote {id: 'NOTE-1'}) WHERE n.acknowledged = ['shares an address (Address:A1)'] RETURN count(n)`:                1,
		// another's decision or note (nearer the event: reviewF M2), one
		// made an hour before the event, and those the caller's own text
		// named are not touched
		`MATCH (r:Review) WHERE r.id IN ['R2', 'R3', 'R4', 'R5'] AND r.acknowledged IS NOT NULL RETURN count(r)`: 0,
		`MATCH (n:FlagNote {id: 'NOTE-2'}) WHERE n.acknowledged IS NOT NULL RETURN count(n)`:                     0,
	} {
		if got := count(t, s, cypher); got != want {
			t.Errorf("%d, want %d: %s", got, want, cypher)
		}
	}
}

// The tests' wipe refuses a database that holds data and was never a test
// database, deleting nothing (opsX L7, reviewN H1: a mistyped
// PROBITY_TEST_NEO4J_URI cost a force its tokens and audit log); a marked
// one, or PROBITY_TEST_WIPE=1, is wiped.
func TestWipeRefusesADatabaseNoTestMarked(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	t.Setenv("PROBITY_TEST_WIPE", "")
	t.Cleanup(func() { graphtest.Mark(t, store) })
	if err := store.RunForTest(ctx, `DROP INDEX probity_test_database IF EXISTS`); err != nil {
		t.Fatal(err)
	}
	if err := store.RunForTest(ctx, `CREATE (:Officer {id: 'O-force'})`); err != nil {
		t.Fatal(err)
	}
	if err := store.DeleteAllData(ctx); probity.ErrorCode(err) != probity.ECONFLICT || !strings.Contains(err.Error(), "never a test database") {
		t.Fatalf("wipe of an unmarked database: %v, want a conflict", err)
	}
	if n, _ := store.CountForTest(ctx, `MATCH (o:Officer {id: 'O-force'}) RETURN count(o)`); n != 1 {
		t.Fatal("the refused wipe deleted data")
	}
	t.Setenv("PROBITY_TEST_WIPE", "1")
	if err := store.DeleteAllData(ctx); err != nil {
		t.Fatalf("wipe with PROBITY_TEST_WIPE=1: %v", err)
	}
	t.Setenv("PROBITY_TEST_WIPE", "")
	if err := store.RunForTest(ctx, `CREATE (:Officer {id: 'O-test'})`); err != nil {
		t.Fatal(err)
	}
	if err := store.DeleteAllData(ctx); err != nil { // marked by the wipe before
		t.Fatalf("wipe of a marked database: %v", err)
	}
}
