#include "sweep_grid.hpp"

#include "aelab/common.hpp"

#include <algorithm>
#include <cstdio>

namespace aelab::cli::sweep {

namespace {

constexpr std::size_t kMaxGridBytes = 1 << 20;

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string trim(const std::string& s) {
    std::size_t a = 0, b = s.size();
    while (a < b && is_space(s[a])) ++a;
    while (b > a && is_space(s[b - 1])) --b;
    return s.substr(a, b - a);
}

std::vector<std::string> split_words(const std::string& s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && is_space(s[i])) ++i;
        std::size_t j = i;
        while (j < s.size() && !is_space(s[j])) ++j;
        if (j > i) out.push_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

bool valid_key(const std::string& k) {
    if (k.empty() || k.size() > 64) return false;
    if (!((k[0] >= 'a' && k[0] <= 'z') || (k[0] >= 'A' && k[0] <= 'Z'))) return false;
    for (char c : k) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok) return false;
    }
    return true;
}

char safe_char(char c) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '+' || c == '=' || c == ',' || c == '-';
    return ok ? c : '_';
}

std::string sanitise(const std::string& s) {
    std::string out = s;
    for (char& c : out) c = safe_char(c);
    return out;
}

// Replaces every {key} of a base token by the run's value of that key.
std::string substitute(const std::string& token, const Grid& g, const std::vector<std::string>& values) {
    std::string out;
    std::size_t i = 0;
    while (i < token.size()) {
        std::size_t open = token.find('{', i);
        if (open == std::string::npos) {
            out += token.substr(i);
            break;
        }
        std::size_t close = token.find('}', open);  // parse_grid checked that it exists
        out += token.substr(i, open - i);
        int k = g.key_index(token.substr(open + 1, close - open - 1));
        out += values[std::size_t(k)];
        i = close + 1;
    }
    return out;
}

}  // namespace

const std::vector<std::string>& sweepable_commands() {
    static const std::vector<std::string> c = {"train", "pca", "compare", "eval", "encode"};
    return c;
}

std::size_t Grid::num_runs() const {
    std::size_t n = 1;
    for (const auto& k : keys) n *= k.values.size();  // parse_grid bounds the product
    return n;
}

std::vector<std::string> Grid::values_of(std::size_t index) const {
    std::vector<std::string> v(keys.size());
    for (std::size_t j = keys.size(); j-- > 0;) {
        const std::size_t n = keys[j].values.size();
        v[j] = keys[j].values[index % n];
        index /= n;
    }
    return v;
}

int Grid::key_index(const std::string& name) const {
    for (std::size_t i = 0; i < keys.size(); ++i)
        if (keys[i].name == name) return int(i);
    return -1;
}

