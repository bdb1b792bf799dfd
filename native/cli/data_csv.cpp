#include "data_csv.hpp"

#include "aelab/idx.hpp"
#include "aelab/tables.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace aelab::cli {

namespace {

constexpr std::uint64_t kMaxIdxBytes = std::uint64_t(512) << 20;

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::string base_name(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The file's size, checked against `limit` before anything is read.
std::uint64_t checked_size(const std::string& path, std::uint64_t limit, const char* what) {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) throw Error("cannot open data file " + path + ": " + std::strerror(errno));
    if (S_ISDIR(st.st_mode)) throw Error("data file " + path + " is a directory");
    const auto size = std::uint64_t(st.st_size);
    if (size > limit)
        throw Error(path + ": the file has " + std::to_string(size) + " bytes; the " + what + " limit is " +
                    std::to_string(limit >> 20) + " MiB");
    return size;
}

// "images" -> "labels", "idx3" -> "idx1" in the file name; "" when the name has no "images".
std::string idx_labels_path(const std::string& path) {
    const auto slash = path.rfind('/');
    const std::size_t start = slash == std::string::npos ? 0 : slash + 1;
    std::string name = path.substr(start);
    const auto at = name.rfind("images");
    if (at == std::string::npos) return "";
    name.replace(at, 6, "labels");
    const auto i3 = name.rfind("idx3");
    if (i3 != std::string::npos) name.replace(i3, 4, "idx1");
    return path.substr(0, start) + name;
}

CsvTable read_idx_table(const FileData& f, int* rows, int* cols, std::string* labels_note) {
    const std::uint64_t size = checked_size(f.path, kMaxIdxBytes, "IDX");
    std::vector<std::uint8_t> bytes = read_file(f.path);
    if (bytes.size() != size) throw Error(f.path + ": the file changed while it was read");
    ImageSet im;
    try {
        im = load_images(bytes.data(), bytes.size());
    } catch (const Error& e) {
        throw Error(f.path + ": " + e.what());
    }
    CsvTable t;
    t.X = std::move(im.X);
    *rows = im.rows;
    *cols = im.cols;
    t.y.assign(std::size_t(t.X.cols()), 0);
    const std::string lp = idx_labels_path(f.path);
    if (!lp.empty() && lp != f.path && file_exists(lp)) {
        checked_size(lp, kMaxIdxBytes, "IDX");
        std::vector<std::uint8_t> lb = read_file(lp);
        try {
            t.y = load_labels(lb.data(), lb.size());
        } catch (const Error& e) {
            throw Error(lp + ": " + e.what());
        }
        if (Index(t.y.size()) != t.X.cols())
            throw Error(lp + " holds " + std::to_string(t.y.size()) + " labels but " + f.path + " holds " +
                        std::to_string(static_cast<long long>(t.X.cols())) + " images");
        t.labelled = true;
        int mx = 0;
        for (int v : t.y) mx = std::max(mx, v);
        t.num_classes = mx + 1;
        for (int k = 0; k < t.num_classes; ++k) t.class_names.push_back(std::to_string(k));
        *labels_note = "labels from " + lp;
    } else {
        *labels_note = "no labels (" + (lp.empty() ? std::string("the name has no 'images' to map to 'labels'")
                                                   : lp + " not found") + ")";
    }
    if (t.X.cols() < 2) throw Error(f.path + ": at least 2 images needed to split into train and test");
    for (Index i = 0; i < t.X.rows(); ++i) t.feature_columns.push_back(i + 1);
    return t;
}

// The built-in tables (breast-cancer, wine): their layout, defaults and reader are the
// core's (aelab/tables.hpp), shared with the page so both see the same split.
const TableSpec* find_builtin(const std::string& name) { return table_spec(name); }

const char* sep_word(char s) { return s == '\t' ? "tab" : s == ';' ? "semicolon" : "comma"; }

// --test-fraction (default `fraction`, below 1) and --split-seed into `split`.
void read_split_options(const Options& o, double fraction, SplitOptions& split) {
    split.test_fraction = o.real("test-fraction", fraction, 0.0, 1.0, true);
    if (split.test_fraction >= 1.0)
        throw UsageError("--test-fraction must be below 1 (some rows must stay for training), got " +
                         o.str("test-fraction", ""));
    split.seed = std::uint64_t(o.integer("split-seed", 1, 0, (1LL << 53)));
}

}  // namespace

const std::vector<std::string>& builtin_tables() {
    static const std::vector<std::string> names = {"breast-cancer", "wine"};
    return names;
}

std::string builtin_table_file(const std::string& name) {
    const TableSpec* b = find_builtin(name);
    return b ? b->file : "";
}

