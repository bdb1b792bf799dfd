// widgets.cpp: see widgets.hpp.
#include "widgets.hpp"

#include "aelab/ticks.hpp"
#include "help.hpp"
#include "theme.hpp"

#include <imgui_internal.h>  // RenderTextEllipsis (1.86): captions cut with "..."

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace aelab::app {

// The tick computation lives in the core (aelab/ticks.hpp), shared with the CLI's figures.
std::string compact_number(double v) { return aelab::tick_label(v); }

std::vector<double> nice_ticks(double a, double b, int target) { return aelab::nice_ticks(a, b, target); }

double LinePlot::ty(double y) const {
    if (logy_) {
        const double l0 = std::log10(y0_), l1 = std::log10(y1_);
        const double ly = std::log10(std::max(y, 1e-300));
        return p1_.y - (ly - l0) / (l1 - l0) * (p1_.y - p0_.y);
    }
    return p1_.y - (y - y0_) / (y1_ - y0_) * (p1_.y - p0_.y);
}

ImVec2 LinePlot::to_screen(double x, double y) const {
    const double fx = (x - x0_) / (x1_ - x0_);
    return ImVec2(static_cast<float>(p0_.x + fx * (p1_.x - p0_.x)), static_cast<float>(ty(y)));
}

bool LinePlot::begin(const char* id, ImVec2 size, double x0, double x1, double y0, double y1, bool logy,
                     const char* x_label, const char* y_label) {
    if (size.x < 40 || size.y < 40) {
        ImGui::Dummy(size);
        return false;
    }
    dl_ = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton(id, size);
    hovered_ = ImGui::IsItemHovered();
    const float fh = ImGui::GetFontSize();
    const float left = fh * 3.6f, bottom = fh * (x_label ? 2.6f : 1.6f);
    p0_ = ImVec2(origin.x + left, origin.y + fh * (y_label ? 1.6f : 0.5f));
    p1_ = ImVec2(origin.x + size.x - fh * 0.6f, origin.y + size.y - bottom);
    if (!(x1 > x0)) x1 = x0 + 1;
    if (logy) {
        y0 = std::max(y0, 1e-12);
        if (!(y1 > y0 * 1.0001)) y1 = y0 * 10;
    } else if (!(y1 > y0)) {
        y1 = y0 + 1;
    }
    x0_ = x0, x1_ = x1, y0_ = y0, y1_ = y1, logy_ = logy;
    const ImU32 grid = theme::kPlotGrid, text = theme::kPlotText;
    dl_->AddRectFilled(p0_, p1_, theme::kPlotBg);
    // y ticks
    char buf[32];
    if (logy) {
        for (const aelab::LogTick& t : aelab::log_ticks(y0, y1)) {
            const float y = static_cast<float>(ty(t.value));
            dl_->AddLine(ImVec2(p0_.x, y), ImVec2(p1_.x, y), t.major ? grid : theme::kPlotGridMinor);
            if (t.major) {
                std::snprintf(buf, sizeof buf, "%.3g", t.value);
                const ImVec2 ts = ImGui::CalcTextSize(buf);
                dl_->AddText(ImVec2(p0_.x - ts.x - 4, y - ts.y * 0.5f), text, buf);
            }
        }
    } else {
        for (double v : nice_ticks(y0, y1, 4)) {
            const float y = static_cast<float>(ty(v));
            dl_->AddLine(ImVec2(p0_.x, y), ImVec2(p1_.x, y), grid);
            const std::string s = compact_number(v);
            const ImVec2 ts = ImGui::CalcTextSize(s.c_str());
            dl_->AddText(ImVec2(p0_.x - ts.x - 4, y - ts.y * 0.5f), text, s.c_str());
        }
    }
    for (double v : nice_ticks(x0, x1, std::max(2, static_cast<int>((p1_.x - p0_.x) / (fh * 6))))) {
        const float x = to_screen(v, y0).x;
        dl_->AddLine(ImVec2(x, p0_.y), ImVec2(x, p1_.y), grid);
        const std::string s = compact_number(v);
        const ImVec2 ts = ImGui::CalcTextSize(s.c_str());
        // Centred under the tick, but never past the plot's right edge (the last tick's
        // label used to be cut by the window).
        const float tx = std::min(x - ts.x * 0.5f, origin.x + size.x - ts.x - 2);
        dl_->AddText(ImVec2(tx, p1_.y + 2), text, s.c_str());
    }
    if (y_label) dl_->AddText(ImVec2(origin.x + 2, origin.y), theme::kPlotAxisTitle, y_label);
    if (x_label) {
        const ImVec2 ts = ImGui::CalcTextSize(x_label);
        dl_->AddText(ImVec2((p0_.x + p1_.x - ts.x) * 0.5f, p1_.y + fh * 1.15f), theme::kPlotAxisTitle,
                     x_label);
    }
    dl_->AddRect(p0_, p1_, theme::kPlotFrame);
    dl_->PushClipRect(p0_, p1_, true);
    const ImVec2 m = ImGui::GetIO().MousePos;
    mouse_x_ = x0_ + (m.x - p0_.x) / std::max(1.0f, p1_.x - p0_.x) * (x1_ - x0_);
    return true;
}

void LinePlot::line(const float* xs, const float* ys, int n, ImU32 col, float thickness) {
    if (!dl_ || n <= 0) return;
    std::vector<ImVec2> pts;
    pts.reserve(n);
    auto flush = [&]() {
        if (pts.size() >= 2) dl_->AddPolyline(pts.data(), static_cast<int>(pts.size()), col, 0, thickness);
        else if (pts.size() == 1) dl_->AddCircleFilled(pts[0], thickness + 1, col);
        pts.clear();
    };
    for (int i = 0; i < n; ++i) {
        if (!std::isfinite(ys[i]) || (logy_ && ys[i] <= 0)) {
            flush();
            continue;
        }
        ImVec2 p = to_screen(xs[i], ys[i]);
        p.y = std::clamp(p.y, p0_.y - 1e4f, p1_.y + 1e4f);
        pts.push_back(p);
    }
    flush();
}

void LinePlot::hline(double y, ImU32 col, const char* label, bool dashed) {
    if (!dl_ || !std::isfinite(y) || (logy_ && y <= 0)) return;
    const float sy = static_cast<float>(ty(y));
    if (dashed) {
        for (float x = p0_.x; x < p1_.x; x += 10) dl_->AddLine(ImVec2(x, sy), ImVec2(std::min(x + 6, p1_.x), sy), col, 2.0f);
    } else {
        dl_->AddLine(ImVec2(p0_.x, sy), ImVec2(p1_.x, sy), col, 2.0f);
    }
    if (label) {
        // At the left end, below the line when there is room: a loss curve approaching the
        // bound comes from above and its newest points are at the right end, so the label
        // covers the least there. A backing box keeps it legible where a curve crosses it.
        const ImVec2 ts = ImGui::CalcTextSize(label);
        const float ly = sy + ts.y + 5 > p1_.y ? sy - ts.y - 4 : sy + 4;
        const ImVec2 a(p0_.x + 4, ly - 1), b(p0_.x + ts.x + 10, ly + ts.y + 1);
        dl_->AddRectFilled(a, b, theme::kLegendBg, 3.0f);
        dl_->AddText(ImVec2(a.x + 3, ly), col, label);
    }
}

void LinePlot::legend(const std::vector<std::pair<std::string, ImU32>>& items, const std::vector<std::string>& dashed,
                      bool right) {
    if (!dl_ || items.empty()) return;
    const float fh = ImGui::GetFontSize(), gap = fh * 0.8f;
    const float x_start = p0_.x + 6, x_end = p1_.x - 6;
    // Rows: entries in order, a new row when the next one does not fit.
    std::vector<std::vector<size_t>> rows(1);
    std::vector<float> widths(items.size()), row_w(1, 0.0f);
    for (size_t i = 0; i < items.size(); ++i) {
        widths[i] = fh * 1.5f + ImGui::CalcTextSize(items[i].first.c_str()).x;
        if (!rows.back().empty() && row_w.back() + gap + widths[i] > x_end - x_start) {
            rows.emplace_back();
            row_w.push_back(0.0f);
        }
        row_w.back() += (rows.back().empty() ? 0.0f : gap) + widths[i];
        rows.back().push_back(i);
    }
    float y = p0_.y + 4;
    for (size_t r = 0; r < rows.size(); ++r, y += fh + 4) {
        float x = right ? std::max(x_start, x_end - row_w[r]) : x_start;
        for (size_t i : rows[r]) {
            const auto& [name, col] = items[i];
            dl_->AddRectFilled(ImVec2(x - 3, y - 1), ImVec2(x + widths[i] + 3, y + fh + 1), theme::kLegendBg, 3.0f);
            const float ly = y + fh * 0.55f;
            if (std::find(dashed.begin(), dashed.end(), name) != dashed.end()) {
                for (float sx = x; sx < x + fh * 1.2f; sx += 6) dl_->AddLine(ImVec2(sx, ly), ImVec2(sx + 3.5f, ly), col, 2.0f);
            } else {
                dl_->AddLine(ImVec2(x, ly), ImVec2(x + fh * 1.2f, ly), col, 2.5f);
            }
            dl_->AddText(ImVec2(x + fh * 1.5f, y), theme::kLegendText, name.c_str());
            x += widths[i] + gap;
        }
    }
}

void LinePlot::end() {
    if (!dl_) return;
    if (hovered_) {
        const float mx = ImGui::GetIO().MousePos.x;
        dl_->AddLine(ImVec2(mx, p0_.y), ImVec2(mx, p1_.y), theme::kPlotCursor);
    }
    dl_->PopClipRect();
    dl_ = nullptr;
}

// ---- small helpers ------------------------------------------------------------------------------
void HelpMarker(const char* text) {
    ImGui::SameLine();
    ImGui::TextDisabled("(?)");
    if (ImGui::IsItemHovered()) TooltipWrapped(text, 30);
}

void Tip(const char* key) {
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    note_item(key, a.x, a.y, b.x, b.y);
    if (!ImGui::IsItemHovered()) return;
    std::string_view t = help_text(key);
    if (t.empty()) t = "(no explanation yet)";  // counted in window.aelab.helpMissing
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28);
    ImGui::TextUnformatted(t.data(), t.data() + t.size());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
    note_hovered(key);
}

