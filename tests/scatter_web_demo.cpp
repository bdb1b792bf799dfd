// scatter_web_demo.cpp: the GL scatter renderer in the browser (WebGL2), for measuring.
//
// Same scene as tests/scatter_demo.cpp (n labelled points in 10 clusters, every point moving
// every frame as while training) drawn by ScatterWidget in an ImGui window, plus an
// ImageTexture grid. Publishes window.aelabScatter = {frames, n, avgFrameMs, cpuMs, hovered,
// widgetMs (time inside ScatterWidget: set-up, GL calls, hover)}
// for tests/e2e/scatter_web.mjs, which drives it in headless Chromium (SwiftShader).
// URL: index.html?n=70000&mode=points|quads   (defaults 70000, points)
// Build: cmake --build --preset web-release --target aelab_scatter_web_demo
//        -> build/web/scatter_demo/{index.html, aelab_scatter_web_demo.js, .wasm}
#include "app/gl.hpp"
#include "app/gltex.hpp"
#include "app/scatter.hpp"

#include <SDL.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>
#include <emscripten.h>
#include <imgui.h>

#include <cmath>
#include <cstdio>
#include <vector>

namespace {

struct Host {
    SDL_Window* window = nullptr;
    SDL_GLContext gl = nullptr;
    aelab::app::ScatterRenderer sc;
    aelab::app::ImageTexture grid;
    std::vector<float> base, xy, imgs;
    std::vector<int> labels;
    int n = 70000;
    long frame = 0;
    double last = 0, sum_ms = 0, sum_cpu = 0, sum_widget = 0;
    long counted = 0;
};

EM_JS(void, publish_stats, (double frames, int n, double avg_ms, double cpu_ms, int hovered, double widget_ms), {
    window.aelabScatter = {frames: frames, n: n, avgFrameMs: avg_ms, cpuMs: cpu_ms, hovered: hovered, widgetMs: widget_ms};
});

std::uint32_t lcg(std::uint32_t& s) { return s = s * 1664525u + 1013904223u; }
float uniform01(std::uint32_t& s) { return float(lcg(s) >> 8) / 16777216.0f; }
float gauss(std::uint32_t& s) {
    const float u = std::max(uniform01(s), 1e-7f), v = uniform01(s);
    return std::sqrt(-2.0f * std::log(u)) * std::cos(6.2831853f * v);
}

void loop(void* arg) {
    Host& h = *static_cast<Host*>(arg);
    const double t0 = emscripten_get_now();
    SDL_Event e;
    while (SDL_PollEvent(&e)) ImGui_ImplSDL2_ProcessEvent(&e);
    const float a = 0.02f * float(h.frame), ca = std::cos(a), sa = std::sin(a);
    const float s = 1.0f + 0.1f * std::sin(0.1f * float(h.frame));
    for (int i = 0; i < h.n; ++i) {
        const float x = h.base[2 * size_t(i)], y = h.base[2 * size_t(i) + 1];
        h.xy[2 * size_t(i)] = s * (ca * x - sa * y);
        h.xy[2 * size_t(i) + 1] = s * (sa * x + ca * y);
    }
    h.sc.set_points(h.xy.data(), h.labels.data(), h.n);

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(10, 10));
    ImGui::SetNextWindowSize(ImVec2(760, 760));
    ImGui::Begin("scatter (WebGL2)", nullptr, ImGuiWindowFlags_NoScrollWithMouse);
    aelab::app::ScatterWidgetOptions opt;
    opt.x_label = "z1";
    opt.y_label = "z2";
    opt.equal_aspect = true;
    aelab::app::ScatterWidgetResult res;
    const double tw0 = emscripten_get_now();
    aelab::app::ScatterWidget("latent", h.sc, ImVec2(740, 680), &res, opt);
    const double tw1 = emscripten_get_now();
    if (h.frame >= 30) h.sum_widget += tw1 - tw0;
    ImGui::Text("%d points, frame %ld, %.1f ms/frame", h.n, h.frame,
                h.counted ? h.sum_ms / double(h.counted) : 0.0);
    ImGui::End();
    ImGui::SetNextWindowPos(ImVec2(780, 10));
    ImGui::SetNextWindowSize(ImVec2(330, 200));
    ImGui::Begin("gltex");
    if (h.frame == 0) h.grid.upload_grid(h.imgs.data(), 20, 28, 28, 10);
    ImGui::Image(h.grid.imgui_id(), ImVec2(float(h.grid.width()), float(h.grid.height())));
    ImGui::End();
    ImGui::Render();
    int w = 0, hh = 0;
    SDL_GL_GetDrawableSize(h.window, &w, &hh);
    glViewport(0, 0, w, hh);
    glClearColor(0.11f, 0.12f, 0.14f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

    const double t1 = emscripten_get_now();
    if (h.frame >= 30) {   // after warm-up: frame-to-frame time (what the user sees) and CPU time
        h.sum_ms += t0 - h.last;
        h.sum_cpu += t1 - t0;
        ++h.counted;
    }
    h.last = t0;
    ++h.frame;
    publish_stats(double(h.frame), h.n, h.counted ? h.sum_ms / double(h.counted) : 0.0,
           h.counted ? h.sum_cpu / double(h.counted) : 0.0, res.hovered,
           h.counted ? h.sum_widget / double(h.counted) : 0.0);
}

}  // namespace

