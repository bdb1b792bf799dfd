// The strict CSV reader (aelab/csv.hpp). Two passes over the bytes: the first tokenizes
// every row, checks shapes, limits and labels without storing cells; the second allocates
// the d x N matrix and converts the cells. Split and scaling work in double.
#include "aelab/csv.hpp"

#include "aelab/text.hpp"

#include <algorithm>
#include <cctype>
#include <cfloat>
#include <cmath>
#include <map>
#include <numeric>

namespace aelab {

namespace {

constexpr std::size_t kMaxFieldChars = 4096;  // longer fields are not numbers nor names
constexpr Index kMaxSkipRows = 1000;

std::string rc(Index row, Index col) {
    return "row " + std::to_string(static_cast<long long>(row)) + ", column " +
           std::to_string(static_cast<long long>(col));
}

std::string sep_name(char s) {
    return s == '\t' ? "tab" : s == ';' ? "semicolon" : "comma";
}

// The field text for messages: at most 40 characters, in quotes.
std::string shown(const std::string& t) {
    return "'" + (t.size() > 40 ? t.substr(0, 40) + "..." : t) + "'";
}

std::string hex_byte(unsigned char c) {
    const char* h = "0123456789abcdef";
    return std::string("0x") + h[c >> 4] + h[c & 15];
}

bool is_blank(char c, char sep) { return c == ' ' || (c == '\t' && sep != '\t'); }

// Reads records (rows) of fields from the bytes [p, end).
class Tokenizer {
public:
    Tokenizer(const char* p, const char* end, char sep, Index row) : p_(p), end_(end), sep_(sep), row_(row) {}

    Index row() const { return row_; }  // 1-based row of the record read last
    const char* pos() const { return p_; }

    // True when only blank lines (spaces, tabs, CR, LF) remain.
    bool only_blank_left() const {
        for (const char* q = p_; q < end_; ++q)
            if (*q != ' ' && *q != '\t' && *q != '\r' && *q != '\n') return false;
        return true;
    }

    // Reads the next record into `fields` (and each field's quotedness); false at the end.
    // Throws on an empty line inside the table and on malformed fields.
    bool next(std::vector<std::string>& fields, std::vector<char>& quoted) {
        fields.clear();
        quoted.clear();
        if (only_blank_left()) return false;
        ++row_;
        if (*p_ == '\n' || (*p_ == '\r' && p_ + 1 < end_ && p_[1] == '\n'))
            throw Error("row " + std::to_string(static_cast<long long>(row_)) +
                        " is empty (an empty line inside the table)");
        for (;;) {
            const Index col = Index(fields.size()) + 1;
            if (col > kCsvMaxColumns)
                throw Error("row " + std::to_string(static_cast<long long>(row_)) + " has more than " +
                            std::to_string(static_cast<long long>(kCsvMaxColumns)) + " fields (the limit)");
            fields.emplace_back();
            quoted.push_back(0);
            std::string& f = fields.back();
            while (p_ < end_ && is_blank(*p_, sep_)) ++p_;
            if (p_ < end_ && *p_ == '"') {
                quoted.back() = 1;
                read_quoted(f, col);
                while (p_ < end_ && is_blank(*p_, sep_)) ++p_;
                if (p_ < end_ && *p_ != sep_ && !at_line_end())
                    throw Error(rc(row_, col) + ": text after the closing quote");
            } else {
                read_plain(f, col);
            }
            if (p_ >= end_) return true;
            if (*p_ == sep_) {
                ++p_;
                continue;
            }
            // at_line_end(): consume LF or CRLF.
            if (*p_ == '\r') ++p_;
            ++p_;
            return true;
        }
    }

    // Skips one physical line (up to and including LF); false at the end of the bytes.
    bool skip_line() {
        if (p_ >= end_) return false;
        ++row_;
        while (p_ < end_ && *p_ != '\n') {
            check_char(*p_, row_, 0, p_ + 1 < end_ && p_[1] == '\n');  // 0: a skipped line has no columns
            ++p_;
        }
        if (p_ < end_) ++p_;
        return true;
    }

private:
    bool at_line_end() const {
        return *p_ == '\n' || (*p_ == '\r' && p_ + 1 < end_ && p_[1] == '\n');
    }

