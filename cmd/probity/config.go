package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"probity/graph"
)

// DefaultNeo4jPassword is the local development password that scripts/neo4j
// sets when NEO4J_PASSWORD is unset. Never use it beyond 127.0.0.1.
const DefaultNeo4jPassword = "probity-local"

// neo4jConfig reads NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE
// and PROBITY_QUERY_TIMEOUT.
func neo4jConfig(getenv func(string) string) (graph.Config, error) {
	c := graph.Config{
		URI:      getenv("NEO4J_URI"),
		User:     getenv("NEO4J_USER"),
		Password: getenv("NEO4J_PASSWORD"),
		Database: getenv("NEO4J_DATABASE"),
	}
	if c.Password == "" {
		c.Password = DefaultNeo4jPassword
	}
	if v := getenv("PROBITY_QUERY_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return c, fmt.Errorf("PROBITY_QUERY_TIMEOUT=%q: want a duration such as 30s", v)
		}
		c.Timeout = d
	}
	return c, nil
}

// openStore connects to Neo4j as configured in the environment.
func openStore(ctx context.Context, e *env) (*graph.Store, error) {
	cfg, err := neo4jConfig(e.getenv)
	if err != nil {
		return nil, err
	}
	return graph.Open(ctx, cfg)
}

// openMigrated connects to Neo4j and applies any pending schema migration,
// as every command that reads or writes the investigator's records needs
// (none runs on a schema older than its binary's), and says which it
// applied: some rewrite data (docs/operations.md, "Upgrades").
func openMigrated(ctx context.Context, e *env) (*graph.Store, error) {
	store, err := openStore(ctx, e)
	if err != nil {
		return nil, err
	}
	applied, err := store.Migrate(ctx)
	if err != nil {
		store.Close(context.Background())
		return nil, err
	}
	if len(applied) > 0 && e.stderr != nil {
		fmt.Fprintf(e.stderr, "probity: applied schema migrations %v (now at %d)\n", applied, graph.LatestSchemaVersion())
	}
	return store, nil
}

func cmdMigrate(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	store, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	applied, err := store.Migrate(ctx)
	if err != nil {
		return err
	}
	h := store.Health(ctx)
	fmt.Fprintf(e.stdout, "Neo4j %s %s at %s: schema version %d (applied %v)\n",
		h.ServerVersion, h.Edition, store.URI(), h.SchemaVersion, applied)
	return nil
}
