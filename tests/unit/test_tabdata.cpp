// test_tabdata.cpp: the built-in tables in the playground (web/app/tabdata.hpp, core
// aelab/tables.hpp) and the classifier table (web/app/classify.hpp). Checks: the page reads a
// table in scikit-learn's layout (count line, no header, label last) into exactly the split
// `aelab classify --data breast-cancer` uses (its documented defaults: standard scaling,
// test fraction 0.25, split seed 1, stratified), class names from the count line, bad bytes
// refused; the Controller asks the host for the table, installs it and says what it loaded;
// dataset=breast-cancer / wine and panel=classify round-trip in the URL; the course's preset; a ClassifyJob's
// rows equal a direct fit done the way native/cli/cmd_classify.cpp does it (raw features,
// PCA fitted on the training split); the work limits for large data. Synthetic tables of the
// real shapes built in memory (no file I/O: natively and in WASM).
#include <doctest.h>

#include "classify.hpp"
#include "controller.hpp"
#include "presets.hpp"
#include "tabdata.hpp"

#include "aelab/logreg.hpp"
#include "aelab/pca.hpp"

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

using namespace aelab;
using namespace aelab::app;

namespace {

// rows x features numbers and a 0-based class label last, under scikit-learn's count line
// ("569,30,malignant,benign"); features drift with the class so a classifier has work to do.
std::vector<std::uint8_t> sk_table(int rows, int features, const std::vector<std::string>& names) {
    std::string s = std::to_string(rows) + "," + std::to_string(features);
    for (const std::string& n : names) s += "," + n;
    s += "\n";
    std::uint32_t state = 12345;
    auto next = [&]() {
        state = state * 1664525u + 1013904223u;
        return double(state >> 8) / double(1u << 24);
    };
    const int K = int(names.size());
    for (int r = 0; r < rows; ++r) {
        const int label = (r * 7 + r / 3) % K;
        for (int f = 0; f < features; ++f) {
            const double v = 10.0 * (f + 1) + (label + 1) * 0.8 * ((f % 3) - 1) + 3.0 * next();
            char b[32];
            std::snprintf(b, sizeof b, "%.4f,", v);
            s += b;
        }
        s += std::to_string(label) + "\n";
    }
    return std::vector<std::uint8_t>(s.begin(), s.end());
}

const std::vector<std::uint8_t>& breast_like() {
    static const std::vector<std::uint8_t> b = sk_table(569, 30, {"malignant", "benign"});
    return b;
}

}  // namespace

