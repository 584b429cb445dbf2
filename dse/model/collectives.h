#pragma once
// Collective communication time on the network levels of a system (L0): ring and
// hierarchical algorithms with latency and bandwidth terms. Equations: docs/analytical_model.md.
#include <cstdint>

#include "dse/spec/system_spec.h"

namespace chipdse::model {

enum class Collective { kAllReduce, kReduceScatter, kAllGather, kAllToAll, kSendRecv };

// A communication group placed on the system: `size` ranks, consecutive ranks `stride` chips
// apart (tensor parallel innermost, then context, expert, data, pipeline outermost).
struct GroupPlacement {
    std::int64_t size = 1;
    std::int64_t stride = 1;
};

class CollectiveModel {
public:
    explicit CollectiveModel(const spec::SystemSpec& system);

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

    const spec::SystemSpec& m_sys;
};

}  // namespace chipdse::model
