// panel_messages.cpp: the status line, the toast and the message history (see chrome.hpp).
#include "chrome.hpp"
#include "theme.hpp"
#include "widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace aelab::app {

const char* message_severity(const Message& m) { return m.error ? "error" : m.warning ? "warning" : "info"; }

namespace {

ImU32 swatch_colour(const Message& m) {
    return m.error ? theme::kMsgError : m.warning ? theme::kMsgWarning : theme::kMsgInfo;
}

ImVec4 text_colour(const Message& m) {
    return m.error ? theme::kTextErr : m.warning ? theme::kTextWarn : theme::kTextBright;
}

unsigned rgb_of(ImU32 c) {
    return ((c >> IM_COL32_R_SHIFT) & 0xff) << 16 | ((c >> IM_COL32_G_SHIFT) & 0xff) << 8 | ((c >> IM_COL32_B_SHIFT) & 0xff);
}

// `text` cut to fit `room` pixels, with "..." when cut.
std::string elide(const std::string& text, float room) {
    if (ImGui::CalcTextSize(text.c_str()).x <= room) return text;
    const float dots = ImGui::CalcTextSize("...").x;
    size_t n = text.size();
    while (n > 0 && ImGui::CalcTextSize(text.c_str(), text.c_str() + n).x + dots > room) --n;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;  // not inside a UTF-8 character
    return text.substr(0, n) + "...";
}

constexpr ImGuiWindowFlags kOverlay = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                      ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                                      ImGuiWindowFlags_NoNav;

// The history window: every kept message, newest first, with its age and severity.
void ShowHistory(PanelContext& cx, MessagesState& st, const Rect& status) {
    const ImGuiIO& io = ImGui::GetIO();
    const float w = std::min(io.DisplaySize.x - 16, 560.0f * ImGui::GetFontSize() / 13);
    const float h = std::min(io.DisplaySize.y * 0.6f, 360.0f);
    ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x - w - 8, status.y - h - 4));
    ImGui::SetNextWindowSize(ImVec2(w, h));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, theme::kToastBg);
    ImGui::Begin("Messages##history", &st.history_open,
                 ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoCollapse);
    RaiseCurrentWindow();
    const auto& ms = cx.ctl.messages();
    if (ms.empty()) ImGui::TextColored(theme::kTextDim, "No messages.");
    ImGui::PushTextWrapPos(0.0f);
    for (int i = static_cast<int>(ms.size()) - 1; i >= 0; --i) {
        const Message& m = ms[static_cast<size_t>(i)];
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float fh = ImGui::GetFontSize();
        ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, p.y + 2), ImVec2(p.x + 4, p.y + fh), swatch_colour(m));
        ImGui::SetCursorScreenPos(ImVec2(p.x + 10, p.y));
        ImGui::TextColored(theme::kTextDim, "%s, %.0f s ago:", message_severity(m), std::max(0.0, cx.now - m.time));
        ImGui::SameLine();
        ImGui::TextColored(text_colour(m), "%s", m.text.c_str());
    }
    ImGui::PopTextWrapPos();
    ImGui::End();
    ImGui::PopStyleColor();
}

}  // namespace

