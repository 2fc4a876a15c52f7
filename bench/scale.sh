#!/usr/bin/env bash
# Scale benchmark (issue 16): synthetic catalogues resampled from the real Amazon MI data (bench/scale-data.py), each
# run through the README's main job as a user would, one stage at a time, measuring wall time and peak RSS
# (/usr/bin/time) and the store's size, then the warm serving figures (`explainer bench`, after tiering).
#
#   bench/scale.sh [SIZES=10000,100000]          # reviews per catalogue; 1000000 is the issue's largest (~20 min)
#   KEEP=1 bench/scale.sh 1000000                # keep the work directory (/tmp/explainer-scale.*) to look at
#
# Prints one Markdown table of stages per size and the serving lines. Reported figures, not a test.
set -euo pipefail
if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0; fi
here=$(cd "$(dirname "$0")/.." && pwd)
sizes=${1:-10000,100000}
case "$sizes" in *[!0-9,]*|"") echo "scale: SIZES is a comma-separated list of review counts, e.g. 10000,100000 (see --help)" >&2; exit 2;; esac
data="$here/../shared/data/amazon-musical-instruments"
[ -x "$here/.app/explainer" ] || { echo "scale: run ./setup first" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "scale: /usr/bin/time not found (apt-get install -y time)" >&2; exit 1; }
work=$(mktemp -d /tmp/explainer-scale.XXXXXX)
cleanup() { if [ -z "${KEEP:-}" ]; then rm -rf "$work"; else echo "kept $work"; fi; }
trap cleanup EXIT
unset EXPLAINER_DB

echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for n in ${sizes//,/ }; do
  dir="$work/$n"
  python3 "$here/bench/scale-data.py" "$data/reviews.csv" "$data/items.csv" "$dir" "$n"
  input=$(( $(stat -c %s "$dir/reviews.csv") + $(stat -c %s "$dir/items.csv") ))
  db="$dir/scale.db"
  echo
  echo "| $n reviews | wall s | peak RSS MB | store MB (with the serving snapshot) |"
  echo "|---|---|---|---|"
  stage() {
    local name=$1; shift
    /usr/bin/time -f "%e %M" -o "$dir/time" "$here/explainer" --db "$db" "$@" >"$dir/$name.log" 2>&1 \
      || { echo "scale: $name failed, see below" >&2; tail -20 "$dir/$name.log" >&2; exit 1; }
    read -r wall rss <"$dir/time"
    local bytes; bytes=$(stat -c %s "$db"); [ -f "$db.serving" ] && bytes=$(( bytes + $(stat -c %s "$db.serving") ))
    printf '| %s | %s | %d | %d |\n' "$name" "$wall" $(( rss / 1024 )) $(( bytes / 1048576 ))
  }
  stage ingest ingest amazon --reviews "$dir/reviews.csv" --items "$dir/items.csv"
  stage enrich enrich
  stage index index
  stage "bench (first + warm recommend)" bench --users 300 --sizes "" --ranker-sizes ""
  echo "input CSV $(( input / 1048576 )) MB; load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
  grep -E "First recommend|Collaborative model|warm after tiering" -A1 "$dir/bench (first + warm recommend).log" | grep -v '^--' | tr -s ' \n' ' ' | sed 's/recommend -k/\nrecommend -k/g; s/Collaborative/\nCollaborative/'
  echo
done
