#include "sysc/hbm/hbm_sc.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace chipdse::sysc::hbm {

namespace {
constexpr std::uint64_t kPage = 4096;
}

HbmSc::HbmSc(const sc_core::sc_module_name& name)
    : sc_core::sc_module(name), socket("socket"), m_peq(this, &HbmSc::peq_cb) {
    socket.register_nb_transport_fw(this, &HbmSc::nb_transport_fw);
    socket.register_b_transport(this, &HbmSc::b_transport);
    socket.register_transport_dbg(this, &HbmSc::transport_dbg);
    SC_METHOD(wake);
    sensitive << m_wake;
    dont_initialize();
}

void HbmSc::configure(const HbmConfig& config, bool clear_data) {
    if (!idle()) SC_REPORT_ERROR(name(), "configure() with transactions in flight");
    m_mem = std::make_unique<HbmMemory>(config);
    m_tck_s = config.tck_s;
    m_epoch = sc_core::sc_time_stamp();
    for (TimeOf& m : m_time_of) m = TimeOf{};
    for (CycleAt& m : m_cycle_at) m = CycleAt{};
    m_tick = -1;
    m_last_step = -1;
    m_responses = {};
    m_resp_busy = false;
    if (clear_data) m_pages.clear();
}

sc_core::sc_time HbmSc::time_of(std::int64_t cycle) const {
    TimeOf& m = m_time_of[static_cast<std::size_t>(cycle) % kMemo];
    if (m.cycle != cycle) {
        m.time = m_epoch + sc_core::sc_time(static_cast<double>(cycle) * m_tck_s, sc_core::SC_SEC);
        m.cycle = cycle;
    }
    return m.time;
}

std::int64_t HbmSc::cycle_at(const sc_core::sc_time& t) const {
    if (t <= m_epoch) return 0;
    CycleAt& m = m_cycle_at[static_cast<std::size_t>((t.value() * 0x9E3779B97F4A7C15ull) >> 60) % kMemo];
    if (m.valid && t == m.time) return m.cycle;
    auto c = static_cast<std::int64_t>(std::ceil((t - m_epoch).to_seconds() / m_tck_s - 1e-6));
    c = std::max<std::int64_t>(c, 0);
    while (c > 0 && time_of(c - 1) >= t) --c;
    while (time_of(c) < t) ++c;
    m = CycleAt{true, t, c};
    return c;
}

bool HbmSc::check(tlm::tlm_generic_payload& trans) const {
    auto fail = [&](tlm::tlm_response_status s) {
        trans.set_response_status(s);
        return false;
    };
    if (!m_mem) SC_REPORT_FATAL(name(), "transaction before configure()");
    if (trans.get_command() == tlm::TLM_IGNORE_COMMAND) return fail(tlm::TLM_COMMAND_ERROR_RESPONSE);
    if (trans.get_byte_enable_ptr() != nullptr) return fail(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    const std::uint64_t addr = trans.get_address();
    const std::uint64_t len = trans.get_data_length();
    const auto capacity = static_cast<std::uint64_t>(m_mem->config().capacity_bytes());
    if (len == 0 || addr >= capacity || len > capacity - addr) return fail(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    if (trans.get_streaming_width() < len) return fail(tlm::TLM_BURST_ERROR_RESPONSE);
    if (!m_mem->fits(addr, static_cast<std::int64_t>(len), trans.is_write()))
        return fail(tlm::TLM_BURST_ERROR_RESPONSE);
    return true;
}

void HbmSc::copy_data(tlm::tlm_generic_payload& trans, bool into_store) {
    std::uint64_t addr = trans.get_address();
    unsigned char* p = trans.get_data_ptr();
    std::uint64_t left = trans.get_data_length();
    while (left > 0) {
        const std::uint64_t page = addr / kPage, off = addr % kPage;
        const std::uint64_t n = std::min(left, kPage - off);
        auto it = m_pages.find(page);
        if (into_store) {
            if (it == m_pages.end()) it = m_pages.emplace(page, std::vector<unsigned char>(kPage, 0)).first;
            std::memcpy(it->second.data() + off, p, n);
        } else if (it == m_pages.end()) {
            std::memset(p, 0, n);
        } else {
            std::memcpy(p, it->second.data() + off, n);
        }
        addr += n;
        p += n;
        left -= n;
    }
}

bool HbmSc::try_accept(tlm::tlm_generic_payload& trans, sc_core::sc_event* done) {
    const std::uint64_t id = m_next_id;
    const std::int64_t arrival = std::max(cycle_at(sc_core::sc_time_stamp()), m_last_step + 1);
    if (!m_mem->try_enqueue(id, trans.get_address(), static_cast<std::int64_t>(trans.get_data_length()),
                            trans.is_write(), arrival))
        return false;
    ++m_next_id;
    if (trans.is_write()) copy_data(trans, true);
    if (trans.has_mm()) trans.acquire();
    m_pending.emplace(id, Pending{&trans, done});
    reschedule();
    return true;
}

tlm::tlm_sync_enum HbmSc::nb_transport_fw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase,
                                          sc_core::sc_time& delay) {
    if (phase == tlm::BEGIN_REQ) {
        if (m_blocked) SC_REPORT_ERROR(name(), "BEGIN_REQ before the previous request's END_REQ");
        if (delay != sc_core::SC_ZERO_TIME) {
            m_peq.notify(trans, phase, delay);
            return tlm::TLM_ACCEPTED;
        }
        if (!check(trans)) return tlm::TLM_COMPLETED;  // the error is in the response status
        if (try_accept(trans, nullptr)) {
            phase = tlm::END_REQ;
            return tlm::TLM_UPDATED;
        }
        m_blocked = &trans;
        return tlm::TLM_ACCEPTED;
    }
    if (phase == tlm::END_RESP) {
        m_resp_busy = false;
        if (m_resp_trans && m_resp_trans->has_mm()) m_resp_trans->release();
        m_resp_trans = nullptr;
        reschedule();
        return tlm::TLM_COMPLETED;
    }
    SC_REPORT_ERROR(name(), "unexpected phase on the forward path");
    return tlm::TLM_COMPLETED;
}

void HbmSc::peq_cb(tlm::tlm_generic_payload& trans, const tlm::tlm_phase& phase) {
    if (phase != tlm::BEGIN_REQ) return;
    tlm::tlm_phase ph = tlm::END_REQ;
    sc_core::sc_time zero = sc_core::SC_ZERO_TIME;
    if (!check(trans)) {
        // the request ends, and the error answer follows at once
        socket->nb_transport_bw(trans, ph, zero);
        ph = tlm::BEGIN_RESP;
        socket->nb_transport_bw(trans, ph, zero);
        return;
    }
    if (try_accept(trans, nullptr)) socket->nb_transport_bw(trans, ph, zero);
    else m_blocked = &trans;
}

void HbmSc::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
    sc_core::wait(delay);
    delay = sc_core::SC_ZERO_TIME;
    if (!check(trans)) return;
    sc_core::sc_event done;
    while (m_blocked || !try_accept(trans, &done)) sc_core::wait(m_space);
    sc_core::wait(done);
}

