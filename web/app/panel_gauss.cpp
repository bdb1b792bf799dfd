// panel_gauss.cpp: the 2-D Gaussian explorer (see panels.hpp), the course's first PCA
// exercise: what the course prints for the sample (mean, covariance with n - 1, eigenvalues
// and eigenvectors sorted, PC1's share of the variance and slope), the mean and covariance
// as editable fields (an invalid covariance shows validate()'s reason and the last valid
// Gaussian stays), and a plot of the training points with their PC1 projections
// x~ = mu + <x - mu, v0> v0 (aelab::project_pc1).
#include "panels.hpp"
#include "theme.hpp"
#include "widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace aelab::app {
namespace {

constexpr Index kPlotPoints = 400;  // points drawn with their projections (a uniform stride)

// Eigenvalues of the population covariance, closed form for 2x2 (what the sample's tend to).
void population_eigenvalues(const Gauss2D& g, double* l0, double* l1) {
    const double m = 0.5 * (g.c00 + g.c11);
    const double r = std::sqrt(0.25 * (g.c00 - g.c11) * (g.c00 - g.c11) + g.c01 * g.c01);
    *l0 = m + r;
    *l1 = m - r;
}

void show_numbers(const DataBundle& d) {
    const Gauss2DStats& s = d.gauss_stats;
    ImGui::TextColored(theme::kTextDim, "n = %lld training points", static_cast<long long>(s.n));
    ImGui::Text("sample mean      (%.4f, %.4f)", s.mean[0], s.mean[1]);
    ImGui::Text("covariance (n-1) [[%.4f, %.4f],", s.cov[0][0], s.cov[0][1]);
    ImGui::Text("                  [%.4f, %.4f]]", s.cov[1][0], s.cov[1][1]);
    double l0, l1;
    population_eigenvalues(d.gauss, &l0, &l1);
    ImGui::Text("eigenvalues      %.4f, %.4f", s.eigval[0], s.eigval[1]);
    ImGui::TextColored(theme::kTextDim, "  (of Sigma itself: %.4f, %.4f)", l0, l1);
    ImGui::TextColored(theme::kTextPca, "v0 (PC1)         (%.4f, %.4f)", s.eigvec[0][0], s.eigvec[0][1]);
    ImGui::Text("v1 (PC2)         (%.4f, %.4f)", s.eigvec[1][0], s.eigvec[1][1]);
    ImGui::Text("variance on PC1  %.2f%%", 100.0 * s.share_pc1);
    if (std::isfinite(s.slope_pc1)) ImGui::Text("PC1 slope        %.4f", s.slope_pc1);
    else ImGui::Text("PC1 slope        vertical");
}

// The training points (a uniform subset), their projections on PC1 and the PC1 line, with
// equal scales on both axes, centred on the sample mean.
void show_projection_plot(const DataBundle& d, ImVec2 size) {
    if (size.x < 40 || size.y < 40) return;
    const Gauss2DStats& s = d.gauss_stats;
    const Index n = d.train.size();
    const Index stride = std::max<Index>(1, n / kPlotPoints);
    std::vector<Index> idx;
    for (Index i = 0; i < n; i += stride) idx.push_back(i);
    Mat X(2, static_cast<Index>(idx.size()));
    for (size_t j = 0; j < idx.size(); ++j) X.col(static_cast<Index>(j)) = d.train.X.col(idx[j]);
    const Mat P = project_pc1(X, s);
    double half = 1e-9;  // half-width of the view in data units
    for (Index j = 0; j < X.cols(); ++j)
        half = std::max({half, std::abs(X(0, j) - s.mean[0]), std::abs(X(1, j) - s.mean[1])});
    half *= 1.05;
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    const ImVec2 p1(p0.x + size.x, p0.y + size.y);
    ImGui::InvisibleButton("##gaussplot", size);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p0, p1, theme::kPlotBg);
    dl->AddRect(p0, p1, theme::kPlotFrame);
    dl->PushClipRect(p0, p1, true);
    const ImVec2 c((p0.x + p1.x) * 0.5f, (p0.y + p1.y) * 0.5f);
    const float scale = static_cast<float>(0.5 * std::min(size.x, size.y) / half);
    auto at = [&](double x, double y) {
        return ImVec2(c.x + static_cast<float>(x - s.mean[0]) * scale, c.y - static_cast<float>(y - s.mean[1]) * scale);
    };
    const double L = 2 * half;  // the PC1 line across the view
    dl->AddLine(at(s.mean[0] - L * s.eigvec[0][0], s.mean[1] - L * s.eigvec[0][1]),
                at(s.mean[0] + L * s.eigvec[0][0], s.mean[1] + L * s.eigvec[0][1]), theme::kDataPcaLine, 2.0f);
    for (Index j = 0; j < X.cols(); ++j) {
        const ImVec2 a = at(X(0, j), X(1, j)), b = at(P(0, j), P(1, j));
        dl->AddLine(a, b, theme::kPlotGrid, 1.0f);
        dl->AddCircleFilled(a, 2.0f, theme::kTrain);
    }
    for (Index j = 0; j < X.cols(); ++j) dl->AddCircleFilled(at(P(0, j), P(1, j)), 2.0f, theme::kPca);
    dl->PopClipRect();
    dl->AddText(ImVec2(p0.x + 6, p0.y + 4), theme::kDataLegendText, "points x");
    dl->AddText(ImVec2(p0.x + 6, p0.y + 4 + ImGui::GetTextLineHeight()), theme::kDataPcaLegend,
                "x~ = mu + <x - mu, v0> v0 on PC1");
}

}  // namespace

