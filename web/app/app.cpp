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
// Training runs inside the frame: Session::train(budget) with the user's ms budget.
#include "app.hpp"

#include "gl.hpp"
#include "gltex.hpp"
#include "presets.hpp"
#include "scatter.hpp"
#include "session.hpp"
#include "widgets.hpp"

#include <imgui.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>

namespace aelab::app {
namespace {

using Clock = std::chrono::steady_clock;
double now_s() {
    static const Clock::time_point t0 = Clock::now();
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

const char* kActNames[] = {"linear", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "softplus"};
const char* kOptNames[] = {"SGD", "AdaGrad", "RMSProp", "Adam", "AdamW", "L-BFGS", "Monte Carlo"};
const char* kFashionNames[] = {"T-shirt", "Trouser", "Pullover", "Dress", "Coat",
                               "Sandal",  "Shirt",   "Sneaker",  "Bag",   "Boot"};

const ImU32 kColTrain = IM_COL32(110, 160, 230, 150);
const ImU32 kColTest = IM_COL32(255, 160, 60, 255);
const ImU32 kColPca = IM_COL32(90, 220, 140, 255);
const ImU32 kColAccent = IM_COL32(255, 160, 60, 255);
const ImVec4 kTextDim(0.62f, 0.64f, 0.70f, 1.0f);
const ImVec4 kTextGood(0.45f, 0.88f, 0.58f, 1.0f);
const ImVec4 kTextWarn(1.0f, 0.72f, 0.35f, 1.0f);
const ImVec4 kTextErr(1.0f, 0.45f, 0.42f, 1.0f);

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

struct Message {
    std::string text;
    bool error = false;
    double time = 0;
};

// Deterministic jitter in [-1, 1] for 1-D strip plots.
float jitter(int i) {
    std::uint32_t h = static_cast<std::uint32_t>(i) * 2654435761u;
    h ^= h >> 15;
    h *= 2246822519u;
    h ^= h >> 13;
    return static_cast<float>(h & 0xFFFF) / 32767.5f - 1.0f;
}

void help_marker(const char* text) {
    ImGui::SameLine();
    ImGui::TextDisabled("(?)");
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
        ImGui::TextUnformatted(text);
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
}

std::string fmt(const char* f, double v) {
    char b[64];
    std::snprintf(b, sizeof b, f, v);
    return b;
}

double round_sig(double x, int digits) {
    if (!(x > 0) || !std::isfinite(x)) return x;
    const double m = std::pow(10.0, digits - 1 - std::floor(std::log10(x)));
    return std::round(x * m) / m;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
class AppImpl {
public:
    SDL_Window* window = nullptr;
    Platform plat;
    bool initialized = false;
    std::uint64_t frames = 0;

    Settings settings, applied;
    bool have_applied = false;
    Session session;
    bool playing = false, step_once = false;
    bool loading = false;
    DatasetKind loading_kind = DatasetKind::MNIST;
    double loading_since = 0;
    bool failed[kNumDatasets] = {};
    std::unique_ptr<ModelFile> pending_model;
    std::string pending_model_name;

    std::deque<Message> messages;
    int message_total = 0;
    Stats stats;
    std::string last_query = "\x01";
    std::string profile;

    // timing
    double last_t = 0, frame_ms = 16, win_t0 = 0;
    long win_steps = 0;
    double steps_per_sec = 0, train_ms = 0, cpu_ms = 0;
    double code_sec_per_col = 1e-6;

    // visuals
    ScatterRenderer sc_ae, sc_pca;
    bool scatter_ok = false;
    std::vector<float> xy_ae, xy_pca;
    std::uint64_t colour_version = 1, coloured_version = 0;
    ImageTexture tex_recon, tex_manifold, tex_interp, tex_canvas, tex_draw_out, tex_hover, tex_comps, tex_aecomps;
    double t_recon = -1, t_manifold = -1, t_interp = -1, t_draw = -1, t_comps = -1;
    long s_recon = -1, s_manifold = -1, s_interp = -1, s_comps = -1;   // model step at the last refresh
    int hover_shown = -1;                                               // test image in tex_hover
    double t_hover = -1;
    // Image panels (decoded images, manifold, components) are recomputed and re-uploaded at
    // most every kImagePeriod seconds while the model changes, at once after a user action
    // (t_* = -1), and otherwise only every kImageIdle seconds (the codes behind the manifold
    // may still be refreshing in chunks after training stops).
    static constexpr double kImagePeriod = 0.22, kImageIdle = 1.0;
    bool image_due(double t, double t_last, long s_last) const {
        if (t_last < 0) return true;
        const double age = t - t_last;
        return age > kImageIdle || (age > kImagePeriod && session.total_steps() != s_last);
    }
    std::vector<int> recon_idx;
    int interp_a = 0, interp_b = 1;
    bool pick_a = true;
    bool manifold_pca = false;
    std::vector<float> canvas = std::vector<float>(784, 0.0f);
    bool canvas_ink = false, canvas_dirty = false;
    Mat draw_code_ae, draw_code_pca, draw_out;
    float yaw = 0.7f, pitch = 0.35f;
    bool show_data = true, show_ae = true, show_pca_sub = true, show_axes = true, show_manifold = true;
    int hover_index = -1;
    char path_buf[512] = "model.aelab";
    std::vector<int> width_edit;  // hidden widths being edited (committed on release)

    // ---- messages -------------------------------------------------------------------------
    void say(const std::string& t, bool error = false) {
        messages.push_back({t, error, now_s()});
        ++message_total;
        while (messages.size() > 6) messages.pop_front();
        std::fprintf(error ? stderr : stdout, "[aelab] %s\n", t.c_str());
    }

    // ---- settings -> session -------------------------------------------------------------
    void apply_query(const std::string& q) {
        QueryResult r = parse_query(q);
        for (const auto& m : r.messages) say("URL: " + m, true);
        settings = r.settings;
        playing = settings.autoplay;
        have_applied = false;
    }

    void load_preset(const Preset& p) {
        const unsigned hide = settings.hide;
        settings = p.settings;
        settings.hide = hide;
        playing = true;
        have_applied = false;
        say("preset: " + p.title);
    }

    void request_data() {
        const DatasetKind k = settings.dataset;
        if (session.has_data() && session.kind() == k) return;
        if (loading && loading_kind == k) return;
        if (!is_image_dataset(k)) {
            session.set_data(make_synthetic(k, 1));
            have_applied = false;
            reset_visuals();
            return;
        }
        if (failed[static_cast<int>(k)]) return;
        if (!plat.request_images) {
            failed[static_cast<int>(k)] = true;
            say(std::string(dataset_label(k)) + " is not available on this platform", true);
            return;
        }
        loading = true;
        loading_kind = k;
        loading_since = now_s();
        plat.request_images(k);
    }

    void reset_visuals() {
        t_recon = t_manifold = t_interp = t_draw = t_comps = t_hover = -1;
        hover_shown = -1;
        sc_ae.invalidate();
        sc_pca.invalidate();
        ++colour_version;
        recon_idx.clear();
        hover_index = -1;
        if (session.has_data()) {
            const Dataset& te = session.data().test;
            // The first test image of each class (up to 10), then the next ones.
            std::vector<bool> seen(std::max(1, te.num_classes), false);
            for (Index i = 0; i < te.size() && static_cast<int>(recon_idx.size()) < 10; ++i) {
                const int y = te.y[i];
                if (y >= 0 && y < static_cast<int>(seen.size()) && !seen[y]) {
                    seen[y] = true;
                    recon_idx.push_back(static_cast<int>(i));
                }
            }
            for (Index i = 0; static_cast<int>(recon_idx.size()) < 10 && i < te.size(); ++i)
                if (std::find(recon_idx.begin(), recon_idx.end(), static_cast<int>(i)) == recon_idx.end())
                    recon_idx.push_back(static_cast<int>(i));
            interp_a = recon_idx.size() > 1 ? recon_idx[1] : 0;
            interp_b = recon_idx.size() > 7 ? recon_idx[7] : std::min<int>(1, static_cast<int>(te.size()) - 1);
        }
    }

    // Installs the model file read by on_model_bytes() once its data set is loaded. The page's
    // settings become settings_for_model()'s (clipped to what the controls and URL can show,
    // each clip reported); the learning rate shown is the one the loaded optimizer uses.
    void install_pending() {
        if (!pending_model) return;
        std::unique_ptr<ModelFile> f = std::move(pending_model);
        ModelSettings ms = settings_for_model(settings, session.kind(), f->model,
                                              f->has_optimizer ? &f->optimizer : nullptr);
        if (f->has_optimizer) f->optimizer.lr = ms.settings.lr;
        try {
            session.install(*f, ms.settings);
            settings = ms.settings;
            applied = settings;
            have_applied = true;
            reset_visuals();
            say("loaded " + pending_model_name + " (" + f->model.arch_string() + ", step " +
                std::to_string(f->counters.step) + ")");
            for (const std::string& m : ms.messages) say(pending_model_name + ": " + m);
        } catch (const std::exception& e) {
            say("could not use " + pending_model_name + ": " + e.what(), true);
        }
    }

    void sync_session() {
        request_data();
        if (!session.has_data() || session.kind() != settings.dataset) return;
        if (pending_model) {
            install_pending();
            return;
        }
        if (!have_applied || !session.has_model() || Settings::shape_differs(settings, applied)) {
            try {
                session.build(settings);
                applied = settings;
                have_applied = true;
                reset_visuals();
            } catch (const std::exception& e) {
                say(std::string("cannot build this model: ") + e.what(), true);
                if (have_applied) settings = applied;  // back to the last model that worked
                else {
                    settings = default_settings();
                    settings.dataset = session.kind();
                }
            }
            return;
        }
        if (settings.opt != applied.opt || settings.lr != applied.lr || settings.batch != applied.batch) {
            try {
                session.update_hyper(settings);
                if (settings.opt != applied.opt) say(std::string("optimizer: ") + kOptNames[static_cast<int>(settings.opt)] +
                                                     " (weights kept, optimizer state reset)");
                applied.opt = settings.opt;
                applied.lr = settings.lr;
                applied.batch = settings.batch;
            } catch (const std::exception& e) {
                say(e.what(), true);
                settings.opt = applied.opt;
                settings.lr = applied.lr;
                settings.batch = applied.batch;
            }
        }
    }

    bool ready() const { return session.has_data() && session.has_model() && session.kind() == settings.dataset; }

    // ---- training ----------------------------------------------------------------------------
    void train_frame() {
        train_ms = 0;
        if (!ready()) return;
        if (!(playing || step_once)) return;
        const double budget = step_once ? 0.0 : settings.budget_ms * 1e-3;
        const long steps = step_once ? 1 : settings.speed;
        StepResult r = session.train(budget, steps);
        step_once = false;
        win_steps += r.steps;
        train_ms = r.seconds * 1e3;
        if (r.diverged || session.trainer().diverged()) {
            playing = false;
            say("training diverged: " + session.trainer().divergence_message() +
                    " Weights restored to the last good snapshot; lower the learning rate and press Play.",
                true);
            session.trainer().clear_divergence();
        }
    }

    void update_rates() {
        const double t = now_s();
        if (win_t0 == 0) win_t0 = t;
        if (t - win_t0 >= 0.5) {
            steps_per_sec = win_steps / (t - win_t0);
            win_steps = 0;
            win_t0 = t;
        }
    }

    // ---- commands (JS / tests) --------------------------------------------------------------
    std::string command(const std::string& c) {
        if (c == "play") playing = true;
        else if (c == "pause") playing = false;
        else if (c == "step") step_once = true;
        else if (c == "reset") have_applied = false;
        else if (c == "save") return save_model_file();
        else if (c == "load") return load_model_file();
        else if (c.rfind("preset=", 0) == 0) {
            const Preset* p = find_preset(c.substr(7));
            if (!p) return "unknown preset";
            load_preset(*p);
        } else if (c.rfind("query=", 0) == 0) {
            apply_query(c.substr(6));
        } else {
            return "unknown command '" + c + "'";
        }
        return "";
    }

    std::string save_model_file() {
        if (!ready()) return "no model yet";
        try {
            std::map<std::string, std::string> meta = {{"dataset", dataset_key(session.kind())},
                                                       {"app", "aelab-playground"}};
            if (!settings.preset.empty()) meta["preset"] = settings.preset;
            const std::vector<std::uint8_t> bytes = session.save(meta);
            std::string name = plat.browser ? std::string("aelab-") + dataset_key(session.kind()) + "-" +
                                                  session.model().config().arch_string() + "-step" +
                                                  std::to_string(session.total_steps()) + ".aelab"
                                            : std::string(path_buf);
            const std::string err = plat.save_file ? plat.save_file(name, bytes) : "saving is not available";
            if (!err.empty()) {
                say("save failed: " + err, true);
                return err;
            }
            say("saved " + name + " (" + std::to_string(bytes.size() / 1024) + " KiB)");
        } catch (const std::exception& e) {
            say(std::string("save failed: ") + e.what(), true);
            return e.what();
        }
        return "";
    }

    std::string load_model_file() {
        if (plat.open_file) {
            plat.open_file();
            return "";
        }
        if (!plat.read_file) return "loading is not available";
        std::vector<std::uint8_t> bytes;
        const std::string err = plat.read_file(path_buf, &bytes);
        if (!err.empty()) {
            say("could not read " + std::string(path_buf) + ": " + err + " (current model kept)", true);
            return err;
        }
        on_model_bytes(bytes, path_buf);
        return "";
    }

    // Every check happens here, before any state changes: a file that is too large, corrupt,
    // or for data no set here has is refused with a message and the current model is kept.
    void on_model_bytes(const std::vector<std::uint8_t>& bytes, const std::string& name) {
        if (bytes.size() > kMaxModelFileBytes) {
            say("could not load " + name + ": it has " + std::to_string(bytes.size()) + " bytes, more than the " +
                    std::to_string(kMaxModelFileBytes >> 20) + " MB (" + std::to_string(kMaxModelFileBytes) +
                    " bytes) a model file may have (current model kept)",
                true);
            return;
        }
        ModelFile f;
        try {
            f = read_model(bytes.data(), bytes.size());
        } catch (const std::exception& e) {
            say("could not load " + name + ": " + e.what() + " (current model kept)", true);
            return;
        }
        DatasetKind target;
        if (!dataset_for_model(f.meta, f.model.input_dim, settings.dataset, &target)) {
            say("could not load " + name + ": it is a model for " + std::to_string(f.model.input_dim) +
                    "-dimensional data, which no data set here has (current model kept)",
                true);
            return;
        }
        pending_model = std::make_unique<ModelFile>(std::move(f));
        pending_model_name = name;
        settings.dataset = target;
        playing = false;
    }

    // ---- visuals refresh ----------------------------------------------------------------------
    void refresh_codes() {
        if (!ready()) return;
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

    void update_scatter_points() {
        const Mat& Z = session.test_codes();
        const Mat& P = session.pca_test_codes();
        const int n = static_cast<int>(Z.cols());
        const int k = static_cast<int>(Z.rows());
        auto fill = [&](const Mat& M, std::vector<float>& xy) {
            xy.resize(2 * static_cast<size_t>(n));
            for (int i = 0; i < n; ++i) {
                xy[2 * i] = M(0, i);
                xy[2 * i + 1] = k >= 2 ? M(1, i) : jitter(i);
            }
        };
        fill(Z, xy_ae);
        fill(P, xy_pca);
        const Dataset& te = session.data().test;
        const bool by_param = !te.param.empty() && session.kind() != DatasetKind::Gauss2D;
        for (ScatterRenderer* r : {&sc_ae, &sc_pca}) {
            const std::vector<float>& xy = r == &sc_ae ? xy_ae : xy_pca;
            if (by_param) {
                r->set_points(xy.data(), nullptr, n);
                if (coloured_version != colour_version) r->set_values(te.param.data(), n, 0, 0, ColorMap::Viridis);
            } else {
                r->set_points(xy.data(), te.y.data(), n);
            }
            r->set_point_size(n > 5000 ? 2.5f : 3.5f);
        }
        coloured_version = colour_version;
    }

    // ---- layout --------------------------------------------------------------------------------
    void frame();
    void draw_controls(ImVec2 pos, ImVec2 size);
    void draw_toolbar(ImVec2 pos, ImVec2 size);
    void draw_panels(ImVec2 pos, ImVec2 size);
    bool begin_panel(const char* title, ImVec2 pos, ImVec2 size);
    void panel_loss();
    void panel_scatter();
    void panel_recon();
    void panel_decoder();
    void panel_pca();
    void panel_data();
    void draw_messages(bool compact);
    void hover_tooltip(int index);
    void training_buttons();
    void publish_stats();
    void apply_style();
};

// ---- style ------------------------------------------------------------------------------------
void AppImpl::apply_style() {
    ImGui::StyleColorsDark();
    ImGuiStyle& s = ImGui::GetStyle();
    s.WindowRounding = 0;
    s.ChildRounding = 3;
    s.FrameRounding = 3;
    s.GrabRounding = 3;
    s.TabRounding = 3;
    s.PopupRounding = 3;
    s.WindowBorderSize = 1;
    s.FramePadding = ImVec2(6, 3);
    s.ItemSpacing = ImVec2(6, 5);
    s.WindowPadding = ImVec2(8, 6);
    s.ScrollbarSize = 11;
    s.WindowTitleAlign = ImVec2(0.0f, 0.5f);
    ImVec4* c = s.Colors;
    c[ImGuiCol_WindowBg] = ImVec4(0.105f, 0.112f, 0.135f, 1.0f);
    c[ImGuiCol_ChildBg] = ImVec4(0.085f, 0.09f, 0.11f, 1.0f);
    c[ImGuiCol_Border] = ImVec4(0.22f, 0.23f, 0.27f, 1.0f);
    c[ImGuiCol_TitleBg] = ImVec4(0.14f, 0.15f, 0.18f, 1.0f);
    c[ImGuiCol_TitleBgActive] = ImVec4(0.14f, 0.15f, 0.18f, 1.0f);
    c[ImGuiCol_FrameBg] = ImVec4(0.17f, 0.18f, 0.22f, 1.0f);
    c[ImGuiCol_FrameBgHovered] = ImVec4(0.24f, 0.26f, 0.32f, 1.0f);
    c[ImGuiCol_FrameBgActive] = ImVec4(0.28f, 0.30f, 0.37f, 1.0f);
    c[ImGuiCol_Button] = ImVec4(0.20f, 0.22f, 0.28f, 1.0f);
    c[ImGuiCol_ButtonHovered] = ImVec4(0.30f, 0.36f, 0.50f, 1.0f);
    c[ImGuiCol_ButtonActive] = ImVec4(0.36f, 0.44f, 0.62f, 1.0f);
    c[ImGuiCol_Header] = ImVec4(0.20f, 0.22f, 0.28f, 1.0f);
    c[ImGuiCol_HeaderHovered] = ImVec4(0.28f, 0.32f, 0.42f, 1.0f);
    c[ImGuiCol_HeaderActive] = ImVec4(0.32f, 0.38f, 0.52f, 1.0f);
    c[ImGuiCol_SliderGrab] = ImVec4(1.0f, 0.63f, 0.24f, 0.85f);
    c[ImGuiCol_SliderGrabActive] = ImVec4(1.0f, 0.70f, 0.35f, 1.0f);
    c[ImGuiCol_CheckMark] = ImVec4(1.0f, 0.66f, 0.28f, 1.0f);
    c[ImGuiCol_Tab] = ImVec4(0.16f, 0.17f, 0.21f, 1.0f);
    c[ImGuiCol_TabHovered] = ImVec4(0.30f, 0.36f, 0.50f, 1.0f);
    c[ImGuiCol_TabActive] = ImVec4(0.26f, 0.30f, 0.40f, 1.0f);
    c[ImGuiCol_Separator] = ImVec4(0.24f, 0.25f, 0.30f, 1.0f);
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
    sync_session();
    prof[0] = now_s();

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    ImGui::NewFrame();

    const ImGuiIO& io = ImGui::GetIO();
    const ImVec2 disp = io.DisplaySize;
    const bool controls = !(settings.hide & kPanelControls);
    const float cw = controls ? std::clamp(disp.x * 0.25f, 270.0f, 340.0f) : 0.0f;
    if (controls) {
        draw_controls(ImVec2(0, 0), ImVec2(cw, disp.y));
        draw_panels(ImVec2(cw, 0), ImVec2(disp.x - cw, disp.y));
    } else {
        const float th = ImGui::GetFrameHeight() + 12;
        draw_toolbar(ImVec2(0, 0), ImVec2(disp.x, th));
        draw_panels(ImVec2(0, th), ImVec2(disp.x, disp.y - th));
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

    train_frame();
    update_rates();
    prof[3] = now_s();
    refresh_codes();
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

    const std::string q = to_query(settings);
    if (q != last_query) {
        last_query = q;
        if (plat.set_url) plat.set_url(q);
    }
    publish_stats();
}

void AppImpl::publish_stats() {
    Stats& s = stats;
    s.frame_ms = frame_ms;
    s.fps = frame_ms > 0 ? 1000.0 / frame_ms : 0;
    s.steps_per_sec = steps_per_sec;
    s.samples_per_sec = steps_per_sec * settings.batch;
    s.train_ms = train_ms;
    s.cpu_ms = cpu_ms;
    s.playing = playing;
    s.ready = ready();
    s.frames = frames;
    s.dataset = dataset_key(settings.dataset);
    s.preset = settings.preset;
    s.query = last_query;
    s.messages = message_total;
    s.message = messages.empty() ? "" : messages.back().text;
    s.profile = profile;
    const double nan = std::nan("");
    if (s.ready) {
        s.step = session.total_steps();
        s.epoch = session.total_epoch();
        s.train_mse = session.last_train_mse();
        s.test_mse = session.last_test_mse();
        s.pca_mse = session.pca_test_mse();
        s.params = session.model().num_params();
        s.arch = session.model().config().arch_string();
        s.diverged = session.trainer().diverged();
        const auto& ah = session.angle_history();
        s.max_angle_deg = ah.empty() || ah.back().degrees.empty() ? nan : ah.back().degrees.back();
    } else {
        s.step = 0;
        s.epoch = 0;
        s.train_mse = s.test_mse = s.pca_mse = s.max_angle_deg = nan;
    }
}

void AppImpl::training_buttons() {
    const float bw = ImGui::GetFontSize() * 4.2f;
    if (playing) {
        if (ImGui::Button("Pause", ImVec2(bw, 0))) playing = false;
    } else {
        ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.75f, 0.45f, 0.14f, 1.0f));
        ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(0.88f, 0.55f, 0.20f, 1.0f));
        if (ImGui::Button("Play", ImVec2(bw, 0))) playing = true;
        ImGui::PopStyleColor(2);
    }
    ImGui::SameLine();
    if (ImGui::Button("Step", ImVec2(bw, 0))) {
        playing = false;
        step_once = true;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("one optimizer step (pauses)");
    ImGui::SameLine();
    if (ImGui::Button("Reset", ImVec2(bw, 0))) have_applied = false;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("new weights from the seed; history cleared");
}

void AppImpl::draw_toolbar(ImVec2 pos, ImVec2 size) {
    begin_tiled("##toolbar", pos, size, ImGuiWindowFlags_NoDecoration);
    ImGui::SetCursorPosY(6);
    training_buttons();
    ImGui::SameLine();
    ImGui::TextColored(kTextDim, " %s  |  step %ld  epoch %.2f  |  %.0f steps/s", dataset_label(settings.dataset),
                       stats.step, stats.epoch, stats.steps_per_sec);
    if (!messages.empty() && now_s() - messages.back().time < 10) {
        ImGui::SameLine();
        ImGui::TextColored(messages.back().error ? kTextErr : kTextDim, "  %s", messages.back().text.c_str());
    }
    ImGui::End();
}

void AppImpl::draw_messages(bool compact) {
    if (messages.empty()) return;
    ImGui::PushTextWrapPos(0.0f);
    int remove = -1;
    const int first = compact ? std::max(0, static_cast<int>(messages.size()) - 2) : 0;
    for (int i = static_cast<int>(messages.size()) - 1; i >= first; --i) {
        const Message& m = messages[i];
        ImGui::PushID(i);
        if (ImGui::SmallButton("x")) remove = i;
        ImGui::SameLine();
        ImGui::TextColored(m.error ? kTextErr : kTextDim, "%s", m.text.c_str());
        ImGui::PopID();
    }
    ImGui::PopTextWrapPos();
    if (remove >= 0) messages.erase(messages.begin() + remove);
}

// ---- control column -----------------------------------------------------------------------------
void AppImpl::draw_controls(ImVec2 pos, ImVec2 size) {
    begin_tiled("aelab##controls", pos, size, ImGuiWindowFlags_NoTitleBar);
    ImGui::TextColored(ImVec4(1.0f, 0.66f, 0.28f, 1.0f), "aelab");
    ImGui::SameLine();
    ImGui::TextColored(kTextDim, "autoencoders vs PCA, live");
    ImGui::SameLine(ImGui::GetContentRegionMax().x - ImGui::CalcTextSize("000 fps").x);
    ImGui::TextColored(kTextDim, "%3.0f fps", stats.fps);
    ImGui::Separator();

    const float full = ImGui::GetContentRegionAvail().x;
    // Presets
    if (ImGui::CollapsingHeader("Presets", ImGuiTreeNodeFlags_DefaultOpen)) {
        for (const Preset& p : presets()) {
            const bool cur = settings.preset == p.key;
            if (cur) ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.30f, 0.36f, 0.50f, 1.0f));
            if (ImGui::Button(p.title.c_str(), ImVec2(full, 0))) load_preset(p);
            if (cur) ImGui::PopStyleColor();
            if (ImGui::IsItemHovered()) {
                ImGui::BeginTooltip();
                ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28);
                ImGui::TextUnformatted(p.description.c_str());
                ImGui::PopTextWrapPos();
                ImGui::EndTooltip();
            }
        }
        if (const Preset* p = find_preset(settings.preset)) {
            ImGui::PushTextWrapPos(0.0f);
            ImGui::TextColored(kTextDim, "%s", p->description.c_str());
            if (p->key == "linear-mnist")
                ImGui::TextColored(kTextWarn, "Next: press \"Nonlinear beats linear\".");
            ImGui::PopTextWrapPos();
        }
    }
    // Training
    if (ImGui::CollapsingHeader("Training", ImGuiTreeNodeFlags_DefaultOpen)) {
        training_buttons();
        ImGui::SetNextItemWidth(full * 0.55f);
        if (ImGui::SliderInt("steps/frame", &settings.speed, 1, 100000, "%d", ImGuiSliderFlags_Logarithmic))
            settings.speed = std::clamp(settings.speed, 1, 100000);
        help_marker("Speed: at most this many optimizer steps per frame (and at most the time budget below).");
        float budget = static_cast<float>(settings.budget_ms);
        ImGui::SetNextItemWidth(full * 0.55f);
        if (ImGui::SliderFloat("ms/frame", &budget, 1, 40, "%.0f ms")) settings.budget_ms = std::round(budget);
        help_marker("Training time per frame: the UI stays responsive because training never takes more.");
        if (ready()) {
            ImGui::TextColored(kTextDim, "step %ld   epoch %.2f", session.total_steps(), session.total_epoch());
            ImGui::TextColored(kTextDim, "%.0f steps/s   %.0f samples/s", stats.steps_per_sec, stats.samples_per_sec);
        }
    }
    // Data
    if (ImGui::CollapsingHeader("Data", ImGuiTreeNodeFlags_DefaultOpen)) {
        int d = static_cast<int>(settings.dataset);
        const char* labels[kNumDatasets];
        for (int i = 0; i < kNumDatasets; ++i) labels[i] = dataset_label(static_cast<DatasetKind>(i));
        ImGui::SetNextItemWidth(full);
        if (ImGui::Combo("##dataset", &d, labels, kNumDatasets)) {
            settings.dataset = static_cast<DatasetKind>(d);
            settings.preset.clear();
            std::vector<std::string> msgs;
            sanitize(settings, &msgs);
            if (is_image_dataset(settings.dataset) && settings.latent > 16) settings.latent = 2;
            failed[d] = false;
        }
        if (session.has_data() && session.kind() == settings.dataset) {
            const DataBundle& b = session.data();
            ImGui::TextColored(kTextDim, "%lld train / %lld test, %d-D", static_cast<long long>(b.train.size()),
                               static_cast<long long>(b.test.size()), session.dim());
        } else if (loading) {
            ImGui::TextColored(kTextWarn, "loading %s ...", dataset_label(loading_kind));
        }
    }
    // Model
    if (ImGui::CollapsingHeader("Model", ImGuiTreeNodeFlags_DefaultOpen)) {
        const int dim = dataset_dim(settings.dataset);
        // Hidden widths: edited in width_edit, committed when the slider is released.
        if (width_edit.size() != settings.hidden.size() || !ImGui::IsAnyItemActive()) width_edit = settings.hidden;
        ImGui::TextColored(kTextDim, "hidden layers (decoder mirrors them)");
        int remove = -1;
        for (size_t i = 0; i < width_edit.size(); ++i) {
            ImGui::PushID(static_cast<int>(i));
            // Value inside the slider, "layer i" as its label on the right (like the other
            // controls), then the remove button.
            char lab[32];
            std::snprintf(lab, sizeof lab, "layer %d", static_cast<int>(i) + 1);
            const ImGuiStyle& st = ImGui::GetStyle();
            const float lw = ImGui::CalcTextSize(lab).x + st.ItemInnerSpacing.x;
            ImGui::SetNextItemWidth(std::max(40.0f, full - ImGui::GetFrameHeight() - st.ItemSpacing.x - lw));
            ImGui::SliderInt(lab, &width_edit[i], 1, 512, "%d", ImGuiSliderFlags_Logarithmic);
            if (ImGui::IsItemDeactivatedAfterEdit()) {
                settings.hidden = width_edit;
                settings.preset.clear();
            }
            ImGui::SameLine();
            if (ImGui::Button("-", ImVec2(ImGui::GetFrameHeight(), 0))) remove = static_cast<int>(i);
            ImGui::PopID();
        }
        if (remove >= 0) {
            settings.hidden.erase(settings.hidden.begin() + remove);
            settings.acts.erase(settings.acts.begin() + remove);
            settings.acts.erase(settings.acts.end() - 1 - remove);
            settings.fit_acts();
            settings.preset.clear();
        }
        if (static_cast<int>(settings.hidden.size()) < kMaxHiddenLayers &&
            ImGui::Button("+ hidden layer", ImVec2(full, 0))) {
            const int w = settings.hidden.empty() ? (dim > 100 ? 128 : 16) : std::max(2, settings.hidden.back() / 2);
            const Activation a = settings.acts.empty() ? Activation::ELU : settings.acts.front();
            settings.hidden.push_back(w);
            settings.acts.assign(2 * settings.hidden.size(), a);
            settings.preset.clear();
        }
        int k = settings.latent;
        ImGui::SetNextItemWidth(full * 0.5f);
        if (ImGui::InputInt("latent k", &k, 1, 1)) {
            k = std::clamp(k, 1, std::min(kMaxLatent, dim - 1));
            if (k != settings.latent) {
                settings.latent = k;
                settings.preset.clear();
            }
        }
        // Activations
        if (!settings.hidden.empty()) {
            int a = settings.acts.empty() ? 3 : static_cast<int>(settings.acts.front());
            ImGui::SetNextItemWidth(full * 0.5f);
            const char* preview = settings.all_acts_equal() ? kActNames[a] : "(per layer)";
            if (ImGui::BeginCombo("hidden act", preview)) {
                for (int i = 0; i < 8; ++i)
                    if (ImGui::Selectable(kActNames[i], settings.all_acts_equal() && i == a)) {
                        settings.set_all_acts(static_cast<Activation>(i));
                        settings.preset.clear();
                    }
                ImGui::EndCombo();
            }
            if (ImGui::TreeNode("per layer")) {
                const int nh = static_cast<int>(settings.hidden.size());
                for (int i = 0; i < 2 * nh; ++i) {
                    ImGui::PushID(100 + i);
                    int ai = static_cast<int>(settings.acts[i]);
                    char lab[48];
                    std::snprintf(lab, sizeof lab, i < nh ? "enc %d (%d)" : "dec %d (%d)", i < nh ? i + 1 : i - nh + 1,
                                  i < nh ? settings.hidden[i] : settings.hidden[2 * nh - 1 - i]);
                    ImGui::SetNextItemWidth(full * 0.45f);
                    if (ImGui::Combo(lab, &ai, kActNames, 8)) {
                        settings.acts[i] = static_cast<Activation>(ai);
                        settings.preset.clear();
                    }
                    ImGui::PopID();
                }
                ImGui::TreePop();
            }
        }
        int ca = static_cast<int>(settings.code_act);
        ImGui::SetNextItemWidth(full * 0.5f);
        if (ImGui::Combo("code act", &ca, kActNames, 8)) {
            settings.code_act = static_cast<Activation>(ca);
            settings.preset.clear();
        }
        int oa = settings.out_act == Activation::Sigmoid ? 1 : 0;
        const char* outs[] = {"linear", "sigmoid"};
        ImGui::SetNextItemWidth(full * 0.5f);
        if (ImGui::Combo("output act", &oa, outs, 2)) {
            settings.out_act = oa ? Activation::Sigmoid : Activation::Identity;
            if (!oa) settings.loss = ReconLoss::MSE;
            settings.preset.clear();
        }
        int lo = settings.loss == ReconLoss::BCE ? 1 : 0;
        const char* losses[] = {"MSE", "BCE (sigmoid output)"};
        ImGui::SetNextItemWidth(full * 0.5f);
        if (ImGui::Combo("loss", &lo, losses, is_image_dataset(settings.dataset) ? 2 : 1)) {
            settings.loss = lo ? ReconLoss::BCE : ReconLoss::MSE;
            if (lo) settings.out_act = Activation::Sigmoid;
            settings.preset.clear();
        }
        if (ImGui::Checkbox("tied weights", &settings.tied)) settings.preset.clear();
        ImGui::SameLine();
        int seed = static_cast<int>(settings.seed % 1000000);
        ImGui::SetNextItemWidth(full * 0.35f);
        if (ImGui::InputInt("seed", &seed, 1, 10)) {
            settings.seed = static_cast<std::uint64_t>(std::max(0, seed));
            settings.preset.clear();
        }
        if (ready()) {
            ImGui::PushTextWrapPos(0.0f);
            ImGui::TextColored(kTextDim, "%s, %lld parameters", session.model().config().arch_string().c_str(),
                               static_cast<long long>(session.model().num_params()));
            ImGui::PopTextWrapPos();
        }
    }
    // Optimizer
    if (ImGui::CollapsingHeader("Optimizer", ImGuiTreeNodeFlags_DefaultOpen)) {
        int o = static_cast<int>(settings.opt);
        ImGui::SetNextItemWidth(full * 0.5f);
        if (ImGui::Combo("optimizer", &o, kOptNames, 7)) {
            settings.opt = static_cast<OptimizerKind>(o);
            settings.lr = OptimizerConfig::defaults_for(settings.opt).lr;
            settings.preset.clear();
        }
        float lr = static_cast<float>(settings.lr);
        ImGui::SetNextItemWidth(full * 0.5f);
        if (ImGui::SliderFloat("learning rate", &lr, 1e-5f, 1.0f, "%.2g", ImGuiSliderFlags_Logarithmic)) {
            settings.lr = round_sig(std::clamp(static_cast<double>(lr), 1e-5, 1.0), 3);
            settings.preset.clear();
        }
        ImGui::SetNextItemWidth(full * 0.5f);
        if (ImGui::SliderInt("batch size", &settings.batch, 1, 1024, "%d", ImGuiSliderFlags_Logarithmic)) {
            settings.batch = std::clamp(settings.batch, 1, 1024);
            settings.preset.clear();
        }
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextColored(kTextDim, "lr / optimizer / batch changes keep the weights");
        ImGui::PopTextWrapPos();
    }
    // Model file
    if (ImGui::CollapsingHeader("Model file", ImGuiTreeNodeFlags_DefaultOpen)) {
        if (!plat.browser) {
            ImGui::SetNextItemWidth(full);
            ImGui::InputText("##path", path_buf, sizeof path_buf);
        }
        const float bw = (full - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
        ImGui::BeginDisabled(!ready());
        if (ImGui::Button(plat.browser ? "Save (download)" : "Save", ImVec2(bw, 0))) save_model_file();
        ImGui::EndDisabled();
        ImGui::SameLine();
        if (ImGui::Button(plat.browser ? "Load (upload)" : "Load", ImVec2(bw, 0))) load_model_file();
        ImGui::TextColored(kTextDim, ".aelab files up to %d MB", static_cast<int>(kMaxModelFileBytes >> 20));
        help_marker("Model files saved here or by `aelab train --save` (architecture, weights, optimizer state). "
                    "A file that is larger, corrupt or for other data is refused with a message and the "
                    "current model is kept.");
    }
    // Share
    if (ImGui::CollapsingHeader("Share / embed")) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextColored(kTextDim, "This state as URL parameters (the page URL follows them):");
        ImGui::PopTextWrapPos();
        static char qbuf[1024];
        std::snprintf(qbuf, sizeof qbuf, "?%s", last_query.c_str());
        ImGui::SetNextItemWidth(full);
        ImGui::InputText("##query", qbuf, sizeof qbuf, ImGuiInputTextFlags_ReadOnly);
        ImGui::TextColored(kTextDim, "hide panels:");
        for (Panel p : all_panels()) {
            if (p == kPanelControls) continue;
            bool shown = !(settings.hide & p);
            if (ImGui::Checkbox(panel_key(p), &shown)) settings.hide = shown ? settings.hide & ~p : settings.hide | p;
            ImGui::SameLine();
        }
        ImGui::NewLine();
        if (ImGui::Button("Hide this column (hide=controls)", ImVec2(full, 0))) settings.hide |= kPanelControls;
    }
    ImGui::Separator();
    draw_messages(false);
    ImGui::End();
}

// ---- panel grid -------------------------------------------------------------------------------------
bool AppImpl::begin_panel(const char* title, ImVec2 pos, ImVec2 size) {
    return begin_tiled(title, pos, size, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
}

void AppImpl::draw_panels(ImVec2 pos, ImVec2 size) {
    if (!ready()) {
        begin_tiled("##loading", pos, size, ImGuiWindowFlags_NoDecoration);
        const char* what = loading ? "Loading the data set ..." : "Preparing ...";
        if (failed[static_cast<int>(settings.dataset)]) what = "This data set could not be loaded: pick another one.";
        const ImVec2 ts = ImGui::CalcTextSize(what);
        ImGui::SetCursorPos(ImVec2((size.x - ts.x) * 0.5f, size.y * 0.45f));
        ImGui::TextColored(kTextDim, "%s", what);
        if (settings.hide & kPanelControls) {
            ImGui::SetCursorPosX(size.x * 0.25f);
            ImGui::PushTextWrapPos(size.x * 0.75f);
            draw_messages(true);
            ImGui::PopTextWrapPos();
        }
        ImGui::End();
        return;
    }
    struct Item {
        Panel panel;
        int units;
    };
    std::vector<Item> items;
    if (is_image_dataset(session.kind())) {
        items = {{kPanelScatter, 2}, {kPanelLoss, 1}, {kPanelRecon, 1}, {kPanelDecoder, 1}, {kPanelPca, 1}};
    } else {
        items = {{kPanelData, 2}, {kPanelLoss, 1}, {kPanelScatter, 2}, {kPanelPca, 1}};
    }
    items.erase(std::remove_if(items.begin(), items.end(), [&](const Item& it) { return (settings.hide & it.panel) != 0; }),
                items.end());
    if (items.empty()) items.push_back({kPanelLoss, 1});
    // Pack into rows of 3 units; each row's panels share its width in proportion to units.
    std::vector<std::vector<Item>> rows;
    int used = 3;
    for (const Item& it : items) {
        if (used + it.units > 3) {
            rows.emplace_back();
            used = 0;
        }
        rows.back().push_back(it);
        used += it.units;
    }
    const float rh = std::floor(size.y / rows.size());
    for (size_t r = 0; r < rows.size(); ++r) {
        int units = 0;
        for (const Item& it : rows[r]) units += it.units;
        float x = pos.x;
        const float y = pos.y + rh * r;
        const float h = r + 1 == rows.size() ? size.y - rh * r : rh;
        for (size_t i = 0; i < rows[r].size(); ++i) {
            const Item& it = rows[r][i];
            const float w = i + 1 == rows[r].size() ? pos.x + size.x - x : std::floor(size.x * it.units / units);
            const ImVec2 p(x, y), s(w, h);
            switch (it.panel) {
                case kPanelLoss:
                    if (begin_panel("Loss: test MSE vs PCA's bound", p, s)) panel_loss();
                    break;
                case kPanelScatter:
                    if (begin_panel("Latent codes of the test set: autoencoder | PCA", p, s)) panel_scatter();
                    break;
                case kPanelRecon:
                    if (begin_panel("Reconstructions", p, s)) panel_recon();
                    break;
                case kPanelDecoder:
                    if (begin_panel("Decoder", p, s)) panel_decoder();
                    break;
                case kPanelPca:
                    if (begin_panel("Linear AE vs PCA", p, s)) panel_pca();
                    break;
                case kPanelData:
                    if (begin_panel("Data, reconstructions and principal axes", p, s)) panel_data();
                    break;
                default: ImGui::Begin("?"); break;
            }
            ImGui::End();
            x += w;
        }
    }
    // Messages float over the panels when the control column is hidden.
    if ((settings.hide & kPanelControls) && !messages.empty() && now_s() - messages.back().time < 12) {
        ImGui::SetNextWindowPos(ImVec2(pos.x + size.x * 0.5f, pos.y + 8), ImGuiCond_Always, ImVec2(0.5f, 0));
        ImGui::SetNextWindowBgAlpha(0.92f);
        ImGui::Begin("##msgs", nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings |
                         ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav);
        ImGui::PushTextWrapPos(size.x * 0.6f);
        draw_messages(true);
        ImGui::PopTextWrapPos();
        ImGui::End();
    }
}

// ---- loss -----------------------------------------------------------------------------------------
void AppImpl::panel_loss() {
    const auto& h = session.trainer().history();
    const double pca = session.pca_test_mse();
    const double test = session.last_test_mse();
    if (std::isfinite(test) && pca > 0) {
        const double ratio = test / pca;
        ImGui::TextColored(kTextDim, "test");
        ImGui::SameLine(0, 4);
        ImGui::TextColored(ImVec4(1.0f, 0.63f, 0.24f, 1), "%.4f", test);
        ImGui::SameLine();
        ImGui::TextColored(kTextDim, "PCA");
        ImGui::SameLine(0, 4);
        ImGui::TextColored(ImVec4(0.35f, 0.86f, 0.55f, 1), "%.4f", pca);
        ImGui::SameLine();
        if (ratio < 0.995) ImGui::TextColored(kTextGood, "AE %.0f%% lower", (1 - ratio) * 100);
        else ImGui::TextColored(kTextDim, "AE/PCA %.2f", ratio);
        ImGui::SameLine();
    }
    {
        const float cbw = ImGui::CalcTextSize("log").x + ImGui::GetFrameHeight() + 8;
        const float x = ImGui::GetWindowContentRegionMax().x - cbw;
        if (x > ImGui::GetCursorPosX()) ImGui::SetCursorPosX(x);
        else ImGui::NewLine();
        ImGui::Checkbox("log", &settings.logy);
    }
    // Decimate to <= 800 points.
    const int n = static_cast<int>(h.size());
    const int stride = std::max(1, (n + 799) / 800);
    std::vector<float> xs, tr, te;
    double ymin = pca > 0 ? pca : 1e30, ymax = pca > 0 ? pca : 0;
    const long off = session.step_offset();
    for (int i = 0; i < n; i += stride) {
        const int j = std::min(n - 1, i);
        xs.push_back(static_cast<float>(h[j].step + off));
        tr.push_back(static_cast<float>(h[j].train_mse));
        te.push_back(static_cast<float>(h[j].test_mse));
    }
    if (n > 0 && (n - 1) % stride != 0) {
        xs.push_back(static_cast<float>(h.back().step + off));
        tr.push_back(static_cast<float>(h.back().train_mse));
        te.push_back(static_cast<float>(h.back().test_mse));
    }
    for (size_t i = 0; i < xs.size(); ++i)
        for (float v : {tr[i], te[i]})
            if (std::isfinite(v) && v > 0 && h.size() > 0 && (i > 0 || v == te[i])) {
                ymin = std::min<double>(ymin, v);
                ymax = std::max<double>(ymax, v);
            }
    if (!(ymax > 0)) ymax = 1, ymin = 0.1;
    if (settings.logy) {
        ymin *= 0.85;
        ymax *= 1.2;
    } else {
        const double pad = (ymax - ymin) * 0.08 + 1e-12;
        ymin = std::max(0.0, ymin - pad);
        ymax += pad;
    }
    const double x0 = static_cast<double>(off);
    const double x1 = std::max<double>(x0 + 10, static_cast<double>(session.total_steps()));
    LinePlot plot;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    if (plot.begin("##lossplot", avail, x0, x1, ymin, ymax, settings.logy, "optimizer steps")) {
        const float* trp = tr.data();
        // The first point has no train loss yet (recorded before training).
        if (xs.size() > 1) plot.line(xs.data() + 1, trp + 1, static_cast<int>(xs.size()) - 1, kColTrain, 1.2f);
        plot.line(xs.data(), te.data(), static_cast<int>(xs.size()), kColTest, 2.2f);
        const std::string lab = "PCA, k = " + std::to_string(session.k()) + ": " + fmt("%.4g", pca);
        plot.hline(pca, kColPca, lab.c_str());
        plot.legend({{"train (batches)", kColTrain}, {"test", kColTest}, {"PCA bound", kColPca}});
        if (plot.hovered() && !h.empty()) {
            // Nearest recorded point to the mouse.
            const double mx = plot.mouse_x() - off;
            size_t best = 0;
            for (size_t i = 0; i < h.size(); ++i)
                if (std::fabs(h[i].step - mx) < std::fabs(h[best].step - mx)) best = i;
            ImGui::SetTooltip("step %ld (epoch %.2f)\ntrain MSE %.5g\ntest MSE %.5g\nPCA %.5g", h[best].step + off,
                              h[best].epoch, h[best].train_mse, h[best].test_mse, pca);
        }
        plot.end();
    }
}

// ---- scatter ----------------------------------------------------------------------------------------
void AppImpl::hover_tooltip(int i) {
    const Dataset& te = session.data().test;
    if (i < 0 || i >= te.size()) return;
    ImGui::BeginTooltip();
    if (is_image_dataset(session.kind())) {
        const double t = now_s();
        if (i != hover_shown || image_due(t, t_hover, -2)) {
            Mat X = te.X.col(i);
            Mat M(784, 3);
            M.col(0) = X;
            M.col(1) = session.reconstruct(X);
            M.col(2) = session.pca_decode(session.pca_encode(X));
            tex_hover.upload_grid(M.data(), 3, 28, 28, 3);
            hover_shown = i;
            t_hover = t;
        }
        const int y = te.y[i];
        if (session.kind() == DatasetKind::Fashion && y >= 0 && y < 10)
            ImGui::Text("test #%d: %s", i, kFashionNames[y]);
        else
            ImGui::Text("test #%d: digit %d", i, y);
        ImGui::Image(tex_hover.imgui_id(), ImVec2(tex_hover.width() * 2.0f, tex_hover.height() * 2.0f));
        ImGui::TextColored(kTextDim, "input      AE         PCA");
    } else {
        ImGui::Text("test #%d", i);
        std::string xs;
        for (Index r = 0; r < te.X.rows(); ++r) xs += fmt(r ? ", %.3f" : "%.3f", te.X(r, i));
        ImGui::Text("x = (%s)", xs.c_str());
    }
    const Mat& Z = session.test_codes();
    std::string zs;
    for (Index r = 0; r < std::min<Index>(Z.rows(), 4); ++r) zs += fmt(r ? ", %.3f" : "%.3f", Z(r, i));
    ImGui::Text("AE code (%s)", zs.c_str());
    ImGui::EndTooltip();
}

void AppImpl::panel_scatter() {
    if (!scatter_ok) {
        ImGui::TextColored(kTextErr, "the GL point renderer could not start (see the console)");
        return;
    }
    update_scatter_points();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const bool img = is_image_dataset(session.kind());
    const float legend_h = img ? ImGui::GetTextLineHeightWithSpacing() : 0.0f;
    const float head_h = ImGui::GetTextLineHeightWithSpacing();
    const float w = std::floor((avail.x - ImGui::GetStyle().ItemSpacing.x) * 0.5f);
    const float hgt = avail.y - legend_h - head_h;
    const int k = session.k();
    ImGui::TextColored(ImVec4(1.0f, 0.63f, 0.24f, 1), "Autoencoder code%s", k > 2 ? " (dims 1-2)" : k == 1 ? " (1-D, jittered)" : "");
    ImGui::SameLine(w + ImGui::GetStyle().ItemSpacing.x + ImGui::GetStyle().WindowPadding.x);
    ImGui::TextColored(ImVec4(0.35f, 0.86f, 0.55f, 1), "PCA projection%s", k > 2 ? " (PC 1-2)" : "");
    ScatterWidgetOptions opt;
    opt.hover_radius_px = 7;
    ScatterWidgetResult ra, rp;
    // The drawn digit (if any) is marked in both plots.
    const bool mark = img && canvas_ink && draw_code_ae.size() > 0;
    ScatterWidget("##ae", sc_ae, ImVec2(w, hgt), &ra, opt);
    if (mark) {
        const ImVec2 p = ScatterToScreen(ra, sc_ae.view(), draw_code_ae(0), k >= 2 ? draw_code_ae(1) : 0.0f);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddCircle(p, 9, IM_COL32(255, 255, 255, 255), 16, 2.5f);
        dl->AddText(ImVec2(p.x + 10, p.y - 8), IM_COL32(255, 255, 255, 255), "your digit");
    }
    ImGui::SameLine();
    opt.equal_aspect = k >= 2;  // a 1-D code is jittered vertically: no shared scale
    ScatterWidget("##pca", sc_pca, ImVec2(w, hgt), &rp, opt);
    if (mark && draw_code_pca.size() > 0) {
        const ImVec2 p = ScatterToScreen(rp, sc_pca.view(), draw_code_pca(0), k >= 2 ? draw_code_pca(1) : 0.0f);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddCircle(p, 9, IM_COL32(255, 255, 255, 255), 16, 2.5f);
    }
    const int hov = ra.hovered >= 0 ? ra.hovered : rp.hovered;
    hover_index = hov;
    sc_ae.highlight(hov);
    sc_pca.highlight(hov);
    if (hov >= 0) hover_tooltip(hov);
    const int clicked = ra.clicked >= 0 ? ra.clicked : rp.clicked;
    if (clicked >= 0) {
        (pick_a ? interp_a : interp_b) = clicked;
        pick_a = !pick_a;
        t_interp = -1;
    }
    if (img) {
        const int ncls = std::min(10, session.data().test.num_classes);
        for (int c = 0; c < ncls; ++c) {
            const ImU32 col = palette_color(c);
            ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(col));
            if (session.kind() == DatasetKind::Fashion) ImGui::Text("%s", kFashionNames[c]);
            else ImGui::Text("%d", c);
            ImGui::PopStyleColor();
            if (c + 1 < ncls) ImGui::SameLine();
        }
        ImGui::SameLine();
        ImGui::TextColored(kTextDim, "  hover: image | click: pick A/B | wheel: zoom | dbl-click: fit");
    }
}

// ---- reconstructions ---------------------------------------------------------------------------------
void AppImpl::panel_recon() {
    const double t = now_s();
    const Dataset& te = session.data().test;
    const int n = static_cast<int>(recon_idx.size());
    if (n == 0) return;
    // Two blocks of 5 columns: input / AE / PCA rows for images 0-4, then for 5-9.
    const int per_row = (n + 1) / 2;
    if (image_due(t, t_recon, s_recon)) {
        s_recon = session.total_steps();
        Mat X(784, n);
        for (int i = 0; i < n; ++i) X.col(i) = te.X.col(recon_idx[i]);
        const Mat Rae = session.reconstruct(X);
        const Mat Rpca = session.pca_decode(session.pca_encode(X));
        Mat M = Mat::Zero(784, 6 * per_row);
        for (int i = 0; i < n; ++i) {
            const int blk = i / per_row, c = i % per_row;
            M.col((3 * blk + 0) * per_row + c) = X.col(i);
            M.col((3 * blk + 1) * per_row + c) = Rae.col(i);
            M.col((3 * blk + 2) * per_row + c) = Rpca.col(i);
        }
        tex_recon.upload_grid(M.data(), 6 * per_row, 28, 28, per_row);
        t_recon = t;
    }
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float label_w = ImGui::CalcTextSize("input ").x + 6;
    const float scale = std::max(0.5f, std::min((avail.x - label_w) / tex_recon.width(),
                                                (avail.y - ImGui::GetTextLineHeightWithSpacing() * 2) / tex_recon.height()));
    const ImVec2 sz(tex_recon.width() * scale, tex_recon.height() * scale);
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    ImGui::SetCursorScreenPos(ImVec2(p0.x + label_w, p0.y));
    ImGui::Image(tex_recon.imgui_id(), sz);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const char* rows[] = {"input", "AE", "PCA"};
    const ImU32 cols[] = {IM_COL32(200, 200, 205, 255), kColAccent, kColPca};
    for (int r = 0; r < 6; ++r)
        dl->AddText(ImVec2(p0.x, p0.y + sz.y * (r + 0.5f) / 6 - ImGui::GetFontSize() * 0.5f), cols[r % 3], rows[r % 3]);
    const double ae = session.last_test_mse(), pca = session.pca_test_mse();
    ImGui::TextColored(kTextDim, "test MSE: AE %.4f, PCA %.4f (k = %d)", ae, pca, session.k());
    ImGui::TextColored(kTextDim, "one test image of each class");
}

// ---- decoder: manifold / interpolation / draw -------------------------------------------------------
void AppImpl::panel_decoder() {
    const double t = now_s();
    const int k = session.k();
    const Dataset& te = session.data().test;
    if (!ImGui::BeginTabBar("##dec")) return;
    if (ImGui::BeginTabItem("Manifold")) {
        if (k != 2) {
            ImGui::PushTextWrapPos(0.0f);
            ImGui::TextColored(kTextDim, "The decoder manifold is drawn for a 2-D code: set latent k = 2.");
            ImGui::PopTextWrapPos();
        } else {
            if (ImGui::RadioButton("AE decoder", !manifold_pca)) {
                manifold_pca = false;
                t_manifold = -1;
            }
            ImGui::SameLine();
            if (ImGui::RadioButton("PCA (linear decoder)", manifold_pca)) {
                manifold_pca = true;
                t_manifold = -1;
            }
            constexpr int G = 15;
            if (image_due(t, t_manifold, s_manifold)) {
                s_manifold = session.total_steps();
                const Mat& Z = manifold_pca ? session.pca_test_codes() : session.test_codes();
                // Grid over the 2nd..98th percentile of the test codes in each dimension.
                float lo[2], hi[2];
                for (int d = 0; d < 2; ++d) {
                    std::vector<float> v(static_cast<size_t>(Z.cols()));
                    for (Index i = 0; i < Z.cols(); ++i) v[i] = Z(d, i);
                    if (v.empty()) return;
                    std::sort(v.begin(), v.end());
                    lo[d] = v[static_cast<size_t>(0.02 * (v.size() - 1))];
                    hi[d] = v[static_cast<size_t>(0.98 * (v.size() - 1))];
                    if (!(hi[d] > lo[d])) hi[d] = lo[d] + 1;
                }
                Mat C(2, G * G);
                for (int r = 0; r < G; ++r)
                    for (int c = 0; c < G; ++c) {
                        C(0, r * G + c) = lo[0] + (hi[0] - lo[0]) * c / (G - 1);
                        C(1, r * G + c) = hi[1] - (hi[1] - lo[1]) * r / (G - 1);  // y up
                    }
                const Mat D = manifold_pca ? session.pca_decode(C) : session.decode(C);
                ImageStyle st;
                tex_manifold.upload_grid(D.data(), G * G, 28, 28, G, st, 0);
                t_manifold = t;
            }
            const ImVec2 avail = ImGui::GetContentRegionAvail();
            const float s = std::max(32.0f, std::min(avail.x, avail.y - ImGui::GetTextLineHeightWithSpacing()));
            ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail.x - s) * 0.5f);
            ImGui::Image(tex_manifold.imgui_id(), ImVec2(s, s));
            ImGui::TextColored(kTextDim, "decoder outputs over a %dx%d grid of codes", G, G);
        }
        ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Interpolate")) {
        const int n = static_cast<int>(te.size());
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
        if (ImGui::InputInt("A", &interp_a)) t_interp = -1;
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
        if (ImGui::InputInt("B", &interp_b)) t_interp = -1;
        interp_a = std::clamp(interp_a, 0, n - 1);
        interp_b = std::clamp(interp_b, 0, n - 1);
        constexpr int S = 8;
        if (image_due(t, t_interp, s_interp)) {
            s_interp = session.total_steps();
            Mat AB(784, 2);
            AB.col(0) = te.X.col(interp_a);
            AB.col(1) = te.X.col(interp_b);
            const Mat za = session.encode(AB), zp = session.pca_encode(AB);
            Mat ca(k, S), cp(k, S), px(784, S);
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
            tex_interp.upload_grid(M.data(), 3 * S, 28, 28, S);
            t_interp = t;
        }
        const ImVec2 avail = ImGui::GetContentRegionAvail();
        const float label_w = ImGui::CalcTextSize("pixels ").x + 6;
        const float scale = std::max(0.5f, std::min((avail.x - label_w) / tex_interp.width(),
                                                    (avail.y - ImGui::GetTextLineHeightWithSpacing()) / tex_interp.height()));
        const ImVec2 sz(tex_interp.width() * scale, tex_interp.height() * scale);
        const ImVec2 p0 = ImGui::GetCursorScreenPos();
        ImGui::SetCursorScreenPos(ImVec2(p0.x + label_w, p0.y));
        ImGui::Image(tex_interp.imgui_id(), sz);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const char* rows[] = {"AE", "PCA", "pixels"};
        const ImU32 cols[] = {kColAccent, kColPca, IM_COL32(200, 200, 205, 255)};
        for (int r = 0; r < 3; ++r)
            dl->AddText(ImVec2(p0.x, p0.y + sz.y * (r + 0.5f) / 3 - ImGui::GetFontSize() * 0.5f), cols[r], rows[r]);
        ImGui::TextColored(kTextDim, "click two points in the scatter to pick A and B");
        ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Draw")) {
        const ImVec2 avail = ImGui::GetContentRegionAvail();
        const float cs = std::floor(std::max(84.0f, std::min(avail.x * 0.5f - 8, avail.y - ImGui::GetFrameHeightWithSpacing() * 2)));
        const ImVec2 p0 = ImGui::GetCursorScreenPos();
        ImGui::InvisibleButton("##canvas", ImVec2(cs, cs));
        const bool active = ImGui::IsItemActive();
        if (active) {
            // Soft round brush (radius ~1.3 pixels of the 28x28 grid), like MNIST's strokes.
            const ImVec2 m = ImGui::GetIO().MousePos;
            const float fx = (m.x - p0.x) / cs * 28.0f, fy = (m.y - p0.y) / cs * 28.0f;
            for (int r = 0; r < 28; ++r)
                for (int c = 0; c < 28; ++c) {
                    const float dx = c + 0.5f - fx, dy = r + 0.5f - fy;
                    const float d2 = dx * dx + dy * dy;
                    if (d2 < 4.0f) {
                        float& v = canvas[r * 28 + c];
                        v = std::min(1.0f, v + 0.55f * std::exp(-d2 / 1.1f));
                    }
                }
            canvas_ink = true;
            canvas_dirty = true;
        }
        if (canvas_dirty || image_due(t, t_draw, -2)) {
            tex_canvas.upload(canvas.data(), 28, 28);
            if (canvas_ink) {
                Eigen::Map<const Mat> X(canvas.data(), 784, 1);
                draw_code_ae = session.encode(X);
                draw_code_pca = session.pca_encode(X);
                Mat M(784, 2);
                M.col(0) = session.decode(draw_code_ae);
                M.col(1) = session.pca_decode(draw_code_pca);
                tex_draw_out.upload_grid(M.data(), 2, 28, 28, 1);
            }
            canvas_dirty = false;
            t_draw = t;
        }
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddImage(tex_canvas.imgui_id(), p0, ImVec2(p0.x + cs, p0.y + cs));
        dl->AddRect(p0, ImVec2(p0.x + cs, p0.y + cs), IM_COL32(255, 160, 60, 200));
        if (!canvas_ink) {
            const char* hint = "draw a digit here";
            const ImVec2 ts = ImGui::CalcTextSize(hint);
            dl->AddText(ImVec2(p0.x + (cs - ts.x) * 0.5f, p0.y + (cs - ts.y) * 0.5f), IM_COL32(160, 160, 170, 200), hint);
        }
        ImGui::SameLine();
        ImGui::BeginGroup();
        if (canvas_ink && tex_draw_out.width() > 0) {
            const float s = cs * 0.5f - 4;
            const float sc = s / 28.0f;
            ImGui::Image(tex_draw_out.imgui_id(), ImVec2(tex_draw_out.width() * sc, tex_draw_out.height() * sc));
            const ImVec2 q = ImGui::GetItemRectMin();
            dl->AddText(ImVec2(q.x + tex_draw_out.width() * sc + 4, q.y + 2), kColAccent, "AE");
            dl->AddText(ImVec2(q.x + tex_draw_out.width() * sc + 4, q.y + tex_draw_out.height() * sc * 0.5f + 2), kColPca,
                        "PCA");
        } else {
            ImGui::TextColored(kTextDim, "reconstructions\nappear here");
        }
        ImGui::EndGroup();
        if (ImGui::Button("Clear")) {
            std::fill(canvas.begin(), canvas.end(), 0.0f);
            canvas_ink = false;
            canvas_dirty = true;
        }
        if (canvas_ink && draw_code_ae.size() > 0) {
            ImGui::SameLine();
            std::string zs;
            for (Index r = 0; r < std::min<Index>(draw_code_ae.rows(), 3); ++r)
                zs += fmt(r ? ", %.2f" : "%.2f", draw_code_ae(r));
            ImGui::TextColored(kTextDim, "code (%s): marked in the scatter", zs.c_str());
        }
        ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
}

