// panel_sensitivity.cpp: the contractive AE's sensitivity view under the reconstructions
// (panels.hpp ShowSensitivity; the numbers are sensitivity.hpp's): a test image x moved along
// a direction (towards the next shown image, random, PC1) by t in [0, ||x_other - x||]: the
// inputs x + t v and their reconstructions in a row, the curves ||r(x + t v) - r(x)|| and
// ||f(x + t v) - f(x)|| against t, ||J_f(x)||_F, and the curves of the previous contractive
// lambda in grey (move the contractive slider: a CAE's code curve flattens). Recomputed at
// most every 0.5 s while the model trains, at once on a change of its own controls.
#include "panels.hpp"
#include "theme.hpp"
#include "widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace aelab::app {
namespace {

constexpr int kCurvePoints = 25;
constexpr int kRowImages = 7;
constexpr ImU32 kCodeCol = IM_COL32(60, 200, 200, 255);  // the recon curve is the test colour
constexpr ImU32 kPrevCol = IM_COL32(150, 150, 150, 170);

void compute(PanelContext& cx, ReconState& rs) {
    SensState& st = rs.sens;
    Session& session = cx.ctl.session();
    Autoencoder<float>* ae = session.dense();
    const Dataset& te = session.data().test;
    const int n = static_cast<int>(rs.idx.size());
    st.error.clear();
    if (!ae || n < 2) return;
    const Vec x = te.X.col(rs.idx[static_cast<size_t>(st.image % n)]);
    const Vec other = te.X.col(rs.idx[static_cast<size_t>((st.image + 1) % n)]);
    const Vec pc1 = session.pca().components_.col(0).cast<float>();
    try {
        const Vec v = sensitivity_direction(static_cast<SensDirection>(st.direction), x, other, pc1, 7);
        const double lambda = cx.ctl.applied().contractive;
        if (st.has && st.cur_lambda != lambda) {  // the slider moved: the old curve turns grey
            st.prev = st.cur;
            st.prev_lambda = st.cur_lambda;
        }
        st.cur = compute_sensitivity(*ae, x, v, (other - x).cast<double>().norm(), kCurvePoints, kRowImages);
        st.cur_lambda = lambda;
        st.has = true;
        Mat M(x.size(), 2 * kRowImages);
        M.leftCols(kRowImages) = st.cur.row_in;
        M.rightCols(kRowImages) = st.cur.row;
        if (te.image_rows * te.image_cols == x.size())
            st.tex.upload_grid(M.data(), 2 * kRowImages, te.image_cols, te.image_rows, kRowImages);
    } catch (const Error& e) {
        st.error = e.what();
        st.has = false;
    }
}

}  // namespace

void ShowSensitivity(PanelContext& cx, ReconState& rs, ImVec2 size) {
    SensState& st = rs.sens;
    Session& session = cx.ctl.session();
    if (!session.dense()) {
        ImGui::TextColored(theme::kTextDim, "sensitivity: dense autoencoders only");
        return;
    }
    const float full = ImGui::GetContentRegionAvail().x;
    const char* dirs[kNumSensDirections];
    for (int i = 0; i < kNumSensDirections; ++i) dirs[i] = sens_direction_label(static_cast<SensDirection>(i));
    ImGui::SetNextItemWidth(full * 0.32f);
    if (ImGui::Combo("##sensdir", &st.direction, dirs, kNumSensDirections)) st.refresh.invalidate();
    Tip("recon.sens_direction");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(full * 0.2f);
    int img = st.image + 1;
    if (ImGui::SliderInt("image", &img, 1, std::max<int>(1, static_cast<int>(rs.idx.size())))) {
        st.image = img - 1;
        st.refresh.invalidate();
    }
    Tip("recon.sens_image");
    if (claim_view(cx.views, kViewActivity, st.refresh, cx.now, session.total_steps())) {
        const ViewTimer timer(cx.views, kViewActivity);
        st.refresh.mark(cx.now, session.total_steps());
        compute(cx, rs);
    }
    if (!st.error.empty()) {
        TextWrappedColored(theme::kTextWarn, st.error.c_str());
        return;
    }
    if (!st.has) return;
    const SensitivityCurve& c = st.cur;
    ImGui::TextColored(theme::kTextAe, "||J_f(x)||_F %.4g", c.jacobian_fro);
    if (st.prev_lambda >= 0) {
        ImGui::SameLine();
        ImGui::TextColored(theme::kTextDim, "grey: cae %.3g, ||J|| %.4g", st.prev_lambda, st.prev.jacobian_fro);
    }
    // The row (inputs above, reconstructions below) in the left part, the curves right of it.
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float h = std::max(40.0f, std::min(avail.y, size.y));
    float row_w = 0;
    if (st.tex.width() > 0) {
        const float scale = std::min(avail.x * 0.42f / st.tex.width(), h / st.tex.height());
        row_w = st.tex.width() * scale;
        ImGui::Image(st.tex.imgui_id(), ImVec2(row_w, st.tex.height() * scale));
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("top: x + t v for t = 0 .. %.3g (%s)\nbottom: their reconstructions", c.t_max,
                              sens_direction_label(static_cast<SensDirection>(st.direction)));
        ImGui::SameLine();
    }
    double ymax = 1e-9;
    for (const auto* v : {&c.recon_dist, &c.code_dist}) ymax = std::max(ymax, *std::max_element(v->begin(), v->end()));
    const bool prev = st.prev_lambda >= 0 && !st.prev.t.empty() && st.prev.t_max == c.t_max;
    if (prev)
        for (const auto* v : {&st.prev.recon_dist, &st.prev.code_dist})
            ymax = std::max(ymax, *std::max_element(v->begin(), v->end()));
    LinePlot plot;
    if (!plot.begin("##sens", ImVec2(std::max(80.0f, avail.x - row_w - 8), h), 0, c.t_max, 0, ymax * 1.08, false, "t",
                    "distance"))
        return;
    auto line = [&plot](const std::vector<double>& t, const std::vector<double>& y, ImU32 col, float w) {
        std::vector<float> xs(t.begin(), t.end()), ys(y.begin(), y.end());
        plot.line(xs.data(), ys.data(), static_cast<int>(xs.size()), col, w);
    };
    if (prev) {
        line(st.prev.t, st.prev.recon_dist, kPrevCol, 1.2f);
        line(st.prev.t, st.prev.code_dist, kPrevCol, 1.2f);
    }
    line(c.t, c.recon_dist, theme::kTest, 2.0f);
    line(c.t, c.code_dist, kCodeCol, 2.0f);
    std::vector<std::pair<std::string, ImU32>> items = {{"recon", theme::kTest}, {"code", kCodeCol}};
    if (prev) items.emplace_back("before", kPrevCol);
    plot.legend(items, {}, false);
    if (plot.hovered()) {
        const int i = std::clamp(static_cast<int>(std::lround(plot.mouse_x() / c.t_max * (c.t.size() - 1))), 0,
                                 static_cast<int>(c.t.size()) - 1);
        ImGui::SetTooltip("t %.3g\nreconstruction moved %.4g: ||r(x+tv) - r(x)||\ncode moved %.4g: ||f(x+tv) - f(x)||", c.t[static_cast<size_t>(i)],
                          c.recon_dist[static_cast<size_t>(i)], c.code_dist[static_cast<size_t>(i)]);
    }
    plot.end();
}

}  // namespace aelab::app
