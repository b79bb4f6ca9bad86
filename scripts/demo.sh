#!/bin/sh
# make demo: create a data directory with demo data (first run only), print
# the URL and the logins, and run the server in the foreground.
#   usage: scripts/demo.sh VIGIL_BINARY DATA_DIR
set -eu

bin=$1
data=$2
logins="$data/demo-logins.txt"

if [ ! -f "$data/master.key" ]; then
	admin_password=$(od -An -N15 -tx1 /dev/urandom | tr -d ' \n')
	VIGIL_ADMIN_PASSWORD=$admin_password "$bin" init --data "$data" >/dev/null
	umask 077
	{
		printf '%-18s %-16s %s\n' "username" "role" "password"
		printf '%-18s %-16s %s\n' "admin" "admin" "$admin_password"
		"$bin" demo --data "$data"
	} >"$logins"
fi

listen=${VIGIL_LISTEN:-127.0.0.1:8080}
echo
echo "Vigil is starting on http://$listen/  (console at /, API under /api/v1, health at /healthz)"
echo "Logins (also in $logins):"
cat "$logins"
echo
echo "Press Ctrl-C to stop. Data stays in $data; delete it to start over."
exec "$bin" serve --data "$data" --listen "$listen"
