#include "dse/sweep/expression.h"

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "dse/units/unit_parser.h"

namespace chipdse::sweep {

namespace {
struct Function {
    const char* name;
    int min_args, max_args;
};
constexpr Function kFunctions[] = {{"min", 2, 16}, {"max", 2, 16}, {"round", 1, 1}, {"floor", 1, 1},
                                   {"ceil", 1, 1},  {"sqrt", 1, 1}, {"log2", 1, 1},  {"abs", 1, 1}};
}  // namespace

// Recursive descent straight to reverse Polish:
//   expr := term (('+'|'-') term)* ; term := unary (('*'|'/') unary)* ;
//   unary := '-' unary | power ; power := primary ('^' unary)? ;
//   primary := number | 'quoted value' | path | name '(' expr (',' expr)* ')' | '(' expr ')'
class ExpressionParser {
public:
    ExpressionParser(const std::string& s, Expression& out) : m_s(s), m_out(out) {}

    bool run(std::string& error) {
        if (!expr()) {
            error = m_error;
            return false;
        }
        skip_ws();
        if (m_pos != m_s.size()) {
            error = "unexpected '" + m_s.substr(m_pos, 1) + "' at column " + std::to_string(m_pos + 1);
            return false;
        }
        return true;
    }

private:
    using Op = Expression::Op;
    void skip_ws() {
        while (m_pos < m_s.size() && std::isspace(static_cast<unsigned char>(m_s[m_pos]))) ++m_pos;
    }
    bool peek(char c) {
        skip_ws();
        return m_pos < m_s.size() && m_s[m_pos] == c;
    }
    bool fail(std::string msg) {
        if (m_error.empty()) m_error = std::move(msg);
        return false;
    }
    void emit(Op op, double v = 0, int index = 0, int nargs = 0) { m_out.m_code.push_back({op, v, index, nargs}); }

    bool expr() {
        if (!term()) return false;
        while (peek('+') || peek('-')) {
            char c = m_s[m_pos++];
            if (!term()) return false;
            emit(c == '+' ? Op::kAdd : Op::kSub);
        }
        return true;
    }
    bool term() {
        if (!unary()) return false;
        while (peek('*') || peek('/')) {
            char c = m_s[m_pos++];
            if (!unary()) return false;
            emit(c == '*' ? Op::kMul : Op::kDiv);
        }
        return true;
    }
    bool unary() {
        if (peek('-')) {
            ++m_pos;
            if (!unary()) return false;
            emit(Op::kNeg);
            return true;
        }
        if (peek('+')) {
            ++m_pos;
            return unary();
        }
        return power();
    }
    bool power() {
        if (!primary()) return false;
        if (peek('^')) {
            ++m_pos;
            if (!unary()) return false;
            emit(Op::kPow);
        }
        return true;
    }
    bool primary() {
        skip_ws();
        if (m_pos >= m_s.size()) return fail("expression ends early");
        char c = m_s[m_pos];
        if (c == '(') {
            ++m_pos;
            if (!expr()) return false;
            if (!peek(')')) return fail("missing ')'");
            ++m_pos;
            return true;
        }
        if (c == '\'') {
            size_t end = m_s.find('\'', m_pos + 1);
            if (end == std::string::npos) return fail("unclosed quote");
            std::string lit = m_s.substr(m_pos + 1, end - m_pos - 1);
            auto r = units::parse_value(lit);
            if (!r.value) return fail("'" + lit + "': " + r.error);
            emit(Op::kConst, r.value->si);
            m_pos = end + 1;
            return true;
        }
        if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
            const char* begin = m_s.c_str() + m_pos;
            char* end = nullptr;
            double v = std::strtod(begin, &end);
            if (end == begin) return fail("bad number at column " + std::to_string(m_pos + 1));
            m_pos += static_cast<size_t>(end - begin);
            emit(Op::kConst, v);
            return true;
        }
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            size_t start = m_pos;
            while (m_pos < m_s.size() && (std::isalnum(static_cast<unsigned char>(m_s[m_pos])) || m_s[m_pos] == '_' ||
                                          m_s[m_pos] == '.'))
                ++m_pos;
            std::string name = m_s.substr(start, m_pos - start);
            if (name.back() == '.') return fail("path '" + name + "' ends with '.'");
            if (peek('(')) return call(name);
            int index = -1;
            for (size_t i = 0; i < m_out.m_refs.size(); ++i)
                if (m_out.m_refs[i] == name) index = static_cast<int>(i);
            if (index < 0) {
                index = static_cast<int>(m_out.m_refs.size());
                m_out.m_refs.push_back(name);
            }
            emit(Op::kRef, 0, index);
            return true;
        }
        return fail("unexpected '" + std::string(1, c) + "' at column " + std::to_string(m_pos + 1));
    }
    bool call(const std::string& name) {
        int id = -1;
        for (size_t i = 0; i < std::size(kFunctions); ++i)
            if (name == kFunctions[i].name) id = static_cast<int>(i);
        if (id < 0) return fail("unknown function '" + name + "' (known: min, max, round, floor, ceil, sqrt, log2, abs)");
        ++m_pos;  // '('
        int nargs = 0;
        if (!peek(')')) {
            while (true) {
                if (!expr()) return false;
                ++nargs;
                if (peek(',')) {
                    ++m_pos;
                    continue;
                }
                break;
            }
        }
        if (!peek(')')) return fail("missing ')' after the arguments of " + name);
        ++m_pos;
        const Function& f = kFunctions[id];
        if (nargs < f.min_args || nargs > f.max_args)
            return fail(name + " takes " + std::to_string(f.min_args) +
                        (f.max_args > f.min_args ? " or more" : "") + " argument(s), got " + std::to_string(nargs));
        emit(Op::kCall, 0, id, nargs);
        return true;
    }

    const std::string& m_s;
    Expression& m_out;
    size_t m_pos = 0;
    std::string m_error;
};

