# The Zinx course, version by version. `make` (or `make help`) lists the targets.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# The ladder, oldest first. A version counts as built once its directory exists.
VERSIONS := v0.1 v0.5 v0.8 v0.9 v1.0-epoll
BUILT    := $(strip $(foreach v,$(VERSIONS),$(if $(wildcard $(v)/znet),$(v))))
# The newest version with a demo this machine can run: v1.0-epoll's engine
# needs Linux (elsewhere its server only says so), so `make demo` on a Mac
# shows v0.9's instead of failing.
DEMOABLE := $(if $(filter Linux,$(shell uname -s)),$(BUILT),$(filter-out v1.0-epoll,$(BUILT)))
NEWEST   := $(lastword $(foreach v,$(DEMOABLE),$(if $(wildcard $(v)/examples/server),$(v))))

GO        ?= go
GOTEST    := $(GO) test -race -count=1
BIN       := $(CURDIR)/.bin
COLOR     ?= auto
ARGS      ?=

STATICCHECK_VERSION := v0.8.2
STATICCHECK         := $(BIN)/staticcheck-$(STATICCHECK_VERSION)

# Exercise packages are left out of the plain test run: their stubs are meant
# to fail until a learner solves them. `grade verify` checks them instead.
EXERCISES := ./exercises/...
NOT_EXERCISES = $(shell $(GO) list ./... | grep -Ev '^zinx/exercises/v[0-9]')

.PHONY: help
help: ## list the targets
	@echo "Usage: make <target>   (versions: $(VERSIONS); built: $(BUILT))"
	@echo
	@grep -hE '^[a-zA-Z0-9_%.-]+:.*## ' $(MAKEFILE_LIST) | sed 's/%/<version>/' | \
	  awk -F':.*## ' '{ printf "  %-16s %s\n", $$1, $$2 }'

.PHONY: test
test: ## every version, the docs check, the load tool's smoke check (Linux) and the exercises' honesty check, under -race
	$(GOTEST) $(NOT_EXERCISES)
	$(MAKE) --no-print-directory bench-smoke
	$(GO) run ./exercises/grade verify

test-%: ## one version's tests under -race, e.g. make test-v0.1
	@if [ ! -d "$*/znet" ]; then echo "$* is not a version here (versions: $(VERSIONS))"; exit 1; fi
	$(GOTEST) ./$*/...

.PHONY: bench
bench: ## benchmarks of every built version (compare two runs with benchstat)
	$(GO) test -run='^$$' -bench=. -benchmem $(addprefix ./,$(addsuffix /...,$(BUILT)))

# The load tool is a module of its own (bench/go.mod), so that gnet, the HDR
# histogram and the plotting library never become the framework's dependencies.
# Its binaries are built, not `go run`, so that Ctrl-C reaches benchcompare,
# which then stops the servers it started.
BENCH_RUN := $(BIN)/benchcompare -server $(BIN)/benchserver -load $(BIN)/zload

.PHONY: bench-tools
bench-tools:
	cd bench && for c in benchserver zload benchcompare; do $(GO) build -o $(BIN)/$$c ./cmd/$$c || exit 1; done

.PHONY: bench-compare
bench-compare: bench-tools ## every version beside a plain echo and gnet, pinned, seven rounds (about 11 min): rewrites docs/bench/
	$(BENCH_RUN) -out docs/bench -rounds 7 $(ARGS)

.PHONY: bench-smoke
bench-smoke: ## the load tool's tests, then every server for about a second: checks replies, writes nothing
	@if [ "$$(uname -s)" != Linux ]; then echo "bench-smoke: skipped: the load tool reads Linux's /proc"; exit 0; fi; \
	  $(MAKE) --no-print-directory bench-tools && cd bench && $(GOTEST) ./... && cd .. && $(BENCH_RUN) -smoke

.PHONY: lint
lint: $(STATICCHECK) ## gofmt, go vet (linux, darwin, windows) and staticcheck, over stubs and solutions alike
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt wants to rewrite:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	@# Learners build on macOS and Windows too: the epoll engine must still compile there.
	GOOS=darwin $(GO) vet ./...
	GOOS=windows $(GO) vet ./...
	$(GO) vet -tags solution $(EXERCISES)
	$(STATICCHECK) ./...
	$(STATICCHECK) -tags solution $(EXERCISES)
	cd bench && $(GO) vet ./... && $(STATICCHECK) ./...

$(STATICCHECK):
	GOBIN=$(BIN) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	mv $(BIN)/staticcheck $@

.PHONY: diff
diff: ## the lesson between two versions: make diff FROM=v0.1 TO=v0.5
	@if [ -z "$(FROM)" ] || [ -z "$(TO)" ]; then echo "usage: make diff FROM=v0.1 TO=v0.5"; exit 2; fi
	@.ci/versiondiff --color=$(COLOR) $(FROM) $(TO)

.PHONY: diffstat
diffstat: ## how much each chapter changed: the size of each adjacent pair's diff
	@set -- $(BUILT); while [ $$# -ge 2 ]; do .ci/versiondiff --stat $$1 $$2; shift; done

run-%: ## one version's demo: server and client side by side, e.g. make run-v0.1
	@if [ ! -d "$*/examples/server" ]; then echo "$* is not a version here (versions: $(VERSIONS))"; exit 1; fi
	@mkdir -p $(BIN)
	$(GO) build -o $(BIN)/$*-server ./$*/examples/server
	$(GO) build -o $(BIN)/$*-client ./$*/examples/client
	@ZINX_CONFIG=$(wildcard $*/examples/server/conf/zinx.json) .ci/demo $(BIN)/$*-server $(BIN)/$*-client

.PHONY: demo
demo: run-$(NEWEST) ## the newest finished version's demo

.PHONY: grade
grade: ## grade the exercises; make grade ARGS="run v0.1-bind" | "hint ID" | "list" | "watch" | "reset ID" | "-lang zh"
	@$(GO) run ./exercises/grade $(ARGS)

.PHONY: clean
clean: ## remove the installed tools and demo binaries
	rm -rf $(BIN)
