#!/usr/bin/env bash
# Enrichment throughput with the LLM engine: llama-server with 1, 2 and 4 slots (Llm:Endpoint) versus the in-process
# batch generator with the same parallelism (Llm:ModelPath, Llm:ParallelSequences), same model, same sample, one run.
#
# Usage: bench/llm-endpoint.sh [REVIEWS] [MODEL]
#   REVIEWS  the first N real MI reviews to enrich (default 48)
#   MODEL    a GGUF (default ../shared/models/stories260K.gguf)
# Needs ./setup --llama-server. Every run uses one llama.cpp thread (-t 1 / Llm:Threads=1), prompts capped as in the
# tests (the test model reads a token per character). Prints sequences/s (LLM requests per second of `enrich`).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-48}
model=$(realpath "${2:-../shared/models/stories260K.gguf}")
server=$(bash .ci/llama-server.sh --cached) || { echo "llama-server is not built: run ./setup --llama-server" >&2; exit 1; }
work=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

# The sample: the first N reviews (real CSV rows, quoting kept).
# Only the items those reviews are about: every item is described, and the catalogue has 900.
python3 - "$n" ../shared/data/amazon-musical-instruments "$work" <<'PY'
import csv, sys
n, src, dst = int(sys.argv[1]), sys.argv[2], sys.argv[3]
asins = set()
with open(f"{src}/reviews.csv", newline='') as f, open(f"{dst}/reviews.csv", 'w', newline='') as g:
    r, w = csv.reader(f), csv.writer(g)
    header = next(r); w.writerow(header)
    for i, row in enumerate(r):
        if i >= n: break
        w.writerow(row); asins.add(row[header.index("asin")])
with open(f"{src}/items.csv", newline='') as f, open(f"{dst}/items.csv", 'w', newline='') as g:
    r, w = csv.reader(f), csv.writer(g)
    header = next(r); w.writerow(header)
    w.writerows(row for row in r if row[0] in asins)
PY
cp -r prompts "$work/prompts"
sed -i 's/"max_tokens": 200/"max_tokens": 120/; s/"max_keywords": 8, "max_keyword_chars": 40, "max_review_chars": 1500/"max_keywords": 2, "max_keyword_chars": 12, "max_review_chars": 300/' "$work/prompts/ExtractKeywords/config.json"
sed -i 's/"max_tokens": 120/"max_tokens": 80/; s/"max_text_chars": 300/"max_text_chars": 40/' "$work/prompts/DescribeItem/config.json"
./explainer ingest amazon --db "$work/base.db" --reviews "$work/reviews.csv" --items "$work/items.csv" >/dev/null

export EXPLAINER_Explain__PromptsPath=$work/prompts EXPLAINER_Llm__Threads=1 EXPLAINER_Llm__ContextLength=16384
run() { # run LABEL: enrich a fresh copy of the sample, print the rate from the CLI's LLM line
  cp "$work/base.db" "$work/run.db"; rm -f "$work/run.db-log"
  local out; out=$(./explainer enrich --db "$work/run.db" --engine llm 2>&1) || { echo "$out" >&2; exit 1; }
  local requests seconds
  requests=$(sed -n 's/^LLM: \([0-9,]*\) requests.*/\1/p' <<<"$out" | tr -d ,)
  seconds=$(sed -n 's/.* in \([0-9.]*\) s:.*/\1/p' <<<"$out")
  printf '%-28s %4s requests in %6s s = %6.1f sequences/s  (%s)\n' "$1" "$requests" "$seconds" \
    "$(awk -v r="$requests" -v s="$seconds" 'BEGIN { print r / s }')" "$(sed -n 's/^LLM: .*(\(.*\))\.$/\1/p' <<<"$out")"
}

for p in 1 2 4; do
  EXPLAINER_Llm__ModelPath=$model EXPLAINER_Llm__ParallelSequences=$p run "in-process, $p sequences"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$server" -m "$model" --host 127.0.0.1 --port "$port" -np "$p" -c $((p * 4096)) -t 1 -tb 1 --no-webui >"$work/server.log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.2; kill -0 $pid || { cat "$work/server.log" >&2; exit 1; }; done
  EXPLAINER_Llm__Endpoint=http://127.0.0.1:$port/v1 EXPLAINER_Llm__MaxConcurrency=$p run "llama-server, $p slots"
  kill $pid; wait $pid 2>/dev/null || true
done
