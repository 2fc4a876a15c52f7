#!/usr/bin/env bash
# Benchmarks Explainer's in-process llama.cpp binding:
#   1. aggregate generation tokens/s with 1, 4 and 16 parallel sequences (explainer llm bench);
#      and how long cancelling a streamed generation takes to return (50 cancels after 5-40 tokens, p50/p99/max);
#   2. single-sequence tokens/s of Explainer vs node-llama-cpp@3.22.1 on the same libraries, model, prompt,
#      context (512) and thread count, in the same run, and their ratio.
# Usage: bench/llama/bench.sh [MODEL] [THREADS] [TOKENS] [REPEAT]
#   defaults: ../shared/models/stories260K.gguf, 1 thread, 128 tokens, best of 5.
# Needs ./setup to have installed .deps (the llama.cpp libraries) and npm for node-llama-cpp.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
model=$(realpath "${1:-../shared/models/stories260K.gguf}")
threads=${2:-1}
tokens=${3:-128}
repeat=${4:-5}
prompt="Once upon a time"
libs="$root/.deps/node_modules/@node-llama-cpp/linux-x64"
[ -d "$libs/bins" ] || { echo "bench: $libs is missing; run ./setup first" >&2; exit 1; }

# node-llama-cpp outside the repository, without install scripts and without its optional prebuilt packages;
# its @node-llama-cpp/linux-x64 is a link to the very libraries Explainer loads.
node_dir=${BENCH_NODE_DIR:-${TMPDIR:-/tmp}/explainer-node-bench}
if [ ! -f "$node_dir/node_modules/node-llama-cpp/package.json" ]; then
  mkdir -p "$node_dir"
  echo '{ "name": "explainer-node-bench", "private": true, "type": "module" }' > "$node_dir/package.json"
  npm install --prefix "$node_dir" --ignore-scripts --omit=optional --no-audit --no-fund --loglevel=error node-llama-cpp@3.22.1 >/dev/null
fi
mkdir -p "$node_dir/node_modules/@node-llama-cpp"
rm -rf "$node_dir/node_modules/@node-llama-cpp/linux-x64"
ln -s "$libs" "$node_dir/node_modules/@node-llama-cpp/linux-x64"
cp bench/llama/node-bench.mjs "$node_dir/node-bench.mjs"

echo "bench: building the CLI (Release)" >&2
dotnet build src/Explainer.Cli -c Release -nologo -v quiet >/dev/null
explainer=(dotnet "src/Explainer.Cli/bin/Release/net10.0/explainer.dll")

echo "== machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), model $model, $threads thread(s), $tokens tokens, best of $repeat"
echo "== Explainer: aggregate tokens/s by parallel sequences"
"${explainer[@]}" llm bench --model "$model" --threads "$threads" --context-length 512 --tokens "$tokens" --repeat "$repeat" --parallel 1,4,16 --cancellations 50 --prompt "$prompt" --json > /tmp/explainer-bench.json
cat /tmp/explainer-bench.json
echo "== node-llama-cpp@3.22.1: one sequence"
node "$node_dir/node-bench.mjs" "$model" "$threads" "$tokens" "$prompt" "$repeat" | tee /tmp/node-bench.json
node -e '
  const e = require("/tmp/explainer-bench.json"), n = require("/tmp/node-bench.json");
  const one = e.results.find(r => r.parallel === 1);
  console.log(`== one sequence: Explainer ${one.tokensPerSecond.toFixed(0)} tokens/s, node-llama-cpp ${n.tokensPerSecond.toFixed(0)} tokens/s, ratio ${(one.tokensPerSecond / n.tokensPerSecond).toFixed(2)}`);
  for (const r of e.results) console.log(`== ${r.parallel} parallel: ${r.tokensPerSecond.toFixed(0)} tokens/s aggregate`);
  const c = e.cancel;
  if (c) console.log(`== cancel to return (${c.count} streamed runs): p50 ${c.p50Ms.toFixed(1)} ms, p99 ${c.p99Ms.toFixed(1)} ms, max ${c.maxMs.toFixed(1)} ms`);'