TEST_SUITE("app") {
    TEST_CASE("tabdata: the page's breast-cancer split is aelab classify's (CLI defaults, same rows)") {
        const TableSpec& t = table_of(DatasetKind::BreastCancer);
        CHECK(std::string(t.name) == "breast-cancer");
        CHECK(table_page_file(DatasetKind::BreastCancer) == "data/breast-cancer.csv.gz");
        CHECK(table_data_file(DatasetKind::Wine) == "tabular/wine_data.csv");
        // The CLI's documented defaults (native/cli/data_csv.hpp) are the spec's.
        CHECK(t.split().scaling == Scaling::Standard);
        CHECK(t.split().test_fraction == 0.25);
        CHECK(t.split().seed == 1);
        CHECK(t.csv().skip_rows == 1);
        CHECK(t.csv().header == CsvHeader::No);
        CHECK(t.csv().label_column == "last");

        const TableData page = read_table_bundle(DatasetKind::BreastCancer, breast_like(), "test");
        // What the CLI computes from the same bytes: parse with its options, split and scale.
        CsvOptions co;
        co.skip_rows = 1;
        co.header = CsvHeader::No;
        co.label_column = "last";
        SplitOptions so;
        so.scaling = Scaling::Standard;
        so.test_fraction = 0.25;
        so.seed = 1;
        const CsvDataset cli = split_and_scale(parse_csv(breast_like().data(), breast_like().size(), co), so, "cli");
        REQUIRE(page.bundle.train.size() == 427);
        REQUIRE(page.bundle.test.size() == 142);
        CHECK(page.bundle.kind == DatasetKind::BreastCancer);
        CHECK(page.bundle.train.dim() == 30);
        CHECK((page.bundle.train.X.array() == cli.train.X.array()).all());
        CHECK((page.bundle.test.X.array() == cli.test.X.array()).all());
        CHECK(page.bundle.train.y == cli.train.y);
        CHECK(page.bundle.test.y == cli.test.y);
        REQUIRE(page.test_rows.size() == cli.test_rows.size());
        for (std::size_t i = 0; i < page.test_rows.size(); ++i)
            CHECK(page.test_rows[i] == cli.test_rows[i] - cli.info.first_data_row);  // split.csv's 0-based rows
        CHECK(page.class_names == std::vector<std::string>{"malignant", "benign"});
        CHECK(page.summary.find("569 rows, 30 features, 2 classes (malignant, benign)") != std::string::npos);
        CHECK(page.summary.find("427 train / 142 test") != std::string::npos);
        // Training split standardized: mean 0, population sd 1 per feature.
        const Mat& X = page.bundle.train.X;
        for (Index f = 0; f < X.rows(); f += 7) {
            const double m = X.row(f).cast<double>().mean();
            const double sd = std::sqrt((X.row(f).cast<double>().array() - m).square().mean());
            CHECK(std::abs(m) < 1e-5);
            CHECK(std::abs(sd - 1) < 1e-4);
        }
    }

    TEST_CASE("tabdata: wine's three classes; bad bytes are refused with the table's name") {
        const TableData w = read_table_bundle(DatasetKind::Wine, sk_table(178, 13, {"class_0", "class_1", "class_2"}), "x");
        CHECK(w.bundle.train.size() + w.bundle.test.size() == 178);
        CHECK(w.bundle.test.size() == 45);  // round(0.25 * 178)
        CHECK(w.class_names.size() == 3);
        // The wrong table (shape), a wrong count line, garbage: errors naming the table.
        CHECK_THROWS_WITH_AS(read_table_bundle(DatasetKind::Wine, breast_like(), "x"), doctest::Contains("wine"), Error);
        std::vector<std::uint8_t> bad = breast_like();
        bad[0] = '4';  // "469,30,..."
        CHECK_THROWS_WITH_AS(read_table_bundle(DatasetKind::BreastCancer, bad, "x"), doctest::Contains("count line"), Error);
        CHECK_THROWS_AS(read_table_bundle(DatasetKind::BreastCancer, {0, 1, 2}, "x"), Error);
        CHECK_THROWS_AS(table_of(DatasetKind::MNIST), Error);
    }

    TEST_CASE("tabdata: the controller asks for the table, installs it, and keeps the URL key") {
        std::vector<DatasetKind> asked;
        Platform p;
        p.request_table = [&](DatasetKind k) { asked.push_back(k); };
        Controller c(p);
        c.apply_query("?dataset=breast-cancer&k=2");
        CHECK(c.settings().dataset == DatasetKind::BreastCancer);
        c.sync();
        c.sync();  // asked once, still loading
        REQUIRE(asked.size() == 1);
        CHECK(asked[0] == DatasetKind::BreastCancer);
        CHECK(c.loading());
        c.on_table_data(DatasetKind::BreastCancer, breast_like(), "data/breast-cancer.csv.gz");
        CHECK_FALSE(c.loading());
        c.sync();
        REQUIRE(c.ready());
        CHECK(c.session().kind() == DatasetKind::BreastCancer);
        CHECK(c.session().dim() == 30);
        CHECK(c.session().data().test.size() == 142);
        CHECK(c.class_names() == std::vector<std::string>{"malignant", "benign"});
        CHECK(c.session().data().source.find("569 rows, 30 features") != std::string::npos);
        CHECK(c.url_settings().dataset == DatasetKind::BreastCancer);
        CHECK(to_query(c.url_settings()).find("dataset=breast-cancer") != std::string::npos);
        // Bad bytes: an error message, the set marked failed (no crash, no half state).
        Controller d(p);
        d.apply_query("?dataset=wine");
        d.sync();
        d.on_table_data(DatasetKind::Wine, {1, 2, 3}, "x");
        CHECK(d.failed(DatasetKind::Wine));
        DatasetKind k = DatasetKind::MNIST;
        CHECK(parse_dataset("wine", &k));
        CHECK(k == DatasetKind::Wine);
        CHECK(dataset_dim(DatasetKind::BreastCancer) == 30);
        CHECK(is_table_dataset(DatasetKind::Wine));
        CHECK_FALSE(is_image_dataset(DatasetKind::Wine));
        CHECK(parse_query("panel=classify").settings.panel == kPanelClassify);
        // The course's example as a preset: a linear 30-2-30 AE on breast-cancer.
        const Preset* pr = find_preset("course-breast-cancer-pca");
        REQUIRE(pr != nullptr);
        CHECK(pr->settings.dataset == DatasetKind::BreastCancer);
        CHECK(pr->settings.hidden.empty());
        CHECK(pr->settings.latent == 2);
        CHECK(pr->settings.model_config(30).arch_string() == "30-2-30");
        CHECK(std::string(panel_key(kPanelClassify)) == "classify");
    }

    TEST_CASE("classify: the job's rows equal aelab classify's fits (raw, PCA on the training split)") {
        const TableData t = read_table_bundle(DatasetKind::BreastCancer, breast_like(), "test");
        const Dataset& tr = t.bundle.train;
        const Dataset& te = t.bundle.test;
        const ClassifyLimits lim = classify_limits(tr.size(), te.size(), tr.dim(), 2);
        CHECK(lim.max_train == 0);
        CHECK(lim.note.empty());
        PcaOptions po;
        po.n_components = NComponents(2);
        PCA pca(po);
        pca.fit(tr.X);
        ClassifyJob job;
        job.start({{"raw", tr.X, te.X}, {"PCA-2", pca.transform(tr.X), pca.transform(te.X)}}, tr.y, te.y, 2, lim);
        int steps = 0;
        while (job.step()) ++steps;
        CHECK(steps == 1);
        REQUIRE(job.done());
        REQUIRE(job.rows().size() == 2);
        // cmd_classify.cpp: to double, fit with the default options, accuracy and AUC on test.
        for (int i = 0; i < 2; ++i) {
            const Mat Ftr = i == 0 ? tr.X : pca.transform(tr.X);
            const Mat Fte = i == 0 ? te.X : pca.transform(te.X);
            LogisticRegression lr;
            lr.fit(Ftr.cast<double>(), tr.y, 2);
            const ClassifyRow& r = job.rows()[std::size_t(i)];
            CHECK(r.error.empty());
            CHECK(r.dim == Ftr.rows());
            CHECK(r.test_acc == accuracy(lr.predict(Fte.cast<double>()), te.y));
            CHECK(r.test_auc == roc_auc(lr.predict_proba(Fte.cast<double>()), te.y));
            CHECK(r.train_acc == accuracy(lr.predict(Ftr.cast<double>()), tr.y));
            CHECK(r.converged);
            CHECK(r.test_acc > 0.6);  // the synthetic classes are separable to a degree
        }
        // Non-finite codes: a row with an error, not a crash.
        Mat bad = tr.X.topRows(2);
        bad(0, 0) = std::nanf("");
        ClassifyJob j2;
        j2.start({{"AE codes", bad, te.X.topRows(2)}}, tr.y, te.y, 2, lim);
        j2.step();
        CHECK_FALSE(j2.rows()[0].error.empty());
        CHECK(std::isnan(j2.rows()[0].test_acc));
        // Labels that do not match, or one class: refused.
        CHECK_THROWS_AS(j2.start({{"raw", tr.X, te.X}}, te.y, te.y, 2, lim), Error);
        CHECK_THROWS_AS(j2.start({{"raw", tr.X, te.X}}, tr.y, te.y, 1, lim), Error);
    }

    TEST_CASE("classify: large data are bounded (rows and iterations), small data are not") {
        const ClassifyLimits mnist = classify_limits(5000, 1000, 784, 10);
        CHECK(mnist.max_train == kClassifyMaxRows);
        CHECK(mnist.max_test == kClassifyMaxRows);
        CHECK(mnist.options.max_iter == kClassifyBigIter);
        CHECK(mnist.note.find(std::to_string(kClassifyMaxRows) + " train") != std::string::npos);
        const ClassifyLimits wine = classify_limits(133, 45, 13, 3);
        CHECK(wine.max_train == 0);
        CHECK(wine.options.max_iter == LogRegOptions{}.max_iter);
        CHECK(wine.options.C == 1.0);
    }
}