unsigned int HbmSc::transport_dbg(tlm::tlm_generic_payload& trans) {
    if (!m_mem || trans.get_command() == tlm::TLM_IGNORE_COMMAND) return 0;
    const auto capacity = static_cast<std::uint64_t>(m_mem->config().capacity_bytes());
    const std::uint64_t addr = trans.get_address();
    if (addr >= capacity) return 0;
    const auto len = static_cast<unsigned int>(std::min<std::uint64_t>(trans.get_data_length(), capacity - addr));
    trans.set_data_length(len);
    copy_data(trans, trans.is_write());
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    return len;
}

void HbmSc::respond(std::uint64_t id) {
    auto it = m_pending.find(id);
    Pending p = it->second;
    m_pending.erase(it);
    tlm::tlm_generic_payload& trans = *p.trans;
    if (trans.is_read()) copy_data(trans, false);
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    if (p.done) {
        p.done->notify();  // b_transport returns now
    } else {
        tlm::tlm_phase ph = tlm::BEGIN_RESP;
        sc_core::sc_time zero = sc_core::SC_ZERO_TIME;
        const tlm::tlm_sync_enum s = socket->nb_transport_bw(trans, ph, zero);
        if (s == tlm::TLM_ACCEPTED || (s == tlm::TLM_UPDATED && ph != tlm::END_RESP)) {
            m_resp_busy = true;  // END_RESP releases it
            m_resp_trans = &trans;
            return;
        }
    }
    if (trans.has_mm()) trans.release();
}

void HbmSc::wake() {
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    const sc_core::sc_time eps = sc_core::sc_get_time_resolution();
    if (m_tick >= 0 && time_of(m_tick) + eps <= now) {
        m_done.clear();
        m_mem->step(m_tick, m_done);
        m_last_step = m_tick;
        m_tick = -1;
        for (const HbmDone& d : m_done) m_responses.push({d.done, m_seq++, d.id});
        m_space.notify(sc_core::SC_ZERO_TIME);  // b_transport callers waiting for room try again
        if (m_blocked && try_accept(*m_blocked, nullptr)) {
            tlm::tlm_generic_payload* t = m_blocked;
            m_blocked = nullptr;
            tlm::tlm_phase ph = tlm::END_REQ;
            sc_core::sc_time zero = sc_core::SC_ZERO_TIME;
            socket->nb_transport_bw(*t, ph, zero);
        }
    }
    while (!m_resp_busy && !m_responses.empty() && time_of(m_responses.top().cycle) <= now) {
        const std::uint64_t id = m_responses.top().id;
        m_responses.pop();
        respond(id);
    }
    reschedule();
}

void HbmSc::reschedule() {
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    const sc_core::sc_time eps = sc_core::sc_get_time_resolution();
    bool any = false;
    sc_core::sc_time next;
    if (m_mem && m_mem->in_flight() > 0) {
        // the core's next busy cycle, but never one whose step time has passed
        std::int64_t c = std::max({m_mem->next_cycle(), m_last_step + 1, cycle_at(now > eps ? now - eps : now)});
        if (time_of(c) + eps < now) ++c;
        m_tick = c;
        next = time_of(c) + eps;
        any = true;
    } else {
        m_tick = -1;
    }
    if (!m_resp_busy && !m_responses.empty()) {
        const sc_core::sc_time r = std::max(time_of(m_responses.top().cycle), now);
        if (!any || r < next) next = r;
        any = true;
    }
    m_wake.cancel();
    if (any) m_wake.notify(next - now);
}

}  // namespace chipdse::sysc::hbm
