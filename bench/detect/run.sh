#!/bin/sh
# Sigma detection throughput: `vigil detect` on one core against jq
# evaluating the same single rule's selection, and grep -F counting one of
# its literals (the floor: no parsing at all), on the same generated input.
#
# For each input (CloudTrail JSON, nginx combined access log, Windows event
# JSON) it times, pinned to one core with taskset and from the page cache:
#   vigil 1 rule      one realistic rule for the input
#   vigil relevant    the SigmaHQ directory for the input (rules/cloud/aws,
#                     rules/web, rules/windows)
#   vigil all         every SigmaHQ rule (rules not for the type are skipped
#                     at load, as a deployment that loads all of them would)
#   jq 1 rule         jq -c 'select(...)' with the rule's selection, written
#                     out in jq with Sigma's case-insensitive semantics; for
#                     the access log, which jq cannot parse, mawk splitting
#                     the line into the request's query string instead
#   grep -F           grep -F -c with one literal of the rule
# and prints wall time, CPU time (user + sys: close to wall time unless
# something else ran on the core), events/s, MB/s (10^6 bytes), peak RSS
# and throughput ratios.
# vigil's start-up (loading and compiling the rules, measured alone on an
# empty input) is part of its wall time; "engine" figures are vigil's own
# count of the time spent reading and matching, which excludes it.
# Afterwards one run with the relevant rules writes alerts (no --quiet), to
# count them by rule: a check that the data triggers rules at all.
#
#   usage: bench/detect/run.sh VIGIL_BINARY
#   DETECT_MB=1100     size of each input, MiB (a quick run: DETECT_MB=50)
#   DETECT_SEED=1      generator seed
#   DETECT_DATA=DIR    where generated inputs live (default bench/detect/data)
#   DETECT_RUNS=3      timed runs per cell; the fastest is reported
#   DETECT_CPU=0       the core to pin to
#   DETECT_INPUTS="cloudtrail nginx windows"
#   SIGMA_RULES=/work/shared/sigma/rules
set -eu

bin=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
mb=${DETECT_MB:-1100}
seed=${DETECT_SEED:-1}
data=${DETECT_DATA:-$here/data}
runs=${DETECT_RUNS:-3}
cpu=${DETECT_CPU:-0}
inputs=${DETECT_INPUTS:-"cloudtrail nginx windows"}
sigma=${SIGMA_RULES:-/work/shared/sigma/rules}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

for tool in jq mawk taskset /usr/bin/time python3; do
	command -v "$tool" >/dev/null || { echo "bench/detect: $tool is missing" >&2; exit 1; }
done
mkdir -p "$data"

# --- the single rule of each input, and its peers --------------------------

# CloudTrail: "AWS CloudTrail Important Change" (StopLogging, UpdateTrail,
# DeleteTrail on cloudtrail.amazonaws.com).
ct_rule=$sigma/cloud/aws/cloudtrail/aws_cloudtrail_disable_logging.yml
ct_jq='select((.eventSource // "" | ascii_downcase) == "cloudtrail.amazonaws.com"
	and ((.eventName // "" | ascii_downcase) as $n
		| $n == "stoplogging" or $n == "updatetrail" or $n == "deletetrail"))'
ct_literal=StopLogging

# Access log: "Path Traversal Exploitation Attempts" (cs-uri-query contains
# one of six strings). mawk takes the request from between the first two
# double quotes, its target, the query after "?", and looks for each.
web_rule=$sigma/web/webserver_generic/web_path_traversal_exploitation_attempt.yml
web_awk='BEGIN { FS = "\"" }
{
	split($2, r, " "); t = r[2]; i = index(t, "?")
	if (i == 0) next
	qs = tolower(substr(t, i + 1))
	if (index(qs, "../../../../../lib/password") || index(qs, "../../../../windows/") ||
	    index(qs, "../../../etc/") || index(qs, "..%252f..%252f..%252fetc%252f") ||
	    index(qs, "..%c0%af..%c0%af..%c0%afetc%c0%af") || index(qs, "%252e%252e%252fetc%252f"))
		n++
}
END { print n + 0 }'
web_literal=../../../etc/

