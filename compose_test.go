package probity_test

import (
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// No Docker engine runs on our machines, so the compose file is checked as
// data: the services, images, health check, loopback-only ports and the
// environment that wires probity to Neo4j.
func TestComposeFile(t *testing.T) {
	raw, err := os.ReadFile("docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Services map[string]struct {
			Image       string            `yaml:"image"`
			Build       any               `yaml:"build"`
			Environment map[string]string `yaml:"environment"`
			Ports       []string          `yaml:"ports"`
			Volumes     []string          `yaml:"volumes"`
			Healthcheck *struct {
				Test []string `yaml:"test"`
			} `yaml:"healthcheck"`
			DependsOn map[string]struct {
				Condition string `yaml:"condition"`
			} `yaml:"depends_on"`
		} `yaml:"services"`
		Volumes map[string]any `yaml:"volumes"`
	}
	if err := yaml.Unmarshal(raw, &c); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	neo, ok := c.Services["neo4j"]
	if !ok || neo.Image != "neo4j:5.26-community" {
		t.Fatalf("neo4j service image = %q, want neo4j:5.26-community", neo.Image)
	}
	if neo.Healthcheck == nil || len(neo.Healthcheck.Test) == 0 {
		t.Error("neo4j has no health check")
	}
	if len(neo.Volumes) == 0 || c.Volumes[strings.SplitN(neo.Volumes[0], ":", 2)[0]] == nil && len(c.Volumes) == 0 {
		t.Error("neo4j data is not on a named volume")
	}
	app, ok := c.Services["probity"]
	if !ok || app.Build == nil {
		t.Fatal("probity service is not built from the Dockerfile")
	}
	if app.DependsOn["neo4j"].Condition != "service_healthy" {
		t.Error("probity does not wait for a healthy neo4j")
	}
	for _, v := range []string{"NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE", "PROBITY_ADDR"} {
		if app.Environment[v] == "" {
			t.Errorf("probity environment lacks %s", v)
		}
	}
	if !strings.HasPrefix(app.Environment["NEO4J_URI"], "bolt://neo4j:") {
		t.Errorf("NEO4J_URI = %q, want the neo4j service", app.Environment["NEO4J_URI"])
	}
	for name, s := range c.Services {
		for _, p := range s.Ports {
			if !strings.HasPrefix(p, "127.0.0.1:") {
				t.Errorf("%s publishes %q beyond 127.0.0.1", name, p)
			}
		}
	}
	if _, err := os.Stat("Dockerfile"); err != nil {
		t.Error("no Dockerfile")
	}
	if _, ok := app.Environment["PROBITY_PSEUDONYM_KEY"]; !ok {
		t.Error("probity environment does not pass PROBITY_PSEUDONYM_KEY through")
	}
	// the build context never carries a developer's database (personal
	// data) nor the history (opsV)
	ignore, err := os.ReadFile(".dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{".data/", ".git/"} {
		if !strings.Contains("\n"+string(ignore), "\n"+p) {
			t.Errorf(".dockerignore lacks %s", p)
		}
	}
}