void HelpKey(const char* key) {
    ImGui::SameLine();
    ImGui::TextDisabled("(?)");
    Tip(key);
}

void PanelCaption(const char* key) {
    std::string_view t = help_text(key);
    if (t.empty()) t = key;  // a key without a text (counted in window.aelab.helpMissing): show the key
    const float w = std::max(1.0f, ImGui::GetContentRegionAvail().x), h = ImGui::GetTextLineHeight();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(w, h));  // the item the tooltip and the rectangle belong to
    ImGui::PushStyleColor(ImGuiCol_Text, theme::kTextDim);
    ImGui::RenderTextEllipsis(ImGui::GetWindowDrawList(), p, ImVec2(p.x + w, p.y + h), p.x + w, p.x + w, t.data(),
                              t.data() + t.size(), nullptr);
    ImGui::PopStyleColor();
    Tip(key);
}

void PushReadableSliders() {
    ImVec4 g = ImGui::GetStyle().Colors[ImGuiCol_SliderGrab];
    ImVec4 ga = ImGui::GetStyle().Colors[ImGuiCol_SliderGrabActive];
    g.w = 0.45f;
    ga.w = 0.6f;
    ImGui::PushStyleColor(ImGuiCol_SliderGrab, g);
    ImGui::PushStyleColor(ImGuiCol_SliderGrabActive, ga);
    ImGui::PushStyleVar(ImGuiStyleVar_GrabMinSize, 5.0f);
}

