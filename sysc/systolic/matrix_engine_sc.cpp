#include "sysc/systolic/matrix_engine_sc.h"

#include <algorithm>
#include <cmath>

namespace chipdse::sysc {

// ---- SimpleMemorySc

SimpleMemorySc::SimpleMemorySc(const sc_core::sc_module_name& name)
    : sc_core::sc_module(name), socket("socket"), m_peq(this, &SimpleMemorySc::peq_cb) {
    socket.register_nb_transport_fw(this, &SimpleMemorySc::nb_transport_fw);
    socket.register_b_transport(this, &SimpleMemorySc::b_transport);
}

void SimpleMemorySc::configure(const sc_core::sc_time& period, const SimpleMemoryTiming& timing) {
    m_period = period;
    m_timing = timing;
    m_free = sc_core::sc_time_stamp();
    m_read = m_written = 0;
}

sc_core::sc_time SimpleMemorySc::serve(tlm::tlm_generic_payload& trans, const sc_core::sc_time& arrival) {
    const auto bytes = static_cast<std::int64_t>(trans.get_data_length());
    (trans.is_write() ? m_written : m_read) += bytes;
    const double per_cycle = m_timing.bytes_per_cycle;
    const std::int64_t busy =
        per_cycle > 0 ? static_cast<std::int64_t>(std::ceil(static_cast<double>(bytes) / per_cycle - 1e-9)) : 0;
    const sc_core::sc_time start = std::max(arrival, m_free);
    m_free = start + m_period * static_cast<double>(busy);
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    return m_free + m_period * static_cast<double>(m_timing.latency);
}

tlm::tlm_sync_enum SimpleMemorySc::nb_transport_fw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase,
                                                   sc_core::sc_time& delay) {
    if (phase == tlm::BEGIN_REQ) {
        const sc_core::sc_time now = sc_core::sc_time_stamp();
        const sc_core::sc_time done = serve(trans, now + delay);
        m_peq.notify(trans, tlm::BEGIN_RESP, done - now);
        phase = tlm::END_REQ;  // always taken at once: the data path queues it
        return tlm::TLM_UPDATED;
    }
    return tlm::TLM_COMPLETED;  // END_RESP
}

void SimpleMemorySc::peq_cb(tlm::tlm_generic_payload& trans, const tlm::tlm_phase& phase) {
    tlm::tlm_phase ph = phase;
    sc_core::sc_time zero = sc_core::SC_ZERO_TIME;
    socket->nb_transport_bw(trans, ph, zero);
}

void SimpleMemorySc::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    delay = serve(trans, now + delay) - now;  // the caller waits the annotated delay
}

// ---- MatrixEngineSc

MatrixEngineSc::MatrixEngineSc(const sc_core::sc_module_name& name) : sc_core::sc_module(name), socket("socket") {
    socket.register_nb_transport_bw(this, &MatrixEngineSc::nb_transport_bw);
    SC_THREAD(control);
    SC_THREAD(memory);
}

void MatrixEngineSc::start(const EngineJob& job, EngineRun& out, std::uint64_t target_bytes, std::int64_t granule) {
    m_job = &job;
    m_out = &out;
    out = EngineRun{};
    m_period = sc_core::sc_time(1.0 / job.clock_hz, sc_core::SC_SEC);
    m_half = target_bytes / 2;
    m_granule = std::max<std::int64_t>(granule, 1);
    m_read_addr = 0;
    m_write_addr = 0;
    m_errors = 0;
    // a flag as well as the event: before the first sc_start the thread has not waited yet
    m_go = true;
    m_start.notify(sc_core::SC_ZERO_TIME);
}

std::int64_t MatrixEngineSc::cycles_since(const sc_core::sc_time& from) const {
    return static_cast<std::int64_t>((sc_core::sc_time_stamp() - from).value() / m_period.value());
}

void MatrixEngineSc::align() {
    const sc_core::sc_time::value_type p = m_period.value();
    const sc_core::sc_time::value_type t = (sc_core::sc_time_stamp() - m_epoch).value();
    if (t % p != 0) sc_core::wait(sc_core::sc_time::from_value(p - t % p));
}

void MatrixEngineSc::begin_work(const Work& w) {
    if (w.write_bytes + w.fetch_bytes <= 0) return;
    m_work = w;
    m_busy = true;
    m_work_kick.notify(sc_core::SC_ZERO_TIME);
}

void MatrixEngineSc::wait_work() {
    while (m_busy) sc_core::wait(m_work_done);
    align();
}

