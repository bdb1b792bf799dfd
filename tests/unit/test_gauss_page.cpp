// test_gauss_page.cpp: the page's course panels, headless (suite "app"): the 2-D Gaussian
// explorer's settings (URL keys mu / cov: round trip, bad values keep the previous Gaussian
// with validate()'s reason), the page's sample of the course's Gaussian (eigenvalues near
// 3 +- sqrt(5)), an edited Gaussian regenerating the data and rebuilding the model, and the
// live k-NN with 10 labelled images per class (same numbers as core's
// knn_accuracy_few_labels, the refresh timer, the stats JSON keys). In memory only (also
// runs under node as WASM).
#include <doctest.h>

#include "controller.hpp"
#include "presets.hpp"
#include "stats.hpp"

#include "aelab/idx.hpp"
#include "aelab/subspace.hpp"

#include <cmath>
#include <map>
#include <string>
#include <vector>

using namespace aelab;
using namespace aelab::app;

namespace {

bool has_text(const std::vector<std::string>& msgs, const std::string& part) {
    for (const auto& m : msgs)
        if (m.find(part) != std::string::npos) return true;
    return false;
}

bool has_message(const Controller& c, const std::string& part, bool error) {
    for (const Message& m : c.messages())
        if (m.text.find(part) != std::string::npos && m.error == error) return true;
    return false;
}

// IDX bytes of n 28x28 images whose class c (= i % 10) lights rows 2c..2c+1, plus a
// per-image speckle so no two images are equal.
void class_images(int n, std::vector<std::uint8_t>* images, std::vector<std::uint8_t>* labels) {
    std::vector<std::uint8_t> px(static_cast<size_t>(n) * 784, 0), lab(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
        const int c = i % 10;
        lab[static_cast<size_t>(i)] = static_cast<std::uint8_t>(c);
        std::uint8_t* im = px.data() + static_cast<size_t>(i) * 784;
        for (int r = 2 * c + 4; r < 2 * c + 6; ++r)
            for (int x = 4; x < 24; ++x) im[r * 28 + x] = 255;
        for (int p = 0; p < 784; p += 37) im[(p + i * 11) % 784] = static_cast<std::uint8_t>((i * 53 + p) & 127);
    }
    *images = write_idx({static_cast<std::uint32_t>(n), 28, 28}, px);
    *labels = write_idx({static_cast<std::uint32_t>(n)}, lab);
}

// A controller on a small labelled image set (as MNIST) with a 784-2-784 model built.
void start_images(Controller& c) {
    Platform p;
    p.request_images = [](DatasetKind) {};
    c.set_platform(p);
    c.apply_query("?dataset=mnist&arch=none&k=2&opt=adam&lr=0.01&batch=32&seed=3");
    c.sync();  // requests the images
    std::vector<std::uint8_t> tri, trl, tei, tel;
    class_images(300, &tri, &trl);
    class_images(120, &tei, &tel);
    c.on_image_data(DatasetKind::MNIST, tri, trl, tei, tel, "test images");
    c.sync();
    REQUIRE(c.ready());
}

}  // namespace

