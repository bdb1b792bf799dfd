// app.cpp: see app.hpp. ImGui + SDL2 backend + OpenGL3 backend (ES3 on the web).
//
// Layout: compute_layout() (layout.hpp, pure and unit-tested) places the control column
// (docked on wide windows, a drawer below 720 px), the toolbar, the status line and the
// panels (a grid, or one at a time behind tabs when the grid would make them too small, or
// the one ?panel= asks for) every frame from the window size (no draggable windows,
// nothing stacks up). Messages go to the status line / toast (panel_messages.cpp), always in
// view; each panel has a PNG button (png=PANEL does the same). The panels depend on the data:
//   images (MNIST, Fashion):  latent scatter AE | PCA (2 units), loss (1);
//                             reconstructions, decoder (manifold / interpolation / draw),
//                             linear AE vs PCA (1 unit each)
//   2-D / 3-D sets:           data + reconstructions + axes (2), loss (1);
//                             latent scatter AE | PCA (2), linear AE vs PCA (1)
//   a model with conv layers: the conv panel (learned filters, feature maps: panel_conv.cpp)
//                             takes the place of linear AE vs PCA
//   the tables (breast cancer, wine): latent scatter (2), loss (1), classifier (2), PCA (1)
//   the Monte Carlo search (opt = mc): its intervals and loss landscape after the loss (2)
// (panel_grid.cpp has these rules.)
// A VAE's panels change inside: -ELBO / recon / KL curves, code means with sigma ellipses,
// prior samples and a latent traversal in the decoder panel.
// Training runs inside the frame: Controller::train() with the user's ms budget, lowered by the
// FramePacer (frame_pacer.hpp) while the frames run longer than ~28 ms (30 fps). The
// panels are drawn by panels.hpp's Show* functions; this file keeps the App facade, the
// ImGui context / backends and the frame sequence.
#include "app.hpp"

#include "chrome.hpp"
#include "gl.hpp"
#include "input_ui.hpp"
#include "layout.hpp"
#include "help.hpp"
#include "panels.hpp"
#include "theme.hpp"
#include "widgets.hpp"

#include "frame_pacer.hpp"
#include "panel_grid.hpp"
#include "panel_conv.hpp"