# Windows: "Suspicious Download Via Certutil.EXE" (Sysmon process creation,
# certutil by image or original file name, with a download flag and http).
win_rule=$sigma/windows/process_creation/proc_creation_win_certutil_download.yml
win_jq='select(.Event.System.Channel == "Microsoft-Windows-Sysmon/Operational"
	and .Event.System.EventID == 1
	and (.Event.EventData as $d
		| ($d.CommandLine // "" | ascii_downcase) as $c
		| (($d.Image // "" | ascii_downcase | endswith("\\certutil.exe"))
			or ($d.OriginalFileName // "" | ascii_downcase) == "certutil.exe")
		and ($c | contains("urlcache ") or contains("verifyctl ") or contains("url "))
		and ($c | contains("http"))))'
win_literal=urlcache

# --- helpers -----------------------------------------------------------------

# gen KIND FILE: the input, generated once (a partial file never survives).
gen() {
	if [ ! -s "$2" ]; then
		echo "generating $2 ($mb MiB) ..." >&2
		python3 "$here/gen.py" "$1" --mb "$mb" --seed "$seed" --out "$2.part"
		mv "$2.part" "$2"
	fi
}

# timed NAME CMD...: runs CMD pinned to one core $runs times, keeps the
# fastest; leaves NAME.wall and NAME.cpu (s, of the fastest run), NAME.rss
# (KiB, the highest of all runs), NAME.out, NAME.err.
timed() {
	name=$1
	shift
	best=""
	rss=0
	t_i=0
	while [ $t_i -lt "$runs" ]; do
		# grep -c exits 1 when it counts nothing; failures show as a missing summary
		/usr/bin/time -f '%e %M %U %S' -o "$work/time" taskset -c "$cpu" "$@" \
			>"$work/$name.out.new" 2>"$work/$name.err.new" || true
		read -r wall kib usr sys <<-EOF
		$(tail -n 1 "$work/time")
		EOF
		if [ -z "$best" ] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$wall
			cpus=$(awk -v u="$usr" -v s="$sys" 'BEGIN { print u + s }')
			mv "$work/$name.out.new" "$work/$name.out"
			mv "$work/$name.err.new" "$work/$name.err"
		fi
		[ "$kib" -gt "$rss" ] && rss=$kib
		t_i=$((t_i + 1))
	done
	echo "$best" >"$work/$name.wall"
	echo "$cpus" >"$work/$name.cpu"
	echo "$rss" >"$work/$name.rss"
}

# summary field of a vigil run: its stderr "vigil: N events, R rejected, A
# alerts; K rules (S not for T); X MB in T s: ..."
vsum() { # name field(events|rejected|alerts|rules|skipped|secs|rate)
	awk -v f="$2" '/^vigil: [0-9]+ events/ {
		gsub(/[;,:()]/, " ")
		if (f == "events") print $2
		if (f == "rejected") print $4
		if (f == "alerts") print $6
		if (f == "rules") print $8
		if (f == "skipped") print $10
		if (f == "secs") print $17
		if (f == "rate") print $19
	}' "$work/$1.err"
}

row() { # label name events bytes matches engine_events_per_s
	awk -v l="$1" -v w="$(cat "$work/$2.wall")" -v c="$(cat "$work/$2.cpu")" -v m="$(cat "$work/$2.rss")" \
		-v n="$3" -v b="$4" -v a="$5" -v e="$6" 'BEGIN {
		printf "  %-26s %7.2f %7.2f %11.0f %8.1f %9s %8.1f %11s\n", l, w, c, n / w, b / 1e6 / w, a, m / 1024, e
	}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "machine: $(nproc) cores, $(awk '/model name/ {sub(/.*: /,""); print; exit}' /proc/cpuinfo); pinned to cpu $cpu"
echo "vigil: $bin"
echo "jq: $(jq --version), grep: $(grep --version | head -n 1), mawk: $(mawk -W version 2>&1 | head -n 1)"
echo "rules: $sigma ($(find "$sigma" -name '*.yml' | wc -l) files); runs per cell: $runs; load average: $(cut -d' ' -f1-3 /proc/loadavg)"

for input in $inputs; do
	case $input in
	cloudtrail) type=cloudtrail ext=ndjson rule=$ct_rule rel=$sigma/cloud/aws lit=$ct_literal ;;
	nginx) type=nginx ext=log rule=$web_rule rel=$sigma/web lit=$web_literal ;;
	windows) type=windows ext=ndjson rule=$win_rule rel=$sigma/windows lit=$win_literal ;;
	*) echo "bench/detect: unknown input $input" >&2; exit 2 ;;
	esac
	file=$data/$input-${mb}MiB-seed$seed.$ext
	gen "$input" "$file"
	cat "$file" >/dev/null # into the page cache: every tool reads from memory
	bytes=$(stat -c %s "$file")
	events=$(wc -l <"$file")

	for set in one rel all; do
		case $set in
		one) rules=$rule ;;
		rel) rules=$rel ;;
		all) rules=$sigma ;;
		esac
		timed "start-$set" "$bin" detect --quiet --rules "$rules" --source-type "$type" /dev/null
		timed "vigil-$set" "$bin" detect --quiet --rules "$rules" --source-type "$type" "$file"
	done
	case $input in
	nginx) timed peer mawk "$web_awk" "$file"
		peer_n=$(cat "$work/peer.out") peer_name="mawk 1 rule" ;;
	cloudtrail) timed peer jq -c "$ct_jq" "$file"
		peer_n=$(wc -l <"$work/peer.out") peer_name="jq 1 rule" ;;
	windows) timed peer jq -c "$win_jq" "$file"
		peer_n=$(wc -l <"$work/peer.out") peer_name="jq 1 rule" ;;
	esac
	timed grep grep -F -c -e "$lit" "$file"

	echo
	echo "== $input (load average $(cut -d' ' -f1-3 /proc/loadavg)): $(awk -v b="$bytes" 'BEGIN { printf "%.2f GB", b / 1e9 }'), $events events" \
		"($(awk -v b="$bytes" -v n="$events" 'BEGIN { printf "%.0f", b / n }') B/event), type $type"
	echo "   1 rule: $(basename "$rule"); grep literal: $lit"
	printf '  %-26s %7s %7s %11s %8s %9s %8s %11s\n' "" "wall s" "cpu s" "events/s" "MB/s" "matches" "peak MiB" "engine ev/s"
	for set in one rel all; do
		case $set in
		one) label="vigil 1 rule" ;;
		rel) label="vigil $(basename "$rel")/ ($(vsum vigil-rel rules) rules)" ;;
		all) label="vigil all ($(vsum vigil-all rules)/$(($(vsum vigil-all rules) + $(vsum vigil-all skipped))) apply)" ;;
		esac
		n=$(vsum "vigil-$set" events)
		[ "$n" = "$events" ] || echo "  (vigil counted $n events, rejected $(vsum "vigil-$set" rejected))"
		row "$label" "vigil-$set" "$events" "$bytes" "$(vsum "vigil-$set" alerts)" "$(vsum "vigil-$set" rate)"
	done
	row "$peer_name" peer "$events" "$bytes" "$peer_n" -
	row "grep -F -c" grep "$events" "$bytes" "$(cat "$work/grep.out")" -
	echo "  vigil start-up alone (load and compile the rules, empty input): 1 rule $(cat "$work/start-one.wall") s," \
		"$(basename "$rel")/ $(cat "$work/start-rel.wall") s, all $(cat "$work/start-all.wall") s" \
		"(peak $(($(cat "$work/start-all.rss") / 1024)) MiB)"
	w1=$(cat "$work/vigil-one.wall")
	wr=$(cat "$work/vigil-rel.wall")
	wa=$(cat "$work/vigil-all.wall")
	e1=$(vsum vigil-one rate)
	er=$(vsum vigil-rel rate)
	ea=$(vsum vigil-all rate)
	pw=$(cat "$work/peer.wall")
	gw=$(cat "$work/grep.wall")
	rn=$(basename "$rel")/
	echo "  ratios of throughput, from wall time (above 1: the first is faster):"
	printf '    %-30s %6s    %-30s %6s\n' \
		"vigil 1 rule / $peer_name" "$(ratio "$pw" "$w1")" "vigil 1 rule / grep -F" "$(ratio "$gw" "$w1")" \
		"vigil $rn / $peer_name" "$(ratio "$pw" "$wr")" "vigil $rn / grep -F" "$(ratio "$gw" "$wr")" \
		"vigil all / $peer_name" "$(ratio "$pw" "$wa")" "vigil all / grep -F" "$(ratio "$gw" "$wa")" \
		"vigil $rn / vigil 1 rule" "$(ratio "$w1" "$wr")" "engine only (no start-up)" "$(ratio "$er" "$e1")" \
		"vigil all / vigil 1 rule" "$(ratio "$w1" "$wa")" "engine only (no start-up)" "$(ratio "$ea" "$e1")"

	# Alerts written out once, with the relevant rules, counted by rule.
	/usr/bin/time -f '%e %M' -o "$work/alerts.time" taskset -c "$cpu" \
		"$bin" detect --rules "$rel" --source-type "$type" "$file" 2>"$work/alerts.err" |
		awk '{
			if (match($0, /"title":"([^"\\]|\\.)*"/)) n[substr($0, RSTART + 9, RLENGTH - 10)]++
			t++
		} END { for (k in n) printf "%d\t%s\n", n[k], k; if (!t) print "0\t(none)" }' |
		sort -rn >"$work/alerts.byrule"
	echo "  alerts written with $(basename "$rel")/ (no --quiet): $(vsum alerts alerts)" \
		"from $(wc -l <"$work/alerts.byrule") rules, in $(tail -n 1 "$work/alerts.time" | cut -d' ' -f1) s" \
		"wall (awk counting them on the other core); most frequent:"
	head -n 12 "$work/alerts.byrule" | awk -F '\t' '{ printf "    %9d  %s\n", $1, $2 }'
done