MessageView ShowStatusLine(PanelContext& cx, MessagesState& st, const Rect& r, ClipReport& clips) {
    MessageView view;
    const auto& ms = cx.ctl.messages();
    const float fh = ImGui::GetFontSize();
    const ImGuiStyle& sty = ImGui::GetStyle();

    // ---- the status line --------------------------------------------------------------------------
    ImGui::SetNextWindowPos(ImVec2(r.x, r.y));
    ImGui::SetNextWindowSize(ImVec2(r.w, r.h));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::GetStyleColorVec4(ImGuiCol_TitleBg));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(8, 0));
    ImGui::Begin("##status", nullptr, kOverlay | ImGuiWindowFlags_NoBringToFrontOnFocus);
    RaiseCurrentWindow();
    char hist[48];
    std::snprintf(hist, sizeof hist, "History (%d)", static_cast<int>(ms.size()));
    const float hist_w = ImGui::CalcTextSize(hist).x + sty.FramePadding.x * 2;
    const float y_mid = (r.h - ImGui::GetFrameHeight()) * 0.5f;
    float text_room = r.w - 16 - hist_w - sty.ItemSpacing.x - fh;
    clips.check("status:history", hist_w + fh, r.w - 16);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (!ms.empty()) {
        const Message& m = ms.back();
        const bool fresh = cx.now - m.time < 60;
        const ImVec2 p(r.x + 8, r.y + (r.h - fh) * 0.5f);
        dl->AddRectFilled(p, ImVec2(p.x + fh * 0.6f, p.y + fh), swatch_colour(m));
        ImGui::SetCursorPos(ImVec2(8 + fh, (r.h - fh) * 0.5f));
        const std::string shown = elide(m.text, std::max(0.0f, text_room));
        ImGui::TextColored(fresh ? text_colour(m) : theme::kTextDim, "%s", shown.c_str());
        if (ImGui::IsItemHovered() && shown != m.text) {
            ImGui::BeginTooltip();
            ImGui::PushTextWrapPos(fh * 32);
            ImGui::TextUnformatted(m.text.c_str());
            ImGui::PopTextWrapPos();
            ImGui::EndTooltip();
        }
        view.rect = {p.x, r.y, std::min(text_room, ImGui::CalcTextSize(shown.c_str()).x) + fh, r.h};
        view.swatch = {p.x, p.y, fh * 0.6f, fh};
        view.severity = message_severity(m);
        view.text = m.text;
        view.swatch_rgb = rgb_of(swatch_colour(m));
    } else {
        ImGui::SetCursorPos(ImVec2(8, (r.h - fh) * 0.5f));
        ImGui::TextColored(theme::kTextDim, "%s", cx.ctl.ready() ? "Ready." : "Starting ...");
    }
    ImGui::SetCursorPos(ImVec2(r.w - 8 - hist_w, y_mid));
    if (ImGui::Button(hist)) st.history_open = !st.history_open;
    ImGui::End();
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();

    // ---- the toast: the messages of the last kToastSeconds (at most 3, newest last) --------------------
    std::vector<const Message*> fresh;
    for (const Message& m : ms)
        if (cx.now - m.time < kToastSeconds && m.time > st.dismissed_until) fresh.push_back(&m);
    if (fresh.size() > 3) fresh.erase(fresh.begin(), fresh.end() - 3);
    if (!fresh.empty()) {
        const ImGuiIO& io = ImGui::GetIO();
        const float w = std::min(io.DisplaySize.x - 16, 560.0f * fh / 13);
        ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, r.y - 6), ImGuiCond_Always, ImVec2(0.5f, 1.0f));
        ImGui::SetNextWindowSize(ImVec2(w, 0));
        ImGui::PushStyleColor(ImGuiCol_WindowBg, theme::kToastBg);
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(fh + 6, 6));
        ImGui::Begin("##toast", nullptr, kOverlay | ImGuiWindowFlags_AlwaysAutoResize);
        RaiseCurrentWindow();
        const ImVec2 wp = ImGui::GetWindowPos();
        const ImVec2 ws = ImGui::GetWindowSize();
        const float close_w = ImGui::CalcTextSize("x").x + sty.FramePadding.x * 2;
        ImGui::PushTextWrapPos(w - fh - 6 - close_w - sty.ItemSpacing.x);
        float y0 = 0, y1 = 0;
        for (const Message* m : fresh) {
            y0 = ImGui::GetCursorScreenPos().y;
            ImGui::TextColored(text_colour(*m), "%s", m->text.c_str());
            y1 = ImGui::GetItemRectMax().y;
            // (outside the window's inner clip rectangle, which leaves out half the padding)
            ImDrawList* dl = ImGui::GetWindowDrawList();
            dl->PushClipRect(wp, ImVec2(wp.x + ws.x, wp.y + ws.y), false);
            dl->AddRectFilled(ImVec2(wp.x, y0 - 2), ImVec2(wp.x + fh * 0.6f, y1 + 2), swatch_colour(*m));
            dl->PopClipRect();
        }
        ImGui::PopTextWrapPos();
        ImGui::SetCursorPos(ImVec2(w - close_w - 6, 6));
        if (ImGui::SmallButton("x")) st.dismissed_until = fresh.back()->time;
        const Message& m = *fresh.back();
        // The report: the toast's rectangle (last frame's size on its first frame) and the
        // newest message's swatch.
        view.rect = {wp.x, wp.y, ws.x, ws.y};
        view.swatch = {wp.x, y0 - 2, fh * 0.6f, y1 - y0 + 4};
        view.severity = message_severity(m);
        view.text = m.text;
        view.swatch_rgb = rgb_of(swatch_colour(m));
        ImGui::End();
        ImGui::PopStyleVar();
        ImGui::PopStyleColor();
    }
    if (st.history_open) ShowHistory(cx, st, r);
    return view;
}

}  // namespace aelab::app
