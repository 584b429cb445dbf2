#include "dse/sweep/point_row.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

namespace chipdse::sweep {
namespace {

void put_u64(std::string& o, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) o.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void put_i64(std::string& o, std::int64_t v) { put_u64(o, static_cast<std::uint64_t>(v)); }
void put_f64(std::string& o, double v) {
    std::uint64_t u = 0;
    std::memcpy(&u, &v, sizeof u);
    put_u64(o, u);
}
void put_str(std::string& o, const std::string& s) {
    put_u64(o, s.size());
    o += s;
}
bool get_u64(const std::string& in, size_t& p, std::uint64_t& v) {
    if (p + 8 > in.size()) return false;
    v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(in[p + static_cast<size_t>(i)]);
    p += 8;
    return true;
}
bool get_i64(const std::string& in, size_t& p, std::int64_t& v) {
    std::uint64_t u = 0;
    if (!get_u64(in, p, u)) return false;
    v = static_cast<std::int64_t>(u);
    return true;
}
bool get_f64(const std::string& in, size_t& p, double& v) {
    std::uint64_t u = 0;
    if (!get_u64(in, p, u)) return false;
    std::memcpy(&v, &u, sizeof v);
    return true;
}
bool get_str(const std::string& in, size_t& p, std::string& s) {
    std::uint64_t n = 0;
    if (!get_u64(in, p, n) || p + n > in.size()) return false;
    s.assign(in, p, n);
    p += n;
    return true;
}

}  // namespace

double PointRow::metric(const std::string& name) const {
    for (const auto& [n, v] : metrics)
        if (n == name) return v;
    return std::numeric_limits<double>::quiet_NaN();
}

void encode(const PointResult& r, std::string& o) {
    put_u64(o, r.index);
    put_str(o, r.key);
    o.push_back(static_cast<char>((r.found ? 1 : 0) | (r.other_sweep ? 2 : 0)));
    if (r.found) return;
    const PointRow& w = r.row;
    put_str(o, w.key);
    put_str(o, w.sweep);
    put_str(o, w.axes);
    put_str(o, w.config);
    put_str(o, w.fidelity);
    o.push_back(w.valid ? 1 : 0);
    put_str(o, w.infeasible_reason);
    const model::Mapping& m = w.mapping;
    for (std::int64_t v : {m.tp, m.pp, m.dp, m.cp, m.ep, m.zero, m.microbatch, m.microbatches, m.virtual_stages})
        put_i64(o, v);
    put_str(o, m.recompute);
    put_str(o, m.schedule);
    put_u64(o, w.metrics.size());
    for (const auto& [n, v] : w.metrics) {
        put_str(o, n);
        put_f64(o, v);
    }
}

bool decode(const std::string& in, size_t& p, PointResult& r) {
    r = PointResult{};
    if (!get_u64(in, p, r.index) || !get_str(in, p, r.key) || p >= in.size()) return false;
    r.found = (in[p] & 1) != 0;
    r.other_sweep = (in[p++] & 2) != 0;
    if (r.found) return true;
    PointRow& w = r.row;
    if (!get_str(in, p, w.key) || !get_str(in, p, w.sweep) || !get_str(in, p, w.axes) || !get_str(in, p, w.config) ||
        !get_str(in, p, w.fidelity) || p >= in.size())
        return false;
    w.valid = in[p++] != 0;
    if (!get_str(in, p, w.infeasible_reason)) return false;
    model::Mapping& m = w.mapping;
    for (std::int64_t* v : {&m.tp, &m.pp, &m.dp, &m.cp, &m.ep, &m.zero, &m.microbatch, &m.microbatches, &m.virtual_stages})
        if (!get_i64(in, p, *v)) return false;
    if (!get_str(in, p, m.recompute) || !get_str(in, p, m.schedule)) return false;
    std::uint64_t n = 0;
    if (!get_u64(in, p, n)) return false;
    w.metrics.resize(n);
    for (auto& [name, v] : w.metrics)
        if (!get_str(in, p, name) || !get_f64(in, p, v)) return false;
    return true;
}

std::string json_quote(const std::string& s) {
    std::string o = "\"";
    for (char c : s) {
        switch (c) {
            case '"': o += "\\\""; break;
            case '\\': o += "\\\\"; break;
            case '\n': o += "\\n"; break;
            case '\r': o += "\\r"; break;
            case '\t': o += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    o += buf;
                } else {
                    o += c;
                }
        }
    }
    return o + "\"";
}

}  // namespace chipdse::sweep
