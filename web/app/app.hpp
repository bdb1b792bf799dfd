// app.hpp: the playground application, shared by the browser and the desktop.
//
// The app is a set of callbacks; the platform mains (web/main_web.cpp,
// native/main_desktop.cpp) own the window, the GL context and the loop, and call:
//   init(window, gl_context)  once, after the GL context is current
//   event(e)                  for every SDL event
//   frame()                   once per displayed frame (builds the UI and renders it)
//   shutdown()                once, before the GL context goes away
// frame() does not swap buffers: the browser presents implicitly, the desktop main calls
// SDL_GL_SwapWindow (after an optional screenshot).
#pragma once

#include <SDL.h>

#include <cstdint>

namespace aelab::app {

class App {
public:
    bool init(SDL_Window* window, SDL_GLContext gl_context);
    // Returns false when the app wants to quit (window closed).
    bool event(const SDL_Event& e);
    void frame();
    void shutdown();

    std::uint64_t frame_count() const { return frame_count_; }

private:
    SDL_Window* window_ = nullptr;
    std::uint64_t frame_count_ = 0;
    bool initialized_ = false;
};

}  // namespace aelab::app
