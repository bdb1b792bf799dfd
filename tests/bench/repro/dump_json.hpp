// tests/bench/repro/dump_json.hpp — the one JSON writer of the repro dumps (cae_dump.cpp,
// kml_dump.cpp): `"name": [v0,v1,...]` with 17 significant digits, so Python reads back the
// exact doubles; a comma after it unless it is the object's last field.
#pragma once

#include "aelab/common.hpp"

#include <cstdio>

namespace aelab::repro {

inline void print_vec(const char* name, const double* v, Index n, bool last = false) {
    std::printf("\"%s\": [", name);
    for (Index i = 0; i < n; ++i) std::printf("%s%.17g", i ? "," : "", v[i]);
    std::printf("]%s\n", last ? "" : ",");
}

}  // namespace aelab::repro