TEST_SUITE("app") {
    TEST_CASE("gauss page: mu / cov URL keys round-trip and are written only when they differ") {
        QueryResult r = parse_query("dataset=gauss2d&k=1&mu=-1.5,0.25&cov=3,-1,1");
        CHECK(r.messages.empty());
        const Gauss2D& g = r.settings.gauss;
        CHECK(g.mean[0] == -1.5);
        CHECK(g.mean[1] == 0.25);
        CHECK(g.c00 == 3);
        CHECK(g.c01 == -1);
        CHECK(g.c11 == 1);
        const std::string q = to_query(r.settings);
        CHECK(q.find("mu=-1.5,0.25") != std::string::npos);
        CHECK(q.find("cov=3,-1,1") != std::string::npos);
        QueryResult back = parse_query(q);
        CHECK(back.messages.empty());
        CHECK(back.settings == r.settings);
        // Only the covariance changed: no mu key; the course's Gaussian: neither key.
        const std::string q2 = to_query(parse_query("dataset=gauss2d&cov=4,1,2").settings);
        CHECK(q2.find("mu=") == std::string::npos);
        CHECK(q2.find("cov=4,1,2") != std::string::npos);
        const std::string q3 = to_query(parse_query("preset=course-gauss2d&mu=-1,2&cov=4,2,2").settings);
        CHECK(q3 == "preset=course-gauss2d");
        // Settings differ when only the Gaussian does.
        Settings a = parse_query("dataset=gauss2d").settings, b = a;
        b.gauss.c01 = 1.5;
        CHECK(a != b);
        // npseed: numpy's seed of the sample (default 0, written only when it differs).
        QueryResult rs = parse_query("preset=course-gauss2d&npseed=42");
        CHECK(rs.messages.empty());
        CHECK(rs.settings.gauss.seed == 42);
        CHECK(to_query(rs.settings) == "preset=course-gauss2d&npseed=42");
        CHECK(parse_query(to_query(rs.settings)).settings == rs.settings);
        CHECK(to_query(parse_query("preset=course-gauss2d&npseed=0").settings) == "preset=course-gauss2d");
        b = a;
        b.gauss.seed = 1;
        CHECK(a != b);
        CHECK_FALSE(same_gauss(a.gauss, b.gauss));
        for (const char* q : {"npseed=-1", "npseed=4294967296", "npseed=1.5", "npseed=x", "npseed="}) {
            CAPTURE(q);
            QueryResult bad = parse_query(q);
            CHECK(has_text(bad.messages, "numpy's seed"));
            CHECK(bad.settings.gauss.seed == 0);
        }
        CHECK(parse_query("npseed=4294967295").settings.gauss.seed == 4294967295u);
    }

    TEST_CASE("gauss page: a recipe's mu / cov / npseed become the CLI's --mu / --cov / --npseed") {
        const Preset p = parse_recipe("my-gauss", "title: t\norder: 1\nquery: dataset=gauss2d&arch=none&k=1&"
                                                  "mu=0,1.5&cov=2,-1,3&npseed=7\n\nA paragraph.\n");
        const auto o = recipe_cli_options(p);
        const std::map<std::string, std::string> m(o.begin(), o.end());
        CHECK(m.at("mu") == "0,1.5");
        CHECK(m.at("cov") == "2,-1,3");
        CHECK(m.at("npseed") == "7");
        Gauss2D g;  // the CLI reads them back with core's parsers
        CHECK(parse_gauss_mean(m.at("mu"), &g).empty());
        CHECK(parse_gauss_cov(m.at("cov"), &g).empty());
        g.seed = 7;
        CHECK(same_gauss(g, p.settings.gauss));
        // The course's own Gaussian is the CLI's default: no options.
        for (const auto& kv : recipe_cli_options(*find_preset("course-gauss2d")))
            CHECK((kv.first != "mu" && kv.first != "cov" && kv.first != "npseed"));
    }

    TEST_CASE("gauss page: bad mu / cov values are reported and the previous Gaussian is kept") {
        QueryResult r = parse_query("dataset=gauss2d&k=1&cov=1,2,1");
        REQUIRE(r.messages.size() == 1);
        CHECK(r.messages[0].find("ignored cov=") != std::string::npos);
        CHECK(r.messages[0].find("not a covariance") != std::string::npos);  // validate()'s reason
        CHECK(same_gauss(r.settings.gauss, Gauss2D{}));
        r = parse_query("cov=-1,0,1");
        CHECK(has_text(r.messages, "cannot be negative"));
        CHECK(same_gauss(r.settings.gauss, Gauss2D{}));
        // A valid covariance, then a bad one: the valid one stays.
        r = parse_query("cov=2,0,2&cov=1,5,1");
        CHECK(r.messages.size() == 1);
        CHECK(r.settings.gauss.c00 == 2);
        CHECK(r.settings.gauss.c11 == 2);
        for (const char* q : {"mu=1", "mu=1,2,3", "mu=a,b", "cov=1,2", "cov=x,0,1", "cov=", "mu=1e999,0"}) {
            CAPTURE(q);
            r = parse_query(q);
            CHECK(r.messages.size() == 1);
            CHECK(same_gauss(r.settings.gauss, Gauss2D{}));
        }
        // sanitize() repairs a Gaussian set past the parser.
        Settings s = parse_query("dataset=gauss2d").settings;
        s.gauss.c01 = 10;
        std::vector<std::string> msgs;
        sanitize(s, &msgs);
        CHECK(has_text(msgs, "not a covariance"));
        CHECK(same_gauss(s.gauss, Gauss2D{}));
    }

    TEST_CASE("gauss page: the page's sample of the course's Gaussian has eigenvalues near 3 +- sqrt(5)") {
        Controller c;
        c.apply_query("?preset=course-gauss2d");
        c.sync();
        REQUIRE(c.ready());
        const DataBundle& d = c.session().data();
        const Gauss2DStats& s = d.gauss_stats;
        CHECK(s.n == 10000);
        CHECK(d.test.size() == 1000);
        MESSAGE("page sample (numpy seed 0): mean (" << s.mean[0] << ", " << s.mean[1] << "), eigenvalues " << s.eigval[0]
                                               << ", " << s.eigval[1] << ", PC1 share " << s.share_pc1 << ", slope "
                                               << s.slope_pc1);
        // The page's training points are the course's X: np.random.seed(0);
        // X = np.random.multivariate_normal((-1, 2), [[4, 2], [2, 2]], 10000), whose np.cov
        // eigenvalues are 5.183531512728936 and 0.742521080086303 (stored as float here).
        CHECK(std::abs(s.eigval[0] - 5.183531512728936) < 1e-4);
        CHECK(std::abs(s.eigval[1] - 0.742521080086303) < 1e-4);
        // The issue asks for "within 0.1" of 3 +- sqrt(5): 0.053 and 0.021 here. A sample
        // eigenvalue's standard deviation is about lambda sqrt(2 / (n - 1)): 0.074 and 0.011
        // (see test_gauss2d.cpp). Checked: within 0.1, and within 4 deviations as core's test
        // does for 20 seeds.
        CHECK(std::abs(s.eigval[0] - (3 + std::sqrt(5.0))) < 0.1);
        const double sd0 = (3 + std::sqrt(5.0)) * std::sqrt(2.0 / 9999), sd1 = (3 - std::sqrt(5.0)) * std::sqrt(2.0 / 9999);
        CHECK(std::abs(s.eigval[0] - (3 + std::sqrt(5.0))) < 4 * sd0);
        CHECK(std::abs(s.eigval[1] - (3 - std::sqrt(5.0))) < 4 * sd1);
        CHECK(std::abs(s.eigval[1] - (3 - std::sqrt(5.0))) < 0.1);
        CHECK(std::abs(s.mean[0] + 1) < 0.05);
        CHECK(std::abs(s.mean[1] - 2) < 0.05);
        // The population's PC1 share is (3 + sqrt 5) / 6 = 0.873, its slope 0.618.
        CHECK(std::abs(s.share_pc1 - (3 + std::sqrt(5.0)) / 6) < 0.02);
        CHECK(std::abs(s.slope_pc1 - 0.618) < 0.05);
        // The explorer's numbers are those of the training points PCA is fitted on.
        CHECK(std::abs(c.session().pca().explained_variance_(0) - s.eigval[0]) < 1e-6 * s.eigval[0]);
        CHECK_FALSE(c.session().has_knn());
        CHECK_FALSE(c.session().update_knn(0));
    }

    TEST_CASE("gauss page: an edited Gaussian regenerates the data and rebuilds the model; a bad one is refused") {
        Controller c;
        c.apply_query("?preset=course-gauss2d");
        c.sync();
        REQUIRE(c.ready());
        for (int i = 0; i < 5; ++i) c.train();
        CHECK(c.session().total_steps() > 0);
        const std::uint64_t v0 = c.visuals_version();
        // The Gaussian as the panel writes it: runtime values (here from the URL parser).
        // (Compile-time constants {1, 1, 1, 0, 9} assigned field by field were stored as
        // {1, 1, 1, 1, 9} by GCC 12 -O3 -march=native in this test: a vectorised store of a
        // broadcast 1.0; see the task report.)
        const Gauss2D g = parse_query("mu=1,1&cov=1,0,9").settings.gauss;
        REQUIRE(g.c01 == 0);
        REQUIRE(g.c11 == 9);
        c.settings_mut().gauss = g;
        CHECK(c.settings().gauss.c01 == 0);
        c.sync();
        REQUIRE(c.ready());
        const DataBundle& d = c.session().data();
        CHECK(same_gauss(d.gauss, g));
        CHECK(c.visuals_version() > v0);
        CHECK(c.session().total_steps() == 0);  // rebuilt from its seed
        CHECK(std::abs(d.gauss_stats.mean[0] - 1) < 0.1);
        CHECK(std::abs(d.gauss_stats.eigval[0] - 9) < 0.5);
        CHECK(std::abs(d.gauss_stats.eigvec[0][0]) < 0.1);  // PC1 about vertical
        CHECK(to_query(c.settings()).find("cov=1,0,9") != std::string::npos);
        // Not a covariance, set past sanitize(): an error message, the data's Gaussian is kept.
        c.settings_mut().gauss.c01 = 100;
        c.sync();
        CHECK(has_message(c, "not a covariance", true));
        CHECK(same_gauss(c.settings().gauss, g));
        CHECK(same_gauss(c.session().data().gauss, g));
        CHECK(c.ready());
    }

    TEST_CASE("gauss page: live k-NN with 10 labels per class equals core's protocol, on a timer") {
        Controller c;
        start_images(c);
        Session& s = c.session();
        REQUIRE(s.has_knn());
        CHECK(s.knn().step == -1);
        CHECK(s.update_knn(10.0));  // due at once for a new model
        const KnnScores k0 = s.knn();
        CHECK(k0.n_test == 120);
        CHECK(k0.n_labelled == 100);
        CHECK(k0.step == 0);
        const std::vector<int>& ytr = s.data().train.y;
        const std::vector<int>& yte = s.data().test.y;
        const double pca = knn_accuracy_few_labels(s.pca_encode(s.data().train.X), ytr, s.pca_test_codes(), yte, 10, 1, 0);
        const double ae0 = knn_accuracy_few_labels(s.encode(s.data().train.X), ytr, s.test_codes(), yte, 10, 1, 0);
        CHECK(k0.pca == doctest::Approx(pca).epsilon(1e-12));
        CHECK(k0.ae == doctest::Approx(ae0).epsilon(1e-12));
        MESSAGE("k-NN, 10 labels per class, step 0: AE " << k0.ae << ", PCA " << k0.pca);
        CHECK(k0.pca >= 0.0);
        CHECK(k0.pca <= 1.0);
        // Not due again before kKnnPeriod seconds, nor after it while the step has not moved.
        CHECK_FALSE(s.update_knn(11.0));
        CHECK_FALSE(s.update_knn(100.0));
        for (int i = 0; i < 3; ++i) c.train();
        REQUIRE(s.total_steps() > 0);
        s.refresh_codes(s.data().test.size());
        CHECK_FALSE(s.update_knn(10.0 + kKnnPeriod * 0.5));  // the step moved, but too soon
        CHECK(s.update_knn(10.0 + kKnnPeriod * 1.5));
        CHECK(s.knn().step == s.total_steps());
        const double ae1 = knn_accuracy_few_labels(s.encode(s.data().train.X), ytr, s.test_codes(), yte, 10, 1, 0);
        CHECK(s.knn().ae == doctest::Approx(ae1).epsilon(1e-12));
        CHECK(s.knn().pca == doctest::Approx(pca).epsilon(1e-12));  // PCA's codes do not train
        MESSAGE("after " << s.total_steps() << " steps: AE " << s.knn().ae);
        // A rebuilt model is due at once again.
        c.command("reset");
        c.sync();
        CHECK(s.knn().step == -1);
        CHECK(s.update_knn(10.0 + kKnnPeriod * 1.6));
    }

    TEST_CASE("gauss page: k-NN in chunks (the page's time budget) equals k-NN at once") {
        Controller c;
        start_images(c);
        Session& s = c.session();
        // 100 labelled images, 30 a call: not done after 1, 2, 3 calls, done at the 4th.
        for (int i = 0; i < 3; ++i) CHECK_FALSE(s.update_knn(10.0, 30));
        CHECK(s.knn().step == -1);
        CHECK(s.update_knn(10.0, 30));
        const KnnScores chunked = s.knn();
        c.command("reset");  // the same model again (same seed): at once now
        c.sync();
        CHECK(s.update_knn(20.0));
        CHECK(s.knn().ae == doctest::Approx(chunked.ae).epsilon(1e-12));
        CHECK(s.knn().pca == doctest::Approx(chunked.pca).epsilon(1e-12));
        CHECK(chunked.n_labelled == 100);
        // A chunk size of 0 still makes progress (one image a call).
        c.command("reset");
        c.sync();
        int calls = 1;
        while (!s.update_knn(30.0, 0) && calls < 200) ++calls;
        CHECK(calls == 100);
        CHECK(s.knn().ae == doctest::Approx(chunked.ae).epsilon(1e-12));
    }

    TEST_CASE("gauss page: the stats JSON carries knn10 / pcaKnn10 (null until known)") {
        Stats st;
        std::string j = stats_json(st);
        CHECK(j.find("\"knn10\":null") != std::string::npos);
        CHECK(j.find("\"pcaKnn10\":null") != std::string::npos);
        st.knn10 = 0.5;
        st.pca_knn10 = 0.25;
        j = stats_json(st);
        CHECK(j.find("\"knn10\":0.5") != std::string::npos);
        CHECK(j.find("\"pcaKnn10\":0.25") != std::string::npos);
    }
}
