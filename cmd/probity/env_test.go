package main

import (
	"bytes"

	"probity/graph/graphtest"
)

// testEnv points commands at the test server, as user "tester", and
// captures their output.
func testEnv() (*env, *bytes.Buffer, *bytes.Buffer) {
	cfg := graphtest.Config()
	vars := map[string]string{"NEO4J_URI": cfg.URI, "NEO4J_PASSWORD": cfg.Password, "USER": "tester"}
	var out, errb bytes.Buffer
	return &env{stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}, &out, &errb
}
