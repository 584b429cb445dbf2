// The embedded interpreter: start, GIL hand-over, scripts, the report generator.
#include <pybind11/embed.h>

#include <cstdio>
#include <filesystem>

#include "dse/python/py_internal.h"
#include "dse/python/python_runtime.h"
#include "dse/report/report_source.h"

#ifndef CHIPDSE_PYTHON_EXECUTABLE
#define CHIPDSE_PYTHON_EXECUTABLE "/usr/bin/python3"
#endif
#ifndef CHIPDSE_VERSION
#define CHIPDSE_VERSION "unknown"
#endif

namespace chipdse::python {
namespace {

struct State {
    bool started = false;
    bool finalized = false;
    PyThreadState* main_thread = nullptr;  // saved while the GIL is released
};
State& state() {
    static State s;
    return s;
}

void flush_std_streams() {
    try {
        py::module_ sys = py::module_::import("sys");
        for (const char* name : {"stdout", "stderr"}) {
            py::object s = sys.attr(name);
            if (!s.is_none()) s.attr("flush")();
        }
    } catch (py::error_already_set&) {
        PyErr_Clear();
    }
}

// Exit status of a script that raised `e` (SystemExit honoured; tracebacks printed).
int exit_status(py::error_already_set& e) {
    if (e.matches(PyExc_SystemExit)) {
        py::object code = e.value().attr("code");
        if (code.is_none()) return 0;
        if (py::isinstance<py::int_>(code)) return code.cast<int>();
        py::print(code, py::arg("file") = py::module_::import("sys").attr("stderr"));
        return 1;
    }
    std::fprintf(stderr, "%s\n", error_text(e).c_str());
    return e.matches(PyExc_KeyboardInterrupt) ? 130 : 1;
}

int run_main(const std::string& source_or_path, bool is_path, const std::vector<std::string>& args) {
    std::string error;
    if (!ensure_started(error)) {
        std::fprintf(stderr, "chipdse py: %s\n", error.c_str());
        return 1;
    }
    int rc = 0;
    {
        py::gil_scoped_acquire gil;
        try {
            py::module_ sys = py::module_::import("sys");
            py::module_ builtins = py::module_::import("builtins");
            const std::string name = is_path ? source_or_path : "-c";
            py::list argv;
            argv.append(name);
            for (const auto& a : args) argv.append(a);
            sys.attr("argv") = argv;
            py::object code;
            py::dict globals;
            globals["__name__"] = "__main__";
            globals["__builtins__"] = builtins;
            if (is_path) {
                py::object text;
                try {
                    py::object f = builtins.attr("open")(source_or_path, "rb");
                    text = f.attr("read")();
                    f.attr("close")();
                } catch (py::error_already_set& e) {
                    std::fprintf(stderr, "chipdse py: cannot read %s: %s\n", source_or_path.c_str(),
                                 py::str(e.value()).cast<std::string>().c_str());
                    return 2;
                }
                namespace fs = std::filesystem;
                std::error_code ec;
                const std::string folder = fs::absolute(fs::path(source_or_path), ec).parent_path().string();
                sys.attr("path").attr("insert")(0, folder);
                globals["__file__"] = source_or_path;
                code = builtins.attr("compile")(text, source_or_path, "exec");
            } else {
                code = builtins.attr("compile")(source_or_path, "<string>", "exec");
            }
            builtins.attr("exec")(code, globals);
        } catch (py::error_already_set& e) {
            rc = exit_status(e);
        }
        flush_std_streams();
    }
    return rc;
}

}  // namespace

std::string error_text(const py::error_already_set& e) {
    try {
        // the user's frames only: importlib's machinery (imports of sweep files) is noise
        static const char* kFormat = R"(
import traceback
def _chipdse_format(t, v, tb):
    te = traceback.TracebackException(t, v, tb)
    te.stack = traceback.StackSummary.from_list(
        [f for f in te.stack if not f.filename.startswith("<frozen importlib")])
    return "".join(te.format())
)";
        py::dict ns;
        ns["__builtins__"] = py::module_::import("builtins");
        py::exec(kFormat, ns);
        std::string text = ns["_chipdse_format"](e.type(), e.value(), e.trace()).cast<std::string>();
        while (!text.empty() && text.back() == '\n') text.pop_back();
        return text;
    } catch (py::error_already_set&) {
        PyErr_Clear();
        return e.what();
    }
}

