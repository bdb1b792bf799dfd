// userdata.hpp: the user's own data file in the page (CSV or IDX bytes -> a DataBundle), and
// the test codes as CSV.
//
// What: read_user_data() validates a file's bytes with the core readers (aelab/csv.hpp for
// text tables, aelab/idx.hpp for an MNIST-style IDX images file with an optional labels
// file), splits it train/test (seeded, stratified when labelled) and scales the features
// with statistics of the training split (min-max or standard). The result is a DataBundle of
// kind DatasetKind::User plus a one-line summary the page shows. codes_csv() writes the
// codes of the test set as "index,label,z1..zk" for the "codes as CSV" export.
// Why: the Controller installs user data like a built-in set, but every check must happen
// before anything of the current state changes; keeping the reading here (pure, no I/O, no
// ImGui) lets tests/unit/test_userdata.cpp check each kind of bad file natively and in WASM.
// The page has less memory than the CLI, so its limits are lower than csv.hpp's defaults:
// kPageDataMaxBytes per file, kPageDataMaxRows samples, kPageDataMaxCells numbers.
// Usage:
//     UserDataOptions o;  o.label_column = "last";  o.scaling = Scaling::Standard;
//     UserData u = read_user_data(bytes, "wine.csv", o);   // throws aelab::Error
//     // u.bundle.train.X: 13 x 142; u.summary: "wine.csv: 178 rows, 13 features, 3 classes ..."
//     std::string csv = codes_csv(session.test_codes(), session.data().test.y);
#pragma once

#include "session.hpp"

#include "aelab/csv.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace aelab::app {

constexpr std::size_t kPageDataMaxBytes = std::size_t(16) << 20;  // 16 MiB per file
constexpr Index kPageDataMaxRows = 200000;                         // samples
constexpr long long kPageDataMaxCells = 8LL << 20;                 // 8 Mi numbers (32 MiB of floats)

struct UserDataOptions {
    // CSV label column: "none" (or ""), "first", "last", a header name or a 1-based index.
    std::string label_column = "last";
    CsvHeader header = CsvHeader::Auto;
    Index skip_rows = 0;            // CSV lines skipped at the top (scikit-learn's count line: 1)
    Scaling scaling = Scaling::MinMax;
    double test_fraction = 0.2;     // in (0, 1)
    std::uint64_t seed = 1;
};

struct UserData {
    DataBundle bundle;              // kind User; source = the summary
    std::string summary;            // "wine.csv: 178 rows, 13 features, 3 classes; 142 train / 36 test, minmax"
    std::vector<std::string> class_names;
    bool is_idx = false;
};

// True when the bytes start like an unsigned-byte IDX file (0, 0, 0x08, rank 1..4).
bool looks_like_idx(const std::uint8_t* data, std::size_t size);

// Reads a CSV table or an IDX images file (labels: an optional IDX labels file, used only
// with IDX images; empty = unlabelled). Checks the byte cap first, then the format's own
// limits before any allocation; data with fewer than 2 features or 3 samples are refused
// (an autoencoder needs a code smaller than its input, and both splits need samples).
// Throws aelab::Error naming the file and, for CSV, the row and column.
UserData read_user_data(const std::vector<std::uint8_t>& bytes, const std::string& name, const UserDataOptions& o,
                        const std::vector<std::uint8_t>& labels = {});

// "index,label,z1,...,zk\n" then one line per column of Z (k x N); label is y[i] (or the
// class name when class_names has it, quoted if needed). Numbers as format_number writes them.
std::string codes_csv(const Mat& Z, const std::vector<int>& y, const std::vector<std::string>& class_names = {});

}  // namespace aelab::app
