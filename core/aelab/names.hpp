// aelab/names.hpp — one table row per enum value: its name and its label.
//
// What: `NamedKind<Kind>` = {kind, name, label}; name_of / label_of / kind_of / kinds_of read
// a constexpr array of them.
// Why: an enum's URL / CLI / file name, its menu label and the list of all its values come
// from one table instead of parallel switch statements that must be kept in step (the noise
// and sparsity kinds in core, the page's data sets).
// Usage:
//     constexpr NamedKind<Noise> kNoises[] = {{Noise::None, "none", "none"}, ...};
//     const char* noise_name(Noise n) { return name_of(kNoises, n); }     // "?" if absent
//     Noise k;  if (kind_of(kNoises, "gaussian", &k)) ...
//     static const std::vector<Noise> all = kinds_of(kNoises);            // table order
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace aelab {

template <class Kind>
struct NamedKind {
    Kind kind;
    const char* name;   // URL, CLI, model files
    const char* label;  // menus
};

template <class Kind, std::size_t N>
const NamedKind<Kind>* find_kind(const NamedKind<Kind> (&rows)[N], Kind k) {
    for (const NamedKind<Kind>& r : rows)
        if (r.kind == k) return &r;
    return nullptr;
}
template <class Kind, std::size_t N>
const char* name_of(const NamedKind<Kind> (&rows)[N], Kind k) {
    const NamedKind<Kind>* r = find_kind(rows, k);
    return r ? r->name : "?";
}
template <class Kind, std::size_t N>
const char* label_of(const NamedKind<Kind> (&rows)[N], Kind k) {
    const NamedKind<Kind>* r = find_kind(rows, k);
    return r ? r->label : "?";
}
// The kind whose name is `name` (exact), among the first `count` rows (all by default).
template <class Kind, std::size_t N>
bool kind_of(const NamedKind<Kind> (&rows)[N], const std::string& name, Kind* out, std::size_t count = N) {
    for (std::size_t i = 0; i < count && i < N; ++i)
        if (name == rows[i].name) {
            *out = rows[i].kind;
            return true;
        }
    return false;
}
template <class Kind, std::size_t N>
std::vector<Kind> kinds_of(const NamedKind<Kind> (&rows)[N]) {
    std::vector<Kind> v;
    for (const NamedKind<Kind>& r : rows) v.push_back(r.kind);
    return v;
}

}  // namespace aelab
