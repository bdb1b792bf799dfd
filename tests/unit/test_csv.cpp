// Tests for aelab/csv.hpp: good files (header or not, label column by name / index / last,
// separators, quotes, CRLF, BOM, '+' and spaces), every error with its row and column, the
// limits, and the split / scaling properties. Suite "data". Bytes are built in memory.
#include <doctest.h>

#include "aelab/csv.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

using namespace aelab;

namespace {

CsvTable parse(const std::string& text, const std::string& label = "", CsvHeader h = CsvHeader::Auto,
               Index skip = 0, char sep = 0) {
    CsvOptions o;
    o.label_column = label;
    o.header = h;
    o.skip_rows = skip;
    o.separator = sep;
    return parse_csv(reinterpret_cast<const std::uint8_t*>(text.data()), text.size(), o);
}

// The error message of parsing `text` ("" if it parses).
std::string error_of(const std::string& text, const std::string& label = "", CsvHeader h = CsvHeader::Auto,
                     Index skip = 0) {
    try {
        parse(text, label, h, skip);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_SUITE("data") {

TEST_CASE("csv: header auto-detected, label column by name, text labels in order of first appearance") {
    CsvTable t = parse("a,b,kind\n1,2,cat\n3,4.5,dog\n-5,6e1,cat\n", "kind");
    CHECK(t.has_header);
    CHECK(t.separator == ',');
    REQUIRE(t.X.rows() == 2);
    REQUIRE(t.X.cols() == 3);
    CHECK(t.X(0, 0) == 1.0f);
    CHECK(t.X(1, 1) == 4.5f);
    CHECK(t.X(0, 2) == -5.0f);
    CHECK(t.X(1, 2) == 60.0f);
    CHECK(t.labelled);
    CHECK(t.label_column == 3);
    CHECK(t.label_name == "kind");
    CHECK(t.y == std::vector<int>{0, 1, 0});
    CHECK(t.num_classes == 2);
    CHECK(t.class_names == std::vector<std::string>{"cat", "dog"});
    CHECK(t.feature_names == std::vector<std::string>{"a", "b"});
    CHECK(t.feature_columns == std::vector<Index>{1, 2});
    CHECK(t.first_data_row == 2);
}

TEST_CASE("csv: no header, integer labels by index or 'last', unlabelled files") {
    CsvTable t = parse("0.5,2,1\n1.5,3,0\n2.5,4,3\n", "3");
    CHECK_FALSE(t.has_header);
    CHECK(t.first_data_row == 1);
    CHECK(t.y == std::vector<int>{1, 0, 3});
    CHECK(t.num_classes == 4);  // integer labels are the classes: 0..3
    CHECK(t.class_names == std::vector<std::string>{"0", "1", "2", "3"});
    CHECK(t.feature_names == std::vector<std::string>{"column 1", "column 2"});
    CsvTable l = parse("0.5,2,1\n1.5,3,0\n", "last");
    CHECK(l.label_column == 3);
    // Label in the first column, text labels, no header: the label field does not make a header.
    CsvTable f = parse("setosa,5.1,3.5\nvirginica,6.3,2.9\n", "1");
    CHECK_FALSE(f.has_header);
    CHECK(f.class_names == std::vector<std::string>{"setosa", "virginica"});
    CHECK(f.X(1, 1) == doctest::Approx(2.9));
    CsvTable u = parse("1,2\n3,4\n", "none");
    CHECK_FALSE(u.labelled);
    CHECK(u.num_classes == 1);
    CHECK(u.y == std::vector<int>{0, 0});
    CHECK(u.class_names.empty());
    // Forcing: a numeric first row read as a header, or a text first row refused as data.
    CsvTable hy = parse("1,2\n3,4\n5,6\n", "", CsvHeader::Yes);
    CHECK(hy.X.cols() == 2);
    CHECK(hy.feature_names == std::vector<std::string>{"1", "2"});
    CHECK(contains(error_of("a,b\n3,4\n5,6\n", "", CsvHeader::No), "row 1, column 1: 'a' is not a number"));
}

TEST_CASE("csv: separators detected or given, quotes, CRLF, BOM, spaces and a leading '+'") {
    CsvTable s = parse("x;y\n1.5;2\n3;4\n");
    CHECK(s.separator == ';');
    CHECK(s.X(0, 0) == 1.5f);
    CsvTable tab = parse("x\ty\n1\t2\n3\t 4 \n");
    CHECK(tab.separator == '\t');
    CHECK(tab.X(1, 1) == 4.0f);
    CsvTable q = parse("\"name, with comma\",\"say \"\"hi\"\"\",lab\n\" 1 \",2,\"a\nb\"\r\n3,4,c\r\n", "lab");
    CHECK(q.feature_names == std::vector<std::string>{"name, with comma", "say \"hi\""});
    CHECK(q.class_names == std::vector<std::string>{"a\nb", "c"});
    CHECK(q.X(0, 0) == 1.0f);
    CHECK(q.X(1, 1) == 4.0f);
    CsvTable crlf = parse("\xEF\xBB\xBF" "a,b\r\n+1, 2 \r\n3 ,+.5\r\n\r\n\n");
    CHECK(crlf.has_header);
    CHECK(crlf.feature_names[0] == "a");  // the BOM is not part of the name
    CHECK(crlf.X(0, 0) == 1.0f);
    CHECK(crlf.X(1, 1) == 0.5f);
    CHECK(crlf.X.cols() == 2);  // trailing blank lines ignored
    CsvTable one = parse("v\n1\n2\n");  // one column: no separator at all
    CHECK(one.X.rows() == 1);
    CsvTable given = parse("1;2\n3;4\n", "", CsvHeader::Auto, 0, ';');
    CHECK(given.X(1, 1) == 4.0f);
    CsvTable tiny = parse("1e-50,2\n3,4\n");  // below float range: rounds to 0
    CHECK(tiny.X(0, 0) == 0.0f);
}

TEST_CASE("csv: skipped lines above the table (scikit-learn's count line) count in row numbers") {
    const std::string sk = "3,2,no,yes\n1.0,2.0,0\n3.0,4.0,1\n5.0,6.0,1\n";
    CHECK(contains(error_of(sk, "last"), "row 2 has 3 fields, but row 1 has 4"));
    CsvTable t = parse(sk, "last", CsvHeader::Auto, 1);
    CHECK_FALSE(t.has_header);
    CHECK(t.first_data_row == 2);
    CHECK(t.X.cols() == 3);
    CHECK(t.y == std::vector<int>{0, 1, 1});
    CHECK(contains(error_of("junk\n1,2\n3,x\n", "", CsvHeader::No, 1), "row 3, column 2: 'x' is not a number"));
    CHECK(contains(error_of("junk\n", "", CsvHeader::Auto, 1), "no rows after the 1 skipped line"));
    CHECK(contains(error_of(std::string("ok\nju\0nk\n1,2\n3,4\n", 17), "", CsvHeader::Auto, 2),
                   "row 2: control character 0x00 (NUL)"));  // skipped lines are checked too
}

TEST_CASE("csv: every bad cell or row is reported with its row and column") {
    struct Case {
        std::string text, label, expect;
    };
    const std::vector<Case> cases = {
        {"", "", "the file is empty"},
        {"\n\n  \n", "", "no rows"},
        {"a,b\n", "", "at least 2 data rows, it has 0"},
        {"1,2\n", "", "at least 2 data rows, it has 1"},
        {"a,b\n1,2\n3\n", "", "row 3 has 1 fields, but row 1 has 2"},
        {"a,b\n1,2\n3,4,5\n", "", "row 3 has 3 fields, but row 1 has 2"},
        {"a,b\n1,2\n3,\n", "", "row 3, column 2: empty cell"},
        {"a,b\n1,2\n3,nan\n", "", "row 3, column 2: 'nan' is not a finite number"},
        {"a,b\n1,-inf\n3,4\n", "", "row 2, column 2: '-inf' is not a finite number"},
        {"a,b\n1,2\nInfinity,4\n", "", "row 3, column 1: 'Infinity' is not a finite number"},
        {"a,b\n1,0x10\n3,4\n", "", "row 2, column 2: '0x10' is not a number"},
        {"a,b\n1,1e\n3,4\n", "", "row 2, column 2: '1e' is not a number"},
        {"a,b\n1,1e999\n3,4\n", "", "row 2, column 2: '1e999' is too large for a double"},
        {"a,b\n1,1e39\n3,4\n", "", "row 2, column 2: '1e39' is too large for a float"},
        {"a,b\n1,++1\n3,4\n", "", "row 2, column 2: '++1' is not a number (at most one leading '+'"},
        {"a,b\n1,+-1\n3,4\n", "", "row 2, column 2: '+-1' is not a number"},
        {"a;b\n1;2,5\n3;4\n", "", "row 2, column 2: '2,5' is not a number (write a decimal point"},
        {"a,b\n1,2\n\n3,4\n", "", "row 3 is empty"},
        {"a,b\n1,\"2\n3,4\n", "", "row 2, column 2: the quote opened here is never closed"},
        {"a,b\n1,\"2\"x\n3,4\n", "", "row 2, column 2: text after the closing quote"},
        {"a,b\n1,2\"\n3,4\n", "", "row 2, column 2: a quote inside an unquoted field"},
        {std::string("a,b\n1,2\n3,\0\n", 12), "", "row 3, column 2: control character 0x00 (NUL)"},
        {"a,b\n1,2\r3,4\n", "", "row 2, column 2: a carriage return (CR) not followed by a line feed"},
        {"a,b\n1,\x01\n3,4\n", "", "row 2, column 2: control character 0x01"},
        {"a,b,c\n1,2,x\n3,4,\n", "c", "row 3, column 3: empty label"},
        {"1,2,1000\n3,4,0\n", "3", "row 1, column 3: label '1000' is too large"},
        {"a,b\n1,2\n3,4\n", "z", "no column named 'z' in the header ('a', 'b')"},
        {"1,2\n3,4\n", "z", "is a name, but the file has no header row"},
        {"a,b\n1,2\n3,4\n", "0", "label column 0 is out of range"},
        {"a,b\n1,2\n3,4\n", "3", "label column 3 is out of range: the rows have 2 fields"},
        {"a,a,b\n1,2,3\n3,4,5\n", "a", "ambiguous"},
        {"a\n1\n2\n", "1", "no feature column"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.text);
        const std::string e = error_of(c.text, c.label);
        CAPTURE(e);
        CHECK(contains(e, c.expect));
    }
    CHECK(contains(error_of("1,2\n3,4\n", "z", CsvHeader::No), "is a name, but the file has no header row"));
    CHECK(contains(error_of("1,2\n3,4\n", "z", CsvHeader::Yes), "no column named 'z' in the header ('1', '2')"));
    // A field longer than 4096 characters, a row wider than the column limit.
    CHECK(contains(error_of("a,b\n1," + std::string(5000, '1') + "\n3,4\n"), "row 2, column 2: a field longer than 4096"));
    std::string wide;
    for (Index i = 0; i <= kCsvMaxColumns; ++i) wide += "1,";
    CHECK(contains(error_of(wide + "1\n"), "row 1 has more than 10000 fields"));
    // More than kCsvMaxClasses distinct text labels.
    std::string many;
    for (int i = 0; i <= kCsvMaxClasses; ++i) many += std::to_string(i) + ",c" + std::to_string(i) + "\n";
    CHECK(contains(error_of(many, "2"), "row 1001, column 2: more than 1000 distinct labels"));
}

TEST_CASE("csv: limits are checked before the matrix is allocated") {
    // A size claim above the byte limit is refused from the size alone (the bytes are not read).
    const std::uint8_t one = '1';
    CHECK_THROWS_WITH_AS(parse_csv(&one, kCsvMaxBytes + 1, CsvOptions{}), doctest::Contains("the CSV limit is 64 MiB"),
                         Error);
    // Too many rows or cells (lowered limits; the defaults are the constants).
    CsvOptions lim;
    lim.max_rows = 3;
    const std::string four = "1,2\n3,4\n5,6\n7,8\n";
    CHECK_THROWS_WITH_AS(parse_csv(reinterpret_cast<const std::uint8_t*>(four.data()), four.size(), lim),
                         doctest::Contains("more than 3 data rows (the limit)"), Error);
    lim.max_rows = kCsvMaxRows * 10;  // clamped to the constant
    lim.max_cells = 7;
    CHECK_THROWS_WITH_AS(parse_csv(reinterpret_cast<const std::uint8_t*>(four.data()), four.size(), lim),
                         doctest::Contains("4 rows of 2 features = 8 numbers; the limit is 7"), Error);
    lim.max_cells = 8;
    CHECK(parse_csv(reinterpret_cast<const std::uint8_t*>(four.data()), four.size(), lim).X.size() == 8);
    CsvOptions bad;
    bad.skip_rows = -1;
    CHECK_THROWS_AS(parse_csv(&one, 1, bad), Error);
    bad.skip_rows = 0;
    bad.separator = '|';
    CHECK_THROWS_AS(parse_csv(&one, 1, bad), Error);
}

TEST_CASE("csv: split is seeded, stratified and complete; scaling is fitted on the training rows") {
    // 100 rows, classes 0 (60 rows) and 1 (40 rows); feature 0 = row index, feature 1 constant.
    std::string text = "x,c,k\n";
    for (int i = 0; i < 100; ++i) text += std::to_string(i) + ",7," + (i % 5 < 3 ? "0" : "1") + "\n";
    CsvTable t = parse(text, "k");
    SplitOptions so;
    so.test_fraction = 0.25;
    so.seed = 3;
    CsvDataset a = split_and_scale(t, so, "toy");
    REQUIRE(a.train.size() == 75);
    REQUIRE(a.test.size() == 25);
    CHECK(a.train.name == "toy-train");
    CHECK(a.train.num_classes == 2);
    // Stratified: 15 of class 0 and 10 of class 1 in the test split.
    CHECK(std::count(a.test.y.begin(), a.test.y.end(), 0) == 15);
    CHECK(std::count(a.test.y.begin(), a.test.y.end(), 1) == 10);
    // Disjoint and complete, in file order.
    std::set<Index> rows(a.train_rows.begin(), a.train_rows.end());
    rows.insert(a.test_rows.begin(), a.test_rows.end());
    CHECK(rows.size() == 100);
    CHECK(*rows.begin() == 2);  // the header is row 1
    CHECK(std::is_sorted(a.test_rows.begin(), a.test_rows.end()));
    // Min-max from the training rows: training values in [0, 1] with both ends reached; the
    // constant column shifted to 0.
    CHECK(a.train.X.row(0).minCoeff() == 0.0f);
    CHECK(a.train.X.row(0).maxCoeff() == 1.0f);
    CHECK(a.train.X.row(1).cwiseAbs().maxCoeff() == 0.0f);
    CHECK(a.test.X.row(1).cwiseAbs().maxCoeff() == 0.0f);
    CHECK(a.scaling.scale(1) == 1.0);
    CHECK(a.scaling.shift(0) == double(a.train_rows.front() - 2));
    // The test split uses the training fit: x_test = (row - shift) / scale.
    for (std::size_t k = 0; k < a.test_rows.size(); ++k)
        CHECK(a.test.X(0, Index(k)) ==
              doctest::Approx((double(a.test_rows[k] - 2) - a.scaling.shift(0)) / a.scaling.scale(0)));
    // Same seed, same split; another seed, another split.
    CsvDataset b = split_and_scale(t, so, "toy");
    CHECK(b.test_rows == a.test_rows);
    so.seed = 4;
    CHECK(split_and_scale(t, so, "toy").test_rows != a.test_rows);
    // Standardization: training mean 0, sd 1 (population); constant column 0.
    so.scaling = Scaling::Standard;
    CsvDataset s = split_and_scale(t, so, "toy");
    const double mean = s.train.X.row(0).cast<double>().mean();
    const double var = (s.train.X.row(0).cast<double>().array() - mean).square().mean();
    CHECK(std::abs(mean) < 1e-6);
    CHECK(var == doctest::Approx(1.0).epsilon(1e-6));
    CHECK(s.train.X.row(1).cwiseAbs().maxCoeff() == 0.0f);
    so.scaling = Scaling::None;
    CsvDataset n = split_and_scale(t, so, "toy");
    CHECK(n.train.X(1, 0) == 7.0f);
    CHECK(n.test.X.allFinite());
}

TEST_CASE("csv: split edge cases and bad options") {
    CsvTable two = parse("1\n2\n");
    SplitOptions so;
    so.test_fraction = 0.01;  // rounds to 0: still one test row
    CsvDataset d = split_and_scale(two, so, "two");
    CHECK(d.train.size() == 1);
    CHECK(d.test.size() == 1);
    so.test_fraction = 0.99;  // rounds to N: still one training row
    CHECK(split_and_scale(two, so, "two").train.size() == 1);
    for (double f : {0.0, 1.0, -0.5, std::nan("")}) {
        so.test_fraction = f;
        CHECK_THROWS_AS(split_and_scale(two, so, "two"), Error);
    }
    CHECK(parse_scaling("standard") == Scaling::Standard);
    CHECK(std::string(scaling_name(parse_scaling("minmax"))) == "minmax");
    CHECK_THROWS_WITH_AS(parse_scaling("zscore"), doctest::Contains("valid: minmax, standard, none"), Error);
    // A test value far outside a tiny training range does not fit a float after scaling.
    CsvTable t = parse("v\n1e-30\n2e-30\n3e38\n1e-30\n");
    SplitOptions s2;
    s2.test_fraction = 0.25;
    bool threw = false;
    for (std::uint64_t seed = 0; seed < 20 && !threw; ++seed) {
        s2.seed = seed;
        try {
            CsvDataset r = split_and_scale(t, s2, "x");
            CHECK(r.train.X.allFinite());
            CHECK(r.test.X.allFinite());
        } catch (const Error& e) {
            threw = true;
            CHECK(contains(e.what(), "row 4, column 1: scaled (minmax, fitted on the training rows)"));
        }
    }
    CHECK(threw);
}

TEST_CASE("csv: load_csv_dataset on a wine-like file (count line, integer labels in the last column)") {
    std::string text = "9,2,class_0,class_1,class_2\n";
    for (int i = 0; i < 9; ++i) text += std::to_string(10 + i) + "," + std::to_string(i * i) + "," + std::to_string(i % 3) + "\n";
    CsvOptions co;
    co.skip_rows = 1;
    co.label_column = "last";
    SplitOptions so;
    so.test_fraction = 1.0 / 3.0;
    CsvDataset d = load_csv_dataset(reinterpret_cast<const std::uint8_t*>(text.data()), text.size(), co, so, "wine");
    CHECK(d.train.dim() == 2);
    CHECK(d.train.size() == 6);
    CHECK(d.test.size() == 3);
    CHECK(std::set<int>(d.test.y.begin(), d.test.y.end()).size() == 3);  // one of each class
    CHECK(d.class_names == std::vector<std::string>{"0", "1", "2"});
    CHECK(d.info.label_column == 3);
    CHECK(d.info.X.size() == 0);
    CHECK(d.train.image_rows == 0);
}

}  // TEST_SUITE
