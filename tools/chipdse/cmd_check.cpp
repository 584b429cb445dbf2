#include <cstdio>

#include "commands.h"
#include "dse/spec/design_loader.h"

namespace chipdse::cli {

int run_check(const CheckOptions& opt) {
    int rc = kExitOk;
    for (const auto& file : opt.files) {
        spec::LoadedDesign d = spec::load_design({file}, opt.assignments);
        if (!d.ok()) {
            std::fputs(d.diag.format().c_str(), stderr);
            std::fprintf(stderr, "%s: %zu error(s)\n", file.c_str(), d.diag.size());
            rc = kExitBadInput;
            continue;
        }
        if (opt.quiet) {
            std::printf("%s: ok\n", file.c_str());
        } else {
            std::printf("# %s: ok; resolved configuration\n%s", file.c_str(), spec::resolved_yaml(d.spec).c_str());
        }
    }
    return rc;
}

}  // namespace chipdse::cli
