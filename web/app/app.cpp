// app.cpp: see app.hpp. ImGui + SDL2 backend + OpenGL3 backend (ES3 on the web).
//
// Layout: a control column on the left (presets, data, model, optimizer, training, file,
// share) and a grid of panels filling the rest of the window, re-laid out every frame from
// the window size (no draggable windows, nothing stacks up). The panels depend on the data:
//   images (MNIST, Fashion):  latent scatter AE | PCA (2 units), loss (1);
//                             reconstructions, decoder (manifold / interpolation / draw),
//                             linear AE vs PCA (1 unit each)
//   2-D / 3-D sets:           data + reconstructions + axes (2), loss (1);
//                             latent scatter AE | PCA (2), linear AE vs PCA (1)
// Training runs inside the frame: Controller::train() with the user's ms budget. The
// panels are drawn by panels.hpp's Show* functions; this file keeps the App facade, the
// ImGui context / backends and the frame sequence.
#include "app.hpp"

#include "gl.hpp"
#include "help.hpp"
#include "panels.hpp"
#include "theme.hpp"

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

// Begins a window that tiles the screen (control column, toolbar, panels, loading screen)
// at pos/size: fixed, never brought to the front, and drawing no background quad; frame()
// clears to the window colour instead. Each full-screen shaded layer costs a software
// rasteriser (headless Chromium's SwiftShader) about 8-9 ms per frame at 1280x800
// (measured: 49 fps with one textured quad layer, 35 with two), while a clear is nearly free.
bool begin_tiled(const char* name, ImVec2 pos, ImVec2 size, ImGuiWindowFlags extra) {
    ImGui::SetNextWindowPos(pos);
    ImGui::SetNextWindowSize(size);
    return ImGui::Begin(name, nullptr,
                        ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                            ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                            ImGuiWindowFlags_NoBringToFrontOnFocus | extra);
}

