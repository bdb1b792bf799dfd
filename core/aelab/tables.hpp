// aelab/tables.hpp — the built-in tables (scikit-learn's breast-cancer and wine files): their
// layout, their default split, and one reader that the CLI and the page both use.
//
// What: table_spec("breast-cancer" | "wine") describes a built-in table (file under the data
// directory, shape, classes) and its fixed CSV layout (skip the count line, no header, label
// = last column) and default split (standard scaling, test fraction 0.25 = scikit-learn's
// train_test_split default, seed 1). parse_builtin_table() reads the file's bytes with the
// core CSV reader, checks the shape and takes the class names from the count line
// ("569,30,malignant,benign"); load_builtin_table() then splits and scales with
// split_and_scale() (stratified, scaling fitted on the training split).
// Why: `aelab classify --data breast-cancer` (native/cli/data_csv.cpp) and the playground's
// `dataset=breast-cancer` (web/app/tabdata.cpp) must see the same training and test rows with
// the same scaling; one reader and one set of defaults guarantee it (tests/unit/test_tabdata.cpp).
// Core does no file I/O: callers hand over the bytes.
// Usage:
//     const aelab::TableSpec* t = aelab::table_spec("breast-cancer");   // nullptr if unknown
//     aelab::BuiltinTable bt = aelab::load_builtin_table(*t, bytes.data(), bytes.size(), t->split());
//     // bt.data.train.X: 30 x 427, bt.data.test.X: 30 x 142; bt.class_names: malignant, benign
#pragma once

#include "aelab/csv.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace aelab {

struct TableSpec {
    const char* name;   // "breast-cancer"
    const char* file;   // "tabular/breast_cancer.csv" (under the data directory)
    Index rows, features;
    int classes;
    CsvOptions csv() const;     // skip_rows 1, header No, label "last"
    SplitOptions split() const; // Standard, test_fraction 0.25, seed 1
};

constexpr double kTableTestFraction = 0.25;
constexpr std::uint64_t kTableSplitSeed = 1;

// The built-in tables, in menu order; table_spec() returns nullptr for an unknown name.
const std::vector<TableSpec>& builtin_table_specs();
const TableSpec* table_spec(const std::string& name);

// Parses the bytes, checks the shape (rows x features, classes) and reads the class names
// from the count line. Throws aelab::Error ("... (re-run scripts/setup)") on a mismatch.
CsvTable parse_builtin_table(const TableSpec& t, const std::uint8_t* data, std::size_t size,
                             std::vector<std::string>* class_names);

struct BuiltinTable {
    CsvDataset data;                       // split and scaled; datasets named t.name + "-train" / "-test"
    std::vector<std::string> class_names;  // from the count line
};
// parse_builtin_table + split_and_scale(table, split, t.name).
BuiltinTable load_builtin_table(const TableSpec& t, const std::uint8_t* data, std::size_t size,
                                const SplitOptions& split);

}  // namespace aelab
