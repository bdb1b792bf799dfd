// native/cli/args.hpp — strict command-line options for the aelab CLI.
//
// What: each command declares its options (name, value placeholder or flag, help line);
// Options::parse() accepts `--name value`, `--name=value` and flags, and rejects unknown
// options (with a "did you mean" hint), repeated options and missing values. Typed
// getters check the text strictly (a whole finite number in decimal notation, as in 0.001,
// 1e-3, -2.5 or .5; hex such as 0x10, inf, nan, "1e" and a leading '+' are refused; an
// integer; a range; a choice)
// and throw UsageError with a message naming the option, the value and the valid range.
// Why: every option is validated before any data is loaded or any file is written.
// Usage:
//     Options o("train", {{"lr", "X", "learning rate"}, {"tied", nullptr, "tie weights"}});
//     o.parse(argc, argv, 2);
//     double lr = o.real("lr", 1e-3, 0.0, 1e4, /*lo_open=*/true);
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace aelab::cli {

// Bad command line: printed with the command's usage hint, exit code 2.
class UsageError : public std::runtime_error {
public:
    explicit UsageError(const std::string& what) : std::runtime_error(what) {}
};

struct OptDef {
    const char* name;  // without the leading "--"
    const char* arg;   // value placeholder ("N", "X"...), or nullptr for a flag
    const char* help;
};

class Options {
public:
    Options(std::string command, std::vector<OptDef> defs);

    // Parses argv[first..argc). Throws UsageError.
    void parse(int argc, char** argv, int first);

    bool has(const std::string& name) const;  // given on the command line
    bool help_requested() const { return help_; }  // --help / -h seen (other checks skipped)
    const std::vector<std::string>& positional() const { return positional_; }

    std::string str(const std::string& name, const std::string& def) const;
    // One of `choices` (exact match); the error lists the valid choices.
    std::string choice(const std::string& name, const std::string& def,
                       const std::vector<std::string>& choices) const;
    // A whole finite number in [lo, hi] (or (lo, hi] when lo_open).
    double real(const std::string& name, double def, double lo, double hi, bool lo_open = false) const;
    // An integer in [lo, hi]; "5e4" is accepted when it is an exact integer.
    long long integer(const std::string& name, long long def, long long lo, long long hi) const;
    // Comma-separated integers, each in [lo, hi], at least one.
    std::vector<long long> int_list(const std::string& name, const std::vector<long long>& def,
                                    long long lo, long long hi) const;

    std::string help() const;  // the option list, one per line
    const std::string& command() const { return command_; }

private:
    const OptDef* find(const std::string& name) const;
    std::string raw(const std::string& name) const;

    std::string command_;
    std::vector<OptDef> defs_;
    std::vector<std::pair<std::string, std::string>> given_;  // name -> value ("" for flags)
    std::vector<std::string> positional_;
    bool help_ = false;
};

// Parse helpers shared with other code (throw UsageError mentioning `what`).
double parse_real(const std::string& text, const std::string& what);
long long parse_integer(const std::string& text, const std::string& what);

}  // namespace aelab::cli
