#!/usr/bin/env bash
# Builds llama-server from the llama.cpp source that matches Explainer's libllama (the git bundle inside npm
# node-llama-cpp@3.22.1, release v0.5.0) and caches it outside the clone, keyed by the source commit and this CPU.
# Prints the path of the binary. Used by `./setup --llama-server` and `.ci/run`; the build takes 20-40 min on 2 cores.
# With --cached it only prints the path of a binary already built (exit 3 when there is none); the tests use that.
set -euo pipefail
cached_only=0
case "${1:-}" in
  --cached) cached_only=1 ;;
  -h|--help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) echo "llama-server.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
esac
cache=${EXPLAINER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/explainer}
say() { printf 'llama-server: %s\n' "$*" >&2; }
die() { printf 'llama-server: error: %s\n' "$*" >&2; exit 1; }
[ "$cached_only" = 1 ] || command -v cmake >/dev/null || die "cmake is not installed (apt-get install -y cmake g++)."
[ "$cached_only" = 1 ] || command -v g++ >/dev/null || die "g++ is not installed (apt-get install -y g++)."
command -v npm >/dev/null || die "npm is not installed."

src=$cache/src/node-llama-cpp-3.22.1
if [ ! -f "$src/llama/gitRelease.bundle" ]; then
  [ "$cached_only" = 0 ] || exit 3
  say "fetching the llama.cpp source bundle (npm node-llama-cpp@3.22.1)"
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack node-llama-cpp@3.22.1 --silent >/dev/null) || die "npm pack node-llama-cpp@3.22.1 failed (is the npm registry reachable?)"
  mkdir -p "$src"
  tar -xzf "$tmp"/node-llama-cpp-3.22.1.tgz -C "$src" --strip-components=1 package/llama/gitRelease.bundle package/llama/binariesGithubRelease.json
fi
commit=$(git bundle list-heads "$src/llama/gitRelease.bundle" | awk '/HEAD/ {print $1; exit}')
[ -n "$commit" ] || die "cannot read the commit of $src/llama/gitRelease.bundle"
# Native code: the key includes the CPU's flags, so a cache restored on another CPU is rebuilt, never crashes.
cpu=$( (grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || uname -m) | sha256sum | cut -c1-12)
out=$cache/llama-server/${commit:0:12}-$cpu
if [ -x "$out/llama-server" ]; then echo "$out/llama-server"; exit 0; fi
[ "$cached_only" = 0 ] || exit 3

work=$cache/build/${commit:0:12}
if [ ! -d "$work/.git" ]; then
  rm -rf "$work"; mkdir -p "$(dirname "$work")"
  git clone -q "$src/llama/gitRelease.bundle" "$work" 2>/dev/null || die "git clone of the bundle failed"
  git -C "$work" -c advice.detachedHead=false checkout -q "$commit"
fi
say "building llama-server from llama.cpp ${commit:0:12} (release $(sed -n 's/.*"release": *"\(.*\)".*/\1/p' "$src/llama/binariesGithubRelease.json")); this takes a while on 2 cores"
jobs=$(nproc 2>/dev/null || echo 2)
log=$work/build.log
cmake -S "$work" -B "$work/build" -G "$(command -v ninja >/dev/null && echo Ninja || echo 'Unix Makefiles')" \
  -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF -DGGML_NATIVE=ON \
  -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
  -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_APP=OFF >"$log" 2>&1 || { tail -30 "$log" >&2; die "cmake configure failed (log: $log)"; }
cmake --build "$work/build" --target llama-server -j "$jobs" >>"$log" 2>&1 || { tail -30 "$log" >&2; die "the build failed (log: $log)"; }
mkdir -p "$out"
cp "$work/build/bin/llama-server" "$out/llama-server.tmp" && mv "$out/llama-server.tmp" "$out/llama-server"
"$out/llama-server" --version >/dev/null 2>&1 || die "the built $out/llama-server does not run"
rm -rf "$work/build"
echo "$out/llama-server"
