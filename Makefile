# Vigil - the two commands a newcomer needs are `make demo` and `make check`.
# This file only sequences; CMake builds and ctest/pytest test.

JOBS ?= $(shell nproc)
BUILD ?= build
CHECK_BUILD ?= build-check
FUZZ_BUILD ?= build-fuzz
DEMO_DATA ?= demo-data
FUZZ_SECONDS ?= 30
PYTHON ?= /usr/bin/python3

.PHONY: all build deps demo check unit integration bench fuzz format clean

all: build

deps:
	@scripts/deps.sh

build:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVIGIL_TESTS=OFF >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) -- --no-print-directory

demo: deps build
	@scripts/demo.sh $(BUILD)/vigil $(DEMO_DATA)

# The release build first (its optimiser finds warnings the debug build
# does not), then unit tests under ASan+UBSan, then the integration tests
# against the same sanitized binary.
check: deps build
	@cmake -S . -B $(CHECK_BUILD) -DCMAKE_BUILD_TYPE=Debug -DVIGIL_SANITIZE=ON >/dev/null
	@cmake --build $(CHECK_BUILD) -j $(JOBS) -- --no-print-directory
	@$(MAKE) --no-print-directory unit integration

unit:
	@cd $(CHECK_BUILD) && ctest --output-on-failure -j $(JOBS)

integration:
	@VIGIL_BIN=$(CURDIR)/$(CHECK_BUILD)/vigil $(PYTHON) -m pytest -q -p no:cacheprovider tests/integration

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
	rm -rf $(BUILD) $(CHECK_BUILD) $(FUZZ_BUILD)
