// scatter_demo.cpp: proof and benchmark of the GL scatter renderer (web/app/scatter.hpp) and
// the image texture helper (web/app/gltex.hpp), natively on SDL2 + OpenGL 3.3 core.
//
// What it does (GL context from SDL; under Xvfb that is Mesa llvmpipe, software GL):
//   1. n (default 70000) points in 10 labelled Gaussian clusters -> ScatterRenderer ->
//      offscreen texture -> <out>/scatter_labels.png (read back from the FBO);
//      the same points coloured by a continuous value -> <out>/scatter_values.png.
//   2. Timing: `frames` frames in which every point moves (set_points + glBufferSubData +
//      draw + glFinish), and the same without movement; nearest() grid build and queries.
//   3. One ImGui frame with ScatterWidget (axes, hover marker, highlight) and an
//      ImageTexture grid beside it -> <out>/scatter_widget.png (the window back buffer).
// Usage:
//   xvfb-run -a -s "-screen 0 1280x800x24" build/native/native/aelab_scatter_demo
//       [--out artifacts/scatter] [--n 70000] [--frames 60] [--size 1024x768]
//       [--mode points|quads]
// Exit status: 0 when everything rendered and the pictures are not blank.
#include "app/gl.hpp"
#include "app/gltex.hpp"
#include "app/scatter.hpp"

#include <SDL.h>
#include <imgui.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>

#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <set>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Reads the currently bound read framebuffer (w x h) into a PNG; flip for the default
// framebuffer (bottom-up), not for the scatter texture (stored top row first).
bool save_png(const std::string& path, int w, int h, bool flip) {
    std::vector<unsigned char> px(size_t(w) * size_t(h) * 4);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
    for (size_t i = 3; i < px.size(); i += 4) px[i] = 255;
    std::set<unsigned> colours;
    for (size_t i = 0; i < px.size() && colours.size() < 64; i += 4 * 97)
        colours.insert(unsigned(px[i]) | unsigned(px[i + 1]) << 8 | unsigned(px[i + 2]) << 16);
    stbi_flip_vertically_on_write(flip ? 1 : 0);
    const bool ok = stbi_write_png(path.c_str(), w, h, 4, px.data(), w * 4) != 0;
    std::printf("wrote %s (%dx%d, >= %zu colours sampled)\n", path.c_str(), w, h, colours.size());
    return ok && colours.size() >= 8;
}

bool save_texture_png(unsigned tex, int w, int h, const std::string& path) {
    GLuint fbo = 0;
    glGenFramebuffers(1, &fbo);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, fbo);
    glFramebufferTexture2D(GL_READ_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, tex, 0);
    const bool ok = save_png(path, w, h, false);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
    glDeleteFramebuffers(1, &fbo);
    return ok;
}

}  // namespace

