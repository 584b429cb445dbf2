// `chipdse py SCRIPT.py [args]`: runs a Python script with `import chipdse` available.
#include "commands.h"
#include "py_report_commands.h"

namespace chipdse::cli {

std::unique_ptr<python::Session> start_python_support() {
    auto session = std::make_unique<python::Session>();
    python::install_sweep_hooks();
    return session;
}

int run_py(const PyOptions& opt) { return python::run_script(opt.script, opt.args); }

}  // namespace chipdse::cli
