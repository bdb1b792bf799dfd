// sensitivity.cpp: see sensitivity.hpp.
#include "sensitivity.hpp"

#include <algorithm>
#include <cmath>

namespace aelab::app {

const char* sens_direction_label(SensDirection d) {
    switch (d) {
        case SensDirection::Towards: return "to next image";
        case SensDirection::Random: return "random";
        case SensDirection::PC1: return "PC1";
    }
    return "?";
}

Vec sensitivity_direction(SensDirection kind, const Vec& x, const Vec& other, const Vec& pc1, std::uint64_t seed) {
    if (other.size() != x.size() || (kind == SensDirection::PC1 && pc1.size() != x.size()))
        throw Error("sensitivity: the direction's vectors differ in size from the input");
    Vec v(x.size());
    switch (kind) {
        case SensDirection::Towards: v = other - x; break;
        case SensDirection::Random: {
            Rng rng(seed, 0x5e45);
            for (Index i = 0; i < v.size(); ++i) v(i) = static_cast<float>(rng.normal());
            break;
        }
        case SensDirection::PC1: v = pc1; break;
    }
    const double n = v.cast<double>().norm();
    if (!(n > 0) || !std::isfinite(n))
        throw Error(std::string("sensitivity: the direction '") + sens_direction_label(kind) + "' is zero here");
    return (v.cast<double>() / n).cast<float>();
}

SensitivityCurve compute_sensitivity(Autoencoder<float>& ae, const Vec& x, const Vec& v, double t_max, int n_curve,
                                     int n_row) {
    const Index d = ae.config().input_dim;
    if (x.size() != d || v.size() != d)
        throw Error("sensitivity: the input and the direction need " + std::to_string(d) + " values");
    if (!(t_max > 0) || !std::isfinite(t_max)) throw Error("sensitivity: the largest step t must be positive");
    if (n_curve < 2 || n_row < 1) throw Error("sensitivity: need at least 2 curve points and 1 image");
    SensitivityCurve c;
    c.t_max = t_max;
    auto at = [t_max](int i, int n) { return n < 2 ? 0.0 : t_max * double(i) / double(n - 1); };
    // One batch: the curve's columns, then the row's.
    Mat X(d, n_curve + n_row);
    for (int i = 0; i < n_curve; ++i) {
        c.t.push_back(at(i, n_curve));
        X.col(i) = x + static_cast<float>(c.t.back()) * v;
    }
    for (int i = 0; i < n_row; ++i) {
        c.row_t.push_back(at(i, n_row));
        X.col(n_curve + i) = x + static_cast<float>(c.row_t.back()) * v;
    }
    Mat Z, R;
    ae.encode(X, Z);
    ae.decode(Z, R);
    for (int i = 0; i < n_curve; ++i) {
        c.recon_dist.push_back((R.col(i) - R.col(0)).cast<double>().norm());
        c.code_dist.push_back((Z.col(i) - Z.col(0)).cast<double>().norm());
    }
    c.row_in = X.rightCols(n_row);
    c.row = R.rightCols(n_row);
    Mat x1 = x;
    c.jacobian_fro = std::sqrt(std::max(0.0, ae.jacobian_sqnorm(x1)));
    return c;
}

}  // namespace aelab::app
