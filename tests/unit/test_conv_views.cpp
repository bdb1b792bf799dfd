// test_conv_views.cpp: the conv panels' pictures (web/app/conv_views.hpp): filter montages
// and feature maps of the course conv AE, their geometry, labels and pixels against the
// weights and the activations forward() cached; and the CLI's figures of them
// (native/cli/conv_figure.hpp, suite figures). Platform-neutral: no files, no GL.
#include <doctest.h>

#include "conv_figure.hpp"
#include "conv_views.hpp"
#include "test_util.hpp"

#include "aelab/graph.hpp"
#include "aelab/palette.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

using namespace aelab;
using namespace aelab::app;

namespace {

// The course conv AE with its seed-1 initial weights.
Graph<float> course_ae() {
    Graph<float> g(Shape{784, 1, 1}, parse_arch(kCourseConvAE));
    g.init_params(1);
    return g;
}

// A deterministic 28x28 "image" in [0, 1].
std::vector<float> test_image() {
    std::vector<float> x(784);
    for (int i = 0; i < 784; ++i) x[size_t(i)] = 0.5f + 0.5f * std::sin(0.37f * i) * std::cos(0.05f * i);
    return x;
}

size_t pixel_index(const ConvImage& m, int tile, int x, int y) {
    int x0 = 0, y0 = 0;
    REQUIRE(m.tile_origin(tile, &x0, &y0));
    return size_t(y0 + y) * size_t(m.width) + size_t(x0 + x);
}

}  // namespace

