#!/usr/bin/env bash
# Explainer's own libllama binding vs LLamaSharp 0.30.0 (+ LLamaSharp.Backend.Cpu 0.30.0, its bundled llama.cpp) on
# the same model, prompt, greedy decoding, thread count and token count, alternating ROUNDS times so machine load
# hits both alike. Prints aggregate tokens/s for 1/4/16 sequences and whether the greedy texts are equal.
# Usage: bench/llamasharp/bench.sh [MODEL] [THREADS] [TOKENS] [ROUNDS]
#   defaults: ../shared/models/stories260K.gguf, 1 thread, 128 tokens, 3 rounds (each best of 5).
# Needs ./setup (the CLI and libllama in .deps) and the LLamaSharp packages on the NuGet feed.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then sed -n 2,7p "$0" | sed 's/^# \{0,1\}//'; exit 0; fi
model="${1:-../shared/models/stories260K.gguf}" threads="${2:-1}" tokens="${3:-128}" rounds="${4:-3}"
out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT
dotnet build bench/llamasharp -c Release -v q -nologo > "$out/build.log" || { cat "$out/build.log"; exit 1; }
bench=bench/llamasharp/bin/Release/net10.0/LlamaSharpBench.dll

for round in $(seq 1 "$rounds"); do
  ./explainer llm bench --model "$model" --threads "$threads" --context-length 512 --tokens "$tokens" --parallel 1,4,16 --repeat 5 --cancellations 0 --json > "$out/explainer.$round.json"
  dotnet "$bench" "$model" "$threads" "$tokens" 5 1,4,16 > "$out/llamasharp.$round.jsonl"
done
./explainer llm generate --model "$model" --threads "$threads" --prompt "Once upon a time" --max-tokens "$tokens" --temperature 0 > "$out/explainer.txt"

python3 - "$out" "$rounds" "$threads" "$tokens" <<'PY'
import json, sys, statistics, os
out, rounds, threads, tokens = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
ex = {p: [] for p in (1, 4, 16)}; ls = {p: [] for p in (1, 4, 16)}; text = None
for r in range(1, rounds + 1):
    for row in json.load(open(f"{out}/explainer.{r}.json"))["results"]:
        ex[row["parallel"]].append(row["tokensPerSecond"])
    for line in open(f"{out}/llamasharp.{r}.jsonl"):
        row = json.loads(line)
        if "greedyText" in row: text = row["greedyText"]
        else: ls[row["parallel"]].append(row["tokensPerSecond"])
print(f"load average {os.getloadavg()[0]:.1f}; {threads} thread(s), {tokens} tokens per sequence, median of {rounds} rounds (each best of 5)")
print("| sequences | Explainer binding tok/s | LLamaSharp 0.30.0 tok/s | ratio |")
print("|---|---|---|---|")
for p in (1, 4, 16):
    e, l = statistics.median(ex[p]), statistics.median(ls[p])
    print(f"| {p} | {e:,.0f} | {l:,.0f} | {e / l:.2f} |")
mine = open(f"{out}/explainer.txt").read().strip()
theirs = (text or "").strip()
same = mine.startswith(theirs[:len(mine)]) or theirs.startswith(mine)
print(f"greedy text equal: {'yes' if mine.strip() == theirs.strip() else ('prefix' if same else 'no')}")
if mine.strip() != theirs.strip():
    print("  Explainer : " + mine[:160].replace("\n", " "))
    print("  LLamaSharp: " + theirs[:160].replace("\n", " "))
PY
