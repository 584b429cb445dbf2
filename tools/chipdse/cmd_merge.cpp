// `chipdse merge OUT.sqlite IN.sqlite...`: combines stores written by shards (Slurm arrays).
#include <cstdio>

#include "commands.h"
#include "dse/sweep/results_store.h"
#include "sweep_commands.h"

namespace chipdse::cli {

int run_merge(const MergeOptions& opt) {
    for (const auto& in : opt.inputs)
        if (in == opt.out) {
            std::fprintf(stderr, "merge: %s is both the output and an input\n", in.c_str());
            return kExitBadInput;
        }
    try {
        std::int64_t added = sweep::merge_stores(opt.out, opt.inputs);
        sweep::ResultsStore store(opt.out, sweep::ResultsStore::Mode::kReadOnly);
        std::printf("merge: %zu stores into %s: %lld rows added, %lld rows in all\n", opt.inputs.size(), opt.out.c_str(),
                    static_cast<long long>(added), static_cast<long long>(store.count()));
    } catch (const sweep::StoreError& e) {
        std::fprintf(stderr, "merge: %s\n", e.what());
        return kExitBadInput;
    }
    return kExitOk;
}

}  // namespace chipdse::cli