int main(int argc, char** argv) {
    std::string out = "artifacts/scatter";
    int n = 70000, frames = 60, W = 1024, H = 768;
    bool points_mode = true;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
        if (a == "--out" && v) { out = v; ++i; }
        else if (a == "--n" && v) { n = std::atoi(v); ++i; }
        else if (a == "--frames" && v) { frames = std::atoi(v); ++i; }
        else if (a == "--mode" && v) { points_mode = std::string(v) == "points"; ++i; }
        else if (a == "--size" && v && std::sscanf(v, "%dx%d", &W, &H) == 2) { ++i; }
        else {
            std::fprintf(stderr, "usage: aelab_scatter_demo [--out DIR] [--n N] [--frames K] [--size WxH] [--mode points|quads]\n");
            return 2;
        }
    }
    if (n < 1 || frames < 1 || W < 16 || H < 16) { std::fprintf(stderr, "bad arguments\n"); return 2; }
    mkdir(out.c_str(), 0755);   // parent must exist; fine for artifacts/<x> after mkdir -p artifacts

    if (SDL_Init(SDL_INIT_VIDEO) != 0) { std::fprintf(stderr, "SDL_Init: %s\n", SDL_GetError()); return 1; }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, SDL_GL_CONTEXT_FORWARD_COMPATIBLE_FLAG);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_Window* win = SDL_CreateWindow("aelab scatter demo", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                       1280, 800, SDL_WINDOW_OPENGL);
    if (!win) { std::fprintf(stderr, "SDL_CreateWindow: %s\n", SDL_GetError()); return 1; }
    SDL_GLContext gl = SDL_GL_CreateContext(win);
    if (!gl) { std::fprintf(stderr, "SDL_GL_CreateContext: %s\n", SDL_GetError()); return 1; }
    SDL_GL_MakeCurrent(win, gl);
    SDL_GL_SetSwapInterval(0);
    std::printf("GL_RENDERER: %s\nGL_VERSION: %s\n", glGetString(GL_RENDERER), glGetString(GL_VERSION));

    // ---- data: 10 Gaussian clusters on a ring, like a 2-D latent space of MNIST ----
    std::mt19937 rng(7);
    std::normal_distribution<float> g(0.0f, 1.0f);
    std::vector<float> base(size_t(n) * 2), xy(static_cast<size_t>(n) * 2), val(static_cast<size_t>(n));
    std::vector<int> labels(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
        const int c = int(rng() % 10);
        const float ang = 6.2831853f * float(c) / 10.0f;
        const float sx = 0.5f + 0.08f * float(c), sy = 0.35f;
        const float u = g(rng) * sx, w = g(rng) * sy;
        base[2 * size_t(i)] = 3.0f * std::cos(ang) + u * std::cos(ang) - w * std::sin(ang);
        base[2 * size_t(i) + 1] = 3.0f * std::sin(ang) + u * std::sin(ang) + w * std::cos(ang);
        labels[size_t(i)] = c;
        val[size_t(i)] = std::atan2(base[2 * size_t(i) + 1], base[2 * size_t(i)]);
    }
    xy = base;

    aelab::app::ScatterRenderer sc;
    if (!sc.init()) { std::fprintf(stderr, "ScatterRenderer::init failed\n"); return 1; }
    sc.set_point_size(3.0f);
    sc.set_mode(points_mode ? aelab::app::ScatterMode::Points : aelab::app::ScatterMode::Quads);
    sc.set_alpha(0.6f);
    sc.set_points(xy.data(), labels.data(), n);
    sc.highlight(0);
    bool ok = true;

    unsigned tex = sc.render(W, H);
    glFinish();
    ok &= tex != 0 && save_texture_png(tex, W, H, out + "/scatter_labels.png");

    // ---- timing: moving points (training updates every code every frame) ----
    auto move = [&](int f) {
        const float a = 0.02f * float(f), ca = std::cos(a), sa = std::sin(a), s = 1.0f + 0.1f * std::sin(0.1f * float(f));
        for (int i = 0; i < n; ++i) {
            const float x = base[2 * size_t(i)], y = base[2 * size_t(i) + 1];
            xy[2 * size_t(i)] = s * (ca * x - sa * y);
            xy[2 * size_t(i) + 1] = s * (sa * x + ca * y);
        }
    };
    for (int f = 0; f < 3; ++f) { move(f); sc.set_points(xy.data(), labels.data(), n); sc.render(W, H); glFinish(); }  // warm-up
    double t_set = 0, t_render = 0, t_worst = 0;
    for (int f = 0; f < frames; ++f) {
        move(f);
        auto t0 = Clock::now();
        sc.set_points(xy.data(), labels.data(), n);
        t_set += ms_since(t0);
        t0 = Clock::now();
        sc.render(W, H);
        glFinish();
        const double t = ms_since(t0);
        t_render += t;
        t_worst = std::max(t_worst, t);
    }
    double t_static = 0;
    for (int f = 0; f < frames; ++f) {
        auto t0 = Clock::now();
        sc.render(W, H);
        glFinish();
        t_static += ms_since(t0);
    }
    std::printf("points: %d (%s), texture %dx%d, point size %.1f px, %d frames\n", n,
                points_mode ? "GL_POINTS" : "instanced quads", W, H, sc.point_size(), frames);
    std::printf("moving:  set_points %.3f ms + render(upload+draw+glFinish) %.2f ms per frame (worst %.2f ms)\n",
                t_set / frames, t_render / frames, t_worst);
    std::printf("static:  render(draw+glFinish) %.2f ms per frame\n", t_static / frames);

    // ---- nearest(): grid build (first query after a move) and queries ----
    {
        move(5);
        sc.set_points(xy.data(), labels.data(), n);
        auto t0 = Clock::now();
        int hit = sc.nearest(0.0f, 3.0f, 0.05f);
        const double t_build = ms_since(t0);
        const int Q = 10000;
        std::uniform_real_distribution<float> U(-4.0f, 4.0f);
        int hits = 0, mismatches = 0;
        t0 = Clock::now();
        for (int q = 0; q < Q; ++q) hits += sc.nearest(U(rng), U(rng), 0.05f) >= 0;
        const double t_q = ms_since(t0);
        // brute-force cross-check on a few queries
        std::mt19937 r2(11);
        for (int q = 0; q < 300; ++q) {
            const float x = U(r2), y = U(r2), R = 0.08f;
            int best = -1; float bd = R * R;
            for (int i = 0; i < n; ++i) {
                const float dx = xy[2 * size_t(i)] - x, dy = xy[2 * size_t(i) + 1] - y, d = dx * dx + dy * dy;
                if (d <= bd && (best < 0 || d < bd || i < best)) { bd = d; best = i; }
            }
            const int got = sc.nearest(x, y, R);
            if (got != best) {
                // equal distances may pick different points; accept if equally near
                if (got < 0 || best < 0) ++mismatches;
                else {
                    const float dg = std::hypot(xy[2 * size_t(got)] - x, xy[2 * size_t(got) + 1] - y);
                    if (std::fabs(dg * dg - bd) > 1e-6f) ++mismatches;
                }
            }
        }
        std::printf("nearest: grid build + first query %.3f ms (hit %d); %d queries %.2f us each (%d hits); "
                    "brute-force mismatches %d/300\n", t_build, hit, Q, 1000.0 * t_q / Q, hits, mismatches);
        ok &= mismatches == 0;
    }

    // ---- continuous colour map ----
    move(0);
    sc.set_points(xy.data(), labels.data(), n);
    sc.set_values(val.data(), n, 0.0f, 0.0f, aelab::app::ColorMap::Viridis);
    tex = sc.render(W, H);
    ok &= save_texture_png(tex, W, H, out + "/scatter_values.png");
    sc.set_points(xy.data(), labels.data(), n);   // back to labels (labels cache was cleared)

    // ---- the ImGui widget + an image grid ----
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    ImGui::StyleColorsDark();
    ImGui_ImplSDL2_InitForOpenGL(win, gl);
    ImGui_ImplOpenGL3_Init(aelab::app::kGlslVersion);
    aelab::app::ImageTexture grid, single;
    std::vector<float> imgs(size_t(784) * 40);
    for (int k = 0; k < 40; ++k)   // synthetic "digits": rings and bars
        for (int r = 0; r < 28; ++r)
            for (int c = 0; c < 28; ++c) {
                const float dx = float(c) - 13.5f, dy = float(r) - 13.5f, rad = std::sqrt(dx * dx + dy * dy);
                const float ring = std::exp(-0.5f * std::pow((rad - 4.0f - float(k % 5)) / 1.2f, 2.0f));
                const float bar = std::exp(-0.5f * std::pow((dx * std::cos(0.3f * float(k)) + dy * std::sin(0.3f * float(k))) / 1.3f, 2.0f)) * (rad < 10);
                imgs[size_t(k) * 784 + size_t(r) * 28 + size_t(c)] = k < 20 ? ring : bar;
            }
    std::vector<float> signed_img(784);
    for (int i = 0; i < 784; ++i) signed_img[size_t(i)] = std::sin(0.4f * float(i % 28)) * std::cos(0.3f * float(i / 28));
    aelab::app::ScatterWidgetResult res;
    int hovered_seen = -1;
    for (int f = 0; f < 3; ++f) {
        // put the mouse over a point so the hover path is exercised
        SDL_Event e;
        while (SDL_PollEvent(&e)) ImGui_ImplSDL2_ProcessEvent(&e);
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplSDL2_NewFrame();
        ImGui::NewFrame();
        if (f > 0 && res.plot_max.x > res.plot_min.x) {
            const auto& p = sc.positions();
            ImGui::GetIO().MousePos = aelab::app::ScatterToScreen(res, sc.view(), p[2 * 123], p[2 * 123 + 1]);
        }
        ImGui::SetNextWindowPos(ImVec2(10, 10));
        ImGui::SetNextWindowSize(ImVec2(760, 780));
        ImGui::Begin("latent space (70k points)", nullptr, ImGuiWindowFlags_NoScrollWithMouse);
        aelab::app::ScatterWidgetOptions opt;
        opt.x_label = "z1";
        opt.y_label = "z2";
        opt.equal_aspect = true;
        aelab::app::ScatterWidget("latent", sc, ImVec2(740, 690), &res, opt);
        ImGui::Text("hovered %d  mouse (%.2f, %.2f)  view x [%.2f, %.2f]", res.hovered, res.mouse_x, res.mouse_y,
                    sc.view().xmin, sc.view().xmax);
        if (res.hovered >= 0) hovered_seen = res.hovered;
        ImGui::End();
        ImGui::SetNextWindowPos(ImVec2(780, 10));
        ImGui::SetNextWindowSize(ImVec2(490, 520));
        ImGui::Begin("images (gltex)");
        grid.upload_grid(imgs.data(), 40, 28, 28, 10);
        ImGui::Image(grid.imgui_id(), ImVec2(float(grid.width()) * 1.6f, float(grid.height()) * 1.6f));
        for (int k = 0; k < aelab::app::kPaletteSize; ++k) {
            const ImVec2 p = ImGui::GetCursorScreenPos();
            ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + 12, p.y + 12), aelab::app::palette_color(k));
            ImGui::Dummy(ImVec2(14, 12));
            ImGui::SameLine();
            ImGui::Text("%d", k);
            if (k + 1 < aelab::app::kPaletteSize) ImGui::SameLine();
        }
        aelab::app::ImageStyle st;
        st.cmap = aelab::app::ImageColormap::Diverging;
        st.per_image_range = true;
        single.upload(signed_img.data(), 28, 28, st);
        ImGui::Image(single.imgui_id(), ImVec2(112, 112));
        ImGui::End();
        ImGui::Render();
        int dw = 0, dh = 0;
        SDL_GL_GetDrawableSize(win, &dw, &dh);
        glViewport(0, 0, dw, dh);
        glClearColor(0.11f, 0.12f, 0.14f, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        if (f == 2) {
            glReadBuffer(GL_BACK);
            ok &= save_png(out + "/scatter_widget.png", dw, dh, true);
        }
        SDL_GL_SwapWindow(win);
    }
    std::printf("widget: hovered index %d (expected a point near #123)\n", hovered_seen);
    ok &= hovered_seen >= 0;
    GLenum err = glGetError();
    if (err != GL_NO_ERROR) { std::fprintf(stderr, "GL error 0x%x\n", err); ok = false; }

    grid.release();
    single.release();
    sc.release();
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
    SDL_GL_DeleteContext(gl);
    SDL_DestroyWindow(win);
    SDL_Quit();
    std::printf("%s\n", ok ? "scatter demo: OK" : "scatter demo: FAILED");
    return ok ? 0 : 1;
}
