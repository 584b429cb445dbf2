#include "dse/sweep/front_query.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "dse/config/diagnostics.h"
#include "dse/sweep/pareto.h"

namespace chipdse::sweep {
namespace {

double column_double(sqlite3_stmt* st, int i) {
    return sqlite3_column_type(st, i) == SQLITE_NULL ? std::numeric_limits<double>::quiet_NaN()
                                                     : sqlite3_column_double(st, i);
}
std::string column_text(sqlite3_stmt* st, int i) {
    const unsigned char* t = sqlite3_column_text(st, i);
    return t ? reinterpret_cast<const char*>(t) : "";
}

}  // namespace

bool pareto_front(ResultsStore& store, const FrontQuery& q, FrontResult& out, std::string& error) {
    out = FrontResult{};
    const auto sweeps = store.sweeps();
    const SweepRecord* rec = nullptr;
    if (!q.sweep.empty()) {
        for (const auto& r : sweeps)
            if (r.name == q.sweep) rec = &r;
        if (!rec) {
            std::vector<std::string> names;
            for (const auto& r : sweeps) names.push_back(r.name);
            std::string hint = config::closest_match(q.sweep, names);
            error = "no sweep named '" + q.sweep + "' in " + store.path() +
                    (hint.empty() ? "" : " (did you mean '" + hint + "'?)");
            return false;
        }
    } else if (!sweeps.empty()) {
        rec = &sweeps.back();  // ordered by seq: the last one written
    }
    if (rec && !q.all_sweeps) out.sweep = rec->name;
    out.fidelity = !q.fidelity.empty() ? q.fidelity : rec ? rec->fidelity : "analytical";

    const std::vector<std::string>& obj_text = !q.objectives.empty() ? q.objectives
                                               : rec                  ? rec->objectives
                                                                      : q.objectives;
    const std::vector<std::string>& con_text = !q.constraints.empty() ? q.constraints
                                               : rec                   ? rec->constraints
                                                                       : q.constraints;
    for (const auto& t : obj_text) {
        ObjectiveSpec o;
        if (!parse_objective(t, o, error)) {
            error = "objective \"" + t + "\": " + error + "; expected e.g. \"maximize tokens_per_s\"";
            return false;
        }
        out.objectives.push_back(o);
    }
    for (const auto& t : con_text) {
        ConstraintSpec c;
        if (!parse_constraint(t, c, error)) {
            error = "constraint \"" + t + "\": " + error + "; expected e.g. \"die_area_mm2 <= 858\"";
            return false;
        }
        out.constraints.push_back(c);
    }
    if (out.objectives.empty()) {
        error = "no objectives: the sweep names none; give --objective \"maximize METRIC\" (or minimize)";
        return false;
    }

    // every metric named must be a column
    std::vector<std::string> cols = store.columns();
    std::vector<std::string> metric_cols;
    for (const auto& c : cols) {
        bool fixed = false;
        for (const auto& f : fixed_columns()) fixed = fixed || f == c;
        if (!fixed) metric_cols.push_back(c);
    }
    auto known = [&](const std::string& m) {
        if (std::find(metric_cols.begin(), metric_cols.end(), m) != metric_cols.end()) return true;
        std::string hint = config::closest_match(m, metric_cols);
        error = "unknown metric '" + m + "' in " + store.path() + (hint.empty() ? "" : " (did you mean '" + hint + "'?)");
        return false;
    };
    for (const auto& o : out.objectives)
        if (!known(o.metric())) return false;
    for (const auto& c : out.constraints)
        if (!known(c.metric)) return false;
    if (!known("feasible")) return false;

    // stream: key, objectives..., constraint metrics..., feasible, fidelity (one pass: the rows
    // at other fidelities are only named)
    const bool has_fidelity = store.has_fidelity_column();
    std::string sql = "SELECT key";
    for (const auto& o : out.objectives) sql += ", " + sql_ident(o.metric());
    for (const auto& c : out.constraints) sql += ", " + sql_ident(c.metric);
    // a store written before fidelities were stored: every row is analytical
    sql += std::string(", feasible, ") + (has_fidelity ? "fidelity" : "'analytical'") + " FROM points WHERE valid = 1";
    std::vector<std::string> params;
    if (!out.sweep.empty()) {
        sql += " AND (sweep = ? OR key IN (SELECT key FROM sweep_points WHERE sweep = ?))";
        params.push_back(out.sweep);
        params.push_back(out.sweep);
    }
    ParetoArchive<std::string> archive;
    std::set<std::string> others;
    const int n_obj = static_cast<int>(out.objectives.size()), n_con = static_cast<int>(out.constraints.size());
    store.query(sql, params, [&](sqlite3_stmt* st) {
        const unsigned char* f = sqlite3_column_text(st, 2 + n_obj + n_con);
        if (!f || out.fidelity != reinterpret_cast<const char*>(f)) {
            others.insert(f ? reinterpret_cast<const char*>(f) : "");
            return;
        }
        ++out.rows;
        if (!(column_double(st, 1 + n_obj + n_con) == 1.0)) return;
        for (int k = 0; k < n_con; ++k)
            if (!out.constraints[static_cast<size_t>(k)].satisfied(column_double(st, 1 + n_obj + k))) return;
        ++out.eligible;
        std::vector<double> cost;
        for (int k = 0; k < n_obj; ++k)
            cost.push_back(to_cost(column_double(st, 1 + k), out.objectives[static_cast<size_t>(k)].is_max()));
        archive.add(std::move(cost), column_text(st, 0));
    });
    out.other_fidelities.assign(others.begin(), others.end());

    // details of the front's rows
    for (const auto& [cost, key] : archive.members()) {
        FrontPoint p;
        store.query("SELECT * FROM points WHERE key = ?", {key}, [&](sqlite3_stmt* st) {
            const int n = sqlite3_column_count(st);
            for (int i = 0; i < n; ++i) {
                std::string name = sqlite3_column_name(st, i);
                if (name == "key") p.key = column_text(st, i);
                else if (name == "sweep") p.sweep = column_text(st, i);
                else if (name == "axes") p.axes = column_text(st, i);
                else if (name == "map_tp") p.mapping.tp = sqlite3_column_int64(st, i);
                else if (name == "map_pp") p.mapping.pp = sqlite3_column_int64(st, i);
                else if (name == "map_dp") p.mapping.dp = sqlite3_column_int64(st, i);
                else if (name == "map_cp") p.mapping.cp = sqlite3_column_int64(st, i);
                else if (name == "map_ep") p.mapping.ep = sqlite3_column_int64(st, i);
                else if (name == "map_zero") p.mapping.zero = sqlite3_column_int64(st, i);
                else if (name == "map_microbatch") p.mapping.microbatch = sqlite3_column_int64(st, i);
                else if (name == "map_microbatches") p.mapping.microbatches = sqlite3_column_int64(st, i);
                else if (name == "map_virtual_stages") p.mapping.virtual_stages = sqlite3_column_int64(st, i);
                else if (name == "map_recompute") p.mapping.recompute = column_text(st, i);
                else if (name == "map_schedule") p.mapping.schedule = column_text(st, i);
                else if (std::find(metric_cols.begin(), metric_cols.end(), name) != metric_cols.end())
                    p.metrics.emplace_back(name, column_double(st, i));
            }
        });
        for (const auto& o : out.objectives) {
            double v = std::numeric_limits<double>::quiet_NaN();
            for (const auto& [n, x] : p.metrics)
                if (n == o.metric()) v = x;
            p.objective_values.push_back(v);
        }
        out.front.push_back(std::move(p));
    }
    const bool max0 = out.objectives[0].is_max();
    std::sort(out.front.begin(), out.front.end(), [&](const FrontPoint& a, const FrontPoint& b) {
        double ca = to_cost(a.objective_values[0], max0), cb = to_cost(b.objective_values[0], max0);
        if (ca != cb) return ca < cb;
        return a.key < b.key;
    });
    return true;
}

}  // namespace chipdse::sweep
