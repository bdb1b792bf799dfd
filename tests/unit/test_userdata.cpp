// test_userdata.cpp: the user's own data file in the playground (web/app/userdata.hpp and
// Controller::on_data_file / export_codes / url_settings). Checks: a labelled CSV table
// (breast-cancer-like, built here) becomes DatasetKind::User, the model is rebuilt for its
// dimension and trains; each class of bad file (ragged, NaN, too big, binary, one feature)
// is a message with its row / column and leaves data, settings and weights as they were;
// IDX image (+ labels) bytes; a second file of another dimension rebuilds the model; the
// user's set comes back after a built-in one; the URL keeps the last built-in set; the
// codes CSV export. In-memory bytes only (runs natively and under node as WASM).
#include <doctest.h>

#include "controller.hpp"
#include "userdata.hpp"

#include "aelab/idx.hpp"

#include <cmath>
#include <string>
#include <vector>

using namespace aelab;
using namespace aelab::app;

namespace {

std::vector<std::uint8_t> bytes_of(const std::string& s) { return std::vector<std::uint8_t>(s.begin(), s.end()); }

// n rows of `features` numbers and a text label last ("malignant" / "benign"), with a header.
std::string table(int n, int features) {
    std::string s;
    for (int f = 0; f < features; ++f) s += "mean " + std::to_string(f + 1) + ",";
    s += "diagnosis\n";
    for (int i = 0; i < n; ++i) {
        const bool m = i % 3 == 0;
        for (int f = 0; f < features; ++f)
            s += std::to_string((m ? 20.0 : 12.0) + 0.5 * f + 0.01 * ((i * 37 + f * 11) % 97)) + ",";
        s += m ? "malignant\n" : "benign\n";
    }
    return s;
}

void start_gauss(Controller& c) {
    c.apply_query("?preset=course-gauss2d");
    c.sync();
    REQUIRE(c.ready());
}

bool last_error_has(const Controller& c, const std::string& what) {
    if (c.messages().empty() || !c.messages().back().error) return false;
    return c.messages().back().text.find(what) != std::string::npos;
}

}  // namespace

