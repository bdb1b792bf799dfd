// app_chrome.cpp: toolbar, tab strip, panel headers, the all-hidden notice (see chrome.hpp).
#include "chrome.hpp"
#include "theme.hpp"
#include "widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

namespace aelab::app {

// Fixed, never brought to the front, and drawing no background quad; frame() clears to the
// window colour instead. Each full-screen shaded layer costs a software rasteriser (headless
// Chromium's SwiftShader) about 8-9 ms per frame at 1280x800 (measured: 49 fps with one
// textured quad layer, 35 with two), while a clear is nearly free.
bool BeginTiled(const char* name, const Rect& r, int extra) {
    ImGui::SetNextWindowPos(ImVec2(r.x, r.y));
    ImGui::SetNextWindowSize(ImVec2(r.w, r.h));
    return ImGui::Begin(name, nullptr,
                        ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                            ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                            ImGuiWindowFlags_NoBringToFrontOnFocus | extra);
}

bool PanelHeader(const char* long_title, const char* short_title, ClipReport& clips, const std::string& what) {
    const ImVec2 wp = ImGui::GetWindowPos();
    const ImVec2 ws = ImGui::GetWindowSize();
    const ImGuiStyle& sty = ImGui::GetStyle();
    const float fh = ImGui::GetFontSize();
    const float hh = ImGui::GetFrameHeight() + 4;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(wp, ImVec2(wp.x + ws.x, wp.y + hh), ImGui::GetColorU32(ImGuiCol_TitleBg));
    const float btn_w = ImGui::CalcTextSize("PNG").x + sty.FramePadding.x * 2;
    const float room = ws.x - 16 - btn_w - sty.ItemSpacing.x;
    const char* title = ImGui::CalcTextSize(long_title).x <= room ? long_title : short_title;
    clips.check(what, ImGui::CalcTextSize(title).x, room);
    ImGui::SetCursorScreenPos(ImVec2(wp.x + 8, wp.y + (hh - fh) * 0.5f));
    ImGui::TextUnformatted(title);
    ImGui::SetCursorScreenPos(ImVec2(wp.x + ws.x - 8 - btn_w, wp.y + 2));
    const bool clicked = ImGui::Button("PNG##panel_png");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Save this panel as a PNG image");
    ImGui::SetCursorScreenPos(ImVec2(wp.x + sty.WindowPadding.x, wp.y + hh + 4));
    return clicked;
}

bool ShowToolbar(PanelContext& cx, const Rect& r, const char* controls_label, ClipReport& clips) {
    BeginTiled("##toolbar", r, ImGuiWindowFlags_NoDecoration);
    const ImGuiStyle& sty = ImGui::GetStyle();
    ImGui::SetCursorPos(ImVec2(8, (r.h - ImGui::GetFrameHeight()) * 0.5f));
    const bool clicked = ImGui::Button(controls_label);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Show the controls (presets, data, model, optimizer, share)");
    ImGui::SameLine();
    const float x0 = ImGui::GetCursorPosX();
    ShowTrainingButtons(cx.ctl);
    ImGui::SameLine();
    const float used = ImGui::GetCursorPosX();
    clips.check("toolbar", used - sty.ItemSpacing.x, r.w - 8);
    (void)x0;
    // The training state, when there is room for it (optional: dropped, not cut, when narrow).
    char state[160];
    std::snprintf(state, sizeof state, " %s  |  step %ld  |  %.0f steps/s", dataset_label(cx.ctl.settings().dataset),
                  cx.stats.step, cx.stats.steps_per_sec);
    if (used + ImGui::CalcTextSize(state).x <= r.w - 8) ImGui::TextColored(theme::kTextDim, "%s", state);
    else if (used + ImGui::CalcTextSize(" step 0000000").x <= r.w - 8)
        ImGui::TextColored(theme::kTextDim, " step %ld", cx.stats.step);
    ImGui::End();
    return clicked;
}

unsigned ShowTabStrip(const Layout& l, const Rect& strip, const char* (*label)(Panel), ClipReport& clips) {
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    BeginTiled("##tabs", strip, ImGuiWindowFlags_NoDecoration);
    unsigned clicked = 0;
    const ImGuiStyle& sty = ImGui::GetStyle();
    for (const TabBox& t : l.tab_boxes) {
        const char* text = label(t.panel);
        ImGui::PushID(static_cast<int>(t.panel));
        ImGui::SetCursorScreenPos(ImVec2(t.rect.x + 1, t.rect.y + 2));
        const bool active = t.panel == l.active;
        ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(active ? ImGuiCol_TabActive : ImGuiCol_Tab));
        if (ImGui::Button(text, ImVec2(t.rect.w - 2, t.rect.h - 4))) clicked = t.panel;
        ImGui::PopStyleColor();
        clips.check(std::string("tab:") + panel_key(t.panel), ImGui::CalcTextSize(text).x,
                    t.rect.w - 2 - sty.FramePadding.x * 2);
        ImGui::PopID();
    }
    ImGui::End();
    ImGui::PopStyleVar();
    return clicked;
}

void ShowAllHiddenNotice(PanelContext& cx, const Rect& r) {
    BeginTiled("##allhidden", r, ImGuiWindowFlags_NoDecoration);
    const float w = std::min(r.w - 32, 420.0f);
    ImGui::SetCursorPos(ImVec2((r.w - w) * 0.5f, r.h * 0.35f));
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w);
    ImGui::TextColored(theme::kTextWarn, "Every panel is hidden (hide=...), so there is nothing to show.");
    ImGui::SetCursorPosX((r.w - w) * 0.5f);
    ImGui::TextColored(theme::kTextDim, "Tick the panels again under \"Share / embed\" in the controls, or:");
    ImGui::PopTextWrapPos();
    ImGui::SetCursorPosX((r.w - w) * 0.5f);
    if (ImGui::Button("Show all panels")) {
        Settings& s = cx.ctl.settings_mut();
        s.hide &= kPanelControls;
        s.panel = 0;
    }
    ImGui::End();
}

}  // namespace aelab::app
