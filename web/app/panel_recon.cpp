// panel_recon.cpp: the reconstructions panel (see panels.hpp): one test image of each
// class, with its AE and PCA reconstructions below it (two blocks of five columns). With
// input noise on (denoising), one block of ten columns: input, the corrupted input (fixed
// noise, as the CLI's montage), the AE's reconstruction of it, the AE and PCA of the clean
// input. Below, when sparsity is on or ticked: the code activity histogram; else, when the
// contractive penalty is on or "sensitivity" is ticked: the sensitivity view
// (panel_sensitivity.cpp).
#include "panels.hpp"
#include "theme.hpp"
#include "widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace aelab::app {
namespace {

ImU32 row_colour(ReconRow r) {
    switch (r) {
        case ReconRow::Input: return theme::kRowLabel;
        case ReconRow::Noisy:
        case ReconRow::NoisyAE: return theme::kRowNoisy;
        case ReconRow::AE: return theme::kAccent;
        case ReconRow::PCA: return theme::kPca;
    }
    return theme::kRowLabel;
}

void upload_images(Session& session, const Settings& applied, ReconState& st) {
    const Dataset& te = session.data().test;
    const int n = static_cast<int>(st.idx.size());
    const Index d = te.X.rows();
    Mat X(d, n);
    for (int i = 0; i < n; ++i) X.col(i) = te.X.col(st.idx[i]);
    // Input noise belongs to dense autoencoders (a layer graph has none: no noisy rows).
    const Mat Xn = session.dense() ? noisy_inputs(*session.dense(), X, applied.seed) : Mat(d, 0);
    st.layout = recon_layout(n, Xn.cols() > 0);
    const Mat Rae = session.reconstruct(X);
    const Mat Rpca = session.pca_decode(session.pca_encode(X));
    Mat Rn;
    if (Xn.cols() > 0) Rn = session.reconstruct(Xn);
    const Mat M = recon_grid(st.layout, {&X, &Xn, &Rn, &Rae, &Rpca});
    st.tex.upload_grid(M.data(), st.layout.grid_count(), 28, 28, st.layout.grid_cols());
}

// Bars of the mean activation per code unit, the KL target as a line, hover = unit + value.
void ShowCodeActivity(PanelContext& cx, ReconState& st, ImVec2 size) {
    const Session& session = cx.ctl.session();
    const Settings& s = cx.ctl.applied();
    if (session.test_codes().size() > 0 &&
        claim_view(cx.views, kViewActivity, st.activity_refresh, cx.now, session.total_steps())) {
        const ViewTimer timer(cx.views, kViewActivity);
        st.activity = code_activity(session.test_codes(), s.sparsity, s.sparsity_target, st.sorted);
        st.has_activity = true;
        st.activity_refresh.mark(cx.now, session.total_steps());
    }
    if (!st.has_activity) return;
    const CodeActivity& a = st.activity;
    const int k = static_cast<int>(a.value.size());
    LinePlot p;
    if (!p.begin("##activity", size, 0, k, a.lo, a.hi * 1.05, false,
                 st.sorted ? "code unit (sorted by activity)" : "code unit"))
        return;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float base = p.to_screen(0, 0).y;
    int hov = -1;
    if (p.hovered()) hov = std::clamp(static_cast<int>(std::floor(p.mouse_x())), 0, k - 1);
    for (int j = 0; j < k; ++j) {
        const ImVec2 a0 = p.to_screen(j + 0.1, a.value[j]), a1 = p.to_screen(j + 0.9, 0);
        const float x1 = std::max(a1.x, a0.x + 1.0f);  // at least one pixel wide
        dl->AddRectFilled(ImVec2(a0.x, std::min(a0.y, base)), ImVec2(x1, std::max(a0.y, base)),
                          j == hov ? theme::kBarCodeHover : theme::kBarCode);
    }
    if (a.has_target) p.hline(a.target, theme::kTargetRate, "target rate");
    p.end();
    if (hov >= 0)
        ImGui::SetTooltip("unit %d: mean %s %.4f", a.unit[hov], a.absolute ? "|activation|" : "activation",
                          a.value[hov]);
}

}  // namespace

