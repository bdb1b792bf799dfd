#include "sweep_table.hpp"

#include "aelab/common.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace aelab::cli::sweep {

namespace {

// ---- a small strict JSON reader (a DOM: metrics files are a few kB) ----------------------------------

struct Node {
    enum class Type { Null, Bool, Number, String, Array, Object } type = Type::Null;
    std::string text;  // number text or decoded string
    std::vector<std::pair<std::string, Node>> members;
    std::vector<Node> items;
    const Node* get(const std::string& key) const {
        for (const auto& m : members)
            if (m.first == key) return &m.second;
        return nullptr;
    }
};

class Reader {
public:
    explicit Reader(const std::string& s) : s_(s) {}

    Node document() {
        ws();
        Node n = value(0);
        ws();
        if (i_ != s_.size()) fail("unexpected text after the JSON value");
        return n;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw Error("metrics JSON: " + what + " (at byte " + std::to_string(i_) + ")");
    }
    void ws() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
    }
    bool eat(char c) {
        if (i_ < s_.size() && s_[i_] == c) {
            ++i_;
            return true;
        }
        return false;
    }
    void literal(const char* word) {
        for (const char* p = word; *p; ++p)
            if (!eat(*p)) fail(std::string("bad literal (expected ") + word + ")");
    }
    Node value(int depth) {
        if (depth > 64) fail("nested deeper than 64 levels");
        if (i_ >= s_.size()) fail("unexpected end of the text");
        Node n;
        const char c = s_[i_];
        if (c == '{') {
            n.type = Node::Type::Object;
            ++i_;
            ws();
            if (eat('}')) return n;
            while (true) {
                ws();
                if (i_ >= s_.size() || s_[i_] != '"') fail("expected a member name in quotes");
                std::string key = string();
                ws();
                if (!eat(':')) fail("expected ':' after a member name");
                ws();
                n.members.emplace_back(std::move(key), value(depth + 1));
                ws();
                if (eat('}')) return n;
                if (!eat(',')) fail("expected ',' or '}' in an object");
            }
        }
        if (c == '[') {
            n.type = Node::Type::Array;
            ++i_;
            ws();
            if (eat(']')) return n;
            while (true) {
                ws();
                n.items.push_back(value(depth + 1));
                ws();
                if (eat(']')) return n;
                if (!eat(',')) fail("expected ',' or ']' in an array");
            }
        }
        if (c == '"') {
            n.type = Node::Type::String;
            n.text = string();
            return n;
        }
        if (c == 't' || c == 'f') {
            n.type = Node::Type::Bool;
            literal(c == 't' ? "true" : "false");
            n.text = c == 't' ? "1" : "0";
            return n;
        }
        if (c == 'n') {
            literal("null");
            return n;
        }
        n.type = Node::Type::Number;
        n.text = number();
        return n;
    }
    static bool digit(char c) { return c >= '0' && c <= '9'; }
    std::string number() {
        const std::size_t a = i_;
        eat('-');
        if (eat('0')) {
        } else if (i_ < s_.size() && digit(s_[i_])) {
            while (i_ < s_.size() && digit(s_[i_])) ++i_;
        } else {
            fail("expected a value");
        }
        if (eat('.')) {
            if (i_ >= s_.size() || !digit(s_[i_])) fail("expected digits after '.'");
            while (i_ < s_.size() && digit(s_[i_])) ++i_;
        }
        if (eat('e') || eat('E')) {
            if (!eat('+')) eat('-');
            if (i_ >= s_.size() || !digit(s_[i_])) fail("expected digits in an exponent");
            while (i_ < s_.size() && digit(s_[i_])) ++i_;
        }
        return s_.substr(a, i_ - a);
    }
    unsigned hex4() {
        if (i_ + 4 > s_.size()) fail("truncated \\u escape");
        unsigned v = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = s_[i_++];
            v <<= 4;
            if (digit(c)) v |= unsigned(c - '0');
            else if (c >= 'a' && c <= 'f') v |= unsigned(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') v |= unsigned(c - 'A' + 10);
            else fail("bad hex digit in a \\u escape");
        }
        return v;
    }
    static void utf8(std::string& out, unsigned cp) {
        if (cp < 0x80) {
            out += char(cp);
        } else if (cp < 0x800) {
            out += char(0xC0 | (cp >> 6));
            out += char(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += char(0xE0 | (cp >> 12));
            out += char(0x80 | ((cp >> 6) & 0x3F));
            out += char(0x80 | (cp & 0x3F));
        } else {
            out += char(0xF0 | (cp >> 18));
            out += char(0x80 | ((cp >> 12) & 0x3F));
            out += char(0x80 | ((cp >> 6) & 0x3F));
            out += char(0x80 | (cp & 0x3F));
        }
    }
    std::string string() {
        ++i_;  // opening quote
        std::string out;
        while (true) {
            if (i_ >= s_.size()) fail("unterminated string");
            const char c = s_[i_++];
            if (c == '"') return out;
            if (static_cast<unsigned char>(c) < 0x20) fail("control character inside a string");
            if (c != '\\') {
                out += c;
                continue;
            }
            if (i_ >= s_.size()) fail("unterminated escape");
            const char e = s_[i_++];
            switch (e) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    unsigned cp = hex4();
                    if (cp >= 0xD800 && cp < 0xDC00 && i_ + 6 <= s_.size() && s_[i_] == '\\' && s_[i_ + 1] == 'u') {
                        i_ += 2;
                        unsigned lo = hex4();
                        cp = (lo >= 0xDC00 && lo < 0xE000) ? 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00) : 0xFFFD;
                    } else if (cp >= 0xD800 && cp < 0xE000) {
                        cp = 0xFFFD;  // a lone surrogate
                    }
                    utf8(out, cp);
                    break;
                }
                default: fail(std::string("bad escape \\") + e);
            }
        }
    }

    const std::string& s_;
    std::size_t i_ = 0;
};

