#pragma once
// Collective communication time on the network levels of a system (L0): ring and
// hierarchical algorithms with latency and bandwidth terms. Equations: docs/analytical_model.md.
#include <cstdint>

#include "dse/spec/link_spec.h"
#include "dse/spec/system_spec.h"

namespace chipdse::model {

enum class Collective { kAllReduce, kReduceScatter, kAllGather, kAllToAll, kSendRecv };

// A communication group placed on the system: `size` ranks, consecutive ranks `stride` chips
// apart (tensor parallel innermost, then context, expert, data, pipeline outermost).
struct GroupPlacement {
    std::int64_t size = 1;
    std::int64_t stride = 1;
};

class Characteriser;

class CollectiveModel {
public:
    explicit CollectiveModel(const spec::SystemSpec& system);
    // With a characteriser, all-reduce, reduce-scatter and all-gather inside one scale-up domain
    // take its measured time factor (cycle-level / L0 on the chips' `links`); the scale-out
    // network, all-to-all and sends stay L0. Both must outlive the model.
    CollectiveModel(const spec::SystemSpec& system, const Characteriser* characteriser, const spec::LinkSpec* links);

    // Seconds for one collective of `bytes` (the full buffer per rank) over a placed group.
    double time(Collective c, double bytes, const GroupPlacement& g) const;

    // Bytes each rank sends on the scale-up and on the scale-out network for that collective
    // (ring algorithms; hierarchical when the group spans domains), for the energy model.
    struct Traffic {
        double scale_up = 0, scale_out = 0;
    };
    Traffic traffic(Collective c, double bytes, const GroupPlacement& g) const;

    // Ranks of the group that share one scale-up domain.
    std::int64_t members_per_domain(const GroupPlacement& g) const;

private:
    struct Level {
        double bw;       // bytes/s per chip per direction, achievable
        double latency;  // seconds per step
        spec::Topology topology = spec::Topology::kSwitched;
    };
    static double flat(Collective c, double bytes, double n, const Level& l);
    Level scale_up() const;
    Level scale_out(std::int64_t domains_spanned) const;
    // Time of `c` over `ranks` chips of one scale-up domain, with the characterised factor.
    double up(Collective c, double bytes, std::int64_t ranks) const;

    const spec::SystemSpec& m_sys;
    const Characteriser* m_characteriser = nullptr;
    const spec::LinkSpec* m_links = nullptr;
};

}  // namespace chipdse::model