void PopReadableSliders() {
    ImGui::PopStyleVar();
    ImGui::PopStyleColor(2);
}

void TooltipWrapped(const char* text, float width_em) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * width_em);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

void TextWrappedColored(const ImVec4& col, const char* text) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(col, "%s", text);
    ImGui::PopTextWrapPos();
}

std::string fmt(const char* f, double v) {
    char b[64];
    std::snprintf(b, sizeof b, f, v);
    return b;
}

void LabelledImage(const ImageTexture& tex, const RowLabel* rows, int n_rows, int repeat, const char* widest,
                   float reserve_h) {
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float label_w = ImGui::CalcTextSize(widest).x + 6;
    const float scale = std::max(0.5f, std::min((avail.x - label_w) / std::max(1, tex.width()),
                                                (avail.y - reserve_h) / std::max(1, tex.height())));
    const ImVec2 sz(tex.width() * scale, tex.height() * scale);
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    ImGui::SetCursorScreenPos(ImVec2(p0.x + label_w, p0.y));
    ImGui::Image(tex.imgui_id(), sz);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const int total = n_rows * repeat;
    for (int r = 0; r < total; ++r)
        dl->AddText(ImVec2(p0.x, p0.y + sz.y * (r + 0.5f) / total - ImGui::GetFontSize() * 0.5f), rows[r % n_rows].colour,
                    rows[r % n_rows].text);
}

void RaiseCurrentWindow() {
    if (ImGui::GetTopMostPopupModal() == nullptr) ImGui::BringWindowToDisplayFront(ImGui::GetCurrentWindow());
}

}  // namespace aelab::app
