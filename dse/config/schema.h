#pragma once
// The schema of a spec: the one place where a key, its type, unit, default, valid range and
// documentation live. Binding a located config tree through a schema fills the typed spec
// struct, converts every unit once, and collects every problem with its location; dumping
// goes the other way for resolved-config printing; `chipdse params` prints the schema itself.
#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "dse/config/config_node.h"
#include "dse/units/quantity.h"
#include "dse/units/unit_parser.h"

namespace chipdse::config {

// Valid interval for a number or a quantity (in SI).
struct Range {
    std::optional<double> min, max;
    bool min_exclusive = false;

    static Range any() { return {}; }
    static Range positive() { return Range{0.0, std::nullopt, true}; }
    static Range non_negative() { return Range{0.0, std::nullopt, false}; }
    static Range at_least(double v) { return Range{v, std::nullopt, false}; }
    static Range between(double lo, double hi) { return Range{lo, hi, false}; }

    bool contains(double v) const;
    // Human text of the rule, with values printed in the unit of `dim` ("> 0 W", "1 .. 3").
    std::string text(units::Dim dim) const;
};

// How a field behaves when absent: required, or defaulted to a value written like a config value.
struct Default {
    bool required = false;
    std::optional<std::string> text;  // absent and not required: the field stays at its zero value
};
inline Default required() { return Default{true, std::nullopt}; }
inline Default defaults_to(std::string text) { return Default{false, std::move(text)}; }
inline Default optional_field() { return Default{false, std::nullopt}; }

class SchemaNode;

// Documentation of one field, read by `chipdse params` and the generated reference.
struct FieldDoc {
    std::string key;
    std::string type;  // "quantity", "count", "number", "text", "flag", "choice", "object", "list"
    units::Dim dim{};
    std::string default_text;  // empty: required or no default
    bool required = false;
    std::string range_text;
    std::vector<std::string> choices;
    std::string doc;
    const SchemaNode* child = nullptr;  // for objects and lists
};

// State while binding: where diagnostics go, and the clock that lets times be written in cycles.
struct BindContext {
    Diagnostics& diag;
    std::optional<double> clock_hz;
};

class SchemaNode {
public:
    explicit SchemaNode(std::string title) : m_title(std::move(title)) {}
    virtual ~SchemaNode() = default;
    const std::string& title() const { return m_title; }
    const std::vector<FieldDoc>& fields() const { return m_docs; }
    const FieldDoc* field(const std::string& key) const;

protected:
    std::string m_title;
    std::vector<FieldDoc> m_docs;
};

// Location of `key` inside a map node (its own line), else of the node itself; for
// cross-field rules, which should point at the key their message names.
inline SourceLoc key_loc(const ConfigNode* node, const std::string& key) {
    if (node && node->is_map())
        if (const ConfigNode* v = node->find(key)) return v->loc();
    return node ? node->loc() : SourceLoc{};
}

// The child map `key` of a map node, or the node itself when absent.
inline const ConfigNode* key_node(const ConfigNode* node, const std::string& key) {
    if (node && node->is_map())
        if (const ConfigNode* v = node->find(key)) return v;
    return node;
}

namespace detail {
// Scalar conversions shared by all schemas; each returns false and records a diagnostic on failure.
bool read_quantity(const ConfigNode& v, const std::string& path, units::Dim dim, const Range& range,
                   BindContext& ctx, double& out);
bool read_count(const ConfigNode& v, const std::string& path, const Range& range, BindContext& ctx,
                std::int64_t& out);
bool read_number(const ConfigNode& v, const std::string& path, const Range& range, BindContext& ctx, double& out);
bool read_flag(const ConfigNode& v, const std::string& path, BindContext& ctx, bool& out);
bool read_text(const ConfigNode& v, const std::string& path, BindContext& ctx, std::string& out);
bool read_choice(const ConfigNode& v, const std::string& path, const std::vector<std::string>& names,
                 BindContext& ctx, size_t& index);
void report_unknown_keys(const ConfigNode& map, const std::string& path, const std::vector<FieldDoc>& docs,
                         BindContext& ctx);
void report_wrong_kind(const ConfigNode& v, const std::string& path, const std::string& expected, BindContext& ctx);
void report_missing(const ConfigNode* parent, const std::string& path, const FieldDoc& doc, BindContext& ctx);
std::string number_text(double v);
std::string join_path(const std::string& parent, const std::string& key);
// A default value as a config node located nowhere (defaults are the schema's, not a file's).
ConfigNode default_node(const std::string& text);
}  // namespace detail

// Fields are bound in declaration order, so a field that provides a clock must come before
// the times that may be written in cycles of it.
template <class T>
class ObjectSchema : public SchemaNode {
public:
    using BindFn = std::function<void(const ConfigNode* value, const ConfigNode* parent, T& out,
                                      const std::string& path, BindContext& ctx)>;
    using DumpFn = std::function<std::optional<ConfigNode>(const T& in)>;
    using CheckFn = std::function<void(const T& spec, const ConfigNode* node, const std::string& path,
                                       BindContext& ctx)>;
    using ShorthandFn = std::function<bool(const ConfigNode& scalar, T& out, const std::string& path,
                                           BindContext& ctx)>;

