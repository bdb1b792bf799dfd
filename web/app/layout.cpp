// layout.cpp: see layout.hpp.
#include "layout.hpp"

#include "stats.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace aelab::app {

bool Rect::contains(const Rect& o) const {
    const float e = 0.01f;
    return o.x >= x - e && o.y >= y - e && o.x + o.w <= x + w + e && o.y + o.h <= y + h + e;
}

bool Rect::overlaps(const Rect& o) const {
    const float e = 0.01f;
    return o.x < x + w - e && x < o.x + o.w - e && o.y < y + h - e && y < o.y + o.h - e;
}

const char* layout_mode_key(LayoutMode m) {
    switch (m) {
        case LayoutMode::Auto: return "auto";
        case LayoutMode::Grid: return "grid";
        case LayoutMode::Tabs: return "tabs";
    }
    return "auto";
}

bool parse_layout_mode(const std::string& key, LayoutMode* out) {
    for (LayoutMode m : {LayoutMode::Auto, LayoutMode::Grid, LayoutMode::Tabs})
        if (key == layout_mode_key(m)) {
            *out = m;
            return true;
        }
    return false;
}

namespace {

// Rows of panel indices: in order, each row filled up to `cols` units, a later panel that
// fits pulled up into a row's gap (so a 2-unit panel does not leave a hole on 2 columns).
std::vector<std::vector<int>> pack_rows(const std::vector<int>& units, int cols) {
    std::vector<std::vector<int>> rows;
    std::vector<bool> used(units.size(), false);
    for (size_t i = 0; i < units.size(); ++i) {
        if (used[i]) continue;
        used[i] = true;
        rows.push_back({static_cast<int>(i)});
        int room = cols - units[i];
        for (size_t j = i + 1; j < units.size() && room > 0; ++j)
            if (!used[j] && units[j] <= room) {
                used[j] = true;
                rows.back().push_back(static_cast<int>(j));
                room -= units[j];
            }
    }
    return rows;
}

// The grid: each row's panels share its width in proportion to their units.
std::vector<PanelBox> grid(const std::vector<PanelRequest>& panels, const Rect& area, int cols, float* row_h) {
    std::vector<int> units;
    for (const PanelRequest& p : panels) units.push_back(std::clamp(p.units, 1, cols));
    const auto rows = pack_rows(units, cols);
    const float rh = std::floor(area.h / static_cast<float>(rows.size()));
    *row_h = rh;
    std::vector<PanelBox> out;
    for (size_t r = 0; r < rows.size(); ++r) {
        int sum = 0;
        for (int i : rows[r]) sum += units[i];
        const float y = area.y + rh * static_cast<float>(r);
        const float h = r + 1 == rows.size() ? area.y + area.h - y : rh;
        float x = area.x;
        for (size_t k = 0; k < rows[r].size(); ++k) {
            const int i = rows[r][k];
            const float w = k + 1 == rows[r].size() ? area.x + area.w - x
                                                     : std::floor(area.w * static_cast<float>(units[i]) / sum);
            out.push_back({panels[i].panel, {x, y, w, h}});
            x += w;
        }
    }
    return out;
}

}  // namespace

Layout compute_layout(const LayoutInput& in) {
    Layout l;
    const float s = std::max(0.5f, in.scale);
    const float W = std::max(1.0f, in.width), H = std::max(1.0f, in.height);
    const float bar = std::min(kBarH * s, H / 4);
    l.narrow = W < kDrawerBelow * s;
    l.status = {0, H - bar, W, bar};
    float left = 0, top = 0;
    if (in.controls && !l.narrow) {
        l.docked = true;
        const float cw = std::floor(std::clamp(W * 0.25f, kColumnMinW * s, kColumnMaxW * s));
        l.controls = {0, 0, cw, H - bar};
        left = cw;
    } else {
        l.toolbar = {0, 0, W, bar};
        top = bar;
        if (in.controls && in.drawer_open) {
            l.drawer = true;
            l.controls = {0, top, std::min(W, kColumnMaxW * s), H - bar - top};
        }
    }
    l.area = {left, top, W - left, std::max(0.0f, H - bar - top)};
    if (in.panels.empty()) return l;

    if (in.solo) {
        for (const PanelRequest& p : in.panels)
            if (p.panel == in.solo) {
                l.solo = true;
                l.active = p.panel;
                l.panels.push_back({p.panel, l.area});
                return l;
            }
    }
    const int cols = std::clamp(static_cast<int>(l.area.w / (kMinPanelW * s)), 1, 3);
    float row_h = 0;
    std::vector<PanelBox> g = grid(in.panels, l.area, cols, &row_h);
    const bool fits = row_h >= kMinPanelH * s;
    const bool use_tabs = in.panels.size() > 1 && (in.mode == LayoutMode::Tabs || (in.mode == LayoutMode::Auto && !fits));
    if (!use_tabs) {
        l.panels = std::move(g);
        return l;
    }
    // Tabs, wrapped onto as many rows as their labels need.
    l.tabs = true;
    const float pad = 10 * s;
    float x = l.area.x, y = l.area.y;
    for (const PanelRequest& p : in.panels) {
        const float w = std::min(l.area.w, p.tab_w + 2 * pad);
        if (x > l.area.x && x + w > l.area.x + l.area.w) {
            x = l.area.x;
            y += bar;
        }
        l.tab_boxes.push_back({p.panel, {x, y, w, bar}});
        x += w;
    }
    const float strip_h = y + bar - l.area.y;
    l.tab_strip = {l.area.x, l.area.y, l.area.w, strip_h};
    l.active = in.panels.front().panel;
    for (const PanelRequest& p : in.panels)
        if (p.panel == in.active_tab) l.active = p.panel;
    l.panels.push_back({static_cast<Panel>(l.active),
                        {l.area.x, l.area.y + strip_h, l.area.w, std::max(0.0f, l.area.h - strip_h)}});
    return l;
}

