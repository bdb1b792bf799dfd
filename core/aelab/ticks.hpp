// aelab/ticks.hpp — axis ticks and tick labels, the same for the page and the CLI's figures.
//
// What: nice_ticks() picks round tick values (1, 2 or 5 x 10^k apart) inside [a, b];
// log_ticks() picks the ticks of a log axis (every 1..9 x 10^e in range, 1 x 10^e major, and
// 2 and 5 major too over fewer than 2 decades, all major below 0.7 decades); tick_label()
// writes a tick value compactly ("1.2k", "35", "0.0123").
// Why: the playground's plots (web/app/widgets.cpp) and the CLI's PNG/SVG figures
// (native/cli/figure.cpp) must show the same ticks for the same range; pure functions here
// are unit-tested once (tests/unit/test_palette.cpp) and shared.
// Usage:
//     for (double v : aelab::nice_ticks(x0, x1, 5)) draw_tick(v, aelab::tick_label(v));
//     for (const aelab::LogTick& t : aelab::log_ticks(1e-3, 0.2)) if (t.major) label(t.value);
#pragma once

#include <string>
#include <vector>

namespace aelab {

// Round values in [a, b], about `target` (>= 1) of them, ascending; a value within 1e-9 of a
// step from 0 is exactly 0. Empty when !(b > a) or a bound is not finite.
std::vector<double> nice_ticks(double a, double b, int target);

struct LogTick {
    double value;  // m x 10^e, m in 1..9
    bool major;    // gets a grid line and a label
};
// Ticks of a log axis over [y0, y1] (0 < y0 < y1, finite; else empty), ascending.
std::vector<LogTick> log_ticks(double y0, double y1);

// Compact tick label: 0 -> "0", |v| >= 1e6 -> "%.3gM" of v/1e6, >= 1e4 -> "%.3gk" of v/1e3,
// >= 1 -> "%.4g", else "%.3g".
std::string tick_label(double v);

}  // namespace aelab
