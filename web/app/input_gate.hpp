// input_gate.hpp: hands input events to ImGui so that no press and its release share a frame.
//
// What: the platform loops (web/main_web.cpp, native/main_desktop.cpp) collect a frame's
// events and ask InputGate, in order, whether each may go to the app this frame. A release
// (mouse button or key up) whose press went in during the same frame is held back, and so is
// everything after it (order kept); the held events go first in the next frame, where the
// release is then fine. Other events always pass.
// Why: ImGui 1.86 has no input queue: it samples the button state once per frame, so a press
// and its release inside one frame (a quick click or tap, a browser that delivers both in one
// task) never make a click, and tabs ignored quick clicks. 1.87 added a queue; until then
// the loops spread such pairs over two frames. Header-only and without SDL so that the unit
// tests (native and WASM) cover the rule (tests/unit/test_keys.cpp).
// Usage (event_queue.hpp does this with SDL events):
//     InputGate gate;                                  // one per frame
//     for (each event in order)
//         if (!gate.pass(kind, id)) { hold it and every later event for the next frame; break; }
#pragma once

#include <vector>

namespace aelab::app {

class InputGate {
public:
    enum Kind { Other, Press, Release };
    // True when the event (kind, id: mouse button or key code) may be handed over now; false
    // for a release whose press passed earlier in this frame. After a false, the caller
    // holds this and every later event until the next frame (a new InputGate).
    bool pass(Kind kind, int id) {
        if (kind == Press) {
            pressed_.push_back(id);
        } else if (kind == Release) {
            for (int p : pressed_)
                if (p == id) return false;
        }
        return true;
    }

private:
    std::vector<int> pressed_;  // ids pressed this frame
};

}  // namespace aelab::app
