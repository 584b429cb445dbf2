// The `chipdse` Python module (embedded): designs with units, evaluation, sweeps, results
// stores (rows, numpy arrays, Pareto fronts), and the objects sweep hooks receive (Point,
// SearchContext). Reference: docs/python.md.
#include <pybind11/embed.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <limits>
#include <memory>
#include <optional>
#include <thread>

#include "dse/config/config_loader.h"
#include "dse/model/training_model.h"
#include "dse/python/py_internal.h"
#include "dse/report/roofline.h"
#include "dse/spec/design_loader.h"
#include "dse/spec/spec_schemas.h"
#include "dse/sweep/front_query.h"
#include "dse/sweep/pareto.h"
#include "dse/sweep/results_store.h"
#include "dse/sweep/sweep_loader.h"
#include "dse/sweep/sweep_runner.h"
#include "dse/units/unit_parser.h"

#ifndef CHIPDSE_VERSION
#define CHIPDSE_VERSION "unknown"
#endif

namespace chipdse::python {
namespace {

using config::ConfigNode;

// Exception types of the module (new references kept for the life of the process: a static
// pybind11 object would be released after the interpreter is gone).
PyObject* g_config_error = nullptr;
PyObject* g_store_error = nullptr;

[[noreturn]] void raise_config_error(std::string text) {
    while (!text.empty() && text.back() == '\n') text.pop_back();
    PyErr_SetString(g_config_error, text.c_str());
    throw py::error_already_set();
}

const config::SourceLoc& python_loc() {
    static const config::SourceLoc loc{std::make_shared<const std::string>("<python>"), 0};
    return loc;
}

std::string float_text(double v) {
    return py::repr(py::float_(v)).cast<std::string>();  // shortest text that reads back the same
}

// A Python value as a config node: text, numbers and booleans as scalars, lists and dicts.
ConfigNode from_python(const py::handle& v) {
    if (py::isinstance<py::bool_>(v)) return ConfigNode::scalar(v.cast<bool>() ? "true" : "false", python_loc());
    if (py::isinstance<py::str>(v)) return ConfigNode::scalar(v.cast<std::string>(), python_loc());
    if (py::isinstance<py::int_>(v)) return ConfigNode::scalar(py::str(v).cast<std::string>(), python_loc());
    if (py::isinstance<py::float_>(v) || py::hasattr(v, "__float__"))
        return ConfigNode::scalar(float_text(py::reinterpret_borrow<py::object>(v).cast<double>()), python_loc());
    if (py::isinstance<py::dict>(v)) {
        ConfigNode m = ConfigNode::map(python_loc());
        for (auto item : v.cast<py::dict>()) m.set(py::str(item.first).cast<std::string>(), from_python(item.second));
        return m;
    }
    if (py::isinstance<py::list>(v) || py::isinstance<py::tuple>(v)) {
        ConfigNode l = ConfigNode::list(python_loc());
        for (auto item : v) l.push_back(from_python(item));
        return l;
    }
    throw py::type_error("cannot use a " + py::str(py::type::handle_of(v).attr("__name__")).cast<std::string>() +
                         " as a config value; give text such as \"1.8 GHz\", a number, a list or a dict");
}

// SI value of a text (or a number, as is) in `unit` ("GiB", "TB/s"): SI keeps data in bits,
// so chipdse.convert("16 GiB", "GiB") == 16 while chipdse.si("16 GiB") == 16 * 2**33.
double in_unit(const py::handle& value, const std::string& unit) {
    double si;
    std::optional<chipdse::units::ParsedValue> from;
    if (py::isinstance<py::str>(value)) {
        auto p = chipdse::units::parse_value(value.cast<std::string>());
        if (!p.value) throw py::value_error("\"" + value.cast<std::string>() + "\": " + p.error);
        from = p.value;
        si = p.value->si;
    } else {
        si = py::reinterpret_borrow<py::object>(value).cast<double>();
    }
    if (unit.empty()) return si;
    auto u = chipdse::units::parse_value("1 " + unit);
    if (!u.value || !u.value->has_unit || !(u.value->si > 0)) throw py::value_error("\"" + unit + "\" is not a unit");
    if (from && from->has_unit && !(from->dim == u.value->dim))
        throw py::value_error(py::str(value).cast<std::string>() + " is not in the same kind of unit as " + unit);
    return si / u.value->si;
}

// ---------------------------------------------------------------- designs

struct Design {
    ConfigNode tree = ConfigNode::map(python_loc());  // what was loaded and set (located)
    spec::DesignSpec spec;                            // bound

