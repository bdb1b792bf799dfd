// aelab/csv.hpp — a strict CSV reader for "your own data": bytes in, a split and scaled
// Dataset pair out.
//
// What: parse_csv() reads a table of numbers (one sample per ROW of the file) with an
// optional header row and an optional label column; split_and_scale() cuts it into a seeded
// (stratified, when labelled) train/test split and scales the features with statistics of
// the TRAINING split only; load_csv_dataset() does both. The result is the core's Dataset
// form (d x N, one sample per column), so everything that trains on MNIST trains on it.
// Why: the CLI (`--data file.csv`) and the page (uploaded bytes) share one set of rules.
// Core does no file I/O: callers hand over the bytes. The input is treated as hostile: a
// first pass counts rows and fields and checks the limits below BEFORE the matrix is
// allocated, and every bad cell is reported as "row R, column C" (1-based, counted in the
// file as a spreadsheet shows them: a header or a skipped line is a row too).
// Usage:
//     aelab::CsvOptions co;  co.label_column = "last";
//     aelab::SplitOptions so;  so.test_fraction = 0.2;  so.scaling = aelab::Scaling::MinMax;
//     aelab::CsvDataset cd = aelab::load_csv_dataset(bytes.data(), bytes.size(), co, so, "wine");
//     // cd.train.X: 13 x 142, cd.test.X: 13 x 36, labels in cd.train.y, names in cd.class_names
//
// The rules (the README's "Your own data (CSV)" section repeats them):
// - Encoding: bytes; a UTF-8 byte order mark at the start is skipped. A NUL or another
//   control character (other than tab, CR before LF, and LF) is an error: such a file is
//   binary, not CSV.
// - Rows end in LF or CRLF (a lone CR is a control character). Empty lines at the end of
//   the file are ignored; an empty line inside the table is an error.
// - `skip_rows` lines at the top are skipped unread (e.g. the count line of scikit-learn's
//   bundled files, "569,30,malignant,benign"); they still count in row numbers.
// - Separator: comma, semicolon or tab, given, or detected from the first table line as the
//   first of tab, semicolon, comma that occurs there outside quotes (a comma when none does:
//   a one-column file). A decimal comma ("1,5") is not a number: write 1.5.
// - Fields may be quoted ("..." with "" for a quote, separators and line breaks inside);
//   spaces and tabs around a field (outside its quotes) and inside the quotes around a
//   number are ignored. Text after a closing quote, a quote inside an unquoted field and an
//   unclosed quote are errors.
// - Header: auto (the first table row is a header when one of its fields is not a number),
//   yes or no. Without a header, columns are named "column 1", "column 2"...
// - Every row has as many fields as the first table row.
// - Numbers follow aelab/text.hpp's decimal grammar (no hex, inf, nan, "1e"), with two
//   allowances for files from the world: surrounding spaces (above) and ONE leading '+'
//   ("+1.5" = 1.5; "+-1", "++1" are refused). A value must fit a float (|x| <= 3.4e38): the
//   matrix is float. Empty, NaN, inf and non-numeric cells are errors.
// - Label column (optional): by header name, by 1-based index ("3"; a string of digits is
//   always an index), "last", or "" / "none" for no labels. If every label is a whole
//   number written with digits only (0, 1, 12), those numbers are the classes (at most
//   kCsvMaxLabel); otherwise each distinct text is a class, numbered 0..C-1 in order of
//   first appearance, and its text kept as the class name (at most kCsvMaxClasses). An
//   empty label is an error. Unlabelled data get label 0 for every sample (one class).
// - Limits (checked before allocation): at most kCsvMaxBytes bytes, kCsvMaxRows data rows,
//   kCsvMaxColumns columns and kCsvMaxCells numeric cells; at least 2 data rows and one
//   feature column.
// - Scaling is fitted on the training split only and applied to both splits (so test
//   values may fall outside [0, 1]): minmax maps each feature's training [min, max] to
//   [0, 1]; standard maps it to training mean 0, standard deviation 1 (population sd,
//   ddof = 0, as scikit-learn); none keeps the values. A feature that is constant on the
//   training split is shifted only (to 0), never divided by its zero range. A scaled value
//   that no longer fits a float is an error naming its row and column.
// - Split: round(test_fraction * N) test samples (at least 1, at most N - 1). Labelled data
//   are stratified: each class gets its share by largest remainder (ties to the lower class
//   index), drawn at random within the class. Both splits keep the file's row order.
//   Deterministic given the seed, natively and in WASM.
#pragma once

