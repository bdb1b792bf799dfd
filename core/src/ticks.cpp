// ticks.cpp: see aelab/ticks.hpp.
#include "aelab/ticks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace aelab {

std::vector<double> nice_ticks(double a, double b, int target) {
    std::vector<double> t;
    if (!(b > a) || !std::isfinite(a) || !std::isfinite(b)) return t;
    const double raw = (b - a) / std::max(1, target);
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    double step = mag;
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (raw <= m * mag) {
            step = m * mag;
            break;
        }
    // Index-based so that rounding errors do not accumulate along the axis; a bound within
    // 1e-9 steps of a tick includes it (-0.3 / 0.1 is -2.9999999999999996).
    const double first = std::ceil(a / step - 1e-9);
    for (double k = first; k * step <= b + step * 1e-9; k += 1) {
        const double x = k * step;
        t.push_back(std::fabs(x) < step * 1e-9 ? 0 : x);
        if (t.size() > 1000) break;  // cannot happen for target <= 1000; a hard stop all the same
    }
    return t;
}

std::vector<LogTick> log_ticks(double y0, double y1) {
    std::vector<LogTick> t;
    if (!(y0 > 0) || !(y1 > y0) || !std::isfinite(y1)) return t;
    const int e0 = int(std::floor(std::log10(y0))), e1 = int(std::ceil(std::log10(y1)));
    const double decades = std::log10(y1 / y0);
    for (int e = e0; e <= e1; ++e)
        for (int m = 1; m <= 9; ++m) {
            const double v = m * std::pow(10.0, e);
            if (v < y0 || v > y1) continue;
            t.push_back({v, m == 1 || (decades < 2.0 && (m == 2 || m == 5)) || decades < 0.7});
        }
    return t;
}

std::string tick_label(double v) {
    char buf[32];
    const double a = std::fabs(v);
    if (a == 0) return "0";
    if (a >= 1e6) std::snprintf(buf, sizeof buf, "%.3gM", v / 1e6);
    else if (a >= 1e4) std::snprintf(buf, sizeof buf, "%.3gk", v / 1e3);
    else if (a >= 1) std::snprintf(buf, sizeof buf, "%.4g", v);
    else std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
}

}  // namespace aelab