void ReconState::reset(const Session& s) {
    refresh.invalidate();
    activity_refresh.invalidate();
    has_activity = false;
    sens.reset();
    idx = s.has_data() ? first_of_each_class(s.data().test, 10) : std::vector<int>{};
}

void ShowReconPanel(PanelContext& cx, ReconState& st) {
    Session& session = cx.ctl.session();
    const int n = static_cast<int>(st.idx.size());
    if (n == 0) return;
    PanelCaption("panel.recon");
    const Settings& applied = cx.ctl.applied();
    const bool noisy = applied.noise != Noise::None;
    // A noise switched on or off changes the rows: redraw now, not at the next period.
    if (noisy != (st.layout.rows.size() == 5)) st.refresh.invalidate();
    if (claim_view(cx.views, kViewRecon, st.refresh, cx.now, session.total_steps())) {
        const ViewTimer timer(cx.views, kViewRecon);
        st.refresh.mark(cx.now, session.total_steps());
        upload_images(session, applied, st);
    }
    const bool sparse = applied.sparsity != Sparsity::None;
    const bool activity = sparse || st.show_activity;
    const bool cae = applied.contractive > 0;
    const bool sens = !activity && (st.show_sens || cae) && session.dense() != nullptr;
    const float line = ImGui::GetTextLineHeightWithSpacing();
    const float avail_h = ImGui::GetContentRegionAvail().y;
    const float hist_h = activity ? std::max(80.0f, std::floor(avail_h * 0.38f))
                         : sens   ? std::max(90.0f, std::floor(avail_h * 0.45f))
                                  : 0.0f;
    RowLabel rows[5];
    const int nr = static_cast<int>(st.layout.rows.size());
    for (int r = 0; r < nr; ++r) rows[r] = {recon_row_label(st.layout.rows[r]), row_colour(st.layout.rows[r])};
    LabelledImage(st.tex, rows, nr, st.layout.blocks, noisy ? "AE(noisy) " : "input ",
                  line * (activity ? 3 : sens ? 4 : 2) + hist_h);
    const double ae = session.last_test_mse(), pca = session.pca_test_mse();
    // PCA keeps at most its fitted axes (40 for images): a conv AE's code is larger.
    const int kp = std::min(session.k(), session.pca_max_k());
    if (kp == session.k())
        ImGui::TextColored(theme::kTextDim, "test MSE: AE %.4f, PCA %.4f (k = %d)", ae, pca, session.k());
    else
        ImGui::TextColored(theme::kTextDim, "test MSE: AE %.4f (code %d), PCA %.4f (k = %d)", ae, session.k(), pca, kp);
    if (noisy)
        ImGui::TextColored(theme::kTextDim, "%s %.2g: noisy -> AE(noisy)", noise_name(applied.noise),
                           applied.noise_level);
    else
        ImGui::TextColored(theme::kTextDim, "one image per class");
    if (!sparse) {
        ImGui::SameLine();
        if (ImGui::Checkbox("code activity", &st.show_activity) && st.show_activity) st.show_sens = false;
        Tip("recon.activity");
    }
    if (!cae && session.dense()) {
        ImGui::SameLine();
        if (ImGui::Checkbox("sensitivity", &st.show_sens) && st.show_sens) st.show_activity = false;
        Tip("recon.sensitivity");
    }
    if (sens) ShowSensitivity(cx, st, ImVec2(ImGui::GetContentRegionAvail().x, hist_h));
    if (activity) {
        if (st.has_activity)
            ImGui::TextColored(theme::kTextDim, "code activity: mean %s %.3f", st.activity.absolute ? "|z|" : "z",
                               st.activity.mean);
        else
            ImGui::TextColored(theme::kTextDim, "code activity");
        ImGui::SameLine();
        if (ImGui::Checkbox("sorted", &st.sorted)) st.activity_refresh.invalidate();
        Tip("recon.sorted");
        ShowCodeActivity(cx, st, ImVec2(ImGui::GetContentRegionAvail().x, std::max(60.0f, ImGui::GetContentRegionAvail().y)));
    }
}

}  // namespace aelab::app