    explicit ObjectSchema(std::string title) : SchemaNode(std::move(title)) {}

    // A dimensioned value; `provides_clock` makes later time fields (here and below) accept cycles.
    template <units::Dim D>
    ObjectSchema& quantity(std::string key, units::Quantity<D> T::*member, std::string doc, Default def,
                           Range range = Range::positive(), bool provides_clock = false) {
        FieldDoc fd = make_doc(key, "quantity", D, def, range.text(D), std::move(doc));
        std::optional<double> dflt;
        if (def.text) dflt = parse_default_quantity(*def.text, D, key);
        add(fd,
            [=, this](const ConfigNode* v, const ConfigNode* parent, T& out, const std::string& path, BindContext& ctx) {
                double si = 0.0;
                if (v) {
                    if (!detail::read_quantity(*v, path, D, range, ctx, si)) return;
                } else if (dflt) {
                    si = *dflt;
                } else {
                    if (def.required) detail::report_missing(parent, path, *this->field_doc(key), ctx);
                    return;
                }
                out.*member = units::Quantity<D>(si);
                if (provides_clock) ctx.clock_hz = D == units::dims::kTime ? 1.0 / si : si;
            },
            [=](const T& in) { return std::optional<ConfigNode>(scalar(units::format_value((in.*member).si(), D))); });
        return *this;
    }

    // An optional dimensioned value: absent stays std::nullopt.
    template <units::Dim D>
    ObjectSchema& optional_quantity(std::string key, std::optional<units::Quantity<D>> T::*member, std::string doc,
                                    Range range = Range::positive()) {
        FieldDoc fd = make_doc(key, "quantity", D, optional_field(), range.text(D), std::move(doc));
        add(fd,
            [=](const ConfigNode* v, const ConfigNode*, T& out, const std::string& path, BindContext& ctx) {
                if (!v) return;
                double si = 0.0;
                if (detail::read_quantity(*v, path, D, range, ctx, si)) out.*member = units::Quantity<D>(si);
            },
            [=](const T& in) -> std::optional<ConfigNode> {
                if (!(in.*member)) return std::nullopt;
                return scalar(units::format_value((in.*member)->si(), D));
            });
        return *this;
    }

    ObjectSchema& count(std::string key, std::int64_t T::*member, std::string doc, Default def,
                        Range range = Range::at_least(1)) {
        FieldDoc fd = make_doc(key, "count", units::dims::kNone, def, range.text({}), std::move(doc));
        std::optional<std::int64_t> dflt;
        if (def.text) dflt = parse_default<std::int64_t>(*def.text, key, detail::read_count, range);
        add(fd,
            [=, this](const ConfigNode* v, const ConfigNode* parent, T& out, const std::string& path, BindContext& ctx) {
                if (v) {
                    std::int64_t n = 0;
                    if (detail::read_count(*v, path, range, ctx, n)) out.*member = n;
                } else if (dflt) {
                    out.*member = *dflt;
                } else if (def.required) {
                    detail::report_missing(parent, path, *this->field_doc(key), ctx);
                }
            },
            [=](const T& in) { return std::optional<ConfigNode>(scalar(std::to_string(in.*member))); });
        return *this;
    }

