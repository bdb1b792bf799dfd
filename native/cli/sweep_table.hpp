// native/cli/sweep_table.hpp — `aelab sweep --collect`: the metrics of finished runs merged
// into one CSV and one markdown table. Pure C++ (text in, text out), unit tested natively
// and in WASM.
//
// What:
//   * read_metrics(): a strict JSON reader for the metrics.json that every aelab command
//     writes. It keeps the top-level "status" and the numeric leaves of the "final" object
//     (train, eval) — or, when there is no "final", every numeric leaf outside "config" and
//     "data" (pca's "rows.0.test_mse"...). Nested names are joined with '.'; a null (a
//     non-finite number) is kept as a missing value. Numbers keep their exact JSON text.
//   * sweep_csv(): one row per run, in grid order: the swept values, status, then every
//     metric seen in any run (first-seen order); missing values are empty cells.
//   * sweep_markdown(): runs grouped over every swept key except `seed` (groups in grid
//     order), one row per group: the group's values, the count of seeds (finished runs),
//     then "mean ± sd" (sample standard deviation over seeds; the mean alone for a single
//     seed; "(n=2)" when a metric is missing in some seeds). Columns: the metrics asked for,
//     or by default every metric that differs between runs; metrics equal in every run are
//     listed once under the table.
// Why: a sweep's answer is a table over its settings with the spread over seeds, written
// the same way whatever shards or jobs produced the runs.
// Usage:
//     std::vector<RunRow> rows = {{{"5", "relu", "1"}, read_metrics(json_text)}, ...};
//     write(csv_path, sweep_csv(key_names, rows));
//     write(md_path, sweep_markdown(key_names, rows, {}, total_runs));
#pragma once

#include <string>
#include <vector>

namespace aelab::cli::sweep {

struct Metric {
    std::string name;   // "test_mse", "rows.0.test_mse"
    std::string text;   // the number as written in the JSON; empty for null
};
struct Metrics {
    std::string status;            // top-level "status" ("completed", "diverged"...), or ""
    std::vector<Metric> values;    // in file order
};
// Parses a whole JSON document (strict: one value, no trailing text, depth <= 64).
// Throws aelab::Error with the byte offset of the problem.
Metrics read_metrics(const std::string& json_text);

struct RunRow {
    std::vector<std::string> swept;  // one value per key
    Metrics metrics;
};

// Every metric name of `rows` in first-seen order.
std::vector<std::string> metric_names(const std::vector<RunRow>& rows);

std::string sweep_csv(const std::vector<std::string>& keys, const std::vector<RunRow>& rows);

// `metrics`: the metric columns of the table (empty = every metric that differs between
// runs). A name not among the runs' metrics is an aelab::Error listing the known names.
// `total_runs`: the number of runs in the grid (for the "N of M runs" line).
std::string sweep_markdown(const std::vector<std::string>& keys, const std::vector<RunRow>& rows,
                           const std::vector<std::string>& metrics, std::size_t total_runs);

}  // namespace aelab::cli::sweep
