#!/usr/bin/env bash
# Runs the benchmark (npm run bench builds it first). 10,000 streams need as many file
# descriptors in the server and, shared out, in the load workers: raise the soft limit as far as
# the hard limit allows; the runner's children inherit it.
set -euo pipefail
cd "$(dirname "$0")/.."
want=65536
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ]; then
  want=$hard
fi
ulimit -n "$want"
exec node dist-bench/bench/bench.js "$@"
