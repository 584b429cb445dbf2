#pragma once
// Work done by one chip in one training step: the events the energy model prices.

namespace chipdse::model {

struct Activity {
    double matrix_macs = 0;      // multiply-accumulates on the matrix engines
    double vector_flops = 0;     // FLOPs on the vector units
    double hbm_bytes = 0;        // bytes read and written in HBM
    double scale_up_bytes = 0;   // bytes sent on the scale-up network (chip-to-chip links)
    double scale_out_bytes = 0;  // bytes sent on the scale-out network

    Activity& operator+=(const Activity& o) {
        matrix_macs += o.matrix_macs;
        vector_flops += o.vector_flops;
        hbm_bytes += o.hbm_bytes;
        scale_up_bytes += o.scale_up_bytes;
        scale_out_bytes += o.scale_out_bytes;
        return *this;
    }
    Activity scaled(double k) const {
        return Activity{matrix_macs * k, vector_flops * k, hbm_bytes * k, scale_up_bytes * k, scale_out_bytes * k};
    }
};

}  // namespace chipdse::model