std::optional<Expression> Expression::parse(const std::string& text, std::string& error) {
    Expression e;
    e.m_text = text;
    ExpressionParser p(text, e);
    if (!p.run(error)) return std::nullopt;
    return e;
}

std::optional<double> Expression::evaluate(const Lookup& lookup, std::string& error) const {
    std::vector<double> refs(m_refs.size());
    for (size_t i = 0; i < m_refs.size(); ++i) {
        auto v = lookup(m_refs[i]);
        if (!v) {
            error = "'" + m_refs[i] + "' has no numeric value in this design point";
            return std::nullopt;
        }
        refs[i] = *v;
    }
    std::vector<double> st;
    st.reserve(m_code.size());
    for (const Instr& in : m_code) {
        switch (in.op) {
            case Op::kConst: st.push_back(in.value); break;
            case Op::kRef: st.push_back(refs[static_cast<size_t>(in.index)]); break;
            case Op::kNeg: st.back() = -st.back(); break;
            case Op::kAdd:
            case Op::kSub:
            case Op::kMul:
            case Op::kDiv:
            case Op::kPow: {
                double b = st.back();
                st.pop_back();
                double& a = st.back();
                if (in.op == Op::kAdd) a += b;
                else if (in.op == Op::kSub) a -= b;
                else if (in.op == Op::kMul) a *= b;
                else if (in.op == Op::kDiv) {
                    if (b == 0) {
                        error = "division by zero";
                        return std::nullopt;
                    }
                    a /= b;
                } else a = std::pow(a, b);
                break;
            }
            case Op::kCall: {
                const size_t n = static_cast<size_t>(in.nargs);
                double* args = st.data() + st.size() - n;
                double r = args[0];
                switch (in.index) {
                    case 0: for (size_t i = 1; i < n; ++i) r = std::min(r, args[i]); break;
                    case 1: for (size_t i = 1; i < n; ++i) r = std::max(r, args[i]); break;
                    case 2: r = std::round(r); break;
                    case 3: r = std::floor(r); break;
                    case 4: r = std::ceil(r); break;
                    case 5: r = std::sqrt(r); break;
                    case 6: r = std::log2(r); break;
                    case 7: r = std::fabs(r); break;
                    default: break;
                }
                st.resize(st.size() - n);
                st.push_back(r);
                break;
            }
        }
    }
    double v = st.empty() ? 0.0 : st.back();
    if (!std::isfinite(v)) {
        error = "result is not a finite number";
        return std::nullopt;
    }
    return v;
}

}  // namespace chipdse::sweep
