#pragma once
// All-reduce on the SystemC shell (L1), callable without SystemC headers. The fabric and the
// algorithm are plain C++ (allreduce.h), built per job; one QueueDriver process runs their
// events in SystemC time, so any number of jobs, of any chip count and topology, run in the
// process's one elaboration (modules cannot be added after it, so there is none per chip).
//
// Every call resumes the process's one simulation (sysc/kernel/sim_session.h). A process that
// will use other SystemC benches too must prepare them all before the first run of any.
#include "sysc/collective/allreduce.h"

namespace chipdse::sysc {

// Builds the bench into the session unless it is there. Throws std::logic_error if the simulation
// has already started without it.
void prepare_collective_sc();

// Throws std::invalid_argument for a bad job, std::runtime_error if the network deadlocks.
AllReduceRun run_allreduce_systemc(const AllReduceJob& job);

}  // namespace chipdse::sysc