Grid parse_grid(const std::string& text, const std::string& source) {
    Grid g;
    g.source = source;
    auto fail = [&](int line, const std::string& msg) -> void {
        throw Error(source + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " + msg);
    };
    if (text.size() > kMaxGridBytes) fail(0, "the grid file is larger than 1 MB (is it the right file?)");

    int line_no = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t nl = text.find('\n', pos);
        if (nl == std::string::npos) nl = text.size();
        std::string line = text.substr(pos, nl - pos);
        pos = nl + 1;
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        for (char c : line)
            if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f)
                fail(line_no, "unexpected control character (a grid is a plain text file)");
        std::size_t hash = line.find('#');
        if (hash != std::string::npos) line = line.substr(0, hash);
        line = trim(line);
        if (line.empty()) continue;
        std::size_t eq = line.find('=');
        if (eq == std::string::npos) fail(line_no, "expected `key = value` (or a # comment), got '" + line + "'");
        const std::string key = trim(line.substr(0, eq)), value = trim(line.substr(eq + 1));
        if (key.empty()) fail(line_no, "missing key before '='");
        if (!valid_key(key))
            fail(line_no, "bad key '" + key + "' (a letter, then letters, digits, '-' or '_'; at most 64)");

        if (key == "command") {
            if (g.command_line) fail(line_no, "`command` given twice (first on line " + std::to_string(g.command_line) + ")");
            std::string list;
            for (const auto& c : sweepable_commands()) list += (list.empty() ? "" : ", ") + c;
            bool known = false;
            for (const auto& c : sweepable_commands()) known = known || c == value;
            if (!known) fail(line_no, "command '" + value + "' cannot be swept (one of: " + list + ")");
            g.command = value;
            g.command_line = line_no;
            continue;
        }
        if (key == "base") {
            if (g.base_line) fail(line_no, "`base` given twice (first on line " + std::to_string(g.base_line) + ")");
            g.base = split_words(value);
            g.base_line = line_no;
            for (const auto& t : g.base) {
                if (t == "--out" || t.rfind("--out=", 0) == 0)
                    fail(line_no, "base must not give --out: the sweep gives every run its own <DIR>/runs/<name>");
                if (t == "--help" || t == "-h") fail(line_no, "base must not give " + t);
            }
            continue;
        }
        for (const auto& k : g.keys)
            if (k.name == key) fail(line_no, "key '" + key + "' given twice (first on line " + std::to_string(k.line) + ")");
        if (key == "out") fail(line_no, "--out cannot be swept: the sweep gives every run its own <DIR>/runs/<name>");
        if (key == "help") fail(line_no, "--help cannot be swept");
        if (value.empty()) fail(line_no, "key '" + key + "' has no values (write e.g. `" + key + " = 1, 2, 3`)");
        SweepKey sk;
        sk.name = key;
        sk.line = line_no;
        std::size_t i = 0;
        while (true) {
            std::size_t comma = value.find(',', i);
            std::string v = trim(value.substr(i, comma == std::string::npos ? std::string::npos : comma - i));
            if (v.empty())
                fail(line_no, "empty value in the list of '" + key + "' (two commas in a row, or a comma at an end)");
            for (char c : v)
                if (is_space(c)) fail(line_no, "value '" + v + "' of '" + key + "' contains a space (values are single words)");
            if (v.find_first_of("{}") != std::string::npos)
                fail(line_no, "value '" + v + "' of '" + key + "' contains a brace (braces mark placeholders in base)");
            if (v.rfind("--", 0) == 0)
                fail(line_no, "value '" + v + "' of '" + key + "' starts with \"--\" (it would read as an option)");
            for (const auto& prev : sk.values) {
                if (prev == v) fail(line_no, "value '" + v + "' appears twice in the list of '" + key + "'");
                if (sanitise(prev) == sanitise(v))
                    fail(line_no, "values '" + prev + "' and '" + v + "' of '" + key +
                                      "' give the same run name '" + sanitise(v) + "' (use letters, digits, ._+=-)");
            }
            sk.values.push_back(v);
            if (comma == std::string::npos) break;
            i = comma + 1;
        }
        g.keys.push_back(std::move(sk));
        unsigned long long runs = 1;  // <= kMaxRuns before each product, each factor < 2^20
        for (const auto& k : g.keys) {
            runs *= k.values.size();
            if (runs > kMaxRuns) break;
        }
        if (runs > kMaxRuns) {
            std::string prod;
            for (const auto& k : g.keys) prod += (prod.empty() ? "" : " x ") + std::to_string(k.values.size());
            fail(line_no, "the grid has more than " + std::to_string(kMaxRuns) + " runs (" + prod +
                              "): split it into several grids");
        }
    }

    if (!g.command_line) fail(0, "no `command = ...` line (e.g. `command = train`)");
    if (g.keys.empty()) fail(0, "nothing to sweep: add a line like `seed = 1, 2, 3` below `base = ...`");

    // Placeholders in base: each {name} names a swept key, which is then not passed as --name.
    for (const auto& t : g.base) {
        std::size_t i = 0;
        while (i < t.size()) {
            std::size_t open = t.find_first_of("{}", i);
            if (open == std::string::npos) break;
            if (t[open] == '}') fail(g.base_line, "'}' without '{' in '" + t + "'");
            std::size_t close = t.find_first_of("{}", open + 1);
            if (close == std::string::npos || t[close] == '{') fail(g.base_line, "'{' without '}' in '" + t + "'");
            const std::string name = t.substr(open + 1, close - open - 1);
            int k = g.key_index(name);
            if (k < 0) {
                std::string keys;
                for (const auto& sk : g.keys) keys += (keys.empty() ? "" : ", ") + sk.name;
                fail(g.base_line, "placeholder {" + name + "} names no swept key (keys: " + keys + ")");
            }
            g.keys[std::size_t(k)].placeholder = true;
            i = close + 1;
        }
    }
    // An option-mapped key must not also be given by base.
    for (const auto& k : g.keys) {
        if (k.placeholder) continue;
        for (const auto& t : g.base)
            if (t == "--" + k.name || t.rfind("--" + k.name + "=", 0) == 0)
                fail(k.line, "key '" + k.name + "' is passed as --" + k.name + ", but base (line " +
                                 std::to_string(g.base_line) + ") gives " + t +
                                 " too (remove it from base, or use a {" + k.name + "} placeholder)");
    }
    std::size_t name_len = 0;
    for (const auto& k : g.keys) {
        std::size_t longest = 0;
        for (const auto& v : k.values) longest = std::max(longest, v.size());
        name_len += k.name.size() + 1 + longest + 1;
    }
    if (name_len - 1 > kMaxNameLength)
        fail(0, "run names would be up to " + std::to_string(name_len - 1) + " characters long (limit " +
                    std::to_string(kMaxNameLength) + "): use shorter keys or values");
    return g;
}

std::string run_name(const std::vector<SweepKey>& keys, const std::vector<std::string>& values) {
    std::string name;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (i) name += ',';
        name += keys[i].name + "=" + values[i];
    }
    return sanitise(name);
}

