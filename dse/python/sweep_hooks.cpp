// The "python" provider of sweep hooks (dse/sweep/hooks.h): `python: FILE.py:FUNCTION` in a
// sweep file names a function of a Python file, imported once per process. Each call takes
// the GIL only while the user's function runs; the model runs without it.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "dse/config/diagnostics.h"
#include "dse/python/py_internal.h"
#include "dse/python/python_runtime.h"
#include "dse/sweep/point_hash.h"

namespace chipdse::python {
namespace {

namespace fs = std::filesystem;

// User errors go to stderr: the first few distinct ones in full, then one line saying that
// the rest are recorded with their points. The store always has every one.
class ErrorLog {
public:
    void report(std::string text) {
        while (!text.empty() && text.back() == '\n') text.pop_back();
        // one message per kind of error: the same failure at another point is not news
        std::string kind = text;
        if (size_t at = kind.find(" at point {"); at != std::string::npos)
            if (size_t end = kind.find("}\n", at); end != std::string::npos) kind.erase(at, end + 1 - at);
        std::lock_guard<std::mutex> lock(m_mu);
        if (m_seen.size() < 1000 && !m_seen.insert(kind).second) return;
        if (m_printed < kMaxPrinted) {
            std::fprintf(stderr, "chipdse: %s\n%s", text.c_str(),
                         m_printed == 0 ? "chipdse: a point whose function fails is recorded as failed with the "
                                          "error as its reason, and the sweep goes on (the same error at other points "
                                          "is not repeated here)\n"
                                        : "");
            ++m_printed;
        } else if (!m_said_more) {
            std::fprintf(stderr, "chipdse: more errors in python functions: each failed point records its error "
                                 "(infeasible_reason in the store)\n");
            m_said_more = true;
        }
        std::fflush(stderr);
    }

private:
    static constexpr int kMaxPrinted = 3;
    std::mutex m_mu;
    std::set<std::string> m_seen;
    int m_printed = 0;
    bool m_said_more = false;
};

ErrorLog& error_log() {
    static ErrorLog* log = new ErrorLog;  // never destroyed: worker threads may still report at exit
    return *log;
}

// Drops a reference with the GIL held, or leaks it once the interpreter is gone.
void drop(py::object& o) {
    if (!o) return;
    if (started()) {
        py::gil_scoped_acquire gil;
        o = py::object();
    } else {
        o.release();
    }
}

std::string type_name(const py::handle& h) { return py::str(py::type::handle_of(h).attr("__name__")); }

class PyPointFunction : public sweep::PointFunction {
public:
    PyPointFunction(std::string ref, py::object fn) : m_ref(std::move(ref)), m_fn(std::move(fn)) {}
    ~PyPointFunction() override { drop(m_fn); }
    const std::string& ref() const override { return m_ref; }

    sweep::HookValue call(const sweep::HookPoint& p) const override {
        sweep::HookValue out;
        {
            py::gil_scoped_acquire gil;
            py::object handle = py::cast(PointHandle{&p});
            try {
                py::object r = m_fn(handle);
                convert(r, out);
            } catch (py::error_already_set& e) {
                out.ok = false;
                out.error = m_ref + " raised an error at point " + p.describe() + "\n" + error_text(e);
            } catch (const std::exception& e) {
                out.ok = false;
                out.error = m_ref + " failed at point " + p.describe() + ": " + e.what();
            }
            handle.cast<PointHandle&>().point = nullptr;  // a kept Point must not outlive the call
            if (!out.ok && out.error.empty())
                out.error = m_ref + " at point " + p.describe() + ": " + out.text;
        }
        if (!out.ok) error_log().report(out.error);
        return out;
    }

private:
    void convert(const py::object& r, sweep::HookValue& out) const {
        if (r.is_none()) {
            out.text = "returned None; expected a number (or a config value as text)";
            return;
        }
        if (py::isinstance<py::bool_>(r)) {
            out.ok = true;
            out.number = r.cast<bool>() ? 1.0 : 0.0;
            return;
        }
        if (py::isinstance<py::str>(r)) {
            out.ok = true;
            out.is_text = true;
            out.text = r.cast<std::string>();
            return;
        }
        if (py::hasattr(r, "__float__")) {
            out.number = py::float_(r).cast<double>();
            out.ok = true;
            return;
        }
        out.text = "returned " + type_name(r) + "; expected a number (or a config value as text)";
    }

    std::string m_ref;
    mutable py::object m_fn;
};

class PyGenerator : public sweep::CandidateGenerator {
public:
    PyGenerator(std::string ref, py::object fn) : m_ref(std::move(ref)), m_fn(std::move(fn)) {}
    ~PyGenerator() override { drop(m_fn); }
    const std::string& ref() const override { return m_ref; }

