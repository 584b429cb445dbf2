#pragma once
// One message over one link direction, callable without SystemC headers: on the plain C++ core
// (run_link_model) or on the SystemC/TLM bench (run_link_systemc: traffic generator -> LinkSc ->
// sink, TLM-2.0 sockets between them). Both give the same times.
//
// Every SystemC call resumes the process's one simulation (sysc/kernel/sim_session.h). A process
// that will use other SystemC benches too must prepare them all before the first run of any.
#include <cstdint>

#include "sysc/link/link_core.h"
#include "sysc/link/link_params.h"

namespace chipdse::sysc {

struct LinkJob {
    LinkParams link;
    std::int64_t bytes = 0;  // the message; 0 sends one header-only packet
    std::uint64_t seed = 1;  // of the bit-error draws
};

struct LinkRun {
    Ps time_ps = 0;                    // first byte offered to the last byte delivered
    double time_s = 0;
    double effective_bandwidth = 0;    // bytes / time_s (bytes/s)
    LinkStats stats;
    std::uint64_t events = 0;          // core events run
};

// Throws std::invalid_argument for a bad job.
LinkRun run_link_model(const LinkJob& job);

// Builds the SystemC link bench into the session unless it is there. Throws std::logic_error if
// the simulation has already started without it.
void prepare_link_sc();
LinkRun run_link_systemc(const LinkJob& job);

}  // namespace chipdse::sysc
