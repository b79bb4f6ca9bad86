#!/bin/sh
# Installs the Debian packages Vigil's build, demo and tests need.
# Idempotent: when every package is present it changes nothing and prints nothing.
#   scripts/deps.sh          what build, demo and tests need
#   scripts/deps.sh bench    also the peer tools the benchmarks measure against
set -eu

packages="
build-essential cmake pkg-config git ca-certificates
libsqlite3-dev sqlite3
libmicrohttpd-dev
libjansson-dev
libfyaml-dev
libsodium-dev
liboath-dev
libssl-dev openssl
libcurl4-openssl-dev
libvectorscan-dev libpcre2-dev libzstd-dev zlib1g-dev
libcmocka-dev
libcairo2-dev libpango1.0-dev poppler-utils
clang libclang-rt-14-dev
python3 python3-pytest python3-aiosmtpd dovecot-imapd
tzdata
nodejs chromium fonts-noto-cjk
"
if [ "${1:-}" = "bench" ]; then
	packages="$packages wrk nginx-light curl jq mawk time python3 bc"
fi

missing=""
for p in $packages; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
# npm comes with some builds of nodejs and is a package of its own in others.
command -v npm >/dev/null 2>&1 || missing="$missing npm"
[ -z "$missing" ] && exit 0

echo "deps: installing$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
	sudo=""
else
	sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
