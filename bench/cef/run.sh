#!/bin/sh
# CEF parsing and matching: `vigil detect --source-type cef` with one rule
# against mawk splitting the same lines into their extension fields and
# testing the same selection, on one core, from the page cache.
#
#   usage: bench/cef/run.sh VIGIL_BINARY
#   CEF_MB=200   size of the input, MiB
#   CEF_RUNS=2   timed runs per tool; the fastest is reported
#   CEF_CPU=0    the core to pin to
set -eu

bin=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
mb=${CEF_MB:-200}
runs=${CEF_RUNS:-2}
cpu=${CEF_CPU:-0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
for tool in mawk taskset /usr/bin/time python3; do
	command -v "$tool" >/dev/null || { echo "bench/cef: $tool is missing" >&2; exit 1; }
done
input=$work/fw.cef
python3 "$here/gen.py" 1 "$mb" >"$input"
lines=$(wc -l <"$input")
bytes=$(wc -c <"$input")
cat "$input" >/dev/null

# mawk: the extension is after the seventh '|'; a key starts at a space
# followed by word characters and '='. The selection: act is block and
# request contains "' OR '" (case-insensitive, as Sigma matches).
awk_prog='{
	s = $0; n = 0
	for (k = 0; k < 7; k++) { i = index(s, "|"); if (!i) next; s = substr(s, i + 1) }
	act = ""; req = ""
	while (match(s, /[A-Za-z0-9_]+=/)) {
		key = substr(s, RSTART, RLENGTH - 1); s = substr(s, RSTART + RLENGTH)
		if (match(s, / [A-Za-z0-9_]+=/)) { val = substr(s, 1, RSTART - 1); s = substr(s, RSTART) }
		else { val = s; s = "" }
		if (key == "act") act = tolower(val); else if (key == "request") req = tolower(val)
	}
	if (act == "block" && index(req, "'"'"' or '"'"'")) m++
}
END { print m + 0 }'

best() { # name command...: the fastest wall time of $runs runs, and its output
	name=$1; shift
	bestt=""
	i=0
	while [ "$i" -lt "$runs" ]; do
		/usr/bin/time -f '%e %M' -o "$work/time" taskset -c "$cpu" "$@" >"$work/out" 2>"$work/err"
		t=$(cut -d' ' -f1 "$work/time")
		if [ -z "$bestt" ] || [ "$(echo "$t < $bestt" | bc)" = 1 ]; then
			bestt=$t
			mem=$(cut -d' ' -f2 "$work/time")
			cp "$work/out" "$work/$name.out"
			cp "$work/err" "$work/$name.err"
		fi
		i=$((i + 1))
	done
	echo "$bestt $mem"
}

v=$(best vigil "$bin" detect --rules "$here/rule.yml" --source-type cef "$input")
a=$(best mawk mawk "$awk_prog" "$input")
vm=$(wc -l <"$work/vigil.out")
am=$(cat "$work/mawk.out")
printf 'input: %s lines, %s bytes (%s MiB of generated CEF)\n' "$lines" "$bytes" "$mb"
printf '  %-8s %8s %12s %8s %9s %9s\n' "" "wall s" "lines/s" "MB/s" "matches" "peak MiB"
for r in "vigil $v $vm" "mawk $a $am"; do
	set -- $r
	printf '  %-8s %8s %12.0f %8.1f %9s %9.1f\n' "$1" "$2" "$(echo "$lines / $2" | bc -l)" \
		"$(echo "$bytes / $2 / 1000000" | bc -l)" "$4" "$(echo "$3 / 1024" | bc -l)"
done
printf '  vigil/mawk throughput: %.2f\n' "$(echo "$(echo "$a" | cut -d' ' -f1) / $(echo "$v" | cut -d' ' -f1)" | bc -l)"
