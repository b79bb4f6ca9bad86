#!/bin/sh
# The API's hot paths under load, each against nginx serving the same bytes
# as a static file: the floor for "answer an HTTP request with this body".
#   /healthz          vigil: a store read per request
#   /api/v1/tenants   vigil: bearer-token authentication (hash lookup), a
#                     permission check and a 20-row page from the store
# wrk drives both over loopback with the same threads, connections and time.
#   usage: bench/api/run.sh VIGIL_BINARY      (SECONDS=10 by default)
set -eu

bin=$1
seconds=${SECONDS_PER_RUN:-10}
threads=2
conns=32
work=$(mktemp -d)
trap 'kill $vigil_pid $nginx_pid 2>/dev/null || true; rm -rf "$work"' EXIT INT TERM

free_port() {
	/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

VIGIL_ADMIN_PASSWORD=bench-admin-password-1 "$bin" init --data "$work/data" >/dev/null
i=1
while [ $i -le 20 ]; do
	"$bin" tenant add --data "$work/data" --name "Customer $i" --edition professional \
		--start 2026-01-01 --end 2026-12-31 >/dev/null
	i=$((i + 1))
done
token=$("$bin" token create --data "$work/data" --user admin --name bench --scopes read | tail -n 1)

vport=$(free_port)
"$bin" serve --data "$work/data" --listen "127.0.0.1:$vport" 2>"$work/vigil.log" &
vigil_pid=$!
until curl -fs "http://127.0.0.1:$vport/healthz" >/dev/null 2>&1; do sleep 0.1; done
sleep 1
idle_kb=$(awk '/VmRSS/ {print $2}' "/proc/$vigil_pid/status")

mkdir -p "$work/www/api/v1"
# nginx's workers run as nobody: they must be able to read the files.
chmod 755 "$work" "$work/www" "$work/www/api" "$work/www/api/v1"
curl -fs "http://127.0.0.1:$vport/healthz" >"$work/www/healthz"
curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$vport/api/v1/tenants?limit=20" \
	>"$work/www/api/v1/tenants"
chmod 644 "$work/www/healthz" "$work/www/api/v1/tenants"

nport=$(free_port)
cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
	access_log off;
	default_type application/json;
	server {
		listen 127.0.0.1:$nport;
		root $work/www;
		location / { try_files \$uri =404; }
	}
}
CONF
nginx -c "$work/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
until curl -fs "http://127.0.0.1:$nport/healthz" >/dev/null 2>&1; do sleep 0.1; done

rate() { # url [header]
	if [ $# -gt 1 ]; then
		wrk -t$threads -c$conns -d${seconds}s -H "$2" "$1"
	else
		wrk -t$threads -c$conns -d${seconds}s "$1"
	fi | awk '/Requests\/sec/ {print $2}'
}

echo "machine: $(nproc) cores, $(awk '/model name/ {sub(/.*: /,""); print; exit}' /proc/cpuinfo)"
echo "vigil idle RSS after start: ${idle_kb} KiB"
printf '%-22s %14s %14s %8s\n' "path" "vigil req/s" "nginx req/s" "ratio"
for path in /healthz /api/v1/tenants; do
	if [ "$path" = /healthz ]; then
		v=$(rate "http://127.0.0.1:$vport$path")
	else
		v=$(rate "http://127.0.0.1:$vport$path?limit=20" "Authorization: Bearer $token")
	fi
	n=$(rate "http://127.0.0.1:$nport$path")
	printf '%-22s %14s %14s %8s\n' "$path" "$v" "$n" \
		"$(awk -v a="$v" -v b="$n" 'BEGIN { printf "%.2f", a / b }')"
done
