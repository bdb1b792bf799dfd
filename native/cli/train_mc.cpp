// native/cli/train_mc.cpp — the Monte Carlo search's options and interval outputs (train_mc.hpp).
#include "train_mc.hpp"

#include "aelab/graph.hpp"
#include "aelab/group_transform.hpp"
#include "common.hpp"

#include <algorithm>
#include <cstdlib>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace aelab::cli {

std::vector<OptDef> mc_options() {
    return {
        {"mc-pop", "P", "--opt mc: candidates per step, 1..10000 (default 8; 1 with --mc-groups all = the (1+1) search)"},
        {"mc-dist", "D", "--opt mc: proposal distribution normal (default), uniform or cauchy; --lr = initial scale"},
        {"mc-temp", "T", "--opt mc: initial temperature: a worse candidate is accepted with p = exp(-(L_new - L)/T) (default 0 = greedy)"},
        {"mc-anneal", "A", "--opt mc: temperature at step t = T * A^(t-1), A in (0, 1] (default 0.99)"},
        {"mc-bounds", "LO,HI", "--opt mc: box LO <= p_i <= HI for every parameter; candidates are reflected into it (default none)"},
        {"mc-groups", "G", "--opt mc: layers (default: each candidate moves one layer's W or b, own adaptive scale) or all"},
        {"mc-tol", "TOL", "--opt mc: intervals from samples with loss <= best + TOL*|best|, TOL in (0, 10] (default 0.05)"},
        {"mc-archive", "N", "--opt mc: samples kept for the intervals (the N lowest losses), 1..1000000 (default 2000)"},
    };
}

