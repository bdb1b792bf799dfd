// panel_pca.cpp: the "linear AE vs PCA" panel (see panels.hpp), three tabs: the principal
// angles between the AE decoder's span and PCA's top-k subspace over the steps, the
// explained variance (bars) and its cumulative sum, and the components themselves (images:
// eigen-digits beside the AE decoder's columns; 2-D / 3-D: the vectors as numbers).
#include "panels.hpp"
#include "theme.hpp"
#include "widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace aelab::app {

void PcaState::release() {
    comps_tex.release();
    ae_comps_tex.release();
}

namespace {

void ShowAnglesTab(Session& session) {
    if (!session.dense()) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextColored(theme::kTextDim, "The angles compare a dense decoder's weight product with PCA's axes; "
                                            "this layer graph (%s) has no such linear map.",
                           session.is_vae() ? "a VAE" : "convolutions");
        ImGui::PopTextWrapPos();
        return;
    }
    const int k = session.k();
    const auto& ah = session.angle_history();
    if (!ah.empty()) {
        std::string now;
        for (float d : ah.back().degrees) now += fmt(now.empty() ? "%.2f" : ", %.2f", d);
        ImGui::TextColored(theme::kTextDim, "angles now:");
        ImGui::SameLine(0, 4);
        ImGui::TextColored(ah.back().degrees.back() < 2 ? theme::kTextGood : theme::kTextBright, "%s deg", now.c_str());
    }
    ImGui::PushTextWrapPos(0.0f);
    if (!session.model_is_linear())
        ImGui::TextColored(theme::kTextWarn, "nonlinear model: angles of the product of its decoder weights (indicative only)");
    else
        ImGui::TextColored(theme::kTextDim, "between the span of the AE decoder and PCA's top-%d subspace", k);
    ImGui::PopTextWrapPos();
    const int n = static_cast<int>(ah.size());
    const int stride = std::max(1, (n + 599) / 600);
    const int na = n ? static_cast<int>(ah.back().degrees.size()) : 0;
    std::vector<float> xs;
    std::vector<std::vector<float>> ys(na);
    for (int i = 0; i < n; i += stride) {
        if (static_cast<int>(ah[i].degrees.size()) != na) continue;
        xs.push_back(static_cast<float>(ah[i].step));
        for (int a = 0; a < na; ++a) ys[a].push_back(ah[i].degrees[a]);
    }
    LinePlot plot;
    const double ax0 = static_cast<double>(session.step_offset());
    const double x1 = std::max<double>(ax0 + 10, static_cast<double>(session.total_steps()));
    if (plot.begin("##angles", ImGui::GetContentRegionAvail(), ax0, x1, 0, 90, false, "optimizer steps",
                   "angle (degrees)")) {
        std::vector<std::pair<std::string, ImU32>> legend;
        for (int a = 0; a < na; ++a) {
            plot.line(xs.data(), ys[a].data(), static_cast<int>(xs.size()), palette_color(a), 1.8f);
            legend.push_back({na == 1 ? std::string("angle") : "angle " + std::to_string(a + 1) + (a + 1 == na ? " (largest)" : ""),
                              palette_color(a)});
        }
        plot.legend(legend);
        plot.end();
    }
}

void ShowVarianceTab(Session& session) {
    const int k = session.k();
    const PCA& pca = session.pca();
    const int nc = std::min<int>(20, static_cast<int>(pca.explained_variance_ratio_.size()));
    ImGui::TextColored(theme::kTextDim, "k = %d keeps", k);
    ImGui::SameLine(0, 4);
    double cum_k = 0;
    for (int i = 0; i < std::min(k, static_cast<int>(pca.explained_variance_ratio_.size())); ++i)
        cum_k += pca.explained_variance_ratio_(i);
    ImGui::TextColored(theme::kTextGood, "%.1f%%", cum_k * 100);
    ImGui::SameLine(0, 4);
    ImGui::TextColored(theme::kTextDim, "of the variance");
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    LinePlot plot;
    if (nc <= 0 || !plot.begin("##var", avail, 0.5, nc + 0.5, 0, 1, false, "principal component",
                               "share of the variance"))
        return;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    std::vector<float> xs, cum;
    double c = 0;
    for (int i = 0; i < nc; ++i) {
        const double r = pca.explained_variance_ratio_(i);
        c += r;
        const ImVec2 a = plot.to_screen(i + 1 - 0.38, r), b = plot.to_screen(i + 1 + 0.38, 0);
        dl->AddRectFilled(a, b, i < k ? theme::kBarInK : theme::kBarOutK);
        xs.push_back(static_cast<float>(i + 1));
        cum.push_back(static_cast<float>(c));
    }
    plot.line(xs.data(), cum.data(), nc, theme::kAccent, 2.0f);
    for (int i = 0; i < nc; ++i) dl->AddCircleFilled(plot.to_screen(xs[i], cum[i]), 2.5f, theme::kAccent);
    plot.legend({{"cumulative", theme::kAccent}, {"kept (k)", theme::kBarInK}, {"dropped", theme::kBarOutK}});
    if (plot.hovered()) {
        const int i = std::clamp(static_cast<int>(std::lround(plot.mouse_x())) - 1, 0, nc - 1);
        ImGui::SetTooltip("component %d: %.2f%% (cumulative %.2f%%)", i + 1, pca.explained_variance_ratio_(i) * 100,
                          cum[i] * 100);
    }
    plot.end();
}

