// panel_decoder.cpp: the decoder panel (see panels.hpp), three tabs: the manifold (decoder
// outputs over a 15x15 grid of 2-D codes, AE or PCA), interpolation between two test
// images A and B (in AE code space, PCA code space and pixel space), and a canvas to draw
// a digit whose AE / PCA reconstructions and code are shown (the code is marked in the
// scatter panel). A VAE adds two tabs: samples from the prior (the decoder on 64 fixed
// z ~ N(0, I), re-decoded as the weights change) and a latent traversal of one chosen code
// dimension (k = 2: the manifold tab is the traversal of both).
#include "panels.hpp"
#include "theme.hpp"
#include "widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace aelab::app {

void DecoderState::reset(const std::vector<int>& recon_idx, int n_test) {
    manifold.invalidate();
    manifold_done = -1;  // a recompute under way belonged to the old model
    manifold_sec_per_col = 0;
    interp.invalidate();
    draw.invalidate();
    prior.invalidate();
    trav.invalidate();
    trav_dim = 0;
    interp_a = recon_idx.size() > 1 ? recon_idx[1] : 0;
    interp_b = recon_idx.size() > 7 ? recon_idx[7] : std::min(1, n_test - 1);
}

void DecoderState::release() {
    for (ImageTexture* t : {&manifold_tex, &interp_tex, &canvas_tex, &draw_out_tex, &prior_tex, &trav_tex}) t->release();
}

namespace {

void ShowManifoldTab(PanelContext& cx, DecoderState& st) {
    Session& session = cx.ctl.session();
    if (session.k() != 2) {
        TextWrappedColored(theme::kTextDim, "The decoder manifold is drawn for a 2-D code: set latent k = 2.");
        return;
    }
    if (ImGui::RadioButton("AE decoder", !st.manifold_pca)) {
        st.manifold_pca = false;
        st.manifold.invalidate();
        st.manifold_done = -1;
    }
    Tip("decoder.manifold");
    ImGui::SameLine();
    if (ImGui::RadioButton("PCA (linear decoder)", st.manifold_pca)) {
        st.manifold_pca = true;
        st.manifold.invalidate();
        st.manifold_done = -1;
    }
    Tip("decoder.manifold");
    constexpr int G = 15;
    constexpr Index kCells = G * G;
    if (st.manifold_done < 0 && claim_view(cx.views, kViewManifold, st.manifold, cx.now, session.total_steps())) {
        const Mat& Z = st.manifold_pca ? session.pca_test_codes() : session.test_codes();
        if (Z.cols() == 0) return;
        st.manifold.mark(cx.now, session.total_steps());
        // Grid over the 2nd..98th percentile of the test codes in each dimension.
        float lo[2], hi[2];
        for (int d = 0; d < 2; ++d) {
            std::vector<float> v(static_cast<size_t>(Z.cols()));
            for (Index i = 0; i < Z.cols(); ++i) v[i] = Z(d, i);
            std::sort(v.begin(), v.end());
            lo[d] = v[static_cast<size_t>(0.02 * (v.size() - 1))];
            hi[d] = v[static_cast<size_t>(0.98 * (v.size() - 1))];
            if (!(hi[d] > lo[d])) hi[d] = lo[d] + 1;
        }
        Mat& C = st.manifold_codes;
        C.resize(2, kCells);
        for (int r = 0; r < G; ++r)
            for (int c = 0; c < G; ++c) {
                C(0, r * G + c) = lo[0] + (hi[0] - lo[0]) * c / (G - 1);
                C(1, r * G + c) = hi[1] - (hi[1] - lo[1]) * r / (G - 1);  // y up
            }
        st.manifold_done = 0;
        st.manifold_sec = 0;
    }
    if (st.manifold_done >= 0) {
        // While training the AE decoder's grid is decoded ~2.5 ms a frame (at least one code);
        // paused, or PCA's linear decoder (cheap), all at once.
        const Index left = kCells - st.manifold_done;
        // (The first chunk of a new model measures: 8 codes.)
        const bool spread = cx.views && cx.ctl.playing() && !st.manifold_pca;
        const Index n = !spread ? left
                        : st.manifold_sec_per_col > 0 ? static_cast<Index>(code_columns(2.5e-3, st.manifold_sec_per_col, static_cast<long>(left)))
                                                      : std::min<Index>(8, left);
        const auto t0 = std::chrono::steady_clock::now();
        const auto codes = st.manifold_codes.middleCols(st.manifold_done, n);
        const Mat D = st.manifold_pca ? session.pca_decode(codes) : session.decode(codes);
        const double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (!st.manifold_pca)
            st.manifold_sec_per_col = st.manifold_sec_per_col > 0 ? 0.7 * st.manifold_sec_per_col + 0.3 * dt / double(n) : dt / double(n);
        st.manifold_sec += dt;
        if (st.manifold_done == 0) st.manifold_out.resize(D.rows(), kCells);
        st.manifold_out.middleCols(st.manifold_done, n) = D;
        st.manifold_done += n;
        if (st.manifold_done == kCells) {
            st.manifold_done = -1;
            // The whole recompute's time sets how often it may come round (ViewBudget::cost).
            if (cx.views) cx.views->cost(kViewManifold, st.manifold_sec);
            ImageStyle sty;
            st.manifold_tex.upload_grid(st.manifold_out.data(), kCells, 28, 28, G, sty, 0);
        }
    }
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float s = std::max(32.0f, std::min(avail.x, avail.y - ImGui::GetTextLineHeightWithSpacing()));
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail.x - s) * 0.5f);
    ImGui::Image(st.manifold_tex.imgui_id(), ImVec2(s, s));
    ImGui::TextColored(theme::kTextDim, "decoder outputs over a %dx%d grid of codes", G, G);
}