// ---- linear AE vs PCA ---------------------------------------------------------------------------------
void AppImpl::panel_pca() {
    if (!ImGui::BeginTabBar("##pcatabs")) return;
    const int k = session.k();
    const PCA& pca = session.pca();
    if (ImGui::BeginTabItem("Angles")) {
        const auto& ah = session.angle_history();
        if (!ah.empty()) {
            std::string now;
            for (float d : ah.back().degrees) now += fmt(now.empty() ? "%.2f" : ", %.2f", d);
            ImGui::TextColored(kTextDim, "angles now:");
            ImGui::SameLine(0, 4);
            ImGui::TextColored(ah.back().degrees.back() < 2 ? kTextGood : ImVec4(1, 1, 1, 1), "%s deg", now.c_str());
        }
        ImGui::PushTextWrapPos(0.0f);
        if (!session.model_is_linear())
            ImGui::TextColored(kTextWarn, "nonlinear model: angles of the product of its decoder weights (indicative only)");
        else
            ImGui::TextColored(kTextDim, "between the span of the AE decoder and PCA's top-%d subspace", k);
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
        if (plot.begin("##angles", ImGui::GetContentRegionAvail(), ax0, x1, 0, 90, false, "optimizer steps")) {
            for (int a = 0; a < na; ++a)
                plot.line(xs.data(), ys[a].data(), static_cast<int>(xs.size()), palette_color(a), 1.8f);
            plot.end();
        }
        ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Variance")) {
        const int nc = std::min<int>(20, static_cast<int>(pca.explained_variance_ratio_.size()));
        ImGui::TextColored(kTextDim, "k = %d keeps", k);
        ImGui::SameLine(0, 4);
        double cum_k = 0;
        for (int i = 0; i < std::min(k, static_cast<int>(pca.explained_variance_ratio_.size())); ++i)
            cum_k += pca.explained_variance_ratio_(i);
        ImGui::TextColored(kTextGood, "%.1f%%", cum_k * 100);
        ImGui::SameLine(0, 4);
        ImGui::TextColored(kTextDim, "of the variance");
        const ImVec2 avail = ImGui::GetContentRegionAvail();
        LinePlot plot;
        if (nc > 0 && plot.begin("##var", avail, 0.5, nc + 0.5, 0, 1, false, "component (bars: ratio, line: cumulative)")) {
            ImDrawList* dl = ImGui::GetWindowDrawList();
            std::vector<float> xs, cum;
            double c = 0;
            for (int i = 0; i < nc; ++i) {
                const double r = pca.explained_variance_ratio_(i);
                c += r;
                const ImVec2 a = plot.to_screen(i + 1 - 0.38, r), b = plot.to_screen(i + 1 + 0.38, 0);
                dl->AddRectFilled(a, b, i < k ? IM_COL32(90, 220, 140, 230) : IM_COL32(120, 130, 150, 160));
                xs.push_back(static_cast<float>(i + 1));
                cum.push_back(static_cast<float>(c));
            }
            plot.line(xs.data(), cum.data(), nc, kColAccent, 2.0f);
            for (int i = 0; i < nc; ++i) dl->AddCircleFilled(plot.to_screen(xs[i], cum[i]), 2.5f, kColAccent);
            if (plot.hovered()) {
                const int i = std::clamp(static_cast<int>(std::lround(plot.mouse_x())) - 1, 0, nc - 1);
                ImGui::SetTooltip("component %d: %.2f%% (cumulative %.2f%%)", i + 1,
                                  pca.explained_variance_ratio_(i) * 100, cum[i] * 100);
            }
            plot.end();
        }
        ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Components")) {
        const bool img = is_image_dataset(session.kind());
        const Mat W = session.model().decoder_linear_map();  // d x k
        if (img) {
            const double t = now_s();
            const int nc = std::min<int>(8, static_cast<int>(pca.n_components_));
            const int na = std::min<int>(8, static_cast<int>(W.cols()));
            if (image_due(t, t_comps, s_comps)) {
                s_comps = session.total_steps();
                ImageStyle st;
                st.cmap = ImageColormap::Diverging;
                st.per_image_range = true;
                const Mat C = pca.components_.leftCols(nc).cast<float>();
                tex_comps.upload_grid(C.data(), nc, 28, 28, nc, st);
                tex_aecomps.upload_grid(W.data(), na, 28, 28, nc, st);
                t_comps = t;
            }
            const ImVec2 avail = ImGui::GetContentRegionAvail();
            const float sc = std::max(0.5f, std::min(avail.x / tex_comps.width(),
                                                     (avail.y - ImGui::GetTextLineHeightWithSpacing() * 3) / (2.0f * tex_comps.height())));
            ImGui::TextColored(ImVec4(0.35f, 0.86f, 0.55f, 1), "PCA components 1-%d", nc);
            ImGui::Image(tex_comps.imgui_id(), ImVec2(tex_comps.width() * sc, tex_comps.height() * sc));
            ImGui::TextColored(ImVec4(1.0f, 0.63f, 0.24f, 1), "AE decoder columns (linear map code -> image)");
            ImGui::Image(tex_aecomps.imgui_id(), ImVec2(tex_aecomps.width() * sc, tex_aecomps.height() * sc));
        } else {
            ImGui::TextColored(ImVec4(0.35f, 0.86f, 0.55f, 1), "PCA axes (columns), explained variance");
            for (Index c = 0; c < pca.components_.cols(); ++c) {
                std::string v;
                for (Index r = 0; r < pca.components_.rows(); ++r) v += fmt(r ? ", %+.3f" : "%+.3f", pca.components_(r, c));
                ImGui::Text("PC%d (%s)  %.3f", static_cast<int>(c) + 1, v.c_str(), pca.explained_variance_(c));
            }
            ImGui::Spacing();
            ImGui::TextColored(ImVec4(1.0f, 0.63f, 0.24f, 1), "AE decoder columns, normalised (length)");
            for (Index c = 0; c < W.cols(); ++c) {
                const float len = W.col(c).norm();
                std::string v;
                for (Index r = 0; r < W.rows(); ++r) v += fmt(r ? ", %+.3f" : "%+.3f", len > 0 ? W(r, c) / len : 0.0f);
                ImGui::Text("w%d (%s)  %.3f", static_cast<int>(c) + 1, v.c_str(), len);
            }
            ImGui::PushTextWrapPos(0.0f);
            ImGui::TextColored(kTextDim, "A linear AE need not find the axes themselves, only the subspace they span "
                                         "(see the angles tab).");
            ImGui::PopTextWrapPos();
        }
        ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
}

// ---- 2-D / 3-D data ----------------------------------------------------------------------------------
void AppImpl::panel_data() {
    const Dataset& te = session.data().test;
    const int d = session.dim();
    const PCA& pca = session.pca();
    ImGui::Checkbox("data", &show_data);
    ImGui::SameLine();
    ImGui::Checkbox("AE recon", &show_ae);
    ImGui::SameLine();
    ImGui::Checkbox("AE decoder", &show_manifold);
    ImGui::SameLine();
    ImGui::Checkbox("PCA subspace", &show_pca_sub);
    ImGui::SameLine();
    ImGui::Checkbox("axes", &show_axes);
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("##dataplot", avail);
    if (d == 3 && ImGui::IsItemActive() && ImGui::IsMouseDragging(0, 0)) {
        const ImVec2 dd = ImGui::GetIO().MouseDelta;
        yaw += dd.x * 0.01f;
        pitch = std::clamp(pitch + dd.y * 0.01f, -1.5f, 1.5f);
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p0, ImVec2(p0.x + avail.x, p0.y + avail.y), IM_COL32(20, 22, 27, 255));
    dl->PushClipRect(p0, ImVec2(p0.x + avail.x, p0.y + avail.y), true);
    // Projection: centre on the data mean; 3-D: yaw about z (up), then pitch.
    const Eigen::Vector3f mu = (d == 3) ? Eigen::Vector3f(pca.mean_.cast<float>()) : Eigen::Vector3f(static_cast<float>(pca.mean_(0)), static_cast<float>(pca.mean_(1)), 0.0f);
    float radius = 0;
    for (Index i = 0; i < te.size(); ++i) {
        Eigen::Vector3f x(te.X(0, i), te.X(1, i), d == 3 ? te.X(2, i) : 0.0f);
        radius = std::max(radius, (x - mu).norm());
    }
    radius = std::max(radius, 1e-3f);
    const float cy = std::cos(yaw), sy = std::sin(yaw), cp = std::cos(pitch), sp = std::sin(pitch);
    const float scale = 0.47f * std::min(avail.x, avail.y) / radius;
    const ImVec2 c(p0.x + avail.x * 0.5f, p0.y + avail.y * 0.5f);
    auto proj = [&](float x, float y, float z) -> ImVec2 {
        x -= mu(0), y -= mu(1), z -= mu(2);
        if (d == 2) return ImVec2(c.x + x * scale, c.y - y * scale);
        // z up; rotate around z by yaw, then tilt by pitch.
        const float x1 = cy * x - sy * y, y1 = sy * x + cy * y;
        const float u = x1, v = cp * z - sp * y1;
        return ImVec2(c.x + u * scale, c.y - v * scale);
    };
    auto col3 = [&](const Mat& M, Index i) { return proj(M(0, i), M(1, i), d == 3 ? M(2, i) : 0.0f); };
    const bool by_param = !te.param.empty() && session.kind() != DatasetKind::Gauss2D;
    float pmin = 0, pmax = 1;
    if (by_param) {
        pmin = *std::min_element(te.param.begin(), te.param.end());
        pmax = *std::max_element(te.param.begin(), te.param.end());
    }
    const Index n = te.size();
    if (show_data)
        for (Index i = 0; i < n; ++i) {
            const ImU32 col = by_param ? colormap_color(ColorMap::Viridis, (te.param[i] - pmin) / (pmax - pmin + 1e-12f), 150)
                                       : palette_color(te.y[i], 150);
            const ImVec2 p = col3(te.X, i);
            dl->AddRectFilled(ImVec2(p.x - 1.5f, p.y - 1.5f), ImVec2(p.x + 1.5f, p.y + 1.5f), col);
        }
    // PCA subspace through the mean: a line (k = 1) or a wireframe plane (k = 2) over +-2.5 sd.
    const int k = session.k();
    if (show_pca_sub) {
        const ImU32 col = IM_COL32(90, 220, 140, 150);
        if (k == 1) {
            const Eigen::Vector3f u = Eigen::Vector3f(pca.components_(0, 0), pca.components_(1, 0),
                                                      d == 3 ? pca.components_(2, 0) : 0) *
                                      2.5f * std::sqrt(static_cast<float>(pca.explained_variance_(0)));
            const Eigen::Vector3f a = mu - u, b = mu + u;
            dl->AddLine(proj(a(0), a(1), a(2)), proj(b(0), b(1), b(2)), col, 2.0f);
        } else if (k == 2 && d == 3) {
            const Eigen::Vector3f u = pca.components_.col(0).cast<float>() * 2.5f * std::sqrt(static_cast<float>(pca.explained_variance_(0)));
            const Eigen::Vector3f v = pca.components_.col(1).cast<float>() * 2.5f * std::sqrt(static_cast<float>(pca.explained_variance_(1)));
            for (int i = 0; i <= 8; ++i) {
                const float s = -1 + 2.0f * i / 8;
                Eigen::Vector3f a = mu + s * u - v, b = mu + s * u + v;
                dl->AddLine(proj(a(0), a(1), a(2)), proj(b(0), b(1), b(2)), IM_COL32(90, 220, 140, 70), 1.0f);
                a = mu - u + s * v;
                b = mu + u + s * v;
                dl->AddLine(proj(a(0), a(1), a(2)), proj(b(0), b(1), b(2)), IM_COL32(90, 220, 140, 70), 1.0f);
            }
        }
    }
    // The AE decoder's image of the code range: a curve (k = 1) or a mesh (k = 2).
    if (show_manifold) {
        const Mat& Z = session.test_codes();
        if (Z.cols() > 0 && k <= 2) {
            Eigen::VectorXf lo = Z.rowwise().minCoeff(), hi = Z.rowwise().maxCoeff();
            const ImU32 col = IM_COL32(255, 160, 60, 200);
            if (k == 1) {
                constexpr int S = 80;
                Mat C(1, S);
                for (int s = 0; s < S; ++s) C(0, s) = lo(0) + (hi(0) - lo(0)) * s / (S - 1);
                const Mat D = session.decode(C);
                std::vector<ImVec2> pts;
                for (int s = 0; s < S; ++s) pts.push_back(col3(D, s));
                dl->AddPolyline(pts.data(), S, col, 0, 2.5f);
            } else {
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
                        const ImVec2 a = col3(D, r * G + q);
                        if (q + 1 < G) dl->AddLine(a, col3(D, r * G + q + 1), IM_COL32(255, 160, 60, 110), 1.2f);
                        if (r + 1 < G) dl->AddLine(a, col3(D, (r + 1) * G + q), IM_COL32(255, 160, 60, 110), 1.2f);
                    }
            }
        }
    }
    if (show_ae) {
        const Index m = std::min<Index>(n, 1000);
        const Mat R = session.reconstruct(te.X.leftCols(m));
        for (Index i = 0; i < m; ++i) {
            const ImVec2 p = col3(R, i);
            dl->AddRectFilled(ImVec2(p.x - 1.2f, p.y - 1.2f), ImVec2(p.x + 1.2f, p.y + 1.2f), IM_COL32(255, 235, 210, 220));
        }
    }
    // Principal axes from the mean, length 2 sd; the first k bold.
    if (show_axes) {
        for (Index a = 0; a < pca.components_.cols(); ++a) {
            const float len = 2.0f * std::sqrt(static_cast<float>(pca.explained_variance_(a)));
            Eigen::Vector3f u(pca.components_(0, a), pca.components_(1, a), d == 3 ? pca.components_(2, a) : 0);
            const Eigen::Vector3f e = mu + len * u;
            const ImVec2 ps = proj(mu(0), mu(1), mu(2)), pe = proj(e(0), e(1), e(2));
            const ImU32 col = a < k ? IM_COL32(90, 220, 140, 255) : IM_COL32(170, 175, 190, 200);
            dl->AddLine(ps, pe, col, a < k ? 3.0f : 1.5f);
            dl->AddCircleFilled(pe, a < k ? 4.0f : 3.0f, col);
            char lab[16];
            std::snprintf(lab, sizeof lab, "PC%d", static_cast<int>(a) + 1);
            dl->AddText(ImVec2(pe.x + 5, pe.y - 7), col, lab);
        }
    }
    // Legend
    const float fh = ImGui::GetFontSize();
    float ly = p0.y + 6;
    auto legend = [&](ImU32 col, const char* text) {
        dl->AddRectFilled(ImVec2(p0.x + 8, ly + fh * 0.3f), ImVec2(p0.x + 8 + fh * 0.5f, ly + fh * 0.8f), col);
        dl->AddText(ImVec2(p0.x + 8 + fh * 0.9f, ly), IM_COL32(210, 210, 215, 230), text);
        ly += fh * 1.25f;
    };
    legend(by_param ? colormap_color(ColorMap::Viridis, 0.6f) : palette_color(0), "test data");
    if (show_ae) legend(IM_COL32(255, 235, 210, 220), "AE reconstructions");
    if (show_manifold) legend(IM_COL32(255, 160, 60, 200), "AE decoder over the code range");
    if (show_pca_sub) legend(IM_COL32(90, 220, 140, 200), k == 1 ? "PCA line" : "PCA plane");
    if (d == 3) dl->AddText(ImVec2(p0.x + 8, p0.y + avail.y - fh - 6), IM_COL32(150, 150, 160, 200), "drag to rotate");
    dl->PopClipRect();
}

