// main_web.cpp: browser entry. SDL2 (built from Debian's source for Emscripten) gives the
// window and a WebGL2 (OpenGL ES 3.0) context on #canvas; the browser drives the loop
// through emscripten_set_main_loop_arg and presents each frame itself.
#include "app/app.hpp"
#include "app/gl.hpp"

#include <SDL.h>
#include <emscripten.h>
#include <emscripten/html5.h>

#include <cstdio>

namespace {

struct WebHost {
    SDL_Window* window = nullptr;
    SDL_GLContext gl = nullptr;
    aelab::app::App app;
    int css_w = 0, css_h = 0;
};

// The page lays the canvas over the whole window (CSS); keep SDL's window size (CSS
// pixels) in step with it. SDL_WINDOW_ALLOW_HIGHDPI scales the drawing buffer by
// devicePixelRatio, so text stays sharp on HiDPI screens.
void sync_size(WebHost& h) {
    const int w = EM_ASM_INT({ return window.innerWidth; });
    const int hh = EM_ASM_INT({ return window.innerHeight; });
    if (w > 0 && hh > 0 && (w != h.css_w || hh != h.css_h)) {
        h.css_w = w;
        h.css_h = hh;
        SDL_SetWindowSize(h.window, w, hh);
    }
}

void loop(void* arg) {
    auto& h = *static_cast<WebHost*>(arg);
    sync_size(h);
    SDL_Event e;
    while (SDL_PollEvent(&e)) h.app.event(e);
    h.app.frame();
}

}  // namespace

int main() {
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
        std::fprintf(stderr, "SDL_Init: %s\n", SDL_GetError());
        return 1;
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
    SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);

    static WebHost host;  // outlives main(): the browser keeps calling loop()
    host.css_w = EM_ASM_INT({ return window.innerWidth; });
    host.css_h = EM_ASM_INT({ return window.innerHeight; });
    host.window = SDL_CreateWindow("aelab", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED,
                                   host.css_w > 0 ? host.css_w : 1280,
                                   host.css_h > 0 ? host.css_h : 800,
                                   SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (!host.window) {
        std::fprintf(stderr, "SDL_CreateWindow: %s\n", SDL_GetError());
        return 1;
    }
    host.gl = SDL_GL_CreateContext(host.window);
    if (!host.gl) {
        std::fprintf(stderr, "SDL_GL_CreateContext (WebGL2): %s\n", SDL_GetError());
        return 1;
    }
    SDL_GL_MakeCurrent(host.window, host.gl);
    if (!host.app.init(host.window, host.gl)) {
        std::fprintf(stderr, "app init failed\n");
        return 1;
    }
    emscripten_set_main_loop_arg(loop, &host, 0, true);
    return 0;
}
