#pragma once
// The space a sweep explores: a base config tree, dimensions of values (a dimension is one
// axis or a group of zipped axes), and derived values computed per point. A point is one
// level index per dimension; building it gives the config tree that the design schema binds.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dse/config/config_node.h"
#include "dse/sweep/expression.h"

namespace chipdse::sweep {

struct Axis {
    std::string path;
    std::vector<config::ConfigNode> levels;  // scalars located where the sweep file wrote them
    config::SourceLoc loc;
};

struct Dimension {
    std::vector<Axis> axes;  // zipped axes: equal level counts
    std::uint32_t size() const { return static_cast<std::uint32_t>(axes.front().levels.size()); }
};

class PointFunction;  // hooks.h

struct DerivedValue {
    std::string path;
    Expression expr;
    std::shared_ptr<const PointFunction> function;  // set instead of expr: a user's function (hooks.h)
    std::string unit;     // empty: written as a plain number
    double unit_si = 1;   // SI value of one `unit`
    config::SourceLoc loc;
};

using Levels = std::vector<std::uint32_t>;

class DesignSpace {
public:
    config::ConfigNode base;
    std::vector<Dimension> dims;
    std::vector<DerivedValue> derived;
    std::vector<std::string> value_paths;  // axis paths, then derived paths (the row's `axes` column)
    std::vector<std::string> axis_paths;   // the axis paths alone (what a derived function's point shows)
    config::ConfigNode resolved_base;      // the base with defaults filled in: derived values read absent keys here

    // Number of grid points; saturates at UINT64_MAX.
    std::uint64_t grid_size() const;

    // Base, then the axis values of `levels`, then derived values in order. When a derived
    // value cannot be computed, `error` says why (the point is recorded as invalid). With
    // `sections`, only those top-level sections of the base are copied (the ones the axes and
    // derived values write to); derived values still read the others, from resolved_base.
    config::ConfigNode build(const Levels& levels, std::string& error,
                             const std::vector<std::string>* sections = nullptr) const;

    // The text a derived value is written as: in `unit`, to 9 significant digits.
    static std::string format_derived(double si, const std::string& unit, double unit_si);
};

}  // namespace chipdse::sweep
