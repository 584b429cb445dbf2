#pragma once
// Time of one op on one chip (L0): a roofline of matrix throughput (with the array's tile
// quantisation, fill and drain) against HBM bandwidth, plus a fixed kernel overhead.
#include "dse/model/transformer_ops.h"
#include "dse/spec/chip_spec.h"

namespace chipdse::model {

class Characteriser;

class ComputeModel {
public:
    // With a characteriser, array utilisation and the HBM efficiency come from it wherever it can
    // measure them (dse/model/characteriser.h); it must outlive the model.
    ComputeModel(const spec::ChipSpec& chip, spec::Precision precision, const Characteriser* characteriser = nullptr);

    // Utilisation of the matrix engines for one GEMM instance of shape M x N x K, in (0, 1]:
    // tile quantisation of M and N onto R x C arrays and the R + C - 2 fill/drain cycles per
    // fold; 1 for engines not described as arrays.
    double array_utilisation(double m, double n, double k) const;

    // The closed form alone (what array_utilisation gives without a characteriser).
    static double array_utilisation_l0(const spec::MatrixEngineSpec& engine, double m, double n, double k);

    struct OpTime {
        double seconds = 0;
        bool compute_bound = true;
    };
    OpTime op_time(const Op& op) const;

    double peak_flops() const { return m_peak; }
    double hbm_bytes_per_s() const { return m_hbm_bw; }

private:
    const spec::ChipSpec& m_chip;
    const Characteriser* m_characteriser;
    double m_peak;      // dense matrix FLOP/s at the chosen precision
    double m_vector;    // vector FLOP/s
    double m_hbm_bw;    // sustained HBM bytes/s
    double m_overhead;  // per-kernel seconds
};

}  // namespace chipdse::model
