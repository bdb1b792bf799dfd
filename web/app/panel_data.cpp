// panel_data.cpp: the 2-D / 3-D data panel (see panels.hpp): the test points, the AE's
// reconstructions, the AE decoder's image of the code range (a curve for k = 1, a mesh for
// k = 2), PCA's line / plane through the mean and the principal axes (2 sd long, the first
// k bold); 3-D data rotates by dragging (yaw about z, then pitch).
#include "panels.hpp"
#include "theme.hpp"
#include "widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace aelab::app {
namespace {

// Data coordinates -> screen: centred on the data mean, scaled to fit, 3-D rotated.
struct Projector {
    int d = 2;
    Eigen::Vector3f mu;
    float scale = 1, cy = 1, sy = 0, cp = 1, sp = 0;
    ImVec2 c;
    ImVec2 operator()(float x, float y, float z) const {
        x -= mu(0), y -= mu(1), z -= mu(2);
        if (d == 2) return ImVec2(c.x + x * scale, c.y - y * scale);
        // z up; rotate around z by yaw, then tilt by pitch.
        const float x1 = cy * x - sy * y, y1 = sy * x + cy * y;
        return ImVec2(c.x + x1 * scale, c.y - (cp * z - sp * y1) * scale);
    }
    ImVec2 operator()(const Eigen::Vector3f& v) const { return (*this)(v(0), v(1), v(2)); }
    ImVec2 col(const Mat& M, Index i) const { return (*this)(M(0, i), M(1, i), d == 3 ? M(2, i) : 0.0f); }
};

// A principal axis (column a of PCA's components) as a 3-vector (z = 0 for 2-D data).
Eigen::Vector3f axis(const PCA& pca, Index a, int d) {
    return Eigen::Vector3f(static_cast<float>(pca.components_(0, a)), static_cast<float>(pca.components_(1, a)),
                           d == 3 ? static_cast<float>(pca.components_(2, a)) : 0.0f);
}

void draw_pca_subspace(ImDrawList* dl, const Projector& proj, const PCA& pca, int k, int d) {
    const Eigen::Vector3f& mu = proj.mu;
    if (k == 1) {
        const Eigen::Vector3f u = axis(pca, 0, d) * 2.5f * std::sqrt(static_cast<float>(pca.explained_variance_(0)));
        dl->AddLine(proj(mu - u), proj(mu + u), theme::kDataPcaLine, 2.0f);
    } else if (k == 2 && d == 3) {
        const Eigen::Vector3f u = axis(pca, 0, d) * 2.5f * std::sqrt(static_cast<float>(pca.explained_variance_(0)));
        const Eigen::Vector3f v = axis(pca, 1, d) * 2.5f * std::sqrt(static_cast<float>(pca.explained_variance_(1)));
        for (int i = 0; i <= 8; ++i) {
            const float s = -1 + 2.0f * i / 8;
            dl->AddLine(proj(mu + s * u - v), proj(mu + s * u + v), theme::kDataPcaPlane, 1.0f);
            dl->AddLine(proj(mu - u + s * v), proj(mu + u + s * v), theme::kDataPcaPlane, 1.0f);
        }
    }
}

// The AE decoder's image of the code range: a curve (k = 1) or a mesh (k = 2).
void draw_decoder(ImDrawList* dl, const Projector& proj, Session& session, int k) {
    const Mat& Z = session.test_codes();
    if (Z.cols() == 0 || k > 2) return;
    Eigen::VectorXf lo = Z.rowwise().minCoeff(), hi = Z.rowwise().maxCoeff();
    if (k == 1) {
        constexpr int S = 80;
        Mat C(1, S);
        for (int s = 0; s < S; ++s) C(0, s) = lo(0) + (hi(0) - lo(0)) * s / (S - 1);
        const Mat D = session.decode(C);
        std::vector<ImVec2> pts;
        for (int s = 0; s < S; ++s) pts.push_back(proj.col(D, s));
        dl->AddPolyline(pts.data(), S, theme::kDataDecoder, 0, 2.5f);
        return;
    }
    constexpr int G = 14;
    Mat C(2, G * G);
    for (int r = 0; r < G; ++r)
        for (int q = 0; q < G; ++q) {
            C(0, r * G + q) = lo(0) + (hi(0) - lo(0)) * q / (G - 1);
            C(1, r * G + q) = lo(1) + (hi(1) - lo(1)) * r / (G - 1);
        }
    const Mat D = session.decode(C);
    for (int r = 0; r < G; ++r)
        for (int q = 0; q < G; ++q) {
            const ImVec2 a = proj.col(D, r * G + q);
            if (q + 1 < G) dl->AddLine(a, proj.col(D, r * G + q + 1), theme::kDataDecoderMesh, 1.2f);
            if (r + 1 < G) dl->AddLine(a, proj.col(D, (r + 1) * G + q), theme::kDataDecoderMesh, 1.2f);
        }
}

// Principal axes from the mean, length 2 sd; the first k bold.
void draw_axes(ImDrawList* dl, const Projector& proj, const PCA& pca, int k, int d) {
    for (Index a = 0; a < pca.components_.cols(); ++a) {
        const float len = 2.0f * std::sqrt(static_cast<float>(pca.explained_variance_(a)));
        const ImVec2 ps = proj(proj.mu), pe = proj(proj.mu + len * axis(pca, a, d));
        const ImU32 col = a < k ? theme::kPca : theme::kDataAxisOther;
        dl->AddLine(ps, pe, col, a < k ? 3.0f : 1.5f);
        dl->AddCircleFilled(pe, a < k ? 4.0f : 3.0f, col);
        char lab[16];
        std::snprintf(lab, sizeof lab, "PC%d", static_cast<int>(a) + 1);
        dl->AddText(ImVec2(pe.x + 5, pe.y - 7), col, lab);
    }
}

// A yaw / pitch for Projector that shows the plane with unit normal n at about 35 degrees
// from face-on (|view . n| = cos 35), preferring a pitch near 0.5 (z up, seen from a little
// above) and a yaw near the default 0.7. The view direction of Projector is
// (sin(yaw) cos(pitch), cos(yaw) cos(pitch), sin(pitch)).
void readable_view(const Eigen::Vector3f& n, float* yaw, float* pitch) {
    const float want = std::cos(35.0f * 3.14159265f / 180.0f);
    float best = 1e30f;
    for (int i = 0; i < 72; ++i) {
        const float y = i * (2 * 3.14159265f / 72);
        for (int j = 0; j <= 20; ++j) {
            const float p = 0.1f + j * 0.05f;  // 0.1 .. 1.1 rad
            const Eigen::Vector3f v(std::sin(y) * std::cos(p), std::cos(y) * std::cos(p), std::sin(p));
            const float dy = std::remainder(y - DataViewState::kYaw0, 2 * 3.14159265f);
            const float cost = std::fabs(std::fabs(v.dot(n)) - want) + 0.05f * std::fabs(p - 0.5f) + 0.02f * std::fabs(dy);
            if (cost < best) {
                best = cost;
                *yaw = y;
                *pitch = p;
            }
        }
    }
}

}  // namespace

