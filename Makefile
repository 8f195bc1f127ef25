# tumen: the two commands a newcomer needs are `make demo` and `make test`.
# Both install missing Debian packages first (scripts/setup-debian.sh), then build.

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all setup configure demo test test-fast test-asan bench fuzz clean

all: configure
	cmake --build $(BUILD) -j $(JOBS)

setup:
	@sh scripts/setup-debian.sh

configure: setup
	@test -f $(BUILD)/Makefile || cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null

demo: all
	@sh examples/flagship/demo.sh $(BUILD)/tumen

# The whole suite: the normal build, then the same tests under ASan and UBSan.
test: test-fast test-asan

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