void MatrixEngineSc::control() {
    for (;;) {
        while (!m_go) sc_core::wait(m_start);
        m_go = false;
        const EngineJob& job = *m_job;
        EngineRun& out = *m_out;
        const std::vector<EnginePass> p = engine_passes(job.array, job.shape);
        m_epoch = sc_core::sc_time_stamp();
        out.cycles.passes = static_cast<std::int64_t>(p.size());
        out.activity = gemm_activity(job.array, job.shape);

        sc_core::sc_time t0 = sc_core::sc_time_stamp();
        begin_work({0, p.front().fetch_bytes});
        wait_work();
        out.cycles.first_fetch = cycles_since(t0);
        for (std::size_t i = 0; i < p.size(); ++i) {
            t0 = sc_core::sc_time_stamp();
            begin_work({i > 0 ? p[i - 1].writeback_bytes : 0, i + 1 < p.size() ? p[i + 1].fetch_bytes : 0});
            sc_core::wait(m_period * static_cast<double>(p[i].compute));  // the array runs pass i
            wait_work();
            out.cycles.steps += cycles_since(t0);
            out.cycles.compute += p[i].compute;
        }
        t0 = sc_core::sc_time_stamp();
        begin_work({p.back().writeback_bytes, 0});
        wait_work();
        out.cycles.last_writeback = cycles_since(t0);
        out.cycles.stall = out.cycles.steps - out.cycles.compute;
        out.time_s = static_cast<double>(out.cycles.total()) / job.clock_hz;
        m_job = nullptr;
        m_out = nullptr;
    }
}

tlm::tlm_generic_payload* MatrixEngineSc::payload() {
    if (m_free.empty()) {
        m_payloads.push_back(std::make_unique<tlm::tlm_generic_payload>());
        return m_payloads.back().get();
    }
    tlm::tlm_generic_payload* t = m_free.back();
    m_free.pop_back();
    return t;
}

void MatrixEngineSc::send(std::uint64_t addr, std::int64_t bytes, bool write) {
    const std::int64_t len = (bytes + m_granule - 1) / m_granule * m_granule;
    if (m_scratch.size() < static_cast<std::size_t>(len)) m_scratch.resize(static_cast<std::size_t>(len));
    tlm::tlm_generic_payload& t = *payload();
    t.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    t.set_address(addr);
    t.set_data_ptr(m_scratch.data());
    t.set_data_length(static_cast<unsigned int>(len));
    t.set_streaming_width(static_cast<unsigned int>(len));
    t.set_byte_enable_ptr(nullptr);
    t.set_dmi_allowed(false);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    ++m_outstanding;
    ++m_out->requests;
    m_open = &t;
    tlm::tlm_phase ph = tlm::BEGIN_REQ;
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    const tlm::tlm_sync_enum s = socket->nb_transport_fw(t, ph, delay);
    if (s == tlm::TLM_COMPLETED) {  // refused (an error status) or answered at once
        m_open = nullptr;
        if (!t.is_response_ok()) ++m_errors;
        --m_outstanding;
        m_free.push_back(&t);
        return;
    }
    if (s == tlm::TLM_UPDATED) m_open = nullptr;  // END_REQ at once
    while (m_open == &t) sc_core::wait(m_end_req);
}

void MatrixEngineSc::memory() {
    for (;;) {
        while (!m_busy) sc_core::wait(m_work_kick);
        const sc_core::sc_time begin = sc_core::sc_time_stamp();
        const EngineSram& sram = m_job->sram;
        const std::int64_t r = sram.request_bytes;
        auto transfer = [&](std::int64_t bytes, bool write) {
            std::uint64_t& next = write ? m_write_addr : m_read_addr;
            while (bytes > 0) {
                const std::int64_t n = r > 0 ? std::min(r, bytes) : bytes;
                const auto len = static_cast<std::uint64_t>((n + m_granule - 1) / m_granule * m_granule);
                if (next + len > m_half) next = 0;
                send((write ? m_half : 0) + next, n, write);
                next += len;
                bytes -= n;
            }
        };
        transfer(m_work.write_bytes, true);
        transfer(m_work.fetch_bytes, false);
        m_out->writeback_bytes += m_work.write_bytes;
        m_out->fetch_bytes += m_work.fetch_bytes;
        while (m_outstanding > 0) sc_core::wait(m_response);
        // the SRAM bank takes the operands no faster than its write bandwidth
        if (sram.fill_bytes_per_cycle > 0 && m_work.fetch_bytes > 0) {
            const double fill = std::ceil(static_cast<double>(m_work.fetch_bytes) / sram.fill_bytes_per_cycle - 1e-9);
            const sc_core::sc_time until = begin + m_period * fill;
            if (until > sc_core::sc_time_stamp()) sc_core::wait(until - sc_core::sc_time_stamp());
        }
        m_busy = false;
        m_work_done.notify(sc_core::SC_ZERO_TIME);
    }
}

tlm::tlm_sync_enum MatrixEngineSc::nb_transport_bw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase,
                                                   sc_core::sc_time& delay) {
    (void)delay;
    if (phase == tlm::END_REQ) {
        if (&trans == m_open) m_open = nullptr;
        m_end_req.notify(sc_core::SC_ZERO_TIME);
        return tlm::TLM_ACCEPTED;
    }
    if (phase == tlm::BEGIN_RESP) {
        if (&trans == m_open) m_open = nullptr;  // BEGIN_RESP implies END_REQ
        if (!trans.is_response_ok()) ++m_errors;
        --m_outstanding;
        m_free.push_back(&trans);
        if (m_outstanding == 0) m_response.notify(sc_core::SC_ZERO_TIME);  // the port waits for the last
        phase = tlm::END_RESP;
        return tlm::TLM_COMPLETED;
    }
    return tlm::TLM_ACCEPTED;
}

}  // namespace chipdse::sysc
