// controls_util.hpp: small helpers shared by the control column's files (panel_controls.cpp,
// panel_model.cpp): rounding for sliders, a combo over an enum table, the loss label.
// What/Why: one definition of each, inline (header-only, page code only).
// Usage: if (EnumCombo("act", &a, all_activations(), activation_name)) s.preset.clear();
#pragma once

#include "aelab/autoencoder.hpp"

#include <imgui.h>

#include <cctype>
#include <cmath>
#include <string>
#include <vector>

namespace aelab::app {

inline double round_sig(double x, int digits) {
    if (!(x > 0) || !std::isfinite(x)) return x;
    const double m = std::pow(10.0, digits - 1 - std::floor(std::log10(x)));
    return std::round(x * m) / m;
}

// A combo over `items` (shown by name()); returns true when the user picked another one.
template <class T, class NameFn>
inline bool EnumCombo(const char* label, T* value, const std::vector<T>& items, NameFn name, const char* preview = nullptr) {
    bool changed = false;
    if (ImGui::BeginCombo(label, preview ? preview : name(*value))) {
        for (const T& it : items)
            if (ImGui::Selectable(name(it), !preview && it == *value)) {
                changed = it != *value || preview != nullptr;
                *value = it;
            }
        ImGui::EndCombo();
    }
    return changed;
}

inline std::string loss_label(ReconLoss l) {
    std::string s = loss_name(l);
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return l == ReconLoss::BCE ? s + " (sigmoid output)" : s;
}

}  // namespace aelab::app