    // Rebinds `t`; on errors raises ConfigError and keeps the design as it was.
    void rebind(ConfigNode t) {
        config::Diagnostics diag;
        spec::DesignSpec s;
        spec::bind_design(t, s, diag);
        if (!diag.empty()) raise_config_error(diag.format());
        tree = std::move(t);
        spec = std::move(s);
    }
    ConfigNode resolved() const { return spec::design_schema().dump(spec); }
};

void check_path(const std::string& path) {
    config::Diagnostics diag;
    if (!sweep::check_design_path(path, python_loc(), path, diag)) {
        const auto& d = diag.items().front();
        std::string msg = "'" + path + "': " + d.problem + "; expected " + d.expected;
        if (!d.hint.empty()) msg += " (" + d.hint + ")";
        throw py::key_error(msg);
    }
}

void set_value(Design& d, const std::string& path, const py::handle& value) {
    check_path(path);
    ConfigNode t = d.tree;
    config::set_at_path(t, path, from_python(value));
    d.rebind(std::move(t));
}

std::vector<std::string> assignments_of(const py::object& set, std::vector<std::pair<std::string, py::object>>& dict_items) {
    std::vector<std::string> out;
    if (set.is_none()) return out;
    if (py::isinstance<py::dict>(set)) {
        for (auto item : set.cast<py::dict>())
            dict_items.emplace_back(py::str(item.first).cast<std::string>(), py::reinterpret_borrow<py::object>(item.second));
        return out;
    }
    for (auto a : set) out.push_back(py::str(a).cast<std::string>());
    return out;
}

Design load_design(const std::vector<std::string>& files, const py::object& set) {
    std::vector<std::pair<std::string, py::object>> items;
    const std::vector<std::string> assignments = assignments_of(set, items);
    spec::LoadedDesign ld = spec::load_design(files, assignments);
    if (!ld.diag.empty()) raise_config_error(ld.diag.format());
    Design d;
    d.tree = std::move(ld.tree);
    d.spec = std::move(ld.spec);
    if (!items.empty()) {
        ConfigNode t = d.tree;
        for (const auto& [path, value] : items) {
            check_path(path);
            config::set_at_path(t, path, from_python(value));
        }
        d.rebind(std::move(t));
    }
    return d;
}

Design design_from_yaml(const std::string& text, const std::string& label) {
    config::Diagnostics diag;
    ConfigNode t = config::load_config_text(text, label, diag);
    if (!diag.empty()) raise_config_error(diag.format());
    Design d;
    d.rebind(std::move(t));
    return d;
}

// ---------------------------------------------------------------- results

py::dict mapping_dict(const model::Mapping& m) {
    py::dict d;
    d["tp"] = m.tp;
    d["pp"] = m.pp;
    d["dp"] = m.dp;
    d["cp"] = m.cp;
    d["ep"] = m.ep;
    d["zero"] = m.zero;
    d["microbatch"] = m.microbatch;
    d["microbatches"] = m.microbatches;
    d["virtual_stages"] = m.virtual_stages;
    d["recompute"] = m.recompute;
    d["schedule"] = m.schedule;
    return d;
}

struct Result {
    model::EvalResult r;
    std::vector<std::pair<std::string, double>> metrics;
};

Result evaluate_design(const Design& d) {
    spec::LoadedDesign ld;
    ld.tree = d.tree;
    ld.spec = d.spec;
    config::Diagnostics diag;
    spec::require_sections_for_evaluation(ld, diag);
    if (!diag.empty()) raise_config_error(diag.format());
    Result res;
    {
        py::gil_scoped_release nogil;
        res.r = model::evaluate(d.spec);
    }
    res.metrics = res.r.metrics();
    return res;
}

py::dict metrics_dict(const std::vector<std::pair<std::string, double>>& m) {
    py::dict d;
    for (const auto& [name, value] : m) d[py::str(name)] = value;
    return d;
}

py::dict roofline_dict(const report::Roofline& r) {
    py::dict d;
    d["ok"] = r.ok;
    d["error"] = r.error;
    d["precision"] = r.precision;
    d["clock_hz"] = r.clock_hz;
    d["throttled"] = r.throttled;
    d["peak_flops"] = r.peak_flops;
    d["matrix_fraction"] = r.matrix_fraction;
    d["vector_flops"] = r.vector_flops;
    d["hbm_bytes_per_s"] = r.hbm_bytes_per_s;
    d["ridge_intensity"] = r.ridge_intensity;
    d["feasible"] = r.feasible;
    d["infeasible_reason"] = r.infeasible_reason;
    d["mapping"] = mapping_dict(r.mapping);
    py::list ops;
    for (const auto& o : r.ops) {
        py::dict od;
        od["name"] = o.name;
        od["kind"] = o.kind;
        od["flops"] = o.flops;
        od["bytes"] = o.bytes;
        od["intensity"] = o.intensity;
        od["seconds"] = o.seconds;
        od["attained_flops"] = o.attained_flops;
        od["compute_bound"] = o.compute_bound;
        ops.append(od);
    }
    d["ops"] = ops;
    return d;
}

// ---------------------------------------------------------------- results stores

double column_double(sqlite3_stmt* st, int i) {
    return sqlite3_column_type(st, i) == SQLITE_NULL ? std::numeric_limits<double>::quiet_NaN()
                                                     : sqlite3_column_double(st, i);
}
std::string column_text(sqlite3_stmt* st, int i) {
    const unsigned char* t = sqlite3_column_text(st, i);
    return t ? reinterpret_cast<const char*>(t) : "";
}

bool is_fixed(const std::string& c) {
    for (const auto& f : sweep::fixed_columns())
        if (f == c) return true;
    return false;
}

py::object json_loads(const std::string& text) {
    try {
        return py::module_::import("json").attr("loads")(text);
    } catch (py::error_already_set&) {
        return py::dict();
    }
}

class Store {
public:
    explicit Store(const std::string& path) : m_store(std::make_unique<sweep::ResultsStore>(path, sweep::ResultsStore::Mode::kReadOnly)) {
        // a read-only connection reads a store that is being written (WAL)
        int n = 0;
        m_store->query("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'points'", {},
                       [&](sqlite3_stmt* st) { n = sqlite3_column_int(st, 0); });
        if (n == 0) throw sweep::StoreError(path + ": not a chipdse results store (no points table)");
        m_store->query("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sweep_points'", {},
                       [&](sqlite3_stmt* st) { m_has_members = sqlite3_column_int(st, 0) > 0; });
    }

    sweep::ResultsStore& store() {
        if (!m_store) throw sweep::StoreError("the store is closed");
        return *m_store;
    }
    void close() { m_store.reset(); }

    std::vector<std::string> metric_columns() {
        std::vector<std::string> out;
        for (const auto& c : store().columns())
            if (!is_fixed(c)) out.push_back(c);
        return out;
    }

    py::list sweeps() {
        py::list out;
        for (const auto& r : store().sweeps()) {
            py::dict d;
            d["name"] = r.name;
            d["path"] = r.path;
            d["fingerprint"] = r.fingerprint;
            d["spec_yaml"] = r.spec_yaml;
            d["base_config"] = r.base_config;
            d["objectives"] = r.objectives;
            d["constraints"] = r.constraints;
            d["fidelity"] = r.fidelity;
            out.append(d);
        }
        return out;
    }

    // WHERE clause and parameters for a sweep's rows and filters. A sweep's rows are those at its
    // fidelity unless `fidelity` names another (refined rows share the sweep of the row they refine).
    std::string where(const std::string& sweep, bool valid_only, bool feasible_only, const std::string& fidelity,
                      std::vector<std::string>& params) {
        std::vector<std::string> cond;
        std::string at = fidelity;
        if (!sweep.empty()) {
            bool known = false;
            for (const auto& r : store().sweeps())
                if (r.name == sweep) {
                    known = true;
                    if (at.empty()) at = r.fidelity;
                }
            if (!known) throw py::value_error("no sweep named '" + sweep + "' in " + store().path());
            if (m_has_members) {
                cond.push_back("(sweep = ? OR key IN (SELECT key FROM sweep_points WHERE sweep = ?))");
                params.push_back(sweep);
                params.push_back(sweep);
            } else {
                cond.push_back("sweep = ?");
                params.push_back(sweep);
            }
        }
        if (!at.empty()) {
            // a store written before fidelities were stored holds analytical rows only
            cond.push_back(store().has_fidelity_column() ? "fidelity = ?" : "? = 'analytical'");
            params.push_back(at);
        }
        if (valid_only || feasible_only) cond.push_back("valid = 1");
        if (feasible_only) {
            bool has = false;
            for (const auto& c : store().columns()) has = has || c == "feasible";
            cond.push_back(has ? "feasible = 1" : "0");
        }
        std::string w;
        for (size_t i = 0; i < cond.size(); ++i) w += (i ? " AND " : " WHERE ") + cond[i];
        return w;
    }

