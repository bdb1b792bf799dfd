// test_app.cpp: the playground's headless logic (web/app/state, presets, session).
// URL parsing is the embedding contract of the page: hostile values must give messages and
// defaults, never a crash; to_query must round-trip; presets must build valid models; the
// training session must train inside a time budget and keep weights on lr changes.
#include <doctest.h>

#include "presets.hpp"
#include "session.hpp"
#include "state.hpp"

#include <cmath>
#include <string>

using namespace aelab;
using namespace aelab::app;

TEST_SUITE("app") {
    TEST_CASE("empty query gives the default preset without messages") {
        for (const char* q : {"", "?", "?&&", "&"}) {
            QueryResult r = parse_query(q);
            CHECK(r.messages.empty());
            CHECK(r.settings == default_settings());
            CHECK(r.settings.preset == default_preset_key());
        }
    }

    TEST_CASE("every preset round-trips through the URL and builds a valid model") {
        for (const Preset& p : presets()) {
            CAPTURE(p.key);
            const std::string q = to_query(p.settings);
            CHECK(q == "preset=" + p.key);
            QueryResult r = parse_query("?" + q);
            CHECK(r.messages.empty());
            CHECK(r.settings == p.settings);
            AEConfig c = p.settings.model_config(dataset_dim(p.settings.dataset));
            CHECK_NOTHROW(c.validate());
            CHECK_NOTHROW(p.settings.optimizer_config().validate());
        }
        CHECK(find_preset("no-such-preset") == nullptr);
    }

    TEST_CASE("parameters override the preset") {
        QueryResult r = parse_query(
            "?preset=nonlinear-mnist&dataset=fashion&arch=64-16&k=3&act=tanh&out=sigmoid&loss=bce&opt=sgd&lr=0.05"
            "&batch=32&tied=1&seed=7&speed=10&budget=5&autoplay=0&logy=0&hide=controls,pca");
        CHECK(r.messages.empty());
        const Settings& s = r.settings;
        CHECK(s.preset == "nonlinear-mnist");
        CHECK(s.dataset == DatasetKind::Fashion);
        CHECK(s.hidden == std::vector<int>{64, 16});
        CHECK(s.latent == 3);
        CHECK(s.acts.size() == 4);
        CHECK(s.acts[0] == Activation::Tanh);
        CHECK(s.out_act == Activation::Sigmoid);
        CHECK(s.loss == ReconLoss::BCE);
        CHECK(s.opt == OptimizerKind::SGD);
        CHECK(s.lr == doctest::Approx(0.05));
        CHECK(s.batch == 32);
        CHECK(s.tied);
        CHECK(s.seed == 7);
        CHECK(s.speed == 10);
        CHECK(s.budget_ms == doctest::Approx(5));
        CHECK_FALSE(s.autoplay);
        CHECK_FALSE(s.logy);
        CHECK(s.hide == (kPanelControls | kPanelPca));
        // And back: the short query reproduces the same settings.
        QueryResult back = parse_query(to_query(s));
        CHECK(back.messages.empty());
        CHECK(back.settings == s);
    }

    // Found by tests/fuzz/query_fuzz.cpp (its input had lr=0.009999999991): to_query printed
    // lr and budget with 6 significant digits, so that shared link came back as lr=0.01.
    TEST_CASE("to_query keeps every digit of lr and budget") {
        struct Case {
            const char* query;
            const char* expect;  // what to_query must contain
        } cases[] = {
            {"lr=0.009999999991&tied=1", "lr=0.009999999991"},
            {"lr=0.0012345678", "lr=0.0012345678"},
            {"lr=0.30000000000000004", "lr=0.30000000000000004"},
            {"opt=sgd&lr=7.123456789", "lr=7.123456789"},
            {"budget=1.0000001", "budget=1.0000001"},
            {"lr=0.003", "preset=linear-mnist"},  // the preset's own value: not repeated
        };
        for (const auto& c : cases) {
            CAPTURE(c.query);
            const QueryResult r = parse_query(c.query);
            REQUIRE(r.messages.empty());
            const std::string q = to_query(r.settings);
            CAPTURE(q);
            CHECK(q.find(c.expect) != std::string::npos);
            const QueryResult back = parse_query(q);
            CHECK(back.messages.empty());
            CHECK(back.settings == r.settings);
            CHECK(to_query(back.settings) == q);
        }
        CHECK(to_query(parse_query("lr=0.003").settings) == "preset=linear-mnist");
    }

    TEST_CASE("per-layer activations and percent-encoding") {
        QueryResult r = parse_query("preset=course-gauss2d&arch=8-4&act=relu%2Ctanh%2Celu%2Csigmoid");
        CHECK(r.messages.empty());
        REQUIRE(r.settings.acts.size() == 4);
        CHECK(r.settings.acts[1] == Activation::Tanh);
        CHECK(r.settings.acts[3] == Activation::Sigmoid);
        CHECK(parse_query(to_query(r.settings)).settings == r.settings);
        // Encoder-only list: mirrored for the decoder.
        QueryResult m = parse_query("arch=8-4&act=relu,tanh");
        REQUIRE(m.settings.acts.size() == 4);
        CHECK(m.settings.acts[2] == Activation::Tanh);
        CHECK(m.settings.acts[3] == Activation::ReLU);
        CHECK(url_decode("a%20b+c%2") == "a b c%2");
        CHECK(url_decode(url_encode("x&y=z%")) == "x&y=z%");
    }

    TEST_CASE("hostile values give messages and defaults, never a crash") {
        const Settings def = default_settings();
        struct Case {
            const char* query;
        } cases[] = {
            {"lr=abc"}, {"lr=-1"}, {"lr=nan"}, {"lr=inf"}, {"lr=1e999"}, {"batch=0"}, {"batch=99999999999999999999"},
            {"batch=-5"}, {"k=0"}, {"k=100000"}, {"arch=1-2-3-4-5-6"}, {"arch=99999"}, {"arch=a-b"}, {"arch=--"},
            {"act=frobnicate"}, {"act=relu,relu,relu"}, {"opt=magic"}, {"dataset=imagenet"}, {"preset=%00%ff"},
            {"seed=-1"}, {"seed=1e3"}, {"tied=maybe"}, {"hide=everything"}, {"speed=0"}, {"budget=1000"},
            {"loss=hinge"}, {"out=relu"}, {"wat=1"}, {"%zz=%"},
        };
        for (const auto& c : cases) {
            CAPTURE(c.query);
            QueryResult r;
            REQUIRE_NOTHROW(r = parse_query(c.query));
            CHECK_FALSE(r.messages.empty());
            CHECK_NOTHROW(r.settings.model_config(dataset_dim(r.settings.dataset)).validate());
            CHECK_NOTHROW(r.settings.optimizer_config().validate());
        }
        // A bad value keeps the preset's value for that key only.
        QueryResult r = parse_query("lr=abc&batch=16");
        CHECK(r.settings.lr == def.lr);
        CHECK(r.settings.batch == 16);
        // Absurdly long queries are refused as a whole.
        QueryResult big = parse_query(std::string(10000, 'a'));
        CHECK(big.messages.size() == 1);
        CHECK(big.settings == def);
        // Control characters never reach a message.
        QueryResult ctl = parse_query("dataset=%01%02%1b[31m");
        REQUIRE_FALSE(ctl.messages.empty());
        for (char ch : ctl.messages[0]) CHECK(static_cast<unsigned char>(ch) >= 32);
    }

    TEST_CASE("URL numbers are decimal only: hex, inf, nan, '1e', a leading '+' are refused") {
        double x = 0;
        for (const char* ok : {"0.1", "1e-3", "1E-3", "-2.5", ".5", "5.", "3e+2", "0", "0012", "1e05"}) {
            CAPTURE(ok);
            CHECK(parse_decimal(ok, &x));
        }
        CHECK((parse_decimal(".5", &x) && x == 0.5));
        for (const char* bad : {"0x10", "0X1p3", "0x1.8p1", "inf", "-inf", "infinity", "nan", "NaN", "1e", "1e+",
                                "e5", ".", "-", "", " 1", "1 ", "+0.1", "--1", "1.2.3", "1e5.5", "1e999", "0x",
                                "1,5", "1_000"}) {
            CAPTURE(bad);
            CHECK_FALSE(parse_decimal(bad, &x));
        }
        // Through the URL: 'lr=0x10' used to be refused only by accident of the range check.
        for (const char* q : {"lr=0x1p-3", "lr=0x.1", "budget=0x10", "lr=1e", "budget=+5", "lr=%2B0.1", "lr=infinity"}) {
            CAPTURE(q);
            QueryResult r = parse_query(q);
            REQUIRE(r.messages.size() == 1);
            CHECK(r.messages[0].find("ignored") == 0);
            CHECK(r.settings == default_settings());
        }
    }

    TEST_CASE("lr and budget round-trip exactly through the URL (shortest of %.15g/%.16g/%.17g)") {
        for (double v : {0.1, 1.0 / 3.0, 3e-5, 0.0012345678901, 0.001, 2.0 / 3.0 * 1e-3, 9.999999999999999,
                         std::nextafter(0.1, 1.0), 1e-300, 10.0}) {
            CAPTURE(v);
            const std::string t = format_number(v);
            double back = 0;
            REQUIRE(parse_decimal(t, &back));
            CHECK(back == v);
            CHECK(t.size() <= 24);
            Settings s = default_settings();
            s.lr = v;
            s.budget_ms = 1.0 + v * 3.0;
            QueryResult r = parse_query(to_query(s));
            if (v > 10 || v <= 0) continue;
            CHECK(r.messages.empty());
            CHECK(r.settings.lr == s.lr);            // exactly, not approximately
            CHECK(r.settings.budget_ms == s.budget_ms);
        }
        CHECK(format_number(0.1) == "0.1");
        CHECK(format_number(3e-5) == "3e-05");
        CHECK(format_number(1.0 / 3.0) == "0.3333333333333333");
        CHECK(format_number(0.0012345678901) == "0.0012345678901");
        CHECK(to_query([] { Settings s = default_settings(); s.lr = 1.0 / 3.0; return s; }()).find("lr=0.3333333333333333") !=
              std::string::npos);
    }

    TEST_CASE("sanitize repairs inconsistent combinations") {
        QueryResult r = parse_query("dataset=gauss2d&k=5");  // k must stay below the data dimension
        CHECK(r.settings.latent == 1);
        CHECK_FALSE(r.messages.empty());
        QueryResult b = parse_query("loss=bce&out=linear");
        CHECK(b.settings.out_act == Activation::Sigmoid);
        QueryResult g = parse_query("dataset=curved3d&loss=bce");
        CHECK(g.settings.loss == ReconLoss::MSE);
        CHECK_NOTHROW(b.settings.model_config(784).validate());
    }

    TEST_CASE("shape changes are told apart from hyperparameter changes") {
        Settings a = default_settings();
        Settings b = a;
        b.lr = 0.1;
        b.opt = OptimizerKind::SGD;
        b.batch = 7;
        CHECK_FALSE(Settings::shape_differs(a, b));
        b.latent = 3;
        CHECK(Settings::shape_differs(a, b));
    }

    TEST_CASE("session: a linear AE on the 2-D Gaussian trains towards PCA's bound within a budget") {
        Session s;
        s.set_data(make_synthetic(DatasetKind::Gauss2D, 1));
        Settings st = find_preset("course-gauss2d")->settings;
        s.build(st);
        REQUIRE(s.has_model());
        CHECK(s.k() == 1);
        const double pca = s.pca_test_mse();
        const double first = s.last_test_mse();
        CHECK(pca > 0);
        CHECK(first > pca);
        for (int i = 0; i < 100; ++i) s.train(0.05, 15);  // 1500 steps: a few seconds in the page
        const double last = s.last_test_mse();
        CHECK(last < first);
        CHECK(last < pca * 1.05);
        REQUIRE_FALSE(s.angle_history().empty());
        CHECK(s.angle_history().back().degrees.at(0) < 3.0f);
        CHECK(s.model_is_linear());
        // A learning-rate change keeps the weights.
        const Vec before = s.model().params();
        st.lr = 0.001;
        s.update_hyper(st);
        CHECK(s.model().params() == before);
        CHECK(s.trainer().optimizer_config().lr == doctest::Approx(0.001));
        // Codes of the whole test set.
        s.refresh_codes(100000);
        CHECK(s.test_codes().rows() == 1);
        CHECK(s.test_codes().cols() == s.data().test.size());
        CHECK(s.pca_test_codes().cols() == s.data().test.size());
    }

    TEST_CASE("model files: settings_for_model gives settings the page accepts, and says what it clipped") {
        const Settings cur = find_preset("nonlinear-mnist")->settings;
        auto accepted = [](const Settings& s) {
            Settings t = s;
            std::vector<std::string> msgs;
            sanitize(t, &msgs);
            CHECK(msgs.empty());
            CHECK(t == s);
            QueryResult r = parse_query(to_query(s));
            CHECK(r.messages.empty());
            Settings want = s;  // a preset-less query reads back with the default preset's key
            want.preset = r.settings.preset;
            CHECK(r.settings == want);
            CHECK_NOTHROW(s.model_config(dataset_dim(s.dataset)).validate());
            CHECK(s.acts.size() == 2 * s.hidden.size());
        };
        // A mirrored model the page made: taken as it is, no messages.
        {
            AEConfig c = AEConfig::from_arch("784-64-16-3");
            c.hidden_acts = {Activation::Tanh, Activation::ELU, Activation::ReLU, Activation::Sigmoid};
            c.output_act = Activation::Sigmoid;
            c.loss = ReconLoss::BCE;
            OptimizerConfig o = OptimizerConfig::defaults_for(OptimizerKind::SGD);
            o.lr = 1.0 / 3.0;
            ModelSettings m = settings_for_model(cur, DatasetKind::Fashion, c, &o);
            CHECK(m.messages.empty());
            CHECK(m.settings.preset.empty());
            CHECK(m.settings.dataset == DatasetKind::Fashion);
            CHECK(m.settings.hidden == std::vector<int>{64, 16});
            CHECK(m.settings.latent == 3);
            CHECK(m.settings.acts == c.hidden_acts);
            CHECK(m.settings.opt == OptimizerKind::SGD);
            CHECK(m.settings.lr == 1.0 / 3.0);
            CHECK(m.settings.batch == cur.batch);
            accepted(m.settings);
        }
        // The probe's file: a non-mirrored decoder with fewer per-layer activations than the
        // page's 2 x encoder layers (3 encoder + 1 decoder = 4 acts, the page wants 6).
        {
            AEConfig c;
            c.input_dim = 784;
            c.encoder = {256, 128, 64};
            c.latent = 8;
            c.decoder = {32};
            c.mirror_decoder = false;
            c.hidden_acts = {Activation::ReLU, Activation::Tanh, Activation::ELU, Activation::Sigmoid};
            REQUIRE_NOTHROW(c.validate());
            ModelSettings m = settings_for_model(cur, DatasetKind::MNIST, c, nullptr);
            REQUIRE(m.messages.size() == 1);
            CHECK(m.messages[0].find("does not mirror") != std::string::npos);
            CHECK(m.settings.hidden == std::vector<int>{256, 128, 64});
            REQUIRE(m.settings.acts.size() == 6);  // encoder's three, mirrored
            CHECK(m.settings.acts[0] == Activation::ReLU);
            CHECK(m.settings.acts[2] == Activation::ELU);
            CHECK(m.settings.acts[3] == Activation::ELU);
            CHECK(m.settings.acts[5] == Activation::ReLU);
            CHECK(m.settings.opt == cur.opt);  // no optimizer in the file: the current one
            accepted(m.settings);
        }
        // Beyond the page's limits: 6 hidden layers, widths 2000, code 600, lr 500, weight
        // decay 2 (the page takes [0, 1)): each clipped or reported, and the result still
        // accepted. Sparsity and noise within the page's ranges are taken over silently.
        {
            AEConfig c;
            c.input_dim = 784;
            c.encoder = {2000, 1500, 500, 300, 200, 120};
            c.latent = 600;
            c.hidden_act = Activation::SELU;
            c.weight_decay = 2;
            c.sparsity = Sparsity::L1;
            c.sparsity_weight = 1e-3;
            c.noise = Noise::Gaussian;
            c.noise_level = 0.1;
            REQUIRE_NOTHROW(c.validate());
            OptimizerConfig o = OptimizerConfig::defaults_for(OptimizerKind::Adam);
            o.lr = 500;
            ModelSettings m = settings_for_model(cur, DatasetKind::MNIST, c, &o);
            CHECK(m.messages.size() == 6);  // layers, widths 2000 and 1500, code, lr, decay
            CHECK(m.settings.hidden == std::vector<int>{1024, 1024, 500, 300});
            CHECK(m.settings.latent == kMaxLatent);
            CHECK(m.settings.lr == 10.0);
            CHECK(m.settings.weight_decay == 0);
            CHECK(m.settings.sparsity == Sparsity::L1);
            CHECK(m.settings.sparsity_weight == 1e-3);
            CHECK(m.settings.noise == Noise::Gaussian);
            CHECK(m.settings.noise_level == 0.1);
            CHECK(m.settings.acts == std::vector<Activation>(8, Activation::SELU));
            accepted(m.settings);
        }
        // A 2-D model on the 2-D Gaussian with a code as wide as the data: sanitize's repair.
        {
            AEConfig c = AEConfig::from_arch("2-8-2");
            c.hidden_act = Activation::Tanh;
            ModelSettings m = settings_for_model(cur, DatasetKind::Gauss2D, c, nullptr);
            CHECK(m.settings.latent == 1);
            CHECK_FALSE(m.messages.empty());
            accepted(m.settings);
        }
    }

    TEST_CASE("model files: dataset_for_model follows the file's metadata, then the input size") {
        DatasetKind k = DatasetKind::Gauss2D;
        CHECK(dataset_for_model({{"dataset", "fashion"}}, 784, DatasetKind::Gauss2D, &k));
        CHECK(k == DatasetKind::Fashion);
        CHECK(dataset_for_model({{"dataset", "fashion"}}, 3, DatasetKind::SwissRoll, &k));  // meta of the wrong size
        CHECK(k == DatasetKind::SwissRoll);
        CHECK(dataset_for_model({}, 3, DatasetKind::MNIST, &k));
        CHECK(k == DatasetKind::Curved3D);
        CHECK(dataset_for_model({{"dataset", "imagenet"}}, 784, DatasetKind::Fashion, &k));
        CHECK(k == DatasetKind::Fashion);
        CHECK(dataset_for_model({}, 2, DatasetKind::MNIST, &k));
        CHECK(k == DatasetKind::Gauss2D);
        CHECK_FALSE(dataset_for_model({}, 5, DatasetKind::MNIST, &k));
        CHECK(kMaxModelFileBytes == std::size_t(64) * 1024 * 1024);
    }

    TEST_CASE("session: save and install round-trip; a corrupt file keeps the model") {
        Session s;
        s.set_data(make_synthetic(DatasetKind::Curved3D, 2));
        Settings st = find_preset("course-curved3d")->settings;
        s.build(st);
        s.train(1.0, 50);
        const Vec params = s.model().params();
        const long steps = s.trainer().steps();
        std::vector<std::uint8_t> bytes = s.save({{"dataset", "curved3d"}});
        s.build(st);  // fresh weights
        CHECK(s.model().params() != params);
        s.install(read_model(bytes), st);
        CHECK(s.model().params() == params);
        (void)steps;
        std::vector<std::uint8_t> bad = bytes;
        bad[bad.size() / 2] ^= 0x5a;
        CHECK_THROWS_AS(read_model(bad), Error);
        CHECK(s.model().params() == params);
        // A model for another input size is refused by install.
        Session img;
        img.set_data(make_synthetic(DatasetKind::Gauss2D, 1));
        img.build(find_preset("course-gauss2d")->settings);
        CHECK_THROWS_AS(img.install(read_model(bytes), st), Error);
        CHECK(img.has_model());
    }
}
