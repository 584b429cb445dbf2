#include "dse/spec/spec_schemas.h"

namespace chipdse::spec {

using config::defaults_to;
using config::ObjectSchema;
using config::Range;
using config::required;

const ObjectSchema<LinkSpec>& link_schema() {
    static const ObjectSchema<LinkSpec> s = [] {
        ObjectSchema<LinkSpec> o("links");
        o.count("count", &LinkSpec::count, "chip-to-chip links per chip", defaults_to("0"), Range::non_negative())
            .quantity("bandwidth", &LinkSpec::bandwidth, "bandwidth per link, per direction", defaults_to("0 B/s"),
                      Range::non_negative())
            .quantity("latency", &LinkSpec::latency, "latency per hop", defaults_to("0 s"), Range::non_negative())
            .quantity("energy_per_bit", &LinkSpec::energy_per_bit, "SerDes energy per bit", defaults_to("0 pJ/bit"),
                      Range::non_negative());
        return o;
    }();
    return s;
}

}  // namespace chipdse::spec