namespace {

// "LO,HI": two finite numbers with LO < HI.
void parse_bounds(const std::string& v, OptimizerConfig& oc) {
    const std::size_t comma = v.find(',');
    if (comma == std::string::npos || v.find(',', comma + 1) != std::string::npos)
        throw UsageError("--mc-bounds '" + v + "' must be LO,HI (two numbers, e.g. -1,1)");
    auto num = [&](const std::string& s) {
        std::size_t used = 0;
        double x = 0;
        try {
            x = std::stod(s, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        const bool ok = !s.empty() && used == s.size() && std::isfinite(x) && s.find_first_of("xXnN") == std::string::npos;
        if (!ok) throw UsageError("--mc-bounds '" + v + "': '" + s + "' is not a finite number");
        return x;
    };
    oc.mc_lo = num(v.substr(0, comma));
    oc.mc_hi = num(v.substr(comma + 1));
    if (!(oc.mc_lo < oc.mc_hi)) throw UsageError("--mc-bounds '" + v + "' needs LO < HI");
}

}  // namespace

void read_mc_options(const Options& o, OptimizerConfig& oc) {
    bool any = false;
    for (const OptDef& d : mc_options()) any = any || o.has(d.name);
    if (!any) return;
    if (oc.kind != OptimizerKind::MonteCarlo)
        throw UsageError("the --mc-* options set the Monte Carlo search: add --opt mc");
    oc.mc_pop = int(o.integer("mc-pop", oc.mc_pop, 1, 10000));
    if (o.has("mc-dist")) oc.mc_dist = parse_mc_dist(o.choice("mc-dist", "normal", {"normal", "uniform", "cauchy"}));
    oc.mc_temp = o.real("mc-temp", oc.mc_temp, 0.0, 1e30);
    oc.mc_anneal = o.real("mc-anneal", oc.mc_anneal, 0.0, 1.0, true);
    if (o.has("mc-bounds")) parse_bounds(o.str("mc-bounds", ""), oc);
    if (o.has("mc-groups")) oc.mc_groups = o.choice("mc-groups", "layers", {"layers", "all"}) == "layers";
    oc.mc_tol = o.real("mc-tol", oc.mc_tol, 0.0, 10.0, true);
    oc.mc_archive = int(o.integer("mc-archive", oc.mc_archive, 1, 1000000));
    try {
        oc.validate();
    } catch (const Error& e) {
        throw UsageError(e.what());
    }
}

Json mc_json(const OptimizerConfig& oc, const McIntervals& iv, const Model& model) {
    Json j = Json::object();
    j["population"] = oc.mc_pop;
    j["distribution"] = mc_dist_name(oc.mc_dist);
    j["temperature"] = oc.mc_temp;
    j["anneal"] = oc.mc_anneal;
    if (oc.mc_lo < oc.mc_hi) {
        Json b = Json::array();
        b.push(oc.mc_lo);
        b.push(oc.mc_hi);
        j["bounds"] = b;
    } else {
        j["bounds"] = Json();
    }
    j["groups"] = oc.mc_groups ? "layers" : "all";
    j["archive_size"] = oc.mc_archive;
    j["tol"] = iv.tol;
    j["best_loss"] = iv.best_loss;
    j["threshold"] = iv.threshold;
    j["archived_samples"] = iv.samples;
    j["samples_within_tol"] = iv.within;
    Json scales = Json::object();
    for (std::size_t g = 0; g < iv.group_names.size(); ++g) scales[iv.group_names[g]] = iv.group_scales[g];
    j["group_scales"] = scales;
    Json rows = Json::array();
    for (std::size_t i = 0; i < iv.params.size(); ++i) {
        Json r = Json::object();
        r["param"] = long(iv.params[i]);
        r["group"] = iv.group[i];
        r["best"] = iv.best[i];
        r["lo"] = iv.lo[i];
        r["hi"] = iv.hi[i];
        if (const ParamTransform* t = group_transform(model, iv.group[i])) {
            r["transform"] = t->str();
            r["value_best"] = t->value(iv.best[i]);
            r["value_lo"] = t->value(iv.lo[i]);
            r["value_hi"] = t->value(iv.hi[i]);
        }
        rows.push(r);
    }
    j["intervals"] = rows;
    return j;
}

std::string mc_csv(const McIntervals& iv) {
    std::string s = "param,group,best,lo,hi,width\n";
    for (std::size_t i = 0; i < iv.params.size(); ++i)
        s += std::to_string(iv.params[i]) + "," + iv.group[i] + "," + fmt_g(iv.best[i], 9) + "," + fmt_g(iv.lo[i], 9) +
             "," + fmt_g(iv.hi[i], 9) + "," + fmt_g(iv.hi[i] - iv.lo[i], 9) + "\n";
    return s;
}

void print_mc(const OptimizerConfig& oc, const McIntervals& iv, const Model& model) {
    std::printf("\n  Monte Carlo search: population %d, %s proposals, T0 %s (x%s per step), groups %s%s\n", oc.mc_pop,
                mc_dist_name(oc.mc_dist), fmt_g(oc.mc_temp).c_str(), fmt_g(oc.mc_anneal).c_str(),
                oc.mc_groups ? "per layer W / b" : "all",
                oc.mc_lo < oc.mc_hi ? (", box [" + fmt_g(oc.mc_lo) + ", " + fmt_g(oc.mc_hi) + "]").c_str() : "");
    if (iv.samples == 0) {
        std::printf("  no archived samples: no intervals\n");
        return;
    }
    std::printf("  weak confidence intervals (not a statistical confidence level): [min, max] over the %ld of %ld archived\n"
                "  samples with batch loss <= %s (best %s + %s * |best|); %zu tracked parameters",
                iv.within, iv.samples, fmt_g(iv.threshold, 6).c_str(), fmt_g(iv.best_loss, 6).c_str(),
                fmt_g(iv.tol).c_str(), iv.params.size());
    std::vector<std::size_t> order(iv.params.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    if (order.size() > 20) {
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return iv.hi[a] - iv.lo[a] < iv.hi[b] - iv.lo[b]; });
        order.erase(order.begin() + 10, order.end() - 10);
        std::printf(", the 10 narrowest and the 10 widest:\n");
    } else {
        std::printf(":\n");
    }
    std::printf("  %8s  %-14s %12s %12s %12s %12s\n", "param", "group", "best", "lo", "hi", "width");
    for (std::size_t i : order)
        std::printf("  %8ld  %-14s %12.6g %12.6g %12.6g %12.6g\n", long(iv.params[i]), iv.group[i].c_str(), iv.best[i],
                    iv.lo[i], iv.hi[i], iv.hi[i] - iv.lo[i]);
    bool head = false;
    for (std::size_t i = 0; i < iv.params.size(); ++i) {
        const ParamTransform* t = group_transform(model, iv.group[i]);
        if (!t) continue;
        if (!head) std::printf("  the parametric layers' extra parameters, as the layer uses them (value = transform(raw)):\n"
                               "  %-14s %-12s %12s %12s %12s\n", "param", "transform", "best", "lo", "hi");
        head = true;
        std::printf("  %-14s %-12s %12.6g %12.6g %12.6g\n", iv.group[i].c_str(), t->str().c_str(), t->value(iv.best[i]),
                    t->value(iv.lo[i]), t->value(iv.hi[i]));
    }
}

}  // namespace aelab::cli
