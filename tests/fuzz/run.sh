#!/bin/sh
# Runs every libFuzzer target in BUILD_DIR (fuzz_*) for SECONDS each, on a
# scratch copy of its seed corpus (tests/fuzz/corpus/<target>/), so new
# inputs libFuzzer finds do not land in the source tree.
#   tests/fuzz/run.sh BUILD_DIR SECONDS
# Fails when a target crashes, leaks, times out or breaks one of its
# checks; the input that did it is kept in BUILD_DIR/fuzz-crashes/ and can be
# replayed with `BUILD_DIR/<target> FILE`. Copy it into the seed corpus once
# fixed, so `make check` keeps replaying it.
set -eu

if [ $# -ne 2 ]; then
	echo "usage: $0 BUILD_DIR SECONDS" >&2
	exit 2
fi
build=$1
seconds=$2
corpus_root=$(cd "$(dirname "$0")" && pwd)/corpus
crashes=$build/fuzz-crashes
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$crashes"

targets=$(find "$build" -maxdepth 1 -type f -name 'fuzz_*' -perm -u+x | sort)
if [ -z "$targets" ]; then
	echo "fuzz: no fuzz_* binaries in $build" >&2
	exit 1
fi

failed=""
for bin in $targets; do
	name=$(basename "$bin")
	mkdir -p "$work/$name"
	if [ -d "$corpus_root/$name" ]; then
		cp "$corpus_root/$name"/* "$work/$name"/ 2>/dev/null || true
	fi
	echo "fuzz: $name for ${seconds}s"
	if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$crashes/$name-" \
		"$work/$name" >"$work/$name.log" 2>&1; then
		grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$work/$name.log" |
			sed "s/^/fuzz: $name /"
		echo "fuzz: $name: $(ls "$work/$name" | wc -l) corpus inputs, no crash"
	else
		tail -n 40 "$work/$name.log" >&2
		echo "fuzz: $name FAILED; inputs in $crashes/" >&2
		failed="$failed $name"
	fi
done
if [ -n "$failed" ]; then
	echo "fuzz: failed:$failed" >&2
	exit 1
fi
