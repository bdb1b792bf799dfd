// query_mc.cpp: the Monte Carlo search's URL keys (query_mc.hpp).
#include "query_mc.hpp"

#include <cmath>

namespace aelab::app {
namespace {

// The value as shown in a message: at most 40 characters, control characters as '?'.
std::string shown(const std::string& v) {
    std::string o;
    for (char c : v.substr(0, 40)) o += (static_cast<unsigned char>(c) < 32 || c == 127) ? '?' : c;
    if (v.size() > 40) o += "...";
    return "'" + o + "'";
}

bool parse_count(const std::string& v, int lo, int hi, int* out) {
    double x = 0;
    if (v.empty() || v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos) return false;
    if (!parse_decimal(v, &x) || x < lo || x > hi) return false;
    *out = static_cast<int>(x);
    return true;
}

}  // namespace

std::string mc_bounds_string(const Settings& s) {
    if (!(s.mc_lo < s.mc_hi)) return "none";
    return format_number(s.mc_lo) + "," + format_number(s.mc_hi);
}

bool apply_mc_key(const std::string& k, const std::string& v, Settings& s, std::vector<std::string>& messages) {
    auto bad = [&](const std::string& why) { messages.push_back("ignored " + k + "=" + shown(v) + ": " + why); };
    double x = 0;
    if (k == "mcdist") {
        if (v == "normal") s.mc_dist = McDist::Normal;
        else if (v == "uniform") s.mc_dist = McDist::Uniform;
        else if (v == "cauchy") s.mc_dist = McDist::Cauchy;
        else bad("valid: normal, uniform, cauchy");
    } else if (k == "mctemp") {
        if (parse_decimal(v, &x) && x >= 0 && x <= kMaxMcTemp) s.mc_temp = x;
        else bad("want the initial temperature, a number in [0, 1000000] (0 = greedy)");
    } else if (k == "mcanneal") {
        if (parse_decimal(v, &x) && x > 0 && x <= 1) s.mc_anneal = x;
        else bad("want the annealing factor per step, a number in (0, 1]");
    } else if (k == "mcbounds") {
        const std::size_t comma = v.find(',');
        double lo = 0, hi = 0;
        if (v == "none") {
            s.mc_lo = s.mc_hi = 0;
        } else if (comma == std::string::npos || v.find(',', comma + 1) != std::string::npos ||
                   !parse_decimal(v.substr(0, comma), &lo) || !parse_decimal(v.substr(comma + 1), &hi)) {
            bad("want LO,HI (two numbers, e.g. -5,5) or none");
        } else if (!(lo < hi) || std::fabs(lo) > kMaxMcBound || std::fabs(hi) > kMaxMcBound) {
            bad("want LO < HI, both in [-1000000, 1000000]");
        } else {
            s.mc_lo = lo;
            s.mc_hi = hi;
        }
    } else if (k == "mcgroups") {
        if (v == "layers") s.mc_groups = true;
        else if (v == "all") s.mc_groups = false;
        else bad("valid: layers (one scale per parameter group), all (one group)");
    } else if (k == "mctol") {
        if (parse_decimal(v, &x) && x > 0 && x <= 10) s.mc_tol = x;
        else bad("want the intervals' tolerance, a number in (0, 10]");
    } else if (k == "mcarchive") {
        int n = 0;
        if (parse_count(v, 1, kMaxMcArchive, &n)) s.mc_archive = n;
        else bad("want the archive size, an integer 1.." + std::to_string(kMaxMcArchive));
    } else {
        return false;
    }
    return true;
}

void mc_query_pairs(const Settings& s, const Settings& base, std::vector<std::pair<std::string, std::string>>& kv) {
    if (s.mc_dist != base.mc_dist) kv.emplace_back("mcdist", mc_dist_name(s.mc_dist));
    if (s.mc_temp != base.mc_temp) kv.emplace_back("mctemp", format_number(s.mc_temp));
    if (s.mc_anneal != base.mc_anneal) kv.emplace_back("mcanneal", format_number(s.mc_anneal));
    if (s.mc_lo != base.mc_lo || s.mc_hi != base.mc_hi) kv.emplace_back("mcbounds", mc_bounds_string(s));
    if (s.mc_groups != base.mc_groups) kv.emplace_back("mcgroups", s.mc_groups ? "layers" : "all");
    if (s.mc_tol != base.mc_tol) kv.emplace_back("mctol", format_number(s.mc_tol));
    if (s.mc_archive != base.mc_archive) kv.emplace_back("mcarchive", std::to_string(s.mc_archive));
}

}  // namespace aelab::app