TEST_SUITE("app") {
    TEST_CASE("user data: a labelled CSV table is installed, the model rebuilt for it, and it trains") {
        Controller c;
        start_gauss(c);
        const std::uint64_t v0 = c.visuals_version();
        c.on_data_file(bytes_of(table(60, 5)), "cancer.csv");
        CHECK(c.has_user_data());
        CHECK(c.settings().dataset == DatasetKind::User);
        CHECK(c.user_summary() == "cancer.csv: 60 rows, 5 features, 2 classes; 48 train / 12 test, minmax scaling");
        CHECK(c.visuals_version() > v0);
        c.sync();
        REQUIRE(c.ready());
        CHECK(c.session().dim() == 5);
        CHECK(c.session().dense()->config().input_dim == 5);
        CHECK(c.session().data().train.num_classes == 2);
        // min-max fitted on the training split: training features span [0, 1]
        CHECK(c.session().data().train.X.minCoeff() == doctest::Approx(0.0));
        CHECK(c.session().data().train.X.maxCoeff() == doctest::Approx(1.0));
        c.set_playing(true);
        long steps = 0;
        for (int i = 0; i < 20; ++i) steps += c.train().steps;
        CHECK(steps > 0);
        CHECK(std::isfinite(c.session().last_test_mse()));
        // the link cannot carry the file: the URL keeps the last built-in set
        CHECK(c.url_settings().dataset == DatasetKind::Gauss2D);
        CHECK(to_query(c.url_settings()).find("user") == std::string::npos);
    }

    TEST_CASE("user data: bad files are messages with their row and column; nothing is lost") {
        Controller c;
        start_gauss(c);
        c.set_playing(true);
        c.train();
        const Settings before = c.settings();
        const Vec params = c.session().model().params();
        const std::uint64_t v0 = c.visuals_version();
        struct Bad {
            std::string name, bytes, expect;
        };
        std::string big(kPageDataMaxBytes + 1, '1');
        const std::vector<Bad> bad = {
            {"ragged.csv", "a,b,c\n1,2,3\n4,5\n6,7,8\n", "row 3"},
            {"nan.csv", "a,b,c\n1,2,3\n4,nan,6\n6,7,8\n", "row 3, column 2"},
            {"binary.bin", std::string("PK\x03\x04\0\0\x01\x02", 8), "binary"},
            {"big.csv", big, "16 MB"},
            {"one.csv", "a,b\n1,0\n2,1\n3,0\n4,1\n", "at least 2 features"},
            {"empty.csv", "", "empty"},
        };
        for (const Bad& b : bad) {
            CAPTURE(b.name);
            c.on_data_file(bytes_of(b.bytes), b.name);
            CHECK(last_error_has(c, b.name));
            CHECK(last_error_has(c, b.expect));
            CHECK(last_error_has(c, "current data and model kept"));
            CHECK(!c.has_user_data());
            CHECK(c.settings() == before);
            CHECK(c.session().kind() == DatasetKind::Gauss2D);
            CHECK(c.visuals_version() == v0);
            c.sync();
            REQUIRE(c.ready());
            CHECK(c.session().model().params() == params);
        }
    }

    TEST_CASE("user data: IDX images with labels; a second file of another dimension rebuilds") {
        const int n = 30;
        std::vector<std::uint8_t> px(static_cast<size_t>(n) * 16), lab(static_cast<size_t>(n));
        for (int i = 0; i < n; ++i) {
            lab[static_cast<size_t>(i)] = static_cast<std::uint8_t>(i % 3);
            for (int p = 0; p < 16; ++p) px[static_cast<size_t>(i) * 16 + p] = static_cast<std::uint8_t>((i * 7 + p * 13) & 255);
        }
        Controller c;
        start_gauss(c);
        c.on_data_file(write_idx({std::uint32_t(n), 4, 4}, px), "tiny-images.idx", write_idx({std::uint32_t(n)}, lab));
        REQUIRE(c.has_user_data());
        c.sync();
        REQUIRE(c.ready());
        CHECK(c.session().dim() == 16);
        CHECK(c.session().data().train.image_rows == 4);
        CHECK(c.session().data().train.num_classes == 3);
        CHECK(c.session().data().train.size() + c.session().data().test.size() == n);
        CHECK(c.user_summary().find("30 images, 16 features, 3 classes") != std::string::npos);
        // labels that do not match the images: refused, the IDX set stays
        c.on_data_file(write_idx({std::uint32_t(n), 4, 4}, px), "x.idx", write_idx({5}, std::vector<std::uint8_t>(5, 1)));
        CHECK(last_error_has(c, "5 labels for 30 images"));
        CHECK(c.session().dim() == 16);
        // a 3-column table with k = 8 wanted: the code is cut below the dimension, model rebuilt
        c.settings_mut().latent = 8;
        c.data_options.label_column = "none";
        c.on_data_file(bytes_of("x,y,z\n1,2,3\n2,3,5\n3,1,2\n4,4,4\n5,0,1\n"), "three.csv");
        c.sync();
        REQUIRE(c.ready());
        CHECK(c.session().dim() == 3);
        CHECK(c.session().dense()->config().input_dim == 3);
        CHECK(c.settings().latent == 2);
        CHECK(c.user_summary().find("no labels") != std::string::npos);
    }

    TEST_CASE("user data: options (first label, standard scaling, test fraction); back after a built-in set") {
        Controller c;
        start_gauss(c);
        c.data_options.label_column = "first";
        c.data_options.scaling = Scaling::Standard;
        c.data_options.test_fraction = 0.5;
        std::string s = "class,a,b,c\n";
        for (int i = 0; i < 40; ++i)
            s += std::to_string(i % 2) + "," + std::to_string(i) + "," + std::to_string(i * i % 17) + "," +
                 std::to_string(3 * i + 1) + "\n";
        c.on_data_file(bytes_of(s), "first.csv");
        c.sync();
        REQUIRE(c.ready());
        const Dataset& tr = c.session().data().train;
        CHECK(tr.dim() == 3);
        CHECK(tr.size() == 20);
        CHECK(tr.X.row(0).mean() == doctest::Approx(0.0).epsilon(1e-5));
        CHECK(tr.X.row(0).array().square().mean() == doctest::Approx(1.0).epsilon(1e-4));
        c.choose_dataset(DatasetKind::Curved3D);
        c.sync();
        CHECK(c.session().kind() == DatasetKind::Curved3D);
        c.choose_dataset(DatasetKind::User);
        c.sync();
        REQUIRE(c.ready());
        CHECK(c.session().kind() == DatasetKind::User);
        CHECK(c.session().dim() == 3);
        CHECK(c.url_settings().dataset == DatasetKind::Curved3D);
        // without a file, "Your data" goes back to the built-in set with a message
        Controller d;
        start_gauss(d);
        d.choose_dataset(DatasetKind::User);
        d.sync();
        CHECK(d.settings().dataset == DatasetKind::Gauss2D);
        CHECK(last_error_has(d, "no data file loaded"));
    }

    TEST_CASE("user data: the data-options command") {
        UserDataOptions o;
        CHECK(parse_data_options("skip=1&label=first&scaling=standard&test=0.3&header=no&seed=7", &o) == "");
        CHECK(o.skip_rows == 1);
        CHECK(o.label_column == "first");
        CHECK(o.scaling == Scaling::Standard);
        CHECK(o.test_fraction == 0.3);
        CHECK(o.header == CsvHeader::No);
        CHECK(o.seed == 7);
        CHECK(parse_data_options("label=mean%20radius", &o) == "");
        CHECK(o.label_column == "mean radius");
        const UserDataOptions keep = o;
        for (const char* bad : {"skip=-1", "skip=1.5", "test=1", "test=abc", "scaling=log", "header=maybe", "colour=red",
                                "skip=2&test=0"}) {
            CAPTURE(bad);
            CHECK(parse_data_options(bad, &o) != "");
            CHECK(o.skip_rows == keep.skip_rows);
            CHECK(o.test_fraction == keep.test_fraction);
        }
        Controller c;
        CHECK(c.command("data-options=skip=1&label=last") == "");
        CHECK(c.data_options.skip_rows == 1);
        CHECK(c.command("data-options=skip=x") != "");
        CHECK(last_error_has(c, "skip must be"));
        CHECK(c.data_options.skip_rows == 1);
        // scikit-learn's file layout: a count line above a headerless table, labels last
        std::string sk = "6,2,a,b\n";
        for (int i = 0; i < 6; ++i) sk += std::to_string(i) + "," + std::to_string(i * i) + "," + std::to_string(i % 2) + "\n";
        c.on_data_file(bytes_of(sk), "sk.csv");
        REQUIRE(c.has_user_data());
        CHECK(c.user_summary().find("6 rows, 2 features, 2 classes") != std::string::npos);
    }

    TEST_CASE("user data: codes as CSV") {
        Mat Z(2, 3);
        Z << 0.5f, -1.f, 2.f, 0.25f, 0.f, 3.f;
        CHECK(codes_csv(Z, {1, 0, 1}) == "index,label,z1,z2\n0,1,0.5,0.25\n1,0,-1,0\n2,1,2,3\n");
        CHECK(codes_csv(Z, {1, 0, 1}, {"a,b", "c"}) == "index,label,z1,z2\n0,c,0.5,0.25\n1,\"a,b\",-1,0\n2,c,2,3\n");
        std::string saved_name;
        std::string saved;
        Platform p;
        p.browser = true;
        p.save_file = [&](const std::string& name, const std::vector<std::uint8_t>& b) {
            saved_name = name;
            saved.assign(b.begin(), b.end());
            return std::string();
        };
        Controller c(p);
        c.on_data_file(bytes_of(table(30, 4)), "cancer.csv");
        c.sync();
        REQUIRE(c.ready());
        CHECK(c.command("codes") == "");
        CHECK(saved_name.rfind("aelab-codes-user-k2-step", 0) == 0);
        CHECK(saved.rfind("index,label,z1,z2\n0,", 0) == 0);
        int lines = 0;
        for (char ch : saved) lines += ch == '\n';
        CHECK(lines == 1 + static_cast<int>(c.session().data().test.size()));
        CHECK((saved.find("benign") != std::string::npos || saved.find("malignant") != std::string::npos));
        // a screenshot asks the host for the frame, named by what it shows
        std::string shot;
        c.set_platform([&] {
            Platform q = p;
            q.screenshot = [&](const std::string& name) {
                shot = name;
                return std::string();
            };
            return q;
        }());
        CHECK(c.command("screenshot") == "");
        CHECK(shot.rfind("aelab-user-4-", 0) == 0);
        CHECK(shot.size() > 4);
        CHECK(shot.substr(shot.size() - 4) == ".png");
    }
}
