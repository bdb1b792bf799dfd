// tabdata.cpp: see tabdata.hpp.
#include "tabdata.hpp"

#include <exception>

namespace aelab::app {

const TableSpec& table_of(DatasetKind kind) {
    const TableSpec* t = kind == DatasetKind::BreastCancer ? table_spec("breast-cancer")
                         : kind == DatasetKind::Wine       ? table_spec("wine")
                                                           : nullptr;
    AELAB_REQUIRE(t != nullptr, std::string("table_of: ") + dataset_key(kind) + " is not a built-in table");
    return *t;
}

std::string table_page_file(DatasetKind kind) { return std::string("data/") + table_of(kind).name + ".csv.gz"; }
std::string table_data_file(DatasetKind kind) { return table_of(kind).file; }

TableData read_table_bundle(DatasetKind kind, const std::vector<std::uint8_t>& bytes, const std::string& source) {
    const TableSpec& t = table_of(kind);
    BuiltinTable bt;
    try {
        bt = load_builtin_table(t, bytes.data(), bytes.size(), t.split());
    } catch (const std::exception& e) {
        throw Error(std::string("the table ") + t.name + " (" + source + "): " + e.what());
    }
    TableData out;
    out.class_names = bt.class_names;
    for (Index r : bt.data.test_rows) out.test_rows.push_back(r - bt.data.info.first_data_row);
    std::string names;
    for (const std::string& n : bt.class_names) names += (names.empty() ? "" : ", ") + n;
    const SplitOptions so = t.split();
    out.summary = std::string(t.name) + ": " + std::to_string(t.rows) + " rows, " + std::to_string(t.features) +
                  " features, " + std::to_string(t.classes) + " classes (" + names + "); " +
                  std::to_string(bt.data.train.size()) + " train / " + std::to_string(bt.data.test.size()) +
                  " test (stratified, seed " + std::to_string(so.seed) + "), " + scaling_name(so.scaling) +
                  " scaling fitted on the training split";
    out.bundle.kind = kind;
    out.bundle.train = std::move(bt.data.train);
    out.bundle.test = std::move(bt.data.test);
    out.bundle.source = out.summary;
    return out;
}

}  // namespace aelab::app