// "name1 (v, v, v)  extra" lines, one per column of M.
void ShowVectors(const char* name, const Eigen::Ref<const Eigen::MatrixXd>& M, const Eigen::VectorXd& extra) {
    for (Index c = 0; c < M.cols(); ++c) {
        std::string v;
        for (Index r = 0; r < M.rows(); ++r) v += fmt(r ? ", %+.3f" : "%+.3f", M(r, c));
        ImGui::Text("%s%d (%s)  %.3f", name, static_cast<int>(c) + 1, v.c_str(), extra(c));
    }
}

void ShowComponentsTab(PanelContext& cx, PcaState& st) {
    Session& session = cx.ctl.session();
    const PCA& pca = session.pca();
    // A layer graph has no decoder weight product: PCA's components only.
    const Mat W = session.dense() ? session.dense()->decoder_linear_map() : Mat(session.dim(), 0);  // d x k
    if (is_image_dataset(session.kind())) {
        const int nc = std::min<int>(8, static_cast<int>(pca.n_components_));
        const int na = std::min<int>(8, static_cast<int>(W.cols()));
        if (st.comps.due(cx.now, session.total_steps())) {
            st.comps.mark(cx.now, session.total_steps());
            ImageStyle sty;
            sty.cmap = ImageColormap::Diverging;
            sty.per_image_range = true;
            const Mat C = pca.components_.leftCols(nc).cast<float>();
            st.comps_tex.upload_grid(C.data(), nc, 28, 28, nc, sty);
            if (na > 0) st.ae_comps_tex.upload_grid(W.data(), na, 28, 28, nc, sty);
        }
        const ImageTexture& pt = st.comps_tex;
        const ImVec2 avail = ImGui::GetContentRegionAvail();
        const float sc = std::max(0.5f, std::min(avail.x / pt.width(),
                                                 (avail.y - ImGui::GetTextLineHeightWithSpacing() * 3) / (2.0f * pt.height())));
        ImGui::TextColored(theme::kTextPca, "PCA components 1-%d", nc);
        ImGui::Image(pt.imgui_id(), ImVec2(pt.width() * sc, pt.height() * sc));
        if (na == 0) return;  // a layer graph: no decoder weight product
        ImGui::TextColored(theme::kTextAe, "AE decoder columns (linear map code -> image)");
        ImGui::Image(st.ae_comps_tex.imgui_id(), ImVec2(st.ae_comps_tex.width() * sc, st.ae_comps_tex.height() * sc));
        return;
    }
    ImGui::TextColored(theme::kTextPca, "PCA axes (columns), explained variance");
    ShowVectors("PC", pca.components_, pca.explained_variance_);
    if (W.cols() == 0) return;  // a layer graph: no decoder weight product
    ImGui::Spacing();
    ImGui::TextColored(theme::kTextAe, "AE decoder columns, normalised (length)");
    Eigen::MatrixXd Wn = W.cast<double>();
    Eigen::VectorXd len(W.cols());
    for (Index c = 0; c < W.cols(); ++c) {
        len(c) = W.col(c).norm();  // float norm, as shown before
        if (len(c) > 0) Wn.col(c) = (W.col(c) / static_cast<float>(len(c))).cast<double>();
        else Wn.col(c).setZero();
    }
    ShowVectors("w", Wn, len);
    TextWrappedColored(theme::kTextDim, "A linear AE need not find the axes themselves, only the subspace they span "
                                        "(see the angles tab).");
}

}  // namespace

void ShowPcaPanel(PanelContext& cx, PcaState& st) {
    PanelCaption("panel.pca");
    if (!ImGui::BeginTabBar("##pcatabs")) return;
    if (ImGui::BeginTabItem("Angles")) {
        ShowAnglesTab(cx.ctl.session());
        ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Variance")) {
        ShowVarianceTab(cx.ctl.session());
        ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Components")) {
        ShowComponentsTab(cx, st);
        ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
}

}  // namespace aelab::app
