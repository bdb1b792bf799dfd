// panel_mc.cpp: the Monte Carlo search on the page (panels.hpp): its settings in the control
// column (ShowMcSettings, under the optimizer when opt = mc) and its panel (ShowMcPanel):
// interval bars of the weak confidence intervals (mc_views.hpp mc_bars(): the interval, the
// best archived value, the current value; a kp / km layer's alpha / beta transformed as the
// layer uses them) refreshed 4 times a second, and the loss landscape along one chosen
// parameter (McLandscape), computed a few grid points per frame within ~4 ms, with the
// tolerance level and the interval drawn on it.
#include "aelab/group_transform.hpp"
#include "controls_util.hpp"
#include "panels.hpp"
#include "query_mc.hpp"
#include "theme.hpp"
#include "widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace aelab::app {
namespace {

double wall_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// An input field for one number, applied on Enter / leaving the field, clamped to [lo, hi].
bool NumberField(const char* label, double* v, double lo, double hi, const char* help) {
    double x = *v;
    const bool changed = ImGui::InputDouble(label, &x, 0, 0, "%.6g", ImGuiInputTextFlags_EnterReturnsTrue);
    Tip(help);
    if (!changed || !std::isfinite(x)) return false;
    x = std::clamp(x, lo, hi);
    if (x == *v) return false;
    *v = x;
    return true;
}

constexpr ImU32 kInterval = IM_COL32(120, 170, 240, 200);
constexpr ImU32 kBest = IM_COL32(250, 200, 80, 255);
constexpr ImU32 kCurrent = IM_COL32(240, 110, 110, 255);
constexpr ImU32 kTrack = IM_COL32(90, 90, 100, 160);

// One row: the label, then a track scaled to this parameter's own range with the interval as
// a band, the best value as a tick and the current value as a dot; numbers in the tooltip.
void DrawBar(const McBar& b, float label_w, float width) {
    const float fh = ImGui::GetFontSize();
    ImGui::TextColored(theme::kTextDim, "%s", b.label.c_str());
    ImGui::SameLine(label_w);
    const ImVec2 t0 = ImGui::GetCursorScreenPos();
    // The numbers beside the track when there is room (always in the tooltip).
    const float num_w = ImGui::CalcTextSize("[-0.000, -0.000]").x + fh;
    const bool numbers = width - label_w - num_w >= fh * 6;
    const float w = std::max(20.0f, width - label_w - (numbers ? num_w : 0.0f));
    ImGui::InvisibleButton(("##bar" + b.label).c_str(), ImVec2(w, fh));
    const bool hov = ImGui::IsItemHovered();
    if (numbers) {
        ImGui::SameLine();
        ImGui::TextColored(theme::kTextDim, "[%.3g, %.3g]", b.lo, b.hi);
    }
    double a = std::min({b.lo, b.best, b.current}), z = std::max({b.hi, b.best, b.current});
    if (!std::isfinite(a) || !std::isfinite(z)) return;
    const double pad = std::max(0.1 * (z - a), 1e-6 * std::max(1.0, std::fabs(z)));
    a -= pad, z += pad;
    auto X = [&](double v) { return t0.x + static_cast<float>((v - a) / (z - a)) * w; };
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float cy = t0.y + fh * 0.5f;
    dl->AddLine(ImVec2(t0.x, cy), ImVec2(t0.x + w, cy), kTrack, 1.0f);
    dl->AddRectFilled(ImVec2(X(b.lo), cy - fh * 0.3f), ImVec2(std::max(X(b.hi), X(b.lo) + 2), cy + fh * 0.3f), kInterval);
    dl->AddLine(ImVec2(X(b.best), cy - fh * 0.45f), ImVec2(X(b.best), cy + fh * 0.45f), kBest, 2.5f);
    dl->AddCircleFilled(ImVec2(X(b.current), cy), fh * 0.2f, kCurrent);
    if (hov) {
        std::string t = b.label + (b.transform.empty() ? "" : " = " + b.transform + "(raw)") + "\ninterval [" +
                        fmt("%.6g", b.lo) + ", " + fmt("%.6g", b.hi) + "]\nbest " + fmt("%.6g", b.best) + "\ncurrent " +
                        fmt("%.6g", b.current);
        if (!b.transform.empty())
            t += "\nraw (what the search moves): [" + fmt("%.6g", b.raw_lo) + ", " + fmt("%.6g", b.raw_hi) + "], best " +
                 fmt("%.6g", b.raw_best);
        TooltipWrapped(t.c_str(), 24);
    }
}

void StartLandscape(PanelContext& cx, McPanelState& st) {
    if (st.choice < 0 || st.choice >= static_cast<int>(st.bars.size())) return;
    const McBar& b = st.bars[st.choice];
    const Session& s = cx.ctl.session();
    const McRange r = mc_landscape_range(b.raw_lo, b.raw_hi, b.raw_best, s.model().params()[b.param]);
    try {
        st.land.start(s.model(), s.data().train.X, b.param, r.lo, r.hi, 41, 256);
        st.land_bar = b;
        st.land_error.clear();
        st.land_cost = 0;
    } catch (const std::exception& e) {
        st.land.clear();
        st.land_error = e.what();
    }
}

void DrawLandscape(PanelContext& cx, McPanelState& st, ImVec2 size) {
    const McLandscape& L = st.land;
    // The interval and best value as now (the archive moves on while the curve is recomputed).
    const McBar* now = &st.land_bar;
    for (const McBar& x : st.bars)
        if (x.label == st.land_bar.label) now = &x;
    const McBar& b = *now;
    const ParamTransform* tf = group_transform(cx.ctl.session().model(), b.group);
    const bool use_tf = tf && !b.transform.empty();
    auto shown = [&](double u) { return use_tf ? tf->value(u) : u; };
    std::vector<float> xs, ys;
    double y0 = 1e300, y1 = -1e300;
    for (int i = 0; i < L.computed(); ++i) {
        if (!std::isfinite(L.losses()[i])) continue;
        xs.push_back(static_cast<float>(shown(L.values()[i])));
        ys.push_back(static_cast<float>(L.losses()[i]));
        y0 = std::min(y0, L.losses()[i]);
        y1 = std::max(y1, L.losses()[i]);
    }
    const double x0 = shown(L.values().front()), x1 = shown(L.values().back());
    const int am = L.argmin();
    const double lmin = am >= 0 ? L.losses()[am] : 0;
    const double level = lmin + cx.ctl.settings().mc_tol * std::fabs(lmin);
    if (!(y1 > y0)) y0 -= 1, y1 += 1;
    y1 = std::max(y1, level);
    const double py = 0.08 * (y1 - y0);
    const std::string xl = use_tf ? b.label + " = " + b.transform + "(raw)" : b.label;
    LinePlot plot;
    if (!plot.begin("##mcland", size, std::min(x0, x1), std::max(x0, x1), y0 - py, y1 + py, false, xl.c_str(),
                    "training loss (subset)"))
        return;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float top = plot.plot_min().y, bot = plot.plot_max().y;
    const float il = plot.to_screen(b.lo, 0).x, ih = plot.to_screen(b.hi, 0).x;
    dl->AddRectFilled(ImVec2(std::min(il, ih), top), ImVec2(std::max(std::max(il, ih), std::min(il, ih) + 2), bot),
                      IM_COL32(120, 170, 240, 60));
    plot.hline(level, theme::kPca, nullptr);
    if (xs.size() >= 2) plot.line(xs.data(), ys.data(), static_cast<int>(xs.size()), theme::kTest, 2.0f);
    const float bx = plot.to_screen(b.best, 0).x;
    dl->AddLine(ImVec2(bx, top), ImVec2(bx, bot), kBest, 1.5f);
    const float cxp = plot.to_screen(shown(L.base_value()), 0).x;
    dl->AddCircleFilled(ImVec2(cxp, bot - 4), 4, kCurrent);
    const std::string tol_name = "min + " + fmt("%.3g", cx.ctl.settings().mc_tol) + "|min|";
    plot.legend({{"loss", theme::kTest}, {tol_name, theme::kPca}, {"interval", kInterval}, {"best", kBest}}, {tol_name},
                true);
    plot.end();
}

}  // namespace

