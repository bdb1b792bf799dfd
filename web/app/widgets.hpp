// widgets.hpp: line plots drawn with ImDrawList (loss curves, principal angles), tick
// helpers and the small pieces every panel uses (help marker, wrapped tooltip, an image grid
// with coloured row labels). Images go through gltex.hpp, point clouds through scatter.hpp;
// colours come from theme.hpp.
//
// Usage:
//     LinePlot p;
//     if (p.begin("loss", size, x0, x1, y0, y1, /*logy=*/true)) {
//         p.line(xs, ys, n, IM_COL32(...));   p.hline(0.05, col, "PCA");   p.end();
//     }
#pragma once

#include "gltex.hpp"

#include <imgui.h>

#include <cstdint>
#include <string>
#include <vector>

namespace aelab::app {

// Axis-aligned plot in the current window. x/y ranges in data units; with logy the y range
// must be positive (values <= 0 are skipped).
class LinePlot {
public:
    // x_label / y_label: axis titles (below the x ticks / rotated left of the y ticks).
    bool begin(const char* id, ImVec2 size, double x0, double x1, double y0, double y1, bool logy,
               const char* x_label = nullptr, const char* y_label = nullptr);
    void line(const float* xs, const float* ys, int n, ImU32 col, float thickness = 1.5f);
    // A horizontal line at y; with a label, the label is drawn at the left end on a box
    // (prefer naming the line in legend() and passing nullptr: a box can cover curves).
    void hline(double y, ImU32 col, const char* label, bool dashed = true);
    // Legend entries at the plot's top left (right: top right): a line sample (dashed when
    // the name is in `dashed`) and the name on a translucent box, wrapping to more rows
    // when narrow.
    void legend(const std::vector<std::pair<std::string, ImU32>>& items,
                const std::vector<std::string>& dashed = {}, bool right = false);
    ImVec2 to_screen(double x, double y) const;
    bool hovered() const { return hovered_; }
    double mouse_x() const { return mouse_x_; }
    ImVec2 plot_min() const { return p0_; }
    ImVec2 plot_max() const { return p1_; }
    void end();

private:
    double ty(double y) const;
    ImDrawList* dl_ = nullptr;
    ImVec2 p0_, p1_;
    double x0_ = 0, x1_ = 1, y0_ = 0, y1_ = 1;
    bool logy_ = false, hovered_ = false;
    double mouse_x_ = 0;
};

// "1.2k", "35", "0.0123" style compact numbers for ticks.
std::string compact_number(double v);
// Nice tick positions for [a, b] (about `target` of them).
std::vector<double> nice_ticks(double a, double b, int target);

// "(?)" after the last item, with `text` as its tooltip.
void HelpMarker(const char* text);

// ---- explanations (help.hpp: the texts live in assets/help/) --------------------------------
// The tooltip of help key `key` while the last item is hovered (and window.aelab.tooltip =
// key); the item's rectangle is noted under `key` (window.aelab.controls).
void Tip(const char* key);
// "(?)" after the last item with the text of `key` as its tooltip (noted as `key` too).
void HelpKey(const char* key);
// The panel's caption (key "panel.xxx"): one dim line, cut with "..." to the panel's width;
// hovering it shows the whole text.
void PanelCaption(const char* key);
// Raises the current window above the others (the drawer, the status line, the toast and the
// message history overlay the panels), except while a modal popup is open: ImGui raises a
// popup only on the frame it appears, so raising other windows every frame would bury the
// modal (the "Build a new model?" question) under them where no one can answer it.
void RaiseCurrentWindow();
// Sliders whose value text stays readable: a thin, translucent grab (push before a group
// of sliders, pop after).
void PushReadableSliders();
void PopReadableSliders();
// A tooltip of wrapped text, `width_em` font sizes wide.
void TooltipWrapped(const char* text, float width_em);
// Coloured text wrapped at the window edge.
void TextWrappedColored(const ImVec4& col, const char* text);
// printf of one number ("%.4g") into a string.
std::string fmt(const char* f, double v);

struct RowLabel {
    const char* text;
    ImU32 colour;
};
// `tex` (a grid of image rows) scaled to the space left minus `reserve_h` pixels below it,
// with rows[0..n_rows) written left of the rows, repeated `repeat` times from the top
// (e.g. input / AE / PCA for two blocks of images). `widest` sizes the label column.
void LabelledImage(const ImageTexture& tex, const RowLabel* rows, int n_rows, int repeat, const char* widest,
                   float reserve_h);

}  // namespace aelab::app
