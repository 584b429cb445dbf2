#pragma once
// Scale-out across processes (MPI). Rank 0 owns the store and hands out chunks of points on
// request (dynamic distribution: fast ranks take more); other ranks build and key points,
// ask rank 0 which keys are stored already, evaluate the rest and send the rows back.
// Rank 0 is the only writer, so the store is the same as a single process would write.
#include <functional>
#include <memory>
#include <string>

#include "dse/sweep/point_row.h"
#include "dse/sweep/work_feed.h"

namespace chipdse::sweep {

class PointEvaluator;

class Cluster {
public:
    virtual ~Cluster() = default;
    virtual int rank() const = 0;
    virtual int size() const = 0;

    // All ranks: agree that every rank loaded the same sweep; false on a mismatch.
    virtual bool same_everywhere(const std::string& fingerprint) = 0;

    // Rank 0: serve the other ranks from `feed` until it is exhausted (or stopped) and every
    // chunk handed out has come back. `exists` answers key lookups (0: not stored, 1: stored by
    // this sweep, 2: by another); `sink` takes results.
    virtual void serve(WorkFeed& feed, const std::function<int(const std::string&)>& exists,
                       const std::function<void(PointResult&&)>& sink) = 0;
    // Rank 0: no more work; the other ranks leave work().
    virtual void finish() = 0;
    // Ranks > 0: evaluate chunks with `jobs` threads until rank 0 calls finish().
    virtual void work(const PointEvaluator& eval, unsigned jobs) = 0;
};

// Whether this binary was built with MPI, and whether this process was started by an MPI
// launcher (mpirun, srun) with more than one rank.
bool mpi_built();
bool mpi_launched();

// Initialises MPI (the returned object finalises it); null when MPI is not built in.
std::unique_ptr<Cluster> start_mpi_cluster();

}  // namespace chipdse::sweep
