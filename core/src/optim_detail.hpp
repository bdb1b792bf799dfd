// optim_detail.hpp — helpers shared by optim.cpp and optim_mc.cpp (not a public header).
//
// What: the checks of an imported OptimizerState (clear "optimizer state: ..." errors) and
// the Monte Carlo search's factory.
// Why: the Monte Carlo search lives in its own file but validates states like the others.
// Usage: detail::reject_unknown(st.arrays, {"mc.archive.values"}, "array", cfg_.kind);
#pragma once

#include "aelab/optim.hpp"

#include <memory>
#include <string>
#include <vector>

namespace aelab {
namespace detail {

inline std::string bad_state(const std::string& what) { return "optimizer state: " + what; }

inline void require_finite(const Vec& v, const std::string& name) {
    if (!v.allFinite()) throw Error(bad_state("'" + name + "' has NaN or infinite entries"));
}

// Throws unless every name in `have` is one of `known` (for a clear "unexpected" message).
template <class Map>
void reject_unknown(const Map& have, const std::vector<std::string>& known, const char* kind, OptimizerKind k) {
    for (const auto& e : have) {
        bool ok = false;
        for (const auto& n : known) ok = ok || n == e.first;
        if (!ok)
            throw Error(bad_state(std::string("unexpected ") + kind + " '" + e.first + "' for optimizer " +
                                  optimizer_name(k)));
    }
}

inline void require_iterations(long t) {
    if (t < 0 || static_cast<long long>(t) > kMaxOptimizerIterations)
        throw Error(bad_state("iteration count " + std::to_string(t) + " is out of range"));
}

}  // namespace detail

// The Monte Carlo search (optim_mc.cpp); c validated, n > 0; groups as make_optimizer's.
std::unique_ptr<Optimizer> make_monte_carlo(const OptimizerConfig& c, Index n, const std::vector<ParamGroup>& groups);

}  // namespace aelab
