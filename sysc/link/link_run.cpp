#include "sysc/link/link_run.h"

#include <stdexcept>
#include <string>
#include <systemc>

#include "sysc/kernel/sim_session.h"
#include "sysc/link/link_sc.h"
#include "sysc/link/router.h"

namespace chipdse::sysc {
namespace {

void validate(const LinkJob& job) {
    job.link.validate();
    if (job.bytes < 0) throw std::invalid_argument("bytes must not be negative; got " + std::to_string(job.bytes));
}

LinkRun finish(Ps time, const LinkJob& job, const LinkStats& stats, std::uint64_t events) {
    LinkRun r;
    r.time_ps = time;
    r.time_s = ps_to_seconds(time);
    r.effective_bandwidth = r.time_s > 0 ? static_cast<double>(job.bytes) / r.time_s : 0;
    r.stats = stats;
    r.events = events;
    return r;
}

// Records when the message is all in.
struct Arrival : MessageSink {
    EventQueue* queue = nullptr;
    Ps at = -1;
    void delivered(Message&) override { at = queue->now(); }
};

constexpr const char* kBenchName = "link_sc";

// generator -> link -> sink, TLM sockets between them.
struct LinkBench : sc_core::sc_module {
    LinkTrafficGen gen;
    LinkSc link;
    LinkSink sink;

    explicit LinkBench(const sc_core::sc_module_name& name)
        : sc_core::sc_module(name), gen("gen"), link("link"), sink("sink") {
        gen.out.bind(link.in);
        link.out.bind(sink.in);
    }
};

// Built once, never destroyed: SystemC modules live as long as the simulation, i.e. the process.
LinkBench* g_bench = nullptr;

}  // namespace

LinkRun run_link_model(const LinkJob& job) {
    validate(job);
    EventQueue queue;
    Router src(queue, 0, 0, false), dst(queue, 1, 0, false);
    Port& port = src.add_port(job.link);
    LinkCore link(queue, job.link, mix_seed(job.seed, 0));
    link.connect(&port, &dst);
    port.add_link(&link);
    Arrival arrival;
    arrival.queue = &queue;
    Message m{0, 1, job.bytes, packets_for(job.link, job.bytes), 0, &arrival};
    port.send(&m, 0);
    queue.run();
    if (arrival.at < 0) throw std::logic_error("link model: the message never arrived");
    return finish(arrival.at, job, link.stats(), queue.events_run());
}

void prepare_link_sc() {
    auto& session = SimSession::instance();
    auto lock = session.lock();
    session.require(kBenchName, [] { g_bench = new LinkBench(kBenchName); });
}

LinkRun run_link_systemc(const LinkJob& job) {
    validate(job);
    auto& session = SimSession::instance();
    auto lock = session.lock();
    prepare_link_sc();
    g_bench->link.configure(job.link, mix_seed(job.seed, 0));
    g_bench->sink.clear();
    const std::uint64_t events_before = g_bench->link.events();
    g_bench->gen.start(job.bytes, job.link.max_payload_bytes);
    session.run();
    if (g_bench->sink.bytes() != job.bytes || g_bench->sink.packets() != packets_for(job.link, job.bytes))
        throw std::logic_error("link_sc: the simulation stopped before the message was delivered");
    return finish(g_bench->sink.last_ps() - g_bench->gen.started_ps(), job, g_bench->link.stats(),
                  g_bench->link.events() - events_before);
}

}  // namespace chipdse::sysc
