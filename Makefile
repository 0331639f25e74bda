# aggen's own Makefile. The README names two commands: `make demo` and `make test`.

GO ?= go
BIN := bin
export GOWORK := off
# Without -trimpath the go command keys every compiled package outside
# GOROOT by its directory, so each build of a project in a fresh temporary
# directory (the tests make hundreds) adds entries to the build cache that
# no later run can use: the cache grew by gigabytes a run until the disk was
# full. With it, the same project content is compiled once.
export GOFLAGS := $(strip -trimpath $(filter-out -trimpath,$(GOFLAGS)))

.PHONY: all
all: build

.PHONY: build
build: ## Build bin/aggen.
	$(GO) build -o $(BIN)/aggen ./cmd/aggen

.PHONY: install
install: ## Install aggen into $(go env GOPATH)/bin.
	$(GO) install ./cmd/aggen

.PHONY: demo
demo: build ## Build aggen, make a project in a temp dir, build it, run it and show kubectl get.
	hack/demo.sh $(BIN)/aggen

.PHONY: test
# e2e-binaries first: on a machine without them cached (a fresh CI
# runner), several test packages would each build kube-apiserver at once,
# on the same cores, and run out of their time.
test: e2e-binaries ## The whole suite: vet, unit, golden, end-to-end (real etcd, apiserver, kube-apiserver).
	$(GO) vet ./...
	AGGEN_E2E=1 $(GO) test -count=1 -timeout 60m ./...
	# A short fuzz run of the marker parser: it must never panic. Bounded
	# by executions, not seconds: on a loaded 2-core machine a timed run can
	# end in the fuzzer's own "context deadline exceeded".
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime 40000x -parallel 1 ./generators/markers
	# Generation runs on several goroutines (the upstream generators, the
	# schemas, aggen's own generators, the formatting, the prestager): the
	# race detector over a whole generate of the example and of two
	# corpora nobody here wrote, and over the prestager and format memo.
	$(GO) test -race -count=1 -run '^TestOwnRenderersMatchUpstream/(example|gatewayapi|k8sapi)$$' ./test/upstream
	$(GO) test -race -count=1 -run '^(TestPrestaged.*|TestFormatMemo)$$' ./scaffold
	# The example's end-to-end suites live in a module of their own, as the
	# example is one: its generated clientset against its generated server.
	cd test/e2e/insects && $(GO) vet ./...
	cd test/e2e/insects && AGGEN_E2E=1 $(GO) test -count=1 -timeout 30m ./...

.PHONY: test-ha
test-ha: ## High availability with real processes, full length: etcd cluster of 3 (TLS), 2 apiserver replicas behind a load balancer, 2 controller managers, behind kube-apiserver; kill -9 under 20 writers and 50 watchers; prints the figures. make test runs a bounded form.
	cd test/e2e/insects && AGGEN_E2E=1 AGGEN_HA=full $(GO) test -count=1 -timeout 30m -run '^TestHighAvailability$$'

.PHONY: test-short
test-short: ## The fast part: unit and golden tests only.
	$(GO) test -short ./...

# `make bench -- --kinds 50` (or `make bench-generate -- --runs 1`): the
# words after the target are flags of the generate benchmark
# (test/bench), given after KINDS and RUNS so that they win; make is told
# they are nothing to build. make takes a word with "=" (--kube=false) for
# a variable, not a goal: such words that start with "-" are flags too.
BENCH_GOALS := bench bench-generate
ifneq ($(filter $(firstword $(MAKECMDGOALS)),$(BENCH_GOALS)),)
BENCH_ARGS := $(wordlist 2,$(words $(MAKECMDGOALS)),$(MAKECMDGOALS))
BENCH_FLAGS := $(filter -%,$(MAKEOVERRIDES))
ifneq ($(BENCH_ARGS),)
$(eval $(sort $(BENCH_ARGS)):;@:)
endif
endif

.PHONY: bench
bench: bench-generate bench-discovery bench-serve bench-storage ## The four benchmarks below; flags after -- go to the generate benchmark (make bench -- --kinds 50).

# KINDS: project sizes of the generate benchmark (kinds, comma-separated);
# RUNS: timed rounds at each size.
KINDS ?= 1,10,50,200
RUNS ?= 3

.PHONY: bench-generate
bench-generate: build ## aggen generate (full, no-op), verify, the go/packages floor and kube_codegen.sh on synthetic projects of KINDS kinds (default 1,10,50,200): ratios, CPU and wall time, peak memory.
	$(GO) run ./test/bench -aggen $(BIN)/aggen -kinds $(KINDS) -runs $(RUNS) $(BENCH_ARGS) $(BENCH_FLAGS)

.PHONY: bench-discovery
bench-discovery: ## Discovery p50/p99 through kube-apiserver, aggen's server vs sample-apiserver.
	$(GO) run ./test/bench/discovery -n 1000

.PHONY: bench-storage
bench-storage: build ## Create and list p50/p99 per storage backend (etcd, kine/SQLite, kine/memory, kine/PostgreSQL where present) of one generated apiserver, with ratios to etcd.
	$(GO) run ./test/bench/storage -aggen $(BIN)/aggen

# OBJECTS: collection sizes the serving benchmark LISTs (comma-separated).
OBJECTS ?= 1000,10000

.PHONY: bench-serve
bench-serve: ## Serving through kube-apiserver: aggen's server vs the same types as a CRD vs sample-apiserver; creates/s at concurrency 10, LIST p50/p99 at OBJECTS objects (default 1000,10000), watch fan-out (100 watchers), RSS growth; ratios.
	$(GO) run ./test/bench/serving -objects $(OBJECTS)

.PHONY: e2e-binaries
e2e-binaries: ## Build and cache etcd, kube-apiserver and sample-apiserver for the e2e tests.
	hack/e2e-binaries.sh

.PHONY: examples
examples: build ## Recreate examples/ with the current aggen.
	rm -rf examples/insects
	AGGEN=$(CURDIR)/$(BIN)/aggen examples/insects.sh examples/insects

.PHONY: help
help:
	@awk 'BEGIN {FS = ":.*##"} /^[a-zA-Z_-]+:.*?##/ { printf "  %-14s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)