void ShowDataPanel(PanelContext& cx, DataViewState& st) {
    Session& session = cx.ctl.session();
    const Dataset& te = session.data().test;
    const int d = session.dim();
    const PCA& pca = session.pca();
    PanelCaption("panel.data");
    ImGui::Checkbox("data", &st.show_data);
    Tip("data.layers");
    ImGui::SameLine();
    ImGui::Checkbox("AE recon", &st.show_ae);
    Tip("data.layers");
    ImGui::SameLine();
    ImGui::Checkbox("AE decoder", &st.show_manifold);
    Tip("data.layers");
    ImGui::SameLine();
    ImGui::Checkbox("PCA subspace", &st.show_pca_sub);
    Tip("data.layers");
    ImGui::SameLine();
    ImGui::Checkbox("axes", &st.show_axes);
    Tip("data.layers");
    if (d == 3) {
        ImGui::SameLine();
        if (ImGui::SmallButton("reset view")) {
            st.yaw = st.home_yaw;
            st.pitch = st.home_pitch;
        }
        Tip("data.reset_view");
    }
    if (d == 3 && pca.n_components_ >= 3) {
        const double key = 1 + static_cast<int>(session.kind()) + pca.components_(0, 0) * 0.5;
        if (key != st.view_key) {  // new data: start at its readable view
            st.view_key = key;
            readable_view(pca.components_.col(2).cast<float>(), &st.home_yaw, &st.home_pitch);
            st.yaw = st.home_yaw;
            st.pitch = st.home_pitch;
        }
    }
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("##dataplot", avail);
    if (d == 3 && ImGui::IsItemActive() && ImGui::IsMouseDragging(0, 0)) {
        const ImVec2 dd = ImGui::GetIO().MouseDelta;
        st.yaw += dd.x * 0.01f;
        st.pitch = std::clamp(st.pitch + dd.y * 0.01f, -1.5f, 1.5f);
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p0, ImVec2(p0.x + avail.x, p0.y + avail.y), theme::kPlotBg);
    dl->PushClipRect(p0, ImVec2(p0.x + avail.x, p0.y + avail.y), true);
    Projector proj;
    proj.d = d;
    proj.mu = d == 3 ? Eigen::Vector3f(pca.mean_.cast<float>())
                     : Eigen::Vector3f(static_cast<float>(pca.mean_(0)), static_cast<float>(pca.mean_(1)), 0.0f);
    float radius = 0;
    for (Index i = 0; i < te.size(); ++i) {
        Eigen::Vector3f x(te.X(0, i), te.X(1, i), d == 3 ? te.X(2, i) : 0.0f);
        radius = std::max(radius, (x - proj.mu).norm());
    }
    radius = std::max(radius, 1e-3f);
    proj.cy = std::cos(st.yaw), proj.sy = std::sin(st.yaw), proj.cp = std::cos(st.pitch), proj.sp = std::sin(st.pitch);
    proj.scale = 0.47f * std::min(avail.x, avail.y) / radius;
    proj.c = ImVec2(p0.x + avail.x * 0.5f, p0.y + avail.y * 0.5f);
    const bool by_param = !te.param.empty() && session.kind() != DatasetKind::Gauss2D;
    float pmin = 0, pmax = 1;
    if (by_param) {
        pmin = *std::min_element(te.param.begin(), te.param.end());
        pmax = *std::max_element(te.param.begin(), te.param.end());
    }
    const Index n = te.size();
    if (st.show_data)
        for (Index i = 0; i < n; ++i) {
            const ImU32 col = by_param ? colormap_color(ColorMap::Viridis, (te.param[i] - pmin) / (pmax - pmin + 1e-12f), 150)
                                       : palette_color(te.y[i], 150);
            const ImVec2 p = proj.col(te.X, i);
            dl->AddRectFilled(ImVec2(p.x - 1.5f, p.y - 1.5f), ImVec2(p.x + 1.5f, p.y + 1.5f), col);
        }
    const int k = session.k();
    if (st.show_pca_sub) draw_pca_subspace(dl, proj, pca, k, d);
    if (st.show_manifold) draw_decoder(dl, proj, session, k);
    if (st.show_ae) {
        const Index m = std::min<Index>(n, 1000);
        const Mat R = session.reconstruct(te.X.leftCols(m));
        for (Index i = 0; i < m; ++i) {
            const ImVec2 p = proj.col(R, i);
            dl->AddRectFilled(ImVec2(p.x - 1.2f, p.y - 1.2f), ImVec2(p.x + 1.2f, p.y + 1.2f), theme::kDataRecon);
        }
    }
    if (st.show_axes) draw_axes(dl, proj, pca, k, d);
    // Legend
    const float fh = ImGui::GetFontSize();
    float ly = p0.y + 6;
    auto legend = [&](ImU32 col, const char* text) {
        dl->AddRectFilled(ImVec2(p0.x + 8, ly + fh * 0.3f), ImVec2(p0.x + 8 + fh * 0.5f, ly + fh * 0.8f), col);
        dl->AddText(ImVec2(p0.x + 8 + fh * 0.9f, ly), theme::kDataLegendText, text);
        ly += fh * 1.25f;
    };
    if (session.kind() == DatasetKind::Gauss2D) {
        // The sample is coloured by the quadrant of x - mean (datasets.hpp): say so, with
        // the four colours.
        for (int q = 0; q < 4; ++q)
            dl->AddRectFilled(ImVec2(p0.x + 8 + q * fh * 0.6f, ly + fh * 0.3f),
                              ImVec2(p0.x + 8 + q * fh * 0.6f + fh * 0.5f, ly + fh * 0.8f), palette_color(q));
        dl->AddText(ImVec2(p0.x + 8 + fh * 2.6f, ly), theme::kDataLegendText,
                    "test data (colour: quadrant)");
        ly += fh * 1.25f;
    } else {
        legend(by_param ? colormap_color(ColorMap::Viridis, 0.6f) : palette_color(0),
               by_param ? "test data, colour = position along the band" : "test data");
    }
    if (st.show_ae) legend(theme::kDataRecon, "AE reconstructions");
    if (st.show_manifold) legend(theme::kDataDecoder, "AE decoder over the code range");
    if (st.show_pca_sub) legend(theme::kDataPcaLegend, k == 1 ? "PCA line" : "PCA plane");
    if (d == 3) dl->AddText(ImVec2(p0.x + 8, p0.y + avail.y - fh - 6), theme::kDataHint, "drag to rotate");
    if (d > 3) {  // a table: its first two features (the codes panel shows all of them through the AE)
        const std::string hint = "features 1 and 2 of " + std::to_string(d) + " (scaled); all features: the codes panel";
        dl->AddText(ImVec2(p0.x + 8, p0.y + avail.y - fh - 6), theme::kDataHint, hint.c_str());
    }
    dl->PopClipRect();
}

}  // namespace aelab::app
