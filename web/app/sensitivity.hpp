// sensitivity.hpp: what the contractive penalty does (issue 12): how far a dense
// autoencoder's reconstruction and code move when one test input moves along a direction.
//
// What: for an input x (d), a unit direction v (d) and t in [0, t_max], the curves
//   recon_dist(t) = ||r(x + t v) - r(x)||_2  and  code_dist(t) = ||f(x + t v) - f(x)||_2
// at n_curve evenly spaced t (t = 0 first, t_max last), the row of reconstructions
// r(x + t v) at n_row evenly spaced t (with their inputs x + t v), and ||J_f(x)||_F, the
// Frobenius norm of the encoder's Jacobian at x (Autoencoder::jacobian_sqnorm, exact). A
// contractive AE (Rifai et al. 2011) keeps the code still along directions the data do not
// vary in: its code curve stays flat where a plain AE's rises.
// Directions (unit vectors): Towards another test image (x_other - x), Random (Gaussian,
// from a seed), PC1 (the training data's first principal axis). t_max is ||x_other - x|| for
// all three, so the curves of the three directions compare at the same input distances.
// Why headless: the page draws it (panel_sensitivity.cpp); unit tests check the numbers
// against a direct computation (tests/unit/test_app_pretrain.cpp).
// Usage:
//   Vec v = sensitivity_direction(SensDirection::Random, x, other, pc1, 7);
//   SensitivityCurve c = compute_sensitivity(ae, x, v, (other - x).norm(), 25, 7);
//   plot(c.t, c.recon_dist); plot(c.t, c.code_dist); show(c.row); text(c.jacobian_fro);
// Cost: one forward pass of n_curve + n_row columns and the Jacobian of one column (code
// size k times an encoder pass): well under a millisecond for the page's dense models.
#pragma once

#include "aelab/autoencoder.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace aelab::app {

enum class SensDirection { Towards, Random, PC1 };
constexpr int kNumSensDirections = 3;
const char* sens_direction_label(SensDirection d);  // "to next image", "random", "PC1"

// The unit direction of `kind` at x (all d-vectors): Towards: (other - x) / ||other - x||;
// Random: N(0, I) from PCG32 (seed, 0x5e45), normalised; PC1: pc1 normalised. Throws
// aelab::Error when the vector is zero (other == x, a zero pc1) or the sizes differ.
Vec sensitivity_direction(SensDirection kind, const Vec& x, const Vec& other, const Vec& pc1, std::uint64_t seed);

struct SensitivityCurve {
    std::vector<double> t;           // n_curve values 0 .. t_max
    std::vector<double> recon_dist;  // ||r(x + t v) - r(x)||_2
    std::vector<double> code_dist;   // ||f(x + t v) - f(x)||_2
    std::vector<double> row_t;       // n_row values 0 .. t_max
    Mat row_in;                      // d x n_row: x + t v
    Mat row;                         // d x n_row: r(x + t v)
    double jacobian_fro = 0;         // ||J_f(x)||_F
    double t_max = 0;
};

// Throws aelab::Error on sizes that differ from the model's input, t_max <= 0 or not finite,
// n_curve < 2 or n_row < 1. Uses the autoencoder's forward caches (not const).
SensitivityCurve compute_sensitivity(Autoencoder<float>& ae, const Vec& x, const Vec& v, double t_max, int n_curve,
                                     int n_row);

}  // namespace aelab::app
