# Two commands on a fresh Debian 12 machine:
#   make demo   installs what is missing, builds, runs the default job
#   make test   installs what is missing, builds, runs every test
BUILD      ?= build
GENERATOR  ?= Ninja
CMAKE_ARGS ?=
JOBS       ?= $(shell nproc)
CHIPDSE    := $(BUILD)/bin/chipdse

.PHONY: all setup configure build test demo clean sanitize synth

all: build

setup:
	@./tools/setup.sh

$(BUILD)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD) -G $(GENERATOR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DPython3_EXECUTABLE=/usr/bin/python3 $(CMAKE_ARGS)

configure: setup $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

DEMO_DB ?= $(BUILD)/demo/quickstart.sqlite
DEMO_REPORT ?= $(BUILD)/demo/quickstart_report

# The quickstart sweep (sweeps/quickstart.yaml, a few hundred designs, seconds), its Pareto
# front, then its report. Rerunning resumes: points already in the store are not evaluated again.
demo: build
	@mkdir -p $(dir $(DEMO_DB))
	$(CHIPDSE) sweep sweeps/quickstart.yaml --db $(DEMO_DB)
	$(CHIPDSE) pareto --db $(DEMO_DB)
	@echo
	@echo "results: $(DEMO_DB) (SQLite, one row per design point)"
	@echo "  all rows as CSV:  $(CHIPDSE) export --db $(DEMO_DB) --csv -o quickstart.csv"
	@echo "  front as JSON:    $(CHIPDSE) pareto --db $(DEMO_DB) --json"
	@echo "  from Python:      $(CHIPDSE) py sweeps/what_if.py, docs/python.md"
	@echo "  more sweeps:      sweeps/*.yaml, docs/sweeps.md"
	@echo
	$(CHIPDSE) report --db $(DEMO_DB) -o $(DEMO_REPORT)
	@echo "open $(abspath $(DEMO_REPORT))/index.html in a browser (self-contained: no network needed)"

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer, in its own build dir
# (docs/reliability.md). Leaks are not checked: embedded Python and SystemC keep memory to exit.
SAN_BUILD ?= build-asan
SAN_ENV := ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:strict_string_checks=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:suppressions=$(abspath tests/sanitize/ubsan.supp)

sanitize: setup
	cmake -S . -B $(SAN_BUILD) -G $(GENERATOR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DPython3_EXECUTABLE=/usr/bin/python3 -DCHIPDSE_SANITIZE=ON $(CMAKE_ARGS)
	cmake --build $(SAN_BUILD) -j $(JOBS)
	cd $(SAN_BUILD) && $(SAN_ENV) ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

# Area of the systolic RTL by generic synthesis (yosys, no liberty file; docs/rtl_area.md): cell
# counts and transistor estimates of the PEs and arrays, written to $(SYNTH_OUT)/area.json.
SYNTH_OUT ?= $(BUILD)/synth
SYNTH_TARGETS ?=
synth:
	python3 rtl/synth/synth_area.py --out $(SYNTH_OUT) $(if $(SYNTH_TARGETS),--targets $(SYNTH_TARGETS))

clean:
	rm -rf $(BUILD)