    ObjectSchema& number(std::string key, double T::*member, std::string doc, Default def,
                         Range range = Range::positive()) {
        FieldDoc fd = make_doc(key, "number", units::dims::kNone, def, range.text({}), std::move(doc));
        std::optional<double> dflt;
        if (def.text) dflt = parse_default<double>(*def.text, key, detail::read_number, range);
        add(fd,
            [=, this](const ConfigNode* v, const ConfigNode* parent, T& out, const std::string& path, BindContext& ctx) {
                if (v) {
                    double n = 0;
                    if (detail::read_number(*v, path, range, ctx, n)) out.*member = n;
                } else if (dflt) {
                    out.*member = *dflt;
                } else if (def.required) {
                    detail::report_missing(parent, path, *this->field_doc(key), ctx);
                }
            },
            [=](const T& in) { return std::optional<ConfigNode>(scalar(detail::number_text(in.*member))); });
        return *this;
    }

    ObjectSchema& text(std::string key, std::string T::*member, std::string doc, Default def = defaults_to("")) {
        FieldDoc fd = make_doc(key, "text", units::dims::kNone, def, "", std::move(doc));
        add(fd,
            [=, this](const ConfigNode* v, const ConfigNode* parent, T& out, const std::string& path, BindContext& ctx) {
                if (v) {
                    std::string s;
                    if (detail::read_text(*v, path, ctx, s)) out.*member = s;
                } else if (def.text) {
                    out.*member = *def.text;
                } else if (def.required) {
                    detail::report_missing(parent, path, *this->field_doc(key), ctx);
                }
            },
            [=](const T& in) -> std::optional<ConfigNode> {
                if ((in.*member).empty()) return std::nullopt;
                return scalar(in.*member);
            });
        return *this;
    }

    ObjectSchema& flag(std::string key, bool T::*member, std::string doc, bool dflt) {
        FieldDoc fd = make_doc(key, "flag", units::dims::kNone, defaults_to(dflt ? "true" : "false"), "true|false",
                               std::move(doc));
        add(fd,
            [=](const ConfigNode* v, const ConfigNode*, T& out, const std::string& path, BindContext& ctx) {
                bool b = dflt;
                if (v && !detail::read_flag(*v, path, ctx, b)) return;
                out.*member = b;
            },
            [=](const T& in) { return std::optional<ConfigNode>(scalar(in.*member ? "true" : "false")); });
        return *this;
    }

    template <class E>
    ObjectSchema& choice(std::string key, E T::*member, std::vector<std::pair<std::string, E>> options,
                         std::string doc, Default def) {
        std::vector<std::string> names;
        for (const auto& o : options) names.push_back(o.first);
        FieldDoc fd = make_doc(key, "choice", units::dims::kNone, def, "", std::move(doc));
        fd.choices = names;
        std::optional<E> dflt;
        if (def.text) {
            for (const auto& o : options)
                if (o.first == *def.text) dflt = o.second;
            if (!dflt) throw std::logic_error("schema default '" + *def.text + "' is not a choice of " + key);
        }
        add(fd,
            [=, this](const ConfigNode* v, const ConfigNode* parent, T& out, const std::string& path, BindContext& ctx) {
                if (v) {
                    size_t i = 0;
                    if (detail::read_choice(*v, path, names, ctx, i)) out.*member = options[i].second;
                } else if (dflt) {
                    out.*member = *dflt;
                } else if (def.required) {
                    detail::report_missing(parent, path, *this->field_doc(key), ctx);
                }
            },
            [=](const T& in) -> std::optional<ConfigNode> {
                for (const auto& o : options)
                    if (o.second == in.*member) return scalar(o.first);
                return std::nullopt;
            });
        return *this;
    }

