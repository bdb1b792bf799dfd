// scatter_widget.cpp: the ImGui side of scatter.hpp: ScatterWidget (the renderer's texture
// in a plot frame with axes, hover, wheel zoom and drag pan) and ScatterToScreen. The ticks
// come from aelab/ticks.hpp, the same algorithm as the page's line plots and the CLI's
// figures; the renderer (GL objects, point data, drawing, nearest-point queries) is in
// scatter.cpp.
#include "scatter.hpp"

#include "theme.hpp"

#include <aelab/ticks.hpp>

#include <imgui.h>
#include <imgui_internal.h>   // SetItemUsingMouseWheel (1.86): the wheel zooms, not scrolls

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace aelab::app {

namespace {

int tick_decimals(double step) {
    return std::clamp(int(-std::floor(std::log10(step) + 1e-9)), 0, 8);
}

void format_tick(char* buf, size_t n, double v, double step) {
    if (std::fabs(v) < step * 1e-6) v = 0.0;  // no "-0"
    const double a = std::fabs(v);
    if (a != 0.0 && (a >= 1e5 || step < 1e-4)) std::snprintf(buf, n, "%.2g", v);
    else std::snprintf(buf, n, "%.*f", tick_decimals(step), v);
}

}  // namespace

ImVec2 ScatterToScreen(const ScatterWidgetResult& res, const ScatterView& v, float x, float y) {
    const float w = res.plot_max.x - res.plot_min.x, h = res.plot_max.y - res.plot_min.y;
    return ImVec2(res.plot_min.x + (x - v.xmin) / (v.xmax - v.xmin) * w,
                  res.plot_min.y + (v.ymax - y) / (v.ymax - v.ymin) * h);
}

bool ScatterWidget(const char* id, ScatterRenderer& r, ImVec2 size, ScatterWidgetResult* out,
                   const ScatterWidgetOptions& opt) {
    ScatterWidgetResult local;
    ScatterWidgetResult& res = out ? *out : local;
    res = ScatterWidgetResult{};

    ImGuiIO& io = ImGui::GetIO();
    ImGui::PushID(id);
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    if (size.x <= 0) size.x = std::max(avail.x, 32.0f);
    if (size.y <= 0) size.y = std::max(avail.y, 32.0f);
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    const float font = ImGui::GetFontSize();
    const float ml = opt.show_axes ? ImGui::CalcTextSize("-0.000").x + 10.0f : 0.0f;
    const float mb = opt.show_axes ? font + 8.0f + (opt.x_label ? font + 2.0f : 0.0f) : 0.0f;
    const float mt = opt.show_axes ? std::floor(font * 0.5f) : 0.0f;   // room for the top y label
    const float mr = opt.show_axes ? std::floor(font * 1.5f) : 0.0f;   // room for the last x label
    res.plot_min = ImVec2(std::floor(p0.x + ml), std::floor(p0.y + mt));
    res.plot_max = ImVec2(std::floor(p0.x + size.x - mr), std::floor(p0.y + size.y - mb));
    if (res.plot_max.x < res.plot_min.x + 8) res.plot_max.x = res.plot_min.x + 8;
    if (res.plot_max.y < res.plot_min.y + 8) res.plot_max.y = res.plot_min.y + 8;
    const float pw = res.plot_max.x - res.plot_min.x, ph = res.plot_max.y - res.plot_min.y;

    ImGui::InvisibleButton("##scatter", size, ImGuiButtonFlags_MouseButtonLeft);
    const bool item_hovered = ImGui::IsItemHovered();
    const bool item_active = ImGui::IsItemActive();
    const ImVec2 m = io.MousePos;
    const bool in_plot = item_hovered && m.x >= res.plot_min.x && m.x < res.plot_max.x &&
                         m.y >= res.plot_min.y && m.y < res.plot_max.y;

    // ---- interaction (on the view of the previous frame) ----
    if (opt.interactive) {
        if (item_hovered) ImGui::SetItemUsingMouseWheel();
        ScatterView v = r.view();
        const float ux = (v.xmax - v.xmin) / pw, uy = (v.ymax - v.ymin) / ph;  // data units per pixel
        if (item_active && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 2.0f) &&
            (io.MouseDelta.x != 0 || io.MouseDelta.y != 0)) {
            const float dx = -io.MouseDelta.x * ux, dy = io.MouseDelta.y * uy;
            r.set_view(v.xmin + dx, v.xmax + dx, v.ymin + dy, v.ymax + dy);
            res.view_changed = true;
        }
        if (in_plot && io.MouseWheel != 0.0f) {
            const float f = std::pow(0.85f, io.MouseWheel);   // wheel up zooms in
            v = r.view();
            const float cx = v.xmin + (m.x - res.plot_min.x) * ux;
            const float cy = v.ymax - (m.y - res.plot_min.y) * uy;
            r.set_view(cx + (v.xmin - cx) * f, cx + (v.xmax - cx) * f,
                       cy + (v.ymin - cy) * f, cy + (v.ymax - cy) * f);
            res.view_changed = true;
        }
        if (in_plot && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
            r.set_auto_fit(true);
            res.view_changed = true;
        }
    }

    // ---- render the points into the texture and show it ----
    r.set_equal_aspect(opt.equal_aspect);
    const float sx = io.DisplayFramebufferScale.x > 0 ? io.DisplayFramebufferScale.x : 1.0f;
    const float sy = io.DisplayFramebufferScale.y > 0 ? io.DisplayFramebufferScale.y : 1.0f;
    const unsigned tex = r.render(int(std::lround(pw * sx)), int(std::lround(ph * sy)), sx);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (tex) dl->AddImage((ImTextureID)(intptr_t)tex, res.plot_min, res.plot_max);
    else dl->AddRectFilled(res.plot_min, res.plot_max, theme::kScatterBg);
    const ScatterView& v = r.view();

    // ---- hover / click ----
    if (in_plot) {
        res.mouse_in_plot = true;
        res.mouse_x = v.xmin + (m.x - res.plot_min.x) / pw * (v.xmax - v.xmin);
        res.mouse_y = v.ymax - (m.y - res.plot_min.y) / ph * (v.ymax - v.ymin);
        const bool dragging = item_active && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 2.0f);
        if (!dragging) {
            const float rx = opt.hover_radius_px * (v.xmax - v.xmin) / pw;
            const float ry = opt.hover_radius_px * (v.ymax - v.ymin) / ph;
            res.hovered = r.nearest(res.mouse_x, res.mouse_y, rx, ry);
        }
        if (ImGui::IsItemDeactivated() && io.MouseDragMaxDistanceSqr[0] < 16.0f) res.clicked = res.hovered;
    }
    if (res.hovered >= 0 && opt.mark_hovered) {
        const auto& p = r.positions();
        const ImVec2 s = ScatterToScreen(res, v, p[2 * size_t(res.hovered)], p[2 * size_t(res.hovered) + 1]);
        dl->PushClipRect(res.plot_min, res.plot_max, true);
        dl->AddCircle(s, 0.5f * r.point_size() + 5.0f, theme::kScatterHover, 0, 1.5f);
        dl->PopClipRect();
    }

    // ---- axes: frame, ticks, labels ----
    const ImU32 frame_col = ImGui::GetColorU32(ImGuiCol_Border);
    dl->AddRect(ImVec2(res.plot_min.x - 1, res.plot_min.y - 1), ImVec2(res.plot_max.x + 1, res.plot_max.y + 1), frame_col);
    if (opt.show_axes) {
        const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_Text);
        const ImU32 tick_col = ImGui::GetColorU32(ImGuiCol_TextDisabled);
        char buf[32];
        // x ticks below the plot
        const std::vector<double> xt = aelab::nice_ticks(v.xmin, v.xmax, std::max(3, int(pw / 70.0f)));
        const double xs = xt.size() > 1 ? xt[1] - xt[0] : 1.0;
        for (double t : xt) {
            const float px = res.plot_min.x + float((t - v.xmin) / (double(v.xmax) - v.xmin)) * pw;
            dl->AddLine(ImVec2(px, res.plot_max.y + 1), ImVec2(px, res.plot_max.y + 5), tick_col);
            format_tick(buf, sizeof buf, t, xs);
            const ImVec2 ts = ImGui::CalcTextSize(buf);
            // Centred under the tick but inside the widget (the last label was cut at the edge).
            const float tx = std::min(std::floor(px - 0.5f * ts.x), p0.x + size.x - ts.x - 1);
            dl->AddText(ImVec2(tx, res.plot_max.y + 6), text_col, buf);
        }
        // y ticks left of the plot (none for a strip plot: its y is jitter, not data)
        std::vector<double> yt;
        if (opt.y_ticks) yt = aelab::nice_ticks(v.ymin, v.ymax, std::max(3, int(ph / 50.0f)));
        const double ys = yt.size() > 1 ? yt[1] - yt[0] : 1.0;
        for (double t : yt) {
            const float py = res.plot_max.y - float((t - v.ymin) / (double(v.ymax) - v.ymin)) * ph;
            dl->AddLine(ImVec2(res.plot_min.x - 5, py), ImVec2(res.plot_min.x - 1, py), tick_col);
            format_tick(buf, sizeof buf, t, ys);
            const ImVec2 ts = ImGui::CalcTextSize(buf);
            dl->AddText(ImVec2(std::floor(res.plot_min.x - 7 - ts.x), std::floor(py - 0.5f * ts.y)), text_col, buf);
        }
        if (opt.x_label) {
            const ImVec2 ts = ImGui::CalcTextSize(opt.x_label);
            dl->AddText(ImVec2(std::floor(res.plot_min.x + 0.5f * (pw - ts.x)), res.plot_max.y + 6 + font + 2),
                        text_col, opt.x_label);
        }
        if (opt.y_label)  // ImGui has no rotated text: the y title goes inside the top-left corner
            dl->AddText(ImVec2(res.plot_min.x + 4, res.plot_min.y + 2), text_col, opt.y_label);
    }
    ImGui::PopID();
    return res.hovered >= 0;
}

}  // namespace aelab::app
