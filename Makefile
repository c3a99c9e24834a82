# Vortex - plain make.  `make` builds ./vortex; `make test` runs every test
# and ends with "N passed, N failed"; `make asan` repeats the tests under
# AddressSanitizer + UBSan; `make fuzz` fuzzes the lexer and parser;
# `make bench` runs the benchmarks; `make demo` runs the language tour.

CC      ?= cc
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-missing-field-initializers
OPT     ?= -O2 -g
CFLAGS  += $(CSTD) $(WARN) $(OPT)
LDLIBS  += -lopenblas -lm

BUILD   ?= build/release
FRONT_SRC := $(wildcard src/util/*.c src/front/*.c)
TENSOR_SRC := $(wildcard src/tensor/*.c src/backend/cpu/*.c) src/vm/num.c
SRC     := $(FRONT_SRC) $(wildcard src/sema/*.c src/vm/*.c src/tensor/*.c src/backend/cpu/*.c)
STD_MODULES := $(filter-out lib/std/prelude.vx,$(wildcard lib/std/*.vx))
OBJ     := $(SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/prelude.o $(BUILD)/gen/std.o
DEP     := $(OBJ:.o=.d)

FUZZ_TIME ?= 60

.PHONY: all test asan valgrind fuzz bench demo clean deps update-golden openblas lib

all: vortex

# The CPU backend needs OpenBLAS's headers: install them first if missing.
openblas:
	@bash tools/ensure-deps.sh openblas

$(BUILD)/src/backend/cpu/cpu_matmul.o $(BUILD)/pic/src/backend/cpu/cpu_matmul.o: | openblas

# The optimizer's f32 kernels read no errno; without it sqrtf vectorises.
$(BUILD)/src/tensor/optim_f32.o $(BUILD)/pic/src/tensor/optim_f32.o: CFLAGS += -fno-math-errno

# The tensor core as a shared library, for the Python (ctypes) test harness.
lib: $(BUILD)/libvxtensor.so
$(BUILD)/libvxtensor.so: $(TENSOR_SRC:%.c=$(BUILD)/pic/%.o)
	$(CC) $(CFLAGS) $(LDFLAGS) -shared -o $@ $^ $(LDLIBS)

$(BUILD)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fPIC -MMD -MP -c -o $@ $<

vortex: $(BUILD)/vortex
	cp $< $@

$(BUILD)/vortex: $(OBJ) $(BUILD)/src/cli/main.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

# The prelude (lib/std/prelude.vx) is compiled into the binary.
$(BUILD)/gen/prelude.c: lib/std/prelude.vx tools/embed.sh
	@mkdir -p $(dir $@)
	sh tools/embed.sh vx_prelude_source $< > $@

# So is every other lib/std/X.vx, as the module `std.X` (a table of texts).
$(BUILD)/gen/std.c: $(STD_MODULES) tools/embed.sh tools/embed_std.sh
	@mkdir -p $(dir $@)
	sh tools/embed_std.sh $(STD_MODULES) > $@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) $(CFLAGS) -c -o $@ $<

UNIT_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(wildcard tests/unit/*.c))

-include $(DEP) $(BUILD)/src/cli/main.d $(UNIT_OBJ:.o=.d) $(TENSOR_SRC:%.c=$(BUILD)/pic/%.d)

# ---- tests ---------------------------------------------------------------

$(BUILD)/unit_tests: $(OBJ) $(UNIT_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

test: $(BUILD)/vortex $(BUILD)/unit_tests $(BUILD)/libvxtensor.so
	@bash tests/run.sh $(BUILD)/vortex $(BUILD)/unit_tests

update-golden: $(BUILD)/vortex
	@bash tests/run.sh --update $(BUILD)/vortex

# Sanitizers: a separate build tree, same test runner.
# Every VM test program under valgrind's memcheck (no invalid access, no leak).
valgrind: $(BUILD)/vortex
	@bash tests/valgrind.sh $(BUILD)/vortex

asan:
	@$(MAKE) --no-print-directory test BUILD=build/asan OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"

# ---- fuzzing (clang + libFuzzer) --------------------------------------------

FUZZ_CC ?= clang
build/fuzz/fuzz_parse: $(FRONT_SRC) tests/fuzz/fuzz_parse.c
	@bash tools/ensure-deps.sh fuzz
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(CSTD) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -o $@ $^ $(LDLIBS)

# The type checker's target needs everything the checker links, and the prelude.
build/fuzz/fuzz_check: $(SRC) $(BUILD)/gen/prelude.c $(BUILD)/gen/std.c tests/fuzz/fuzz_check.c
	@bash tools/ensure-deps.sh fuzz
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(CSTD) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -o $@ $^ $(LDLIBS)

# FUZZ_TIME seconds for each target: the parser, then the type checker.
fuzz: build/fuzz/fuzz_parse build/fuzz/fuzz_check
	@bash tests/fuzz/run.sh build/fuzz/fuzz_parse $(FUZZ_TIME)
	@FUZZ_WORK=build/fuzz/check bash tests/fuzz/run.sh build/fuzz/fuzz_check $(FUZZ_TIME)

# ---- benchmarks and demo ------------------------------------------------------

$(BUILD)/bench_parse: $(OBJ) bench/parse/bench_parse.c
	$(CC) $(CFLAGS) -Isrc -o $@ $^ $(LDLIBS)

$(BUILD)/bench_tensor: $(TENSOR_SRC:%.c=$(BUILD)/%.o) bench/tensor/bench_tensor.c
	$(CC) $(CFLAGS) -Isrc -o $@ $^ $(LDLIBS)

bench: $(BUILD)/vortex $(BUILD)/bench_parse $(BUILD)/bench_tensor
	@bash bench/parse/run.sh $(BUILD)/bench_parse
	@bash bench/types/run.sh $(BUILD)/vortex
	@bash bench/vm/run.sh $(BUILD)/vortex
	@bash bench/tensor/run.sh $(BUILD)/bench_tensor
	@bash bench/tensor/train_step.sh $(BUILD)/vortex

demo: vortex
	@bash examples/tour.sh ./vortex

deps:
	@bash tools/ensure-deps.sh all

clean:
	rm -rf build vortex
