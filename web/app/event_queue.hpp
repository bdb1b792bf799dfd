// event_queue.hpp: the platform loops' SDL event queue, with InputGate's one-frame hold.
//
// What: EventQueue::feed(handler) polls SDL's events, appends them to the events held from
// the last frame, and hands them to `handler` in order until InputGate (input_gate.hpp) says
// a release must wait for the next frame; the rest is kept for the next feed(). Mouse
// buttons and keys are gated (ids: button number, key code + 1000).
// Why: ImGui 1.86 loses a press and release delivered in one frame (see input_gate.hpp).
// Usage (once per frame, before App::frame()):
//     EventQueue events;
//     events.feed([&](const SDL_Event& e) { if (!app.event(e)) running = false; });
#pragma once

#include "input_gate.hpp"

#include <SDL.h>

#include <cstddef>
#include <deque>

namespace aelab::app {

class EventQueue {
public:
    template <class Handler>
    void feed(Handler&& handler) {
        SDL_Event e;
        while (SDL_PollEvent(&e)) held_.push_back(e);
        InputGate gate;
        std::size_t n = 0;
        for (; n < held_.size(); ++n) {
            const SDL_Event& ev = held_[n];
            InputGate::Kind kind = InputGate::Other;
            int id = 0;
            switch (ev.type) {
                case SDL_MOUSEBUTTONDOWN: kind = InputGate::Press; id = ev.button.button; break;
                case SDL_MOUSEBUTTONUP: kind = InputGate::Release; id = ev.button.button; break;
                case SDL_KEYDOWN: kind = InputGate::Press; id = 1000 + static_cast<int>(ev.key.keysym.scancode); break;
                case SDL_KEYUP: kind = InputGate::Release; id = 1000 + static_cast<int>(ev.key.keysym.scancode); break;
                default: break;
            }
            if (!gate.pass(kind, id)) break;
            handler(ev);
        }
        held_.erase(held_.begin(), held_.begin() + static_cast<std::ptrdiff_t>(n));
    }
    // Events waiting for the next frame.
    std::size_t held() const { return held_.size(); }

private:
    std::deque<SDL_Event> held_;
};

}  // namespace aelab::app
