#pragma once
// Entry points of the `chipdse` subcommands. Each returns the process exit code:
// 0 success, 1 a failure of the tool, 2 bad input (configs, arguments).
#include <string>
#include <vector>

namespace chipdse::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;

struct CheckOptions {
    std::vector<std::string> files;
    std::vector<std::string> assignments;
    bool quiet = false;
};
int run_check(const CheckOptions& opt);

struct ParamsOptions {
    std::string section;  // chip, system, model, training, parallelism, workload, or empty for all
    bool markdown = false;
};
int run_params(const ParamsOptions& opt);

}  // namespace chipdse::cli

namespace chipdse::cli {

struct EvaluateOptions {
    std::string system, workload;
    std::vector<std::string> assignments;
    std::string fidelity = "analytical";
    bool json = false;
    bool levers = false;
    std::string db;  // a results store whose characterisation cache is read and extended
};
int run_evaluate(const EvaluateOptions& opt);

struct ValidateOptions {
    std::string cases;      // our mapping of published cases onto shipped configs
    std::string published;  // the published runs
    bool json = false;
};
int run_validate(const ValidateOptions& opt);

}  // namespace chipdse::cli