bool ClipReport::check(const std::string& what, float text_w, float room_w) {
    if (text_w <= room_w + 0.5f) return true;
    items_.push_back(what);
    return false;
}

std::string share_url(const std::string& page_url, const std::string& query) {
    return (page_url.empty() ? std::string("index.html") : page_url) + (query.empty() ? "" : "?" + query);
}

std::string iframe_snippet(const std::string& url, int w, int h) {
    std::string src;
    for (char c : url) {
        if (c == '&') src += "&amp;";
        else if (c == '"') src += "&quot;";
        else src += c;
    }
    return "<iframe src=\"" + src + "\" width=\"" + std::to_string(w) + "\" height=\"" + std::to_string(h) +
           "\" style=\"border:0\" title=\"aelab: autoencoders vs PCA\"></iframe>";
}

namespace {

std::string rect_json(const Rect& r) {
    char b[96];
    std::snprintf(b, sizeof b, "[%.1f,%.1f,%.1f,%.1f]", r.x, r.y, r.w, r.h);
    return b;
}

}  // namespace

std::string layout_json(const Layout& l, const LayoutInput& in, const MessageView& msg, const ClipReport& clips) {
    auto b = [](bool v) { return std::string(v ? "true" : "false"); };
    std::string o = "{\"mode\":";
    o += json_string(l.solo ? "solo" : l.tabs ? "tabs" : "grid");
    char wh[64];
    std::snprintf(wh, sizeof wh, "[%.1f,%.1f]", in.width, in.height);
    o += ",\"window\":" + std::string(wh) + ",\"narrow\":" + b(l.narrow) + ",\"docked\":" + b(l.docked) +
         ",\"drawer\":" + b(l.drawer);
    o += ",\"controls\":" + rect_json(l.controls) + ",\"toolbar\":" + rect_json(l.toolbar) +
         ",\"status\":" + rect_json(l.status) + ",\"area\":" + rect_json(l.area);
    o += ",\"panels\":[";
    for (size_t i = 0; i < l.panels.size(); ++i)
        o += std::string(i ? "," : "") + "{\"name\":" + json_string(panel_key(l.panels[i].panel)) +
             ",\"rect\":" + rect_json(l.panels[i].rect) + "}";
    o += "],\"tabs\":[";
    for (size_t i = 0; i < l.tab_boxes.size(); ++i)
        o += std::string(i ? "," : "") + "{\"name\":" + json_string(panel_key(l.tab_boxes[i].panel)) +
             ",\"rect\":" + rect_json(l.tab_boxes[i].rect) + "}";
    o += "],\"message\":";
    if (msg.rect.empty()) {
        o += "null";
    } else {
        char rgb[16];
        std::snprintf(rgb, sizeof rgb, "#%06x", msg.swatch_rgb & 0xffffffu);
        o += "{\"rect\":" + rect_json(msg.rect) + ",\"swatch\":" + rect_json(msg.swatch) +
             ",\"severity\":" + json_string(msg.severity) + ",\"text\":" + json_string(msg.text) +
             ",\"rgb\":" + json_string(rgb) + "}";
    }
    o += ",\"truncated\":[";
    for (size_t i = 0; i < clips.items().size(); ++i) o += std::string(i ? "," : "") + json_string(clips.items()[i]);
    return o + "]}";
}

}  // namespace aelab::app
