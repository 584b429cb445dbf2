#include "sysc/collective/collective_run.h"

#include <stdexcept>
#include <string>
#include <systemc>

#include "sysc/kernel/sim_session.h"
#include "sysc/link/queue_driver.h"

namespace chipdse::sysc {
namespace {

constexpr const char* kBenchName = "collective_sc";

// Built once, never destroyed: SystemC modules live as long as the simulation, i.e. the process.
QueueDriver* g_driver = nullptr;

}  // namespace

void prepare_collective_sc() {
    auto& session = SimSession::instance();
    auto lock = session.lock();
    session.require(kBenchName, [] { g_driver = new QueueDriver(kBenchName); });
}

AllReduceRun run_allreduce_systemc(const AllReduceJob& job) {
    job.validate();
    auto& session = SimSession::instance();
    auto lock = session.lock();
    prepare_collective_sc();
    EventQueue queue;
    g_driver->attach(&queue);  // the queue's clock is now SystemC's
    struct Detach {
        ~Detach() { g_driver->detach(); }
    } detach;
    auto ar = AllReduce::make(queue, job);
    const Ps start = QueueDriver::now_ps();
    ar->start();
    g_driver->kick();
    session.run();
    if (!ar->done())
        throw std::runtime_error("all-reduce stopped with " + std::to_string(ar->chips_done()) + " of " +
                                 std::to_string(ar->fabric().chips()) +
                                 " chips done: the network deadlocked (full buffers waiting on each other "
                                 "around a ring; no virtual channels are modelled)");
    AllReduceRun r = ar->result();
    // The shell's own clock: the last event ran at SystemC time start + the measured time.
    if (QueueDriver::now_ps() < start + r.time_ps)
        throw std::logic_error("collective_sc: SystemC time is behind the core's");
    return r;
}

}  // namespace chipdse::sysc