void ShowMcSettings(PanelContext& cx) {
    Settings& s = cx.ctl.settings_mut();
    const float full = ImGui::GetContentRegionAvail().x;
    bool ch = false;
    ImGui::SetNextItemWidth(full * 0.5f);
    ch |= ImGui::SliderInt("population", &s.mc_pop, 1, 10000, "%d", ImGuiSliderFlags_Logarithmic);
    s.mc_pop = std::clamp(s.mc_pop, 1, 10000);
    Tip("opt.mc_pop");
    ImGui::SetNextItemWidth(full * 0.5f);
    static const std::vector<McDist> dists = {McDist::Normal, McDist::Uniform, McDist::Cauchy};
    ch |= EnumCombo("proposals", &s.mc_dist, dists, [](McDist d) { return mc_dist_name(d); });
    Tip("opt.mc_dist");
    ImGui::SetNextItemWidth(full * 0.5f);
    ch |= NumberField("temperature", &s.mc_temp, 0, kMaxMcTemp, "opt.mc_temp");
    ImGui::SetNextItemWidth(full * 0.5f);
    ch |= NumberField("anneal", &s.mc_anneal, 1e-6, 1, "opt.mc_anneal");
    bool box = s.mc_lo < s.mc_hi;
    if (ImGui::Checkbox("box", &box)) {
        s.mc_lo = box ? -5 : 0;
        s.mc_hi = box ? 5 : 0;
        ch = true;
    }
    Tip("opt.mc_bounds");
    if (box) {
        double lo = s.mc_lo, hi = s.mc_hi;
        ImGui::SameLine();
        ImGui::SetNextItemWidth(full * 0.25f);
        bool b = NumberField("##mclo", &lo, -kMaxMcBound, kMaxMcBound, "opt.mc_bounds");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(full * 0.25f);
        b |= NumberField("##mchi", &hi, -kMaxMcBound, kMaxMcBound, "opt.mc_bounds");
        if (b && lo < hi) {
            s.mc_lo = lo, s.mc_hi = hi;
            ch = true;
        } else if (b) {
            cx.ctl.say("the box needs lo < hi; kept [" + fmt("%g", s.mc_lo) + ", " + fmt("%g", s.mc_hi) + "]");
        }
    }
    ch |= ImGui::Checkbox("one scale per layer group", &s.mc_groups);
    Tip("opt.mc_groups");
    float tol = static_cast<float>(s.mc_tol);
    ImGui::SetNextItemWidth(full * 0.5f);
    if (ImGui::SliderFloat("tolerance", &tol, 0.001f, 10.0f, "%.4g", ImGuiSliderFlags_Logarithmic)) {
        s.mc_tol = round_sig(std::clamp(static_cast<double>(tol), 0.001, 10.0), 3);
        ch = true;
    }
    Tip("opt.mc_tol");
    ImGui::SetNextItemWidth(full * 0.5f);
    ch |= ImGui::SliderInt("archive", &s.mc_archive, 1, kMaxMcArchive, "%d", ImGuiSliderFlags_Logarithmic);
    s.mc_archive = std::clamp(s.mc_archive, 1, kMaxMcArchive);
    Tip("opt.mc_archive");
    if (ch) s.preset.clear();
}

