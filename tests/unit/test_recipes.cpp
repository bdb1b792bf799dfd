// test_recipes.cpp: the recipe files (assets/recipes), their parser, the URL keys the course
// examples need (noise, sparse, wd, epochs), the CLI option lists made from recipes, and
// the course's exact data (numpy's legacy random stream, Géron's 3-D data, rounded accuracy).
#include <doctest.h>

#include "presets.hpp"
#include "session.hpp"
#include "state.hpp"

#include "aelab/course.hpp"
#include "aelab/graph.hpp"
#include "aelab/model.hpp"

#include <cmath>
#include <map>
#include <set>
#include <string>

using namespace aelab;
using namespace aelab::app;

namespace {

const char* kGood =
    "title: A test recipe\n"
    "order: 5\n"
    "query: dataset=fashion&arch=100&k=30&act=selu&out=sigmoid&loss=bce&opt=sgd&lr=1.5&epochs=20\n"
    "cli: valid=5000\n"
    "alias: old-key, older-key\n"
    "\n"
    "First line of the paragraph\n"
    "  and its second line.\n";

// The message of parse_recipe's error ("" if it did not throw).
std::string recipe_error(const std::string& text, const std::string& key = "t") {
    try {
        parse_recipe(key, text);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

// A graph recipe (model=vae or net=): the page's model builds, and the CLI options describe
// the same graph and objective (kind, architecture, loss, beta) with the same optimizer.
void check_graph_recipe(const Preset& p) {
    const Settings& s = p.settings;
    const int dim = dataset_dim(s.dataset);
    std::unique_ptr<Model> m;
    REQUIRE_NOTHROW(m = s.make_model(dim));
    CHECK(m->is_vae() == s.vae);
    std::vector<std::pair<std::string, std::string>> o;
    REQUIRE_NOTHROW(o = recipe_cli_options(p));
    std::map<std::string, std::string> kv(o.begin(), o.end());
    CHECK(kv.size() == o.size());
    const std::set<std::string> known = {"data", "model", "arch", "act", "loss", "beta", "opt", "lr",
                                         "batch", "seed", "epochs", "valid"};
    for (const auto& e : o) CHECK(known.count(e.first) == 1);
    CHECK(kv.at("model") == (s.vae ? "vae" : "ae"));
    std::string arch = kv.at("arch");
    if (s.net.empty()) {  // the dense VAE: widths and --act, mirrored as the CLI does
        AEConfig a = AEConfig::from_arch(arch);
        CHECK(a.input_dim == dim);
        arch = mirrored_vae_arch(a.encoder, a.latent, parse_activation(kv.at("act")), a.input_dim);
    }
    CHECK(parse_arch(arch).str() == m->arch_string());
    CHECK(parse_loss(kv.at("loss")) == m->loss());
    CHECK(kv.count("beta") == (s.beta != 1.0 ? 1u : 0u));
    CHECK(parse_optimizer(kv.at("opt")) == s.opt);
    CHECK(std::stoi(kv.at("batch")) == s.batch);
    DatasetKind d;
    CHECK(parse_dataset(kv.at("data"), &d));
    CHECK(d == s.dataset);
}

}  // namespace

TEST_SUITE("app") {
    TEST_CASE("recipe parser: a good recipe, every field read") {
        Preset p = parse_recipe("test-1", kGood);
        CHECK(p.key == "test-1");
        CHECK(p.title == "A test recipe");
        CHECK(p.order == 5);
        CHECK(p.valid == 5000);
        CHECK(p.aliases == std::vector<std::string>{"old-key", "older-key"});
        CHECK(p.description == "First line of the paragraph and its second line.");
        CHECK(p.settings.preset == "test-1");
        CHECK(p.settings.dataset == DatasetKind::Fashion);
        CHECK(p.settings.hidden == std::vector<int>{100});
        CHECK(p.settings.latent == 30);
        CHECK(p.settings.acts == std::vector<Activation>(2, Activation::SELU));
        CHECK(p.settings.loss == ReconLoss::BCE);
        CHECK(p.settings.opt == OptimizerKind::SGD);
        CHECK(p.settings.lr == 1.5);
        CHECK(p.settings.epochs == 20);
        // CRLF line ends and a missing final newline are fine.
        std::string crlf;
        for (char c : std::string(kGood)) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
        crlf.pop_back();
        crlf.pop_back();
        CHECK(parse_recipe("test-1", crlf).description == p.description);
    }

    TEST_CASE("recipe parser: every deviation is an error naming the line") {
        struct Case {
            std::string text, want;
        };
        const std::string q = "query: k=2\n";
        const Case cases[] = {
            {"", "no 'title:' line"},
            {"title: x\norder: 1\n" + q, "line 4: the explanation paragraph is missing"},
            {"title: x\norder: 1\n" + q + "\n", "line 5: want the explanation paragraph"},
            {"title: x\norder: 1\n" + q + "\n\ntext\n", "line 5: want the explanation paragraph"},
            {"title: x\norder: 1\n" + q + "\npara\n\nmore\n", "line 7: text after the paragraph"},
            {"title: x\ntitle: y\n", "line 2: 'title' given twice"},
            {"title: x\nwhat: y\n", "line 2: unknown field 'what'"},
            {"title x\n", "line 1: want 'field: value'"},
            {"title:\n", "line 1: 'title' is empty"},
            {"title: x\norder: -1\n", "line 2: order '-1'"},
            {"title: x\norder: 12345\n", "line 2: order '12345'"},
            {"order: 1\n" + q + "\np\n", "no 'title:' line"},
            {"title: x\n" + q + "\np\n", "no 'order:' line"},
            {"title: x\norder: 1\n\np\n", "no 'query:' line"},
            {"title: x\norder: 1\nquery: k=abc\n\np\n", "line 3: query: ignored k='abc'"},
            {"title: x\norder: 1\nquery: nosuch=1\n\np\n", "line 3: query: unknown URL parameter"},
            {"title: x\norder: 1\nquery: preset=linear-mnist\n\np\n", "line 3: query: preset"},
            {"title: x\norder: 1\nquery: loss=bce\n\np\n", "line 3: query: loss bce needs a sigmoid output"},
            {"title: x\norder: 1\nquery: sparse=kl:0.1:0.1\n\np\n", "line 3: query: kl sparsity needs a sigmoid code"},
            {"title: x\norder: 1\n" + q + "cli: valid=0\n\np\n", "line 4: cli valid='0'"},
            {"title: x\norder: 1\n" + q + "cli: epochs=3\n\np\n", "line 4: unknown cli setting 'epochs'"},
            {"title: x\norder: 1\n" + q + "alias: t\n\np\n", "line 4: alias 't'"},
            {"title: x\norder: 1\n" + q + "alias: Bad Key\n\np\n", "line 4: alias 'Bad Key'"},
        };
        for (const Case& c : cases) {
            CAPTURE(c.text);
            const std::string e = recipe_error(c.text);
            CAPTURE(e);
            CHECK(e.find(c.want) != std::string::npos);
        }
        CHECK(recipe_error(kGood, "Bad_Key").find("a key is") != std::string::npos);
        CHECK(recipe_error(kGood, "-x").find("a key is") != std::string::npos);
        CHECK(recipe_error(kGood, "ok-key") == "");
    }

    TEST_CASE("every embedded recipe parses, sanitizes silently, round-trips and gives a CLI config") {
        const std::vector<Preset>& all = presets();
        REQUIRE(all.size() >= 14);
        std::set<std::string> keys;
        int last_order = -1;
        for (const Preset& p : all) {
            CAPTURE(p.key);
            keys.insert(p.key);
            CHECK(p.order > last_order);
            last_order = p.order;
            CHECK_FALSE(p.title.empty());
            CHECK(p.description.size() > 80);
            // The recipe's own query, read again, gives the same settings without messages.
            QueryResult a = apply_query(p.query, Settings{});
            CHECK(a.messages.empty());
            a.settings.preset = p.key;
            CHECK(a.settings == p.settings);
            Settings s = p.settings;
            std::vector<std::string> msgs;
            sanitize(s, &msgs);
            CHECK(msgs.empty());
            CHECK(s == p.settings);
            // URL round trip: the preset alone, and the preset with every new key changed.
            CHECK(to_query(p.settings) == "preset=" + p.key);
            QueryResult r = parse_query(to_query(p.settings));
            CHECK(r.messages.empty());
            CHECK(r.settings == p.settings);
            if (p.settings.is_graph()) {  // a layer graph (conv AE, VAE): its own checks
                check_graph_recipe(p);
                continue;
            }
            Settings t = p.settings;
            t.noise = Noise::Masking;
            t.noise_level = 0.25;
            t.weight_decay = 1e-4;
            t.epochs = 3;
            t.lr = 0.125;
            QueryResult rt = parse_query(to_query(t));
            CHECK(rt.messages.empty());
            CHECK(rt.settings == t);
            // A valid model and optimizer, and a CLI option list that describes the same model.
            const AEConfig c = p.settings.model_config(dataset_dim(p.settings.dataset));
            CHECK_NOTHROW(c.validate());
            CHECK_NOTHROW(p.settings.optimizer_config().validate());
            std::vector<std::pair<std::string, std::string>> o;
            REQUIRE_NOTHROW(o = recipe_cli_options(p));
            std::map<std::string, std::string> m(o.begin(), o.end());
            CHECK(m.size() == o.size());  // no option twice
            const std::set<std::string> known = {"data", "arch", "act", "latent-act", "out-act", "loss", "tied",
                                                 "weight-decay", "contractive", "sparsity", "sparsity-weight", "sparsity-target",
                                                 "noise", "noise-level", "mu", "cov", "npseed", "opt", "lr", "batch", "seed", "pretrain", "pretrain-epochs",
                                                 "epochs", "valid"};
            for (const auto& kv : o) CHECK(known.count(kv.first) == 1);
            AEConfig cli = AEConfig::from_arch(m.at("arch"));
            CHECK(cli.input_dim == c.input_dim);
            CHECK(cli.encoder == c.encoder);
            CHECK(cli.latent == c.latent);
            if (m.count("act")) CHECK(parse_activation(m.at("act")) == c.hidden_act);
            CHECK(parse_activation(m.at("latent-act")) == c.latent_act);
            CHECK(parse_activation(m.at("out-act")) == c.output_act);
            CHECK(parse_loss(m.at("loss")) == c.loss);
            CHECK(m.count("tied") == (c.tied ? 1u : 0u));
            CHECK(parse_optimizer(m.at("opt")) == p.settings.opt);
            double x = 0;
            REQUIRE(parse_decimal(m.at("lr"), &x));
            CHECK(x == p.settings.lr);
            CHECK(std::stoi(m.at("batch")) == p.settings.batch);
            if (c.sparsity != Sparsity::None) {
                CHECK(parse_sparsity(m.at("sparsity")) == c.sparsity);
                REQUIRE(parse_decimal(m.at("sparsity-weight"), &x));
                CHECK(x == c.sparsity_weight);
            }
            if (c.noise != Noise::None) {
                CHECK(parse_noise(m.at("noise")) == c.noise);
                REQUIRE(parse_decimal(m.at("noise-level"), &x));
                CHECK(x == c.noise_level);
            }
            DatasetKind d;
            CHECK(parse_dataset(m.at("data"), &d));
            CHECK(d == p.settings.dataset);
        }
        // The course examples, each with the course's parameters.
        for (const char* k : {"linear-mnist", "nonlinear-mnist", "course-gauss2d", "course-geron3d", "curved-band3d",
                              "swissroll", "nonlinear-fashion", "course-stacked-selu", "course-denoise-gauss",
                              "course-denoise-dropout", "course-sparse-l1", "course-sparse-kl", "course-tied",
                              "course-pytorch-256-128", "course-conv-ae", "vae-paper-k2", "vae-paper-k5",
                              "conv-vae"})
            CHECK(keys.count(k) == 1);
        const Settings& g = find_preset("course-geron3d")->settings;
        CHECK(g.dataset == DatasetKind::Geron3D);
        CHECK(g.hidden.empty());
        CHECK(g.latent == 2);
        CHECK(g.opt == OptimizerKind::SGD);
        CHECK(g.lr == 1.5);
        CHECK(g.batch == 32);
        const Preset& st = *find_preset("course-stacked-selu");
        CHECK(st.valid == 5000);
        CHECK(recipe_cli_options(st).back() == std::make_pair(std::string("valid"), std::string("5000")));
        CHECK(st.settings.epochs == 20);
        CHECK(st.settings.model_config(784).arch_string() == "784-100-30-100-784");
        CHECK(find_preset("course-denoise-gauss")->settings.noise == Noise::Gaussian);
        CHECK(find_preset("course-denoise-gauss")->settings.noise_level == 0.2);
        CHECK(find_preset("course-denoise-dropout")->settings.noise_level == 0.5);
        CHECK(find_preset("course-sparse-kl")->settings.sparsity_target == 0.1);
        CHECK(find_preset("course-sparse-kl")->settings.latent == 300);
        CHECK(find_preset("course-pytorch-256-128")->settings.model_config(784).arch_string() ==
              "784-256-128-256-784");
        CHECK(find_preset("course-pytorch-256-128")->settings.epochs == 100);
    }

    TEST_CASE("the old key course-curved3d still works and says it was renamed") {
        const Preset* p = find_preset("course-curved3d");
        REQUIRE(p != nullptr);
        CHECK(p->key == "curved-band3d");
        QueryResult r = parse_query("preset=course-curved3d&lr=0.02");
        REQUIRE(r.messages.size() == 1);
        CHECK(r.messages[0].find("now called 'curved-band3d'") != std::string::npos);
        CHECK(r.settings.preset == "curved-band3d");
        CHECK(r.settings.dataset == DatasetKind::Curved3D);
        CHECK(r.settings.lr == 0.02);
        CHECK(to_query(r.settings) == "preset=curved-band3d&lr=0.02");
    }

    TEST_CASE("URL keys noise, sparse, wd, epochs: parsed, written back, hostile values refused") {
        QueryResult r = parse_query("dataset=fashion&code=sigmoid&k=40&noise=gaussian:0.3&sparse=kl:0.05:0.1&wd=1e-4&epochs=7");
        CHECK(r.messages.empty());
        const Settings& s = r.settings;
        CHECK(s.noise == Noise::Gaussian);
        CHECK(s.noise_level == 0.3);
        CHECK(s.sparsity == Sparsity::KL);
        CHECK(s.sparsity_weight == 0.05);
        CHECK(s.sparsity_target == 0.1);
        CHECK(s.weight_decay == 1e-4);
        CHECK(s.epochs == 7);
        const AEConfig c = s.model_config(784);
        CHECK(c.noise == Noise::Gaussian);
        CHECK(c.noise_level == 0.3);
        CHECK(c.sparsity == Sparsity::KL);
        CHECK(c.sparsity_weight == 0.05);
        CHECK(c.sparsity_target == 0.1);
        CHECK(c.weight_decay == 1e-4);
        CHECK_NOTHROW(c.validate());
        const std::string q = to_query(s);
        CHECK(q.find("noise=gaussian:0.3") != std::string::npos);
        CHECK(q.find("sparse=kl:0.05:0.1") != std::string::npos);
        CHECK(q.find("wd=0.0001") != std::string::npos);
        CHECK(q.find("epochs=7") != std::string::npos);
        CHECK(parse_query(q).settings == s);
        // Defaults of the levels; "none" resets.
        CHECK(parse_query("noise=dropout").settings.noise_level == 0.2);
        CHECK(parse_query("sparse=l1").settings.sparsity_weight == 1e-3);
        QueryResult off = parse_query("preset=course-denoise-gauss&noise=none");
        CHECK(off.messages.empty());
        CHECK(off.settings.noise == Noise::None);
        CHECK(off.settings.noise_level == 0);
        CHECK(to_query(off.settings) == "preset=course-denoise-gauss&noise=none");
        // Hostile values: one message each, defaults kept.
        for (const char* bad : {"noise=gaussian:11", "noise=dropout:1", "noise=masking:-0.1", "noise=blur:0.1",
                                "noise=none:0.1", "noise=gaussian:0.1:0.2", "noise=gaussian:0x1", "sparse=l1:2000",
                                "sparse=kl:0.1:1", "sparse=kl:0.1:0", "sparse=l1:0.1:0.1", "sparse=l2",
                                "sparse=none:1", "wd=1", "wd=-1e-3", "wd=abc", "epochs=-1", "epochs=100001",
                                "epochs=2.5", "k=513"}) {
            CAPTURE(bad);
            QueryResult b = parse_query(bad);
            CHECK(b.messages.size() == 1);
            CHECK(b.settings == default_settings());
        }
        // kl needs a sigmoid code: repaired with a message.
        QueryResult kl = parse_query("sparse=kl:0.1:0.05");
        CHECK(kl.messages.size() == 1);
        CHECK(kl.settings.code_act == Activation::Sigmoid);
        // The code may now be 128 wide (the PyTorch example) and more.
        CHECK(parse_query("k=128").settings.latent == 128);
        CHECK(parse_query("k=128").messages.empty());
    }

    TEST_CASE("course data: the 2-D Gaussian has the course's n, Géron's set its 60 points") {
        DataBundle g = make_synthetic(DatasetKind::Gauss2D, 1);
        CHECK(g.train.size() == 10000);
        CHECK(g.train.dim() == 2);
        // Sample mean and covariance (n - 1) near mu = (-1, 2), Sigma = [[4, 2], [2, 2]].
        const Mat& X = g.train.X;
        const double n = double(X.cols());
        const double mx = X.row(0).cast<double>().mean(), my = X.row(1).cast<double>().mean();
        double sxx = 0, sxy = 0, syy = 0;
        for (Index j = 0; j < X.cols(); ++j) {
            const double dx = X(0, j) - mx, dy = X(1, j) - my;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        CHECK(mx == doctest::Approx(-1).epsilon(0.05));
        CHECK(my == doctest::Approx(2).epsilon(0.05));
        CHECK(sxx / (n - 1) == doctest::Approx(4).epsilon(0.05));
        CHECK(sxy / (n - 1) == doctest::Approx(2).epsilon(0.05));
        CHECK(syy / (n - 1) == doctest::Approx(2).epsilon(0.05));
        DataBundle b = make_synthetic(DatasetKind::Geron3D, 123);  // the seed does not change it
        CHECK(b.train.size() == 60);
        CHECK(b.test.size() == 60);
        CHECK(b.train.X == geron_3d().X);
        CHECK(b.test.X == b.train.X);
        CHECK(dataset_dim(DatasetKind::Geron3D) == 3);
        DatasetKind k;
        CHECK(parse_dataset("geron3d", &k));
        CHECK(k == DatasetKind::Geron3D);
    }
}

TEST_SUITE("data") {
    TEST_CASE("numpy's legacy RandomState: rand and randn equal numpy's after np.random.seed(4)") {
        // Values printed by
        //   /usr/bin/python3 -c "import numpy as np; np.random.seed(4); print(np.random.rand(3).tolist());
        //                        print(np.random.randn(3).tolist())"
        // (numpy 1.24, Debian 12).
        NumpyRandomState rs(4);
        CHECK(rs.rand() == 0.9670298390136767);
        CHECK(rs.rand() == 0.5472322491757223);
        CHECK(rs.rand() == 0.9726843599648843);
        CHECK(rs.randn() == doctest::Approx(0.9934697016087651).epsilon(1e-14));
        CHECK(rs.randn() == doctest::Approx(1.0793225599309364).epsilon(1e-14));
        CHECK(rs.randn() == doctest::Approx(1.4516256064783866).epsilon(1e-14));
        // Raw 32-bit outputs: np.random.RandomState(4).randint(0, 2**32, size=3, dtype=np.uint64)
        NumpyRandomState raw(4);
        CHECK(raw.next_u32() == 4153361530u);
        CHECK(raw.next_u32() == 3868139694u);
        CHECK(raw.next_u32() == 2350344631u);
        // Reseeding restarts the stream and clears the cached normal.
        rs.seed_init(4);
        CHECK(rs.rand() == 0.9670298390136767);
    }

    TEST_CASE("Géron's generate_3d_data(60) after np.random.seed(4), centred, equals numpy's") {
        // Rows printed by the course's code (seed 004 of the course notes):
        //   /usr/bin/python3 -c "import numpy as np; np.random.seed(4); <generate_3d_data as in the course>;
        //     X = generate_3d_data(60); X = X - X.mean(axis=0, keepdims=0); print(X[:3].tolist(), X[-1].tolist())"
        const double want[4][3] = {{-1.0397677147468611, -0.760238460099504, -0.3328804821277156},
                                   {-0.03178419392900823, 0.39026056953876914, -0.03647666589733993},
                                   {-0.977238797022062, -0.6738620601249484, -0.3207571011054633},
                                   {0.5628569857223774, 0.4109424172969626, 0.18162183336772186}};
        const Dataset d = geron_3d();
        REQUIRE(d.dim() == 3);
        REQUIRE(d.size() == 60);
        const Index cols[4] = {0, 1, 2, 59};
        for (int r = 0; r < 4; ++r)
            for (int i = 0; i < 3; ++i) CHECK(d.X(i, cols[r]) == doctest::Approx(want[r][i]).epsilon(1e-6));
        // Centred; labels in 0..3.
        for (int i = 0; i < 3; ++i) CHECK(std::abs(d.X.row(i).cast<double>().sum()) < 1e-5);
        for (int y : d.y) CHECK((y >= 0 && y < 4));
        // PCA's 2-D plane keeps 98.9% of the variance (sklearn: explained_variance_ratio_ = [0.8425, 0.1463]).
        CHECK_THROWS_AS(geron_3d(0), Error);
    }

    TEST_CASE("rounded accuracy: share of entries with round(x) == round(x_hat)") {
        Mat X(2, 2), Y(2, 2);
        X << 0.0f, 1.0f, 0.2f, 0.9f;
        Y << 0.4f, 0.6f, 0.7f, 0.5f;  // 0==0, 1==1, 0!=1, 1!=0 (0.5 rounds to even: 0)
        CHECK(rounded_accuracy(X, Y) == 0.5);
        CHECK(rounded_accuracy(X, X) == 1.0);
        CHECK_THROWS_AS(rounded_accuracy(X, Mat(2, 3)), Error);
        CHECK_THROWS_AS(rounded_accuracy(Mat(0, 0), Mat(0, 0)), Error);
    }
}
