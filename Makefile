# outreach: self-hosted outreach automation for X.
SHELL := /bin/bash
GO      ?= go
BIN     := bin/outreach
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/outreachhq/outreach/core/cli.Version=$(VERSION)
# Tools for `make proto`, pinned so regenerated code matches what is checked in.
PROTOC_GEN_GO      := google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
PROTOC_GEN_GO_GRPC := google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.6.0

# Tools from npm for `make lint-openapi` and `make client-check`, pinned and
# installed once into a cache outside the tree (npm install --prefix).
TOOLS_DIR          ?= $(HOME)/.cache/outreach-tools
NPM_DIR            := $(TOOLS_DIR)/npm
REDOCLY_CLI        := 2.77.0
OPENAPI_TS_CODEGEN := 0.31.0
TYPESCRIPT         := 5.9.3
NPM_TOOLS          := @redocly/cli@$(REDOCLY_CLI) openapi-typescript-codegen@$(OPENAPI_TS_CODEGEN) typescript@$(TYPESCRIPT)
NPM_STAMP          := $(NPM_DIR)/.installed-redocly-$(REDOCLY_CLI)-otc-$(OPENAPI_TS_CODEGEN)-ts-$(TYPESCRIPT)
# The Go client generator, run with `go run` at this version.
OAPI_CODEGEN       := github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@v2.8.2

.PHONY: build test bench demo lint lint-openapi client-check npm-tools proto proto-tools openapi docs-assets dashboard-assets screenshots clean

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/outreach

# test: formatting, vet, then every test (unit, out-of-process plugin,
# API over a real listener, Postgres on a throwaway cluster the tests start,
# end to end, the dashboard in a headless chromium) under the race detector;
# then the engine's, the service's, the API's and the dashboard's tests again on Postgres
# (they run on buntdb the first time). A test that is skipped (Postgres's
# on a machine without PostgreSQL, the browser test's without chromium) is
# named, with its reason, in the last line; .ci/run fails on any. The kill test of
# a cluster of built binaries takes 7 to 10 minutes, hence the timeout.
TESTLOG := bin/test.log
test: lint-openapi
	@unformatted=$$(gofmt -l .); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	@mkdir -p bin
	@set -o pipefail; { $(GO) test -race -count=1 -timeout 30m -v ./... && \
	  OUTREACH_TEST_STORE=postgres $(GO) test -race -count=1 -timeout 30m -v ./core/engine/... ./core/service/... ./core/api/... ./core/web/...; } > $(TESTLOG) 2>&1; status=$$?; \
	grep -E '^(ok|FAIL|---|panic:|\?)' $(TESTLOG) | grep -v -- '--- PASS'; \
	if [ $$status -ne 0 ]; then echo "tests failed; the whole log is in $(TESTLOG)"; grep -B60 -A5 -- '--- FAIL' $(TESTLOG) | head -400; \
	  if grep -q 'WARNING: DATA RACE' $(TESTLOG); then echo 'the race reports:'; grep -A60 'WARNING: DATA RACE' $(TESTLOG) | head -300; fi; exit $$status; fi; \
	skipped=$$(grep -c -- '--- SKIP' $(TESTLOG)); \
	if [ "$$skipped" -gt 0 ]; then \
	  echo "$$skipped tests SKIPPED: $$(grep -A1 -- '--- SKIP' $(TESTLOG) | grep -v -- '--- SKIP' | sed 's/^ *//' | sort -u | paste -sd ';' -)"; \
	else echo "all tests passed, none skipped"; fi

npm-tools: $(NPM_STAMP)
$(NPM_STAMP):
	@mkdir -p $(NPM_DIR)
	npm install --prefix $(NPM_DIR) --save-exact --no-audit --no-fund --loglevel=error $(NPM_TOOLS)
	@touch $@

