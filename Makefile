# tumen: the two commands a newcomer needs are `make demo` and `make test`.
# Both install missing Debian packages first (scripts/setup-debian.sh), then build.

BUILD      ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all setup configure demo test test-fast test-asan test-tsan bench fuzz fuzz-smoke install clean

all: configure
	cmake --build $(BUILD) -j $(JOBS)

setup:
	@sh scripts/setup-debian.sh

configure: setup
	@test -f $(BUILD)/Makefile || cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null

# `make install PREFIX=DIR`: libtumen.a, libtumen.so, include/tumen.h, lib/pkgconfig/tumen.pc,
# the tumen Python package (lib/python3/dist-packages/tumen)
# and bin/tumen under DIR (default /usr/local).
PREFIX ?= /usr/local
install: all
	cmake --install $(BUILD) --prefix $(PREFIX)

# Builds quietly (the log in $(BUILD)/build.log, shown only if the build fails), then the demo.
demo: configure
	@echo "building tumen..."
	@cmake --build $(BUILD) -j $(JOBS) >$(BUILD)/build.log 2>&1 || { tail -n 40 $(BUILD)/build.log; exit 1; }
	@sh examples/flagship/demo.sh $(BUILD)/tumen
	@if [ -n "$(SERVE)" ]; then sh examples/flagship/serve.sh $(BUILD)/tumen; fi

# The whole suite: the normal build, the same tests under ASan and UBSan, the thread-safety
# test under ThreadSanitizer, a fuzz smoke.
test: test-fast test-asan test-tsan fuzz-smoke

# ctest counts a test that exits 77 (a missing tool or ../shared) as skipped; the last line
# says how many, so that a skip is never mistaken for a pass. Under CI=true they fail.
CTEST_SUMMARY = { ctest --output-on-failure -j $(JOBS); echo $$? >ctest.status; } | tee ctest.log; \
	n=$$(grep -c '(Skipped)' ctest.log); \
	[ "$$n" -eq 0 ] || echo "SKIPPED: $$n test(s) could not run here:$$(sed -n 's/^ *[0-9]* - \([^ ]*\) (Skipped)/ \1/p' ctest.log | tr -d '\n')"; \
	exit $$(cat ctest.status)

test-fast: all
	@cd $(BUILD) && $(CTEST_SUMMARY)

test-asan: setup
	@test -f $(ASAN_BUILD)/Makefile || cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DTUMEN_SANITIZE=ON >/dev/null
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	@cd $(ASAN_BUILD) && export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 && $(CTEST_SUMMARY)

# tests/test_threads.c alone, built with -fsanitize=thread (the library and that test only).
test-tsan: setup
	@test -f $(TSAN_BUILD)/Makefile || cmake -S . -B $(TSAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTUMEN_TSAN=ON >/dev/null
	cmake --build $(TSAN_BUILD) -j $(JOBS)
	cd $(TSAN_BUILD) && ctest --output-on-failure

bench: all
	@for b in $(BUILD)/bench_*; do [ -x "$$b" ] && "$$b" || exit 1; done

# libFuzzer targets (fuzz/fuzz_*.c: the scenario readers, the import readers), built with
# clang in their own folder; FUZZ_SECONDS each. A crash ends the run with its input saved
# in $(FUZZ_BUILD) and the failing status; the corpus grows in $(FUZZ_BUILD)/corpus.
FUZZ_SECONDS ?= 30
FUZZ_SMOKE_SECONDS ?= 5
fuzz: setup
	@command -v clang >/dev/null 2>&1 || { echo "fuzz: clang is not installed" >&2; exit 1; }
	@test -f $(FUZZ_BUILD)/Makefile || CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DTUMEN_FUZZ=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) >$(FUZZ_BUILD)/build.log 2>&1 || { tail -n 30 $(FUZZ_BUILD)/build.log; exit 1; }
	@for f in $(FUZZ_BUILD)/fuzz_*; do \
	  name=$$(basename $$f); mkdir -p $(FUZZ_BUILD)/corpus/$$name; \
	  echo "fuzz: $$name for $(FUZZ_SECONDS) s"; \
	  (cd $(FUZZ_BUILD) && ./$$name -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	    corpus/$$name $(CURDIR)/fuzz/seeds/$$name >$$name.log 2>&1); status=$$?; \
	  tail -n 2 $(FUZZ_BUILD)/$$name.log; \
	  [ $$status -eq 0 ] || { echo "fuzz: $$name FAILED (log: $(FUZZ_BUILD)/$$name.log)"; exit 1; }; \
	done

# The short run `make test` does: a few seconds per target where clang is present (a
# crash found once stays found: the corpus is kept). Without clang it is skipped, and says
# so; under CI=true that is a failure.
fuzz-smoke:
	@if command -v clang >/dev/null 2>&1; then \
	  $(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS); \
	elif [ "$$CI" = true ]; then echo "fuzz smoke: clang is not installed" >&2; exit 1; \
	else echo "SKIPPED: fuzz smoke (clang is not installed)"; fi

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD)