    py::list rows(const std::string& sweep, bool valid_only, bool feasible_only, bool with_config, std::int64_t limit,
                  const std::string& fidelity) {
        std::vector<std::string> params;
        std::string sql =
            "SELECT * FROM points" + where(sweep, valid_only, feasible_only, fidelity, params) + " ORDER BY rowid";
        if (limit >= 0) sql += " LIMIT " + std::to_string(limit);
        py::list out;
        store().query(sql, params, [&](sqlite3_stmt* st) {
            py::dict row, metrics, mapping;
            const int n = sqlite3_column_count(st);
            bool valid = false;
            row["fidelity"] = "analytical";  // a store written before the column existed
            for (int i = 0; i < n; ++i) {
                const std::string name = sqlite3_column_name(st, i);
                if (name == "key" || name == "sweep" || name == "fidelity") row[py::str(name)] = column_text(st, i);
                else if (name == "axes") row["axes"] = json_loads(column_text(st, i));
                else if (name == "valid") valid = sqlite3_column_int64(st, i) != 0;
                else if (name == "infeasible_reason") row["reason"] = column_text(st, i);
                else if (name == "config") {
                    if (with_config) row["config"] = column_text(st, i);
                } else if (name.rfind("map_", 0) == 0) {
                    if (sqlite3_column_type(st, i) == SQLITE_NULL) mapping[py::str(name.substr(4))] = py::none();
                    else if (sqlite3_column_type(st, i) == SQLITE_INTEGER) mapping[py::str(name.substr(4))] = sqlite3_column_int64(st, i);
                    else mapping[py::str(name.substr(4))] = column_text(st, i);
                } else {
                    metrics[py::str(name)] = column_double(st, i);
                }
            }
            row["valid"] = valid;
            row["feasible"] = valid && metrics.contains("feasible") && metrics["feasible"].cast<double>() == 1.0;
            row["mapping"] = mapping;
            row["metrics"] = metrics;
            out.append(row);
        });
        return out;
    }

    // Columns (metrics, or axis/derived paths read in SI) as float64 arrays.
    py::dict arrays(const py::object& columns, const std::string& sweep, bool feasible_only,
                    const std::string& fidelity) {
        std::vector<std::string> metric_cols = metric_columns();
        std::vector<std::string> wanted;
        if (columns.is_none()) wanted = metric_cols;
        else
            for (auto c : columns) wanted.push_back(py::str(c).cast<std::string>());
        std::vector<int> slot(wanted.size(), -1);  // index in metric_cols, or -1: an axis path
        for (size_t i = 0; i < wanted.size(); ++i)
            for (size_t j = 0; j < metric_cols.size(); ++j)
                if (metric_cols[j] == wanted[i]) slot[i] = static_cast<int>(j);
        std::string sql = "SELECT axes";
        for (const auto& m : metric_cols) sql += ", " + sweep::sql_ident(m);
        std::vector<std::string> params;
        sql += " FROM points" + where(sweep, false, feasible_only, fidelity, params) + " ORDER BY rowid";
        std::vector<std::vector<double>> data(wanted.size());
        std::vector<bool> axis_seen(wanted.size(), false);
        store().query(sql, params, [&](sqlite3_stmt* st) {
            py::object axes;
            for (size_t i = 0; i < wanted.size(); ++i) {
                if (slot[i] >= 0) {
                    data[i].push_back(column_double(st, 1 + slot[i]));
                    continue;
                }
                if (!axes) axes = json_loads(column_text(st, 0));
                double v = std::numeric_limits<double>::quiet_NaN();
                py::dict a = axes.cast<py::dict>();
                if (a.contains(py::str(wanted[i]))) {
                    axis_seen[i] = true;
                    auto p = units::parse_value(a[py::str(wanted[i])].cast<std::string>());
                    if (p.value) v = p.value->si;
                }
                data[i].push_back(v);
            }
        });
        py::dict out;
        for (size_t i = 0; i < wanted.size(); ++i) {
            if (slot[i] < 0 && !axis_seen[i] && !data[i].empty())
                throw py::key_error("no metric or axis '" + wanted[i] + "' in " + store().path());
            py::array_t<double> a(static_cast<py::ssize_t>(data[i].size()));
            std::copy(data[i].begin(), data[i].end(), a.mutable_data());
            out[py::str(wanted[i])] = a;
        }
        return out;
    }

    py::array_t<double> array(const std::vector<std::string>& columns, const std::string& sweep, bool feasible_only,
                              const std::string& fidelity) {
        py::list cols;
        for (const auto& c : columns) cols.append(c);
        py::dict by_name = arrays(cols, sweep, feasible_only, fidelity);
        py::ssize_t n = 0;
        if (!columns.empty()) n = by_name[py::str(columns.front())].cast<py::array_t<double>>().size();
        py::array_t<double> out({n, static_cast<py::ssize_t>(columns.size())});
        auto w = out.mutable_unchecked<2>();
        for (size_t c = 0; c < columns.size(); ++c) {
            auto col = by_name[py::str(columns[c])].cast<py::array_t<double>>().unchecked<1>();
            for (py::ssize_t r = 0; r < n; ++r) w(r, static_cast<py::ssize_t>(c)) = col(r);
        }
        return out;
    }