    // Control characters mark a binary file; CR is allowed only right before LF. col 0: the
    // place is a whole row (a skipped line).
    static void check_char(char ch, Index row, Index col, bool cr_ok) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x20 || c == '\t' || c == '\n' || (c == '\r' && cr_ok)) return;
        const std::string where = col > 0 ? rc(row, col) : "row " + std::to_string(static_cast<long long>(row));
        if (c == '\r')
            throw Error(where + ": a carriage return (CR) not followed by a line feed; rows end in LF or CRLF");
        throw Error(where + ": control character " + hex_byte(c) +
                    (c == 0 ? " (NUL): this is a binary file, not CSV" : " (a binary file?)"));
    }

    void grow(std::string& f, char c, Index col) {
        if (f.size() >= kMaxFieldChars)
            throw Error(rc(row_, col) + ": a field longer than " + std::to_string(kMaxFieldChars) + " characters");
        f.push_back(c);
    }

    void read_plain(std::string& f, Index col) {
        while (p_ < end_ && *p_ != sep_ && !at_line_end()) {
            const char c = *p_;
            if (c == '"')
                throw Error(rc(row_, col) + ": a quote inside an unquoted field (quote the whole field and "
                                            "double the quote: \"a \"\"b\"\"\")");
            check_char(c, row_, col, false);
            grow(f, c, col);
            ++p_;
        }
        while (!f.empty() && is_blank(f.back(), sep_)) f.pop_back();
    }

    void read_quoted(std::string& f, Index col) {
        const Index start_row = row_;
        ++p_;  // opening quote
        for (;;) {
            if (p_ >= end_)
                throw Error(rc(start_row, col) + ": the quote opened here is never closed");
            const char c = *p_;
            if (c == '"') {
                if (p_ + 1 < end_ && p_[1] == '"') {
                    grow(f, '"', col);
                    p_ += 2;
                    continue;
                }
                ++p_;
                return;
            }
            check_char(c, row_, col, p_ + 1 < end_ && p_[1] == '\n');
            grow(f, c, col);
            ++p_;
        }
    }

    const char* p_;
    const char* end_;
    char sep_;
    Index row_;
};

// The first of tab, semicolon, comma outside quotes on the first line (comma if none).
char detect_separator(const char* p, const char* end) {
    bool in_quotes = false, tab = false, semi = false;
    for (; p < end; ++p) {
        const char c = *p;
        if (c == '"') in_quotes = !in_quotes;
        else if (!in_quotes && c == '\n') break;
        else if (!in_quotes && c == '\t') tab = true;
        else if (!in_quotes && c == ';') semi = true;
    }
    return tab ? '\t' : semi ? ';' : ',';
}

std::string trim(const std::string& s) {
    size_t a = 0, b = s.size();
    while (a < b && (s[a] == ' ' || s[a] == '\t')) ++a;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t')) --b;
    return s.substr(a, b - a);
}

// A cell's number by the CSV grammar (one optional leading '+'); false if it is none.
bool cell_number(const std::string& raw, double* out) {
    std::string t = trim(raw);
    if (t.size() >= 2 && t[0] == '+' && t[1] != '+' && t[1] != '-') t.erase(0, 1);
    double x;
    if (!parse_decimal(t, &x)) return false;
    *out = x;
    return true;
}

