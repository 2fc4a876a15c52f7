#!/usr/bin/env bash
# Load run of the HTTP API on loopback: `explainer serve` in one process, wrk in others.
#   readers: GET /v1/users/{id}/recommendations?k=10&explain=true for 200 users whose explanations are in the store
#   writers: POST /v1/users/{id}/feedback (like/dislike/not-interested) for 50 other users, mixed in concurrently
# Prints requests/s, p50/p99 latency of the reads, the writes' rate and latency, and every error (there should be none).
#
#   bench/api-load.sh [DURATION_SECONDS=30] [READER_CONNECTIONS=16]
#   EXPLAINER_DB=path/to/enriched.db bench/api-load.sh    # reuse a store (a copy is used; the original is not changed)
#
# Needs wrk (Debian: apt-get install -y wrk), curl, python3 and the shared data beside the repository.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
duration=${1:-30}
connections=${2:-16}
port=${PORT:-5099}
data="$here/../shared/data/amazon-musical-instruments"
work=$(mktemp -d /tmp/explainer-api-load.XXXXXX)
server=""
cleanup() { if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT
if [ "$duration" -gt 30 ]; then echo "api-load: at most 30 s" >&2; exit 2; fi
command -v wrk >/dev/null || { echo "api-load: wrk not found (apt-get install -y wrk)" >&2; exit 1; }

echo "== building explainer (Release) into $work/app"
dotnet build "$here/src/Explainer.Cli" -c Release -o "$work/app" -v quiet -nologo >/dev/null
cli() { dotnet "$work/app/explainer.dll" "$@"; }

db="$work/load.db"
if [ -n "${EXPLAINER_DB:-}" ]; then
  cp "$EXPLAINER_DB" "$db"
else
  echo "== building a store from $data (ingest, enrich, index)"
  unset EXPLAINER_DB
  cli --db "$db" ingest amazon --reviews "$data/reviews.csv" --items "$data/items.csv" >"$work/build.log" 2>&1
  cli --db "$db" enrich >>"$work/build.log" 2>&1
  cli --db "$db" index >>"$work/build.log" 2>&1
fi

# Users with the most reviews read; the next 50 write. Item ids for feedback come from the catalogue.
python3 - "$data" "$work" <<'PY'
import csv, collections, sys
data, work = sys.argv[1], sys.argv[2]
counts = collections.Counter(r["reviewerID"] for r in csv.DictReader(open(f"{data}/reviews.csv", encoding="utf-8")))
users = [u for u, _ in counts.most_common(250)]
items = [r["Product ID"] for r in csv.DictReader(open(f"{data}/items.csv", encoding="utf-8"))]
open(f"{work}/readers.txt", "w").write("\n".join(users[:200]) + "\n")
lua = lambda name, xs: "%s = {%s}\n" % (name, ",".join('"%s"' % x for x in xs))
open(f"{work}/lists.lua", "w").write(lua("readers", users[:200]) + lua("writers", users[200:]) + lua("items", items))
PY

echo "== serving on http://127.0.0.1:$port"
EXPLAINER_Logging__LogLevel__Default=Warning dotnet "$work/app/explainer.dll" --db "$db" serve --urls "http://127.0.0.1:$port" 2>"$work/serve.log" &
server=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$port/health"; echo

echo "== priming: explanations of the readers' top 10 into the store"
prime() { while read -r u; do curl -sf "http://127.0.0.1:$port/v1/users/$u/recommendations?k=10&explain=true" -o /dev/null || echo "prime failed for $u" >&2; done < "$work/readers.txt"; }
prime; sleep 2; prime
pending=0
while read -r u; do
  n=$(curl -sf "http://127.0.0.1:$port/v1/users/$u/recommendations?k=10&explain=true" | grep -o '"status":"[a-z]*"' | grep -vc '"ready"' || true)
  pending=$((pending + n))
done < "$work/readers.txt"
echo "explanations not ready after priming: $pending"

cat > "$work/read.lua" <<LUA
dofile("$work/lists.lua")
local all = {}
local n = 0
function setup(thread) table.insert(all, thread) end
function init(args) errors = 0; pending = 0; requests = 0 end
request = function()
  local u = readers[math.random(#readers)]
  return wrk.format("GET", "/v1/users/" .. u .. "/recommendations?k=10&explain=true")
end
response = function(status, headers, body)
  requests = requests + 1
  if status ~= 200 then errors = errors + 1 end
  if body and string.find(body, '"status":"pending"', 1, true) then pending = pending + 1 end
end
done = function(summary, latency, requests_)
  local e, p, r = 0, 0, 0
  for _, t in ipairs(all) do e = e + t:get("errors"); p = p + t:get("pending"); r = r + t:get("requests") end
  io.write(string.format("READS  requests=%d  req/s=%.1f  p50=%.2fms  p90=%.2fms  p99=%.2fms  max=%.2fms  non-200=%d  socket-errors=%d  responses-with-pending=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, e, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, p))
end
LUA

cat > "$work/write.lua" <<LUA
dofile("$work/lists.lua")
local all = {}
local kinds = {"like", "dislike", "not-interested"}
function setup(thread) table.insert(all, thread) end
function init(args) errors = 0 end
request = function()
  local u = writers[math.random(#writers)]
  local body = '{"itemId":"' .. items[math.random(#items)] .. '","kind":"' .. kinds[math.random(#kinds)] .. '"}'
  return wrk.format("POST", "/v1/users/" .. u .. "/feedback", {["Content-Type"] = "application/json"}, body)
end
delay = function() return 20 end
response = function(status, headers, body) if status ~= 200 then errors = errors + 1 end end
done = function(summary, latency, requests_)
  local e = 0
  for _, t in ipairs(all) do e = e + t:get("errors") end
  io.write(string.format("WRITES requests=%d  req/s=%.1f  p50=%.2fms  p99=%.2fms  non-200=%d  socket-errors=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA

echo "== load: ${duration}s, $connections reader connections + 2 writer connections (one feedback per 20 ms each), loopback"
wrk -t2 -c2 -d"${duration}s" --timeout 10s -s "$work/write.lua" "http://127.0.0.1:$port" > "$work/write.out" 2>&1 &
writer=$!
wrk -t2 -c"$connections" -d"${duration}s" --timeout 10s --latency -s "$work/read.lua" "http://127.0.0.1:$port" > "$work/read.out" 2>&1
wait "$writer"
grep -E "^READS" "$work/read.out"
grep -E "^WRITES" "$work/write.out"
grep -E "Non-2xx|Socket errors" "$work/read.out" "$work/write.out" || true
if grep -qiE "error|exception" "$work/serve.log"; then echo "server log:"; grep -iE "error|exception" "$work/serve.log" | head -20; fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
