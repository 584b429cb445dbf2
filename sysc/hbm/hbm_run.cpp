#include "sysc/hbm/hbm_run.h"

#include <memory>
#include <stdexcept>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <unordered_map>
#include <vector>

#include "sysc/hbm/hbm_sc.h"
#include "sysc/kernel/sim_session.h"

namespace chipdse::sysc::hbm {
namespace {

constexpr const char* kBenchName = "hbm_sc";

// Sends a pattern's requests in order, each as soon as the memory takes it, and records for
// each its arrival (the cycle of END_REQ) and completion (the cycle of BEGIN_RESP).
class TrafficSc : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<TrafficSc> socket;

    SC_HAS_PROCESS(TrafficSc);
    TrafficSc(const sc_core::sc_module_name& name, const HbmSc& memory)
        : sc_core::sc_module(name), socket("socket"), m_memory(memory) {
        socket.register_nb_transport_bw(this, &TrafficSc::nb_transport_bw);
        SC_THREAD(run);
    }

    void start(const HbmConfig& c, const HbmTraffic& t) {
        m_gen = std::make_unique<HbmTrafficGenerator>(c, t);
        m_records.assign(static_cast<size_t>(t.requests), HbmDone{});
        m_completed = 0;
        m_errors = 0;
        // a flag as well as the event: before the first sc_start the thread has not waited yet, and
        // a notification made during elaboration would go unseen
        m_go = true;
        m_start.notify(sc_core::SC_ZERO_TIME);
    }
    const std::vector<HbmDone>& records() const { return m_records; }
    std::int64_t completed() const { return m_completed; }
    std::int64_t errors() const { return m_errors; }

private:
    struct Slot {
        tlm::tlm_generic_payload trans;
        std::vector<unsigned char> data;
        std::uint64_t id = 0;
    };

    Slot* get_slot(std::int64_t bytes) {
        Slot* s;
        if (m_free.empty()) {
            m_slots.push_back(std::make_unique<Slot>());
            s = m_slots.back().get();
            m_by_trans[&s->trans] = s;
        } else {
            s = m_free.back();
            m_free.pop_back();
        }
        s->data.resize(static_cast<size_t>(bytes));
        return s;
    }

    void run() {
        for (;;) {
            while (!m_go) sc_core::wait(m_start);
            m_go = false;
            HbmRequest r;
            std::uint64_t id = 0;
            while (m_gen->next(r)) {
                Slot* s = get_slot(r.bytes);
                s->id = id;
                tlm::tlm_generic_payload& t = s->trans;
                t.set_command(r.write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
                t.set_address(r.addr);
                t.set_data_ptr(s->data.data());
                t.set_data_length(static_cast<unsigned int>(r.bytes));
                t.set_streaming_width(static_cast<unsigned int>(r.bytes));
                t.set_byte_enable_ptr(nullptr);
                t.set_dmi_allowed(false);
                t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
                HbmDone& rec = m_records[static_cast<size_t>(id)];
                rec.id = id;
                rec.bytes = r.bytes;
                rec.write = r.write;
                tlm::tlm_phase ph = tlm::BEGIN_REQ;
                sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
                const tlm::tlm_sync_enum st = socket->nb_transport_fw(t, ph, delay);
                if (st == tlm::TLM_UPDATED && ph == tlm::END_REQ) {
                    rec.arrival = m_memory.cycle_at(sc_core::sc_time_stamp());
                } else if (st == tlm::TLM_ACCEPTED) {
                    sc_core::wait(m_end_req);
                    rec.arrival = m_end_req_cycle;
                } else {  // refused with an error status
                    ++m_errors;
                    ++m_completed;
                    m_free.push_back(s);
                }
                ++id;
            }
        }
    }

    tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload& t, tlm::tlm_phase& ph, sc_core::sc_time& delay) {
        if (ph == tlm::END_REQ) {
            m_end_req_cycle = m_memory.cycle_at(sc_core::sc_time_stamp() + delay);
            m_end_req.notify(sc_core::SC_ZERO_TIME);
            return tlm::TLM_ACCEPTED;
        }
        if (ph == tlm::BEGIN_RESP) {
            Slot* s = m_by_trans.at(&t);
            m_records[static_cast<size_t>(s->id)].done = m_memory.cycle_at(sc_core::sc_time_stamp() + delay);
            if (!t.is_response_ok()) ++m_errors;
            ++m_completed;
            m_free.push_back(s);
            ph = tlm::END_RESP;
            return tlm::TLM_COMPLETED;
        }
        return tlm::TLM_ACCEPTED;
    }

    const HbmSc& m_memory;
    std::unique_ptr<HbmTrafficGenerator> m_gen;
    std::vector<HbmDone> m_records;
    std::vector<std::unique_ptr<Slot>> m_slots;
    std::vector<Slot*> m_free;
    std::unordered_map<const tlm::tlm_generic_payload*, Slot*> m_by_trans;
    sc_core::sc_event m_start, m_end_req;
    std::int64_t m_end_req_cycle = 0, m_completed = 0, m_errors = 0;
    bool m_go = false;
};

struct HbmBench : sc_core::sc_module {
    HbmSc memory;
    TrafficSc traffic;

    explicit HbmBench(const sc_core::sc_module_name& name)
        : sc_core::sc_module(name), memory("memory"), traffic("traffic", memory) {
        traffic.socket.bind(memory.socket);
    }
};

// Built once, never destroyed: SystemC modules live as long as the simulation, i.e. the process.
HbmBench* g_bench = nullptr;

}  // namespace

void prepare_hbm_sc() {
    auto& session = SimSession::instance();
    auto lock = session.lock();
    session.require(kBenchName, [] { g_bench = new HbmBench(kBenchName); });
}

HbmStats run_hbm_systemc(const HbmConfig& c, const HbmTraffic& t) {
    if (t.requesters != HbmRequesters::kOne)
        throw std::invalid_argument(
            "requesters: the SystemC shell drives one requester; per-channel requesters run on the core "
            "(run_hbm_pattern)");
    validate_traffic(c, t);
    auto& session = SimSession::instance();
    auto lock = session.lock();
    prepare_hbm_sc();
    g_bench->memory.configure(c);
    g_bench->traffic.start(c, t);
    session.run();
    if (g_bench->traffic.completed() != t.requests || !g_bench->memory.idle())
        throw std::logic_error("hbm_sc: simulation stopped with requests outstanding");
    if (g_bench->traffic.errors() > 0) throw std::logic_error("hbm_sc: the memory answered requests with errors");
    return summarise(c, g_bench->traffic.records(), g_bench->memory.memory().counters());
}

}  // namespace chipdse::sysc::hbm
