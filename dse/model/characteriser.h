#pragma once
// Characterisation: a cycle-level model (L1, sysc/) measures what the analytical model (L0)
// otherwise takes from closed forms and datasheet fractions, for the kernels a workload runs:
//   - the utilisation of a matrix engine on a GEMM shape (array quantisation, fill, drain);
//   - the achieved fraction of peak HBM bandwidth on streaming traffic;
//   - the time of a collective inside one scale-up domain, against the L0 formula on the same links.
// L0 asks through this interface only; implementations live with the models they run and are
// registered by the program that links them (the command line registers "systemc"), so dse/
// never depends on sysc/. docs/fidelity.md has the method, the caching and the agreement measured.
//
// Contract: every method is safe to call from several threads at once; a method returns nullopt
// when its model cannot run the block as specified (then L0's own value stays, and note() says
// why); values are pure functions of their arguments, so results do not depend on call order.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dse/spec/chip_spec.h"
#include "dse/spec/system_spec.h"

namespace chipdse::model {

// One characterised quantity as reported to the user: what was run and what it gave.
struct CharacterisationEntry {
    std::string block;    // "matrix", "hbm", "collective"
    std::string kernel;   // e.g. "gemm 2048x12288x1536", "copy 64 B", "all-reduce 8 chips 48 MiB"
    double value = 0;     // the characterised value: a utilisation or efficiency, or seconds
    double l0_value = 0;  // the same quantity from L0, for comparison
    std::string unit;     // "" (a fraction) or "s"
    std::string note;     // why a block stayed at L0, or how a value was extrapolated
    bool characterised = true;
};

// One memo entry of a characteriser as kept across runs (the results store's characterisations
// table): `key` is every input the value depends on, written out in full (the model's version and
// limits included), so two different kernels never share a key. Entries with a block the
// characteriser does not report (internal runs it derives kernels from) travel the same way.
struct CachedCharacterisation {
    std::string key;
    CharacterisationEntry entry;
    bool preloaded = false;  // came in through preload() (already stored)
};

class Characteriser {
public:
    virtual ~Characteriser() = default;

    // The fidelity this characteriser stands for ("systemc").
    virtual std::string fidelity() const = 0;

    // Useful MACs / (cycles x PEs) of one array of `engine` running an m x n x k GEMM.
    virtual std::optional<double> array_utilisation(const spec::MatrixEngineSpec& engine, std::int64_t m,
                                                    std::int64_t n, std::int64_t k) const = 0;

    // Achieved / peak bandwidth of `hbm` on the streaming traffic of training's memory-bound ops.
    virtual std::optional<double> hbm_efficiency(const spec::HbmSpec& hbm) const = 0;

    // Cycle-level / L0 time of an all-reduce of `bytes` per rank over `ranks` chips of one
    // scale-up domain of `network`, the chips joined by `links`; both times on the same links.
    virtual std::optional<double> allreduce_time_factor(const spec::LinkSpec& links, const spec::NetworkSpec& network,
                                                        std::int64_t ranks, double bytes) const = 0;

    // Everything characterised so far (each kernel once), in a stable order.
    virtual std::vector<CharacterisationEntry> entries() const = 0;

    // Kernels simulated so far (each distinct kernel once: the rest were cache hits).
    virtual std::int64_t simulations() const = 0;

    // Persistence of the memo. export_cache: every entry computed or preloaded so far, in key
    // order. preload: entries computed earlier (by this fidelity); one whose key is known is never
    // simulated again; entries of another model version or other limits are ignored. Returns how
    // many were taken; an entry already computed here is kept.
    // preloaded_used: distinct preloaded kernels asked for so far.
    // The defaults keep nothing (a characteriser without a memo).
    virtual std::vector<CachedCharacterisation> export_cache() const { return {}; }
    virtual std::size_t preload(const std::vector<CachedCharacterisation>& entries) {
        (void)entries;
        return 0;
    }
    virtual std::int64_t preloaded_used() const { return 0; }
};

using CharacteriserFactory = std::function<std::unique_ptr<Characteriser>()>;

// Makes `fidelity` available to make_characteriser (a later registration of the same name wins).
void register_characteriser(const std::string& fidelity, CharacteriserFactory factory);

// A new characteriser for `fidelity`, or nullptr when none is registered under that name.
std::unique_ptr<Characteriser> make_characteriser(std::string_view fidelity);

// The registered fidelities, sorted.
std::vector<std::string> characteriser_fidelities();

}  // namespace chipdse::model