    bool run(const sweep::GeneratorContext& ctx, std::string& error) const override {
        py::gil_scoped_acquire gil;
        py::object handle = py::cast(SearchHandle{&ctx});
        bool ok = false;
        try {
            m_fn(handle);
            ok = true;
        } catch (py::error_already_set& e) {
            error = m_ref + " (candidate generator) raised an error\n" + error_text(e);
        } catch (const std::exception& e) {
            error = m_ref + " (candidate generator) failed: " + e.what();
        }
        handle.cast<SearchHandle&>().ctx = nullptr;
        return ok;
    }

private:
    std::string m_ref;
    mutable py::object m_fn;
};

struct Ref {
    std::string file, function;
};

bool split_ref(const std::string& ref, Ref& out, std::string& error) {
    const size_t colon = ref.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == ref.size()) {
        error = "a function is named as FILE.py:FUNCTION";
        return false;
    }
    out.file = ref.substr(0, colon);
    out.function = ref.substr(colon + 1);
    return true;
}

// The file relative to the sweep file's folder, else to the working directory.
std::string resolve_file(const std::string& file, const std::string& dir) {
    std::error_code ec;
    const fs::path p(file);
    if (p.is_absolute()) return fs::is_regular_file(p, ec) ? p.lexically_normal().string() : "";
    const fs::path in_dir = (dir.empty() ? fs::path(".") : fs::path(dir)) / p;
    if (fs::is_regular_file(in_dir, ec)) return fs::absolute(in_dir, ec).lexically_normal().string();
    if (fs::is_regular_file(p, ec)) return fs::absolute(p, ec).lexically_normal().string();
    return "";
}

std::string content_hash(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return sweep::hash_hex(text.str());
}

class Provider : public sweep::HookProvider {
public:
    std::shared_ptr<const sweep::PointFunction> point_function(const std::string& ref, const std::string& dir,
                                                               std::string& error) override {
        py::object fn;
        if (!resolve(ref, dir, fn, error)) return nullptr;
        return std::make_shared<PyPointFunction>(ref, std::move(fn));
    }

    std::shared_ptr<const sweep::CandidateGenerator> generator(const std::string& ref, const std::string& dir,
                                                               std::string& error) override {
        py::object fn;
        if (!resolve(ref, dir, fn, error)) return nullptr;
        return std::make_shared<PyGenerator>(ref, std::move(fn));
    }

    std::string signature(const std::string& ref, const std::string& dir) override {
        Ref r;
        std::string err;
        if (!split_ref(ref, r, err)) return ref;
        return r.function + "@" + content_hash(resolve_file(r.file, dir));
    }

    void release() {
        for (auto& [path, m] : m_modules) m = py::object();
        m_modules.clear();
    }

private:
    // Imports the file (once) and finds the function; the GIL is taken here.
    bool resolve(const std::string& ref, const std::string& dir, py::object& fn, std::string& error) {
        Ref r;
        if (!split_ref(ref, r, error)) return false;
        std::string start_error;
        if (!ensure_started(start_error)) {
            error = "cannot start the embedded Python: " + start_error;
            return false;
        }
        const std::string path = resolve_file(r.file, dir);
        if (path.empty()) {
            error = "python file not found (looked beside the sweep file and in the working directory)";
            return false;
        }
        // a file edited since it was imported is imported again (its rows get new keys too)
        const std::string cache_key = path + "#" + content_hash(path);
        py::gil_scoped_acquire gil;
        try {
            py::module_::import("chipdse");  // registers Point and SearchContext
            py::object mod;
            auto it = m_modules.find(cache_key);
            if (it != m_modules.end()) {
                mod = it->second;
            } else {
                py::module_ sys = py::module_::import("sys");
                py::module_ util = py::module_::import("importlib.util");
                const std::string name = "chipdse_user_" + sweep::hash_hex(path).substr(0, 12);
                const std::string folder = fs::path(path).parent_path().string();
                py::list sys_path = sys.attr("path");
                if (!sys_path.contains(py::str(folder))) sys_path.append(folder);  // its sibling modules import
                py::object spec = util.attr("spec_from_file_location")(name, path);
                mod = util.attr("module_from_spec")(spec);
                sys.attr("modules")[py::str(name)] = mod;
                try {
                    spec.attr("loader").attr("exec_module")(mod);
                } catch (...) {
                    sys.attr("modules").attr("pop")(name, py::none());
                    throw;
                }
                m_modules[cache_key] = mod;
            }
            if (!py::hasattr(mod, r.function.c_str())) {
                std::vector<std::string> names;
                for (auto item : mod.attr("__dict__").cast<py::dict>()) {
                    std::string n = py::str(item.first);
                    if (PyCallable_Check(item.second.ptr()) && n.rfind("__", 0) != 0) names.push_back(n);
                }
                std::string hint = config::closest_match(r.function, names);
                error = r.file + " has no function '" + r.function + "'" +
                        (hint.empty() ? "" : " (did you mean '" + hint + "'?)");
                return false;
            }
            fn = mod.attr(r.function.c_str());
            if (!PyCallable_Check(fn.ptr())) {
                error = r.file + ": '" + r.function + "' is a " + type_name(fn) + ", not a function";
                fn = py::object();
                return false;
            }
            return true;
        } catch (py::error_already_set& e) {
            error = "cannot import " + r.file + "\n" + error_text(e);
            return false;
        }
    }

    std::map<std::string, py::object> m_modules;  // by absolute path and content; touched with the GIL held
};

Provider* g_provider = nullptr;  // never destroyed (see release_hook_objects)

}  // namespace

void install_sweep_hooks() {
    if (!g_provider) g_provider = new Provider;
    sweep::register_hook_provider("python", g_provider);
}

void release_hook_objects() {
    if (g_provider) g_provider->release();
}

}  // namespace chipdse::python
