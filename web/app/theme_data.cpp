// theme_data.cpp: see theme_data.hpp.
#include "theme_data.hpp"

#include "aelab/assets.hpp"
#include "aelab/common.hpp"

#include <algorithm>
#include <iterator>

namespace aelab::app {

namespace {

// Plain C strings (one loop builds the vector: far less WASM code than 70 std::string
// initialisers).
const char* const kNames[] = {
        // text
        "text_dim", "text_good", "text_warn", "text_err", "text_bright", "text_brand", "text_ae", "text_pca",
        // buttons
        "button_play", "button_play_hovered", "button_current",
        // plot series
        "train", "test", "pca", "accent", "row_label", "marker", "bar_in_k", "bar_out_k", "row_noisy", "bar_code",
        "bar_code_hover", "target_rate",
        // plot chrome
        "plot_bg", "plot_grid", "plot_grid_minor", "plot_text", "plot_axis_title", "plot_frame", "plot_cursor",
        "legend_bg", "legend_text",
        // scatter widget, data view, canvas
        "scatter_bg", "scatter_hover", "data_pca_line", "data_pca_plane", "data_pca_legend", "data_decoder",
        "data_decoder_mesh", "data_recon", "data_axis_other", "data_legend_text", "data_hint", "canvas_frame",
        "canvas_hint",
        // ImGui's own colours
        "imgui_window_bg", "imgui_child_bg", "imgui_border", "imgui_title_bg", "imgui_title_bg_active",
        "imgui_frame_bg", "imgui_frame_bg_hovered", "imgui_frame_bg_active", "imgui_button", "imgui_button_hovered",
        "imgui_button_active", "imgui_header", "imgui_header_hovered", "imgui_header_active", "imgui_slider_grab",
        "imgui_slider_grab_active", "imgui_check_mark", "imgui_tab", "imgui_tab_hovered", "imgui_tab_active",
        "imgui_separator",
        // messages
        "msg_info", "msg_warning", "msg_error", "toast_bg"};

}  // namespace

const std::vector<std::string>& theme_names() {
    static const std::vector<std::string> names(std::begin(kNames), std::end(kNames));
    return names;
}

const ThemeColor& ThemeColors::at(std::string_view name) const {
    for (const ThemeColor& c : colors)
        if (c.name == name) return c;
    throw Error("theme: no colour named '" + std::string(name) + "'");
}

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// "#rrggbb" or "#rrggbbaa"; false for anything else.
bool parse_colour(std::string_view s, ThemeColor* out) {
    if ((s.size() != 7 && s.size() != 9) || s[0] != '#') return false;
    int v[8] = {0, 0, 0, 0, 0, 0, 15, 15};
    for (size_t i = 1; i < s.size(); ++i)
        if ((v[i - 1] = hex_digit(s[i])) < 0) return false;
    out->r = static_cast<std::uint8_t>(v[0] * 16 + v[1]);
    out->g = static_cast<std::uint8_t>(v[2] * 16 + v[3]);
    out->b = static_cast<std::uint8_t>(v[4] * 16 + v[5]);
    out->a = static_cast<std::uint8_t>(v[6] * 16 + v[7]);
    return true;
}

}  // namespace

ThemeColors parse_theme(std::string_view text, const std::string& source) {
    const std::vector<std::string>& names = theme_names();
    ThemeColors t;
    t.colors.resize(names.size());
    std::vector<int> seen_at(names.size(), 0);
    int line_no = 0;
    while (!text.empty()) {
        ++line_no;
        const size_t nl = text.find('\n');
        const std::string_view line = trim(text.substr(0, nl));
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        if (line.empty() || line.front() == ';') continue;
        const std::string where = source + ":" + std::to_string(line_no) + ": ";
        const size_t eq = line.find('=');
        if (eq == std::string_view::npos) throw Error(where + "want 'name = #rrggbb[aa]', got '" + std::string(line) + "'");
        const std::string name(trim(line.substr(0, eq)));
        const std::string_view value = trim(line.substr(eq + 1));
        const auto it = std::find(names.begin(), names.end(), name);
        if (it == names.end()) throw Error(where + "unknown colour name '" + name + "'");
        const size_t i = static_cast<size_t>(it - names.begin());
        if (seen_at[i]) throw Error(where + "'" + name + "' given twice (first on line " + std::to_string(seen_at[i]) + ")");
        ThemeColor c;
        c.name = name;
        if (!parse_colour(value, &c))
            throw Error(where + "'" + name + "': want #rrggbb or #rrggbbaa (hex digits), got '" + std::string(value) + "'");
        t.colors[i] = c;
        seen_at[i] = line_no;
    }
    std::string missing;
    for (size_t i = 0; i < names.size(); ++i)
        if (!seen_at[i]) missing += (missing.empty() ? "" : ", ") + names[i];
    if (!missing.empty()) throw Error(source + ": missing colour(s): " + missing);
    return t;
}

ThemeColors load_theme(const std::string& name) {
    const std::string path = "theme/" + name + ".txt";
    return parse_theme(aelab::assets::text(path), "assets/" + path);
}

}  // namespace aelab::app