// ---------------------------------------------------------------------------------------------
App::App() : impl_(std::make_unique<AppImpl>()) {}
App::~App() = default;

bool App::init(SDL_Window* window, SDL_GLContext gl_context, const Platform& platform, const std::string& query) {
    AppImpl& a = *impl_;
    a.window = window;
    a.plat = platform;
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
    a.apply_style();
    if (!ImGui_ImplSDL2_InitForOpenGL(window, gl_context)) return false;
    if (!ImGui_ImplOpenGL3_Init(kGlslVersion)) return false;
    a.scatter_ok = a.sc_ae.init() && a.sc_pca.init();
    // Moving latent codes redraw a plot at most 10 times a second (pan / zoom / hover at once).
    a.sc_ae.set_min_interval(0.1);
    a.sc_pca.set_min_interval(0.1);
    a.initialized = true;
    a.apply_query(query);
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
    a.sc_ae.release();
    a.sc_pca.release();
    for (ImageTexture* t : {&a.tex_recon, &a.tex_manifold, &a.tex_interp, &a.tex_canvas, &a.tex_draw_out, &a.tex_hover,
                            &a.tex_comps, &a.tex_aecomps})
        t->release();
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
    a.initialized = false;
}

void App::on_image_data(DatasetKind kind, std::vector<std::uint8_t> train_images, std::vector<std::uint8_t> train_labels,
                        std::vector<std::uint8_t> test_images, std::vector<std::uint8_t> test_labels,
                        const std::string& source) {
    AppImpl& a = *impl_;
    if (a.loading && a.loading_kind == kind) a.loading = false;
    try {
        DataBundle b = make_image_bundle(kind, train_images, train_labels, test_images, test_labels);
        b.source = source;
        if (kind != a.settings.dataset) return;  // the user moved on meanwhile
        a.session.set_data(std::move(b));
        a.have_applied = false;
        a.reset_visuals();
    } catch (const std::exception& e) {
        on_data_error(kind, e.what());
    }
}

void App::on_data_error(DatasetKind kind, const std::string& message) {
    AppImpl& a = *impl_;
    if (a.loading && a.loading_kind == kind) a.loading = false;
    a.failed[static_cast<int>(kind)] = true;
    a.say(std::string("could not load ") + dataset_label(kind) + ": " + message, true);
    if (a.settings.dataset == kind) {
        // Fall back to a generated data set so the page still shows something.
        const Preset* p = find_preset("course-curved3d");
        const unsigned hide = a.settings.hide;
        a.settings = p->settings;
        a.settings.hide = hide;
        a.have_applied = false;
        a.say(std::string("showing \"") + p->title + "\" instead");
    }
}

void App::on_host_message(const std::string& message, bool error) { impl_->say(message, error); }

void App::on_model_bytes(const std::vector<std::uint8_t>& bytes, const std::string& name) {
    impl_->on_model_bytes(bytes, name);
}

std::string App::command(const std::string& cmd) { return impl_->command(cmd); }
const Stats& App::stats() const { return impl_->stats; }
std::uint64_t App::frame_count() const { return impl_->frames; }

}  // namespace aelab::app
