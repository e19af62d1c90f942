# Probity — the two commands are `make run` and `make test`.
SHELL := /bin/bash
GO    ?= go
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X probity.Version=$(VERSION)

.PHONY: help run test bench build neo4j neo4j-stop clean demo

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

run: ## start Neo4j (unless NEO4J_URI is set), build, load the demo set if empty, serve on http://127.0.0.1:8080
	@scripts/run

test: ## install what tests need, start a test Neo4j, run every test
	@scripts/test

bench: ## run the benchmarks (figures go to docs/BENCHMARKS.md)
	@scripts/bench

build: ## build bin/probity (and the UI when Node is present)
	@if command -v npm >/dev/null; then cd ui && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; } && npm run build; fi
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/probity ./cmd/probity

neo4j: ## start the local Neo4j and print its Bolt URI
	@scripts/neo4j start

neo4j-stop: ## stop the local Neo4j
	@scripts/neo4j stop

demo: ## regenerate the committed demo set seeds/demo (200 officers, seed 20251125, 150 days)
	rm -f seeds/demo/*.csv
	$(GO) run ./cmd/probity generate --out seeds/demo --officers 200 --seed 20251125 --days 150

clean: ## remove build output (not the databases in .data/)
	rm -rf bin
