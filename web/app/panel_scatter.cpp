// panel_scatter.cpp: the latent scatter panel (see panels.hpp): the test set's AE codes
// through a chosen projection (?proj=: code dims i/j, a 1-D code jittered vertically; the
// codes' own PCA; or a live t-SNE of the test codes, stepped here a few ms per frame and
// re-settling as the AE trains: scatter_proj.hpp) beside the data's PCA projection (PC 1-2);
// with proj=kpca on a 2-D / 3-D set, three plots: the code dims, a kernel PCA of the test data
// (kernel and log-scale gamma in its title row; KpcaView refits when they change) and PCA,
// coloured by class
// or by the generating parameter, with a hover tooltip (image: input | AE | PCA; points:
// coordinates), clicks that pick the decoder's interpolation ends, and (image sets, a
// checkbox) thumbnails of the test inputs at their AE codes, spaced so they do not overlap.
// A VAE's plot shows its code means, with (a checkbox) the 1-sigma ellipses of the code
// Gaussians of up to kMaxEllipses test images in their class colours.
#include "panels.hpp"
#include "theme.hpp"
#include "widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

namespace aelab::app {
namespace {

const char* kFashionNames[] = {"T-shirt", "Trouser", "Pullover", "Dress", "Coat",
                               "Sandal",  "Shirt",   "Sneaker",  "Bag",   "Boot"};

// Deterministic jitter in [-1, 1] for 1-D strip plots.
float jitter(int i) {
    std::uint32_t h = static_cast<std::uint32_t>(i) * 2654435761u;
    h ^= h >> 15;
    h *= 2246822519u;
    h ^= h >> 13;
    return static_cast<float>(h & 0xFFFF) / 32767.5f - 1.0f;
}

const char* class_name(const Session& session, int c) {
    static const char* digits[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    return session.kind() == DatasetKind::Fashion ? kFashionNames[c] : digits[c];
}

// Rows the class legend ("colour = class:" and the names) takes at `width` pixels.
int legend_rows(const Session& session, float width) {
    const float sp = ImGui::GetStyle().ItemSpacing.x;
    float x = ImGui::CalcTextSize("colour = class:").x;
    int rows = 1;
    for (int c = 0; c < std::min(10, session.data().test.num_classes); ++c) {
        const float w = ImGui::CalcTextSize(class_name(session, c)).x;
        if (x + sp + w > width) {
            ++rows;
            x = w;
        } else {
            x += sp + w;
        }
    }
    return rows;
}

// The left plot's 2 x N points: two code dims (a 1-D code jittered vertically), the codes'
// own PCA (at most every 0.1 s), or the live t-SNE stepped here within its frame budget.
void project_codes(Session& session, ScatterState& st, const Settings& set, double now, std::vector<float>& xy) {
    const Mat& Z = session.test_codes();
    const int k = static_cast<int>(Z.rows());
    int n = static_cast<int>(Z.cols());
    if (set.proj == Projection::Tsne) {
        st.tsne.update(Z, session.total_steps(), now);
        const MatD& Y = st.tsne.layout();
        n = static_cast<int>(st.tsne.points());
        xy.resize(2 * static_cast<size_t>(n));
        for (int i = 0; i < n; ++i) {
            xy[2 * i] = static_cast<float>(Y(0, i));
            xy[2 * i + 1] = static_cast<float>(Y(1, i));
        }
        return;
    }
    st.tsne.idle();
    if (set.proj == Projection::Pca) {
        if (now - st.proj_pca_t >= 0.1 || st.proj_xy.cols() != Z.cols()) {
            st.proj_xy = project_pca(Z);
            st.proj_pca_t = now;
        }
    } else {
        st.proj_xy = project_dims(Z, set.dim_i, set.dim_j);
    }
    xy.resize(2 * static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
        xy[2 * i] = st.proj_xy(0, i);
        xy[2 * i + 1] = k >= 2 ? st.proj_xy(1, i) : jitter(i);
    }
}

// proj=kpca on a 2-D / 3-D set: the kernel PCA view is shown (image sets: the code dims only).
bool kpca_shown(const Session& session, const Settings& set) {
    return set.proj == Projection::Kpca && !is_image_dataset(session.kind());
}

void update_points(PanelContext& cx, Session& session, ScatterState& st) {
    const Mat& Z = session.test_codes();
    const Mat& P = session.pca_test_codes();
    const int k = static_cast<int>(Z.rows());
    const Settings& set = cx.ctl.settings();
    project_codes(session, st, set, cx.now, st.xy_ae);
    const bool kp = kpca_shown(session, set);
    if (kp) {
        const Mat& X = session.data().test.X;
        if (st.kview.update(X, st.colour_version, set.kpca_kernel, set.kpca_gamma, cx.now)) st.kpca.set_auto_fit(true);
        const Mat& Y = st.kview.layout();
        st.xy_kpca.assign(Y.data(), Y.data() + Y.size());  // 2 x n column-major: x0 y0 x1 y1 ...
    }
    {
        const int n = static_cast<int>(P.cols());
        st.xy_pca.resize(2 * static_cast<size_t>(n));
        for (int i = 0; i < n; ++i) {
            st.xy_pca[2 * i] = P(0, i);
            st.xy_pca[2 * i + 1] = k >= 2 ? P(1, i) : jitter(i);
        }
    }
    const Dataset& te = session.data().test;
    const bool by_param = !te.param.empty() && session.kind() != DatasetKind::Gauss2D;
    for (ScatterRenderer* r : {&st.ae, &st.pca, &st.kpca}) {
        if (r == &st.kpca && !kp) continue;
        const std::vector<float>& xy = r == &st.ae ? st.xy_ae : r == &st.pca ? st.xy_pca : st.xy_kpca;
        const int n = static_cast<int>(xy.size() / 2);
        if (by_param) {
            const bool resized = r->size() != n;  // t-SNE starts with fewer points, or none
            r->set_points(xy.data(), nullptr, n);
            if ((st.coloured_version != st.colour_version || resized) && n > 0)
                r->set_values(te.param.data(), n, 0, 0, ColorMap::Viridis);
        } else {
            r->set_points(xy.data(), te.y.data(), n);
        }
        r->set_point_size(n > 5000 ? 2.5f : 3.5f);
    }
    st.coloured_version = st.colour_version;
}

void hover_tooltip(PanelContext& cx, ScatterState& st, int i) {
    Session& session = cx.ctl.session();
    const Dataset& te = session.data().test;
    if (i < 0 || i >= te.size()) return;
    ImGui::BeginTooltip();
    if (is_image_dataset(session.kind())) {
        if (i != st.hover_shown || st.hover.due(cx.now, Refresh::kNoStep)) {
            Mat X = te.X.col(i);
            Mat M(784, 3);
            M.col(0) = X;
            M.col(1) = session.reconstruct(X);
            M.col(2) = session.pca_decode(session.pca_encode(X));
            st.hover_tex.upload_grid(M.data(), 3, 28, 28, 3);
            st.hover_shown = i;
            st.hover.mark(cx.now);
        }
        const int y = te.y[i];
        if (session.kind() == DatasetKind::Fashion && y >= 0 && y < 10) ImGui::Text("test #%d: %s", i, kFashionNames[y]);
        else ImGui::Text("test #%d: digit %d", i, y);
        ImGui::Image(st.hover_tex.imgui_id(), ImVec2(st.hover_tex.width() * 2.0f, st.hover_tex.height() * 2.0f));
        ImGui::TextColored(theme::kTextDim, "input      AE         PCA");
    } else {
        ImGui::Text("test #%d", i);
        std::string xs;
        for (Index r = 0; r < te.X.rows(); ++r) xs += fmt(r ? ", %.3f" : "%.3f", te.X(r, i));
        ImGui::Text("x = (%s)", xs.c_str());
    }
    const Mat& Z = session.test_codes();
    std::string zs;
    for (Index r = 0; r < std::min<Index>(Z.rows(), 4); ++r) zs += fmt(r ? ", %.3f" : "%.3f", Z(r, i));
    ImGui::Text("%s (%s)", session.is_vae() ? "code mean" : "AE code", zs.c_str());
    const Mat& L = session.test_logvar();
    if (L.cols() == Z.cols() && L.rows() == Z.rows()) {
        std::string ss;
        for (Index r = 0; r < std::min<Index>(L.rows(), 4); ++r) ss += fmt(r ? ", %.3f" : "%.3f", std::exp(0.5f * L(r, i)));
        ImGui::Text("code sigma (%s)", ss.c_str());
    }
    ImGui::EndTooltip();
}

// The drawn digit's code as a ring in a scatter plot; with a label, the label goes in a
// legend box at the plot's bottom right (a ring and the words), not over the points.
void mark_code(const ScatterWidgetResult& res, const ScatterRenderer& r, float x, float y, const char* label) {
    const ImVec2 p = ScatterToScreen(res, r.view(), x, y);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->PushClipRect(res.plot_min, res.plot_max, true);
    dl->AddCircle(p, 9, theme::kMarker, 16, 2.5f);
    if (label) {
        const float fh = ImGui::GetFontSize();
        const ImVec2 ts = ImGui::CalcTextSize(label);
        const ImVec2 b(res.plot_max.x - 4, res.plot_max.y - 4), a(b.x - ts.x - fh * 1.6f, b.y - fh - 4);
        dl->AddRectFilled(a, b, theme::kLegendBg, 3.0f);
        dl->AddCircle(ImVec2(a.x + fh * 0.7f, a.y + (fh + 4) * 0.5f), fh * 0.35f, theme::kMarker, 12, 2.0f);
        dl->AddText(ImVec2(a.x + fh * 1.3f, a.y + 2), theme::kMarker, label);
    }
    dl->PopClipRect();
}

// Up to this many test images go into the thumbnail atlas (32 x 32 cells of 28 px: a 929 px
// square texture); at most kMaxThumbs are drawn in a frame.
constexpr int kAtlasMax = 1024, kAtlasCols = 32, kMaxThumbs = 400;

// Small images of the test inputs at their AE codes, framed in their class colour, spaced so
// that they do not overlap (thumbnail_subset), clipped to the plot.
void draw_thumbnails(Session& session, ScatterState& st, const ScatterWidgetResult& res) {
    const Dataset& te = session.data().test;
    const int n = std::min(static_cast<int>(te.size()), kAtlasMax);
    if (st.atlas_count == 0 && n > 0) {
        st.atlas.upload_grid(te.X.data(), n, 28, 28, kAtlasCols);
        st.atlas_count = n;
    }
    const int m = std::min(st.atlas_count, static_cast<int>(st.xy_ae.size() / 2));
    st.sx.resize(static_cast<size_t>(m));
    st.sy.resize(static_cast<size_t>(m));
    for (int i = 0; i < m; ++i) {
        const ImVec2 p = ScatterToScreen(res, st.ae.view(), st.xy_ae[2 * i], st.xy_ae[2 * i + 1]);
        st.sx[i] = p.x;
        st.sy[i] = p.y;
    }
    const float box = std::clamp(std::floor(ImGui::GetFontSize() * 2.0f), 22.0f, 40.0f);
    const std::vector<int> keep =
        thumbnail_subset(st.sx, st.sy, res.plot_min.x, res.plot_min.y, res.plot_max.x, res.plot_max.y, box, kMaxThumbs);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->PushClipRect(res.plot_min, res.plot_max, true);
    const float tw = static_cast<float>(std::max(1, st.atlas.width())), th = static_cast<float>(std::max(1, st.atlas.height()));
    const float h = 0.5f * box - 1.0f;  // 1 px gap between neighbours
    // Images first, then the frames: two texture switches per frame, not two per thumbnail.
    for (int i : keep) {
        int cx = 0, cy = 0;
        if (!st.atlas.grid_cell(i, &cx, &cy)) continue;
        dl->AddImage(st.atlas.imgui_id(), ImVec2(st.sx[i] - h, st.sy[i] - h), ImVec2(st.sx[i] + h, st.sy[i] + h),
                     ImVec2(cx / tw, cy / th), ImVec2((cx + 28) / tw, (cy + 28) / th));
    }
    for (int i : keep)
        dl->AddRect(ImVec2(st.sx[i] - h, st.sy[i] - h), ImVec2(st.sx[i] + h, st.sy[i] + h), palette_color(te.y[i]),
                    0.0f, 0, 1.5f);
    dl->PopClipRect();
    st.thumbs_drawn = static_cast<int>(keep.size());
}

// Ellipses drawn at most (evenly spaced test images; ImDrawList polylines of 24 segments).
constexpr int kMaxEllipses = 300;

void draw_ellipses(Session& session, ScatterState& st, const ScatterWidgetResult& res, int di, int dj) {
    const Mat& Z = session.test_codes();
    const Mat& L = session.test_logvar();
    if (L.rows() != Z.rows() || L.cols() != Z.cols() || Z.rows() < 1) return;
    const Dataset& te = session.data().test;
    const bool two = Z.rows() >= 2 && dj >= 0;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->PushClipRect(res.plot_min, res.plot_max, true);
    ImVec2 pts[24];
    for (int i : ellipse_subset(static_cast<int>(Z.cols()), kMaxEllipses)) {
        const float my = two ? Z(dj, i) : st.xy_ae[2 * static_cast<size_t>(i) + 1];
        const std::vector<float> e = sigma_ellipse(Z(di, i), my, L(di, i), two ? L(dj, i) : -60.0f, 24);
        for (int s = 0; s < 24; ++s) pts[s] = ScatterToScreen(res, st.ae.view(), e[2 * s], e[2 * s + 1]);
        const ImU32 c = te.y.empty() ? theme::kMarker : (palette_color(te.y[i]) & 0x00FFFFFFu) | 0x70000000u;
        dl->AddPolyline(pts, 24, c, ImDrawFlags_Closed, 1.0f);
    }
    dl->PopClipRect();
}

// The projection combo (dims / PCA of the codes / t-SNE, and kPCA for 2-D / 3-D sets) and,
// for dims of a code wider than 2, the two dims. Returns true when the user changed something
// (the plot re-fits).
bool projection_ui(PanelContext& cx, ScatterState& st, int k, int di, int dj, bool img) {
    Settings& set = cx.ctl.settings_mut();
    bool changed = false;
    static const char* names[] = {"dims", "PCA", "t-SNE", "kPCA"};
    const float fs = ImGui::GetFontSize();
    ImGui::SameLine();
    ImGui::SetNextItemWidth(fs * 4.6f);
    int p = static_cast<int>(set.proj);
    if (ImGui::Combo("##proj", &p, names, img ? 3 : 4)) {
        set.proj = static_cast<Projection>(p);
        changed = true;
    }
    Tip("scatter.proj");
    if ((set.proj == Projection::Dims || set.proj == Projection::Kpca) && k > 2) {
        for (int which = 0; which < 2; ++which) {
            int* dim = which == 0 ? &set.dim_i : &set.dim_j;
            const int cur = which == 0 ? di : dj;
            ImGui::SameLine();
            ImGui::SetNextItemWidth(fs * 3.4f);
            const std::string label = "z" + std::to_string(cur + 1);
            if (ImGui::BeginCombo(which == 0 ? "##dim_i" : "##dim_j", label.c_str())) {
                for (int d = 0; d < k; ++d) {
                    if (d == (which == 0 ? dj : di)) continue;  // the other axis's dim
                    const std::string item = "z" + std::to_string(d + 1);
                    if (ImGui::Selectable(item.c_str(), d == cur)) {
                        set.dim_i = di;
                        set.dim_j = dj;
                        *dim = d;
                        changed = true;
                    }
                }
                ImGui::EndCombo();
            }
            Tip("scatter.dims");
        }
    }
    if (changed) st.ae.set_auto_fit(true);
    return changed;
}

// The kernel PCA plot's title row: "kPCA", the kernel and the log-scale gamma slider (rbf,
// poly, sigmoid: the kernels that use gamma) within `width` pixels.
void kpca_ui(PanelContext& cx, float width) {
    Settings& set = cx.ctl.settings_mut();
    static const Kernel kernels[] = {Kernel::Rbf, Kernel::Poly, Kernel::Sigmoid, Kernel::Cosine, Kernel::Linear};
    static const char* knames[] = {"rbf", "poly", "sigmoid", "cosine", "linear"};
    const float fs = ImGui::GetFontSize(), sp = ImGui::GetStyle().ItemSpacing.x;
    const float x0 = ImGui::GetCursorPosX();
    ImGui::TextColored(theme::kTextBright, "kPCA");
    ImGui::SameLine();
    int kc = 0;
    for (int i = 0; i < 5; ++i)
        if (kernels[i] == set.kpca_kernel) kc = i;
    ImGui::SetNextItemWidth(fs * 4.0f);
    if (ImGui::Combo("##kernel", &kc, knames, 5)) set.kpca_kernel = kernels[kc];
    Tip("scatter.kernel");
    const bool uses_gamma = set.kpca_kernel == Kernel::Rbf || set.kpca_kernel == Kernel::Poly ||
                            set.kpca_kernel == Kernel::Sigmoid;
    if (!uses_gamma) return;
    ImGui::SameLine();
    ImGui::SetNextItemWidth(std::max(fs * 4.0f, width - (ImGui::GetCursorPosX() - x0) - sp));
    float g = static_cast<float>(set.kpca_gamma);
    if (ImGui::SliderFloat("##gamma", &g, static_cast<float>(kKpcaGammaMin), static_cast<float>(kKpcaGammaMax),
                           "gamma %.3g", ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp) &&
        kpca_gamma_ok(g))
        set.kpca_gamma = g;
    Tip("scatter.gamma");
}

// The kernel PCA's state in its plot's bottom-right corner (the top-left holds the y axis
// title, which a narrow third of the panel leaves little room beside): points and the last
// fit's time, or why it failed.
void kpca_status(const ScatterState& st, const ScatterWidgetResult& res) {
    const KpcaView& v = st.kview;
    std::string s = v.error();
    if (s.empty()) {
        char b[64];
        std::snprintf(b, sizeof b, "%ld pts %.0f ms", static_cast<long>(v.points()), v.last_fit_s() * 1e3);
        s = b;
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 ts = ImGui::CalcTextSize(s.c_str());
    const ImVec2 a(std::max(res.plot_min.x + 4, res.plot_max.x - ts.x - 12), res.plot_max.y - ts.y - 8),
        b(a.x + ts.x + 8, a.y + ts.y + 4);
    dl->PushClipRect(res.plot_min, res.plot_max, true);
    dl->AddRectFilled(a, b, theme::kLegendBg, 3.0f);
    dl->AddText(ImVec2(a.x + 4, a.y + 2), v.error().empty() ? theme::kMarker : ImGui::GetColorU32(theme::kTextErr), s.c_str());
    dl->PopClipRect();
}

// The live t-SNE's state over the plot's top-right corner (the y axis title is at the left):
// iteration and KL (or why it stopped).
void tsne_status(const ScatterState& st, const ScatterWidgetResult& res) {
    const LiveTsne& t = st.tsne;
    std::string s;
    if (!t.error().empty()) s = t.error();
    else if (!t.started()) s = "t-SNE: waiting for codes";
    else {
        char b[64];
        std::snprintf(b, sizeof b, "it %ld  KL %.3f", t.iterations(), t.kl());
        s = b;
        if (t.settled()) s += "  settled";
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 ts = ImGui::CalcTextSize(s.c_str());
    const ImVec2 a(std::max(res.plot_min.x + 4, res.plot_max.x - ts.x - 12), res.plot_min.y + 4),
        b(a.x + ts.x + 8, a.y + ts.y + 4);
    dl->PushClipRect(res.plot_min, res.plot_max, true);
    dl->AddRectFilled(a, b, theme::kLegendBg, 3.0f);
    dl->AddText(ImVec2(a.x + 4, a.y + 2), t.error().empty() ? theme::kMarker : ImGui::GetColorU32(theme::kTextErr), s.c_str());
    dl->PopClipRect();
}

}  // namespace

bool ScatterState::init() {
    ok = ae.init() && pca.init() && kpca.init();
    // Moving latent codes redraw a plot at most 10 times a second (pan / zoom / hover at once).
    ae.set_min_interval(0.1);
    pca.set_min_interval(0.1);
    kpca.set_min_interval(0.1);
    return ok;
}

void ScatterState::reset() {
    atlas_count = 0;  // new data: the atlas is uploaded again when thumbnails are drawn
    thumbs_drawn = 0;
    hover_shown = -1;
    hover.invalidate();
    ae.invalidate();
    pca.invalidate();
    kpca.invalidate();
    kview.reset();  // new data or a new model: kernel PCA refits (colour_version below is its data version)
    tsne.reset();  // new data or a new model: t-SNE starts again from its PCA init
    proj_pca_t = -1e30;
    ++colour_version;
}

void ScatterState::release() {
    ae.release();
    pca.release();
    kpca.release();
    hover_tex.release();
    atlas.release();
}

void ShowScatterPanel(PanelContext& cx, ScatterState& st, DecoderState& dec) {
    if (!st.ok) {
        ImGui::TextColored(theme::kTextErr, "the GL point renderer could not start (see the console)");
        return;
    }
    Session& session = cx.ctl.session();
    update_points(cx, session, st);
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const bool img = is_image_dataset(session.kind());
    PanelCaption("panel.scatter");
    // Image sets: the class legend (wrapped to the width) and the hint line below the plots.
    const float line = ImGui::GetTextLineHeightWithSpacing();
    const float legend_h = img ? line * legend_rows(session, avail.x) + line : line;
    const float head_h = line + ImGui::GetFrameHeightWithSpacing();  // caption + titles with the projection combo
    const Settings& set = cx.ctl.settings();
    const bool kp = kpca_shown(session, set);  // three plots: code dims | kernel PCA | PCA
    const float spx = ImGui::GetStyle().ItemSpacing.x;
    const float w = std::floor((avail.x - spx * (kp ? 2 : 1)) / (kp ? 3.0f : 2.0f));
    const float hgt = avail.y - legend_h - head_h;
    const int k = session.k();
    const bool vae = session.is_vae();
    int di = 0, dj = -1;
    resolve_dims(k, set.dim_i, set.dim_j, &di, &dj);
    const float x_mid = w + spx + ImGui::GetStyle().WindowPadding.x;
    const float x_right = kp ? x_mid + w + spx : x_mid;
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(theme::kTextAe, "%s", vae ? "VAE means" : "AE code");
    if (projection_ui(cx, st, k, di, dj, img)) resolve_dims(k, set.dim_i, set.dim_j, &di, &dj);
    const bool dims = set.proj == Projection::Dims || set.proj == Projection::Kpca;  // kpca: the codes as dims
    if (dims && k == 1) {
        ImGui::SameLine();
        ImGui::TextColored(theme::kTextAe, "(1-D, jittered)");
    }
    if (kp) {
        ImGui::SameLine(std::max(x_mid, ImGui::GetCursorPosX()));
        kpca_ui(cx, w);
    }
    ImGui::SameLine(std::max(x_right, ImGui::GetCursorPosX()));
    ImGui::TextColored(theme::kTextPca, "PCA projection%s", k > 2 ? " (PC 1-2)" : "");
    ScatterWidgetOptions opt;
    opt.hover_radius_px = 7;
    const std::string xl = "z" + std::to_string(di + 1), yl = "z" + std::to_string(dj + 1);
    opt.x_label = set.proj == Projection::Tsne ? "t-SNE 1" : set.proj == Projection::Pca ? "code PC1" : xl.c_str();
    opt.y_label = set.proj == Projection::Tsne ? "t-SNE 2" : set.proj == Projection::Pca ? (k >= 2 ? "code PC2" : nullptr)
                                                                                          : (k >= 2 ? yl.c_str() : nullptr);
    opt.y_ticks = k >= 2 || set.proj == Projection::Tsne;  // a 1-D code's y is jitter
    opt.equal_aspect = !dims && k >= 2;                     // projections: one scale on both axes
    ScatterWidgetResult ra, rp;
    // The drawn digit (if any) is marked in both plots (the AE plot: with code dims only).
    const bool mark = img && dec.canvas_ink && dec.code_ae.size() > 0;
    ScatterWidget("##ae", st.ae, ImVec2(w, hgt), &ra, opt);
    if (img && set.thumbs) draw_thumbnails(session, st, ra);
    if (vae && st.ellipses && dims) draw_ellipses(session, st, ra, di, dj);
    if (mark && dims) mark_code(ra, st.ae, dec.code_ae(di), dj >= 0 ? dec.code_ae(dj) : 0.0f, "your digit");
    if (set.proj == Projection::Tsne) tsne_status(st, ra);
    ScatterWidgetResult rk;
    if (kp) {
        ImGui::SameLine();
        ScatterWidgetOptions ko = opt;
        ko.equal_aspect = true;
        ko.y_ticks = true;
        ko.x_label = "kPC1";
        ko.y_label = "kPC2";
        ScatterWidget("##kpca", st.kpca, ImVec2(w, hgt), &rk, ko);
        kpca_status(st, rk);
    }
    ImGui::SameLine();
    opt.equal_aspect = k >= 2;  // a 1-D code is jittered vertically: no shared scale
    opt.x_label = "PC1";
    opt.y_label = k >= 2 ? "PC2" : nullptr;
    ScatterWidget("##pca", st.pca, ImVec2(w, hgt), &rp, opt);
    if (mark && dec.code_pca.size() > 0) mark_code(rp, st.pca, dec.code_pca(0), k >= 2 ? dec.code_pca(1) : 0.0f, nullptr);
    const int hov = ra.hovered >= 0 ? ra.hovered : rp.hovered >= 0 ? rp.hovered : kp ? rk.hovered : -1;
    st.ae.highlight(hov);
    st.pca.highlight(hov);
    st.kpca.highlight(hov);
    if (hov >= 0) hover_tooltip(cx, st, hov);
    const int clicked = ra.clicked >= 0 ? ra.clicked : rp.clicked >= 0 ? rp.clicked : kp ? rk.clicked : -1;
    if (clicked >= 0) {
        (dec.pick_a ? dec.interp_a : dec.interp_b) = clicked;
        dec.pick_a = !dec.pick_a;
        dec.interp.invalidate();
    }
    if (img) {
        // The class names flow over as many rows as the width needs (legend_rows counted
        // them), then the thumbnails box and the hint on a line of their own.
        const int ncls = std::min(10, session.data().test.num_classes);
        ImGui::TextColored(theme::kTextDim, "colour = class:");
        for (int c = 0; c < ncls; ++c) {
            const char* name = class_name(session, c);
            if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + ImGui::CalcTextSize(name).x <=
                ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x)
                ImGui::SameLine();
            ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(palette_color(c)), "%s", name);
        }
        ImGui::Checkbox("thumbnails", &cx.ctl.settings_mut().thumbs);
        Tip("scatter.thumbs");
        if (vae) {
            ImGui::SameLine();
            ImGui::Checkbox("sigma", &st.ellipses);
            Tip("scatter.ellipses");
        }
        const char* hint = "hover: image | click: pick A/B | wheel: zoom | dbl-click: fit";
        if (ImGui::GetContentRegionAvail().x - ImGui::GetItemRectSize().x - 8 < ImGui::CalcTextSize(hint).x)
            hint = "hover | click: A/B | wheel: zoom";
        ImGui::SameLine();
        ImGui::TextColored(theme::kTextDim, "%s", hint);
    } else {
        const Dataset& te = session.data().test;
        if (session.kind() == DatasetKind::Gauss2D) {
            for (int q = 0; q < 4; ++q) {
                ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(palette_color(q)), "o");
                ImGui::SameLine(0, 2);
            }
            ImGui::TextColored(theme::kTextDim, " colour = quadrant of the point around the mean | wheel: zoom");
        } else if (!te.param.empty()) {
            ImGui::TextColored(theme::kTextDim, "colour = position along the data (viridis) | wheel: zoom | dbl-click: fit");
        } else {
            ImGui::TextColored(theme::kTextDim, "wheel: zoom | drag: pan | dbl-click: fit");
        }
    }
}

}  // namespace aelab::app
