#!/usr/bin/env bash
# Stops the all-in-one Skiff started by scripts/start.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
HOME_DIR="${SKIFF_HOME:-$(pwd)/karaf-assembly/target/assembly}"
"$HOME_DIR/bin/stop" && echo "skiff: stopping"
