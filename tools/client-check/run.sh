#!/usr/bin/env bash
# client-check: generate API clients from what a running server serves,
# compile them, and call every read operation with each.
#
#   NPM_DIR       where `make npm-tools` installed openapi-typescript-codegen
#                 and typescript
#   OAPI_CODEGEN  the oapi-codegen module@version, run with `go run`
#   BIN           the outreach binary
#
# It starts `outreach serve --sandbox` on a free loopback port with a
# throwaway data dir and a fresh API key, then:
#   TypeScript: openapi-typescript-codegen --input <served /openapi.yaml>,
#               compiled with tsc with ts/main.ts, run with node;
#   Go:         oapi-codegen on the served /openapi-3.0.yaml, in a throwaway
#               module with go/main.go, run with go run.
# Each program lists its calls in one table: adding an operation is one line.
# Nothing generated is written into the tree.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${NPM_DIR:?}" "${OAPI_CODEGEN:?}" "${BIN:?}"
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
tmp=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

step() { echo "client-check: $*"; }

step "starting outreach serve --sandbox (data in $tmp/data)"
key=$("$BIN" keys create --data "$tmp/data" 2>/dev/null | head -1)
"$BIN" serve --sandbox --data "$tmp/data" --addr 127.0.0.1:0 >"$tmp/serve.log" 2>&1 &
server_pid=$!
base=""
for _ in $(seq 1 300); do
  base=$(grep -o 'serving the API on http://[0-9.:]*' "$tmp/serve.log" | sed 's/serving the API on //' || true)
  if [ -n "$base" ] && curl -fsS "$base/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then echo "outreach serve exited:"; cat "$tmp/serve.log"; exit 1; fi
  sleep 0.1
done
[ -n "$base" ] || { echo "outreach serve did not start:"; cat "$tmp/serve.log"; exit 1; }
step "server at $base"
curl -fsS "$base/openapi.yaml" -o "$tmp/openapi.yaml"
curl -fsS "$base/openapi-3.0.yaml" -o "$tmp/openapi-3.0.yaml"
curl -fsS "$base/openapi.json" -o "$tmp/openapi.json"

# Every read operation of the document must be in both programs' tables.
reads=$(node -e '
  const doc = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  for (const item of Object.values(doc.paths)) if (item.get) console.log(item.get.operationId);
' "$tmp/openapi.json")
missing=""
for id in $reads; do
  for prog in "$here/ts/main.ts" "$here/go/main.go.txt"; do
    grep -q "\"$id\"" "$prog" || missing="$missing $id($(basename "$prog"))"
  done
done
if [ -n "$missing" ]; then echo "client-check: read operations without a call:$missing"; exit 1; fi
step "read operations: $(echo $reads | wc -w), each called by both clients"

step "TypeScript: openapi-typescript-codegen --input $base/openapi.yaml"
mkdir -p "$tmp/ts"
node "$NPM_DIR/node_modules/openapi-typescript-codegen/bin/index.js" --input "$tmp/openapi.yaml" --output "$tmp/ts/api" --client fetch >/dev/null
cp "$here/ts/main.ts" "$here/ts/tsconfig.json" "$tmp/ts/"
step "TypeScript: tsc"
(cd "$tmp/ts" && "$NPM_DIR/node_modules/.bin/tsc" -p tsconfig.json)
step "TypeScript: node, against the server"
OUTREACH_URL="$base" OUTREACH_KEY="$key" node "$tmp/ts/out/main.js"

step "Go: go run $OAPI_CODEGEN on $base/openapi-3.0.yaml"
mkdir -p "$tmp/go/client"
cp "$here/go/main.go.txt" "$tmp/go/main.go"
(cd "$here" && go run "$OAPI_CODEGEN" -generate types,client -package client -o "$tmp/go/client/client.go" "$tmp/openapi-3.0.yaml")
step "Go: build and run against the server"
(cd "$tmp/go" && go mod init clientcheck >/dev/null 2>&1 && GOFLAGS=-mod=mod go mod tidy >/dev/null 2>&1 &&
  OUTREACH_URL="$base" OUTREACH_KEY="$key" go run .)
step "both clients called every read operation; done"
