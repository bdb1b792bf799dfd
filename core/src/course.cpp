// course.cpp: see aelab/course.hpp.
#include "aelab/course.hpp"

#include <algorithm>
#include <cmath>

#include "no_fp_contract.hpp"  // numpy's rounding, bit for bit

namespace aelab {

void NumpyRandomState::seed_init(std::uint32_t seed) {
    mt_[0] = seed;
    for (std::uint32_t i = 1; i < 624; ++i) mt_[i] = 1812433253u * (mt_[i - 1] ^ (mt_[i - 1] >> 30)) + i;
    pos_ = 624;
    has_gauss_ = false;
    gauss_ = 0;
}

std::uint32_t NumpyRandomState::next_u32() {
    constexpr std::uint32_t kUpper = 0x80000000u, kLower = 0x7fffffffu, kMatrix = 0x9908b0dfu;
    if (pos_ >= 624) {
        for (int i = 0; i < 624; ++i) {
            const std::uint32_t y = (mt_[i] & kUpper) | (mt_[(i + 1) % 624] & kLower);
            mt_[i] = mt_[(i + 397) % 624] ^ (y >> 1) ^ ((y & 1u) ? kMatrix : 0u);
        }
        pos_ = 0;
    }
    std::uint32_t y = mt_[pos_++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

double NumpyRandomState::rand() {
    const std::uint32_t a = next_u32() >> 5, b = next_u32() >> 6;
    return (double(a) * 67108864.0 + double(b)) / 9007199254740992.0;
}

double NumpyRandomState::randn() {
    if (has_gauss_) {
        has_gauss_ = false;
        return gauss_;
    }
    double x1 = 0, x2 = 0, r2 = 0;
    do {
        x1 = 2.0 * rand() - 1.0;
        x2 = 2.0 * rand() - 1.0;
        r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    const double f = std::sqrt(-2.0 * std::log(r2) / r2);
    gauss_ = f * x1;
    has_gauss_ = true;
    return f * x2;
}

Dataset geron_3d(Index m, double w1, double w2, double noise, std::uint32_t seed) {
    AELAB_REQUIRE(m >= 1, "geron_3d: m must be >= 1, got " + std::to_string(m));
    AELAB_REQUIRE(noise >= 0 && std::isfinite(noise), "geron_3d: noise must be a finite number >= 0");
    const double pi = 3.141592653589793;  // np.pi
    NumpyRandomState rs(seed);
    std::vector<double> ang(static_cast<size_t>(m)), x0(ang.size()), x1(ang.size()), x2(ang.size());
    for (auto& a : ang) a = rs.rand() * 3 * pi / 2 - 0.5;
    for (size_t i = 0; i < ang.size(); ++i) x0[i] = std::cos(ang[i]) + std::sin(ang[i]) / 2 + noise * rs.randn() / 2;
    for (size_t i = 0; i < ang.size(); ++i) x1[i] = std::sin(ang[i]) * 0.7 + noise * rs.randn() / 2;
    for (size_t i = 0; i < ang.size(); ++i) x2[i] = x0[i] * w1 + x1[i] * w2 + noise * rs.randn();
    double mean[3] = {0, 0, 0};
    for (size_t i = 0; i < ang.size(); ++i) {
        mean[0] += x0[i];
        mean[1] += x1[i];
        mean[2] += x2[i];
    }
    for (double& v : mean) v /= double(m);
    Dataset d;
    d.name = "geron3d";
    d.X.resize(3, m);
    d.y.resize(ang.size());
    d.param.resize(ang.size());
    d.num_classes = 4;
    const double lo = -0.5, width = 3 * pi / 2;
    for (size_t i = 0; i < ang.size(); ++i) {
        const Index j = Index(i);
        d.X(0, j) = float(x0[i] - mean[0]);
        d.X(1, j) = float(x1[i] - mean[1]);
        d.X(2, j) = float(x2[i] - mean[2]);
        d.y[i] = std::min(3, std::max(0, int((ang[i] - lo) / width * 4)));
        d.param[i] = float(ang[i]);
    }
    return d;
}

double rounded_accuracy(const Eigen::Ref<const Mat>& X, const Eigen::Ref<const Mat>& Xhat) {
    AELAB_REQUIRE(X.rows() == Xhat.rows() && X.cols() == Xhat.cols(),
                  "rounded_accuracy: shapes differ (" + std::to_string(X.rows()) + "x" + std::to_string(X.cols()) +
                      " vs " + std::to_string(Xhat.rows()) + "x" + std::to_string(Xhat.cols()) + ")");
    AELAB_REQUIRE(X.size() > 0, "rounded_accuracy: empty input");
    // Rounding half to even, as tf.round: 0.5 -> 0 (the only tie in [0, 1]).
    long long same = 0;
    for (Index j = 0; j < X.cols(); ++j)
        for (Index i = 0; i < X.rows(); ++i)
            same += std::nearbyint(X(i, j)) == std::nearbyint(Xhat(i, j));
    return double(same) / double(X.size());
}

}  // namespace aelab
