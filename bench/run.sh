#!/usr/bin/env bash
# Runs the benchmark (npm run bench builds it first). The nchan baseline needs Debian's nginx and
# its nchan module: installed here when missing (as root, without questions). 10,000 streams need
# as many file descriptors in the server and, shared out, in the load workers: raise the soft
# limit as far as the hard limit allows; the runner's children inherit it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/sbin/nginx ] || [ ! -f /usr/lib/nginx/modules/ngx_nchan_module.so ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y nginx libnginx-mod-nchan
  else
    echo 'bench: nginx with nchan is missing; as root: apt-get install nginx libnginx-mod-nchan' >&2
  fi
fi
want=65536
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ]; then
  want=$hard
fi
ulimit -n "$want"
exec node dist-bench/bench/bench.js "$@"
