#pragma once
// Time of one op on one chip (L0): a roofline of matrix throughput (with the array's tile
// quantisation, fill and drain) against HBM bandwidth, plus a fixed kernel overhead.
#include "dse/model/transformer_ops.h"
#include "dse/spec/chip_spec.h"

namespace chipdse::model {

class ComputeModel {
public:
    ComputeModel(const spec::ChipSpec& chip, spec::Precision precision);

    // Utilisation of the matrix engines for one GEMM instance of shape M x N x K, in (0, 1]:
    // tile quantisation of M and N onto R x C arrays and the R + C - 2 fill/drain cycles per
    // fold; 1 for engines not described as arrays.
    double array_utilisation(double m, double n, double k) const;

    struct OpTime {
        double seconds = 0;
        bool compute_bound = true;
    };
    OpTime op_time(const Op& op) const;

    double peak_flops() const { return m_peak; }
    double hbm_bytes_per_s() const { return m_hbm_bw; }

private:
    const spec::ChipSpec& m_chip;
    double m_peak;      // dense matrix FLOP/s at the chosen precision
    double m_vector;    // vector FLOP/s
    double m_hbm_bw;    // sustained HBM bytes/s
    double m_overhead;  // per-kernel seconds
};

}  // namespace chipdse::model