int main() {
    static Host h;
    h.n = EM_ASM_INT({ const v = parseInt(new URLSearchParams(location.search).get("n") || "70000", 10);
                       return v > 0 && v <= 1000000 ? v : 70000; });
    if (SDL_Init(SDL_INIT_VIDEO) != 0) { std::fprintf(stderr, "SDL_Init: %s\n", SDL_GetError()); return 1; }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    h.window = SDL_CreateWindow("scatter", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, 1120, 780,
                                SDL_WINDOW_OPENGL);
    h.gl = h.window ? SDL_GL_CreateContext(h.window) : nullptr;
    if (!h.gl) { std::fprintf(stderr, "WebGL2 context: %s\n", SDL_GetError()); return 1; }
    SDL_GL_MakeCurrent(h.window, h.gl);
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    ImGui::StyleColorsDark();
    ImGui_ImplSDL2_InitForOpenGL(h.window, h.gl);
    ImGui_ImplOpenGL3_Init(aelab::app::kGlslVersion);
    if (EM_ASM_INT({ return new URLSearchParams(location.search).get("mode") == "quads"; }))
        h.sc.set_mode(aelab::app::ScatterMode::Quads);
    if (!h.sc.init()) { std::fprintf(stderr, "ScatterRenderer::init failed\n"); return 1; }
    h.sc.highlight(0);

    std::uint32_t seed = 7;
    h.base.resize(size_t(h.n) * 2);
    h.xy.resize(size_t(h.n) * 2);
    h.labels.resize(size_t(h.n));
    for (int i = 0; i < h.n; ++i) {
        const int c = int(lcg(seed) >> 16) % 10;
        const float ang = 6.2831853f * float(c) / 10.0f, sx = 0.5f + 0.08f * float(c), sy = 0.35f;
        const float u = gauss(seed) * sx, w = gauss(seed) * sy;
        h.base[2 * size_t(i)] = 3.0f * std::cos(ang) + u * std::cos(ang) - w * std::sin(ang);
        h.base[2 * size_t(i) + 1] = 3.0f * std::sin(ang) + u * std::sin(ang) + w * std::cos(ang);
        h.labels[size_t(i)] = c;
    }
    h.imgs.resize(784 * 20);
    for (int k = 0; k < 20; ++k)
        for (int p = 0; p < 784; ++p) {
            const float dx = float(p % 28) - 13.5f, dy = float(p / 28) - 13.5f;
            h.imgs[size_t(k) * 784 + size_t(p)] = std::exp(-0.5f * std::pow((std::sqrt(dx * dx + dy * dy) - 3.0f - float(k % 6)) / 1.2f, 2.0f));
        }
    emscripten_set_main_loop_arg(loop, &h, 0, true);
    return 0;
}
