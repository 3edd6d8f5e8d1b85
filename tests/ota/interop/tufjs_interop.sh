#!/usr/bin/env bash
# tuf-js refreshing a repository written by `edgeward ota repo`, served over HTTP on 127.0.0.1
# by python3 -m http.server on a free port: first with root v1 trusted, then again after root
# and timestamp rotations (tuf-js walks 2.root.json, 3.root.json itself).
# Usage: tufjs_interop.sh EDGEWARD WORK_DIR NPM_CACHE_DIR [EMULATOR...]
set -euo pipefail
work=$2 cache=$3
edgeward() { "${emulator[@]}" "$bin" "$@"; }  # under the emulator when cross-compiled
bin=$1
emulator=("${@:4}")
here=$(cd "$(dirname "$0")" && pwd)

for tool in node npm python3; do
  command -v $tool >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
done
# tuf-js from the committed lock file, installed once into the cache (never into the tree).
mkdir -p "$cache"
if ! cmp -s "$here/package-lock.json" "$cache/package-lock.json" || [ ! -d "$cache/node_modules/tuf-js" ]; then
  cp "$here/package.json" "$here/package-lock.json" "$cache/"
  (cd "$cache" && npm ci --ignore-scripts --no-audit --no-fund >/dev/null) || { echo "SKIP: npm ci failed (no registry?)"; exit 77; }
fi
export NODE_PATH=$cache/node_modules

rm -rf "$work" && mkdir -p "$work/client/metadata" "$work/client/targets"
repo=$work/repo
printf 'edgeward runtime build 42\n' > "$work/runtime.bin"
edgeward ota repo init "$repo" >/dev/null
edgeward ota repo add "$repo" "$work/runtime.bin" --name runtime/edgeward-x86_64 --kind runtime --arch x86_64 --version 42 >/dev/null
edgeward ota repo publish "$repo" >/dev/null
cp "$repo/metadata/1.root.json" "$work/client/metadata/root.json"   # the client's trust anchor

log=$work/http.log
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$repo" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
port=
for _ in $(seq 50); do
  port=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$log" | head -1)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "FAIL: http.server did not start"; cat "$log"; exit 1; }
url=http://127.0.0.1:$port

node "$here/tufjs_client.js" "$url" "$work/client" runtime/edgeward-x86_64 "$work/runtime.bin"

# Rotations: timestamp keys (root v2, metadata re-signed), then root keys (root v3), a new target.
printf 'edgeward runtime build 43\n' > "$work/runtime.bin"
edgeward ota repo rotate "$repo" --role timestamp >/dev/null
edgeward ota repo rotate "$repo" --role root >/dev/null
edgeward ota repo add "$repo" "$work/runtime.bin" --name runtime/edgeward-x86_64 --kind runtime --version 43 >/dev/null
edgeward ota repo publish "$repo" >/dev/null
edgeward ota repo refresh "$repo" >/dev/null
node "$here/tufjs_client.js" "$url" "$work/client" runtime/edgeward-x86_64 "$work/runtime.bin"
grep -q '"version": 3' "$work/client/metadata/root.json" || { echo "FAIL: tuf-js did not reach root v3"; exit 1; }

# A tampered target (same length, one byte changed) is refused by tuf-js.
target=$(grep -l 'build 43' "$repo"/targets/runtime/*.edgeward-x86_64)
sed -i 's/build 43/build 66/' "$target"
rm -f "$work/client/targets/download.bin"
if node "$here/tufjs_client.js" "$url" "$work/client" runtime/edgeward-x86_64 "$work/runtime.bin" 2>"$work/refused.log"; then
  echo "FAIL: tuf-js accepted a tampered target"
  exit 1
fi
grep -qi 'hash' "$work/refused.log" || { echo "FAIL: tuf-js failed for another reason:"; cat "$work/refused.log"; exit 1; }
echo "tuf-js refused the tampered target: $(head -1 "$work/refused.log")"
