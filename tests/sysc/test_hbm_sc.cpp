// The SystemC/TLM-2.0 shell of the HBM model: the same cycles as the plain C++ core through the
// socket, responses with the data written, b_transport, and error responses. Each test case runs
// in its own process (one SystemC elaboration each).
#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <vector>

#include "sysc/hbm/hbm_run.h"
#include "sysc/hbm/hbm_sc.h"
#include "sysc/kernel/sim_session.h"

namespace {

using namespace chipdse::sysc::hbm;

const std::string kHbm3 = std::string(CHIPDSE_SOURCE_DIR) + "/arch_configs/memory/hbm3-6400.yaml";

void same(const HbmStats& a, const HbmStats& b) {
    CHECK(a.requests == b.requests);
    CHECK(a.cycles == b.cycles);
    CHECK(a.bytes == b.bytes);
    CHECK(a.avg_read_latency_cycles == b.avg_read_latency_cycles);
    CHECK(a.p99_read_latency_cycles == b.p99_read_latency_cycles);
    CHECK(a.max_read_latency_cycles == b.max_read_latency_cycles);
    CHECK(a.avg_write_latency_cycles == b.avg_write_latency_cycles);
    CHECK(a.commands.act == b.commands.act);
    CHECK(a.commands.pre == b.commands.pre);
    CHECK(a.commands.rd == b.commands.rd);
    CHECK(a.commands.wr == b.commands.wr);
    CHECK(a.commands.ref == b.commands.ref);
    CHECK(a.bandwidth_bytes_per_s == Approx(b.bandwidth_bytes_per_s).epsilon(1e-12));
}

HbmTraffic traffic(HbmPattern p, std::int64_t n, std::int64_t bytes = 64) {
    HbmTraffic t;
    t.pattern = p;
    t.requests = n;
    t.request_bytes = bytes;
    return t;
}

// An LT initiator that runs a script of b_transport calls and records what came back.
struct LtScript : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<LtScript> socket;
    struct Op {
        tlm::tlm_command cmd;
        std::uint64_t addr;
        std::vector<unsigned char> data;
        bool byte_enable = false;
        tlm::tlm_response_status status = tlm::TLM_INCOMPLETE_RESPONSE;
        double start_s = 0, end_s = 0;
    };
    std::vector<Op> ops;

    SC_HAS_PROCESS(LtScript);
    explicit LtScript(const sc_core::sc_module_name& n) : sc_core::sc_module(n), socket("socket") { SC_THREAD(run); }

    void run() {
        for (Op& op : ops) {
            tlm::tlm_generic_payload t;
            unsigned char be = 0xff;
            t.set_command(op.cmd);
            t.set_address(op.addr);
            t.set_data_ptr(op.data.data());
            t.set_data_length(static_cast<unsigned int>(op.data.size()));
            t.set_streaming_width(static_cast<unsigned int>(op.data.size()));
            t.set_byte_enable_ptr(op.byte_enable ? &be : nullptr);
            t.set_byte_enable_length(op.byte_enable ? 1 : 0);
            t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
            sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
            op.start_s = sc_core::sc_time_stamp().to_seconds();
            socket->b_transport(t, delay);
            op.end_s = (sc_core::sc_time_stamp() + delay).to_seconds();
            op.status = t.get_response_status();
        }
    }
};

}  // namespace

TEST_CASE("SystemC shell = plain core, cycle for cycle: seq, random, copy", "[hbm][systemc]") {
    const HbmConfig c = load_hbm_config(kHbm3);
    for (HbmPattern p : {HbmPattern::kSequential, HbmPattern::kRandom, HbmPattern::kCopy}) {
        INFO(pattern_name(p));
        const HbmTraffic t = traffic(p, 4000);
        const HbmStats core = run_hbm_pattern(c, t);
        const HbmStats sc = run_hbm_systemc(c, t);  // the session resumes for each run
        same(sc, core);
    }
}

