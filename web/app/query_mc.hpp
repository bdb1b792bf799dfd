// query_mc.hpp: the URL keys of the Monte Carlo search's settings (opt=mc), beside mcpop.
//
// What: apply_mc_key() reads one key into Settings (true when the key is one of them; a bad
// value leaves the setting unchanged and appends a message), mc_query_pairs() writes the keys
// whose value differs from `base`. The keys (aelab/optim.hpp "Monte Carlo search"):
//   mcdist     normal | uniform | cauchy: each group's proposal distribution (default normal)
//   mctemp     initial temperature T0 in [0, 1e6] (0 = greedy: only improvements; default 0)
//   mcanneal   temperature at step t = T0 * mcanneal^(t-1), in (0, 1] (default 0.99)
//   mcbounds   LO,HI: the box LO <= p_i <= HI for every parameter, LO < HI, |LO|, |HI| <= 1e6;
//              "none" (default) = no box
//   mcgroups   layers (default: each candidate moves one group, own adaptive scale) | all
//   mctol      the intervals' tolerance: samples with loss <= best + mctol * |best|, (0, 10]
//              (default 0.05)
//   mcarchive  samples kept for the intervals (the lowest losses), 1..100000 (default 2000;
//              the CLI allows 1e6, the page keeps the archive small enough to redraw live)
// Why a file of its own: query.cpp holds the other ~50 keys and stays under its size limit.
// Usage (query.cpp):
//     if (apply_mc_key(k, v, s, messages)) continue;
//     mc_query_pairs(s, base, kv);
#pragma once

#include "state.hpp"

#include <string>
#include <utility>
#include <vector>

namespace aelab::app {

constexpr double kMaxMcTemp = 1e6;
constexpr double kMaxMcBound = 1e6;
constexpr int kMaxMcArchive = 100000;

bool apply_mc_key(const std::string& k, const std::string& v, Settings& s, std::vector<std::string>& messages);
void mc_query_pairs(const Settings& s, const Settings& base, std::vector<std::pair<std::string, std::string>>& kv);
// "LO,HI" or "none" for the box of s.
std::string mc_bounds_string(const Settings& s);

}  // namespace aelab::app
