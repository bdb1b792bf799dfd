// input_ui.hpp: keyboard shortcuts, the keys overlay and the wheel question, on ImGui + SDL.
//
// What: HandleShortcut() turns an SDL_TEXTINPUT event into keys.hpp's action (nothing while
// an ImGui text field has the keyboard: io.WantTextInput) and runs it on the Controller, or
// toggles the keys overlay for '?'; Escape also closes the overlay. ShowKeysOverlay() draws
// the overlay (key_help()'s rows) in the middle of the window. PointerWantsWheel() says,
// after a frame, whether the mouse wheel at the pointer scrolls or zooms something: a
// widget that took the wheel (SetItemUsingMouseWheel: the scatter plots' zoom) or a window
// under the pointer that scrolls with the wheel (the control column when it overflows, an
// open combo list).
// Why: the same keys on the desktop and in the page; the page lets wheel events it does not
// need go to the browser (an embedding course page then scrolls, web/index.html).
// Usage (app.cpp): App::event: HandleShortcut(ctl, keys, e); App::frame, before Render:
// ShowKeysOverlay(keys). Browser main, after App::frame(): PointerWantsWheel().
#pragma once

#include "controller.hpp"
#include "keys.hpp"

#include <SDL.h>

namespace aelab::app {

struct KeysState {
    bool overlay = false;  // the keys overlay is shown
    KeyAction armed;       // R / 1-9 pressed once on a model worth keeping (keys.hpp)
};

// True when the event was a shortcut (and was acted on).
bool HandleShortcut(Controller& ctl, KeysState& st, const SDL_Event& e);
void ShowKeysOverlay(KeysState& st);
bool PointerWantsWheel();

}  // namespace aelab::app
