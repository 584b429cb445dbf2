#include "dse/config/schema.h"

#include <cstdio>
#include <sstream>

namespace chipdse::config {

bool Range::contains(double v) const {
    if (min && (min_exclusive ? !(v > *min) : !(v >= *min))) return false;
    if (max && !(v <= *max)) return false;
    return true;
}

std::string Range::text(units::Dim dim) const {
    auto show = [&](double v) { return dim == units::Dim{} ? detail::number_text(v) : units::format_value(v, dim); };
    if (min && max) return show(*min) + " .. " + show(*max);
    if (min) return (min_exclusive ? "> " : ">= ") + show(*min);
    if (max) return "<= " + show(*max);
    return "";
}

const FieldDoc* SchemaNode::field(const std::string& key) const {
    for (const auto& d : m_docs)
        if (d.key == key) return &d;
    return nullptr;
}

namespace detail {

std::string number_text(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.15g", v);
    return buf;
}

std::string join_path(const std::string& parent, const std::string& key) {
    return parent.empty() ? key : parent + "." + key;
}

ConfigNode default_node(const std::string& text) { return ConfigNode::scalar(text, {}); }

void report_wrong_kind(const ConfigNode& v, const std::string& path, const std::string& expected, BindContext& ctx) {
    ctx.diag.error(v.loc(), path, "wrong type", v.describe(), expected);
}

void report_missing(const ConfigNode* parent, const std::string& path, const FieldDoc& doc, BindContext& ctx) {
    std::string expected = doc.type == "count"    ? "a whole number"
                           : doc.type == "number" ? "a plain number"
                           : doc.type == "quantity" ? "e.g. " + units::dimension_example(doc.dim)
                                                    : doc.type;
    if (!doc.choices.empty()) {
        expected = "one of ";
        for (size_t i = 0; i < doc.choices.size(); ++i) expected += (i ? ", " : "") + doc.choices[i];
    }
    ctx.diag.error(parent ? parent->loc() : SourceLoc{}, path, "missing required key", "nothing", expected);
}

namespace {
bool need_scalar(const ConfigNode& v, const std::string& path, const std::string& what, BindContext& ctx) {
    if (v.is_scalar()) return true;
    report_wrong_kind(v, path, what, ctx);
    return false;
}
}  // namespace

bool read_quantity(const ConfigNode& v, const std::string& path, units::Dim dim, const Range& range,
                   BindContext& ctx, double& out) {
    if (!need_scalar(v, path, "a value with a unit, e.g. " + units::dimension_example(dim), ctx)) return false;
    auto r = units::parse_as(v.text(), dim, ctx.clock_hz);
    if (!r.value) {
        std::string expected = "e.g. " + units::dimension_example(dim);
        ctx.diag.error(v.loc(), path, r.error, "\"" + v.text() + "\"", expected);
        return false;
    }
    if (!range.contains(r.value->si)) {
        ctx.diag.error(v.loc(), path, "out of range", "\"" + v.text() + "\"", range.text(dim));
        return false;
    }
    out = r.value->si;
    return true;
}

bool read_number(const ConfigNode& v, const std::string& path, const Range& range, BindContext& ctx, double& out) {
    if (!need_scalar(v, path, "a number", ctx)) return false;
    auto r = units::parse_value(v.text());
    if (!r.value) {
        ctx.diag.error(v.loc(), path, r.error, "\"" + v.text() + "\"", "a plain number, e.g. 1.1 or 300e9");
        return false;
    }
    if (r.value->has_unit) {
        ctx.diag.error(v.loc(), path, "this key takes a plain number, without a unit", "\"" + v.text() + "\"",
                       "a plain number, e.g. 1.1 or 300e9");
        return false;
    }
    if (!range.contains(r.value->si)) {
        ctx.diag.error(v.loc(), path, "out of range", "\"" + v.text() + "\"", range.text({}));
        return false;
    }
    out = r.value->si;
    return true;
}

bool read_count(const ConfigNode& v, const std::string& path, const Range& range, BindContext& ctx,
                std::int64_t& out) {
    double d = 0;
    Range any;
    if (!need_scalar(v, path, "a whole number", ctx)) return false;
    auto r = units::parse_value(v.text());
    if (!r.value || r.value->has_unit) {
        ctx.diag.error(v.loc(), path, r.value ? "a count takes no unit" : r.error, "\"" + v.text() + "\"",
                       "a whole number, e.g. 8");
        return false;
    }
    d = r.value->si;
    if (d != std::floor(d)) {
        ctx.diag.error(v.loc(), path, "not a whole number", "\"" + v.text() + "\"", "a whole number, e.g. 8");
        return false;
    }
    if (!range.contains(d)) {
        ctx.diag.error(v.loc(), path, "out of range", "\"" + v.text() + "\"", range.text({}));
        return false;
    }
    // Counts go through a double: past 2^53 - 1 neighbouring whole numbers become the same value.
    constexpr double kMaxCount = 9007199254740991.0;  // 2^53 - 1
    if (std::fabs(d) > kMaxCount) {
        ctx.diag.error(v.loc(), path, "too large for a count", "\"" + v.text() + "\"",
                       "at most 9007199254740991 (2^53 - 1)");
        return false;
    }
    out = static_cast<std::int64_t>(d);
    return true;
}

bool read_flag(const ConfigNode& v, const std::string& path, BindContext& ctx, bool& out) {
    if (!need_scalar(v, path, "true or false", ctx)) return false;
    const std::string& t = v.text();
    if (t == "true" || t == "True" || t == "yes" || t == "on") out = true;
    else if (t == "false" || t == "False" || t == "no" || t == "off") out = false;
    else {
        ctx.diag.error(v.loc(), path, "not a flag", "\"" + t + "\"", "true or false");
        return false;
    }
    return true;
}

bool read_text(const ConfigNode& v, const std::string& path, BindContext& ctx, std::string& out) {
    if (!need_scalar(v, path, "text", ctx)) return false;
    out = v.text();
    return true;
}

bool read_choice(const ConfigNode& v, const std::string& path, const std::vector<std::string>& names,
                 BindContext& ctx, size_t& index) {
    std::string all;
    for (size_t i = 0; i < names.size(); ++i) all += (i ? ", " : "") + names[i];
    if (!need_scalar(v, path, "one of " + all, ctx)) return false;
    for (size_t i = 0; i < names.size(); ++i)
        if (names[i] == v.text()) {
            index = i;
            return true;
        }
    std::string near = closest_match(v.text(), names);
    ctx.diag.error(v.loc(), path, "not a valid choice", "\"" + v.text() + "\"", "one of " + all,
                   near.empty() ? "" : "did you mean '" + near + "'?");
    return false;
}

void report_unknown_keys(const ConfigNode& map, const std::string& path, const std::vector<FieldDoc>& docs,
                         BindContext& ctx) {
    std::vector<std::string> known;
    for (const auto& d : docs) known.push_back(d.key);
    for (const auto& [k, v] : map.entries()) {
        bool ok = false;
        for (const auto& d : docs) ok = ok || d.key == k;
        if (ok) continue;
        std::string near = closest_match(k, known);
        std::string all;
        for (size_t i = 0; i < known.size(); ++i) all += (i ? ", " : "") + known[i];
        ctx.diag.error(v.loc(), join_path(path, k), "unknown key", "'" + k + "'",
                       known.empty() ? "no keys here" : "one of " + all, near.empty() ? "" : "did you mean '" + near + "'?");
    }
}

}  // namespace detail

namespace {
std::string type_text(const FieldDoc& d) {
    if (d.type == "quantity") return units::dimension_name(d.dim) + " [" + units::canonical_unit(d.dim) + "]";
    if (d.type == "choice") {
        std::string s;
        for (size_t i = 0; i < d.choices.size(); ++i) s += (i ? "|" : "") + d.choices[i];
        return s;
    }
    return d.type;
}
void describe(const SchemaNode& s, const std::string& prefix, std::ostringstream& os, bool markdown) {
    for (const auto& d : s.fields()) {
        std::string key = prefix.empty() ? d.key : prefix + "." + d.key;
        if (d.type == "list") key += "[]";
        std::string dflt = d.required ? "required" : (d.default_text.empty() ? "-" : d.default_text);
        if (d.type == "object" || d.type == "list") dflt = d.required ? "required" : "";
        if (markdown) {
            os << "| `" << key << "` | " << type_text(d) << " | " << dflt << " | " << d.range_text << " | " << d.doc
               << " |\n";
        } else {
            os << key << "  (" << type_text(d) << ")";
            if (!dflt.empty()) os << "  default: " << dflt;
            if (!d.range_text.empty()) os << "  range: " << d.range_text;
            os << "\n    " << d.doc << "\n";
        }
        if (d.child) describe(*d.child, key, os, markdown);
    }
}
}  // namespace

std::string describe_schema(const SchemaNode& schema, const std::string& prefix) {
    std::ostringstream os;
    describe(schema, prefix, os, false);
    return os.str();
}

std::string describe_schema_markdown(const SchemaNode& schema, const std::string& prefix) {
    std::ostringstream os;
    os << "| key | type [unit] | default | valid | meaning |\n|---|---|---|---|---|\n";
    describe(schema, prefix, os, true);
    return os.str();
}

}  // namespace chipdse::config
