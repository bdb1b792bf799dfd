// Tests for `aelab sweep`'s pure parts (native/cli/sweep_grid.hpp, sweep_table.hpp): the GRID
// parser and its hostile inputs, the expansion order and run names, shard slicing, the
// option list read back from Options::help(), completion markers, the metrics JSON reader
// and the CSV / markdown tables. Suite "sweep".
#include <doctest.h>

#include "args.hpp"
#include "sweep_grid.hpp"
#include "sweep_table.hpp"

#include "aelab/common.hpp"

#include <set>
#include <string>
#include <vector>

using namespace aelab::cli::sweep;

namespace {

const char* kExample =
    "# sweep over code size, activation and seed\n"
    "command = train                      # the aelab command\n"
    "base = --data mnist --epochs 2 --limit-train 5000 --arch 784-128-{k}\n"
    "\n"
    "k = 2, 5, 10, 30\n"
    "act = linear, relu, elu\n"
    "seed = 1, 2, 3\n";

// The message of the aelab::Error that parse_grid throws ("" when it parses).
std::string grid_error(const std::string& text) {
    try {
        parse_grid(text, "g.txt");
    } catch (const aelab::Error& e) {
        return e.what();
    }
    return "";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::string table_error(const std::string& json) {
    try {
        read_metrics(json);
    } catch (const aelab::Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_SUITE("sweep") {

TEST_CASE("grid: the example parses, expands in a stable order, last key fastest") {
    Grid g = parse_grid(kExample, "grid.txt");
    CHECK(g.command == "train");
    CHECK(g.command_line == 2);
    CHECK(g.base_line == 3);
    REQUIRE(g.keys.size() == 3);
    CHECK(g.keys[0].name == "k");
    CHECK(g.keys[0].placeholder);
    CHECK_FALSE(g.keys[1].placeholder);
    CHECK(g.keys[2].values == std::vector<std::string>{"1", "2", "3"});
    CHECK(g.keys[1].line == 6);
    REQUIRE(g.num_runs() == 36);

    Run r0 = make_run(g, 0);
    CHECK(r0.name == "k=2,act=linear,seed=1");
    CHECK(make_run(g, 1).name == "k=2,act=linear,seed=2");
    CHECK(make_run(g, 3).name == "k=2,act=relu,seed=1");
    CHECK(make_run(g, 9).name == "k=5,act=linear,seed=1");
    CHECK(make_run(g, 35).name == "k=30,act=elu,seed=3");

    // k=5, relu, seed 2 = 1*9 + 1*3 + 1
    Run r = make_run(g, 13);
    CHECK(r.name == "k=5,act=relu,seed=2");
    const std::vector<std::string> want = {"train", "--data", "mnist", "--epochs", "2", "--limit-train", "5000",
                                           "--arch", "784-128-5", "--act", "relu", "--seed", "2"};
    CHECK(r.args == want);
    CHECK_THROWS_AS(make_run(g, 36), aelab::Error);

    // Every combination exactly once, names unique.
    std::vector<Run> all = expand(g);
    REQUIRE(all.size() == 36);
    std::set<std::string> names, combos;
    for (std::size_t i = 0; i < all.size(); ++i) {
        CHECK(all[i].index == i);
        names.insert(all[i].name);
        combos.insert(all[i].values[0] + "|" + all[i].values[1] + "|" + all[i].values[2]);
    }
    CHECK(names.size() == 36);
    CHECK(combos.size() == 36);
}

TEST_CASE("grid: comments, blank lines, CRLF, tabs, no base, a single value") {
    Grid g = parse_grid("\r\n  # only a comment\r\ncommand\t=\tpca   # pca\r\nk = 2,5 ,\t10\r\nsolver = full\r\n", "x");
    CHECK(g.command == "pca");
    CHECK(g.base.empty());
    CHECK(g.base_line == 0);
    CHECK(g.keys[0].values == std::vector<std::string>{"2", "5", "10"});
    CHECK(g.num_runs() == 3);
    Run r = make_run(g, 2);
    CHECK(r.args == std::vector<std::string>{"pca", "--k", "10", "--solver", "full"});
    CHECK(r.name == "k=10,solver=full");
    // placeholders may appear several times and inside a token
    Grid h = parse_grid("command = train\nbase = --arch 784-{w}-{w}-{k}\nw = 64\nk = 2, 3\n", "x");
    CHECK(make_run(h, 1).args == std::vector<std::string>{"train", "--arch", "784-64-64-3"});
}

TEST_CASE("grid: hostile files are errors with the line number") {
    const std::string head = "command = train\nbase = --steps 10\n";
    struct Case {
        std::string text, where, what;
    };
    const std::vector<Case> cases = {
        {head + "k =\n", "g.txt:3:", "has no values"},
        {head + "k = 1\nseed = 1\nk = 2\n", "g.txt:5:", "given twice (first on line 3)"},
        {head + "k = 1,,2\n", "g.txt:3:", "empty value"},
        {head + "k = 1, 2,\n", "g.txt:3:", "empty value"},
        {head + "k = , 1\n", "g.txt:3:", "empty value"},
        {head + "this line has no equals sign\n", "g.txt:3:", "expected `key = value`"},
        {head + "= 5\n", "g.txt:3:", "missing key"},
        {head + "2k = 5\n", "g.txt:3:", "bad key '2k'"},
        {head + "k.x = 5\n", "g.txt:3:", "bad key"},
        {"command = sweep\nk = 1\n", "g.txt:1:", "cannot be swept"},
        {"command = train\ncommand = pca\nk = 1\n", "g.txt:2:", "`command` given twice"},
        {head + "base = --epochs 1\nk = 1\n", "g.txt:3:", "`base` given twice"},
        {"base = --steps 5\nk = 1\n", "g.txt:", "no `command = ...` line"},
        {"command = train\nbase = --steps 5\n", "g.txt:", "nothing to sweep"},
        {"command = train\nbase = --steps 5 --out x\nk = 1\n", "g.txt:2:", "must not give --out"},
        {"command = train\nbase = --out=x\nk = 1\n", "g.txt:2:", "must not give --out"},
        {"command = train\nbase = --help\nk = 1\n", "g.txt:2:", "must not give --help"},
        {head + "out = a, b\n", "g.txt:3:", "--out cannot be swept"},
        {head + "k = 1, 2, 1\n", "g.txt:3:", "appears twice"},
        {head + "k = 1 2\n", "g.txt:3:", "contains a space"},
        {head + "k = {x}\n", "g.txt:3:", "brace"},
        {head + "k = --tied\n", "g.txt:3:", "starts with \"--\""},
        {head + "v = a/b, a_b\n", "g.txt:3:", "same run name"},
        {"command = train\nbase = --arch 784-{z}\nk = 1\n", "g.txt:2:", "placeholder {z} names no swept key"},
        {"command = train\nbase = --arch 784-{k\nk = 1\n", "g.txt:2:", "'{' without '}'"},
        {"command = train\nbase = --arch 784-k}\nk = 1\n", "g.txt:2:", "'}' without '{'"},
        {"command = train\nbase = --seed 3\nseed = 1, 2\n", "g.txt:3:", "base (line 2) gives --seed"},
        {"command = train\nbase = --seed=3\nseed = 1, 2\n", "g.txt:3:", "gives --seed=3"},
        {head + "k = 1\x01\n", "g.txt:3:", "control character"},
        {head + "k = " + std::string(150, 'a') + "\nj = " + std::string(150, 'b') + "\n", "g.txt:", "run names would be"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        const std::string e = grid_error(c.text);
        CHECK(contains(e, c.where));
        CHECK(contains(e, c.what));
    }
    CHECK(grid_error(std::string(2 << 20, '#')).find("larger than 1 MB") != std::string::npos);
}

TEST_CASE("grid: at most 10,000 runs") {
    auto list = [](int n) {
        std::string s;
        for (int i = 0; i < n; ++i) s += (i ? "," : "") + std::to_string(i);
        return s;
    };
    Grid ok = parse_grid("command = train\na = " + list(100) + "\nb = " + list(100) + "\n", "g.txt");
    CHECK(ok.num_runs() == kMaxRuns);
    CHECK(make_run(ok, kMaxRuns - 1).name == "a=99,b=99");
    const std::string e = grid_error("command = train\na = " + list(100) + "\nb = " + list(101) + "\n");
    CHECK(contains(e, "g.txt:3:"));
    CHECK(contains(e, "more than 10000 runs (100 x 101)"));
    // a product that would overflow 32 bits is still caught
    const std::string big = "command = train\na = " + list(5000) + "\nb = " + list(5000) + "\nc = " + list(5000) + "\n";
    CHECK(contains(grid_error(big), "g.txt:3:"));
}

TEST_CASE("grid: run names are file-name safe") {
    Grid g = parse_grid("command = train\nnoise-level = 0.1\nmodel = a/b:c*\n", "g");
    CHECK(make_run(g, 0).name == "noise-level=0.1,model=a_b_c_");
    CHECK(make_run(g, 0).args.back() == "a/b:c*");  // the option keeps the real value
    for (char c : make_run(g, 0).name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  std::string("._+=,-").find(c) != std::string::npos;
        CHECK(ok);
    }
}

TEST_CASE("shards: 0-based round robin, every run in exactly one shard") {
    Shard s = parse_shard("3/8");
    CHECK(s.index == 3);
    CHECK(s.count == 8);
    CHECK(shard_runs(20, s) == std::vector<std::size_t>{3, 11, 19});
    CHECK(shard_runs(20, parse_shard("0/1")).size() == 20);
    CHECK(shard_runs(2, parse_shard("5/8")).empty());
    for (std::size_t n : {1u, 2u, 3u, 7u}) {
        for (std::size_t total : {0u, 1u, 5u, 8u, 36u}) {
            std::vector<int> seen(total, 0);
            std::size_t lo = total, hi = 0;
            for (std::size_t i = 0; i < n; ++i) {
                auto part = shard_runs(total, Shard{i, n});
                lo = std::min(lo, part.size());
                hi = std::max(hi, part.size());
                for (std::size_t r : part) {
                    REQUIRE(r < total);
                    seen[r]++;
                    CHECK(r % n == i);
                }
            }
            for (int c : seen) CHECK(c == 1);
            CHECK(hi - std::min(lo, hi) <= 1);  // balanced
        }
    }
    for (const char* bad : {"4/4", "1/0", "0/0", "x/2", "1", "-1/2", "1/2/3", " 1/2", "1/", "/2", "0/100001",
                            "9999999/99999999"}) {
        CAPTURE(bad);
        CHECK_THROWS_AS(parse_shard(bad), aelab::Error);
    }
    try {
        parse_shard("8/8");
    } catch (const aelab::Error& e) {
        CHECK(contains(e.what(), "0-based"));
    }
}

TEST_CASE("help text: the option list read back from Options::help()") {
    using aelab::cli::OptDef;
    using aelab::cli::Options;
    Options o("train", {{"arch", "A-B-..-K", "widths"},
                        {"tied", nullptr, "tie weights"},
                        {"sparsity-target", "RHO", "target"},
                        {"a-very-long-flag-name-here", nullptr, "long flag"},
                        {"another-very-long-option", "VALUE", "long option"},
                        {"out", "DIR", "output"}});
    const std::string text = "usage: aelab train [options]\n\nTrains.\n  continue with --resume\n\noptions:\n" + o.help();
    std::vector<HelpOption> h = parse_help_options(text);
    REQUIRE(h.size() == 6);
    const std::vector<std::pair<std::string, bool>> want = {{"arch", true},
                                                             {"tied", false},
                                                             {"sparsity-target", true},
                                                             {"a-very-long-flag-name-here", false},
                                                             {"another-very-long-option", true},
                                                             {"out", true}};
    for (std::size_t i = 0; i < want.size(); ++i) {
        CHECK(h[i].name == want[i].first);
        CHECK(h[i].takes_value == want[i].second);
    }
    CHECK(h[0].arg == "A-B-..-K");
    CHECK(h[1].arg.empty());
    CHECK(h[2].arg == "RHO");
    CHECK(h[4].arg == "VALUE");
}

TEST_CASE("help text: positional arguments of the usage line") {
    using V = std::vector<std::string>;
    CHECK(parse_usage_positionals("usage: aelab train [options]\n\nTrain.") == V{});
    CHECK(parse_usage_positionals("usage: aelab pca [--k 2,5] [--solver NAME] [options]\n") == V{});
    CHECK(parse_usage_positionals("usage: aelab compare [--steps N | --schedule paper] [options]") == V{});
    CHECK(parse_usage_positionals("usage: aelab eval MODEL.aelab [--data mnist|fashion] [options]\n") ==
          V{"MODEL.aelab"});
    CHECK(parse_usage_positionals("usage: aelab x A [B [C]] D\n") == V{"A", "D"});
    CHECK(parse_usage_positionals("no usage line") == V{});
}

TEST_CASE("marker: round trip") {
    const std::vector<std::string> args = {"train", "--arch", "784-64-2", "--seed", "2"};
    const std::string t = marker_text(args, 0, 12.3456, "2026-01-02T03:04:05Z");
    auto m = parse_marker(t);
    CHECK(m["args"] == join_args(args));
    CHECK(m["args"] == "train --arch 784-64-2 --seed 2");
    CHECK(m["exit"] == "0");
    CHECK(m["seconds"] == "12.346");
    CHECK(m["finished"] == "2026-01-02T03:04:05Z");
    CHECK(parse_marker("garbage\n=x\nexit=3").size() == 1);
}

TEST_CASE("metrics: train-style JSON keeps status and the final numbers as written") {
    const std::string j = R"({
  "command": "train",
  "status": "completed",
  "config": {"arch": "784-64-2", "seed": 3, "model": {"lr": 0.001}},
  "data": {"train_size": 2000},
  "final": {
    "step": 400,
    "test_mse": 0.0512345678,
    "knn_accuracy": null,
    "tiny": -1.5e-05,
    "nested": {"a": 1, "s": "text", "b": true},
    "curve": [1, 2, 3]
  }
})";
    Metrics m = read_metrics(j);
    CHECK(m.status == "completed");
    REQUIRE(m.values.size() == 5);
    CHECK(m.values[0].name == "step");
    CHECK(m.values[0].text == "400");
    CHECK(m.values[1].text == "0.0512345678");
    CHECK(m.values[2].name == "knn_accuracy");
    CHECK(m.values[2].text.empty());
    CHECK(m.values[3].text == "-1.5e-05");
    CHECK(m.values[4].name == "nested.a");
}

TEST_CASE("metrics: without \"final\", every number outside config/data, array items by name") {
    const std::string j = R"({"command": "pca", "status": "completed", "wall_seconds": 2.5,
      "config": {"k": [2, 5]}, "data": {"n": 1},
      "rows": [{"row": "PCA-2", "test_mse": 0.05}, {"row": "PCA-5", "test_mse": 0.04}],
      "same": [{"model": "x", "v": 1}, {"model": "x", "v": 2}],
      "esc": {"a\"b\u00e9\ud83d\ude00": 7}})";
    Metrics m = read_metrics(j);
    std::vector<std::string> names;
    for (const auto& v : m.values) names.push_back(v.name);
    const std::vector<std::string> want = {"wall_seconds", "rows.PCA-2.test_mse", "rows.PCA-5.test_mse", "same.0.v",
                                           "same.1.v", "esc.a\"b\xc3\xa9\xf0\x9f\x98\x80"};
    CHECK(names == want);
}

TEST_CASE("metrics: hostile JSON is an error with the byte offset") {
    for (const char* bad : {"", "{", "{\"a\": 1", "{\"a\": 1}}", "[1, 2]", "{\"a\": 01}", "{\"a\": 1.}",
                            "{\"a\": -}", "{\"a\": 1e}", "{\"a\": tru}", "{\"a\" 1}", "{a: 1}", "{\"a\": \"x\\q\"}",
                            "{\"a\": \"x\ny\"}", "{\"a\": \"\\u12\"}", "{\"a\": [1 2]}", "{\"a\": 1,}", "nul"}) {
        CAPTURE(bad);
        const std::string e = table_error(bad);
        CHECK(contains(e, "metrics JSON"));
    }
    CHECK(contains(table_error(std::string(100, '[') + std::string(100, ']')), "deeper than 64"));
    CHECK(contains(table_error("{\"a\": 1} x"), "at byte 9"));
}

TEST_CASE("tables: CSV rows in grid order, markdown grouped over seeds with mean and sd") {
    auto metrics = [](const std::string& status, std::vector<Metric> v) {
        Metrics m;
        m.status = status;
        m.values = std::move(v);
        return m;
    };
    const std::vector<std::string> keys = {"k", "seed", "act"};
    std::vector<RunRow> rows = {
        {{"2", "1", "relu"}, metrics("completed", {{"step", "100"}, {"test_mse", "1.0"}, {"acc", "0.5"}})},
        {{"2", "1", "elu"}, metrics("completed", {{"step", "100"}, {"test_mse", "4"}, {"acc", "0.7"}})},
        {{"2", "2", "relu"}, metrics("completed", {{"step", "100"}, {"test_mse", "3.0"}, {"acc", ""}})},
        {{"2", "2", "elu"}, metrics("diverged", {{"step", "100"}, {"test_mse", "4"}, {"x,y", "1"}})},
    };
    const std::string csv = sweep_csv(keys, rows);
    CHECK(csv ==
          "k,seed,act,status,step,test_mse,acc,\"x,y\"\n"
          "2,1,relu,completed,100,1.0,0.5,\n"
          "2,1,elu,completed,100,4,0.7,\n"
          "2,2,relu,completed,100,3.0,,\n"
          "2,2,elu,diverged,100,4,,1\n");

    const std::string md = sweep_markdown(keys, rows, {}, 6);
    CAPTURE(md);
    CHECK(contains(md, "| k   | act  | seeds | test_mse |"));        // seed is averaged over, not a column
    CHECK(contains(md, "| 2   | relu |     2 |  2 ± 1.4 |"));  // mean 2, sd sqrt(2)
    CHECK(contains(md, "| 2   | elu  |     2 |    4 ± 0 |"));
    CHECK(contains(md, "|-----|------|------:|---------:|"));  // numbers right-aligned
    CHECK(contains(md, "0.5 (n=1)"));                     // acc missing in one seed
    // large numbers are whole numbers, not 2.5e+04 ± 7.1e+03
    CHECK(contains(sweep_markdown({"seed"}, {{{"1"}, metrics("completed", {{"sps", "20000"}})},
                                            {{"2"}, metrics("completed", {{"sps", "30000"}})}}, {}, 2),
                   "| 25000 ± 7071 |"));
    CHECK(contains(md, "4 of 6 runs finished"));
    CHECK(contains(md, "Same in every run: step 100."));
    CHECK(contains(md, "Not completed: k=2,seed=2,act=elu (diverged)."));
    CHECK_FALSE(contains(md, "| step"));
    // relu comes first (grid order), elu second
    CHECK(md.find("relu |") < md.find("elu  |"));

    const std::string only = sweep_markdown(keys, rows, {"acc"}, 4);
    CHECK(contains(only, "| acc "));
    CHECK_FALSE(contains(only, "test_mse"));
    CHECK_THROWS_WITH_AS(sweep_markdown(keys, rows, {"nope"}, 4), doctest::Contains("known: step, test_mse"),
                         aelab::Error);

    // no seed key: one run per row, counted as "runs"
    const std::string one = sweep_markdown({"k", "seed2", "act"}, rows, {"test_mse"}, 4);
    CHECK(contains(one, "| runs |"));
    CHECK_FALSE(contains(one, "±"));
}

}  // TEST_SUITE
