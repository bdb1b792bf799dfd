// layout.hpp: where everything goes on the playground's screen, as a pure function.
//
// What: compute_layout() turns the window size, the UI scale, the panels to show (each 1 or
// 2 grid units wide, with the width of its tab label), whether the control column is shown,
// whether its drawer is open, the panel the URL asks for (`?panel=`) and the layout mode
// (`?layout=auto|grid|tabs`) into rectangles: the control column (docked on wide windows,
// a drawer that overlays the panels below kDrawerBelow px), the toolbar (when the column is
// not docked), the status line at the bottom, the tab strip and the panels. Panels go in a
// grid of up to 3 columns when each gets at least kMinPanelW x kMinPanelH; otherwise one at a
// time behind tabs (the tab strip wraps onto more rows rather than cutting labels).
// ClipReport collects the labels drawn narrower than their text (the app checks its titles,
// tabs, toolbar and headers); layout_json() writes the layout and that list for window.aelab.
// Why: the layout used to be a few lines inside the ImGui frame that nobody could test: at
// 390x844 the column took 270 of 390 px and every panel was ~120 px wide. Here it is plain
// data, unit-tested at 390x844, 800x600, 1280x800 and the 640x400 embed (tests/unit/
// test_layout_app.cpp), natively and in WASM.
// Usage:
//     LayoutInput in;  in.width = 1280;  in.height = 800;  in.panels = {{kPanelLoss, 1, 30}};
//     const Layout l = compute_layout(in);
//     for (const PanelBox& p : l.panels) draw_panel(p.panel, p.rect);
#pragma once

#include "state.hpp"

#include <string>
#include <vector>

namespace aelab::app {

struct Rect {
    float x = 0, y = 0, w = 0, h = 0;
    bool empty() const { return w <= 0 || h <= 0; }
    bool contains(const Rect& o) const;   // o inside this rectangle (edges included)
    bool overlaps(const Rect& o) const;   // the interiors intersect
};

// ?layout= (LayoutMode, state.hpp): auto (grid when every panel gets its minimum size,
// else tabs), grid, tabs.
const char* layout_mode_key(LayoutMode m);                    // "auto", "grid", "tabs"
bool parse_layout_mode(const std::string& key, LayoutMode* out);

struct PanelRequest {
    Panel panel;
    int units = 1;          // grid width: 1 or 2 of (at most) 3 columns
    float tab_w = 60;       // width of its tab label text (pixels)
};

struct LayoutInput {
    float width = 1280, height = 800;   // window, CSS pixels
    float scale = 1;                    // UI scale (font size / 13): the minimum sizes grow with it
    std::vector<PanelRequest> panels;   // in display order (the hidden ones already removed)
    bool controls = true;               // the control column is wanted (not hide=controls)
    bool drawer_open = false;           // narrow windows: the drawer is open
    unsigned solo = 0;                  // ?panel=: show only this panel (0 = all)
    unsigned active_tab = 0;            // tabs: the panel chosen by the user (0 = first)
    LayoutMode mode = LayoutMode::Auto;
};

struct PanelBox {
    Panel panel;
    Rect rect;
};

struct TabBox {
    Panel panel;
    Rect rect;
};

struct Layout {
    bool narrow = false;        // below kDrawerBelow: the column is a drawer
    bool docked = false;        // the control column is shown beside the panels
    bool drawer = false;        // the control column overlays the panels (open drawer)
    bool tabs = false;          // one panel at a time
    bool solo = false;          // ?panel= honoured: one panel, no tabs
    Rect controls;              // docked column or open drawer (empty when neither)
    Rect toolbar;               // when the column is not docked (empty otherwise)
    Rect status;                // the status line (bottom, full width)
    Rect area;                  // where the panels (and the tab strip) go
    Rect tab_strip;             // tabs only
    std::vector<TabBox> tab_boxes;
    std::vector<PanelBox> panels;  // the panels drawn this frame
    unsigned active = 0;        // tabs: the panel shown
};

// Sizes in CSS pixels at scale 1. A panel narrower than 300 px cuts its legends and hint
// lines (measured at 800x600: 265 px panels); the column needs 300 px for the preset titles.
constexpr float kDrawerBelow = 720;     // narrower windows get the drawer
constexpr float kMinPanelW = 300;
constexpr float kMinPanelH = 170;
constexpr float kBarH = 30;             // toolbar, status line, one row of tabs
constexpr float kColumnMinW = 300, kColumnMaxW = 340;

Layout compute_layout(const LayoutInput& in);

// Labels narrower than their text this frame ("title:loss", "tab:recon", "toolbar", ...).
class ClipReport {
public:
    void clear() { items_.clear(); }
    // Records `what` when the text needs more than the room it has (0.5 px tolerance).
    // Returns true when it fits.
    bool check(const std::string& what, float text_w, float room_w);
    const std::vector<std::string>& items() const { return items_; }

private:
    std::vector<std::string> items_;
};

// The message the status line / toast shows, for the report (rect empty when none shown).
struct MessageView {
    Rect rect;
    Rect swatch;                // the severity colour swatch inside rect
    std::string severity;       // "info", "warning", "error" or ""
    std::string text;
    unsigned swatch_rgb = 0;    // 0xRRGGBB of the swatch
};

// The page's full address for a state: page_url (origin + path; "" off the web: then
// "index.html") + "?" + query (nothing when the query is empty).
std::string share_url(const std::string& page_url, const std::string& query);
// An <iframe> element embedding `url` at w x h CSS pixels ('&' and '"' escaped for HTML).
std::string iframe_snippet(const std::string& url, int w, int h);

// {"mode":"grid|tabs|solo","narrow":b,"docked":b,"drawer":b,"window":[w,h],
//  "panels":[{"name":"loss","rect":[x,y,w,h]},...],"tabs":[...],"status":[...],
//  "message":{"rect":[...],"swatch":[...],"severity":"error","text":"...","rgb":"#rrggbb"},
//  "truncated":["title:loss",...]}
std::string layout_json(const Layout& l, const LayoutInput& in, const MessageView& msg, const ClipReport& clips);

}  // namespace aelab::app
