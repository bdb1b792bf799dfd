// The page's Session over layer-graph models (a dense VAE and a small conv AE): they build
// from page settings, train, keep the VAE's recon/KL history and code log-variances, decode
// samples from the prior, change beta without losing weights, and round-trip through model
// files. Synthetic 28x28 "images" (no file I/O). Suite "app".
#include <doctest.h>

#include "model_views.hpp"
#include "session.hpp"
#include "test_app_util.hpp"
#include "stats.hpp"

#include "aelab/checkpoint.hpp"
#include "aelab/model_io.hpp"

#include <algorithm>
#include <cmath>
#include <string>

using namespace aelab;
using namespace aelab::app;
using aelab_test::query_ok;

namespace {

// n_train / n_test random images in [0, 1] with labels 0..9 (kind MNIST, so the page treats
// them as images: 500 evaluation columns, k-NN, 28x28 views).
DataBundle fake_images(Index n_train, Index n_test) {
    DataBundle b;
    b.kind = DatasetKind::MNIST;
    b.source = "unit test";
    Rng rng(3, 11);
    auto fill = [&](Dataset& d, Index n, const char* name) {
        d.X.resize(784, n);
        for (Index j = 0; j < n; ++j)
            for (Index i = 0; i < 784; ++i) d.X(i, j) = static_cast<float>(rng.uniform());
        d.y.resize(static_cast<size_t>(n));
        for (Index j = 0; j < n; ++j) d.y[static_cast<size_t>(j)] = static_cast<int>(j % 10);
        d.image_rows = d.image_cols = 28;
        d.name = name;
    };
    fill(b.train, n_train, "fake-train");
    fill(b.test, n_test, "fake-test");
    return b;
}

}  // namespace

