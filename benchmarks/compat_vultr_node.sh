#!/usr/bin/env bash
# Run the unmodified Node.js Vultr v1 clients against a fresh vultr-state emulator:
#   * @vultr/vultr-node 0.1.x (Vultr's own v1 client; 1.x is no longer on the npm registry),
#   * vultr 0.0.x (DeviaVir/node-vultr; waits 1 s before every call, so this part takes ~30 s).
# Installs them with npm into a temporary directory (or DIR from --into DIR, kept for
# VULTR_NODE_COMPAT_DIR=DIR pytest tests/compat/test_vultr_node.py), starts the emulator on a free loopback
# port, runs tests/compat/node/*.js and prints their checks and timings. Needs node, npm and the project
# installed in the active Python environment.
# Usage: bash benchmarks/compat_vultr_node.sh [--into DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/compat_common.sh

VULTR_NODE_VERSION="${VULTR_NODE_VERSION:-0.1.2}"
NODE_VULTR_VERSION="${NODE_VULTR_VERSION:-0.0.9}"
if [[ "${1:-}" == "--into" ]]; then
    INSTALL_DIR="$2"
    KEEP_INSTALL=1
    mkdir -p "$INSTALL_DIR"
else
    INSTALL_DIR="$(mktemp -d)"
    KEEP_INSTALL=0
fi
trap 'stop_emulator; [[ $KEEP_INSTALL == 1 ]] || rm -rf "$INSTALL_DIR"' EXIT

started=$EPOCHREALTIME
[[ -f "$INSTALL_DIR/package.json" ]] || (cd "$INSTALL_DIR" && npm init -y >/dev/null)
npm install --prefix "$INSTALL_DIR" --no-audit --no-fund --silent \
    "@vultr/vultr-node@$VULTR_NODE_VERSION" "vultr@$NODE_VULTR_VERSION"
printf 'installed @vultr/vultr-node@%s and vultr@%s in %s s\n' "$VULTR_NODE_VERSION" "$NODE_VULTR_VERSION" \
    "$(elapsed_since "$started")"

start_emulator
echo "emulator at $EMULATOR_URL"
for script in vultr_node_v1.js node_vultr_v1.js; do
    emulator_reset
    started=$EPOCHREALTIME
    NODE_PATH="$INSTALL_DIR/node_modules" node "tests/compat/node/$script" "$EMULATOR_URL" "$EMULATOR_KEY"
    printf '%s passed in %s s\n' "$script" "$(elapsed_since "$started")"
done