// Why a cell is not a data value.
std::string bad_cell(const std::string& raw) {
    const std::string t = trim(raw);
    if (t.empty()) return "empty cell (every cell needs a number)";
    std::string lower;
    for (char c : t) lower.push_back(char(std::tolower(static_cast<unsigned char>(c))));
    if (!lower.empty() && (lower[0] == '+' || lower[0] == '-')) lower.erase(0, 1);
    if (lower == "nan" || lower == "inf" || lower == "infinity")
        return shown(t) + " is not a finite number (NaN and infinity are refused)";
    if (t.size() >= 2 && t[0] == '+' && (t[1] == '+' || t[1] == '-'))
        return shown(t) + " is not a number (at most one leading '+', and not before a sign)";
    double x;
    std::string u = t;
    if (u.size() >= 2 && u[0] == '+') u.erase(0, 1);
    if (is_decimal(u) && !parse_decimal(u, &x)) return shown(t) + " is too large for a double";
    if (t.find(',') != std::string::npos && t.find('.') == std::string::npos)
        return shown(t) + " is not a number (write a decimal point, not a decimal comma)";
    return shown(t) + " is not a number";
}

bool all_digits(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The label column (1-based), or 0 for none. `names` is the header (empty if none).
Index resolve_label(const std::string& spec_raw, Index ncols, const std::vector<std::string>& names,
                    bool has_header) {
    const std::string spec = trim(spec_raw);
    if (spec.empty() || spec == "none") return 0;
    if (spec == "last") return ncols;
    if (all_digits(spec)) {
        const long long v = spec.size() > 9 ? -1 : std::stoll(spec);
        if (v < 1 || v > ncols)
            throw Error("label column " + spec + " is out of range: the rows have " +
                        std::to_string(static_cast<long long>(ncols)) + " fields (columns are numbered from 1)");
        return Index(v);
    }
    if (!has_header)
        throw Error("label column '" + spec + "' is a name, but the file has no header row (give its 1-based index, or 'last')");
    Index found = 0;
    for (Index i = 0; i < Index(names.size()); ++i) {
        if (trim(names[std::size_t(i)]) != spec) continue;
        if (found)
            throw Error("label column '" + spec + "' is ambiguous: the header names columns " +
                        std::to_string(static_cast<long long>(found)) + " and " +
                        std::to_string(static_cast<long long>(i + 1)) + " so (give the index)");
        found = i + 1;
    }
    if (!found) {
        std::string list;
        for (std::size_t i = 0; i < names.size() && i < 12; ++i) list += (i ? ", " : "") + shown(trim(names[i]));
        if (names.size() > 12) list += ", ...";
        throw Error("no column named '" + spec + "' in the header (" + list + ")");
    }
    return found;
}

}  // namespace