void ShowGaussPanel(PanelContext& cx, GaussState& st) {
    Controller& ctl = cx.ctl;
    const Session& session = ctl.session();
    if (!session.has_data() || session.kind() != DatasetKind::Gauss2D) return;
    Settings& settings = ctl.settings_mut();
    PanelCaption("panel.gauss");
    // A preset or URL changed the Gaussian: the fields follow.
    if (!st.have_synced || !same_gauss(settings.gauss, st.synced)) {
        st.edit = settings.gauss;
        st.synced = settings.gauss;
        st.have_synced = true;
        st.error.clear();
    }
    ImGui::PushItemWidth(std::min(ImGui::GetContentRegionAvail().x * 0.7f, ImGui::GetFontSize() * 16));
    bool changed = ImGui::DragScalarN("mean mu", ImGuiDataType_Double, st.edit.mean, 2, 0.02f, nullptr, nullptr, "%.3f");
    double cov[3] = {st.edit.c00, st.edit.c01, st.edit.c11};
    if (ImGui::DragScalarN("c00 c01 c11", ImGuiDataType_Double, cov, 3, 0.02f, nullptr, nullptr, "%.3f")) {
        st.edit.c00 = cov[0];
        st.edit.c01 = cov[1];
        st.edit.c11 = cov[2];
        changed = true;
    }
    const std::uint32_t step = 1, fast = 10;
    if (ImGui::InputScalar("numpy seed", ImGuiDataType_U32, &st.edit.seed, &step, &fast)) changed = true;
    ImGui::PopItemWidth();
    HelpKey("gauss.fields");
    if (changed) {
        st.error = validate(st.edit);
        if (st.error.empty()) {
            settings.gauss = st.edit;
            st.synced = st.edit;
        }
    }
    if (!st.error.empty()) {
        TextWrappedColored(theme::kTextErr, ("not used: " + st.error + ". Still showing the last valid Gaussian.").c_str());
    }
    if (ImGui::SmallButton("course's Gaussian")) {
        settings.gauss = Gauss2D{};
        st.have_synced = false;
    }
    Tip("gauss.course");
    ImGui::SameLine();
    ImGui::TextColored(theme::kTextDim, "mu = (-1, 2), Sigma = [[4, 2], [2, 2]]");
    ImGui::Separator();
    const DataBundle& d = session.data();
    if (!same_gauss(d.gauss, settings.gauss)) ImGui::TextColored(theme::kTextWarn, "drawing a new sample ...");
    show_numbers(d);
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    show_projection_plot(d, ImVec2(avail.x, avail.y - ImGui::GetStyle().WindowPadding.y));
}

}  // namespace aelab::app