# lint-openapi: Redocly's recommended rules (redocly.yaml) on the checked-in
# document, which a test keeps identical to what the server serves. Any
# error or warning fails.
lint-openapi: $(NPM_STAMP)
	@out=$$(REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true $(NPM_DIR)/node_modules/.bin/redocly lint \
	  --config redocly.yaml --format=stylish schema/openapi.yaml 2>&1); status=$$?; \
	echo "$$out" | grep -E '(error|warning) |validated|valid|failed'; \
	if [ $$status -ne 0 ] || echo "$$out" | grep -qE '[0-9]+:[0-9]+ +(error|warning) '; then \
	  echo "redocly lint: schema/openapi.yaml has problems:"; echo "$$out"; exit 1; fi

# client-check: generate a TypeScript client (openapi-typescript-codegen,
# compiled with tsc) and a Go client (oapi-codegen, from the 3.0 rendering),
# and call every read operation with each against a running
# `outreach serve --sandbox`. Generated code stays out of the tree.
client-check: build $(NPM_STAMP)
	NPM_DIR=$(NPM_DIR) OAPI_CODEGEN=$(OAPI_CODEGEN) BIN=$(BIN) tools/client-check/run.sh

# screenshots: the browser test's screenshots of every page at 1280 and
# 390 pixels wide (bin/screenshots/), and the README's, rewritten
# (docs/screenshots/overview.png and inbox.png). Needs chromium.
screenshots:
	@set -o pipefail; OUTREACH_UPDATE_SCREENSHOTS=1 $(GO) test -count=1 -run '^TestBrowser$$' -v ./core/web/ | grep -E '^ *(---|ok|FAIL)|screenshots'

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# demo: the quick start on the simulated X, in a fresh data dir under .demo/.
demo: build
	$(BIN) apply -auto-approve --data .demo examples/quickstart.hcl

lint:
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || (gofmt -l . && exit 1)

# proto-tools: the pinned protoc plugins, into GOPATH/bin (protoc itself is
# Debian's protobuf-compiler, 3.21.12 on bookworm).
proto-tools:
	$(GO) install $(PROTOC_GEN_GO)
	$(GO) install $(PROTOC_GEN_GO_GRPC)

proto: proto-tools
	PATH="$$($(GO) env GOPATH)/bin:$$PATH" protoc -I schema/proto \
		--go_out=. --go_opt=module=github.com/outreachhq/outreach \
		--go-grpc_out=. --go-grpc_opt=module=github.com/outreachhq/outreach \
		schema/proto/outreach/plugin/v1/*.proto

# openapi: rewrite schema/openapi.yaml from what the server serves (a test
# fails while the two differ).
openapi:
	$(GO) test ./core/api -run TestOpenAPISnapshot -update

# docs-assets: refresh the vendored Swagger UI served at /docs (from npm).
SWAGGER_UI := 5.35.0
docs-assets:
	tmp=$$(mktemp -d) && cd $$tmp && npm pack swagger-ui-dist@$(SWAGGER_UI) >/dev/null && tar xzf swagger-ui-dist-$(SWAGGER_UI).tgz && \
	cp package/swagger-ui-bundle.js package/swagger-ui-bundle.js.LICENSE.txt package/swagger-ui.css package/LICENSE package/NOTICE \
		$(CURDIR)/core/api/docsui/assets/ && rm -rf $$tmp

# dashboard-assets: refresh the dashboard's vendored htmx and uPlot (from
# npm), which are committed so that changing a page needs no build step.
HTMX  := 2.0.8
UPLOT := 1.6.32
dashboard-assets:
	tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent htmx.org@$(HTMX) uplot@$(UPLOT) >/dev/null && \
	mkdir h u && tar xzf htmx.org-$(HTMX).tgz -C h && tar xzf uplot-$(UPLOT).tgz -C u && \
	cp h/package/dist/htmx.min.js $(CURDIR)/core/web/assets/ && cp h/package/LICENSE $(CURDIR)/core/web/assets/htmx.LICENSE && \
	cp u/package/dist/uPlot.iife.min.js u/package/dist/uPlot.min.css $(CURDIR)/core/web/assets/ && \
	cp u/package/LICENSE $(CURDIR)/core/web/assets/uPlot.LICENSE && rm -rf $$tmp

clean:
	rm -rf bin .demo