void flatten(const Node& n, const std::string& path, std::vector<Metric>& out) {
    switch (n.type) {
        case Node::Type::Number: out.push_back({path, n.text}); break;
        case Node::Type::Null: out.push_back({path, ""}); break;
        case Node::Type::Object:
            for (const auto& m : n.members) flatten(m.second, path.empty() ? m.first : path + "." + m.first, out);
            break;
        case Node::Type::Array: {
            // Arrays of plain numbers (curves, lists of k) are not metrics. Items of arrays of
            // objects are named by their "model" / "row" / "name" member when that is unique.
            bool scalars = true;
            for (const auto& it : n.items)
                scalars = scalars && (it.type == Node::Type::Number || it.type == Node::Type::Null);
            if (scalars) break;
            std::vector<std::string> labels;
            for (std::size_t i = 0; i < n.items.size(); ++i) {
                std::string label;
                for (const char* k : {"model", "row", "name"}) {
                    const Node* v = n.items[i].get(k);
                    if (label.empty() && v && v->type == Node::Type::String && !v->text.empty()) label = v->text;
                }
                labels.push_back(label);
            }
            for (std::size_t i = 0; i < labels.size(); ++i) {
                bool unique = !labels[i].empty() && labels[i].find('.') == std::string::npos;
                for (std::size_t j = 0; j < labels.size() && unique; ++j) unique = j == i || labels[j] != labels[i];
                const std::string label = unique ? labels[i] : std::to_string(i);
                flatten(n.items[i], path.empty() ? label : path + "." + label, out);
            }
            break;
        }
        default: break;  // strings and booleans are not metrics
    }
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string text_of(const Metrics& m, const std::string& name) {
    for (const auto& v : m.values)
        if (v.name == name) return v.text;
    return {};
}

// `digits` significant digits, but whole numbers (no exponent) from 10^digits up to 10^12.
std::string fmt(int digits, double v) {
    char buf[48];
    if (std::fabs(v) >= std::pow(10.0, digits) && std::fabs(v) < 1e12) std::snprintf(buf, sizeof buf, "%.0f", v);
    else std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    return buf;
}

std::size_t display_width(const std::string& s) {
    std::size_t w = 0;
    for (unsigned char c : s) w += (c & 0xC0) != 0x80;  // count UTF-8 code points
    return w;
}

std::string md_cell(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '|') out += '\\';
        out += c;
    }
    return out;
}

}  // namespace

Metrics read_metrics(const std::string& json_text) {
    if (json_text.size() > (std::size_t(16) << 20)) throw Error("metrics JSON: larger than 16 MB");
    Reader r(json_text);
    Node doc = r.document();
    if (doc.type != Node::Type::Object) throw Error("metrics JSON: the document is not an object");
    Metrics m;
    if (const Node* st = doc.get("status"); st && st->type == Node::Type::String) m.status = st->text;
    const Node* fin = doc.get("final");
    if (fin && fin->type == Node::Type::Object) {
        flatten(*fin, "", m.values);
    } else {
        for (const auto& mem : doc.members)
            if (mem.first != "config" && mem.first != "data") flatten(mem.second, mem.first, m.values);
    }
    return m;
}

std::vector<std::string> metric_names(const std::vector<RunRow>& rows) {
    std::vector<std::string> names;
    for (const auto& r : rows)
        for (const auto& v : r.metrics.values) {
            bool seen = false;
            for (const auto& n : names) seen = seen || n == v.name;
            if (!seen) names.push_back(v.name);
        }
    return names;
}

std::string sweep_csv(const std::vector<std::string>& keys, const std::vector<RunRow>& rows) {
    const std::vector<std::string> names = metric_names(rows);
    std::string out;
    for (const auto& k : keys) out += csv_field(k) + ",";
    out += "status";
    for (const auto& n : names) out += "," + csv_field(n);
    out += "\n";
    for (const auto& r : rows) {
        for (const auto& v : r.swept) out += csv_field(v) + ",";
        out += csv_field(r.metrics.status);
        for (const auto& n : names) out += "," + csv_field(text_of(r.metrics, n));
        out += "\n";
    }
    return out;
}

