// tabdata.hpp: the built-in tables in the playground (dataset=breast-cancer, dataset=wine).
//
// What: table_of(kind) names the core's TableSpec of a table kind; table_page_file() is the
// file the web build puts next to the page (data/breast-cancer.csv.gz, gzip of the CSV) and
// table_data_file() the one the desktop reads under its data directory
// (tabular/breast_cancer.csv). read_table_bundle() turns the file's bytes into the page's
// DataBundle with aelab::load_builtin_table() and the table's default split (standard
// scaling fitted on the training split, test fraction 0.25, seed 1: exactly what
// `aelab classify --data breast-cancer` uses), and writes the one-line summary the Data
// section shows ("breast-cancer: 569 rows, 30 features, 2 classes (malignant, benign); ...").
// Why: the page and the CLI must see the same test rows; one core reader (aelab/tables.hpp)
// and one default guarantee it. Pure (no I/O, no ImGui): tests/unit/test_tabdata.cpp.
// Usage:
//     TableData t = read_table_bundle(DatasetKind::BreastCancer, bytes, "data/breast-cancer.csv.gz");
//     session.set_data(t.bundle);   // 30 x 427 train, 30 x 142 test
#pragma once

#include "session.hpp"

#include "aelab/tables.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace aelab::app {

// The core spec of a table kind (BreastCancer, Wine); throws aelab::Error for other kinds.
const TableSpec& table_of(DatasetKind kind);
std::string table_page_file(DatasetKind kind);  // "data/breast-cancer.csv.gz"
std::string table_data_file(DatasetKind kind);  // "tabular/breast_cancer.csv"

struct TableData {
    DataBundle bundle;                     // kind = the table kind; source = summary
    std::vector<std::string> class_names;  // from the file's count line
    std::vector<Index> test_rows;          // 0-based data rows of the test split (as split.csv)
    std::string summary;
};

// Throws aelab::Error naming the table (bad bytes, wrong shape).
TableData read_table_bundle(DatasetKind kind, const std::vector<std::uint8_t>& bytes, const std::string& source);

}  // namespace aelab::app