CsvTable parse_csv(const std::uint8_t* data, std::size_t size, const CsvOptions& opt) {
    if (size > kCsvMaxBytes)
        throw Error("the file has " + std::to_string(size) + " bytes; the CSV limit is " +
                    std::to_string(kCsvMaxBytes >> 20) + " MiB");
    if (size == 0 || data == nullptr) throw Error("the file is empty");
    if (opt.skip_rows < 0 || opt.skip_rows > kMaxSkipRows)
        throw Error("skip rows must be in [0, " + std::to_string(static_cast<long long>(kMaxSkipRows)) + "]");
    if (opt.separator != 0 && opt.separator != ',' && opt.separator != ';' && opt.separator != '\t')
        throw Error("the separator must be a comma, a semicolon or a tab");
    const char* begin = reinterpret_cast<const char*>(data);
    const char* end = begin + size;
    if (size >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF) begin += 3;  // UTF-8 BOM

    Tokenizer skipper(begin, end, ',', 0);
    for (Index i = 0; i < opt.skip_rows; ++i)
        if (!skipper.skip_line()) break;
    const char* table_start = skipper.pos();
    const Index rows_before = skipper.row();
    CsvTable t;
    t.separator = opt.separator ? opt.separator : detect_separator(table_start, end);

    // ---- pass 1: shapes, header, label column, limits ----------------------------------
    Tokenizer tok(table_start, end, t.separator, rows_before);
    std::vector<std::string> fields, first;
    std::vector<char> quoted;
    if (!tok.next(first, quoted))
        throw Error(opt.skip_rows > 0 ? "the file holds no rows after the " + std::to_string(static_cast<long long>(opt.skip_rows)) +
                                            " skipped line(s)"
                                      : std::string("the file holds no rows (only blank lines)"));
    const Index max_rows = std::clamp<Index>(opt.max_rows, 2, kCsvMaxRows);
    const long long max_cells = std::clamp<long long>(opt.max_cells, 2, kCsvMaxCells);
    const Index ncols = Index(first.size());
    const Index first_row = tok.row();
    // Header detection needs the label column, which may need the header: a name means a header.
    const std::string spec = trim(opt.label_column);
    const bool label_by_name = !spec.empty() && spec != "none" && spec != "last" && !all_digits(spec);
    if (opt.header == CsvHeader::Yes) t.has_header = true;
    else if (opt.header == CsvHeader::No) t.has_header = false;
    else {  // a header when a field (other than a label column given by index) is not a number
        const Index lab = label_by_name ? 0 : resolve_label(spec, ncols, {}, false);
        double x;
        for (Index c = 0; c < ncols && !t.has_header; ++c)
            if (c + 1 != lab && !cell_number(first[std::size_t(c)], &x)) t.has_header = true;
    }
    if (label_by_name && !t.has_header)
        throw Error("label column '" + spec + "' is a name, but the file has no header row (give its 1-based index, or 'last')");
    t.label_column = resolve_label(spec, ncols, t.has_header ? first : std::vector<std::string>{}, t.has_header);
    t.labelled = t.label_column > 0;
    const Index d = ncols - (t.labelled ? 1 : 0);
    if (d < 1) throw Error("the table has no feature column (only the label column)");

    Index n = t.has_header ? 0 : 1;
    bool integer_labels = true;
    auto check_row = [&](const std::vector<std::string>& f, Index row) {
        if (Index(f.size()) != ncols)
            throw Error("row " + std::to_string(static_cast<long long>(row)) + " has " +
                        std::to_string(f.size()) + " fields, but row " + std::to_string(static_cast<long long>(first_row)) +
                        " has " + std::to_string(static_cast<long long>(ncols)) + " (" + sep_name(t.separator) +
                        "-separated; every row needs the same number of fields; lines above the table can be skipped)");
        if (t.labelled) {
            const std::string lab = trim(f[std::size_t(t.label_column - 1)]);
            if (lab.empty()) throw Error(rc(row, t.label_column) + ": empty label");
            if (!all_digits(lab)) integer_labels = false;
        }
    };
    if (!t.has_header) check_row(first, first_row);
    while (tok.next(fields, quoted)) {
        check_row(fields, tok.row());
        if (++n > max_rows)
            throw Error("the table has more than " + std::to_string(static_cast<long long>(max_rows)) +
                        " data rows (the limit)");
    }
    if (n < 2) throw Error("the table needs at least 2 data rows, it has " + std::to_string(static_cast<long long>(n)));
    if (static_cast<long long>(d) * static_cast<long long>(n) > max_cells)
        throw Error("the table has " + std::to_string(static_cast<long long>(n)) + " rows of " +
                    std::to_string(static_cast<long long>(d)) + " features = " + std::to_string(static_cast<long long>(d) * static_cast<long long>(n)) +
                    " numbers; the limit is " + std::to_string(max_cells));

    for (Index c = 1; c <= ncols; ++c) {
        if (c == t.label_column) {
            t.label_name = t.has_header ? trim(first[std::size_t(c - 1)]) : "column " + std::to_string(static_cast<long long>(c));
            continue;
        }
        t.feature_columns.push_back(c);
        t.feature_names.push_back(t.has_header ? trim(first[std::size_t(c - 1)])
                                               : "column " + std::to_string(static_cast<long long>(c)));
    }
    t.first_data_row = t.has_header ? first_row + 1 : first_row;

    // ---- pass 2: the cells ------------------------------------------------------------------
    t.X.resize(d, n);
    t.y.assign(std::size_t(n), 0);
    std::map<std::string, int> class_of;
    int max_label = -1;
    Tokenizer tok2(table_start, end, t.separator, rows_before);
    if (t.has_header) tok2.next(fields, quoted);
    for (Index j = 0; j < n; ++j) {
        tok2.next(fields, quoted);
        const Index row = tok2.row();
        Index i = 0;
        for (Index c = 1; c <= ncols; ++c) {
            const std::string& cell = fields[std::size_t(c - 1)];
            if (c == t.label_column) {
                const std::string lab = trim(cell);
                if (integer_labels) {
                    const long long v = lab.size() > 9 ? kCsvMaxLabel + 1LL : std::stoll(lab);
                    if (v > kCsvMaxLabel)
                        throw Error(rc(row, c) + ": label " + shown(lab) + " is too large (integer labels are 0.." +
                                    std::to_string(kCsvMaxLabel) + ")");
                    t.y[std::size_t(j)] = int(v);
                    max_label = std::max(max_label, int(v));
                } else {
                    auto it = class_of.find(lab);
                    if (it == class_of.end()) {
                        if (int(class_of.size()) >= kCsvMaxClasses)
                            throw Error(rc(row, c) + ": more than " + std::to_string(kCsvMaxClasses) +
                                        " distinct labels; is this really the label column?");
                        it = class_of.emplace(lab, int(class_of.size())).first;
                        t.class_names.push_back(lab);
                    }
                    t.y[std::size_t(j)] = it->second;
                }
                continue;
            }
            double x;
            if (!cell_number(cell, &x)) throw Error(rc(row, c) + ": " + bad_cell(cell));
            if (std::abs(x) > double(FLT_MAX))
                throw Error(rc(row, c) + ": " + shown(trim(cell)) + " is too large for a float (|x| <= 3.4e38)");
            t.X(i++, j) = static_cast<float>(x);
        }
    }
    if (t.labelled && integer_labels) {
        t.num_classes = max_label + 1;
        for (int k = 0; k < t.num_classes; ++k) t.class_names.push_back(std::to_string(k));
    } else if (t.labelled) {
        t.num_classes = int(t.class_names.size());
    }
    return t;
}

