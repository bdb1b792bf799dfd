// model_views.cpp: code activity, reconstruction rows and thumbnail choice (see model_views.hpp).
#include "model_views.hpp"

#include "aelab/layout.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

namespace aelab::app {

CodeActivity code_activity(const Mat& Z, Sparsity sparsity, double target, bool sorted) {
    if (Z.rows() == 0 || Z.cols() == 0) throw Error("code activity: no codes (k x N with k, N >= 1 needed)");
    CodeActivity a;
    a.absolute = sparsity == Sparsity::L1;
    a.has_target = sparsity == Sparsity::KL;
    a.target = a.has_target ? static_cast<float>(target) : 0.0f;
    const Index k = Z.rows();
    a.value.assign(static_cast<size_t>(k), 0.0f);
    for (Index j = 0; j < k; ++j) {
        double s = 0;
        Index m = 0;
        for (Index i = 0; i < Z.cols(); ++i) {
            const float z = Z(j, i);
            if (!std::isfinite(z)) continue;
            s += a.absolute ? std::fabs(z) : z;
            ++m;
        }
        a.value[static_cast<size_t>(j)] = m ? static_cast<float>(s / static_cast<double>(m)) : 0.0f;
    }
    a.unit.resize(static_cast<size_t>(k));
    std::iota(a.unit.begin(), a.unit.end(), 0);
    if (sorted) {
        std::stable_sort(a.unit.begin(), a.unit.end(),
                         [&](int p, int q) { return a.value[static_cast<size_t>(p)] > a.value[static_cast<size_t>(q)]; });
        std::vector<float> v(a.value.size());
        for (size_t i = 0; i < v.size(); ++i) v[i] = a.value[static_cast<size_t>(a.unit[i])];
        a.value.swap(v);
    }
    const auto [mn, mx] = std::minmax_element(a.value.begin(), a.value.end());
    a.lo = std::min(0.0f, *mn);
    a.hi = std::max({*mx, a.target, a.lo + 1e-6f});
    a.mean = static_cast<float>(std::accumulate(a.value.begin(), a.value.end(), 0.0) / static_cast<double>(k));
    return a;
}

const char* recon_row_label(ReconRow r) {
    switch (r) {
        case ReconRow::Input: return "input";
        case ReconRow::Noisy: return "noisy";
        case ReconRow::NoisyAE: return "AE(noisy)";
        case ReconRow::AE: return "AE";
        case ReconRow::PCA: return "PCA";
    }
    return "?";
}

ReconLayout recon_layout(int n, bool noisy) {
    ReconLayout L;
    L.n = std::max(0, n);
    if (noisy) {
        L.rows = {ReconRow::Input, ReconRow::Noisy, ReconRow::NoisyAE, ReconRow::AE, ReconRow::PCA};
        L.blocks = 1;
    } else {
        L.rows = {ReconRow::Input, ReconRow::AE, ReconRow::PCA};
        L.blocks = 2;
    }
    L.per_row = (L.n + L.blocks - 1) / L.blocks;
    return L;
}

std::vector<float> sigma_ellipse(float mx, float my, float lvx, float lvy, int segments) {
    AELAB_REQUIRE(segments >= 3, "an ellipse needs at least 3 segments");
    const double sx = std::exp(0.5 * static_cast<double>(lvx)), sy = std::exp(0.5 * static_cast<double>(lvy));
    std::vector<float> p(2 * static_cast<size_t>(segments));
    for (int i = 0; i < segments; ++i) {
        const double a = 6.283185307179586 * i / segments;
        p[2 * static_cast<size_t>(i)] = static_cast<float>(mx + sx * std::cos(a));
        p[2 * static_cast<size_t>(i) + 1] = static_cast<float>(my + sy * std::sin(a));
    }
    return p;
}

std::vector<int> ellipse_subset(int n, int max) {
    std::vector<int> r;
    if (n <= 0 || max <= 0) return r;
    const int m = std::min(n, max);
    for (int i = 0; i < m; ++i) r.push_back(static_cast<int>(static_cast<long long>(i) * n / m));
    return r;
}

Mat latent_traversal(int k, int dim, int steps, float range) {
    AELAB_REQUIRE(k >= 1 && dim >= 0 && dim < k, "traversal dimension " + std::to_string(dim) + " is not in 0.." +
                                                     std::to_string(k - 1));
    AELAB_REQUIRE(steps >= 2, "a traversal needs at least 2 steps");
    Mat Z = Mat::Zero(k, steps);
    for (int j = 0; j < steps; ++j) Z(dim, j) = -range + 2.0f * range * static_cast<float>(j) / (steps - 1);
    return Z;
}

Mat noisy_inputs(const Autoencoder<float>& model, const Mat& X, std::uint64_t seed) {
    if (model.config().noise == Noise::None) return Mat(X.rows(), 0);
    Rng rng(seed, 977);
    Mat Xn;
    model.corrupt(X, Xn, rng);
    return Xn;
}

Mat recon_grid(const ReconLayout& L, const std::vector<const Mat*>& mats) {
    const Mat* in = mats.empty() ? nullptr : mats[0];
    if (!in) throw Error("reconstruction grid: the input row is missing");
    const Index d = in->rows();
    if (in->cols() != L.n) throw Error("reconstruction grid: " + std::to_string(in->cols()) + " inputs for " +
                                       std::to_string(L.n) + " images");
    const int nr = static_cast<int>(L.rows.size());
    Mat M = Mat::Zero(d, static_cast<Index>(L.grid_count()));
    for (int r = 0; r < nr; ++r) {
        const size_t which = static_cast<size_t>(L.rows[static_cast<size_t>(r)]);
        const Mat* src = which < mats.size() ? mats[which] : nullptr;
        if (!src || src->rows() != d || src->cols() != L.n)
            throw Error(std::string("reconstruction grid: row '") + recon_row_label(L.rows[static_cast<size_t>(r)]) +
                        "' is missing or not " + std::to_string(d) + " x " + std::to_string(L.n));
        for (int i = 0; i < L.n; ++i) {
            const int blk = i / L.per_row, c = i % L.per_row;
            M.col((blk * nr + r) * L.per_row + c) = src->col(i);
        }
    }
    return M;
}

std::vector<int> thumbnail_subset(const std::vector<float>& sx, const std::vector<float>& sy, float x0, float y0,
                                  float x1, float y1, float box, int max_count) {
    if (sx.size() != sy.size()) throw Error("thumbnails: x and y positions differ in length");
    const float h = 0.5f * box;
    std::vector<float> xs(sx.size()), ys(sy.size());
    const float nan = std::nanf("");
    for (size_t i = 0; i < sx.size(); ++i) {
        const bool inside = sx[i] - h >= x0 && sx[i] + h <= x1 && sy[i] - h >= y0 && sy[i] + h <= y1;
        xs[i] = inside ? sx[i] : nan;  // non-finite points are skipped by spaced_subset
        ys[i] = inside ? sy[i] : nan;
    }
    std::vector<int> out;
    for (Index i : spaced_subset(xs, ys, box, std::max(0, max_count))) out.push_back(static_cast<int>(i));
    return out;
}

}  // namespace aelab::app