Session::Session() = default;

Session::~Session() {
    State& s = state();
    if (!s.started) return;
    PyEval_RestoreThread(s.main_thread);
    release_hook_objects();
    flush_std_streams();
    py::finalize_interpreter();
    s.started = false;
    s.finalized = true;
}

bool started() { return state().started; }

bool ensure_started(std::string& error) {
    State& s = state();
    if (s.started) return true;
    if (s.finalized) {
        error = "the embedded Python has already been shut down";
        return false;
    }
    link_chipdse_module();
    PyConfig config;
    PyConfig_InitPythonConfig(&config);
    config.parse_argv = 0;
    config.install_signal_handlers = 1;
    // Debian's interpreter, not whatever python3 is first on PATH: only it sees apt's packages
    PyStatus st = PyConfig_SetBytesString(&config, &config.executable, CHIPDSE_PYTHON_EXECUTABLE);
    if (!PyStatus_Exception(st)) st = PyConfig_SetBytesString(&config, &config.program_name, CHIPDSE_PYTHON_EXECUTABLE);
    if (PyStatus_Exception(st)) {
        error = st.err_msg ? st.err_msg : "cannot configure Python";
        PyConfig_Clear(&config);
        return false;
    }
    try {
        py::initialize_interpreter(&config, 0, nullptr, false);
    } catch (const std::exception& e) {
        error = std::string("cannot start Python: ") + e.what();
        return false;
    }
    s.started = true;
    s.main_thread = PyEval_SaveThread();  // the GIL is taken only around Python work
    return true;
}

int run_script(const std::string& path, const std::vector<std::string>& args) { return run_main(path, true, args); }

int run_code(const std::string& code, const std::vector<std::string>& args) { return run_main(code, false, args); }

int write_report(const ReportRequest& req, std::string& index_html, std::string& error) {
    if (!ensure_started(error)) return 1;
    py::gil_scoped_acquire gil;
    int rc = 0;
    try {
        py::module_ types = py::module_::import("types");
        py::module_ mod = types.attr("ModuleType")("chipdse_report");
        py::dict ns = mod.attr("__dict__");
        ns["__builtins__"] = py::module_::import("builtins");
        ns["__file__"] = "chipdse_report.py";
        py::module_::import("sys").attr("modules")["chipdse_report"] = mod;
        py::exec(py::str(report::report_py_source()), ns);
        py::object path = ns["main"](py::arg("db") = req.db, py::arg("out_dir") = req.out_dir,
                                     py::arg("sweep") = req.sweep, py::arg("top") = req.top,
                                     py::arg("command") = req.command, py::arg("version") = CHIPDSE_VERSION);
        index_html = path.cast<std::string>();
    } catch (py::error_already_set& e) {
        py::module_ chipdse = py::module_::import("chipdse");
        const std::string type = py::str(py::type::handle_of(e.value()).attr("__name__"));
        const bool input = e.matches(PyExc_ValueError) || e.matches(chipdse.attr("StoreError")) ||
                           e.matches(PyExc_FileNotFoundError);
        if (input) {
            error = py::str(e.value()).cast<std::string>();
            rc = 2;
        } else if (type == "ReportError") {  // the environment lacks something: the message says what
            error = py::str(e.value()).cast<std::string>();
            rc = 1;
        } else {
            error = error_text(e);
            rc = 1;
        }
    }
    flush_std_streams();
    return rc;
}

}  // namespace chipdse::python
