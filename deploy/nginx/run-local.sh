#!/usr/bin/env bash
# Runs deploy/nginx/tickstream.conf on this machine, in front of tickstream instances that are
# already running here, with a self-signed certificate: the production configuration with only
# its "site" lines changed (loopback addresses, free ports, files in a temporary folder).
#
#   deploy/nginx/run-local.sh 127.0.0.1:3002 127.0.0.1:3003
#
# Prints where it listens, then runs until interrupted, and removes its folder on the way out.
# HTTPS_PORT, HTTP_PORT and INTERNAL_PORT choose the ports (free ones by default);
# STREAM_READ_TIMEOUT replaces the stream's proxy_read_timeout (the tests shorten it).
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 HOST:PORT... (the tickstream instances)" >&2
  exit 2
fi
for instance in "$@"; do
  if ! [[ $instance =~ ^[A-Za-z0-9.:_-]+:[0-9]+$ ]]; then
    echo "$0: not HOST:PORT: $instance" >&2
    exit 2
  fi
done
for tool in nginx openssl node; do
  command -v "$tool" >/dev/null || { echo "$0: $tool is not installed" >&2; exit 1; }
done

conf="$(cd "$(dirname "$0")" && pwd)/tickstream.conf"
dir=$(mktemp -d "${TMPDIR:-/tmp}/tickstream-nginx.XXXXXX")
# nginx's workers run as nobody when it is started as root: they need to enter the folder.
chmod 755 "$dir"
nginx_pid=
stop() {
  if [ -n "$nginx_pid" ]; then
    kill -TERM "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}
trap stop EXIT
trap 'exit 0' INT TERM

# Three ports nobody listens on right now.
read -r free_https free_http free_internal < <(node -e '
  const net = require("node:net");
  const servers = [0, 1, 2].map(() => net.createServer());
  Promise.all(servers.map((s) => new Promise((ok) => s.listen(0, "127.0.0.1", ok)))).then(() => {
    console.log(servers.map((s) => s.address().port).join(" "));
    servers.forEach((s) => s.close());
  });')
https_port=${HTTPS_PORT:-$free_https}
http_port=${HTTP_PORT:-$free_http}
internal_port=${INTERNAL_PORT:-$free_internal}

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -addext 'subjectAltName=DNS:localhost,IP:127.0.0.1' \
  -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null

servers=
for instance in "$@"; do
  servers+="    server $instance \\1;\\n"
done
read_timeout=${STREAM_READ_TIMEOUT:-}

# Each "site" line of the production file, made local; a site line left over is an error.
sed -E \
  -e "/^    server [^ ]+ .*; # site$/{x;/./{x;d};x;h;s/^    server [^ ]+ (.*); # site$/${servers}/;s/\\n$//}" \
  -e "s|^    listen 80; # site$|    listen 127.0.0.1:$http_port;|" \
  -e "s|^    listen 443 ssl http2; # site$|    listen 127.0.0.1:$https_port ssl http2;|" \
  -e "s|^    listen 10\\.0\\.1\\.10:8080; # site$|    listen 127.0.0.1:$internal_port;|" \
  -e "/^    listen \\[::\\]:[0-9]+.*; # site$/d" \
  -e "s|^    server_name .*; # site$|    server_name localhost;|" \
  -e "s|^    access_log .* tickstream; # site$|    access_log $dir/access.log tickstream;|" \
  -e "s|^    return 301 https://\\\$host\\\$request_uri; # site$|    return 301 https://\\\$host:$https_port\\\$request_uri;|" \
  -e "s|^    ssl_certificate .*; # site$|    ssl_certificate $dir/cert.pem;|" \
  -e "s|^    ssl_certificate_key .*; # site$|    ssl_certificate_key $dir/key.pem;|" \
  -e "s|^        proxy_read_timeout ([0-9a-z]+); # site$|        proxy_read_timeout ${read_timeout:-\\1};|" \
  "$conf" >"$dir/tickstream.conf"
if grep -n '# site$' "$dir/tickstream.conf" >&2; then
  echo "$0: these site lines of $conf are not made local" >&2
  exit 1
fi

cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
pid $dir/nginx.pid;
error_log stderr warn;
daemon off;
events {
    worker_connections 4096;
}
http {
    client_body_temp_path $dir/client_body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    include $dir/tickstream.conf;
}
CONF

nginx -p "$dir" -c "$dir/nginx.conf" -e stderr -t -q
nginx -p "$dir" -c "$dir/nginx.conf" -e stderr &
nginx_pid=$!
for _ in $(seq 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$https_port") 2>/dev/null; then
    echo "nginx ready: https://127.0.0.1:$https_port (HTTP/2 and HTTP/1.1)"
    echo "  plain http: http://127.0.0.1:$http_port (redirects)"
    echo "  internal: http://127.0.0.1:$internal_port (POST /api/ticks)"
    echo "  certificate: $dir/cert.pem (self-signed, for localhost and 127.0.0.1)"
    echo "  instances: $*"
    wait "$nginx_pid"
    exit $?
  fi
  kill -0 "$nginx_pid" 2>/dev/null || exit 1
  sleep 0.1
done
echo "$0: nginx did not listen on $https_port" >&2
exit 1
