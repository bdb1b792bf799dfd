// native/cli/data_csv.hpp — `--data FILE`: the CLI's own-data loader (CSV tables, IDX images).
//
// What: the options of a data file (--label-col --scale --test-fraction --header --skip-rows
// --separator --split-seed), their strict reading, and load_file_data(), which reads the file
// (its size is checked before it is read), hands the bytes to the core's CSV reader
// (aelab/csv.hpp) or IDX parser (aelab/idx.hpp), splits and scales, and returns the same
// DataPair the commands get for MNIST. Errors name the file, and for CSV the row and column.
// Why: every command that takes --data (train, pca, compare, eval, encode; sweep passes it to
// train) loads through one function, so the rules are the same everywhere.
// Usage:
//     FileData f = read_file_data_options(o, o.str("data", "mnist"), {"mnist", "fashion"});  // kind None for a named set
//     if (f.kind != FileData::None) DataPair d = load_file_data(f, 0, 0, &note_text);
//
// Built-in tables: `--data breast-cancer` (569 x 30, classes malignant / benign) and `--data
// wine` (178 x 13, classes class_0..class_2) read DATA_DIR/tabular/breast_cancer.csv and
// wine_data.csv, the files Debian's python3-sklearn ships, copied there and SHA-256 verified
// by scripts/setup. They load as CSV with the right options fixed (skip the count line, no
// header, label = last column, class names from the count line) and their own defaults:
// --scale standard, --test-fraction 0.25 (scikit-learn's train_test_split default),
// --split-seed 1; the CSV-only options (--label-col --header --skip-rows --separator) are
// refused for them.
// File kinds by name: *.csv is CSV; *.idx or *-idx3-ubyte is an IDX image file (its labels,
// when present, in the file named with "images" -> "labels" and "idx3" -> "idx1", e.g.
// train-labels-idx1-ubyte beside train-images-idx3-ubyte). IDX pixels are byte / 255 and
// are not rescaled unless --scale is given.
#pragma once

#include "aelab/csv.hpp"
#include "args.hpp"
#include "io.hpp"

#include <string>
#include <vector>

namespace aelab::cli {

struct FileData {
    enum Kind { None, Csv, Idx } kind = None;  // None: --data names mnist, fashion or a generated set
    std::string path;
    std::string builtin;  // "breast-cancer" / "wine" (kind Csv, path in the data directory), else ""
    std::vector<std::string> builtin_class_names;  // from the built-in file's count line
    CsvOptions csv;
    SplitOptions split;
    bool scale_given = false;
};

// The built-in tables' names ("breast-cancer", "wine").
const std::vector<std::string>& builtin_tables();
// The built-in table's file under the data directory ("tabular/breast_cancer.csv"), or "".
std::string builtin_table_file(const std::string& name);

// The options above, with their help lines (appended to data_options()).
std::vector<OptDef> file_data_options();
// The kind of data a --data value names (None for anything that is not a data file name).
FileData::Kind data_file_kind(const std::string& value);
// Reads and checks the file options for the --data value `data`. Throws UsageError when a
// file option is given without a data file (or a CSV-only option with an IDX file), or
// when `data` is neither one of the named data sets `sets` (mnist, fashion, and for train
// the generated ones) nor a data file name.
FileData read_file_data_options(const Options& o, const std::string& data, const std::vector<std::string>& sets);

// Which samples of the table each split holds: 0-based indices of the data rows (the file's
// table rows, header and skipped lines not counted), in split order.
struct SplitRows {
    std::vector<long long> train, test;
};

// Loads, splits and scales the file; `limit_train` / `limit_test` (0 = all) keep the first
// samples of each split. `summary` (optional) receives a one-line description for stderr;
// `rows` (optional) the split's sample indices (after the limits).
// Throws aelab::Error "FILE: ..." on bad data.
DataPair load_file_data(const FileData& f, long limit_train, long limit_test, std::string* summary = nullptr,
                        SplitRows* rows = nullptr);

// True when the data can be drawn as images (image_rows * image_cols == dim); otherwise
// prints "[aelab] <what> skipped: ..." on stderr (unless quiet) and returns false.
bool image_figures(const Dataset& d, bool quiet, const std::string& what);

}  // namespace aelab::cli
