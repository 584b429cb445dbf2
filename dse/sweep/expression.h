#pragma once
// Arithmetic for derived sweep values: `chip.matrix.rows * chip.matrix.cols`,
// `max(1, system.chips / 8)`, `chip.clock * '2 ns'`. Operands are numbers, quoted values with
// units ('1.8 GHz', read in SI) and config paths (the point's value, read in SI). Operators
// + - * / ^ and parentheses; functions min, max, round, floor, ceil, sqrt, log2, abs.
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace chipdse::sweep {

class Expression {
public:
    // Parses `text`; on failure returns nullopt and sets `error` to what is wrong.
    static std::optional<Expression> parse(const std::string& text, std::string& error);

    // Config paths the expression reads, in order of first use.
    const std::vector<std::string>& references() const { return m_refs; }

    // Evaluates; `lookup` gives the SI value of a reference (nullopt: absent or not a number).
    // On failure returns nullopt and sets `error`.
    using Lookup = std::function<std::optional<double>(const std::string& path)>;
    std::optional<double> evaluate(const Lookup& lookup, std::string& error) const;

    const std::string& text() const { return m_text; }

private:
    enum class Op { kConst, kRef, kAdd, kSub, kMul, kDiv, kPow, kNeg, kCall };
    struct Instr {
        Op op;
        double value = 0;  // kConst
        int index = 0;     // kRef: reference index; kCall: function id
        int nargs = 0;     // kCall
    };
    friend class ExpressionParser;

    std::string m_text;
    std::vector<Instr> m_code;  // reverse Polish
    std::vector<std::string> m_refs;
};

}  // namespace chipdse::sweep
