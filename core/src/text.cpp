#include "aelab/text.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace aelab {

bool is_decimal(const std::string& v) {
    size_t i = 0;
    const size_t n = v.size();
    auto digits = [&]() {
        const size_t start = i;
        while (i < n && v[i] >= '0' && v[i] <= '9') ++i;
        return i - start;
    };
    if (i < n && v[i] == '-') ++i;
    size_t mantissa = digits();
    if (i < n && v[i] == '.') {
        ++i;
        mantissa += digits();
    }
    if (mantissa == 0) return false;
    if (i < n && (v[i] == 'e' || v[i] == 'E')) {
        ++i;
        if (i < n && (v[i] == '+' || v[i] == '-')) ++i;
        if (digits() == 0) return false;
    }
    return i == n;
}

bool parse_decimal(const std::string& v, double* out) {
    if (!is_decimal(v)) return false;
    char* end = nullptr;
    const double x = std::strtod(v.c_str(), &end);
    if (end != v.c_str() + v.size() || !std::isfinite(x)) return false;
    *out = x;
    return true;
}

std::string format_number(double x) {
    char buf[40];
    for (int digits = 15; digits <= 17; ++digits) {  // %.17g always reads back exactly
        std::snprintf(buf, sizeof buf, "%.*g", digits, x);
        if (std::strtod(buf, nullptr) == x) break;
    }
    return buf;
}

}  // namespace aelab
