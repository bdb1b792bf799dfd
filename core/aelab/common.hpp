// aelab/common.hpp — scalar and matrix types, errors, and the project's own RNG.
//
// Why: every module of the core shares these. Conventions used everywhere:
//   * one sample per COLUMN: a batch of B samples of dimension d is a d x B matrix;
//   * matrices are column-major Eigen matrices of float (training) or double (checks);
//   * errors are aelab::Error exceptions with a message a user can act on.
// The RNG is PCG32 (O'Neill 2014) plus Box-Muller, written here so that a seed gives
// bit-identical streams natively (libstdc++) and in WASM (libc++), whose
// std::normal_distribution implementations differ.
#pragma once

#include <Eigen/Core>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace aelab {

template <class T> using MatT = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
template <class T> using VecT = Eigen::Matrix<T, Eigen::Dynamic, 1>;
using Mat = MatT<float>;
using Vec = VecT<float>;
using MatD = MatT<double>;
using VecD = VecT<double>;
using Index = Eigen::Index;

// All user-facing failures (bad input, bad configuration, corrupt files) throw this.
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& what) : std::runtime_error(what) {}
};

#define AELAB_REQUIRE(cond, msg)                                   \
    do {                                                           \
        if (!(cond)) throw ::aelab::Error(std::string(msg));       \
    } while (0)

// PCG32 (XSH-RR variant): 64-bit state, 32-bit output, selectable stream.
class Rng {
public:
    explicit Rng(std::uint64_t seed = 42, std::uint64_t stream = 54) { reseed(seed, stream); }

    void reseed(std::uint64_t seed, std::uint64_t stream = 54) {
        state_ = 0u;
        inc_ = (stream << 1u) | 1u;
        next_u32();
        state_ += seed;
        next_u32();
        has_spare_ = false;
    }

    std::uint32_t next_u32() {
        std::uint64_t old = state_;
        state_ = old * 6364136223846793005ULL + inc_;
        auto xorshifted = static_cast<std::uint32_t>(((old >> 18u) ^ old) >> 27u);
        auto rot = static_cast<std::uint32_t>(old >> 59u);
        return (xorshifted >> rot) | (xorshifted << ((~rot + 1u) & 31u));
    }

    // Uniform in [0, 1) with 53 random bits... of which 32 come from one draw each half.
    double uniform() {
        std::uint64_t hi = next_u32() >> 5;  // 27 bits
        std::uint64_t lo = next_u32() >> 6;  // 26 bits
        return (static_cast<double>(hi) * 67108864.0 + static_cast<double>(lo)) *
               (1.0 / 9007199254740992.0);
    }
    double uniform(double a, double b) { return a + (b - a) * uniform(); }

    // Unbiased integer in [0, n) (Lemire's rejection on 32 bits); n must be > 0.
    std::uint32_t below(std::uint32_t n) {
        std::uint32_t threshold = (~n + 1u) % n;
        for (;;) {
            std::uint32_t r = next_u32();
            if (r >= threshold) return r % n;
        }
    }

    // Standard normal by the Box-Muller transform (both values used).
    double normal() {
        if (has_spare_) {
            has_spare_ = false;
            return spare_;
        }
        double u1 = uniform();
        while (u1 <= 1e-300) u1 = uniform();
        double u2 = uniform();
        double r = std::sqrt(-2.0 * std::log(u1));
        double t = 6.283185307179586476925286766559 * u2;
        spare_ = r * std::sin(t);
        has_spare_ = true;
        return r * std::cos(t);
    }
    double normal(double mean, double stddev) { return mean + stddev * normal(); }

    // The whole generator state, for checkpoints: a generator set to a saved state continues
    // the saved stream exactly (including a pending Box-Muller value).
    struct State {
        std::uint64_t state = 0, inc = 1;  // inc is odd (the stream selector)
        double spare = 0.0;
        bool has_spare = false;
    };
    State get_state() const { return {state_, inc_, spare_, has_spare_}; }
    // Throws aelab::Error on an even increment or a non-finite pending value.
    void set_state(const State& s) {
        if ((s.inc & 1u) == 0) throw Error("random generator state: the increment must be odd");
        if (s.has_spare && !std::isfinite(s.spare))
            throw Error("random generator state: the pending normal value is not finite");
        state_ = s.state;
        inc_ = s.inc;
        spare_ = s.has_spare ? s.spare : 0.0;
        has_spare_ = s.has_spare;
    }

    // Fisher-Yates shuffle of any random-access container.
    template <class C> void shuffle(C& c) {
        for (std::size_t i = c.size(); i > 1; --i) {
            std::size_t j = below(static_cast<std::uint32_t>(i));
            std::swap(c[i - 1], c[j]);
        }
    }

    // Fill a matrix with N(0, stddev^2) / U(a, b) entries, column-major order.
    template <class Derived> void fill_normal(Eigen::MatrixBase<Derived>& m, double stddev) {
        for (Index j = 0; j < m.cols(); ++j)
            for (Index i = 0; i < m.rows(); ++i)
                m(i, j) = static_cast<typename Derived::Scalar>(normal() * stddev);
    }
    template <class Derived> void fill_uniform(Eigen::MatrixBase<Derived>& m, double a, double b) {
        for (Index j = 0; j < m.cols(); ++j)
            for (Index i = 0; i < m.rows(); ++i)
                m(i, j) = static_cast<typename Derived::Scalar>(uniform(a, b));
    }

private:
    std::uint64_t state_ = 0, inc_ = 0;
    double spare_ = 0.0;
    bool has_spare_ = false;
};

}  // namespace aelab
