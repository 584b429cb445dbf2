#pragma once
// Access patterns on the SystemC model of the HBM (L1), callable without SystemC headers.
//
// A traffic initiator sends the pattern's requests through a TLM-2.0 socket to the HbmSc shell,
// in order, each as soon as the shell takes it (the base protocol's END_REQ), and measures
// arrival and completion from simulated time. Every call resumes the process's one SystemC
// simulation (sysc/kernel/sim_session.h); a process that will also run other benches must
// prepare them all before the first run of any.
#include "sysc/hbm/hbm_characterise.h"

namespace chipdse::sysc::hbm {

// Builds the SystemC bench into the session unless it is there. Throws std::logic_error if the
// simulation has already started without it.
void prepare_hbm_sc();

// Runs `t` through the SystemC shell; the result equals run_hbm_pattern(c, t) cycle for cycle.
// Throws std::invalid_argument for traffic that cannot run (validate_traffic) before anything runs,
// and for per_channel requesters: the shell has one TLM initiator (run them on the core).
HbmStats run_hbm_systemc(const HbmConfig& c, const HbmTraffic& t);

}  // namespace chipdse::sysc::hbm