void ShowInterpolateTab(PanelContext& cx, DecoderState& st) {
    Session& session = cx.ctl.session();
    const Dataset& te = session.data().test;
    const int k = session.k();
    const int n = static_cast<int>(te.size());
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
    if (ImGui::InputInt("A", &st.interp_a)) st.interp.invalidate();
    Tip("decoder.ab");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
    if (ImGui::InputInt("B", &st.interp_b)) st.interp.invalidate();
    Tip("decoder.ab");
    st.interp_a = std::clamp(st.interp_a, 0, n - 1);
    st.interp_b = std::clamp(st.interp_b, 0, n - 1);
    constexpr int S = 8;
    if (claim_view(cx.views, kViewInterp, st.interp, cx.now, session.total_steps())) {
        const ViewTimer timer(cx.views, kViewInterp);
        st.interp.mark(cx.now, session.total_steps());
        Mat AB(784, 2);
        AB.col(0) = te.X.col(st.interp_a);
        AB.col(1) = te.X.col(st.interp_b);
        const Mat za = session.encode(AB), zp = session.pca_encode(AB);
        // PCA keeps at most its fitted axes (40 for images): a conv AE's code is larger.
        Mat ca(k, S), cp(zp.rows(), S), px(784, S);
        for (int s = 0; s < S; ++s) {
            const float a = static_cast<float>(s) / (S - 1);
            ca.col(s) = (1 - a) * za.col(0) + a * za.col(1);
            cp.col(s) = (1 - a) * zp.col(0) + a * zp.col(1);
            px.col(s) = (1 - a) * AB.col(0) + a * AB.col(1);
        }
        Mat M(784, 3 * S);
        M.leftCols(S) = session.decode(ca);
        M.middleCols(S, S) = session.pca_decode(cp);
        M.rightCols(S) = px;
        st.interp_tex.upload_grid(M.data(), 3 * S, 28, 28, S);
    }
    const RowLabel rows[] = {{"AE", theme::kAccent}, {"PCA", theme::kPca}, {"pixels", theme::kRowLabel}};
    LabelledImage(st.interp_tex, rows, 3, 1, "pixels ", ImGui::GetTextLineHeightWithSpacing());
    ImGui::TextColored(theme::kTextDim, "click two points in the scatter to pick A and B");
}

