// native/cli/sweep_grid.hpp — the GRID file of `aelab sweep`: parsing, expansion into runs,
// run names, shard slicing, completion markers. Pure C++ (no files, no processes), so the
// unit tests run it natively and in WASM.
//
// What: a GRID is a small text file, one `key = value` per line:
//
//     # sweep over code size, activation and seed
//     command = train                     # the aelab command every run executes
//     base = --data mnist --epochs 2 --limit-train 5000 --arch 784-128-{k}
//     k = 2, 5, 10, 30
//     act = linear, relu, elu
//     seed = 1, 2, 3
//
//   * `#` starts a comment (anywhere on a line); blank lines are ignored.
//   * `command` (required, once): train, pca, compare, eval or encode.
//   * `base` (optional, once): options given to every run, split on whitespace (no quoting).
//   * every other line sweeps one key over a comma-separated list of values. A key that
//     appears as `{key}` in base is substituted there (every occurrence); any other key is
//     passed as the option `--key VALUE`. Keys: a letter, then letters, digits, '-' or '_'.
//     Values: no whitespace, commas, '#', braces, and no leading "--".
//   * runs = the Cartesian product of the swept lists, in a stable order: keys in file
//     order, the LAST key varying fastest, values in list order (run 0 = first values).
//   * at most 10,000 runs; each run gets `--out <DIR>/runs/<name>` from the sweep, so base
//     must not give --out (nor --help).
// Run names are the swept values `k=5,act=relu,seed=2` (characters other than letters,
// digits and `._+=,-` become '_'; two runs whose names would collide are an error).
// Shards are 0-based and round robin: shard i of n holds the runs whose index is i mod n,
// so every shard gets a similar mix of cheap and expensive settings.
// Why: grids of runs scale out on the schedulers researchers already have (Slurm job arrays,
// GNU parallel) with no coordinator: each process computes its slice from the file alone.
// Usage:
//     Grid g = parse_grid(text, "grid.txt");           // throws aelab::Error "grid.txt:4: ..."
//     Shard s = parse_shard("1/4");
//     for (size_t i : shard_runs(g.num_runs(), s)) { Run r = make_run(g, i); ... r.args ... }
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace aelab::cli::sweep {

constexpr std::size_t kMaxRuns = 10000;
constexpr std::size_t kMaxNameLength = 200;  // a run's directory name, in bytes

// The aelab commands a sweep may run (each takes --out).
const std::vector<std::string>& sweepable_commands();

struct SweepKey {
    std::string name;
    std::vector<std::string> values;  // at least one, distinct
    int line = 0;                     // line number in the grid file (1-based)
    bool placeholder = false;         // substituted into base as {name}, else --name VALUE
};

struct Grid {
    std::string source;               // file name used in messages
    std::string command;              // e.g. "train"
    int command_line = 0;
    std::vector<std::string> base;    // option tokens, possibly holding {key} placeholders
    int base_line = 0;                // 0 when the grid has no base line
    std::vector<SweepKey> keys;       // in file order; the last key varies fastest
    std::size_t num_runs() const;     // product of the list sizes (<= kMaxRuns)
    // The value of each key for run `index` (index < num_runs()).
    std::vector<std::string> values_of(std::size_t index) const;
    // Index of the key `name`, or -1.
    int key_index(const std::string& name) const;
};

// Parses and validates a whole grid file. Errors are aelab::Error "<source>:<line>: ...".
Grid parse_grid(const std::string& text, const std::string& source);

struct Run {
    std::size_t index = 0;
    std::vector<std::string> values;  // one per key
    std::string name;                 // "k=5,act=relu,seed=2", file-name safe
    std::vector<std::string> args;    // command, then its options (without --out)
};
Run make_run(const Grid& g, std::size_t index);
// Every run in order (names checked for collisions after sanitising).
std::vector<Run> expand(const Grid& g);
// "k=5,act=relu" with unsafe characters replaced by '_'.
std::string run_name(const std::vector<SweepKey>& keys, const std::vector<std::string>& values);

// ---- shards ---------------------------------------------------------------------------------
struct Shard {
    std::size_t index = 0;  // 0-based
    std::size_t count = 1;
};
// "i/n" with 0 <= i < n <= 100000. Throws aelab::Error.
Shard parse_shard(const std::string& text);
// The run indices of shard s among `total` runs: i, i + n, i + 2n, ...
std::vector<std::size_t> shard_runs(std::size_t total, const Shard& s);

// ---- options declared by a command's --help text ----------------------------------------------
struct HelpOption {
    std::string name;     // without "--"
    bool takes_value = false;
    std::string arg;      // the value's placeholder ("N", "A-B-..-K"), empty for a flag
};
// Reads the `  --name ARG   help` lines that Options::help() prints.
std::vector<HelpOption> parse_help_options(const std::string& help_text);
// The positional arguments of the help's first line "usage: aelab CMD MODEL.aelab [options]":
// the words outside [...] after the command ({"MODEL.aelab"}; none for train).
std::vector<std::string> parse_usage_positionals(const std::string& help_text);

// ---- completion marker ----------------------------------------------------------------------------
// The file written (atomically) into a run's directory once the run has finished; a rerun
// skips the run when the marker's args equal the run's args.
constexpr const char* kMarkerFile = "sweep.done";
std::string marker_text(const std::vector<std::string>& args, int exit_code, double seconds,
                        const std::string& finished_iso);
// key -> value of a marker's lines (unknown or malformed lines are ignored).
std::map<std::string, std::string> parse_marker(const std::string& text);
std::string join_args(const std::vector<std::string>& args);  // space-separated

}  // namespace aelab::cli::sweep
