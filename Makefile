# Vigil - the two commands a newcomer needs are `make demo` and `make check`.
# This file only sequences; CMake builds and ctest/pytest test.

JOBS ?= $(shell nproc)
BUILD ?= build
CHECK_BUILD ?= build-check
FUZZ_BUILD ?= build-fuzz
DEMO_DATA ?= demo-data
FUZZ_SECONDS ?= 30
PYTHON ?= /usr/bin/python3

.PHONY: all build console deps demo check unit integration e2e bench fuzz format clean

all: build

deps:
	@scripts/deps.sh

build: console
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVIGIL_TESTS=OFF >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) -- --no-print-directory

# The web console (web/, Vue + Vite): its packages as the lock file says,
# then the build into web/dist, which `vigil serve` answers at /. Each step
# runs again only when what it is made from changed.
# (Directories too: one whose file was deleted is newer than the build.)
WEB_SOURCES := $(shell find web/src web/public web/index.html web/vite.config.ts \
	web/tsconfig*.json web/package.json 2>/dev/null)

console: web/dist/index.html

web/node_modules/.package-lock.json: web/package-lock.json
	@cd web && npm ci --no-audit --no-fund --loglevel=error

web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SOURCES)
	@cd web && npm run --silent build

demo: deps build
	@scripts/demo.sh $(BUILD)/vigil $(DEMO_DATA)

# The release build first (its optimiser finds warnings the debug build
# does not), then unit tests under ASan+UBSan, then the integration tests
# against the same sanitized binary.
check: deps build
	@cmake -S . -B $(CHECK_BUILD) -DCMAKE_BUILD_TYPE=Debug -DVIGIL_SANITIZE=ON >/dev/null
	@cmake --build $(CHECK_BUILD) -j $(JOBS) -- --no-print-directory
	@$(MAKE) --no-print-directory unit integration e2e

unit:
	@cd $(CHECK_BUILD) && ctest --output-on-failure -j $(JOBS)

integration:
	@VIGIL_BIN=$(CURDIR)/$(CHECK_BUILD)/vigil $(PYTHON) -m pytest -q -p no:cacheprovider tests/integration

# The console in Debian's Chromium against the sanitized server (tests/e2e).
e2e: console tests/e2e/node_modules/.package-lock.json
	@cd tests/e2e && VIGIL_BIN=$(CURDIR)/$(CHECK_BUILD)/vigil npm test --silent

tests/e2e/node_modules/.package-lock.json: tests/e2e/package-lock.json
	@cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error

bench: build
	@scripts/deps.sh bench
	@bench/run.sh $(BUILD)/vigil

fuzz: deps
	@CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DVIGIL_FUZZ=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS)
	@tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

format:
	@clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c')

clean:
	rm -rf $(BUILD) $(CHECK_BUILD) $(FUZZ_BUILD) web/dist
