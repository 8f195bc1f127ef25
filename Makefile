# tumen: the two commands a newcomer needs are `make demo` and `make test`.
# Both install missing Debian packages first (scripts/setup-debian.sh), then build.

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all setup configure demo test test-fast test-asan bench fuzz install clean

all: configure
	cmake --build $(BUILD) -j $(JOBS)

setup:
	@sh scripts/setup-debian.sh

configure: setup
	@test -f $(BUILD)/Makefile || cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null

# `make install PREFIX=DIR`: libtumen.a, libtumen.so, include/tumen.h, lib/pkgconfig/tumen.pc
# and bin/tumen under DIR (default /usr/local).
PREFIX ?= /usr/local
install: all
	cmake --install $(BUILD) --prefix $(PREFIX)

demo: all
	@sh examples/flagship/demo.sh $(BUILD)/tumen

# The whole suite: the normal build, then the same tests under ASan and UBSan.
test: test-fast test-asan

test-fast: all
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan: setup
	@test -f $(ASAN_BUILD)/Makefile || cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DTUMEN_SANITIZE=ON >/dev/null
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

bench: all
	@for b in $(BUILD)/bench_*; do [ -x "$$b" ] && "$$b" || exit 1; done

# libFuzzer targets, one per reader; FUZZ_SECONDS each.
FUZZ_SECONDS ?= 30
fuzz: setup
	@test -f $(FUZZ_BUILD)/Makefile || CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DTUMEN_FUZZ=ON >/dev/null
	cmake --build $(FUZZ_BUILD) -j $(JOBS)
	@for f in $(FUZZ_BUILD)/fuzz_*; do \
	  name=$$(basename $$f); mkdir -p $(FUZZ_BUILD)/corpus/$$name; \
	  echo "fuzz: $$name for $(FUZZ_SECONDS) s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 $(FUZZ_BUILD)/corpus/$$name fuzz/seeds/$$name 2>&1 | tail -n 3 || exit 1; \
	done

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
