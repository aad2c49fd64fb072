#!/bin/sh
# Runs the designer drag benchmark with the project's Node (see README.md next to this file).
set -eu
cd "$(dirname "$0")/../.."
export PATH="$PWD/.cache/bin:$PWD/.cache/node/bin:$PATH"
exec node bench/designer/run.mjs "$@"