    py::dict front(const std::string& sweep, const std::vector<std::string>& objectives,
                   const std::vector<std::string>& constraints, bool all, const std::string& fidelity) {
        sweep::FrontQuery q;
        q.sweep = sweep;
        q.fidelity = fidelity;
        q.all_sweeps = all;
        q.objectives = objectives;
        q.constraints = constraints;
        sweep::FrontResult res;
        std::string error;
        if (!sweep::pareto_front(store(), q, res, error)) throw py::value_error(error);
        py::dict out;
        out["sweep"] = res.sweep;
        out["fidelity"] = res.fidelity;
        out["other_fidelities"] = res.other_fidelities;
        py::list objs;
        for (const auto& o : res.objectives) {
            py::dict d;
            d["metric"] = o.metric();
            d["goal"] = o.is_max() ? "maximize" : "minimize";
            objs.append(d);
        }
        out["objectives"] = objs;
        py::list cons;
        for (const auto& c : res.constraints) cons.append(c.text);
        out["constraints"] = cons;
        out["rows"] = res.rows;
        out["eligible"] = res.eligible;
        py::list pts;
        for (const auto& p : res.front) {
            py::dict d;
            d["key"] = p.key;
            d["sweep"] = p.sweep;
            d["axes"] = json_loads(p.axes);
            py::dict ov;
            for (size_t k = 0; k < res.objectives.size(); ++k) ov[py::str(res.objectives[k].metric())] = p.objective_values[k];
            d["objectives"] = ov;
            d["mapping"] = mapping_dict(p.mapping);
            d["metrics"] = metrics_dict(p.metrics);
            pts.append(d);
        }
        out["front"] = pts;
        return out;
    }

    // The design of a stored row: the sweep's base with the row's config over it (a full
    // config replaces everything; store_config: delta holds only the differences).
    Design design(const std::string& key) {
        std::string sweep_name, config_text;
        bool found = false;
        store().query("SELECT sweep, config FROM points WHERE key = ?", {key}, [&](sqlite3_stmt* st) {
            sweep_name = column_text(st, 0);
            config_text = column_text(st, 1);
            found = true;
        });
        if (!found) throw py::key_error("no row with key " + key + " in " + store().path());
        config::Diagnostics diag;
        ConfigNode tree = ConfigNode::map(python_loc());
        for (const auto& r : store().sweeps())
            if (r.name == sweep_name && !r.base_config.empty())
                tree = config::load_config_text(r.base_config, "base of sweep " + sweep_name, diag);
        config::merge_into(tree, config::load_config_text(config_text, "row " + key.substr(0, 12), diag));
        if (!diag.empty()) raise_config_error(diag.format());
        Design d;
        d.rebind(std::move(tree));
        return d;
    }

