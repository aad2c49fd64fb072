#!/usr/bin/env bash
# Webhook-to-ERP benchmark: Tributary (embedded or scaled) against Node-RED 5 and the bare floor, in one go.
# Usage: bench/webhook-to-erp/run.sh [embedded|scaled] [--n 4000] [--c 32] [--no-peers]
# Prints one JSON line per system; the last line is Tributary's (webhook-load.mjs's own JSON, with "system",
# "cpuMsPerOrder", the CPU its processes spent per delivered order, and "rssMb", their resident memory
# once the last order is delivered, in front).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
shared="$root/../shared"
mode="${1:-embedded}"; shift || true
n=4000; c=32; peers=1
while [ $# -gt 0 ]; do
  case "$1" in
    --n) n="$2"; shift 2;; --c) c="$2"; shift 2;; --no-peers) peers=0; shift;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
# The project's Node 24 (npm test / npm start fetch it into .cache/node).
if [ -x "$root/.cache/node/bin/node" ]; then export PATH="$root/.cache/node/bin:$PATH"; fi
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 24 ? 0 : 1)' || { echo "needs Node 24: run npm test once first" >&2; exit 2; }
out="$here/out"; mkdir -p "$out"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

wait_http() { for _ in $(seq 1 120); do curl -sf -o /dev/null "$1" && return 0; sleep 0.25; done; echo "timed out waiting for $1" >&2; return 1; }
# The bare floor answers any request by parsing its body as an order: probe its port without a request.
wait_port() { for _ in $(seq 1 120); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.25; done; echo "timed out waiting for port $1" >&2; return 1; }
# CPU time (utime + stime, clock ticks) of the given processes, all their threads included.
ticks() { local t=0 p; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(sed 's/.*) //' "/proc/$p/stat" | awk '{print $12 + $13}'))); done; echo "$t"; }
# Resident memory (MB) of the given processes when asked, Redis and PostgreSQL left out (their shared
# memory would be counted once per process): after a run, whether a system holds on to what it handled.
rss_mb() {
  local k=0 p c
  for p in "$@"; do
    c=$(cat "/proc/$p/comm" 2>/dev/null || true)
    if [ -n "$c" ] && [ "$c" != redis-server ] && [ "$c" != postgres ]; then k=$((k + $(awk '/^VmRSS/ {print $2}' "/proc/$p/status"))); fi
  done
  echo $((k / 1024))
}
# load URL PID...: drives URL and prints the load generator's JSON line with "cpuMsPerOrder" and "rssMb" in front:
# the CPU the given processes spent from the first request to the last delivery, per delivered order.
# Less disturbed by other work on the machine than orders/s, so the figure to compare between systems.
load() {
  local url="$1"; shift
  local before; before=$(ticks "$@")
  local line; line=$(node "$shared/bench/webhook-load.mjs" "$url" --n "$n" --c "$c" --secret bench-secret --wait 120 | tail -n 1)
  local after; after=$(ticks "$@")
  local delivered; delivered=$(echo "$line" | grep -o '"delivered":[0-9]*' | cut -d: -f2)
  local hz; hz=$(getconf CLK_TCK)
  echo "{\"cpuMsPerOrder\":$(awk -v t=$((after - before)) -v d="${delivered:-0}" -v hz="$hz" 'BEGIN { printf "%.2f", (d > 0 ? t * 1000 / hz / d : 0) }'),\"rssMb\":$(rss_mb "$@"),$(echo "$line" | cut -c2-)"
}

node "$shared/bench/fake-erp.mjs" 4010 > "$out/fake-erp.log" 2>&1 & pids+=($!)
wait_http http://127.0.0.1:4010/stats

if [ "$peers" = 1 ]; then
  # Bare floor and Node-RED 5 (installed into the project's .cache, not $HOME).
  jdir="$root/packages/mapping"
  JSONATA_FROM="$jdir/" node "$shared/bench/peers/bare.mjs" > "$out/bare.log" 2>&1 & pids+=($!)
  wait_port 4020
  echo "{\"system\":\"bare\",$(load http://127.0.0.1:4020/ "${pids[-1]}" | cut -c2-)"
  kill "${pids[-1]}"; unset 'pids[-1]'
  # Node-RED's settings.js is CommonJS; the repo's package.json says "type": "module".
  mkdir -p "$root/.cache/peers" && echo '{"type":"commonjs"}' > "$root/.cache/peers/package.json"
  nr_pid=$(PEERS_CACHE="$root/.cache/peers" bash "$shared/bench/peers/run-node-red.sh" | head -n 1)
  pids+=("$nr_pid")
  echo "{\"system\":\"node-red\",$(load http://127.0.0.1:1880/webhook/orders "$nr_pid" | cut -c2-)"
  kill "$nr_pid" 2>/dev/null || true; pkill -f node-red/red.js 2>/dev/null || true; unset 'pids[-1]'
fi

data="$(mktemp -d)"
# Node flags for Tributary's processes, as scripts/start.mjs starts the server (override to compare).
read -r -a node_flags <<< "${TRIBUTARY_NODE_FLAGS---max-semi-space-size=64}"
export PORT=3900 HOST=127.0.0.1 LOG_LEVEL=warn TRIBUTARY_DATA_DIR="$data" TRIBUTARY_SECRET_KEY="$(head -c 32 /dev/zero | base64)"
if [ "$mode" = scaled ]; then
  db="tributary_bench_$$"
  psql -h 127.0.0.1 -U postgres -d test -qc "create database $db" >/dev/null
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db" REDIS_URL="redis://127.0.0.1:6379/7"
  redis-cli -n 7 flushdb >/dev/null
  node "${node_flags[@]}" "$here/tributary.ts" server > "$out/server.log" 2>&1 & pids+=($!)
  wait_http http://127.0.0.1:3900/healthz
  # Two workers of 32 = the flow's concurrency cap of 64: a worker never takes a job only to hand it
  # back to the delayed set because the flow's slots are all held (BENCH_CONCURRENCY overrides).
  for w in 1 2; do BENCH_CONCURRENCY="${BENCH_CONCURRENCY:-32}" node "${node_flags[@]}" "$here/tributary.ts" worker > "$out/worker-$w.log" 2>&1 & pids+=($!); done
  sleep 2
else
  unset DATABASE_URL REDIS_URL  # embedded means PGlite and the in-process queue, whatever the shell exports
  node "${node_flags[@]}" "$here/tributary.ts" embedded > "$out/embedded.log" 2>&1 & pids+=($!)
  wait_http http://127.0.0.1:3900/healthz
fi
sleep 1
# Tributary's processes; scaled mode also counts Redis and PostgreSQL, which do part of its work.
measured=("${pids[@]:1}")
if [ "$mode" = scaled ]; then measured+=($(pgrep -x redis-server) $(pgrep -x postgres)); fi
result="$(load http://127.0.0.1:3900/hooks/webhook-to-erp "${measured[@]}")"
cleanup; pids=()
if [ "$mode" = scaled ]; then psql -h 127.0.0.1 -U postgres -d test -qc "drop database if exists $db" >/dev/null; redis-cli -n 7 flushdb >/dev/null; fi
rm -rf "$data"
echo "{\"system\":\"tributary-$mode\",$(echo "$result" | cut -c2-)"