void ShowDrawTab(PanelContext& cx, DecoderState& st) {
    Session& session = cx.ctl.session();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float cs =
        std::floor(std::max(84.0f, std::min(avail.x * 0.5f - 8, avail.y - ImGui::GetFrameHeightWithSpacing() * 2)));
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("##canvas", ImVec2(cs, cs));
    if (ImGui::IsItemActive()) {
        // Soft round brush (radius ~1.3 pixels of the 28x28 grid), like MNIST's strokes.
        const ImVec2 m = ImGui::GetIO().MousePos;
        const float fx = (m.x - p0.x) / cs * 28.0f, fy = (m.y - p0.y) / cs * 28.0f;
        for (int r = 0; r < 28; ++r)
            for (int c = 0; c < 28; ++c) {
                const float dx = c + 0.5f - fx, dy = r + 0.5f - fy;
                const float d2 = dx * dx + dy * dy;
                if (d2 < 4.0f) {
                    float& v = st.canvas[r * 28 + c];
                    v = std::min(1.0f, v + 0.55f * std::exp(-d2 / 1.1f));
                }
            }
        st.canvas_ink = true;
        st.canvas_dirty = true;
    }
    if (st.canvas_dirty || st.draw.due(cx.now, Refresh::kNoStep)) {
        st.canvas_tex.upload(st.canvas.data(), 28, 28);
        if (st.canvas_ink) {
            Eigen::Map<const Mat> X(st.canvas.data(), 784, 1);
            st.code_ae = session.encode(X);
            st.code_pca = session.pca_encode(X);
            Mat M(784, 2);
            M.col(0) = session.decode(st.code_ae);
            M.col(1) = session.pca_decode(st.code_pca);
            st.draw_out_tex.upload_grid(M.data(), 2, 28, 28, 1);
        }
        st.canvas_dirty = false;
        st.draw.mark(cx.now);
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddImage(st.canvas_tex.imgui_id(), p0, ImVec2(p0.x + cs, p0.y + cs));
    dl->AddRect(p0, ImVec2(p0.x + cs, p0.y + cs), theme::kCanvasFrame);
    if (!st.canvas_ink) {
        const char* hint = "draw a digit here";
        const ImVec2 ts = ImGui::CalcTextSize(hint);
        dl->AddText(ImVec2(p0.x + (cs - ts.x) * 0.5f, p0.y + (cs - ts.y) * 0.5f), theme::kCanvasHint, hint);
    }
    ImGui::SameLine();
    ImGui::BeginGroup();
    if (st.canvas_ink && st.draw_out_tex.width() > 0) {
        const float sc = (cs * 0.5f - 4) / 28.0f;
        const ImageTexture& out = st.draw_out_tex;
        ImGui::Image(out.imgui_id(), ImVec2(out.width() * sc, out.height() * sc));
        const ImVec2 q = ImGui::GetItemRectMin();
        dl->AddText(ImVec2(q.x + out.width() * sc + 4, q.y + 2), theme::kAccent, "AE");
        dl->AddText(ImVec2(q.x + out.width() * sc + 4, q.y + out.height() * sc * 0.5f + 2), theme::kPca, "PCA");
    } else {
        ImGui::TextColored(theme::kTextDim, "reconstructions\nappear here");
    }
    ImGui::EndGroup();
    if (ImGui::Button("Clear")) {
        std::fill(st.canvas.begin(), st.canvas.end(), 0.0f);
        st.canvas_ink = false;
        st.canvas_dirty = true;
    }
    Tip("decoder.clear");

    if (st.canvas_ink && st.code_ae.size() > 0) {
        ImGui::SameLine();
        std::string zs;
        for (Index r = 0; r < std::min<Index>(st.code_ae.rows(), 3); ++r) zs += fmt(r ? ", %.2f" : "%.2f", st.code_ae(r));
        ImGui::TextColored(theme::kTextDim, "code (%s): marked in the scatter", zs.c_str());
    }
}

// 8 x 8 samples from the prior: the same z every time (seed 1), so the grid changes only as
// the decoder learns.
void ShowPriorTab(PanelContext& cx, DecoderState& st) {
    Session& session = cx.ctl.session();
    constexpr int G = 8;
    if (claim_view(cx.views, kViewPrior, st.prior, cx.now, session.total_steps())) {
        const ViewTimer timer(cx.views, kViewPrior);
        st.prior.mark(cx.now, session.total_steps());
        const Mat D = session.prior_samples(G * G, 1);
        st.prior_tex.upload_grid(D.data(), G * G, 28, 28, G, ImageStyle{}, 0);
    }
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float s = std::max(32.0f, std::min(avail.x, avail.y - ImGui::GetTextLineHeightWithSpacing()));
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail.x - s) * 0.5f);
    ImGui::Image(st.prior_tex.imgui_id(), ImVec2(s, s));
    Tip("decoder.prior");
    ImGui::TextColored(theme::kTextDim, "decoder on %d fixed codes z ~ N(0, I)", G * G);
}

// One code dimension swept from -3 to 3 (the others 0, the prior's mean).
void ShowTraversalTab(PanelContext& cx, DecoderState& st) {
    Session& session = cx.ctl.session();
    const int k = session.k();
    if (k == 2)
        TextWrappedColored(theme::kTextDim, "k = 2: the Manifold tab sweeps both dimensions at once; here one at a time.");
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    int d = st.trav_dim + 1;
    if (ImGui::SliderInt("code dimension", &d, 1, k)) {
        st.trav_dim = std::clamp(d, 1, k) - 1;
        st.trav.invalidate();
    }
    Tip("decoder.traversal");
    st.trav_dim = std::clamp(st.trav_dim, 0, k - 1);
    constexpr int S = 11;
    if (claim_view(cx.views, kViewTraversal, st.trav, cx.now, session.total_steps())) {
        const ViewTimer timer(cx.views, kViewTraversal);
        st.trav.mark(cx.now, session.total_steps());
        const Mat D = session.decode(latent_traversal(k, st.trav_dim, S, 3.0f));
        st.trav_tex.upload_grid(D.data(), S, 28, 28, S, ImageStyle{}, 0);
    }
    const float w = ImGui::GetContentRegionAvail().x;
    ImGui::Image(st.trav_tex.imgui_id(), ImVec2(w, w / S));
    ImGui::TextColored(theme::kTextDim, "z%d from -3 to +3, the other dimensions 0", st.trav_dim + 1);
}

}  // namespace

void ShowDecoderPanel(PanelContext& cx, DecoderState& st) {
    PanelCaption("panel.decoder");
    if (!ImGui::BeginTabBar("##dec")) return;
    if (ImGui::BeginTabItem("Manifold")) {
        ShowManifoldTab(cx, st);
        ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Interpolate")) {
        ShowInterpolateTab(cx, st);
        ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Draw")) {
        ShowDrawTab(cx, st);
        ImGui::EndTabItem();
    }
    if (cx.ctl.session().is_vae()) {
        if (ImGui::BeginTabItem("Prior samples")) {
            ShowPriorTab(cx, st);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Traversal")) {
            ShowTraversalTab(cx, st);
            ImGui::EndTabItem();
        }
    }
    ImGui::EndTabBar();
}

}  // namespace aelab::app