Scaling parse_scaling(const std::string& name) {
    if (name == "none") return Scaling::None;
    if (name == "minmax") return Scaling::MinMax;
    if (name == "standard") return Scaling::Standard;
    throw Error("unknown scaling '" + name + "' (valid: minmax, standard, none)");
}

const char* scaling_name(Scaling s) {
    return s == Scaling::MinMax ? "minmax" : s == Scaling::Standard ? "standard" : "none";
}

CsvDataset split_and_scale(const CsvTable& t, const SplitOptions& o, const std::string& name) {
    const Index d = t.X.rows(), N = t.X.cols();
    AELAB_REQUIRE(N >= 2 && d >= 1, "split: the table needs at least 2 rows and 1 feature");
    AELAB_REQUIRE(Index(t.y.size()) == N, "split: one label per row needed");
    AELAB_REQUIRE(std::isfinite(o.test_fraction) && o.test_fraction > 0.0 && o.test_fraction < 1.0,
                  "the test fraction must be in (0, 1), got " + format_number(o.test_fraction));
    const int C = std::max(1, t.num_classes);
    for (int v : t.y) AELAB_REQUIRE(v >= 0 && v < C, "split: a label is outside [0, num_classes)");

    // ---- seeded, stratified split --------------------------------------------------------
    const Index n_test = std::clamp<Index>(Index(std::llround(o.test_fraction * double(N))), 1, N - 1);
    std::vector<std::vector<Index>> members(std::size_t(t.labelled ? C : 1));
    for (Index j = 0; j < N; ++j) members[t.labelled ? std::size_t(t.y[std::size_t(j)]) : 0].push_back(j);
    const std::size_t K = members.size();
    std::vector<Index> take(K);
    std::vector<double> rem(K);
    Index assigned = 0;
    for (std::size_t k = 0; k < K; ++k) {
        const double q = double(n_test) * double(members[k].size()) / double(N);
        take[k] = Index(std::floor(q));
        rem[k] = q - double(take[k]);
        assigned += take[k];
    }
    std::vector<std::size_t> order(K);
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return rem[a] > rem[b]; });
    for (std::size_t r = 0; assigned < n_test && r < K; ++r) {
        const std::size_t k = order[r];
        if (take[k] < Index(members[k].size())) {
            ++take[k];
            ++assigned;
        }
    }
    Rng rng(o.seed, 0x637376);  // stream "csv"
    std::vector<char> is_test(std::size_t(N), 0);
    for (std::size_t k = 0; k < K; ++k) {
        std::vector<Index> m = members[k];
        rng.shuffle(m);
        for (Index i = 0; i < take[k]; ++i) is_test[std::size_t(m[std::size_t(i)])] = 1;
    }

    CsvDataset out;
    for (Index j = 0; j < N; ++j) (is_test[std::size_t(j)] ? out.test_rows : out.train_rows).push_back(j);

    // ---- scaling fitted on the training split ----------------------------------------------
    FeatureScaling& s = out.scaling;
    s.kind = o.scaling;
    s.shift = VecD::Zero(d);
    s.scale = VecD::Ones(d);
    const double ntr = double(out.train_rows.size());
    for (Index i = 0; i < d && o.scaling != Scaling::None; ++i) {
        if (o.scaling == Scaling::MinMax) {
            double lo = INFINITY, hi = -INFINITY;
            for (Index j : out.train_rows) {
                lo = std::min(lo, double(t.X(i, j)));
                hi = std::max(hi, double(t.X(i, j)));
            }
            s.shift(i) = lo;
            s.scale(i) = hi > lo ? hi - lo : 1.0;
        } else {
            double mean = 0, ss = 0;
            for (Index j : out.train_rows) mean += double(t.X(i, j));
            mean /= ntr;
            for (Index j : out.train_rows) ss += (double(t.X(i, j)) - mean) * (double(t.X(i, j)) - mean);
            const double sd = std::sqrt(ss / ntr);
            s.shift(i) = mean;
            s.scale(i) = sd > 0 ? sd : 1.0;
        }
    }
    auto make = [&](const std::vector<Index>& rows, const std::string& suffix) {
        Dataset ds;
        ds.name = name + suffix;
        ds.num_classes = t.labelled ? C : 1;
        ds.X.resize(d, Index(rows.size()));
        ds.y.resize(rows.size());
        for (std::size_t k = 0; k < rows.size(); ++k) {
            const Index j = rows[k];
            ds.y[k] = t.y[std::size_t(j)];
            for (Index i = 0; i < d; ++i) {
                const double v = (double(t.X(i, j)) - s.shift(i)) / s.scale(i);
                if (!(std::abs(v) <= double(FLT_MAX)))
                    throw Error(rc(t.first_data_row + j, t.feature_columns[std::size_t(i)]) + ": scaled (" +
                                scaling_name(s.kind) + ", fitted on the training rows) to " + format_number(v) +
                                ", which does not fit a float; try another scaling");
                ds.X(i, Index(k)) = static_cast<float>(v);
            }
        }
        return ds;
    };
    out.train = make(out.train_rows, "-train");
    out.test = make(out.test_rows, "-test");
    for (Index& r : out.train_rows) r += t.first_data_row;
    for (Index& r : out.test_rows) r += t.first_data_row;
    out.feature_names = t.feature_names;
    out.class_names = t.class_names;
    static_cast<CsvInfo&>(out.info) = t;  // the metadata only (not another copy of the cells)
    return out;
}

CsvDataset load_csv_dataset(const std::uint8_t* data, std::size_t size, const CsvOptions& csv,
                            const SplitOptions& split, const std::string& name) {
    return split_and_scale(parse_csv(data, size, csv), split, name);
}

}  // namespace aelab