#include <imgui.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace aelab::app {
namespace {

using Clock = std::chrono::steady_clock;
double now_s() {
    static const Clock::time_point t0 = Clock::now();
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
class AppImpl {
public:
    SDL_Window* window = nullptr;
    bool initialized = false;
    std::uint64_t frames = 0;
    Controller ctl;
    Stats stats;
    std::string last_query = "\x01";
    std::string profile;
    // Where a frame's time goes, smoothed (0.9 / 0.1): sync, ui (of which each panel and the
    // controls), render, train, codes, in ms; written to Stats::profile every frame.
    struct Prof {
        double sync = 0, ui = 0, render = 0, train = 0, codes = 0, controls = 0;
        double panel[8] = {};  // by panel_prof_slot()
    } prof_avg;

    // timing
    double last_t = 0, frame_ms = 16, win_t0 = 0;
    long win_steps = 0;
    double steps_per_sec = 0, train_ms = 0, cpu_ms = 0, steps_per_frame = 0;
    double code_sec_per_col = 1e-4;  // measured (refresh_codes); a first guess of 0.1 ms

    // panels
    std::uint64_t visuals_seen = 0;
    ControlsState controls;
    ScatterState scatter;
    ReconState recon;
    DecoderState decoder;
    ConvPanelState conv;
    McPanelState mc;
    PcaState pca;
    DataViewState data_view;
    GaussState gauss;
    ClassifyState classify;
    KeysState keys;
    ViewBudget views;            // the model views' recompute turns while training (view_budget.hpp)
    FramePacer pacer;            // the training slice from the frame interval (frame_pacer.hpp)
    bool trained_last = false;   // the previous frame trained (its interval informs the pacer)
    bool scatter_ready = false;  // scatter.init() done (frame(), before the first scatter)
    double load_done = 0, load_total = 0;  // bytes of the data set being loaded

    void reset_visuals();
    void refresh_codes();
    void update_rates(long steps);
    // layout (layout.hpp) and the frame's chrome (chrome.hpp)
    LayoutInput layout_in;
    Layout layout;
    ClipReport clips;
    MessagesState messages;
    MessageView message_view;
    bool drawer_open = false;
    unsigned active_tab = 0;

    void frame();
    void draw_ui(PanelContext& cx);
    void draw_loading(const Rect& r);
    void draw_panel(PanelContext& cx, Panel p, const Rect& r);
    void draw_conv(PanelContext& cx);
    // Saves panel p's rectangle of the next rendered frame as PNG; "" or an error (said too).
    std::string export_png(Panel p);
    std::string share_url() const;
    void publish_stats();
};

void AppImpl::reset_visuals() {
    const Session& s = ctl.session();
    scatter.reset();
    recon.reset(s);
    decoder.reset(recon.idx, s.has_data() ? static_cast<int>(s.data().test.size()) : 0);
    pca.reset();
    classify.reset();
    conv.invalidate();
    mc.reset();
    views.reset();
    pacer.reset();
}

void AppImpl::refresh_codes() {
    if (!ctl.ready()) return;
    Session& session = ctl.session();
    const Index n = session.data().test.size();
    if (!is_image_dataset(session.kind())) {
        session.refresh_codes(n);
        return;
    }
    // A time budget, not a count: about 2 ms of encoding per frame, less when the frame's
    // target leaves less (at least one image; a conv VAE's 50 took 31 ms of every frame, its 8
    // still ~5 ms; the scatter's codes are all computed when a model is built).
    const double left_ms = kFrameTargetMs - prof_avg.sync - prof_avg.ui - prof_avg.render - prof_avg.train;
    const double budget_s = std::clamp(left_ms, 0.5, 2.0) * 1e-3;
    const Index cols = static_cast<Index>(code_columns(budget_s, code_sec_per_col, static_cast<long>(n)));
    const double t0 = now_s();
    session.refresh_codes(cols);
    const double dt = now_s() - t0;
    code_sec_per_col = 0.8 * code_sec_per_col + 0.2 * (dt / double(cols));
}

void AppImpl::update_rates(long steps) {
    win_steps += steps;
    const double t = now_s();
    if (win_t0 == 0) win_t0 = t;
    if (t - win_t0 >= 0.5) {
        steps_per_sec = win_steps / (t - win_t0);
        win_steps = 0;
        win_t0 = t;
    }
}

// ---- frame ------------------------------------------------------------------------------------
void AppImpl::frame() {
    const double t = now_s();
    // The interval since the previous frame began: the whole frame as the browser runs it
    // (this app's part, the browser's and the wait for vsync), what the pacer steers by.
    const double interval_ms = last_t > 0 ? (t - last_t) * 1e3 : -1.0;
    if (last_t > 0) frame_ms = 0.9 * frame_ms + 0.1 * interval_ms;
    last_t = t;
    const double t_begin = t;

    // Order: draw first, then train. The frame's GL commands are flushed to the GPU before
    // the training budget is spent, so that (in the browser, where the GPU process draws
    // the page) drawing and training overlap instead of adding up; what is drawn shows the
    // model as of the previous frame's training, one frame behind.
    double prof[6];
    ctl.set_time(t);
    ctl.sync();
    if (ctl.visuals_version() != visuals_seen) {
        visuals_seen = ctl.visuals_version();
        reset_visuals();
    }
    // The scatter's GL program is compiled before the first frame with a model (its panel
    // draws only then), not in init(): with the default MNIST preset that keeps the shader
    // compile (20-200 ms in headless Chromium, measured) out of the page's first frame.
    if (ctl.ready() && !scatter_ready) {
        scatter.init();  // as before in init(): a failed compile leaves the plots empty, not the app
        scatter_ready = true;
    }
    prof[0] = now_s();

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    ImGui::NewFrame();
    note_hovered("");       // help.hpp: the tooltip key and control rects of this frame
    clear_noted_items();

    views.begin_frame(t, ctl.ready() && ctl.playing());
    PanelContext cx{ctl, stats, t, last_query, &clips, &views};
    const ImGuiIO& io = ImGui::GetIO();
    draw_ui(cx);

    ShowKeysOverlay(keys);
    prof[1] = now_s();
    ImGui::Render();
    glViewport(0, 0, static_cast<int>(io.DisplaySize.x * io.DisplayFramebufferScale.x),
               static_cast<int>(io.DisplaySize.y * io.DisplayFramebufferScale.y));
    // The tiled windows draw no background of their own (begin_tiled): the clear paints it.
    const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    glFlush();   // hand the frame to the GPU now (non-blocking), then train meanwhile
    prof[2] = now_s();

    // The training budget adapts: at most the frame's target (30 ms, or the user's budget when
    // larger: a frame time they chose) less the rest of the frame (smoothed), and within that
    // what the pacer leaves from the measured frame interval (unless the user's budget is over
    // the target: then long frames are what they asked for).
    const double rest_ms = prof_avg.sync + prof_avg.ui + prof_avg.render + prof_avg.codes;
    const double user_ms = ctl.settings().budget_ms;
    const double ceiling_ms = std::min(user_ms, train_cap_ms(rest_ms, std::max(kFrameTargetMs, user_ms)));
    const double paced_ms = pacer.update(interval_ms, ceiling_ms, trained_last);
    const StepResult r = ctl.train(user_ms > kFrameTargetMs ? ceiling_ms : paced_ms);
    trained_last = r.seconds > 0;
    train_ms = r.seconds * 1e3;
    if (r.steps > 0) steps_per_frame = steps_per_frame > 0 ? 0.9 * steps_per_frame + 0.1 * r.steps : r.steps;
    update_rates(r.steps);
    prof[3] = now_s();
    refresh_codes();
    // k-NN, 10 labels per class (every few s): its 100 encodes by time too, ~1 ms a frame.
    if (ctl.ready()) ctl.session().update_knn(now_s(), static_cast<Index>(code_columns(1e-3, code_sec_per_col, 100)));
    prof[4] = now_s();
    {
        Prof& a = prof_avg;
        const auto ema = [](double& v, double x) { v = 0.9 * v + 0.1 * x * 1e3; };
        ema(a.sync, prof[0] - t_begin);
        ema(a.ui, prof[1] - prof[0]);
        ema(a.render, prof[2] - prof[1]);
        ema(a.train, prof[3] - prof[2]);
        ema(a.codes, prof[4] - prof[3]);
        char b[320];
        // Smoothed ms. "tsne": the latent scatter's live t-SNE (inside "ui": the panel steps it);
        // the panels and the controls column are inside "ui" too. "pace": the training budget the
        // FramePacer gave the last frame, "interval": the smoothed frame interval it steers by.
        std::snprintf(b, sizeof b,
                      "sync %.1f train %.1f codes %.1f ui %.1f (tsne %.1f; controls %.1f scatter %.1f loss %.1f "
                      "recon %.1f decoder %.1f pca %.1f conv %.1f) render %.1f ms; pace %.1f ms (interval %.1f)",
                      a.sync, a.train, a.codes, a.ui, scatter.tsne.last_update_s() * 1e3, a.controls, a.panel[0],
                      a.panel[1], a.panel[2], a.panel[3], a.panel[4], a.panel[5], a.render,
                      std::isfinite(pacer.budget_ms()) ? pacer.budget_ms() : 0.0, pacer.smoothed_ms());
        profile = b;
    }
    ++frames;
    cpu_ms = 0.9 * cpu_ms + 0.1 * (now_s() - t_begin) * 1e3;

    const std::string q = to_query(ctl.url_settings());  // the user's data file is not in links
    if (q != last_query) {
        last_query = q;
        if (ctl.platform().set_url) ctl.platform().set_url(q);
    }
    publish_stats();
}

void AppImpl::publish_stats() {
    Stats& s = stats;
    const Session& session = ctl.session();
    s.frame_ms = frame_ms;
    s.fps = frame_ms > 0 ? 1000.0 / frame_ms : 0;
    s.steps_per_sec = steps_per_sec;
    s.samples_per_sec = steps_per_sec * ctl.settings().batch;
    s.train_ms = train_ms;
    s.cpu_ms = cpu_ms;
    s.playing = ctl.playing();
    s.ready = ctl.ready();
    s.frames = frames;
    s.dataset = dataset_key(ctl.settings().dataset);
    s.preset = ctl.settings().preset;
    s.query = last_query;
    s.messages = ctl.message_total();
    s.message = ctl.messages().empty() ? "" : ctl.messages().back().text;
    s.profile = profile;
    s.share_url = share_url();
    s.ui_json = layout_json(layout, layout_in, message_view, clips);
    s.steps_per_frame = steps_per_frame;
    s.tooltip = hovered_key();
    s.help_missing = missing_lookups();
    s.warning = !ctl.watch().shown() ? "" : ctl.watch().state() == WatchState::Diverged ? "diverged" : "stalled";
    s.confirm_rebuild = ctl.confirm_pending();
    s.controls_json = noted_items_json();
    const double nan = std::nan("");
    if (s.ready) {
        s.step = session.total_steps();
        s.epoch = session.total_epoch();
        s.train_mse = session.last_train_mse();
        s.test_mse = session.last_test_mse();
        s.pca_mse = session.pca_test_mse();
        s.params = ctl.session().model().num_params();
        s.arch = ctl.session().model().arch_string();
        s.model_kind = model_kind_name(session.model().kind());
        s.vae = session.is_vae();
        s.conv = session.has_conv();
        const bool mc_shown = ctl.settings().opt == OptimizerKind::MonteCarlo && !mc.bars.empty();
        s.mc_json = mc_shown ? mc_json(mc.iv, mc.bars, mc.land) : std::string();
        s.phase = session.phase_label();
        s.pretrain_phase = session.pretrainer() ? session.pretrainer()->phase() + 1 : 0;
        const SensState& sens = recon.sens;
        const bool sens_on = sens.has && !sens.cur.t.empty();
        s.sens_jacobian = sens_on ? sens.cur.jacobian_fro : nan;
        s.sens_recon = sens_on ? sens.cur.recon_dist.back() : nan;
        s.sens_code = sens_on ? sens.cur.code_dist.back() : nan;
        s.test_recon = s.test_kl = s.beta = nan;
        if (s.vae) {
            const auto& h = session.trainer().history();
            for (auto it = h.rbegin(); it != h.rend(); ++it)
                if (std::isfinite(it->test_kl)) {
                    s.test_recon = it->test_loss;
                    s.test_kl = it->test_kl;
                    break;
                }
            s.beta = ctl.applied().beta;
        }
        s.diverged = session.trainer().diverged();
        const auto& ah = session.angle_history();
        s.max_angle_deg = ah.empty() || ah.back().degrees.empty() ? nan : ah.back().degrees.back();
        s.knn10 = session.knn().ae;
        s.pca_knn10 = session.knn().pca;
        s.tsne_iter = static_cast<double>(scatter.tsne.iterations());
        s.tsne_kl = scatter.tsne.kl();
        s.tsne_reads = scatter.tsne.reads();
        s.tsne_spread = scatter.tsne.spread();
        s.tsne_ms = scatter.tsne.last_update_s() * 1e3;
        s.kpca_points = static_cast<double>(scatter.kview.points());
        s.kpca_gamma = scatter.kview.fits() > 0 ? scatter.kview.gamma() : nan;
        s.kpca_fits = scatter.kview.fits();
        s.kpca_ms = scatter.kview.last_fit_s() * 1e3;
        s.classify_json = classify_json(classify);
    } else {
        s.phase.clear();
        s.pretrain_phase = 0;
        s.sens_jacobian = s.sens_recon = s.sens_code = std::nan("");
        s.step = 0;
        s.epoch = 0;
        s.mc_json.clear();
        s.train_mse = s.test_mse = s.pca_mse = s.max_angle_deg = s.knn10 = s.pca_knn10 = nan;
    }
}

void AppImpl::draw_ui(PanelContext& cx) {
    const ImGuiIO& io = ImGui::GetIO();
    const Settings& st = ctl.settings();
    clips.clear();
    LayoutInput in;
    in.width = io.DisplaySize.x;
    in.height = io.DisplaySize.y;
    in.scale = ImGui::GetFontSize() / 13.0f;
    if (ctl.ready())
        for (const GridItem& it : panel_items(ctl.session().kind(), ctl.session().has_conv(),
                                              ctl.settings().opt == OptimizerKind::MonteCarlo, st.panel == kPanelClassify))
            if (!(st.hide & it.panel))
                in.panels.push_back({it.panel, it.units, ImGui::CalcTextSize(tab_label(it.panel)).x});
    // Every panel hidden: say so and show the controls (never an empty page).
    const bool all_hidden = ctl.ready() && in.panels.empty();
    const bool lecture = (st.hide & kPanelControls) && !all_hidden;
    in.controls = !lecture;
    in.drawer_open = drawer_open || all_hidden;
    in.solo = st.panel;
    in.active_tab = active_tab;
    in.mode = st.layout;
    layout_in = in;
    layout = compute_layout(in);

    if (!ctl.ready()) {
        draw_loading(layout.area);
    } else if (all_hidden) {
        ShowAllHiddenNotice(cx, layout.area);
    } else {
        if (layout.tabs)
            if (const unsigned c = ShowTabStrip(layout, layout.tab_strip, tab_label, clips)) active_tab = c;
        double ms[8] = {};
        for (const PanelBox& b : layout.panels) {
            const double t0 = now_s();
            draw_panel(cx, b.panel, b.rect);
            ms[panel_prof_slot(b.panel)] += (now_s() - t0) * 1e3;
        }
        for (int i = 0; i < 8; ++i) prof_avg.panel[i] = 0.9 * prof_avg.panel[i] + 0.1 * ms[i];
    }
    if (!layout.toolbar.empty()) {
        const char* label = lecture ? "Show controls" : drawer_open ? "Close controls" : "Controls";
        if (ShowToolbar(cx, layout.toolbar, label, clips)) {
            if (lecture) {  // lecture mode (hide=controls): bring the column back
                ctl.settings_mut().hide &= ~static_cast<unsigned>(kPanelControls);
                drawer_open = layout.narrow;
            } else {
                drawer_open = !drawer_open;
            }
        }
    }
    const double tc0 = now_s();
    if (layout.docked) {
        BeginTiled("aelab##controls", layout.controls, ImGuiWindowFlags_NoTitleBar);
        ShowControls(cx, controls);
        ImGui::End();
    } else if (layout.drawer) {  // overlays the panels, with its own background
        ImGui::SetNextWindowPos(ImVec2(layout.controls.x, layout.controls.y));
        ImGui::SetNextWindowSize(ImVec2(layout.controls.w, layout.controls.h));
        ImGui::Begin("aelab##drawer", nullptr,
                     ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                         ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings);
        RaiseCurrentWindow();
        ShowControls(cx, controls);
        ImGui::End();
    }
    prof_avg.controls = 0.9 * prof_avg.controls + 0.1 * (now_s() - tc0) * 1e3;
    message_view = ShowStatusLine(cx, messages, layout.status, clips);
}

void AppImpl::draw_loading(const Rect& r) {
    BeginTiled("##loading", r, ImGuiWindowFlags_NoDecoration);
    const Settings& settings = ctl.settings();
    const char* what = ctl.loading() ? "Loading the data set ..." : "Preparing ...";
    if (ctl.failed(settings.dataset)) what = "This data set could not be loaded (see the message below): pick another one.";
    const float w = std::min(r.w - 32, ImGui::CalcTextSize(what).x);
    ImGui::SetCursorPos(ImVec2((r.w - w) * 0.5f, r.h * 0.45f));
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w);
    ImGui::TextColored(theme::kTextDim, "%s", what);
    ImGui::PopTextWrapPos();
    if (ctl.loading() && load_done > 0) {  // bytes, and a bar when the total is known
        char b[96];
        const float bw = std::min(r.w * 0.6f, 360.0f);
        ImGui::SetCursorPosX((r.w - bw) * 0.5f);
        if (load_total > 0) {
            std::snprintf(b, sizeof b, "%.2f of %.2f MB", load_done / 1e6, load_total / 1e6);
            ImGui::ProgressBar(static_cast<float>(std::clamp(load_done / load_total, 0.0, 1.0)), ImVec2(bw, 0), b);
        } else {
            ImGui::TextColored(theme::kTextDim, "%.2f MB received", load_done / 1e6);
        }
    }
    ImGui::End();
}

void AppImpl::draw_panel(PanelContext& cx, Panel p, const Rect& r) {
    PanelTitles t = panel_titles(p);
    if (p == kPanelLoss && ctl.ready() && ctl.session().is_vae()) t = {"Loss: -ELBO = recon + KL (nats per image)", "Loss: -ELBO", "Loss"};
    const std::string id = std::string("##panel_") + panel_key(p);
    if (BeginTiled(id.c_str(), r, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar |
                                      ImGuiWindowFlags_NoScrollWithMouse)) {
        if (PanelHeader(t.long_title, t.short_title, clips, std::string("title:") + panel_key(p))) export_png(p);
        switch (p) {
            case kPanelLoss: ShowLossPanel(cx); break;
            case kPanelScatter: ShowScatterPanel(cx, scatter, decoder); break;
            case kPanelRecon: ShowReconPanel(cx, recon); break;
            case kPanelDecoder: ShowDecoderPanel(cx, decoder); break;
            case kPanelPca: ShowPcaPanel(cx, pca); break;
            case kPanelData: ShowDataPanel(cx, data_view); break;
            case kPanelGauss: ShowGaussPanel(cx, gauss); break;
            case kPanelConv: draw_conv(cx); break;
            case kPanelMc: ShowMcPanel(cx, mc); break;
            case kPanelClassify: ShowClassifyPanel(cx, classify); break;
            default: break;
        }
    }
    ImGui::End();
}

void AppImpl::draw_conv(PanelContext& cx) {
    Graph<float>* g = cx.ctl.session().graph();
    if (!g) return;
    const Dataset& te = cx.ctl.session().data().test;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    draw_conv_panel(conv, *g, te.X, te.y, avail.x, avail.y);
}

std::string AppImpl::export_png(Panel p) {
    const PanelBox* box = nullptr;
    for (const PanelBox& b : layout.panels)
        if (b.panel == p) box = &b;
    std::string err;
    if (!box) {
        err = std::string("panel '") + panel_key(p) + "' is not on screen (hidden, another tab, or no such panel for this data)";
    } else if (!ctl.platform().screenshot_region) {
        err = "saving a panel as PNG is not available here";
    } else {
        const ImVec2 fb = ImGui::GetIO().DisplayFramebufferScale;
        const int x = static_cast<int>(std::lround(box->rect.x * fb.x)), y = static_cast<int>(std::lround(box->rect.y * fb.y));
        const int w = static_cast<int>(std::lround(box->rect.w * fb.x)), h = static_cast<int>(std::lround(box->rect.h * fb.y));
        std::string name = std::string("aelab-") + panel_key(p) + ".png";
        if (ctl.platform().browser && ctl.ready())
            name = std::string("aelab-") + panel_key(p) + "-" + dataset_key(ctl.session().kind()) + "-step" +
                   std::to_string(ctl.session().total_steps()) + ".png";
        err = ctl.platform().screenshot_region(name, x, y, w, h);
    }
    if (!err.empty()) ctl.say("PNG: " + err, true);
    return err;
}

std::string AppImpl::share_url() const {
    return aelab::app::share_url(ctl.platform().page_url, last_query == "\x01" ? std::string() : last_query);
}

// ---------------------------------------------------------------------------------------------
App::App() : impl_(std::make_unique<AppImpl>()) {}
App::~App() = default;

bool App::init(SDL_Window* window, SDL_GLContext gl_context, const Platform& platform, const std::string& query) {
    AppImpl& a = *impl_;
    a.window = window;
    a.ctl.set_platform(platform);
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // no imgui.ini: the layout is computed every frame
    // The font atlas at the device pixel ratio, shown at 1/ratio: crisp text on HiDPI.
    const float ratio = std::clamp(platform.pixel_ratio, 1.0f, 4.0f);
    ImFontConfig cfg;
    cfg.SizePixels = std::round(13.0f * ratio);
    cfg.OversampleH = cfg.OversampleV = 1;
    cfg.PixelSnapH = true;
    io.Fonts->AddFontDefault(&cfg);
    io.FontGlobalScale = 1.0f / ratio;
    theme::apply_style();
    if (!ImGui_ImplSDL2_InitForOpenGL(window, gl_context)) return false;
    if (!ImGui_ImplOpenGL3_Init(kGlslVersion)) return false;
    a.initialized = true;
    a.ctl.set_time(now_s());
    a.ctl.apply_query(query);
    return true;
}

bool App::event(const SDL_Event& e) {
    ImGui_ImplSDL2_ProcessEvent(&e);
    if (impl_->initialized) HandleShortcut(impl_->ctl, impl_->keys, e);
    if (e.type == SDL_QUIT) return false;
    if (e.type == SDL_WINDOWEVENT && e.window.event == SDL_WINDOWEVENT_CLOSE &&
        e.window.windowID == SDL_GetWindowID(impl_->window))
        return false;
    return true;
}

void App::frame() { impl_->frame(); }

void App::shutdown() {
    AppImpl& a = *impl_;
    if (!a.initialized) return;
    if (a.scatter_ready) a.scatter.release();
    a.recon.release();
    a.decoder.release();
    a.pca.release();
    a.conv.release();
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
    a.initialized = false;
}

void App::on_image_data(DatasetKind kind, std::vector<std::uint8_t> train_images, std::vector<std::uint8_t> train_labels,
                        std::vector<std::uint8_t> test_images, std::vector<std::uint8_t> test_labels,
                        const std::string& source) {
    impl_->ctl.on_image_data(kind, std::move(train_images), std::move(train_labels), std::move(test_images),
                             std::move(test_labels), source);
}

void App::on_data_error(DatasetKind kind, const std::string& message) { impl_->ctl.on_data_error(kind, message); }

void App::on_table_data(DatasetKind kind, const std::vector<std::uint8_t>& bytes, const std::string& source) {
    impl_->ctl.on_table_data(kind, bytes, source);
}

void App::on_host_message(const std::string& message, bool error) { impl_->ctl.say(message, error); }

void App::on_model_bytes(const std::vector<std::uint8_t>& bytes, const std::string& name) {
    impl_->ctl.on_model_bytes(bytes, name);
}

void App::on_data_file(const std::vector<std::uint8_t>& bytes, const std::string& name,
                       const std::vector<std::uint8_t>& labels) {
    impl_->ctl.on_data_file(bytes, name, labels);
}

std::string App::command(const std::string& cmd) {
    if (cmd.rfind("png=", 0) == 0) {  // one panel as PNG (the panels are the App's, not the controller's)
        for (Panel p : all_panels())
            if (p != kPanelControls && cmd.substr(4) == panel_key(p)) return impl_->export_png(p);
        std::string valid;
        for (Panel p : all_panels())
            if (p != kPanelControls) valid += (valid.empty() ? "" : ", ") + std::string(panel_key(p));
        const std::string err = "unknown panel '" + cmd.substr(4) + "' (valid: " + valid + ")";
        impl_->ctl.say("PNG: " + err, true);
        return err;
    }
    return impl_->ctl.command(cmd);
}
void App::on_data_progress(double done, double total) {
    impl_->load_done = done;
    impl_->load_total = total;
}
Controller& App::controller() { return impl_->ctl; }
bool App::keys_overlay_shown() const { return impl_->keys.overlay; }
const Stats& App::stats() const { return impl_->stats; }
std::uint64_t App::frame_count() const { return impl_->frames; }

}  // namespace aelab::app
