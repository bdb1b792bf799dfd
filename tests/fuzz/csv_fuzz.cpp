// tests/fuzz/csv_fuzz.cpp — libFuzzer harness for the CSV reader (aelab/csv.hpp).
//
// What: the first two input bytes choose the options, the rest is the file:
//   byte 0: bits 0-1 header (auto, yes, no, auto), bits 2-3 separator (detect, comma,
//           semicolon, tab), bits 4-5 label column ("", "last", "1", "label"), bits 6-7
//           scaling (none, minmax, standard, minmax);
//   byte 1: bits 0-1 skip rows (0..3), bits 2-3 test fraction (0.2, 0.5, 0.05, 0.9),
//           bits 4-7 split seed.
// The bytes go through parse_csv and split_and_scale, as the CLI's --data FILE.csv and the
// page's upload call them.
// Properties checked beyond "no crash": only aelab::Error is thrown; parsing is
// deterministic; an accepted table is d x N with N >= 2, d >= 1, d feature names and
// columns, finite values, N labels in [0, num_classes) and num_classes class names when
// labelled; an accepted split has both parts non-empty, covers each row exactly once in
// file order, keeps d, is finite, and with minmax scaling puts every training value in
// [0, 1] exactly.
// Why: CSV files come from users; a hostile one must give a message, never a crash, an
// unexpected exception or a non-finite matrix.
// Usage: scripts/fuzz 120 csv   (seeds: tests/fuzz/corpus/csv/, written by make_corpus)
#include "fuzz_util.hpp"

#include "aelab/csv.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

using namespace aelab;
using aelab_fuzz::expect_errors_only;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const std::uint8_t a = data[0], b = data[1];
    CsvOptions co;
    co.header = (a & 3) == 1 ? CsvHeader::Yes : (a & 3) == 2 ? CsvHeader::No : CsvHeader::Auto;
    const char seps[4] = {0, ',', ';', '\t'};
    co.separator = seps[(a >> 2) & 3];
    const char* labels[4] = {"", "last", "1", "label"};
    co.label_column = labels[(a >> 4) & 3];
    SplitOptions so;
    so.scaling = ((a >> 6) & 3) == 0 ? Scaling::None : ((a >> 6) & 3) == 2 ? Scaling::Standard : Scaling::MinMax;
    co.skip_rows = b & 3;
    const double fractions[4] = {0.2, 0.5, 0.05, 0.9};
    so.test_fraction = fractions[(b >> 2) & 3];
    so.seed = b >> 4;
    // A copy, so that ASan sees the exact end of the file.
    const std::vector<std::uint8_t> file(data + 2, data + size);

    CsvTable t;
    if (!expect_errors_only("parse_csv", [&] { t = parse_csv(file.data(), file.size(), co); })) return 0;
    const Index d = t.X.rows(), N = t.X.cols();
    FUZZ_CHECK(N >= 2 && d >= 1, "accepted a table with fewer than 2 rows or no feature");
    FUZZ_CHECK(Index(t.feature_names.size()) == d && Index(t.feature_columns.size()) == d,
               "feature names / columns differ from d");
    FUZZ_CHECK(t.X.allFinite(), "accepted table has a non-finite value");
    FUZZ_CHECK(Index(t.y.size()) == N, "labels differ from rows");
    for (int v : t.y) FUZZ_CHECK(v >= 0 && v < t.num_classes, "label outside [0, num_classes)");
    FUZZ_CHECK(!t.labelled || Index(t.class_names.size()) == t.num_classes, "class names differ from num_classes");
    FUZZ_CHECK(t.labelled == (t.label_column > 0), "labelled without a label column");
    CsvTable again = parse_csv(file.data(), file.size(), co);
    FUZZ_CHECK(again.X.rows() == d && again.X.cols() == N && again.X == t.X && again.y == t.y,
               "parsing the same bytes twice differs");

    CsvDataset s;
    if (!expect_errors_only("split_and_scale", [&] { s = split_and_scale(t, so, "fuzz"); })) return 0;
    FUZZ_CHECK(s.train.size() >= 1 && s.test.size() >= 1 && s.train.size() + s.test.size() == N,
               "split sizes do not add up");
    FUZZ_CHECK(s.train.dim() == d && s.test.dim() == d, "split changed the dimension");
    FUZZ_CHECK(s.train.X.allFinite() && s.test.X.allFinite(), "split produced a non-finite value");
    std::vector<Index> rows = s.train_rows;
    rows.insert(rows.end(), s.test_rows.begin(), s.test_rows.end());
    std::sort(rows.begin(), rows.end());
    for (Index j = 0; j < N; ++j) FUZZ_CHECK(rows[std::size_t(j)] == t.first_data_row + j, "rows lost or repeated");
    FUZZ_CHECK(std::is_sorted(s.train_rows.begin(), s.train_rows.end()) &&
                   std::is_sorted(s.test_rows.begin(), s.test_rows.end()),
               "split does not keep file order");
    if (so.scaling == Scaling::MinMax)
        FUZZ_CHECK(s.train.X.minCoeff() >= 0.0f && s.train.X.maxCoeff() <= 1.0f, "minmax training value outside [0, 1]");
    return 0;
}
