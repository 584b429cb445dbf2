#pragma once
// The "systemc" characteriser (dse/model/characteriser.h): the cycle-level (L1) models of sysc/
// measure array utilisation, HBM efficiency and scale-up all-reduce times for the analytical
// model. It runs the models' timing cores — the plain C++ engines the SystemC shells clock, tested
// equal to them cycle for cycle — so that it is thread-safe and needs no SystemC elaboration.
// Each distinct kernel runs once per characteriser (cache keyed by block spec + kernel). The
// method and the agreement with L0: docs/fidelity.md. No SystemC headers here.
#include <memory>

#include "dse/model/characteriser.h"

namespace chipdse::sysc {

// Limits of what one characterisation simulates (docs/fidelity.md "Extrapolation").
struct L1CharacteriserLimits {
    std::int64_t max_allreduce_ranks = 256;            // larger scale-up groups stay L0
    std::int64_t allreduce_traffic_bytes = 128 << 20;  // bytes x ranks simulated at most per run
    std::int64_t hbm_requests = 20000;                 // requests per HBM pattern
    std::int64_t max_gemm_passes = 1 << 20;            // larger GEMMs take the tile sum in closed form
};

std::unique_ptr<model::Characteriser> make_l1_characteriser(const L1CharacteriserLimits& limits = {});

// Registers make_l1_characteriser under "systemc" (dse/model's registry).
void register_l1_characteriser();

}  // namespace chipdse::sysc
