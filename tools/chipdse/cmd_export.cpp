// `chipdse export --db results.sqlite --csv|--json [-o FILE]`: every row of the store, streamed.
#include <sqlite3.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.h"
#include "dse/sweep/results_store.h"
#include "sweep_commands.h"

namespace chipdse::cli {
namespace {

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string o = "\"";
    for (char c : s) o += c == '"' ? std::string("\"\"") : std::string(1, c);
    return o + "\"";
}

std::string real_text(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

}  // namespace

int run_export(const ExportOptions& opt) {
    if (opt.csv == opt.json) {
        std::fprintf(stderr, "export: choose one format; expected --csv or --json\n");
        return kExitBadInput;
    }
    std::FILE* out = stdout;
    try {
        sweep::ResultsStore store(opt.db, sweep::ResultsStore::Mode::kReadOnly);
        std::vector<std::string> cols;
        for (const auto& c : store.columns())
            if (c != "config" || opt.with_config) cols.push_back(c);
        std::string sql = "SELECT ";
        for (size_t i = 0; i < cols.size(); ++i) sql += (i ? ", " : "") + sweep::sql_ident(cols[i]);
        sql += " FROM points";
        std::vector<std::string> where, params;
        if (opt.feasible_only) where.push_back("valid = 1 AND feasible = 1");
        if (!opt.sweep.empty()) {
            where.push_back("(sweep = ? OR key IN (SELECT key FROM sweep_points WHERE sweep = ?))");
            params.push_back(opt.sweep);
            params.push_back(opt.sweep);
        }
        if (!opt.fidelity.empty()) {
            // a store written before fidelities were stored holds analytical rows only
            where.push_back(store.has_fidelity_column() ? "fidelity = ?" : "? = 'analytical'");
            params.push_back(opt.fidelity);
        }
        for (size_t i = 0; i < where.size(); ++i) sql += (i ? " AND " : " WHERE ") + where[i];
        sql += " ORDER BY key";

        if (opt.output != "-") {
            out = std::fopen(opt.output.c_str(), "w");
            if (!out) {
                std::fprintf(stderr, "export: %s: cannot write the file\n", opt.output.c_str());
                return kExitFailure;
            }
        }
        std::uint64_t n = 0;
        if (opt.csv) {
            std::string h;
            for (size_t i = 0; i < cols.size(); ++i) h += (i ? "," : "") + csv_field(cols[i]);
            std::fprintf(out, "%s\n", h.c_str());
        } else {
            std::fputs("[", out);
        }
        store.query(sql, params, [&](sqlite3_stmt* st) {
            if (opt.csv) {
                std::string line;
                for (int i = 0; i < static_cast<int>(cols.size()); ++i) {
                    if (i) line += ",";
                    switch (sqlite3_column_type(st, i)) {
                        case SQLITE_NULL: break;
                        case SQLITE_INTEGER: line += std::to_string(sqlite3_column_int64(st, i)); break;
                        case SQLITE_FLOAT: line += real_text(sqlite3_column_double(st, i)); break;
                        default: line += csv_field(reinterpret_cast<const char*>(sqlite3_column_text(st, i)));
                    }
                }
                std::fprintf(out, "%s\n", line.c_str());
            } else {
                nlohmann::ordered_json o;
                for (int i = 0; i < static_cast<int>(cols.size()); ++i) {
                    const std::string& c = cols[static_cast<size_t>(i)];
                    switch (sqlite3_column_type(st, i)) {
                        case SQLITE_NULL: o[c] = nullptr; break;
                        case SQLITE_INTEGER: o[c] = sqlite3_column_int64(st, i); break;
                        case SQLITE_FLOAT: o[c] = sqlite3_column_double(st, i); break;
                        default: {
                            std::string t = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
                            if (c == "axes") {
                                try {
                                    o[c] = nlohmann::ordered_json::parse(t);
                                    break;
                                } catch (const std::exception&) {
                                }
                            }
                            o[c] = t;
                        }
                    }
                }
                std::fprintf(out, "%s\n  %s", n ? "," : "", o.dump().c_str());
            }
            ++n;
        });
        if (opt.json) std::fputs(n ? "\n]\n" : "]\n", out);
        if (out != stdout) std::fclose(out);
        if (opt.output != "-") std::fprintf(stderr, "export: %llu rows to %s\n", static_cast<unsigned long long>(n), opt.output.c_str());
    } catch (const sweep::StoreError& e) {
        if (out && out != stdout) std::fclose(out);
        std::fprintf(stderr, "export: %s\n", e.what());
        return kExitBadInput;
    }
    return kExitOk;
}

}  // namespace chipdse::cli