std::vector<OptDef> file_data_options() {
    return {
        {"label-col", "NAME|INDEX|last|none", "CSV: the label column by header name or 1-based index (default none)"},
        {"scale", "minmax|standard|none", "data file: feature scaling fitted on the training split (CSV default minmax, IDX none, breast-cancer and wine standard)"},
        {"test-fraction", "F", "data file: share of the rows held out for testing, in (0, 1) (default 0.2; breast-cancer and wine 0.25)"},
        {"split-seed", "S", "data file: seed of the (stratified) train/test split (default 1)"},
        {"header", "auto|yes|no", "CSV: is the first row a header? auto: yes when one of its fields is not a number"},
        {"skip-rows", "N", "CSV: skip N lines above the table (e.g. 1 for scikit-learn's count line)"},
        {"separator", "auto|comma|semicolon|tab", "CSV: field separator (auto: tab, semicolon or comma from the first line)"},
    };
}

FileData::Kind data_file_kind(const std::string& v) {
    if (ends_with(v, ".csv") || ends_with(v, ".CSV")) return FileData::Csv;
    if (ends_with(v, ".idx") || ends_with(v, "-idx3-ubyte")) return FileData::Idx;
    return FileData::None;
}

FileData read_file_data_options(const Options& o, const std::string& data, const std::vector<std::string>& sets) {
    FileData f;
    f.kind = data_file_kind(data);
    const TableSpec* builtin = find_builtin(data);
    if (builtin) f.kind = FileData::Csv;
    if (f.kind == FileData::None && std::find(sets.begin(), sets.end(), data) == sets.end()) {
        std::string names;
        for (const std::string& s : sets) names += (names.empty() ? "" : ", ") + s;
        for (const TableSpec& b : builtin_table_specs()) names += std::string(", ") + b.name;
        throw UsageError("--data '" + data + "' is neither a data set (" + names +
                         ") nor a data file (a name ending in .csv, .idx or -idx3-ubyte)");
    }
    for (const char* name : {"label-col", "scale", "test-fraction", "split-seed", "header", "skip-rows", "separator"}) {
        const bool csv_only = std::strcmp(name, "label-col") == 0 || std::strcmp(name, "header") == 0 ||
                              std::strcmp(name, "skip-rows") == 0 || std::strcmp(name, "separator") == 0;
        if (o.has(name) && csv_only && builtin)
            throw UsageError(std::string("--") + name + " does not apply to the built-in table " + data +
                             " (its layout is fixed; --scale, --test-fraction and --split-seed do)");
        if (o.has(name) && f.kind == FileData::None)
            throw UsageError(std::string("--") + name + " applies to a data file (--data FILE.csv), not to --data " + data);
        if (o.has(name) && csv_only && f.kind == FileData::Idx)
            throw UsageError(std::string("--") + name + " applies to CSV files, not to the IDX file " + data);
    }
    if (f.kind == FileData::None) return f;
    f.path = data;
    if (builtin) {  // the data directory as read_common() reads it (--data-dir, $AELAB_DATA_DIR, ./data)
        const char* env = std::getenv("AELAB_DATA_DIR");
        const std::string dir = o.str("data-dir", env && *env ? std::string(env) : std::string("data"));
        f.builtin = builtin->name;
        f.path = dir + "/" + builtin->file;
        f.csv = builtin->csv();
        f.scale_given = o.has("scale");
        f.split.scaling = parse_scaling(o.choice("scale", scaling_name(builtin->split().scaling), {"minmax", "standard", "none"}));
        read_split_options(o, kTableTestFraction, f.split);
        return f;
    }
    f.csv.label_column = o.str("label-col", "none");
    if (f.csv.label_column.empty())
        throw UsageError("--label-col needs a column: a header name, a 1-based index, last, or none");
    const std::string header = o.choice("header", "auto", {"auto", "yes", "no"});
    f.csv.header = header == "yes" ? CsvHeader::Yes : header == "no" ? CsvHeader::No : CsvHeader::Auto;
    f.csv.skip_rows = Index(o.integer("skip-rows", 0, 0, 1000));
    const std::string sep = o.choice("separator", "auto", {"auto", "comma", "semicolon", "tab"});
    f.csv.separator = sep == "comma" ? ',' : sep == "semicolon" ? ';' : sep == "tab" ? '\t' : 0;
    f.scale_given = o.has("scale");
    const std::string scale = o.choice("scale", f.kind == FileData::Idx ? "none" : "minmax", {"minmax", "standard", "none"});
    f.split.scaling = parse_scaling(scale);
    read_split_options(o, 0.2, f.split);
    return f;
}