    // A nested object; when absent, its own defaults apply (and its required keys are reported).
    template <class U>
    ObjectSchema& object(std::string key, U T::*member, const ObjectSchema<U>& sub, std::string doc) {
        FieldDoc fd = make_doc(key, "object", units::dims::kNone, defaults_to(""), "", std::move(doc));
        fd.default_text.clear();
        fd.child = &sub;
        add(fd,
            [&sub, member](const ConfigNode* v, const ConfigNode* parent, T& out, const std::string& path,
                           BindContext& ctx) { sub.bind(v, parent, out.*member, path, ctx); },
            [&sub, member](const T& in) { return std::optional<ConfigNode>(sub.dump(in.*member)); });
        return *this;
    }

    // A nested object that may be absent entirely (std::nullopt), e.g. a config section.
    template <class U>
    ObjectSchema& optional_object(std::string key, std::optional<U> T::*member, const ObjectSchema<U>& sub,
                                  std::string doc) {
        FieldDoc fd = make_doc(key, "object", units::dims::kNone, optional_field(), "", std::move(doc));
        fd.child = &sub;
        add(fd,
            [&sub, member](const ConfigNode* v, const ConfigNode* parent, T& out, const std::string& path,
                           BindContext& ctx) {
                if (!v) return;
                U u{};
                sub.bind(v, parent, u, path, ctx);
                out.*member = std::move(u);
            },
            [&sub, member](const T& in) -> std::optional<ConfigNode> {
                if (!(in.*member)) return std::nullopt;
                return sub.dump(*(in.*member));
            });
        return *this;
    }

    template <class U>
    ObjectSchema& list(std::string key, std::vector<U> T::*member, const ObjectSchema<U>& sub, std::string doc,
                       size_t min_items = 0) {
        FieldDoc fd = make_doc(key, "list", units::dims::kNone, optional_field(),
                               min_items ? "at least " + std::to_string(min_items) + " item(s)" : "", std::move(doc));
        fd.child = &sub;
        add(fd,
            [&sub, member, min_items, key](const ConfigNode* v, const ConfigNode* parent, T& out,
                                           const std::string& path, BindContext& ctx) {
                (out.*member).clear();
                if (!v || v->is_null()) {
                    if (min_items > 0)
                        ctx.diag.error(parent ? parent->loc() : SourceLoc{}, path, "missing required list", "nothing",
                                       "at least " + std::to_string(min_items) + " item(s)");
                    return;
                }
                if (!v->is_list()) {
                    detail::report_wrong_kind(*v, path, "a list", ctx);
                    return;
                }
                if (v->items().size() < min_items)
                    ctx.diag.error(v->loc(), path, "too few items", std::to_string(v->items().size()),
                                   "at least " + std::to_string(min_items));
                size_t i = 0;
                for (const auto& item : v->items()) {
                    U u{};
                    sub.bind(&item, v, u, path + "[" + std::to_string(i++) + "]", ctx);
                    (out.*member).push_back(std::move(u));
                }
            },
            [&sub, member](const T& in) {
                ConfigNode l = ConfigNode::list({});
                for (const auto& u : in.*member) l.push_back(sub.dump(u));
                return std::optional<ConfigNode>(std::move(l));
            });
        return *this;
    }

    // A cross-field rule run after the fields of this object were bound.
    ObjectSchema& check(CheckFn fn) {
        m_checks.push_back(std::move(fn));
        return *this;
    }

    // Accept a scalar in place of the map (e.g. `parallelism: auto`).
    ObjectSchema& shorthand(std::string description, ShorthandFn fn) {
        m_shorthand = std::move(fn);
        m_shorthand_text = std::move(description);
        return *this;
    }

    // Binds `node` (may be null: all defaults) into `out`. Every problem goes to ctx.diag.
    void bind(const ConfigNode* node, const ConfigNode* parent, T& out, const std::string& path,
              BindContext& ctx) const {
        auto saved_clock = ctx.clock_hz;
        if (node && node->is_scalar() && m_shorthand) {
            // the shorthand sets what it means; every other field takes its default
            T shorthand_value{};
            bind_fields(nullptr, parent, shorthand_value, path, ctx);
            if (m_shorthand(*node, shorthand_value, path, ctx)) out = std::move(shorthand_value);
            ctx.clock_hz = saved_clock;
            return;
        }
        if (node && node->is_null()) node = nullptr;
        if (node && !node->is_map()) {
            detail::report_wrong_kind(*node, path, m_shorthand ? "a map or " + m_shorthand_text : "a map", ctx);
            ctx.clock_hz = saved_clock;
            return;
        }
        bind_fields(node, node ? node : parent, out, path, ctx);
        ctx.clock_hz = saved_clock;
    }