std::string sweep_markdown(const std::vector<std::string>& keys, const std::vector<RunRow>& rows,
                           const std::vector<std::string>& metrics, std::size_t total_runs) {
    const std::vector<std::string> names = metric_names(rows);
    int seed = -1;
    for (std::size_t i = 0; i < keys.size(); ++i)
        if (keys[i] == "seed") seed = int(i);

    // Columns: the metrics asked for, or those that differ between runs; constants go below.
    std::vector<std::string> cols, constants;
    if (!metrics.empty()) {
        for (const auto& m : metrics) {
            bool known = false;
            for (const auto& n : names) known = known || n == m;
            if (!known) {
                std::string list;
                for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
                throw Error("no metric '" + m + "' in the runs' metrics (known: " + (list.empty() ? "none" : list) + ")");
            }
            cols.push_back(m);
        }
    } else {
        for (const auto& n : names) {
            const std::string first = rows.empty() ? std::string() : text_of(rows[0].metrics, n);
            bool same = true;
            for (const auto& r : rows) same = same && text_of(r.metrics, n) == first;
            if (!same) cols.push_back(n);
            else if (!first.empty()) constants.push_back(n + " " + first);
        }
    }

    // Groups over the non-seed keys, in the order they first appear.
    struct Group {
        std::vector<std::string> values;
        std::vector<std::size_t> rows;
    };
    std::vector<Group> groups;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        std::vector<std::string> v;
        for (std::size_t k = 0; k < keys.size(); ++k)
            if (int(k) != seed) v.push_back(rows[r].swept[k]);
        Group* g = nullptr;
        for (auto& x : groups)
            if (x.values == v) g = &x;
        if (!g) {
            groups.push_back({v, {}});
            g = &groups.back();
        }
        g->rows.push_back(r);
    }

    std::vector<std::vector<std::string>> table;
    std::vector<std::string> head;
    for (std::size_t k = 0; k < keys.size(); ++k)
        if (int(k) != seed) head.push_back(keys[k]);
    head.push_back(seed >= 0 ? "seeds" : "runs");
    for (const auto& c : cols) head.push_back(c);
    table.push_back(head);
    for (const auto& g : groups) {
        std::vector<std::string> row = g.values;
        row.push_back(std::to_string(g.rows.size()));
        for (const auto& c : cols) {
            std::vector<double> xs;
            for (std::size_t r : g.rows) {
                const std::string t = text_of(rows[r].metrics, c);
                if (!t.empty()) xs.push_back(std::strtod(t.c_str(), nullptr));
            }
            std::string cell;
            if (xs.empty()) {
                cell = "–";
            } else {
                double mean = 0;
                for (double x : xs) mean += x;
                mean /= double(xs.size());
                cell = fmt(4, mean);
                if (xs.size() > 1) {
                    double ss = 0;
                    for (double x : xs) ss += (x - mean) * (x - mean);
                    cell += " ± " + fmt(2, std::sqrt(ss / double(xs.size() - 1)));
                }
                if (xs.size() != g.rows.size()) cell += " (n=" + std::to_string(xs.size()) + ")";
            }
            row.push_back(cell);
        }
        table.push_back(row);
    }

    std::vector<std::size_t> width(head.size(), 3);
    for (auto& row : table)
        for (std::size_t j = 0; j < row.size(); ++j) {
            row[j] = md_cell(row[j]);
            width[j] = std::max(width[j], display_width(row[j]));
        }
    const std::size_t numeric_from = head.size() - cols.size() - 1;  // seeds and metrics: right-aligned
    std::string out;
    for (std::size_t i = 0; i < table.size(); ++i) {
        out += "|";
        for (std::size_t j = 0; j < table[i].size(); ++j) {
            const std::string pad(width[j] - display_width(table[i][j]), ' ');
            out += " " + (j >= numeric_from && i > 0 ? pad + table[i][j] : table[i][j] + pad) + " |";
        }
        out += "\n";
        if (i == 0) {
            out += "|";
            for (std::size_t j = 0; j < head.size(); ++j)
                out += (j >= numeric_from ? std::string(width[j] + 1, '-') + ":" : std::string(width[j] + 2, '-')) + "|";
            out += "\n";
        }
    }
    out += "\n" + std::to_string(rows.size()) + " of " + std::to_string(total_runs) + " runs finished";
    out += seed >= 0 ? "; cells are mean ± sample standard deviation over seeds.\n" : ".\n";
    if (!constants.empty()) {
        out += "Same in every run:";
        for (std::size_t i = 0; i < constants.size(); ++i) out += (i ? ", " : " ") + constants[i];
        out += ".\n";
    }
    std::string odd;
    for (const auto& r : rows)
        if (r.metrics.status != "completed" && !r.metrics.status.empty()) {
            std::string name;
            for (std::size_t k = 0; k < keys.size(); ++k) name += (k ? "," : "") + keys[k] + "=" + r.swept[k];
            odd += (odd.empty() ? "" : ", ") + name + " (" + r.metrics.status + ")";
        }
    if (!odd.empty()) out += "Not completed: " + odd + ".\n";
    return out;
}

}  // namespace aelab::cli::sweep