TEST_SUITE("app") {
    TEST_CASE("conv views: the course conv AE's filter montages, shapes and labels") {
        const Graph<float> g = course_ae();
        CHECK(conv_layers(g) == std::vector<int>{1, 3, 5, 7, 8, 9});
        const std::vector<ConvImage> ms = filter_montages(g);
        REQUIRE(ms.size() == 6);
        const char* labels[] = {"conv2d 16@28x28",           "conv2d 32@14x14",           "conv2d 64@7x7",
                                "conv2d_transpose 32@7x7",   "conv2d_transpose 16@14x14", "conv2d_transpose 1@28x28"};
        const int tiles[] = {16, 32, 64, 32, 16, 1};
        const int cols[] = {4, 6, 8, 6, 4, 1};
        for (size_t i = 0; i < ms.size(); ++i) {
            INFO("montage " << i);
            const ConvImage& m = ms[i];
            CHECK(m.label == labels[i]);
            CHECK(m.layer == conv_layers(g)[i]);
            CHECK(m.tiles == tiles[i]);
            CHECK(m.tile_w == 3);
            CHECK(m.tile_h == 3);
            CHECK(m.cols == cols[i]);
            CHECK(m.rows == (tiles[i] + cols[i] - 1) / cols[i]);
            CHECK(m.width == m.cols * 4 + 1);
            CHECK(m.height == m.rows * 4 + 1);
            CHECK(m.rgba.size() == size_t(m.width * m.height));
            CHECK(m.value.size() == m.rgba.size());
            CHECK(m.t.size() == m.rgba.size());
            CHECK(m.lo == doctest::Approx(-m.hi));
            CHECK(m.hi > 0);
            CHECK(m.detail.find("input channel 0 of") != std::string::npos);
        }
        // Padding is the pad colour with NaN values; the corner pixel is padding.
        CHECK(ms[0].rgba[0] == ConvViewOptions{}.pad_rgba);
        CHECK(std::isnan(ms[0].value[0]));
        int tx = -1, ty = -1;
        CHECK(ms[0].tile_at(0, 0) == -1);
        CHECK(ms[0].tile_at(1 + 4 + 2, 1 + 4 + 1, &tx, &ty) == 5);  // tile (row 1, col 1)
        CHECK(tx == 2);
        CHECK(ty == 1);
        CHECK(ms[0].tile_at(4, 1) == -1);  // the column of padding after tile 0
    }

    TEST_CASE("conv views: a filter's pixel is its weight after the symmetric normalisation") {
        const Graph<float> g = course_ae();
        const palette::Palette& rdbu = palette::get("rdbu");
        // conv2d 32@14x14 (layer 3): weight (F=32, C=16, 3, 3); filter 5, input channel 7.
        {
            const int layer = 3, f = 5, c = 7, C = 16;
            ConvViewOptions o;
            o.channel = c;
            const ConvImage m = filter_montage(g, layer, o);
            const float* p = g.params().data() + g.offset(layer);
            // The range is max |w| over this channel's kernels of every filter.
            float mx = 0;
            for (int ff = 0; ff < 32; ++ff)
                for (int j = 0; j < 9; ++j) mx = std::max(mx, std::fabs(p[(ff * C + c) * 9 + j]));
            CHECK(m.hi == mx);
            for (int y = 0; y < 3; ++y)
                for (int x = 0; x < 3; ++x) {
                    const float w = p[((f * C + c) * 3 + y) * 3 + x];
                    const size_t i = pixel_index(m, f, x, y);
                    CHECK(m.value[i] == w);
                    const float t = 0.5f + 0.5f * w / mx;
                    CHECK(m.t[i] == doctest::Approx(t).epsilon(1e-6));
                    CHECK(m.rgba[i] == pack_rgba(palette::interpolate(rdbu, m.t[i])));
                }
        }
        // conv2d_transpose 16@14x14 (layer 8): weight (C=32, F=16, 3, 3); filter 9, channel 30.
        {
            const int layer = 8, f = 9, c = 30, F = 16;
            ConvViewOptions o;
            o.channel = c;
            const ConvImage m = filter_montage(g, layer, o);
            const float* p = g.params().data() + g.offset(layer);
            for (int y = 0; y < 3; ++y)
                for (int x = 0; x < 3; ++x) CHECK(m.value[pixel_index(m, f, x, y)] == p[((c * F + f) * 3 + y) * 3 + x]);
        }
        // Mean |w| over the 16 input channels of layer 3, filter 0, kernel entry (2, 1).
        {
            ConvViewOptions o;
            o.mode = FilterMode::MeanAbs;
            const ConvImage m = filter_montage(g, 3, o);
            const float* p = g.params().data() + g.offset(3);
            double s = 0;
            for (int c = 0; c < 16; ++c) s += std::fabs(double(p[(0 * 16 + c) * 9 + 1 * 3 + 2]));
            const size_t i = pixel_index(m, 0, 2, 1);
            CHECK(m.value[i] == doctest::Approx(s / 16).epsilon(1e-6));
            CHECK(m.t[i] >= 0.5f);  // non-negative values: the white-to-red half
            CHECK(m.detail.find("mean |w| over 16 input channels") != std::string::npos);
        }
    }

    TEST_CASE("conv views: bad layers and channels are clear errors") {
        const Graph<float> g = course_ae();
        aelab_test::check_error([&] { filter_montage(g, 2); }, "is not a conv2d or conv2d_transpose layer");
        aelab_test::check_error([&] { filter_montage(g, 99); }, "is not one of the graph's 11 layers");
        ConvViewOptions o;
        o.channel = 1;
        aelab_test::check_error([&] { filter_montage(g, 1, o); }, "input channel 1 of layer 1");
        o.channel = 0;
        o.pad = -1;
        aelab_test::check_error([&] { filter_montage(g, 1, o); }, "padding must be >= 0");
        aelab_test::check_error([&] { feature_maps(g, 0); }, "no forward pass");
    }

    TEST_CASE("conv views: feature maps equal the activations forward() cached") {
        Graph<float> g = course_ae();
        const std::vector<float> x = test_image();
        const std::vector<ConvImage> maps = feature_maps_of(g, x.data());
        // Every layer but the trailing flatten has a spatial output.
        CHECK(spatial_layers(g) == std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        REQUIRE(maps.size() == 10);
        CHECK(maps[0].label == "reshape 1@28x28");
        CHECK(maps[1].label == "conv2d 16@28x28");
        CHECK(maps[2].label == "max_pool2d 16@14x14");
        CHECK(maps[6].label == "max_pool2d 64@3x3");
        CHECK(maps[7].label == "conv2d_transpose 32@7x7");
        CHECK(maps[9].label == "conv2d_transpose 1@28x28");
        CHECK(maps[1].tiles == 16);
        CHECK(maps[1].tile_w == 28);
        CHECK(maps[1].tile_h == 28);
        CHECK(maps[1].width == 4 * 29 + 1);
        // Layer 0 is the input image itself.
        for (int i : {0, 29, 400, 783}) CHECK(maps[0].value[pixel_index(maps[0], 0, i % 28, i / 28)] == x[size_t(i)]);
        // Layer 1 (conv2d 16, SELU): tile c pixel (x, y) = output row (c*28 + y)*28 + x.
        const MatT<float>& Y = g.layer(1).output();
        REQUIRE(Y.rows() == 16 * 784);
        REQUIRE(Y.cols() == 1);
        const ConvImage& m = maps[1];
        float lo = Y.minCoeff(), hi = Y.maxCoeff();
        CHECK(m.lo == lo);
        CHECK(m.hi == hi);
        const palette::Palette& viridis = palette::get("viridis");
        for (int c : {0, 7, 15})
            for (int y : {0, 13, 27})
                for (int xx : {0, 5, 27}) {
                    const size_t i = pixel_index(m, c, xx, y);
                    const float v = Y((c * 28 + y) * 28 + xx, 0);
                    CHECK(m.value[i] == v);
                    CHECK(m.t[i] == doctest::Approx((v - lo) / (hi - lo)).epsilon(1e-6));
                    CHECK(m.rgba[i] == pack_rgba(palette::interpolate(viridis, m.t[i])));
                }
        // A later column of a batch: feature_maps(g, col) reads that column.
        MatT<float> X2(784, 3);
        X2.setZero();
        for (int i = 0; i < 784; ++i) X2(i, 2) = x[size_t(i)];
        g.forward(X2);
        const std::vector<ConvImage> maps2 = feature_maps(g, 2);
        // (a batch of 3 may round differently in the GEMM than a batch of 1)
        REQUIRE(maps2[1].value.size() == m.value.size());
        double worst = 0;
        for (size_t i = 0; i < m.value.size(); ++i)
            if (!std::isnan(m.value[i])) worst = std::max(worst, double(std::fabs(maps2[1].value[i] - m.value[i])));
        CHECK(worst < 1e-5);
        CHECK(maps2[1].value[pixel_index(m, 3, 10, 10)] == g.layer(1).output()((3 * 28 + 10) * 28 + 10, 2));
        aelab_test::check_error([&] { feature_maps(g, 3); }, "column 3 is not in the last forward batch of 3");
    }

    TEST_CASE("conv views: weights_copy has the architecture and weights, no cached activations") {
        Graph<float> g = course_ae();
        const std::vector<float> x = test_image();
        g.forward(Eigen::Map<const MatT<float>>(x.data(), 784, 1));
        const Graph<float> c = weights_copy(g);
        CHECK(c.arch_string() == g.arch_string());
        CHECK(c.input_shape() == g.input_shape());
        CHECK(aelab_test::same_bits(c.params(), g.params()));
        CHECK(c.layer(1).output().cols() == 0);
        CHECK(g.layer(1).output().cols() == 1);
    }

    TEST_CASE("conv views: graphs without conv layers give empty lists; the conv VAE's maps") {
        Graph<float> d(Shape{784, 1, 1}, parse_arch("d32-elu,d2|d32-elu,d784-sigmoid"));
        d.init_params(3);
        CHECK(conv_layers(d).empty());
        CHECK(filter_montages(d).empty());
        const std::vector<float> x = test_image();
        CHECK(feature_maps_of(d, x.data()).empty());

        Graph<float> v(Shape{784, 1, 1}, parse_arch(kConvVAE));
        v.init_params(4);
        const std::vector<ConvImage> f = filter_montages(v);
        REQUIRE(f.size() == 5);
        CHECK(f[0].label == "conv2d 32@14x14");
        CHECK(f[1].label == "conv2d 64@7x7");
        CHECK(f[4].label == "conv2d_transpose 1@28x28");
        const std::vector<ConvImage> maps = feature_maps_of(v, x.data());  // the mean code
        std::vector<std::string> labels;
        for (const ConvImage& m : maps) labels.push_back(m.label);
        CHECK(labels == std::vector<std::string>{"reshape 1@28x28", "conv2d 32@14x14", "conv2d 64@7x7",
                                                 "reshape 64@7x7", "conv2d_transpose 64@14x14",
                                                 "conv2d_transpose 32@28x28", "conv2d_transpose 1@28x28"});
    }
}

TEST_SUITE("figures") {
    TEST_CASE("conv figures: one block (label, detail, tiles) per conv layer / spatial layer, g untouched") {
        const Graph<float> g = course_ae();
        const aelab::cli::Figure f = aelab::cli::conv_filters_figure(g, "course conv AE: learned filters");
        CHECK(f.count_texts() == 2 + 2 * 6);  // title, note, then label + detail per conv layer
        CHECK(f.width() <= 1200 + 24);
        const std::string svg = f.svg();
        for (const char* l : {"conv2d 16@28x28", "conv2d 64@7x7", "conv2d_transpose 1@28x28", "input channel 0 of 32"})
            CHECK(svg.find(l) != std::string::npos);
        const std::string png = f.png();
        REQUIRE(png.size() > 8);
        CHECK(png.compare(1, 3, "PNG") == 0);
        const aelab::cli::Figure fm =
            aelab::cli::conv_filters_figure(g, "mean |w|", FilterMode::MeanAbs);
        CHECK(fm.svg().find("mean |w| over 32 input channels") != std::string::npos);

        const std::vector<float> x = test_image();
        const aelab::cli::Figure maps = aelab::cli::conv_feature_maps_figure(g, x.data(), "feature maps");
        CHECK(maps.count_texts() == 2 + 2 * 10);
        CHECK(maps.svg().find("max_pool2d 64@3x3") != std::string::npos);
        CHECK(g.layer(0).output().cols() == 0);  // ran on a copy

        Graph<float> d(Shape{784, 1, 1}, parse_arch("d32-elu,d2|d32-elu,d784-sigmoid"));
        aelab_test::check_error([&] { aelab::cli::conv_filters_figure(d, "t"); }, "has no conv2d or conv2d_transpose layer");
        aelab_test::check_error([&] { aelab::cli::conv_feature_maps_figure(d, x.data(), "t"); },
                                "has no layer with a spatial output");
    }
}
