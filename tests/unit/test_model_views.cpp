// test_model_views.cpp: the model panels' headless parts (web/app/model_views.hpp) and the
// controller keeping the weights when only the objective changes (input noise, sparsity,
// weight decay). Platform-neutral: no files, no GL.
#include <doctest.h>

#include "controller.hpp"
#include "model_views.hpp"
#include "state.hpp"

#include "aelab/autoencoder.hpp"

#include <cmath>
#include <set>
#include <string>
#include <vector>

using namespace aelab;
using namespace aelab::app;

TEST_SUITE("app") {
    TEST_CASE("code activity: mean per unit, mean |z| for L1, sorted largest first, KL target in range") {
        Mat Z(3, 4);
        Z << 1, 1, 1, 1,        // unit 0: mean 1
            -1, -1, 1, -1,      // unit 1: mean -0.5, mean |z| 1
            0, 0.2f, 0, 0.2f;   // unit 2: mean 0.1
        CodeActivity a = code_activity(Z, Sparsity::None, 0.05, false);
        REQUIRE(a.value.size() == 3);
        CHECK(a.value[0] == doctest::Approx(1.0));
        CHECK(a.value[1] == doctest::Approx(-0.5));
        CHECK(a.value[2] == doctest::Approx(0.1));
        CHECK(a.unit == std::vector<int>{0, 1, 2});
        CHECK_FALSE(a.absolute);
        CHECK_FALSE(a.has_target);
        CHECK(a.lo == doctest::Approx(-0.5));
        CHECK(a.hi == doctest::Approx(1.0));
        CHECK(a.mean == doctest::Approx((1.0 - 0.5 + 0.1) / 3));

        CodeActivity l1 = code_activity(Z, Sparsity::L1, 0.05, true);
        CHECK(l1.absolute);
        CHECK(l1.unit == std::vector<int>{0, 1, 2});  // 1, 1 (stable), 0.1
        CHECK(l1.value[1] == doctest::Approx(1.0));
        CHECK(l1.lo == 0.0f);

        CodeActivity kl = code_activity(Z, Sparsity::KL, 0.3, true);
        CHECK(kl.has_target);
        CHECK(kl.target == doctest::Approx(0.3));
        CHECK(kl.unit == std::vector<int>{0, 2, 1});
        CHECK(kl.value == std::vector<float>{a.value[0], a.value[2], a.value[1]});

        // A target above every activity lifts the range so the line stays visible.
        Mat S = Mat::Constant(2, 5, 0.01f);
        CHECK(code_activity(S, Sparsity::KL, 0.5, true).hi == doctest::Approx(0.5));
        // Non-finite entries are skipped; an all-NaN unit reads 0; empty codes are an error.
        Mat N(2, 2);
        N << std::nanf(""), 2, std::nanf(""), std::nanf("");
        CodeActivity n = code_activity(N, Sparsity::None, 0.05, false);
        CHECK(n.value == std::vector<float>{2.0f, 0.0f});
        CHECK_THROWS_AS(code_activity(Mat(3, 0), Sparsity::None, 0.05, false), Error);
    }

    TEST_CASE("reconstruction rows: input / AE / PCA in two blocks, noisy rows in one block when noise is on") {
        ReconLayout plain = recon_layout(10, false);
        CHECK(plain.rows == std::vector<ReconRow>{ReconRow::Input, ReconRow::AE, ReconRow::PCA});
        CHECK(plain.blocks == 2);
        CHECK(plain.per_row == 5);
        CHECK(plain.grid_count() == 30);
        ReconLayout noisy = recon_layout(10, true);
        CHECK(noisy.rows ==
              std::vector<ReconRow>{ReconRow::Input, ReconRow::Noisy, ReconRow::NoisyAE, ReconRow::AE, ReconRow::PCA});
        CHECK(noisy.blocks == 1);
        CHECK(noisy.per_row == 10);
        CHECK(noisy.grid_count() == 50);
        CHECK(recon_layout(7, false).per_row == 4);
        CHECK(std::string(recon_row_label(ReconRow::NoisyAE)) == "AE(noisy)");

        // Grid cells: row r of block b, image c at column (b * rows + r) * per_row + c.
        const int n = 3;
        Mat X(2, n), Xn(2, n), Rn(2, n), R(2, n), P(2, n);
        for (int i = 0; i < n; ++i) {
            X.col(i).setConstant(10 + i);
            Xn.col(i).setConstant(20 + i);
            Rn.col(i).setConstant(30 + i);
            R.col(i).setConstant(40 + i);
            P.col(i).setConstant(50 + i);
        }
        ReconLayout L = recon_layout(n, true);
        Mat G = recon_grid(L, {&X, &Xn, &Rn, &R, &P});
        REQUIRE(G.cols() == 15);
        CHECK(G(0, 0) == 10);
        CHECK(G(0, 1 * 3 + 2) == 22);   // noisy row, image 2
        CHECK(G(0, 2 * 3 + 1) == 31);   // AE(noisy) row, image 1
        CHECK(G(0, 4 * 3 + 0) == 50);   // PCA row
        ReconLayout L2 = recon_layout(n, false);  // per_row 2: image 2 in block 1
        Mat G2 = recon_grid(L2, {&X, nullptr, nullptr, &R, &P});
        REQUIRE(G2.cols() == 12);
        CHECK(G2(0, (1 * 3 + 0) * 2 + 0) == 12);  // block 1 input, image 2
        CHECK(G2(0, (1 * 3 + 1) * 2 + 0) == 42);
        CHECK(G2(0, (1 * 3 + 2) * 2 + 1) == 0);   // past n stays 0
        // A used row missing or misshapen is an error, not a crash.
        CHECK_THROWS_AS(recon_grid(L, {&X, nullptr, &Rn, &R, &P}), Error);
        Mat bad(2, 2);
        CHECK_THROWS_AS(recon_grid(L2, {&X, nullptr, nullptr, &bad, &P}), Error);
    }

    TEST_CASE("noisy inputs: none without noise, the same corruption for the same seed, changed pixels with it") {
        AEConfig c = AEConfig::from_arch("16-4");
        Autoencoder<float> clean(c);
        Mat X = Mat::Constant(16, 6, 0.5f);
        CHECK(noisy_inputs(clean, X, 1).cols() == 0);
        c.noise = Noise::Masking;
        c.noise_level = 0.5;
        Autoencoder<float> ae(c);
        const Mat a = noisy_inputs(ae, X, 7), b = noisy_inputs(ae, X, 7), d = noisy_inputs(ae, X, 8);
        REQUIRE(a.rows() == 16);
        REQUIRE(a.cols() == 6);
        CHECK(a == b);
        CHECK(a != d);
        int zeros = 0;
        for (Index i = 0; i < a.size(); ++i) zeros += a.data()[i] == 0.0f;
        CHECK(zeros > 10);          // about half of 96 masked
        CHECK(zeros < 86);
        CHECK(X.minCoeff() == 0.5f);  // the clean input is untouched
    }

    TEST_CASE("thumbnails: inside the plot, no two boxes overlap, at most max_count") {
        std::vector<float> sx, sy;
        for (int i = 0; i < 400; ++i) {  // a 20 x 20 lattice 10 px apart, from (5, 5)
            sx.push_back(5.0f + 10.0f * static_cast<float>(i % 20));
            sy.push_back(5.0f + 10.0f * static_cast<float>(i / 20));
        }
        const float box = 30;
        std::vector<int> keep = thumbnail_subset(sx, sy, 0, 0, 200, 200, box, 1000);
        CHECK(keep.size() == 36);  // columns 1, 4, 7, 10, 13, 16 (x 15..165): 6 x 6
        std::set<int> seen(keep.begin(), keep.end());
        CHECK(seen.size() == keep.size());
        for (size_t p = 0; p < keep.size(); ++p) {
            const int i = keep[p];
            CHECK(sx[i] - box / 2 >= 0);
            CHECK(sy[i] + box / 2 <= 200);
            for (size_t q = p + 1; q < keep.size(); ++q) {
                const int j = keep[q];
                CHECK((std::fabs(sx[i] - sx[j]) >= box || std::fabs(sy[i] - sy[j]) >= box));
            }
        }
        CHECK(thumbnail_subset(sx, sy, 0, 0, 200, 200, box, 5).size() == 5);
        CHECK(thumbnail_subset(sx, sy, 0, 0, 200, 200, box, 0).empty());
        CHECK(thumbnail_subset(sx, sy, 500, 500, 600, 600, box, 100).empty());  // plot panned away
        CHECK_THROWS_AS(thumbnail_subset(sx, {1.0f}, 0, 0, 200, 200, box, 10), Error);
    }

    TEST_CASE("controller: input noise, sparsity and weight decay keep the weights; tied rebuilds") {
        Controller c;
        c.apply_query("?preset=course-curved3d");
        c.sync();
        REQUIRE(c.ready());
        const std::uint64_t v0 = c.visuals_version();
        c.command("step");
        c.train();
        REQUIRE(c.session().total_steps() == 1);
        const Vec trained = c.session().model().params();

        Settings& s = c.settings_mut();
        s.noise = Noise::Gaussian;
        s.noise_level = 0.2;
        s.sparsity = Sparsity::L1;
        s.sparsity_weight = 0.01;
        s.weight_decay = 1e-3;
        CHECK(Settings::objective_differs(c.settings(), c.applied()));
        CHECK_FALSE(Settings::shape_differs(c.settings(), c.applied()));
        c.sync();
        CHECK(c.session().model().params() == trained);
        CHECK(c.session().total_steps() == 1);
        CHECK(c.visuals_version() == v0);
        const AEConfig& mc = c.session().dense()->config();
        CHECK(mc.noise == Noise::Gaussian);
        CHECK(mc.noise_level == doctest::Approx(0.2));
        CHECK(mc.sparsity == Sparsity::L1);
        CHECK(mc.weight_decay == doctest::Approx(1e-3));
        CHECK(c.applied() == c.settings());
        // Training goes on with the new objective from the kept weights.
        c.command("step");
        c.train();
        CHECK(c.session().total_steps() == 2);
        CHECK(c.session().model().params() != trained);

        // A bad value (set around sanitize()) is refused with a message, the model kept.
        const Vec now = c.session().model().params();
        c.settings_mut().weight_decay = 5000;
        c.sync();
        CHECK(c.settings().weight_decay == doctest::Approx(1e-3));
        CHECK(c.session().model().params() == now);

        c.settings_mut().tied = !c.settings().tied;
        c.sync();
        CHECK(c.visuals_version() > v0);
        CHECK(c.session().total_steps() == 0);
    }

    TEST_CASE("URL: thumbs=1 round-trips, a bad value is a message; the model controls' keys round-trip") {
        QueryResult r = parse_query("?dataset=fashion&thumbs=1");
        CHECK(r.messages.empty());
        CHECK(r.settings.thumbs);
        CHECK(to_query(r.settings).find("thumbs=1") != std::string::npos);
        CHECK(parse_query("?" + to_query(r.settings)).settings == r.settings);
        QueryResult bad = parse_query("?thumbs=2");
        CHECK_FALSE(bad.settings.thumbs);
        CHECK(bad.messages.size() == 1);
        // What the model controls set (noise, sparsity with a sigmoid code, weight decay, tied).
        Settings s = r.settings;  // preset stays the base the keys are relative to
        s.noise = Noise::SaltPepper;
        s.noise_level = 0.1;
        s.sparsity = Sparsity::KL;
        s.sparsity_weight = 0.05;
        s.sparsity_target = 0.1;
        s.code_act = Activation::Sigmoid;
        s.weight_decay = 0.001;
        s.tied = true;
        QueryResult back = parse_query("?" + to_query(s));
        CAPTURE(to_query(s));
        CAPTURE(to_query(back.settings));
        CHECK(back.messages.empty());
        CHECK(back.settings == s);
    }

    TEST_CASE("core name tables: every noise and sparsity round-trips its name") {
        CHECK(all_noises().size() == 5);
        for (Noise n : all_noises()) CHECK(parse_noise(noise_name(n)) == n);
        CHECK(all_sparsities().size() == 3);
        for (Sparsity s : all_sparsities()) CHECK(parse_sparsity(sparsity_name(s)) == s);
        // The menus' labels come from the same tables (one row per kind, in enum order).
        CHECK(std::string(noise_label(Noise::SaltPepper)) == "salt & pepper");
        CHECK(std::string(noise_label(Noise::Gaussian)) == "Gaussian");
        CHECK(std::string(sparsity_label(Sparsity::KL)) == "KL");
        CHECK(std::string(sparsity_label(Sparsity::None)) == "none");
        for (size_t i = 0; i < all_noises().size(); ++i) CHECK(static_cast<size_t>(all_noises()[i]) == i);
        for (size_t i = 0; i < all_sparsities().size(); ++i) CHECK(static_cast<size_t>(all_sparsities()[i]) == i);
        CHECK(parse_noise("sp") == Noise::SaltPepper);  // the short forms still parse
        CHECK(parse_noise("mask") == Noise::Masking);
        CHECK_THROWS_AS(parse_noise("Gaussian"), Error);  // a label is not a name
        CHECK_THROWS_AS(parse_sparsity("L1"), Error);
        // The page's data sets come from a table of the same kind (aelab/names.hpp).
        DatasetKind d = DatasetKind::MNIST;
        for (int i = 0; i < kNumDatasetKinds; ++i) {
            const auto k = static_cast<DatasetKind>(i);
            CHECK(std::string(dataset_label(k)) != "?");
            if (i < kNumDatasets) {
                CHECK(parse_dataset(dataset_key(k), &d));
                CHECK(d == k);
            }
        }
        CHECK(std::string(dataset_key(DatasetKind::User)) == "user");
        CHECK_FALSE(parse_dataset("user", &d));  // not a URL value
        CHECK_FALSE(parse_dataset("Gauss2D", &d));
    }
}
