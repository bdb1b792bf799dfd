// The built-in tables (aelab/tables.hpp).
#include "aelab/tables.hpp"

namespace aelab {

CsvOptions TableSpec::csv() const {
    CsvOptions o;
    o.skip_rows = 1;
    o.header = CsvHeader::No;
    o.label_column = "last";
    return o;
}

SplitOptions TableSpec::split() const {
    SplitOptions o;
    o.scaling = Scaling::Standard;
    o.test_fraction = kTableTestFraction;
    o.seed = kTableSplitSeed;
    return o;
}

const std::vector<TableSpec>& builtin_table_specs() {
    static const std::vector<TableSpec> specs = {
        {"breast-cancer", "tabular/breast_cancer.csv", 569, 30, 2},
        {"wine", "tabular/wine_data.csv", 178, 13, 3},
    };
    return specs;
}

const TableSpec* table_spec(const std::string& name) {
    for (const TableSpec& t : builtin_table_specs())
        if (name == t.name) return &t;
    return nullptr;
}

namespace {

// The count line "569,30,malignant,benign": sample and feature counts, then the class names.
std::vector<std::string> count_line_classes(const TableSpec& t, const std::uint8_t* data, std::size_t size) {
    std::string line;
    for (std::size_t i = 0; i < size && data[i] != '\n' && line.size() <= 1000; ++i) line += char(data[i]);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> f;
    std::size_t start = 0;
    for (;;) {
        const auto comma = line.find(',', start);
        f.push_back(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    if (f.size() != 2 + std::size_t(t.classes) || f[0] != std::to_string(t.rows) || f[1] != std::to_string(t.features))
        throw Error(std::string(t.name) + ": the first line should read " + std::to_string(t.rows) + "," +
                    std::to_string(t.features) + " and " + std::to_string(t.classes) +
                    " class names (scikit-learn's count line), it reads '" + line + "' (re-run scripts/setup)");
    return std::vector<std::string>(f.begin() + 2, f.end());
}

}  // namespace

CsvTable parse_builtin_table(const TableSpec& t, const std::uint8_t* data, std::size_t size,
                             std::vector<std::string>* class_names) {
    CsvTable table = parse_csv(data, size, t.csv());
    std::vector<std::string> names = count_line_classes(t, data, size);
    if (table.X.cols() != t.rows || table.X.rows() != t.features || table.num_classes != t.classes)
        throw Error(std::string(t.name) + ": expected " + std::to_string(t.rows) + " rows x " +
                    std::to_string(t.features) + " features in " + std::to_string(t.classes) + " classes, read " +
                    std::to_string(table.X.cols()) + " x " + std::to_string(table.X.rows()) + " in " +
                    std::to_string(table.num_classes) + " (re-run scripts/setup)");
    if (class_names) *class_names = std::move(names);
    return table;
}

BuiltinTable load_builtin_table(const TableSpec& t, const std::uint8_t* data, std::size_t size,
                                const SplitOptions& split) {
    BuiltinTable b;
    const CsvTable table = parse_builtin_table(t, data, size, &b.class_names);
    b.data = split_and_scale(table, split, t.name);
    return b;
}

}  // namespace aelab