    py::list query(const std::string& sql, const std::vector<std::string>& params) {
        py::list out;
        store().query(sql, params, [&](sqlite3_stmt* st) {
            const int n = sqlite3_column_count(st);
            py::tuple t(n);
            for (int i = 0; i < n; ++i) {
                switch (sqlite3_column_type(st, i)) {
                    case SQLITE_NULL: t[i] = py::none(); break;
                    case SQLITE_INTEGER: t[i] = py::int_(sqlite3_column_int64(st, i)); break;
                    case SQLITE_FLOAT: t[i] = py::float_(sqlite3_column_double(st, i)); break;
                    default: t[i] = py::str(column_text(st, i)); break;
                }
            }
            out.append(t);
        });
        return out;
    }

private:
    std::unique_ptr<sweep::ResultsStore> m_store;
    bool m_has_members = false;
};

// ---------------------------------------------------------------- sweeps

struct Sweep {
    std::shared_ptr<sweep::LoadedSweep> loaded;
};

Sweep load_sweep_file(const std::string& path) {
    Sweep s;
    s.loaded = std::make_shared<sweep::LoadedSweep>();
    config::Diagnostics diag;
    if (!sweep::load_sweep(path, *s.loaded, diag)) raise_config_error(diag.format());
    return s;
}

py::list dims_list(const sweep::DesignSpace& space) {
    py::list out;
    for (const auto& d : space.dims) {
        py::dict dd;
        py::list paths, values;
        for (const auto& a : d.axes) {
            paths.append(a.path);
            py::list v;
            for (const auto& l : a.levels) v.append(l.text());
            values.append(v);
        }
        dd["paths"] = paths;
        dd["values"] = values.size() == 1 ? py::object(values[0]) : py::object(values);
        dd["size"] = d.size();
        out.append(dd);
    }
    return out;
}

std::atomic<bool> g_stop{false};
extern "C" void on_sigint(int) { g_stop.store(true); }

py::dict run_sweep(const Sweep& s, const std::string& db, unsigned jobs, bool progress) {
    sweep::RunOptions ro;
    ro.jobs = jobs ? jobs : std::max(1u, std::thread::hardware_concurrency());
    ro.progress = progress ? sweep::RunOptions::ProgressStyle::kLines : sweep::RunOptions::ProgressStyle::kNone;
    ro.progress_interval_s = 2;
    ro.stop = &g_stop;
    g_stop.store(false);
    sweep::RunStats st;
    {
        // Ctrl-C stops the sweep (the rows so far are kept), then raises KeyboardInterrupt
        auto previous = std::signal(SIGINT, on_sigint);
        py::gil_scoped_release nogil;  // worker threads take the GIL for the sweep's python functions
        try {
            st = sweep::run_sweep(*s.loaded, db, ro);
        } catch (...) {
            std::signal(SIGINT, previous);
            throw;
        }
        std::signal(SIGINT, previous);
    }
    if (st.interrupted) {
        PyErr_SetNone(PyExc_KeyboardInterrupt);
        throw py::error_already_set();
    }
    py::dict out;
    out["planned"] = st.planned;
    out["done"] = st.done;
    out["evaluated"] = st.evaluated;
    out["found"] = st.found;
    out["inserted"] = st.inserted;
    out["invalid"] = st.invalid;
    out["infeasible"] = st.infeasible;
    out["seconds"] = st.seconds;
    out["db"] = db;
    return out;
}

// ---------------------------------------------------------------- Point (sweep hooks)

const sweep::HookPoint& live(const PointHandle& h) {
    if (!h.point) throw std::runtime_error("a Point is valid only during the call it was passed to; copy what you need");
    return *h.point;
}

std::optional<double> metric_of(const sweep::HookPoint& p, const std::string& name) {
    if (!p.metrics) return std::nullopt;
    for (const auto& [n, v] : *p.metrics)
        if (n == name) return v;
    return std::nullopt;
}

py::object point_get(const PointHandle& h, const std::string& name, bool raise, const py::object& dflt) {
    const sweep::HookPoint& p = live(h);
    if (auto m = metric_of(p, name)) return py::float_(*m);
    if (const ConfigNode* n = p.value(name)) {
        if (n->is_scalar()) return scalar_value(n->text());
        return to_python(*n);
    }
    if (!raise) return dflt;
    std::vector<std::string> names;
    if (p.metrics)
        for (const auto& [n, v] : *p.metrics) names.push_back(n);
    if (p.value_paths) names.insert(names.end(), p.value_paths->begin(), p.value_paths->end());
    std::string hint = config::closest_match(name, names);
    if (hint.empty() && name.find('.') != std::string::npos) {  // a config path: the schema knows its neighbours
        config::Diagnostics diag;
        if (!sweep::check_design_path(name, python_loc(), name, diag)) {
            const std::string& h = diag.items().front().hint;
            if (h.rfind("did you mean '", 0) == 0) hint = h.substr(14, h.size() - 16);
        }
    }
    throw py::key_error("'" + name + "': neither a metric nor a config path of this point" +
                        (p.metrics ? std::string() : std::string(" (metrics exist only after evaluation)")) +
                        (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
}

// ---------------------------------------------------------------- SearchContext (generators)

const sweep::GeneratorContext& live(const SearchHandle& h) {
    if (!h.ctx) throw std::runtime_error("a SearchContext is valid only while its generator runs");
    return *h.ctx;
}

// A candidate as level indices: a list of indices, or a dict {axis path: value} (text with its
// unit, or a number as written in the sweep file).
sweep::Levels to_levels(const sweep::DesignSpace& space, const py::handle& c) {
    const size_t nd = space.dims.size();
    sweep::Levels l(nd, 0);
    if (py::isinstance<py::dict>(c)) {
        std::vector<bool> given(nd, false);
        for (auto item : c.cast<py::dict>()) {
            const std::string path = py::str(item.first).cast<std::string>();
            bool matched = false;
            for (size_t d = 0; d < nd && !matched; ++d)
                for (const auto& ax : space.dims[d].axes) {
                    if (ax.path != path) continue;
                    matched = true;
                    given[d] = true;
                    // a value: the level with the same text, or the same SI value
                    const std::string text = py::str(item.second).cast<std::string>();
                    auto want = units::parse_value(text);
                    bool found = false;
                    for (std::uint32_t k = 0; k < ax.levels.size() && !found; ++k) {
                        auto have = units::parse_value(ax.levels[k].text());
                        if (ax.levels[k].text() == text ||
                            (want.value && have.value && std::fabs(want.value->si - have.value->si) <=
                                                             1e-9 * std::fabs(have.value->si))) {
                            l[d] = k;
                            found = true;
                        }
                    }
                    if (!found) throw py::value_error("'" + text + "' is not a value of axis " + path);
                    break;
                }
            if (!matched) throw py::key_error("'" + path + "' is not an axis of this sweep");
        }
        for (size_t d = 0; d < nd; ++d)
            if (!given[d]) throw py::key_error("the candidate gives no value for axis " + space.dims[d].axes.front().path);
    } else {
        std::vector<std::int64_t> v = c.cast<std::vector<std::int64_t>>();
        if (v.size() != nd)
            throw py::value_error("a candidate has one level index per dimension (" + std::to_string(nd) + "), got " +
                                  std::to_string(v.size()));
        for (size_t d = 0; d < nd; ++d) {
            if (v[d] < 0) throw py::value_error("level indices are >= 0");
            l[d] = static_cast<std::uint32_t>(v[d]);
        }
    }
    for (size_t d = 0; d < nd; ++d)
        if (l[d] >= space.dims[d].size())
            throw py::index_error("level " + std::to_string(l[d]) + " of axis " + space.dims[d].axes.front().path +
                                  " is out of range (" + std::to_string(space.dims[d].size()) + " values)");
    return l;
}

bool meets(const sweep::SweepSpec& spec, const sweep::CandidateOutcome& o) {
    if (!o.feasible) return false;
    for (const auto& c : spec.constraints) {
        double v = std::numeric_limits<double>::quiet_NaN();
        for (const auto& [n, x] : o.metrics)
            if (n == c.metric) v = x;
        if (!c.satisfied(v)) return false;
    }
    return true;
}

py::dict outcome_dict(const sweep::GeneratorContext& ctx, const sweep::CandidateOutcome& o) {
    py::dict d;
    d["levels"] = o.levels;
    d["key"] = o.key;
    d["valid"] = o.valid;
    d["feasible"] = o.feasible;
    d["ok"] = meets(*ctx.spec, o);
    d["reason"] = o.reason;
    py::dict values;
    py::object axes = json_loads(o.axes);
    for (auto item : axes.cast<py::dict>()) values[item.first] = scalar_value(py::str(item.second).cast<std::string>());
    d["values"] = values;
    d["metrics"] = metrics_dict(o.metrics);
    py::list objs;
    for (const auto& ob : ctx.spec->objectives) {
        double v = std::numeric_limits<double>::quiet_NaN();
        for (const auto& [n, x] : o.metrics)
            if (n == ob.metric()) v = x;
        objs.append(v);
    }
    d["objectives"] = objs;
    return d;
}

py::list search_evaluate(const SearchHandle& h, const py::iterable& candidates) {
    const sweep::GeneratorContext& ctx = live(h);
    std::vector<sweep::Levels> batch;
    for (auto c : candidates) batch.push_back(to_levels(*ctx.space, c));
    std::vector<sweep::CandidateOutcome> outcomes;
    bool ok;
    {
        py::gil_scoped_release nogil;  // the sweep's threads evaluate (and take the GIL for hooks)
        ok = ctx.evaluate(batch, outcomes);
    }
    if (!ok) {
        PyErr_SetNone(PyExc_KeyboardInterrupt);
        throw py::error_already_set();
    }
    py::list out;
    for (const auto& o : outcomes) out.append(outcome_dict(ctx, o));
    return out;
}

// The non-dominated results among those that meet the constraints (the sweep's objectives).
py::list search_front(const SearchHandle& h, const py::list& results) {
    const sweep::GeneratorContext& ctx = live(h);
    const auto& objs = ctx.spec->objectives;
    if (objs.empty()) throw py::value_error("the sweep has no objectives: no front");
    sweep::ParetoArchive<size_t> archive;
    for (size_t i = 0; i < results.size(); ++i) {
        py::dict r = results[i].cast<py::dict>();
        if (!r["ok"].cast<bool>()) continue;
        py::list ov = r["objectives"];
        std::vector<double> cost;
        for (size_t k = 0; k < objs.size(); ++k) cost.push_back(sweep::to_cost(ov[k].cast<double>(), objs[k].is_max()));
        archive.add(std::move(cost), i);
    }
    std::vector<size_t> idx;
    for (const auto& [cost, i] : archive.members()) idx.push_back(i);
    std::sort(idx.begin(), idx.end());
    py::list out;
    for (size_t i : idx) out.append(results[i]);
    return out;
}

}  // namespace

py::object scalar_value(const std::string& text) {
    auto p = units::parse_value(text);
    if (p.value) return py::float_(p.value->si);
    return py::str(text);
}

py::object to_python(const ConfigNode& n) {
    switch (n.kind()) {
        case ConfigNode::Kind::kNull: return py::none();
        case ConfigNode::Kind::kScalar: return py::str(n.text());
        case ConfigNode::Kind::kMap: {
            py::dict d;
            for (const auto& [k, v] : n.entries()) d[py::str(k)] = to_python(v);
            return d;
        }
        case ConfigNode::Kind::kList: {
            py::list l;
            for (const auto& v : n.items()) l.append(to_python(v));
            return l;
        }
    }
    return py::none();
}

void link_chipdse_module() {}

}  // namespace chipdse::python

PYBIND11_EMBEDDED_MODULE(chipdse, m) {
    using namespace chipdse::python;
    namespace sweep = chipdse::sweep;
    namespace config = chipdse::config;
    m.doc() = "chipdse: design-space exploration of chips and systems that train LLMs (docs/python.md)";
    m.attr("__version__") = CHIPDSE_VERSION;
    m.attr("version") = CHIPDSE_VERSION;

    g_config_error = PyErr_NewException("chipdse.ConfigError", PyExc_ValueError, nullptr);
    g_store_error = PyErr_NewException("chipdse.StoreError", PyExc_RuntimeError, nullptr);
    m.attr("ConfigError") = py::handle(g_config_error);
    m.attr("StoreError") = py::handle(g_store_error);
    Py_INCREF(g_config_error);
    Py_INCREF(g_store_error);
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const sweep::StoreError& e) {
            PyErr_SetString(g_store_error, e.what());
        } catch (const config::InputError& e) {
            PyErr_SetString(g_config_error, e.what());
        }
    });

    m.def("metric_names", [] { return sweep::known_metric_names(); },
          "Names of the metrics the model computes (stable; SI units in the suffix).");

    m.def("si",
          [](const std::string& text) {
              auto p = chipdse::units::parse_value(text);
              if (!p.value) throw py::value_error("\"" + text + "\": " + p.error);
              return p.value->si;
          },
          py::arg("text"), "A value with its unit in SI units: si('1.8 GHz') == 1.8e9; plain numbers as they are.");

    m.def("convert", &in_unit, py::arg("value"), py::arg("unit"),
          "A value in a unit: convert('3.35 TB/s', 'GB/s') == 3350; a number is taken as SI (data in bits).");

    m.def("parse_yaml",
          [](const std::string& text) {
              config::Diagnostics diag;
              auto n = config::load_config_text(text, "<python>", diag);
              if (!diag.empty()) raise_config_error(diag.format());
              return to_python(n);
          },
          py::arg("text"), "YAML text as dicts, lists and strings (config values stay text).");

    // ---- designs
    py::class_<Design>(m, "Design", "A design point: chip, system, workload; values carry units.")
        .def_static("from_yaml", &design_from_yaml, py::arg("text"), py::arg("label") = "<python>",
                    "A design from YAML text (includes are not followed).")
        .def("__getitem__",
             [](const Design& d, const std::string& path) -> py::object {
                 check_path(path);
                 if (const ConfigNode* n = d.tree.at_path(path)) return n->is_scalar() ? py::str(n->text()) : to_python(*n);
                 const ConfigNode r = d.resolved();
                 if (const ConfigNode* n = r.at_path(path)) return n->is_scalar() ? py::str(n->text()) : to_python(*n);
                 throw py::key_error("'" + path + "' is not set in this design and has no default");
             },
             "The value at a config path as written (e.g. '1.83 GHz'); sections as dicts.")
        .def("__setitem__", [](Design& d, const std::string& path, const py::object& v) { set_value(d, path, v); },
             "Sets a value (text with its unit, a number for counts); raises ConfigError if invalid.")
        .def("set",
             [](Design& d, const std::string& path, const py::object& v) -> Design& {
                 set_value(d, path, v);
                 return d;
             },
             py::arg("path"), py::arg("value"), py::return_value_policy::reference_internal,
             "Sets a value and returns the design (chainable).")
        .def("update",
             [](Design& d, const py::dict& values) -> Design& {
                 ConfigNode t = d.tree;
                 for (auto item : values) {
                     const std::string path = py::str(item.first).cast<std::string>();
                     check_path(path);
                     config::set_at_path(t, path, from_python(item.second));
                 }
                 d.rebind(std::move(t));
                 return d;
             },
             py::arg("values"), py::return_value_policy::reference_internal,
             "Sets several values at once (checked together).")
        .def("value",
             [](const Design& d, const std::string& path, const std::string& unit) {
                 check_path(path);
                 const ConfigNode r = d.resolved();
                 const ConfigNode* n = r.at_path(path);
                 if (!n || !n->is_scalar()) throw py::key_error("'" + path + "' is not a value of this design");
                 auto p = chipdse::units::parse_value(n->text());
                 if (!p.value) throw py::value_error("'" + path + "' is \"" + n->text() + "\", not a number");
                 return in_unit(py::str(n->text()), unit);
             },
             py::arg("path"), py::arg("unit") = "",
             "The value at a path as a number: in SI units (1.83e9 for '1.83 GHz'; data in bits), or in `unit`.")
        .def("copy", [](const Design& d) { return d; })
        .def("__copy__", [](const Design& d) { return d; })
        .def("__deepcopy__", [](const Design& d, py::dict) { return d; })
        .def("yaml", [](const Design& d) { return chipdse::spec::resolved_yaml(d.spec); },
             "The resolved design as YAML: every key, defaults filled in.")
        .def("to_dict", [](const Design& d) { return to_python(d.resolved()); }, "The resolved design as dicts.")
        .def("evaluate", &evaluate_design, "Evaluates with the analytical model.")
        .def("roofline", [](const Design& d) { return roofline_dict(chipdse::report::roofline(d.spec)); },
             "The chip's roofline and the ops of one layer on it (see chipdse.roofline).")
        .def("__repr__", [](const Design& d) {
            std::string s = "Design(";
            const ConfigNode r = d.resolved();
            if (const ConfigNode* n = r.at_path("chip.name")) s += "chip=" + n->text();
            if (const ConfigNode* n = r.at_path("system.chips")) s += ", chips=" + n->text();
            if (const ConfigNode* n = r.at_path("model.name")) s += ", model=" + n->text();
            return s + ")";
        });

    m.def("load",
          [](const py::args& files, const py::object& set) {
              std::vector<std::string> f;
              for (auto a : files) f.push_back(py::str(a).cast<std::string>());
              return load_design(f, set);
          },
          py::kw_only(), py::arg("set") = py::none(),
          "Loads config files (later ones override) and applies set={path: value} or ['path=value'].");

    // ---- results
    py::class_<Result>(m, "Result", "The model's outcome for one design: metrics by their stable names.")
        .def_property_readonly("feasible", [](const Result& r) { return r.r.feasible; })
        .def_property_readonly("reason", [](const Result& r) { return r.r.infeasible_reason; })
        .def_property_readonly("mapping", [](const Result& r) { return mapping_dict(r.r.mapping); })
        .def_property_readonly("metrics", [](const Result& r) { return metrics_dict(r.metrics); })
        .def("__getitem__",
             [](const Result& r, const std::string& name) {
                 for (const auto& [n, v] : r.metrics)
                     if (n == name) return v;
                 std::vector<std::string> names;
                 for (const auto& [n, v] : r.metrics) names.push_back(n);
                 std::string hint = config::closest_match(name, names);
                 throw py::key_error("no metric '" + name + "'" + (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
             })
        .def("__contains__",
             [](const Result& r, const std::string& name) {
                 for (const auto& [n, v] : r.metrics)
                     if (n == name) return true;
                 return false;
             })
        .def("keys", [](const Result& r) {
            std::vector<std::string> k;
            for (const auto& [n, v] : r.metrics) k.push_back(n);
            return k;
        })
        .def("to_dict", [](const Result& r) {
            py::dict d = metrics_dict(r.metrics);
            d["feasible"] = r.r.feasible;
            d["infeasible_reason"] = r.r.infeasible_reason;
            d["mapping"] = mapping_dict(r.r.mapping);
            return d;
        })
        .def("__repr__", [](const Result& r) {
            char buf[256];
            if (!r.r.feasible) return "Result(infeasible: " + r.r.infeasible_reason + ")";
            std::snprintf(buf, sizeof buf, "Result(step_time_s=%.4g, tokens_per_s=%.4g, mfu=%.3f, tokens_per_joule=%.4g)",
                          r.r.step_time_s, r.r.tokens_per_s, r.r.mfu, r.r.tokens_per_joule);
            return std::string(buf);
        });

    m.def("evaluate",
          [](const py::object& what, const py::object& set) {
              if (py::isinstance<Design>(what)) {
                  if (set.is_none()) return evaluate_design(what.cast<const Design&>());
                  Design d = what.cast<Design>();
                  std::vector<std::pair<std::string, py::object>> items;
                  std::vector<std::string> a = assignments_of(set, items);
                  for (const auto& s : a) {
                      size_t eq = s.find('=');
                      if (eq == std::string::npos) throw py::value_error("an assignment is path=value; got " + s);
                      items.emplace_back(s.substr(0, eq), py::str(s.substr(eq + 1)));
                  }
                  for (const auto& [p, v] : items) set_value(d, p, v);
                  return evaluate_design(d);
              }
              std::vector<std::string> files;
              if (py::isinstance<py::str>(what)) files.push_back(what.cast<std::string>());
              else
                  for (auto f : what) files.push_back(py::str(f).cast<std::string>());
              return evaluate_design(load_design(files, set));
          },
          py::arg("design"), py::kw_only(), py::arg("set") = py::none(),
          "Evaluates a Design, or config files (a path or a list of paths), with optional overrides.");

    // ---- roofline
    m.def("roofline", [](const Design& d) { return roofline_dict(chipdse::report::roofline(d.spec)); },
          py::arg("design"),
          "The chip's roofline (peak FLOP/s, HBM bytes/s) and the ops of one layer on it, as a dict.");

    // ---- results stores
    py::class_<Store>(m, "Store", "A results store (SQLite), opened read-only.")
        .def(py::init<const std::string&>(), py::arg("path"))
        .def_property_readonly("path", [](Store& s) { return s.store().path(); })
        .def("close", &Store::close)
        .def("__enter__", [](Store& s) -> Store& { return s; }, py::return_value_policy::reference)
        .def("__exit__", [](Store& s, const py::args&) { s.close(); })
        .def("count", [](Store& s) { return s.store().count(); }, "Rows in the store.")
        .def("columns", [](Store& s) { return s.store().columns(); })
        .def("metric_columns", &Store::metric_columns, "Metric columns (the model's and computed ones).")
        .def("sweeps", &Store::sweeps, "The sweeps that wrote to the store, oldest first, with their specs.")
        .def("rows", &Store::rows, py::kw_only(), py::arg("sweep") = "", py::arg("valid_only") = false,
             py::arg("feasible_only") = false, py::arg("with_config") = false, py::arg("limit") = -1,
             py::arg("fidelity") = "",
             "Rows as dicts: key, sweep, fidelity, valid, feasible, reason, axes, mapping, metrics (and config); "
             "a sweep's rows at its fidelity unless fidelity= names one.")
        .def("arrays", &Store::arrays, py::arg("columns") = py::none(), py::kw_only(), py::arg("sweep") = "",
             py::arg("feasible_only") = false, py::arg("fidelity") = "",
             "Columns as numpy float64 arrays (metrics; axis paths read in SI units), by name.")
        .def("array", &Store::array, py::arg("columns"), py::kw_only(), py::arg("sweep") = "",
             py::arg("feasible_only") = false, py::arg("fidelity") = "", "A 2-D numpy array, one column per name given.")
        .def("front", &Store::front, py::kw_only(), py::arg("sweep") = "",
             py::arg("objectives") = std::vector<std::string>{}, py::arg("constraints") = std::vector<std::string>{},
             py::arg("all") = false, py::arg("fidelity") = "",
             "The Pareto front of one fidelity (the sweep's unless fidelity= names one), as `chipdse pareto --json` "
             "prints it.")
        .def("design", &Store::design, py::arg("key"), "The Design of a stored row.")
        .def("query", &Store::query, py::arg("sql"), py::arg("params") = std::vector<std::string>{},
             "Runs SQL on the store (read-only) and returns tuples.");

    // ---- sweeps
    py::class_<Sweep>(m, "Sweep", "A sweep file, loaded and checked.")
        .def(py::init(&load_sweep_file), py::arg("path"))
        .def_property_readonly("name", [](const Sweep& s) { return s.loaded->spec.name; })
        .def_property_readonly("description", [](const Sweep& s) { return s.loaded->spec.description; })
        .def_property_readonly("path", [](const Sweep& s) { return s.loaded->path; })
        .def_property_readonly("dims", [](const Sweep& s) { return dims_list(s.loaded->space); },
                               "The dimensions: paths (zipped axes share one), values, size.")
        .def_property_readonly("grid_size", [](const Sweep& s) { return s.loaded->space.grid_size(); })
        .def_property_readonly("objectives",
                               [](const Sweep& s) {
                                   std::vector<std::string> v;
                                   for (const auto& o : s.loaded->spec.objectives)
                                       v.push_back((o.is_max() ? "maximize " : "minimize ") + o.metric());
                                   return v;
                               })
        .def_property_readonly("constraints",
                               [](const Sweep& s) {
                                   std::vector<std::string> v;
                                   for (const auto& c : s.loaded->spec.constraints)
                                       for (const auto& r : c.rules()) v.push_back(r);
                                   return v;
                               })
        .def("run", &run_sweep, py::arg("db"), py::kw_only(), py::arg("jobs") = 0, py::arg("progress") = false,
             "Runs (or resumes) the sweep into a store; returns counts. Ctrl-C stops it, keeping the rows.");
    m.def(
        "sweep",
        [](const std::string& path, const std::string& db, unsigned jobs, bool progress) {
            return run_sweep(load_sweep_file(path), db, jobs, progress);
        },
        py::arg("path"), py::arg("db"), py::kw_only(), py::arg("jobs") = 0, py::arg("progress") = false,
        "Loads a sweep file and runs it into a store (like `chipdse sweep`).");

    // ---- what sweep hooks receive
    py::class_<PointHandle>(m, "Point",
                            "One design point as a sweep function sees it: p['chip.clock'] (SI), p['tokens_per_s'].")
        .def("__getitem__", [](const PointHandle& h, const std::string& k) { return point_get(h, k, true, py::none()); })
        .def("get", [](const PointHandle& h, const std::string& k, const py::object& d) { return point_get(h, k, false, d); },
             py::arg("name"), py::arg("default") = py::none())
        .def("__contains__",
             [](const PointHandle& h, const std::string& k) {
                 const auto& p = live(h);
                 return metric_of(p, k).has_value() || p.value(k) != nullptr;
             })
        .def("value",
             [](const PointHandle& h, const std::string& path, const std::string& unit) {
                 const ConfigNode* n = live(h).value(path);
                 if (!n || !n->is_scalar()) throw py::key_error("'" + path + "' is not a value of this point");
                 return in_unit(py::str(n->text()), unit);
             },
             py::arg("path"), py::arg("unit") = "", "A config value as a number in `unit` (e.g. 'GiB').")
        .def("text",
             [](const PointHandle& h, const std::string& path) {
                 const ConfigNode* n = live(h).value(path);
                 if (!n || !n->is_scalar()) throw py::key_error("'" + path + "' is not a value of this point");
                 return n->text();
             },
             py::arg("path"), "A config value as written, e.g. '1.8 GHz'.")
        .def_property_readonly("metrics",
                               [](const PointHandle& h) {
                                   const auto& p = live(h);
                                   return p.metrics ? metrics_dict(*p.metrics) : py::dict();
                               })
        .def_property_readonly("values",
                               [](const PointHandle& h) {
                                   const auto& p = live(h);
                                   py::dict d;
                                   if (p.value_paths)
                                       for (const auto& path : *p.value_paths)
                                           if (const ConfigNode* n = p.value(path); n && n->is_scalar())
                                               d[py::str(path)] = scalar_value(n->text());
                                   return d;
                               },
                               "The axis (and derived) values of the point, in SI units.")
        .def_property_readonly("key", [](const PointHandle& h) -> py::object {
            const auto& p = live(h);
            return p.key ? py::object(py::str(*p.key)) : py::object(py::none());
        })
        .def("__repr__", [](const PointHandle& h) {
            return h.point ? "Point(" + h.point->describe() + ")" : std::string("Point(<expired>)");
        });

    py::class_<SearchHandle>(m, "SearchContext", "What a candidate generator (search.python) works with.")
        .def_property_readonly("dims", [](const SearchHandle& h) { return dims_list(*live(h).space); })
        .def_property_readonly("sizes",
                               [](const SearchHandle& h) {
                                   std::vector<std::uint32_t> v;
                                   for (const auto& d : live(h).space->dims) v.push_back(d.size());
                                   return v;
                               })
        .def_property_readonly("paths",
                               [](const SearchHandle& h) {
                                   std::vector<std::string> v;
                                   for (const auto& d : live(h).space->dims) v.push_back(d.axes.front().path);
                                   return v;
                               })
        .def_property_readonly("grid_size", [](const SearchHandle& h) { return live(h).space->grid_size(); })
        .def_property_readonly("samples", [](const SearchHandle& h) { return live(h).samples; })
        .def_property_readonly("seed", [](const SearchHandle& h) { return live(h).seed; })
        .def_property_readonly("objectives",
                               [](const SearchHandle& h) {
                                   py::list l;
                                   for (const auto& o : live(h).spec->objectives)
                                       l.append(py::make_tuple(o.metric(), o.is_max() ? "maximize" : "minimize"));
                                   return l;
                               })
        .def_property_readonly("constraints",
                               [](const SearchHandle& h) {
                                   std::vector<std::string> v;
                                   for (const auto& c : live(h).spec->constraints)
                                       for (const auto& r : c.rules()) v.push_back(r);
                                   return v;
                               })
        .def("evaluate", &search_evaluate, py::arg("candidates"),
             "Evaluates candidates (lists of level indices, or dicts {axis path: value}) on the "
             "sweep's threads; returns one result dict per candidate, in order.")
        .def("front", &search_front, py::arg("results"),
             "The results that meet the constraints and no other such result dominates.");
}
