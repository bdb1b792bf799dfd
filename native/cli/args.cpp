#include "args.hpp"

#include "aelab/text.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace aelab::cli {

namespace {

std::string fmt(double v) {
    std::ostringstream o;
    o << v;
    return o.str();
}

size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

}  // namespace

double parse_real(const std::string& text, const std::string& what) {
    // Decimal notation only (aelab/text.hpp: no hex, inf, nan or leading '+').
    if (!is_decimal(text))
        throw UsageError(what + ": '" + text + "' is not a number (write decimal numbers such as 0.001, 1e-3, 250)");
    double v = 0;
    if (!parse_decimal(text, &v)) throw UsageError(what + ": '" + text + "' is beyond the range of a double");
    return v;
}

long long parse_integer(const std::string& text, const std::string& what) {
    double v = parse_real(text, what);
    if (v != std::floor(v)) throw UsageError(what + ": '" + text + "' is not an integer");
    if (std::fabs(v) > 9.0e15) throw UsageError(what + ": '" + text + "' is too large");
    return static_cast<long long>(v);
}

Options::Options(std::string command, std::vector<OptDef> defs)
    : command_(std::move(command)), defs_(std::move(defs)) {}

const OptDef* Options::find(const std::string& name) const {
    for (const auto& d : defs_)
        if (name == d.name) return &d;
    return nullptr;
}

void Options::parse(int argc, char** argv, int first) {
    for (int i = first; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--") break;
        if (a == "--help" || a == "-h") {
            help_ = true;  // print the command's help and nothing else
            return;
        }
    }
    bool only_positional = false;
    for (int i = first; i < argc; ++i) {
        std::string a = argv[i];
        if (only_positional) {
            positional_.push_back(a);
            continue;
        }
        if (a == "--") {
            only_positional = true;
            continue;
        }
        if (a == "--help" || a == "-h") {
            help_ = true;
            continue;
        }
        if (a.size() >= 2 && a[0] == '-' && a[1] != '-' && !std::isdigit(static_cast<unsigned char>(a[1])) &&
            a[1] != '.')
            throw UsageError("unknown option '" + a + "' (options start with two dashes, e.g. --help)");
        if (a.size() < 3 || a[0] != '-' || a[1] != '-') {
            positional_.push_back(a);
            continue;
        }
        std::string name = a.substr(2), value;
        bool inline_value = false;
        auto eq = name.find('=');
        if (eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
            inline_value = true;
        }
        const OptDef* d = find(name);
        if (!d) {
            std::string best;
            size_t bd = 3;
            for (const auto& o : defs_) {
                size_t e = edit_distance(name, o.name);
                if (e < bd) { bd = e; best = o.name; }
            }
            throw UsageError("unknown option --" + name + " for 'aelab " + command_ + "'" +
                             (best.empty() ? "" : " (did you mean --" + best + "?)"));
        }
        for (const auto& g : given_)
            if (g.first == name) throw UsageError("option --" + name + " given twice");
        if (d->arg) {
            if (!inline_value) {
                if (i + 1 >= argc) throw UsageError("option --" + name + " needs a value (" + d->arg + ")");
                value = argv[++i];
            }
        } else if (inline_value) {
            throw UsageError("option --" + name + " is a flag and takes no value");
        }
        given_.emplace_back(name, value);
    }
}

bool Options::has(const std::string& name) const {
    for (const auto& g : given_)
        if (g.first == name) return true;
    return false;
}

std::string Options::raw(const std::string& name) const {
    for (const auto& g : given_)
        if (g.first == name) return g.second;
    return {};
}

std::string Options::str(const std::string& name, const std::string& def) const {
    if (!has(name)) return def;
    std::string v = raw(name);
    if (v.empty()) throw UsageError("--" + name + ": empty value");
    return v;
}

std::string Options::choice(const std::string& name, const std::string& def,
                            const std::vector<std::string>& choices) const {
    std::string v = str(name, def);
    for (const auto& c : choices)
        if (v == c) return v;
    std::string list;
    for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
    throw UsageError("--" + name + ": '" + v + "' is not one of " + list);
}

double Options::real(const std::string& name, double def, double lo, double hi, bool lo_open) const {
    if (!has(name)) return def;
    double v = parse_real(raw(name), "--" + name);
    if ((lo_open ? !(v > lo) : !(v >= lo)) || !(v <= hi))
        throw UsageError("--" + name + ": " + raw(name) + " is out of range (must be " + (lo_open ? "> " : ">= ") +
                         fmt(lo) + " and <= " + fmt(hi) + ")");
    return v;
}

long long Options::integer(const std::string& name, long long def, long long lo, long long hi) const {
    if (!has(name)) return def;
    long long v = parse_integer(raw(name), "--" + name);
    if (v < lo || v > hi)
        throw UsageError("--" + name + ": " + raw(name) + " is out of range (must be in " + std::to_string(lo) +
                         ".." + std::to_string(hi) + ")");
    return v;
}

std::vector<long long> Options::int_list(const std::string& name, const std::vector<long long>& def,
                                         long long lo, long long hi) const {
    if (!has(name)) return def;
    std::vector<long long> out;
    std::string text = raw(name), item;
    std::stringstream ss(text);
    while (std::getline(ss, item, ',')) {
        long long v = parse_integer(item, "--" + name);
        if (v < lo || v > hi)
            throw UsageError("--" + name + ": " + item + " is out of range (each must be in " + std::to_string(lo) +
                             ".." + std::to_string(hi) + ")");
        out.push_back(v);
    }
    if (out.empty() || text.back() == ',') throw UsageError("--" + name + ": '" + text + "' is not a list like 2,5,10");
    return out;
}

std::string Options::help() const {
    std::string out;
    for (const auto& d : defs_) {
        std::string left = std::string("  --") + d.name + (d.arg ? std::string(" ") + d.arg : "");
        if (left.size() < 26) left.resize(26, ' ');
        else left += "\n" + std::string(26, ' ');
        out += left + d.help + "\n";
    }
    return out;
}

}  // namespace aelab::cli