TEST_CASE("SystemC shell = plain core on other memories and request sizes", "[hbm][systemc]") {
    const std::string dir = std::string(CHIPDSE_SOURCE_DIR) + "/arch_configs/memory/";
    const HbmConfig hbm2 = load_hbm_config(dir + "hbm2-2000.yaml");
    const HbmConfig hbm3e4 = load_hbm_config(dir + "hbm3e-9600.yaml", {"hbm.timing.channels=4", "hbm.capacity_per_stack=6GiB"});
    same(run_hbm_systemc(hbm2, traffic(HbmPattern::kRandom, 3000, 128)),
         run_hbm_pattern(hbm2, traffic(HbmPattern::kRandom, 3000, 128)));
    same(run_hbm_systemc(hbm3e4, traffic(HbmPattern::kCopy, 3000, 256)),
         run_hbm_pattern(hbm3e4, traffic(HbmPattern::kCopy, 3000, 256)));
    CHECK_THROWS_AS(run_hbm_systemc(hbm2, traffic(HbmPattern::kRandom, 10, 48)), std::invalid_argument);
}

TEST_CASE("b_transport: data round trip, closed-form latencies, error responses", "[hbm][systemc]") {
    auto& session = chipdse::sysc::SimSession::instance();
    HbmSc* mem = nullptr;
    LtScript* script = nullptr;
    session.require("test_hbm_lt", [&] {
        mem = new HbmSc("memory");
        script = new LtScript("script");
        script->socket.bind(mem->socket);
    });
    const HbmConfig c = load_hbm_config(kHbm3, {"hbm.timing.refresh=none"});
    mem->configure(c);
    std::vector<unsigned char> pattern(64);
    for (size_t i = 0; i < pattern.size(); ++i) pattern[i] = static_cast<unsigned char>(i * 7 + 1);
    using Op = LtScript::Op;
    script->ops = {
        Op{tlm::TLM_WRITE_COMMAND, 4096, pattern},                        // 0: write miss, 64 B
        Op{tlm::TLM_READ_COMMAND, 4096, std::vector<unsigned char>(64)},  // 1: read hit: the data back
        Op{tlm::TLM_READ_COMMAND, 16384, std::vector<unsigned char>(32)},  // 2: read miss (bank 1 closed)
        Op{tlm::TLM_READ_COMMAND, std::uint64_t{1} << 30, std::vector<unsigned char>(32)},  // 3: past the end
        Op{tlm::TLM_READ_COMMAND, 0, std::vector<unsigned char>(32), true},               // 4: byte enables
        Op{tlm::TLM_READ_COMMAND, 4096 + 16, std::vector<unsigned char>(16)},             // 5: unaligned part
    };
    session.run();
    const auto& ops = script->ops;
    for (size_t i : {0, 1, 2, 5}) CHECK(ops[i].status == tlm::TLM_OK_RESPONSE);
    CHECK(ops[3].status == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    CHECK(ops[4].status == tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    CHECK(ops[1].data == pattern);
    CHECK(std::memcmp(ops[5].data.data(), pattern.data() + 16, 16) == 0);
    const double tck = 0.625e-9;
    // write miss: ACT, WR after tRCDWR, second burst tCCD_L later, CWL + burst
    CHECK((ops[0].end_s - ops[0].start_s) / tck == Approx(15 + 4 + 10 + 2));
    // read hit right after the write: tWTR_L (same bank group) after the last WR, then CL + burst
    CHECK((ops[1].end_s - ops[1].start_s) / tck > 20 + 2);
    // read miss: tRCDRD + CL + burst = 53 cycles
    CHECK((ops[2].end_s - ops[2].start_s) / tck == Approx(31 + 20 + 2));
    // transport_dbg reads the store without timing
    tlm::tlm_generic_payload t;
    std::vector<unsigned char> buf(64);
    t.set_command(tlm::TLM_READ_COMMAND);
    t.set_address(4096);
    t.set_data_ptr(buf.data());
    t.set_data_length(64);
    CHECK(script->socket->transport_dbg(t) == 64);
    CHECK(buf == pattern);
}
