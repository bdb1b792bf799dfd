// plots.cpp: the scatter and curve figures of images.hpp (pure: they build Figures; the
// write_* functions in images.cpp put them on disk).
#include "images.hpp"

#include "font.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace aelab::cli {

namespace {
const Rgb kBlack{0, 0, 0}, kLight{225, 225, 225};
}

Figure scatter_figure(const std::string& title, const Mat& xy, const std::vector<int>& labels,
                      const std::vector<std::string>& class_names, const std::string& xlabel,
                      const std::string& ylabel, int size, Axes* axes_out) {
    const int left = 130, top = 50, bottom = 84, legend_w = 190;
    Axes ax;
    ax.x = left, ax.y = top, ax.w = float(size - left - 20), ax.h = float(size - top - bottom);
    const int W = std::max(size + legend_w, font::text_width(title, 2) + 20), H = size;
    Figure f(W, H);
    f.text(10, 12, title, kBlack, 2);
    const Index n = xy.cols();
    if (n > 0) {
        // Robust range: 0.5% and 99.5% quantiles, padded, so a few outliers do not squash the plot.
        auto quant = [&](int row, double q) {
            std::vector<float> v(static_cast<size_t>(n));
            for (Index i = 0; i < n; ++i) v[size_t(i)] = xy(row, i);
            const size_t k = size_t(std::clamp(q, 0.0, 1.0) * double(n - 1));
            std::nth_element(v.begin(), v.begin() + long(k), v.end());
            return double(v[k]);
        };
        double xlo = quant(0, 0.005), xhi = quant(0, 0.995), ylo = quant(1, 0.005), yhi = quant(1, 0.995);
        const double xp = std::max(1e-9, 0.05 * (xhi - xlo)), yp = std::max(1e-9, 0.05 * (yhi - ylo));
        ax.x0 = xlo - xp, ax.x1 = xhi + xp, ax.y0 = ylo - yp, ax.y1 = yhi + yp;
    }
    draw_axes(f, ax, xlabel, ylabel);
    if (n > 0) {
        // Draw in a fixed pseudo-random order so no class is systematically on top.
        std::vector<Index> order(static_cast<size_t>(n));
        std::iota(order.begin(), order.end(), Index(0));
        Rng rng(12345);
        rng.shuffle(order);
        const float alpha = n > 20000 ? 0.35f : (n > 3000 ? 0.55f : 0.8f);
        const float rad = n > 3000 ? 1.6f : 2.4f;
        for (Index i : order) {
            const double vx = xy(0, i), vy = xy(1, i);
            if (!(vx >= ax.x0 && vx <= ax.x1 && vy >= ax.y0 && vy <= ax.y1)) continue;
            const int lab = i < Index(labels.size()) ? labels[size_t(i)] : -1;
            f.dot(ax.px(vx), ax.py(vy), rad, palette::categorical(lab), alpha);
        }
    }
    std::vector<LegendItem> legend;
    for (size_t c = 0; c < class_names.size(); ++c) legend.push_back({class_names[c], palette::categorical(int(c))});
    draw_legend(f, float(size + 4), float(top + 6), legend, false);
    if (axes_out) *axes_out = ax;
    return f;
}

Figure curves_figure(const std::string& title, const std::vector<CurveSeries>& series,
                     const std::vector<CurveLevel>& levels, const std::string& xlabel, const std::string& ylabel) {
    const int W = 900, H = 560, left = 130, top = 50, bottom = 84, right = 24;
    Figure f(std::max(W, font::text_width(title, 2) + 20), H);
    f.text(10, 12, title, kBlack, 2);
    double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = x0, y1 = -x0;
    bool positive = true;
    auto take_y = [&](double y) {
        if (!std::isfinite(y)) return;
        y0 = std::min(y0, y), y1 = std::max(y1, y);
        positive = positive && y > 0;
    };
    for (const auto& s : series)
        for (size_t i = 0; i < std::min(s.x.size(), s.y.size()); ++i)
            if (std::isfinite(s.x[i]) && std::isfinite(s.y[i])) {
                x0 = std::min(x0, s.x[i]), x1 = std::max(x1, s.x[i]);
                take_y(s.y[i]);
            }
    for (const auto& l : levels) take_y(l.y);
    Axes ax;
    ax.x = left, ax.y = top, ax.w = float(f.width() - left - right), ax.h = float(H - top - bottom);
    if (!(x1 >= x0)) x0 = 0, x1 = 1;  // nothing finite: an empty frame
    if (!(x1 > x0)) x1 = x0 + 1;
    if (!(y1 >= y0)) y0 = 0, y1 = 1, positive = false;
    ax.logy = positive;
    if (positive) {
        ax.y0 = y0 / 1.15, ax.y1 = y1 * 1.15;
        if (!(ax.y1 > ax.y0 * 1.5)) ax.y0 = (y0 + y1) / 2 / 1.5, ax.y1 = (y0 + y1) / 2 * 1.5;  // a flat curve
    } else {
        const double pad = y1 > y0 ? 0.05 * (y1 - y0) : 0.5;
        ax.y0 = y0 - pad, ax.y1 = y1 + pad;
    }
    ax.x0 = x0, ax.x1 = x1;
    draw_axes(f, ax, xlabel, ylabel);
    std::vector<LegendItem> legend;
    for (const auto& l : levels) {
        f.line(ax.x, ax.py(l.y), ax.x + ax.w, ax.py(l.y), l.color, 2.f, true);
        legend.push_back({l.name, l.color, true});
    }
    for (const auto& s : series) {
        std::vector<std::pair<float, float>> run;
        auto flush = [&] {
            f.polyline(run, s.color, 2.f);
            run.clear();
        };
        for (size_t i = 0; i < std::min(s.x.size(), s.y.size()); ++i) {
            if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i]) || (ax.logy && s.y[i] <= 0)) {
                flush();
                continue;
            }
            run.push_back({ax.px(s.x[i]), ax.py(s.y[i])});
        }
        flush();
        legend.push_back({s.name, s.color});
    }
    // Legend at the top right of the plot, on a white box so curves under it stay readable.
    int lw = 0;
    for (const LegendItem& it : legend) lw = std::max(lw, font::text_width(it.name, 2));
    const float bx = ax.x + ax.w - float(lw) - 46, by = ax.y + 8;
    f.fill_rect(bx - 6, by - 6, float(lw) + 46, float(legend.size()) * 24 + 6, {255, 255, 255});
    f.stroke_rect(bx - 6, by - 6, float(lw) + 46, float(legend.size()) * 24 + 6, kLight);
    draw_legend(f, bx, by, legend, true);
    return f;
}

}  // namespace aelab::cli
