#include <cstdio>

#include "commands.h"
#include "dse/spec/spec_schemas.h"

namespace chipdse::cli {

int run_params(const ParamsOptions& opt) {
    struct Section {
        const char* name;
        const config::SchemaNode* schema;
        bool workload;
    };
    const Section sections[] = {
        {"chip", &spec::chip_schema(), false},
        {"system", &spec::system_schema(), false},
        {"model", &spec::model_schema(), true},
        {"training", &spec::training_schema(), true},
        {"parallelism", &spec::parallelism_schema(), true},
    };
    bool any = false;
    for (const auto& s : sections) {
        bool wanted = opt.section.empty() || opt.section == s.name || (opt.section == "workload" && s.workload);
        if (!wanted) continue;
        any = true;
        if (opt.markdown) {
            std::printf("## `%s`\n\n%s\n", s.name, config::describe_schema_markdown(*s.schema, s.name).c_str());
        } else {
            std::printf("%s", config::describe_schema(*s.schema, s.name).c_str());
        }
    }
    if (!any) {
        std::fprintf(stderr, "params: unknown section '%s'; expected chip, system, model, training, parallelism "
                             "or workload\n", opt.section.c_str());
        return kExitBadInput;
    }
    return kExitOk;
}

}  // namespace chipdse::cli