    // Binds a whole document (the root of a config tree).
    void bind_root(const ConfigNode& root, T& out, Diagnostics& diag) const {
        BindContext ctx{diag, std::nullopt};
        bind(&root, &root, out, "", ctx);
    }

    ConfigNode dump(const T& in) const {
        ConfigNode m = ConfigNode::map({});
        for (const auto& f : m_fields)
            if (auto v = f.dump(in)) m.set(f.key, std::move(*v));
        return m;
    }

private:
    struct Field {
        std::string key;
        BindFn bind;
        DumpFn dump;
    };

    static ConfigNode scalar(std::string s) { return ConfigNode::scalar(std::move(s), {}); }

    FieldDoc make_doc(const std::string& key, const char* type, units::Dim dim, const Default& def,
                      std::string range_text, std::string doc) {
        FieldDoc fd;
        fd.key = key;
        fd.type = type;
        fd.dim = dim;
        fd.required = def.required;
        fd.default_text = def.text.value_or("");
        fd.range_text = std::move(range_text);
        fd.doc = std::move(doc);
        return fd;
    }

    const FieldDoc* field_doc(const std::string& key) const { return field(key); }

    void add(FieldDoc fd, BindFn bind, DumpFn dump) {
        for (const auto& d : m_docs)
            if (d.key == fd.key) throw std::logic_error("schema " + m_title + " declares '" + fd.key + "' twice");
        m_fields.push_back(Field{fd.key, std::move(bind), std::move(dump)});
        m_docs.push_back(std::move(fd));
    }

    double parse_default_quantity(const std::string& text, units::Dim dim, const std::string& key) const {
        auto r = units::parse_as(text, dim);
        if (!r.value) throw std::logic_error("schema default of " + key + " is invalid: " + r.error);
        return r.value->si;
    }

    template <class V, class Reader>
    V parse_default(const std::string& text, const std::string& key, Reader reader, const Range& range) const {
        Diagnostics d;
        BindContext ctx{d, std::nullopt};
        V v{};
        if (!reader(detail::default_node(text), key, range, ctx, v))
            throw std::logic_error("schema default of " + key + " is invalid: " + d.format());
        return v;
    }

    void bind_fields(const ConfigNode* node, const ConfigNode* parent, T& out, const std::string& path,
                     BindContext& ctx) const {
        for (const auto& f : m_fields) {
            const ConfigNode* v = node ? node->find(f.key) : nullptr;
            if (v && v->is_null()) {
                // "key:" with nothing after it: treat as absent only for maps; values must be given
                const FieldDoc* d = field(f.key);
                if (d && d->type != "object" && d->type != "list") {
                    ctx.diag.error(v->loc(), detail::join_path(path, f.key), "no value given", "nothing",
                                   d->dim == units::Dim{} ? d->type : units::dimension_example(d->dim));
                    continue;
                }
                v = nullptr;
            }
            f.bind(v, parent, out, detail::join_path(path, f.key), ctx);
        }
        if (node) detail::report_unknown_keys(*node, path, m_docs, ctx);
        for (const auto& c : m_checks) c(out, node ? node : parent, path, ctx);
    }

    std::vector<Field> m_fields;
    std::vector<CheckFn> m_checks;
    ShorthandFn m_shorthand;
    std::string m_shorthand_text;
};

// Prints the schema as an indented reference (key, type/unit, default, range, doc).
std::string describe_schema(const SchemaNode& schema, const std::string& prefix);
// The same as a Markdown table, for docs/.
std::string describe_schema_markdown(const SchemaNode& schema, const std::string& prefix);

}  // namespace chipdse::config
