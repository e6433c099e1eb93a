# Gatehouse — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
GO ?= go
PKGS := ./...
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: run test build generate lint bench postgres migrate-status clean

## run: serve on :8080 with the embedded PostgreSQL (installed first if missing), dev settings.
run: postgres
	GATEHOUSE_ENV=$${GATEHOUSE_ENV:-dev} $(GO) run -ldflags "$(LDFLAGS)" ./cmd/gatehouse serve

## test: vet, format check, unit and integration tests on a real PostgreSQL.
test: postgres lint
	$(GO) test -race -count=1 -timeout 20m $(PKGS)

## build: the binary in bin/.
build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/gatehouse ./cmd/gatehouse

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

## postgres: make sure PostgreSQL server binaries are installed.
postgres:
	@bash .ci/install-postgres.sh

migrate-status:
	GATEHOUSE_ENV=$${GATEHOUSE_ENV:-dev} $(GO) run ./cmd/gatehouse migrate status

clean:
	rm -rf bin
