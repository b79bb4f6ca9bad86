#!/bin/sh
# The monthly report of one tenant-month with REPORT_ALERTS alerts and
# REPORT_TICKETS tickets: `vigil report monthly` to PDF and to HTML, against
# two peers on the same store and month: the sqlite3 shell running the
# report's alert and ticket aggregates as hand-written SQL, and Chromium
# printing vigil's own HTML report to PDF (what an HTML-to-PDF pipeline
# would add on top of the queries).
#
#   usage: bench/report/run.sh VIGIL_BINARY
#   REPORT_ALERTS=1000000  REPORT_TICKETS=10000  REPORT_MONTH=2026-11
#   REPORT_RUNS=2          timed runs per tool; the fastest is reported
set -eu

bin=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
alerts=${REPORT_ALERTS:-1000000}
tickets=${REPORT_TICKETS:-10000}
month=${REPORT_MONTH:-2026-11}
runs=${REPORT_RUNS:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
for tool in sqlite3 python3 chromium /usr/bin/time bc; do
	command -v "$tool" >/dev/null || { echo "bench/report: $tool is missing" >&2; exit 1; }
done

data=$work/data
VIGIL_ADMIN_PASSWORD=bench-admin-password "$bin" init --data "$data" >/dev/null
"$bin" tenant add --data "$data" --name "Bench Tenant" --edition enterprise \
	--start 2026-01-01 --end 2027-12-31 >/dev/null
seeded=$(date +%s.%N)
python3 "$here/seed.py" "$month" "$alerts" "$tickets" | sqlite3 "$data/vigil.db" >/dev/null
printf 'seeded %s alerts and %s tickets in %.1f s\n' "$alerts" "$tickets" \
	"$(echo "$(date +%s.%N) - $seeded" | bc)"
python3 "$here/peer.py" "$month" >"$work/peer.sql"

best() { # name command...: the fastest wall time of $runs runs, and peak RSS KiB
	name=$1; shift
	bestt=""
	i=0
	while [ "$i" -lt "$runs" ]; do
		/usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/$name.out" 2>"$work/$name.err" ||
			{ echo "bench/report: $name failed:" >&2; cat "$work/$name.err" >&2; exit 1; }
		t=$(cut -d' ' -f1 "$work/time")
		if [ -z "$bestt" ] || [ "$(echo "$t < $bestt" | bc)" = 1 ]; then
			bestt=$t
			mem=$(cut -d' ' -f2 "$work/time")
		fi
		i=$((i + 1))
	done
	echo "$bestt $mem"
}

pdf=$(best vigil-pdf "$bin" report monthly --data "$data" --tenant 1 --month "$month" \
	-o "$work/report.pdf")
html=$(best vigil-html "$bin" report monthly --data "$data" --tenant 1 --month "$month" \
	--format html -o "$work/report.html")
sql=$(best sqlite3 sqlite3 "$data/vigil.db" ".read $work/peer.sql")
print=$(best chromium chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
	--print-to-pdf="$work/chromium.pdf" "file://$work/report.html")
pages=$(pdfinfo "$work/report.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
printf 'month %s: %s alerts, %s tickets; vigil PDF %s pages, %s bytes; HTML %s bytes\n' \
	"$month" "$alerts" "$tickets" "${pages:-?}" "$(wc -c <"$work/report.pdf")" \
	"$(wc -c <"$work/report.html")"
printf '  %-34s %8s %9s\n' "" "wall s" "peak MiB"
for r in "vigil report (PDF):$pdf" "vigil report (HTML):$html" \
	"sqlite3, the aggregates only:$sql" "chromium, HTML to PDF only:$print"; do
	name=${r%%:*}
	set -- ${r#*:}
	printf '  %-34s %8s %9.1f\n' "$name" "$1" "$(echo "$2 / 1024" | bc -l)"
done
p=$(echo "$pdf" | cut -d' ' -f1)
q=$(echo "$sql" | cut -d' ' -f1)
c=$(echo "$print" | cut -d' ' -f1)
printf '  (sqlite3 + chromium) / vigil PDF: %.2f\n' "$(echo "($q + $c) / $p" | bc -l)"