bool begin_panel(const char* title, ImVec2 pos, ImVec2 size) {
    return begin_tiled(title, pos, size, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
}

struct GridItem {
    Panel panel;
    int units;
};

// Packs the panels into rows of 3 units (a panel takes 1 or 2).
std::vector<std::vector<GridItem>> pack_rows(const std::vector<GridItem>& items) {
    std::vector<std::vector<GridItem>> rows;
    int used = 3;
    for (const GridItem& it : items) {
        if (used + it.units > 3) {
            rows.emplace_back();
            used = 0;
        }
        rows.back().push_back(it);
        used += it.units;
    }
    return rows;
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

    // timing
    double last_t = 0, frame_ms = 16, win_t0 = 0;
    long win_steps = 0;
    double steps_per_sec = 0, train_ms = 0, cpu_ms = 0, steps_per_frame = 0;
    double code_sec_per_col = 1e-6;

    // panels
    std::uint64_t visuals_seen = 0;
    ControlsState controls;
    ScatterState scatter;
    ReconState recon;
    DecoderState decoder;
    PcaState pca;
    DataViewState data_view;
    GaussState gauss;

    void reset_visuals();
    void refresh_codes();
    void update_rates(long steps);
    void frame();
    void draw_toolbar(PanelContext& cx, ImVec2 pos, ImVec2 size);
    void draw_panels(PanelContext& cx, ImVec2 pos, ImVec2 size);
    void draw_panel(PanelContext& cx, Panel p, ImVec2 pos, ImVec2 size);
    void publish_stats();
};

void AppImpl::reset_visuals() {
    const Session& s = ctl.session();
    scatter.reset();
    recon.reset(s);
    decoder.reset(recon.idx, s.has_data() ? static_cast<int>(s.data().test.size()) : 0);
    pca.reset();
}

void AppImpl::refresh_codes() {
    if (!ctl.ready()) return;
    Session& session = ctl.session();
    const Index n = session.data().test.size();
    if (!is_image_dataset(session.kind())) {
        session.refresh_codes(n);
        return;
    }
    // Adaptive chunk: about 2 ms of encoding per frame.
    const Index cols = std::clamp<Index>(static_cast<Index>(2e-3 / std::max(code_sec_per_col, 1e-8)), 50, n);
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
    if (last_t > 0) frame_ms = 0.9 * frame_ms + 0.1 * (t - last_t) * 1e3;
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
    prof[0] = now_s();

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    ImGui::NewFrame();
    note_hovered("");       // help.hpp: the tooltip key and control rects of this frame
    clear_noted_items();

    PanelContext cx{ctl, stats, t, last_query};
    const ImGuiIO& io = ImGui::GetIO();
    const ImVec2 disp = io.DisplaySize;
    const bool controls_shown = !(ctl.settings().hide & kPanelControls);
    const float cw = controls_shown ? std::clamp(disp.x * 0.25f, 270.0f, 340.0f) : 0.0f;
    if (controls_shown) {
        begin_tiled("aelab##controls", ImVec2(0, 0), ImVec2(cw, disp.y), ImGuiWindowFlags_NoTitleBar);
        ShowControls(cx, controls);
        ImGui::End();
        draw_panels(cx, ImVec2(cw, 0), ImVec2(disp.x - cw, disp.y));
    } else {
        const float th = ImGui::GetFrameHeight() + 12;
        draw_toolbar(cx, ImVec2(0, 0), ImVec2(disp.x, th));
        draw_panels(cx, ImVec2(0, th), ImVec2(disp.x, disp.y - th));
    }

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

    const StepResult r = ctl.train();
    train_ms = r.seconds * 1e3;
    if (r.steps > 0) steps_per_frame = steps_per_frame > 0 ? 0.9 * steps_per_frame + 0.1 * r.steps : r.steps;
    update_rates(r.steps);
    prof[3] = now_s();
    refresh_codes();
    if (ctl.ready()) ctl.session().update_knn(now_s());  // k-NN, 10 labels per class (every few s)
    prof[4] = now_s();
    {
        char b[160];
        std::snprintf(b, sizeof b, "sync %.1f train %.1f codes %.1f ui %.1f render %.1f ms", (prof[0] - t_begin) * 1e3,
                      (prof[3] - prof[2]) * 1e3, (prof[4] - prof[3]) * 1e3, (prof[1] - prof[0]) * 1e3,
                      (prof[2] - prof[1]) * 1e3);
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
        s.arch = ctl.session().model().config().arch_string();
        s.diverged = session.trainer().diverged();
        const auto& ah = session.angle_history();
        s.max_angle_deg = ah.empty() || ah.back().degrees.empty() ? nan : ah.back().degrees.back();
        s.knn10 = session.knn().ae;
        s.pca_knn10 = session.knn().pca;
    } else {
        s.step = 0;
        s.epoch = 0;
        s.train_mse = s.test_mse = s.pca_mse = s.max_angle_deg = s.knn10 = s.pca_knn10 = nan;
    }
}

void AppImpl::draw_toolbar(PanelContext& cx, ImVec2 pos, ImVec2 size) {
    begin_tiled("##toolbar", pos, size, ImGuiWindowFlags_NoDecoration);
    ImGui::SetCursorPosY(6);
    ShowTrainingButtons(ctl);
    ImGui::SameLine();
    ImGui::TextColored(theme::kTextDim, " %s  |  step %ld  epoch %.2f  |  %.0f steps/s",
                       dataset_label(ctl.settings().dataset), stats.step, stats.epoch, stats.steps_per_sec);
    if (const Message* m = ctl.latest(cx.now, 10)) {
        ImGui::SameLine();
        ImGui::TextColored(m->error ? theme::kTextErr : theme::kTextDim, "  %s", m->text.c_str());
    }
    ImGui::End();
}

void AppImpl::draw_panel(PanelContext& cx, Panel p, ImVec2 pos, ImVec2 size) {
    switch (p) {
        case kPanelLoss:
            if (begin_panel("Loss: test MSE vs PCA's bound", pos, size)) ShowLossPanel(cx);
            break;
        case kPanelScatter:
            if (begin_panel("Latent codes of the test set: autoencoder | PCA", pos, size))
                ShowScatterPanel(cx, scatter, decoder);
            break;
        case kPanelRecon:
            if (begin_panel("Reconstructions", pos, size)) ShowReconPanel(cx, recon);
            break;
        case kPanelDecoder:
            if (begin_panel("Decoder", pos, size)) ShowDecoderPanel(cx, decoder);
            break;
        case kPanelPca:
            if (begin_panel("Linear AE vs PCA", pos, size)) ShowPcaPanel(cx, pca);
            break;
        case kPanelData:
            if (begin_panel("Data, reconstructions and principal axes", pos, size)) ShowDataPanel(cx, data_view);
            break;
        case kPanelGauss:
            if (begin_panel("2-D Gaussian explorer: edit mean and covariance", pos, size))
                ShowGaussPanel(cx, gauss);
            break;
        default: ImGui::Begin("?"); break;
    }
    ImGui::End();
}

void AppImpl::draw_panels(PanelContext& cx, ImVec2 pos, ImVec2 size) {
    const Settings& settings = ctl.settings();
    if (!ctl.ready()) {
        begin_tiled("##loading", pos, size, ImGuiWindowFlags_NoDecoration);
        const char* what = ctl.loading() ? "Loading the data set ..." : "Preparing ...";
        if (ctl.failed(settings.dataset)) what = "This data set could not be loaded: pick another one.";
        const ImVec2 ts = ImGui::CalcTextSize(what);
        ImGui::SetCursorPos(ImVec2((size.x - ts.x) * 0.5f, size.y * 0.45f));
        ImGui::TextColored(theme::kTextDim, "%s", what);
        if (settings.hide & kPanelControls) {
            ImGui::SetCursorPosX(size.x * 0.25f);
            ImGui::PushTextWrapPos(size.x * 0.75f);
            ShowMessages(ctl, true);
            ImGui::PopTextWrapPos();
        }
        ImGui::End();
        return;
    }
    std::vector<GridItem> items;
    if (is_image_dataset(ctl.session().kind()))
        items = {{kPanelScatter, 2}, {kPanelLoss, 1}, {kPanelRecon, 1}, {kPanelDecoder, 1}, {kPanelPca, 1}};
    else if (ctl.session().kind() == DatasetKind::Gauss2D)
        items = {{kPanelGauss, 1}, {kPanelData, 1}, {kPanelLoss, 1}, {kPanelScatter, 2}, {kPanelPca, 1}};
    else
        items = {{kPanelData, 2}, {kPanelLoss, 1}, {kPanelScatter, 2}, {kPanelPca, 1}};
    items.erase(std::remove_if(items.begin(), items.end(),
                               [&](const GridItem& it) { return (settings.hide & it.panel) != 0; }),
                items.end());
    if (items.empty()) items.push_back({kPanelLoss, 1});
    // Each row's panels share its width in proportion to their units.
    const std::vector<std::vector<GridItem>> rows = pack_rows(items);
    const float rh = std::floor(size.y / rows.size());
    for (size_t r = 0; r < rows.size(); ++r) {
        int units = 0;
        for (const GridItem& it : rows[r]) units += it.units;
        float x = pos.x;
        const float y = pos.y + rh * r;
        const float h = r + 1 == rows.size() ? size.y - rh * r : rh;
        for (size_t i = 0; i < rows[r].size(); ++i) {
            const GridItem& it = rows[r][i];
            const float w = i + 1 == rows[r].size() ? pos.x + size.x - x : std::floor(size.x * it.units / units);
            draw_panel(cx, it.panel, ImVec2(x, y), ImVec2(w, h));
            x += w;
        }
    }
    // Messages float over the panels when the control column is hidden.
    if ((settings.hide & kPanelControls) && ctl.latest(cx.now, 12)) {
        ImGui::SetNextWindowPos(ImVec2(pos.x + size.x * 0.5f, pos.y + 8), ImGuiCond_Always, ImVec2(0.5f, 0));
        ImGui::SetNextWindowBgAlpha(0.92f);
        ImGui::Begin("##msgs", nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings |
                         ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav);
        ImGui::PushTextWrapPos(size.x * 0.6f);
        ShowMessages(ctl, true);
        ImGui::PopTextWrapPos();
        ImGui::End();
    }
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
    a.scatter.init();
    a.initialized = true;
    a.ctl.set_time(now_s());
    a.ctl.apply_query(query);
    return true;
}

bool App::event(const SDL_Event& e) {
    ImGui_ImplSDL2_ProcessEvent(&e);
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
    a.scatter.release();
    a.recon.release();
    a.decoder.release();
    a.pca.release();
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

void App::on_host_message(const std::string& message, bool error) { impl_->ctl.say(message, error); }

void App::on_model_bytes(const std::vector<std::uint8_t>& bytes, const std::string& name) {
    impl_->ctl.on_model_bytes(bytes, name);
}

void App::on_data_file(const std::vector<std::uint8_t>& bytes, const std::string& name,
                       const std::vector<std::uint8_t>& labels) {
    impl_->ctl.on_data_file(bytes, name, labels);
}

std::string App::command(const std::string& cmd) { return impl_->ctl.command(cmd); }
const Stats& App::stats() const { return impl_->stats; }
std::uint64_t App::frame_count() const { return impl_->frames; }

}  // namespace aelab::app