Run make_run(const Grid& g, std::size_t index) {
    AELAB_REQUIRE(index < g.num_runs(), "run index out of range");
    Run r;
    r.index = index;
    r.values = g.values_of(index);
    r.name = run_name(g.keys, r.values);
    r.args.push_back(g.command);
    for (const auto& t : g.base) r.args.push_back(substitute(t, g, r.values));
    for (std::size_t i = 0; i < g.keys.size(); ++i) {
        if (g.keys[i].placeholder) continue;
        r.args.push_back("--" + g.keys[i].name);
        r.args.push_back(r.values[i]);
    }
    return r;
}

std::vector<Run> expand(const Grid& g) {
    std::vector<Run> runs;
    const std::size_t n = g.num_runs();
    runs.reserve(n);
    for (std::size_t i = 0; i < n; ++i) runs.push_back(make_run(g, i));
    return runs;
}

// ---- shards ---------------------------------------------------------------------------------------

Shard parse_shard(const std::string& text) {
    auto bad = [&](const std::string& why) -> void {
        throw Error("--shard '" + text + "': " + why + " (write I/N with 0 <= I < N, e.g. 0/4; shards are 0-based)");
    };
    std::size_t slash = text.find('/');
    if (slash == std::string::npos) bad("no '/'");
    auto number = [&](const std::string& s) -> std::size_t {
        if (s.empty() || s.size() > 6) bad("'" + s + "' is not a whole number up to 100000");
        std::size_t v = 0;
        for (char c : s) {
            if (c < '0' || c > '9') bad("'" + s + "' is not a whole number");
            v = v * 10 + std::size_t(c - '0');
        }
        return v;
    };
    Shard s;
    s.index = number(text.substr(0, slash));
    s.count = number(text.substr(slash + 1));
    if (s.count < 1 || s.count > 100000) bad("the shard count must be in 1..100000");
    if (s.index >= s.count) bad("the shard index must be below the count");
    return s;
}

std::vector<std::size_t> shard_runs(std::size_t total, const Shard& s) {
    std::vector<std::size_t> out;
    for (std::size_t i = s.index; i < total; i += s.count) out.push_back(i);
    return out;
}

// ---- help text --------------------------------------------------------------------------------------

std::vector<HelpOption> parse_help_options(const std::string& help_text) {
    std::vector<HelpOption> out;
    std::size_t pos = 0;
    while (pos < help_text.size()) {
        std::size_t nl = help_text.find('\n', pos);
        if (nl == std::string::npos) nl = help_text.size();
        const std::string line = help_text.substr(pos, nl - pos);
        pos = nl + 1;
        if (line.rfind("  --", 0) != 0) continue;
        std::size_t end = line.find(' ', 4);
        HelpOption o;
        o.name = line.substr(4, end == std::string::npos ? std::string::npos : end - 4);
        // "  --name ARG      help": one space then the placeholder; a flag has its help after
        // two or more spaces (or on the next line).
        o.takes_value = end != std::string::npos && end + 1 < line.size() && line[end + 1] != ' ';
        if (o.takes_value) o.arg = line.substr(end + 1, line.find(' ', end + 1) - (end + 1));
        if (!o.name.empty()) out.push_back(o);
    }
    return out;
}

std::vector<std::string> parse_usage_positionals(const std::string& help_text) {
    const std::string line = help_text.substr(0, help_text.find('\n'));
    std::vector<std::string> words;
    std::string cur;
    int depth = 0;
    for (char c : line + " ") {
        if (c == '[') ++depth;
        if (depth == 0 && c != ' ' && c != ']') cur += c;
        else if (!cur.empty()) {
            words.push_back(cur);
            cur.clear();
        }
        if (c == ']' && depth > 0) --depth;
    }
    // words: "usage:", "aelab", COMMAND, positionals...
    if (words.size() < 3 || words[0] != "usage:") return {};
    return std::vector<std::string>(words.begin() + 3, words.end());
}

// ---- marker ---------------------------------------------------------------------------------------------

std::string join_args(const std::vector<std::string>& args) {
    std::string s;
    for (const auto& a : args) s += (s.empty() ? "" : " ") + a;
    return s;
}

std::string marker_text(const std::vector<std::string>& args, int exit_code, double seconds,
                        const std::string& finished_iso) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f", seconds);
    return "args=" + join_args(args) + "\nexit=" + std::to_string(exit_code) + "\nseconds=" + buf +
           "\nfinished=" + finished_iso + "\n";
}

std::map<std::string, std::string> parse_marker(const std::string& text) {
    std::map<std::string, std::string> m;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t nl = text.find('\n', pos);
        if (nl == std::string::npos) nl = text.size();
        const std::string line = text.substr(pos, nl - pos);
        pos = nl + 1;
        std::size_t eq = line.find('=');
        if (eq == std::string::npos || eq == 0) continue;
        m[line.substr(0, eq)] = line.substr(eq + 1);
    }
    return m;
}

}  // namespace aelab::cli::sweep
