# Two commands on a fresh Debian 12 machine:
#   make demo   installs what is missing, builds, runs the default job
#   make test   installs what is missing, builds, runs every test
BUILD      ?= build
GENERATOR  ?= Ninja
CMAKE_ARGS ?=
JOBS       ?= $(shell nproc)
CHIPDSE    := $(BUILD)/bin/chipdse

.PHONY: all setup configure build test demo clean

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

demo: build
	$(CHIPDSE) evaluate --system arch_configs/systems/dgx-a100-cluster.yaml \
	  --workload workloads/gpt3-175b.yaml --set parallelism.tp=8 --set parallelism.pp=8 --set parallelism.recompute=full

clean:
	rm -rf $(BUILD)