#include "aelab/common.hpp"
#include "aelab/datasets.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace aelab {

constexpr std::size_t kCsvMaxBytes = std::size_t(64) << 20;  // 64 MiB of input
constexpr Index kCsvMaxRows = 1000000;                       // data rows (samples)
constexpr Index kCsvMaxColumns = 10000;                      // fields per row
constexpr Index kCsvMaxCells = Index(1) << 24;               // numeric cells (64 MiB of floats)
constexpr int kCsvMaxLabel = 999;                            // largest integer label
constexpr int kCsvMaxClasses = 1000;                         // distinct text labels

enum class CsvHeader { Auto, Yes, No };

struct CsvOptions {
    char separator = 0;                    // ',', ';', '\t', or 0 to detect
    CsvHeader header = CsvHeader::Auto;
    std::string label_column;              // "" / "none", a header name, a 1-based index, "last"
    Index skip_rows = 0;                   // lines skipped before the table (0..1000)
    // Lower limits than the defaults may be set (e.g. by a page with less memory); higher
    // ones are clamped to the constants above.
    Index max_rows = kCsvMaxRows;
    long long max_cells = kCsvMaxCells;
};

// What a table is, without its cells (CsvTable's metadata; a split keeps it beside the data).
struct CsvInfo {
    int num_classes = 1;
    bool labelled = false;
    std::vector<std::string> feature_names;  // d (header names, or "column C")
    std::vector<Index> feature_columns;      // d: each feature's 1-based column in the file
    std::vector<std::string> class_names;    // num_classes when labelled, else empty
    std::string label_name;                  // the label column's name ("" if unlabelled)
    Index label_column = 0;                  // its 1-based index in the file (0: none)
    char separator = ',';                    // the one used
    bool has_header = false;
    Index first_data_row = 1;                // 1-based file row of sample 0
};

// The table as read: features and labels, unscaled, and its metadata.
struct CsvTable : CsvInfo {
    Mat X;                                   // d x N raw values, one file row per column
    std::vector<int> y;                      // N labels in [0, num_classes); all 0 if unlabelled
};

// Parses CSV bytes by the rules above. Throws aelab::Error ("row R, column C: ...").
CsvTable parse_csv(const std::uint8_t* data, std::size_t size, const CsvOptions& options);

enum class Scaling { None, MinMax, Standard };
// "none" | "minmax" | "standard" (throws aelab::Error listing them), and back.
Scaling parse_scaling(const std::string& name);
const char* scaling_name(Scaling s);

// x_scaled = (x - shift) / scale per feature (scale = 1 for constant features), fitted on
// the training split; inverse: x = x_scaled * scale + shift.
struct FeatureScaling {
    Scaling kind = Scaling::None;
    VecD shift, scale;  // d each
};

struct SplitOptions {
    double test_fraction = 0.2;   // in (0, 1)
    std::uint64_t seed = 1;
    Scaling scaling = Scaling::MinMax;
};

struct CsvDataset {
    Dataset train, test;                     // d x N_train, d x N_test, scaled
    FeatureScaling scaling;
    std::vector<Index> train_rows, test_rows;  // 1-based file rows of each sample
    std::vector<std::string> feature_names, class_names;
    CsvTable info;                           // the table's metadata (X and y emptied)
};

// Splits and scales a parsed table; datasets are named name + "-train" / "-test". A
// square feature count is NOT taken as an image shape here (image_rows = 0): callers that
// know the data are images set it. Throws aelab::Error.
CsvDataset split_and_scale(const CsvTable& table, const SplitOptions& options, const std::string& name);

// parse_csv + split_and_scale.
CsvDataset load_csv_dataset(const std::uint8_t* data, std::size_t size, const CsvOptions& csv,
                            const SplitOptions& split, const std::string& name);

}  // namespace aelab
