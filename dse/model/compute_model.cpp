#include "dse/model/compute_model.h"

#include <algorithm>
#include <cmath>

#include "dse/model/characteriser.h"

namespace chipdse::model {

ComputeModel::ComputeModel(const spec::ChipSpec& chip, spec::Precision precision, const Characteriser* characteriser)
    : m_chip(chip),
      m_characteriser(characteriser),
      m_peak(chip.peak_flops(precision)),
      m_vector(chip.vector.flops_per_cycle * chip.clock.si()),
      m_hbm_bw(units::bytes_per_second(chip.hbm_bandwidth()) * chip.hbm.achievable_fraction),
      m_overhead(chip.kernel_overhead.si()) {
    if (m_characteriser) {
        if (auto eff = m_characteriser->hbm_efficiency(chip.hbm))
            m_hbm_bw = units::bytes_per_second(chip.hbm_bandwidth()) * *eff;
    }
}

double ComputeModel::array_utilisation(double m, double n, double k) const {
    if (m_characteriser && m_chip.matrix.rows > 0 && m_chip.matrix.cols > 0) {
        auto whole = [](double x) { return std::max<std::int64_t>(1, std::llround(x)); };
        if (auto u = m_characteriser->array_utilisation(m_chip.matrix, whole(m), whole(n), whole(k)))
            return std::clamp(*u, 1e-6, 1.0);
    }
    return array_utilisation_l0(m_chip.matrix, m, n, k);
}

double ComputeModel::array_utilisation_l0(const spec::MatrixEngineSpec& mx, double m, double n, double k) {
    if (mx.rows <= 0 || mx.cols <= 0) return 1.0;
    const double r = static_cast<double>(mx.rows), c = static_cast<double>(mx.cols);
    // Output-stationary: M maps to rows, N to columns, K streams; weight-stationary keeps a
    // K x N tile in the array and streams M; input-stationary keeps K x M and streams N.
    double spatial_a = m, spatial_b = n, stream = k;
    if (mx.dataflow == spec::Dataflow::kWeightStationary) { spatial_a = k; spatial_b = n; stream = m; }
    if (mx.dataflow == spec::Dataflow::kInputStationary) { spatial_a = k; spatial_b = m; stream = n; }
    const double fold_a = std::ceil(spatial_a / r), fold_b = std::ceil(spatial_b / c);
    const double useful = spatial_a * spatial_b * stream;
    // cycles per fold: clear 1 + skewed stream (S + R + C - 2) + drain R = S + 2R + C - 1, the
    // count of rtl/systolic and sysc/systolic (docs/systolic.md; SCALE-Sim v2 overlaps the drain
    // and counts S + R + C - 2)
    // Double-buffered arrays overlap consecutive folds and pay the overhead once per GEMM, but a
    // fold cannot follow the previous one sooner than R cycles: its R preloaded weights (WS, IS)
    // or the previous fold's R drained results (OS) cross each column's edge port one per cycle.
    // (docs/systolic.md, "Double-buffered array"; equal to the pipelined core's timeline.)
    const double folds = fold_a * fold_b;
    const double overhead = 2.0 * r + c - 1.0;
    const double cycles = mx.double_buffered ? (folds - 1.0) * std::max(stream, r) + stream + overhead
                                             : folds * (stream + overhead);
    const double cycles_times_pes = cycles * r * c;
    return std::clamp(useful / cycles_times_pes, 1e-6, 1.0);
}

ComputeModel::OpTime ComputeModel::op_time(const Op& op) const {
    double compute = 0;
    if (op.kind == OpKind::kElementwise) {
        compute = m_vector > 0 ? op.flops / m_vector : 0;
    } else {
        double util = m_chip.matrix.achievable_fraction * array_utilisation(op.m, op.n, op.k);
        compute = m_peak > 0 ? op.flops / (m_peak * util) : 0;
    }
    double memory = m_hbm_bw > 0 ? op.bytes / m_hbm_bw : 0;
    return OpTime{std::max(compute, memory) + m_overhead, compute >= memory};
}

}  // namespace chipdse::model
