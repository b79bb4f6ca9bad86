#!/bin/sh
# Runs every benchmark under bench/*/run.sh against the given vigil binary.
# Benchmarks print figures and ratios; they never pass or fail on a time.
#   usage: bench/run.sh BUILD/vigil
set -eu
bin=$(realpath "$1")
cd "$(dirname "$0")"
for b in */run.sh; do
	echo "== bench/$b"
	sh "$b" "$bin"
done
