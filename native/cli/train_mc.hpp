// native/cli/train_mc.hpp — `aelab train --opt mc` with the Monte Carlo search's settings.
//
// What: the options --mc-pop P --mc-dist normal|uniform|cauchy --mc-temp T --mc-anneal A
// --mc-bounds LO,HI --mc-groups layers|all --mc-tol TOL --mc-archive N (validated; refused
// unless the optimizer is mc; --lr is the initial scale of every group), and after a run the
// search's weak confidence intervals (aelab/optim.hpp "Monte Carlo search"): a table on
// stdout (at most 20 tracked parameters: the 10 narrowest and the 10 widest intervals),
// metrics.json "mc" (settings, best loss, threshold, every tracked parameter's interval, the
// groups' scales) and <out>/mc_intervals.csv (one row per tracked parameter).
// Why a separate file: cmd_train.cpp stays one flow; this adds four calls to it.
#pragma once

#include "aelab/model.hpp"
#include "aelab/optim.hpp"
#include "args.hpp"
#include "io.hpp"

#include <string>
#include <vector>

namespace aelab::cli {

std::vector<OptDef> mc_options();

// Sets oc's Monte Carlo fields from the options (UsageError on a bad value, or on an mc
// option with another optimizer).
void read_mc_options(const Options& o, OptimizerConfig& oc);

// The intervals are of the raw values the search moves. For a parametric layer's alpha and
// beta (groups "layer<i>.alpha" / ".beta" of a graph model) the constrained value T(u) is what
// the layer uses; T is monotone, so its interval is [T(lo), T(hi)]: mc_json adds value_best /
// value_lo / value_hi to those rows and print_mc prints them in a table of their own.
Json mc_json(const OptimizerConfig& oc, const McIntervals& iv, const Model& model);
std::string mc_csv(const McIntervals& iv);  // param,group,best,lo,hi,width
void print_mc(const OptimizerConfig& oc, const McIntervals& iv, const Model& model);

}  // namespace aelab::cli