void McPanelState::reset() {
    land.clear();
    land_error.clear();
    bars.clear();
    choice = 0;
    last_refresh = -1;
    land_cost = land_done_at = 0;
}

void ShowMcPanel(PanelContext& cx, McPanelState& st) {
    PanelCaption("panel.mc");
    Session& session = cx.ctl.session();
    if (!session.has_model() || session.trainer().optimizer_config().kind != OptimizerKind::MonteCarlo) {
        TextWrappedColored(theme::kTextDim, "Choose the optimizer Monte Carlo to see its intervals.");
        return;
    }
    if (st.last_refresh < 0 || cx.now - st.last_refresh >= 0.25 || cx.now < st.last_refresh) {
        st.iv = mc_intervals(session.trainer().optimizer());
        st.bars = mc_bars(st.iv, session.model(), 24);
        st.last_refresh = cx.now;
    }
    if (st.iv.samples == 0) {
        TextWrappedColored(theme::kTextDim, "No samples yet: press Play (the archive fills as the search runs).");
        return;
    }
    ImGui::TextColored(theme::kTextDim, "best loss %.4g, within tolerance %ld of %ld samples (loss <= %.4g)",
                       st.iv.best_loss, st.iv.within, st.iv.samples, st.iv.threshold);
    // Wide panels: bars left, landscape right; else bars above the landscape.
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const bool side = avail.x > avail.y * 1.6f;
    const float fh = ImGui::GetFrameHeightWithSpacing();
    const float bars_w = side ? std::floor(avail.x * 0.5f) : avail.x;
    const float bars_h = side ? avail.y : std::min(avail.y * 0.4f, fh * (static_cast<float>(st.bars.size()) + 0.5f));
    float label_w = 0;
    for (const McBar& b : st.bars) label_w = std::max(label_w, ImGui::CalcTextSize(b.label.c_str()).x);
    label_w = std::min(label_w + 12, bars_w * 0.5f);
    if (ImGui::BeginChild("##mcbars", ImVec2(bars_w, bars_h), false)) {
        for (const McBar& b : st.bars) DrawBar(b, label_w, ImGui::GetContentRegionAvail().x);
    }
    ImGui::EndChild();
    if (side) ImGui::SameLine();
    ImGui::BeginGroup();
    // The landscape: pick a parameter; computed over frames, recomputed while training at
    // most ~10% of the time (10x its own cost apart, at least 1 s).
    if (st.choice >= static_cast<int>(st.bars.size())) st.choice = 0;
    const float right_w = ImGui::GetContentRegionAvail().x;
    ImGui::SetNextItemWidth(std::min(right_w * 0.45f, ImGui::GetFontSize() * 14));
    if (ImGui::BeginCombo("##mcparam", st.bars.empty() ? "" : st.bars[st.choice].label.c_str())) {
        for (int i = 0; i < static_cast<int>(st.bars.size()); ++i)
            if (ImGui::Selectable(st.bars[i].label.c_str(), i == st.choice)) {
                st.choice = i;
                StartLandscape(cx, st);
            }
        ImGui::EndCombo();
    }
    Tip("mc.param");
    ImGui::SameLine();
    if (ImGui::Button("Recompute")) StartLandscape(cx, st);
    Tip("mc.landscape");
    const bool due = st.land.done() && cx.ctl.playing() && cx.now - st.land_done_at > std::max(1.0, 10 * st.land_cost);
    if ((!st.land.started() && st.land_error.empty()) || due) StartLandscape(cx, st);
    if (!st.land.started()) {
        if (!st.land_error.empty()) TextWrappedColored(theme::kTextErr, st.land_error.c_str());
        ImGui::EndGroup();
        return;
    }
    if (!st.land.done()) {
        const double t0 = wall_s();
        do st.land.step(1);
        while (!st.land.done() && wall_s() - t0 < 0.004);
        st.land_cost += wall_s() - t0;
        if (st.land.done()) st.land_done_at = cx.now;
    }
    ImGui::SameLine();
    if (st.land.done()) ImGui::TextColored(theme::kTextDim, "%.0f ms", st.land_cost * 1e3);
    else ImGui::TextColored(theme::kTextDim, "%d / %d", st.land.computed(), static_cast<int>(st.land.values().size()));
    DrawLandscape(cx, st, ImGui::GetContentRegionAvail());
    ImGui::EndGroup();
}

}  // namespace aelab::app
