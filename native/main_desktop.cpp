// main_desktop.cpp: desktop entry of the playground. SDL2 window + OpenGL 3.3 core context,
// the same aelab::app::App as the browser.
//
// Usage: aelab_desktop [--frames N] [--screenshot out.png] [--size WxH]
//   --frames N          quit after N frames (default: run until the window is closed)
//   --screenshot FILE   with --frames: save the last frame as PNG (glReadPixels)
//   --size WxH          window size in pixels (default 1280x800)
// The smoke test runs it under Xvfb: xvfb-run -s "-screen 0 1280x800x24" aelab_desktop
//   --frames 60 --screenshot artifacts/desktop/smoke.png
#include "app/app.hpp"
#include "app/gl.hpp"

#include <SDL.h>

#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct Options {
    long frames = -1;
    std::string screenshot;
    int width = 1280, height = 800;
};

[[noreturn]] void usage(const char* msg) {
    std::fprintf(stderr, "aelab_desktop: %s\nusage: aelab_desktop [--frames N] [--screenshot out.png] [--size WxH]\n", msg);
    std::exit(2);
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> const char* {
            if (i + 1 >= argc) usage(("missing value after " + a).c_str());
            return argv[++i];
        };
        if (a == "--frames") {
            char* end = nullptr;
            o.frames = std::strtol(value(), &end, 10);
            if (!end || *end || o.frames <= 0) usage("--frames wants a positive integer");
        } else if (a == "--screenshot") {
            o.screenshot = value();
        } else if (a == "--size") {
            if (std::sscanf(value(), "%dx%d", &o.width, &o.height) != 2 || o.width <= 0 || o.height <= 0)
                usage("--size wants WxH");
        } else if (a == "--help" || a == "-h") {
            usage("help");
        } else {
            usage(("unknown argument " + a).c_str());
        }
    }
    if (!o.screenshot.empty() && o.frames < 0) usage("--screenshot needs --frames");
    return o;
}

// Reads the back buffer (the frame just rendered, before the swap) and writes a PNG.
bool save_screenshot(SDL_Window* window, const std::string& path) {
    int w = 0, h = 0;
    SDL_GL_GetDrawableSize(window, &w, &h);
    std::vector<unsigned char> pixels(static_cast<size_t>(w) * h * 4);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
    stbi_flip_vertically_on_write(1);  // GL's origin is bottom-left, PNG's is top-left
    return stbi_write_png(path.c_str(), w, h, 4, pixels.data(), w * 4) != 0;
}

}  // namespace

int main(int argc, char** argv) {
    const Options opt = parse(argc, argv);
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
        std::fprintf(stderr, "SDL_Init: %s\n", SDL_GetError());
        return 1;
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, SDL_GL_CONTEXT_FORWARD_COMPATIBLE_FLAG);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 24);
    SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 8);

    SDL_Window* window = SDL_CreateWindow("aelab", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                          opt.width, opt.height,
                                          SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (!window) {
        std::fprintf(stderr, "SDL_CreateWindow: %s\n", SDL_GetError());
        return 1;
    }
    SDL_GLContext gl = SDL_GL_CreateContext(window);
    if (!gl) {
        std::fprintf(stderr, "SDL_GL_CreateContext (OpenGL 3.3 core): %s\n", SDL_GetError());
        return 1;
    }
    SDL_GL_MakeCurrent(window, gl);
    SDL_GL_SetSwapInterval(opt.frames > 0 ? 0 : 1);  // smoke runs go as fast as they can

    aelab::app::App app;
    if (!app.init(window, gl)) {
        std::fprintf(stderr, "app init failed\n");
        return 1;
    }
    int rc = 0;
    bool running = true;
    while (running) {
        SDL_Event e;
        while (SDL_PollEvent(&e))
            if (!app.event(e)) running = false;
        app.frame();
        const bool last = opt.frames > 0 && static_cast<long>(app.frame_count()) >= opt.frames;
        if (last && !opt.screenshot.empty()) {
            if (save_screenshot(window, opt.screenshot)) {
                std::printf("screenshot: %s\n", opt.screenshot.c_str());
            } else {
                std::fprintf(stderr, "could not write %s\n", opt.screenshot.c_str());
                rc = 1;
            }
        }
        SDL_GL_SwapWindow(window);
        if (last) running = false;
    }
    std::printf("frames: %llu\n", static_cast<unsigned long long>(app.frame_count()));
    app.shutdown();
    SDL_GL_DeleteContext(gl);
    SDL_DestroyWindow(window);
    SDL_Quit();
    return rc;
}
