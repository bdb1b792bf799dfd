// aelab/text.hpp — the one number grammar of every text aelab reads from users.
//
// What: parse_decimal() accepts decimal notation only,
//     -?(digits[.digits] | .digits)([eE][+-]?digits)?
// with a finite value, and nothing else; format_number() writes a double in the shortest of
// %.15g / %.16g / %.17g that parse_decimal reads back as exactly the same value.
// Why: strtod alone also takes hex ("0x10" = 16, "0x1p-3"), "inf", "nan", "infinity" and
// leading spaces, so `--lr 0x10` trained with lr 16. The page's URL queries and the CLI's
// options share this grammar (one spelling per number; a leading '+' is refused: in a URL it
// is a space), and a number written back into a URL reproduces the run bit for bit.
// Usage:
//     double lr;
//     if (!aelab::parse_decimal("3e-4", &lr)) ...;   // refused: "0x10", "inf", "1e", "+1", " 1"
//     std::string s = aelab::format_number(0.1);     // "0.1"; 1.0/3 -> "0.3333333333333333"
#pragma once

#include <string>

namespace aelab {

// True when `text` is written in decimal notation (the grammar above; its value may still
// overflow a double, e.g. "1e999").
bool is_decimal(const std::string& text);
// True and *out = the value when `text` is a finite number in decimal notation; false (and
// *out untouched) otherwise, including values that overflow a double ("1e999").
bool parse_decimal(const std::string& text, double* out);

// The shortest exact decimal form of a finite x (see above).
std::string format_number(double x);

}  // namespace aelab
