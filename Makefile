# Gatehouse — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
GO ?= go
PKGS := ./...
# The binary; its version is in cmd/gatehouse/version.go. Its commit is
# stamped here too, for machines whose GOFLAGS say -buildvcs=false.
BIN ?= bin/gatehouse
COMMIT := $(shell git rev-parse HEAD 2>/dev/null)
MODIFIED := $(shell git status --porcelain --untracked-files=no 2>/dev/null | head -c1 | grep -q . && echo true)
LDFLAGS := -X main.commit=$(COMMIT) -X main.modified=$(MODIFIED)

.PHONY: run test build generate lint bench load postgres hydra migrate-status clean web

## run: serve on 127.0.0.1:8080 with the embedded PostgreSQL (installed first if missing), dev
## settings. The binary is built first and run directly (not by `go run`), so that Ctrl-C ends
## with the server's own exit status: 0 after a clean shutdown.
run: postgres build
	GATEHOUSE_ENV=$${GATEHOUSE_ENV:-dev} exec $(BIN) serve

## test: vet, format check, unit and integration tests on a real PostgreSQL (and a real Ory Hydra,
## built once into a cache by `make hydra`).
test: postgres hydra lint
	$(GO) test -race -count=1 -timeout 20m $(PKGS)

## build: the binary in bin/ (or BIN).
build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/gatehouse

## generate: regenerate gqlgen code from graph/schema/*.graphqls.
generate:
	$(GO) tool gqlgen generate

## lint: go vet and gofmt must be clean.
lint:
	$(GO) vet $(PKGS)
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi

## bench: benchmarks (sign-in, me, argon2id) on the real stack, then the staff user search on
## 1,000,000 seeded users (p50/p99 per filter and order; writes docs/bench/users-search.md).
bench: postgres
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 3s ./cmd/gatehouse/app/ ./adapters/secrets/
	GATEHOUSE_BENCH_USERS=$${GATEHOUSE_BENCH_USERS:-1000000} $(GO) test -timeout 60m -run '^$$' \
		-bench UserSearch -benchtime 200x ./adapters/postgres/

## load: the load harness (never part of test): starts the built binary in dev on loopback with a
## throwaway data directory (or DATABASE_URL), seeds its users through GraphQL, measures `me`, the
## staff user page, PIN and password sign-in and the OTP journey at 16 connections and at 1, and
## writes docs/bench/load.md. Flags in LOAD_FLAGS, e.g. LOAD_FLAGS='-duration 3s -only me,users'.
load: postgres build
	$(GO) run ./cmd/gatehouse-load -bin $(BIN) $(LOAD_FLAGS)

## web: install each browser app's exact dependencies and rebuild its dist/ (committed, so that
## `go build` needs no node): every web/<app>/ with a package.json (web/console, ...).
web:
	@set -e; for pkg in web/*/package.json; do \
		dir=$$(dirname $$pkg); echo "--- $$dir"; \
		(cd $$dir && npm ci --no-audit --no-fund && npm run build); \
	done

## postgres: make sure PostgreSQL server binaries are installed.
postgres:
	@bash .ci/install-postgres.sh

## hydra: make sure Ory Hydra v2.3.0 is built, in $${GATEHOUSE_TOOLS:-~/.cache/gatehouse}/hydra-v2.3.0/
## (the OAuth2 server the login/consent pages are tested against; about 75 s the first time).
hydra:
	@bash .ci/install-hydra.sh

## migrate-status: the migrations of the database `make run` uses.
migrate-status: build
	GATEHOUSE_ENV=$${GATEHOUSE_ENV:-dev} $(BIN) migrate status

clean:
	rm -rf bin