TEST_SUITE("app") {

TEST_CASE("session graph: a VAE trains with recon/KL history, code sigmas, prior samples, beta kept weights") {
    Session s;
    s.set_data(fake_images(200, 60));
    Settings st = query_ok("dataset=mnist&model=vae&arch=32&k=2&act=elu&loss=bce&batch=20&seed=5");
    s.build(st);
    REQUIRE(s.has_model());
    CHECK(s.is_vae());
    CHECK(s.dense() == nullptr);
    REQUIRE(s.graph() != nullptr);
    CHECK(s.k() == 2);
    CHECK(s.train_eval_columns() == s.eval_columns());
    CHECK(s.model().arch_string() == "d32-elu,g2|d32-elu,d784-sigmoid");
    CHECK_FALSE(s.model_is_linear());
    CHECK(s.angle_history().empty());  // no PCA angles for a graph

    s.train(30.0, 25);
    CHECK(s.trainer().steps() == 25);
    s.trainer().record();  // image sets evaluate every 100 steps: a point now
    const auto& h = s.trainer().history();
    REQUIRE(h.size() >= 2);
    CHECK(std::isfinite(h.back().train_kl));
    CHECK(std::isfinite(h.back().train_recon));
    CHECK(std::isfinite(h.back().test_kl));
    CHECK(h.back().test_kl >= 0);
    // The recon is summed per image (nats): far above a per-entry mean.
    CHECK(h.back().train_recon > 10.0);

    s.refresh_codes(s.data().test.size());
    REQUIRE(s.test_logvar().rows() == 2);
    REQUIRE(s.test_logvar().cols() == 60);
    CHECK(s.test_logvar().allFinite());
    // The code means are the encoder's deterministic codes.
    const Mat Z = s.encode(s.data().test.X.leftCols(5));
    CHECK((Z - s.test_codes().leftCols(5)).cwiseAbs().maxCoeff() < 1e-5f);

    const Mat P1 = s.prior_samples(6, 1), P2 = s.prior_samples(6, 1), P3 = s.prior_samples(6, 2);
    REQUIRE(P1.rows() == 784);
    REQUIRE(P1.cols() == 6);
    CHECK(P1 == P2);  // fixed z: the same grid for the same weights
    CHECK(P1 != P3);
    CHECK(P1.minCoeff() >= 0.0f);
    CHECK(P1.maxCoeff() <= 1.0f);

    // beta: the weights stay, the objective changes, training goes on.
    const Vec before = s.model().params();
    Settings b = st;
    b.beta = 4;
    s.update_objective(b);
    CHECK(s.model().params() == before);
    CHECK(static_cast<GraphModel&>(s.model()).objective().beta == 4);
    s.train(30.0, 5);
    CHECK(s.trainer().steps() == 30);

    // Save / install round trip keeps the kind, weights, beta and the KL history.
    const Vec trained = s.model().params();
    const std::vector<std::uint8_t> bytes = s.save({{"dataset", "mnist"}});
    const ModelFile f = read_model(bytes);
    CHECK(f.kind == ModelKind::Graph);
    CHECK(file_input_dim(f) == 784);
    CHECK(file_arch_string(f) == "d32-elu,g2|d32-elu,d784-sigmoid");
    ModelSettings ms = settings_for_file(st, DatasetKind::MNIST, f);
    CHECK(ms.settings.vae);
    CHECK(ms.settings.net == "d32-elu,g2|d32-elu,d784-sigmoid");
    CHECK(ms.settings.beta == 4);
    CHECK(ms.messages.empty());
    s.build(st);
    CHECK(s.model().params() != trained);
    s.install(f, ms.settings);
    CHECK(s.model().params() == trained);
    CHECK(s.is_vae());
    CHECK(std::isfinite(s.trainer().history().back().test_kl));
    // Rebuilding from the file's settings makes the same architecture.
    Session r;
    r.set_data(fake_images(200, 60));
    r.build(ms.settings);
    CHECK(r.model().arch_string() == s.model().arch_string());
    CHECK(r.model().num_params() == s.model().num_params());

    // A file whose beta is outside the page's range (5000; files allow up to 1e6): the page
    // says it uses 1 and the installed model trains with 1, as shown (found in review).
    {
        Checkpoint ck = read_checkpoint(bytes.data(), bytes.size());
        auto kv = parse_config(ck.config_text);
        kv["graph.beta"] = "5000";
        ck.config_text = format_config(kv);
        const ModelFile fb = read_model(write_checkpoint(ck));
        ModelSettings mb = settings_for_file(st, DatasetKind::MNIST, fb);
        CHECK(mb.settings.beta == 1);
        CHECK_FALSE(mb.messages.empty());
        s.install(fb, mb.settings);
        REQUIRE(s.graph() != nullptr);
        CHECK(dynamic_cast<const GraphModel&>(s.model()).objective().beta == 1);
        CHECK(s.model().params() == trained);
    }

    // A bad beta is refused and the model is kept.
    Settings bad = st;
    bad.beta = -1;
    CHECK_THROWS_AS(s.update_objective(bad), Error);
    CHECK(s.model().params() == trained);
}

TEST_CASE("session graph: a small conv AE builds from net=, trains, and round-trips; dense views are off") {
    Session s;
    s.set_data(fake_images(120, 150));
    Settings st = query_ok("dataset=mnist&loss=bce&batch=16&net=r1x28x28,c4k3same-relu,p2|t1k3s2same-sigmoid,flatten");
    s.build(st);
    REQUIRE(s.graph() != nullptr);
    CHECK_FALSE(s.is_vae());
    CHECK(s.dense() == nullptr);
    CHECK(s.k() == 4 * 14 * 14);
    CHECK(s.test_logvar().size() == 0);
    CHECK(s.eval_columns() == 150);
    CHECK(s.train_eval_columns() == kConvEvalColumns);  // 100 of the 150
    const double first = s.trainer().history().front().test_loss;
    s.train(30.0, 20);
    CHECK(s.trainer().steps() == 20);
    s.trainer().record();
    const double last = s.trainer().history().back().test_loss;
    CHECK(std::isfinite(last));
    CHECK(last < first);  // BCE on the test subset falls
    CHECK(std::isnan(s.trainer().history().back().test_kl));  // no KL without a Gaussian code
    CHECK_THROWS_AS(s.prior_samples(4, 1), Error);
    const Mat R = s.reconstruct(s.data().test.X.leftCols(3));
    CHECK(R.rows() == 784);
    CHECK(R.cols() == 3);

    const Vec trained = s.model().params();
    const std::vector<std::uint8_t> bytes = s.save({{"dataset", "mnist"}});
    const ModelFile f = read_model(bytes);
    ModelSettings ms = settings_for_file(st, DatasetKind::MNIST, f);
    CHECK_FALSE(ms.settings.vae);
    CHECK(ms.settings.net == st.net);
    CHECK(ms.settings.loss == ReconLoss::BCE);
    s.build(st);
    s.install(f, ms.settings);
    CHECK(s.model().params() == trained);
    CHECK(s.model().arch_string() == st.net);
    // The file does not fit a 3-D data set.
    Session other;
    other.set_data(make_synthetic(DatasetKind::Curved3D, 1));
    Settings o;
    o.dataset = DatasetKind::Curved3D;
    other.build(o);
    CHECK_THROWS_AS(other.install(f, ms.settings), Error);
}

TEST_CASE("session graph: has_conv, the conv panel's key, and the model's stats") {
    Session s;
    s.set_data(fake_images(60, 20));
    s.build(query_ok("dataset=mnist&model=vae&arch=16&k=3&act=elu&loss=bce"));
    CHECK_FALSE(s.has_conv());
    s.build(query_ok("dataset=mnist&loss=bce&net=r1x28x28,c2k3same-relu,p2|t1k3s2same-sigmoid,flatten"));
    CHECK(s.has_conv());
    s.build(query_ok("dataset=mnist&arch=16&k=2"));
    CHECK_FALSE(s.has_conv());
    CHECK(s.dense() != nullptr);
    CHECK(std::string(panel_key(kPanelConv)) == "conv");
    CHECK(parse_query("hide=conv").settings.hide == kPanelConv);
    CHECK(parse_query("panel=conv").settings.panel == kPanelConv);
    CHECK(to_query(parse_query("hide=conv,pca").settings).find("conv") != std::string::npos);

    Stats st;
    st.model_kind = "graph";
    st.vae = true;
    st.test_recon = 150.5;
    st.test_kl = 6.25;
    st.beta = 1;
    const std::string j = stats_json(st);
    CHECK(j.find("\"modelKind\":\"graph\"") != std::string::npos);
    CHECK(j.find("\"vae\":true") != std::string::npos);
    CHECK(j.find("\"conv\":false") != std::string::npos);
    CHECK(j.find("\"testRecon\":150.5") != std::string::npos);
    CHECK(j.find("\"testKl\":6.25") != std::string::npos);
    CHECK(j.find("\"beta\":1") != std::string::npos);
    CHECK(stats_json(Stats{}).find("\"testKl\":null") != std::string::npos);
}

TEST_CASE("model views: sigma ellipses, their subset, latent traversals") {
    const std::vector<float> e = sigma_ellipse(1.0f, -2.0f, std::log(4.0f), std::log(0.25f), 16);
    REQUIRE(e.size() == 32);
    for (int i = 0; i < 16; ++i) {
        const double dx = (e[2 * i] - 1.0) / 2.0, dy = (e[2 * i + 1] + 2.0) / 0.5;  // sigmas 2 and 0.5
        CHECK(dx * dx + dy * dy == doctest::Approx(1.0).epsilon(1e-5));
    }
    CHECK(e[0] == doctest::Approx(3.0f));  // angle 0: mean + sigma_x
    CHECK(e[1] == doctest::Approx(-2.0f));
    CHECK_THROWS_AS(sigma_ellipse(0, 0, 0, 0, 2), Error);

    CHECK(ellipse_subset(10, 300).size() == 10);
    const std::vector<int> sub = ellipse_subset(1000, 300);
    REQUIRE(sub.size() == 300);
    CHECK(sub.front() == 0);
    CHECK(sub.back() < 1000);
    CHECK(std::is_sorted(sub.begin(), sub.end()));
    CHECK(std::adjacent_find(sub.begin(), sub.end()) == sub.end());  // no repeats
    CHECK(ellipse_subset(0, 5).empty());

    const Mat T = latent_traversal(4, 2, 5, 3.0f);
    REQUIRE(T.rows() == 4);
    REQUIRE(T.cols() == 5);
    CHECK(T(2, 0) == -3.0f);
    CHECK(T(2, 2) == 0.0f);
    CHECK(T(2, 4) == 3.0f);
    CHECK(T.row(0).isZero());
    CHECK(T.row(3).isZero());
    CHECK_THROWS_AS(latent_traversal(4, 4, 5, 3.0f), Error);
    CHECK_THROWS_AS(latent_traversal(4, 0, 1, 3.0f), Error);
}

}  // TEST_SUITE("app")
