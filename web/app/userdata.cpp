// userdata.cpp: see userdata.hpp.
#include "userdata.hpp"

#include "aelab/idx.hpp"
#include "aelab/text.hpp"

#include <algorithm>
#include <exception>

namespace aelab::app {

namespace {

std::string mib(std::size_t bytes) { return std::to_string(bytes >> 20) + " MB"; }

// An IDX images file (+ optional labels) as a table the CSV splitter accepts.
CsvTable idx_table(const std::vector<std::uint8_t>& bytes, const std::vector<std::uint8_t>& labels, int* rows,
                   int* cols) {
    IdxLimits lim;
    lim.max_elements = static_cast<std::uint64_t>(kPageDataMaxCells);
    ImageSet img = load_images(bytes.data(), bytes.size(), lim);
    AELAB_REQUIRE(img.X.cols() <= kPageDataMaxRows, "it has " + std::to_string(img.X.cols()) +
                                                        " images, more than the page's " +
                                                        std::to_string(kPageDataMaxRows));
    CsvTable t;
    t.X = std::move(img.X);
    *rows = img.rows;
    *cols = img.cols;
    const Index N = t.X.cols();
    t.y.assign(static_cast<std::size_t>(N), 0);
    if (!labels.empty()) {
        std::vector<int> y = load_labels(labels.data(), labels.size(), lim);
        AELAB_REQUIRE(static_cast<Index>(y.size()) == N, "the labels file has " + std::to_string(y.size()) +
                                                             " labels for " + std::to_string(N) + " images");
        t.y = std::move(y);
        t.labelled = true;
        t.num_classes = 1 + *std::max_element(t.y.begin(), t.y.end());
        for (int c = 0; c < t.num_classes; ++c) t.class_names.push_back(std::to_string(c));
        t.label_name = "label";
    }
    for (Index i = 0; i < t.X.rows(); ++i) {
        t.feature_names.push_back("pixel " + std::to_string(i + 1));
        t.feature_columns.push_back(i + 1);
    }
    return t;
}

std::string quoted(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string r = "\"";
    for (char c : s) r += c == '"' ? std::string("\"\"") : std::string(1, c);
    return r + "\"";
}

}  // namespace

bool looks_like_idx(const std::uint8_t* data, std::size_t size) {
    return size >= 4 && data[0] == 0 && data[1] == 0 && data[2] == 0x08 && data[3] >= 1 && data[3] <= 4;
}

UserData read_user_data(const std::vector<std::uint8_t>& bytes, const std::string& name, const UserDataOptions& o,
                        const std::vector<std::uint8_t>& labels) {
    const std::string who = name.empty() ? std::string("the file") : name;
    auto fail = [&](const std::string& why) { throw Error("could not use " + who + ": " + why); };
    if (bytes.size() > kPageDataMaxBytes)
        fail("it has " + std::to_string(bytes.size()) + " bytes, more than the " + mib(kPageDataMaxBytes) + " (" +
             std::to_string(kPageDataMaxBytes) + " bytes) a data file may have in the page");
    if (labels.size() > kPageDataMaxBytes) fail("its labels file is larger than " + mib(kPageDataMaxBytes));
    if (bytes.empty()) fail("the file is empty");
    UserData u;
    SplitOptions so;
    so.test_fraction = o.test_fraction;
    so.seed = o.seed;
    so.scaling = o.scaling;
    CsvDataset cd;
    int img_rows = 0, img_cols = 0;
    try {
        if (looks_like_idx(bytes.data(), bytes.size())) {
            u.is_idx = true;
            so.scaling = Scaling::None;  // pixels are already byte / 255 in [0, 1]
            cd = split_and_scale(idx_table(bytes, labels, &img_rows, &img_cols), so, "user");
        } else {
            CsvOptions co;
            co.header = o.header;
            co.skip_rows = o.skip_rows;
            co.label_column = o.label_column == "first" ? std::string("1") : o.label_column;
            co.max_rows = kPageDataMaxRows;
            co.max_cells = kPageDataMaxCells;
            cd = load_csv_dataset(bytes.data(), bytes.size(), co, so, "user");
        }
    } catch (const std::exception& e) {
        fail(e.what());
    }
    const Index d = cd.train.dim(), n = cd.train.size() + cd.test.size();
    if (d < 2) fail("it has " + std::to_string(d) + " feature column; an autoencoder needs at least 2 features");
    if (n < 3) fail("it has " + std::to_string(n) + " samples; at least 3 are needed");
    if (u.is_idx) {
        cd.train.image_rows = cd.test.image_rows = img_rows;
        cd.train.image_cols = cd.test.image_cols = img_cols;
    }
    const int classes = cd.info.labelled ? std::max(1, cd.train.num_classes) : 0;
    u.summary = who + ": " + std::to_string(n) + (u.is_idx ? " images, " : " rows, ") + std::to_string(d) +
                " features, " + (classes ? std::to_string(classes) + " classes" : std::string("no labels")) + "; " +
                std::to_string(cd.train.size()) + " train / " + std::to_string(cd.test.size()) + " test, " +
                (so.scaling == Scaling::None ? std::string(u.is_idx ? "pixels / 255" : "not scaled")
                                             : std::string(scaling_name(so.scaling)) + " scaling");
    u.class_names = cd.class_names;
    u.bundle.kind = DatasetKind::User;
    u.bundle.train = std::move(cd.train);
    u.bundle.test = std::move(cd.test);
    u.bundle.source = u.summary;
    return u;
}

std::string codes_csv(const Mat& Z, const std::vector<int>& y, const std::vector<std::string>& class_names) {
    std::string s = "index,label";
    for (Index r = 0; r < Z.rows(); ++r) s += ",z" + std::to_string(r + 1);
    s += "\n";
    for (Index j = 0; j < Z.cols(); ++j) {
        s += std::to_string(j) + ",";
        const int c = j < static_cast<Index>(y.size()) ? y[static_cast<std::size_t>(j)] : -1;
        if (c >= 0 && c < static_cast<int>(class_names.size())) s += quoted(class_names[static_cast<std::size_t>(c)]);
        else if (c >= 0) s += std::to_string(c);
        for (Index r = 0; r < Z.rows(); ++r) s += "," + format_number(static_cast<double>(Z(r, j)));
        s += "\n";
    }
    return s;
}

}  // namespace aelab::app