DataPair load_file_data(const FileData& f, long limit_train, long limit_test, std::string* summary, SplitRows* rows) {
    CsvTable table;
    int img_rows = 0, img_cols = 0;
    std::string how;
    std::vector<std::string> class_names;
    if (f.kind == FileData::Csv) {
        if (!f.builtin.empty() && !file_exists(f.path))
            throw Error("the built-in table " + f.builtin + " is read from " + f.path +
                        ", which does not exist: run scripts/setup (it copies it from Debian's python3-sklearn), "
                        "or give --data-dir");
        const std::uint64_t size = checked_size(f.path, kCsvMaxBytes, "CSV");
        std::vector<std::uint8_t> bytes = read_file(f.path);
        if (bytes.size() != size) throw Error(f.path + ": the file changed while it was read");
        try {
            if (!f.builtin.empty()) table = parse_builtin_table(*find_builtin(f.builtin), bytes.data(), bytes.size(), &class_names);
            else table = parse_csv(bytes.data(), bytes.size(), f.csv);
        } catch (const Error& e) {
            std::string msg = f.path + ": " + e.what();
            const std::string core_hint = "lines above the table can be skipped";
            const auto at = msg.find(core_hint);
            if (at != std::string::npos) msg.replace(at, core_hint.size(), "skip lines above the table with --skip-rows N");
            throw Error(msg);
        }
        const Index d = table.X.rows();
        const auto k = Index(std::lround(std::sqrt(double(d))));
        if (d >= 16 && k * k == d) img_rows = img_cols = int(k);  // a square feature count is drawn as k x k images
        how = std::string(sep_word(table.separator)) + "-separated, " +
              (table.has_header ? "header row " + std::to_string(static_cast<long long>(table.first_data_row - 1))
                                : std::string("no header")) +
              (table.labelled ? ", labels in column " + std::to_string(static_cast<long long>(table.label_column)) +
                                    " '" + table.label_name + "' (" + std::to_string(table.num_classes) + " classes)"
                              : std::string(", no labels"));
    } else {
        table = read_idx_table(f, &img_rows, &img_cols, &how);
        how = std::to_string(img_rows) + "x" + std::to_string(img_cols) + " images, " + how;
    }
    const Index n_rows = table.X.cols(), n_features = table.X.rows();
    DataPair out;
    out.display = f.builtin.empty() ? base_name(f.path) : f.builtin;
    CsvDataset cd;
    try {
        cd = split_and_scale(table, f.split, out.display);
    } catch (const Error& e) {
        throw Error(f.path + ": " + e.what());
    }
    out.train = std::move(cd.train);
    out.test = std::move(cd.test);
    for (Dataset* ds : {&out.train, &out.test}) {
        ds->image_rows = img_rows;
        ds->image_cols = img_cols;
    }
    out.class_names = class_names.empty() ? cd.class_names : class_names;
    if (limit_train > 0 && limit_train < out.train.size()) out.train = subset_first(out.train, limit_train);
    if (limit_test > 0 && limit_test < out.test.size()) out.test = subset_first(out.test, limit_test);
    if (rows) {
        rows->train.clear();
        rows->test.clear();
        for (Index i = 0; i < out.train.size(); ++i)
            rows->train.push_back(static_cast<long long>(cd.train_rows[std::size_t(i)] - table.first_data_row));
        for (Index i = 0; i < out.test.size(); ++i)
            rows->test.push_back(static_cast<long long>(cd.test_rows[std::size_t(i)] - table.first_data_row));
    }
    if (summary)
        *summary = (f.builtin.empty() ? "" : f.builtin + " = ") + f.path + ": " + std::to_string(static_cast<long long>(n_rows)) + " rows x " +
                   std::to_string(static_cast<long long>(n_features)) + " features (" + how + "); " +
                   std::to_string(static_cast<long long>(out.train.size())) + " train / " +
                   std::to_string(static_cast<long long>(out.test.size())) + " test (test fraction " +
                   fmt_g(f.split.test_fraction, 6) + ", split seed " + std::to_string(f.split.seed) +
                   (table.labelled ? ", stratified" : "") + "), scaling " + scaling_name(f.split.scaling) +
                   " fitted on the training split";
    return out;
}

bool image_figures(const Dataset& d, bool quiet, const std::string& what) {
    if (d.image_rows > 0 && Index(d.image_rows) * d.image_cols == d.dim()) return true;
    if (!quiet)
        std::fprintf(stderr, "[aelab] %s skipped: the data are not images (%lld features, not a square >= 16)\n",
                     what.c_str(), static_cast<long long>(d.dim()));
    return false;
}

}  // namespace aelab::cli
