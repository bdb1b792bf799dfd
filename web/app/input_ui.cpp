// input_ui.cpp: see input_ui.hpp.
#include "input_ui.hpp"

#include "keys.hpp"
#include "theme.hpp"

#include <imgui.h>
#include <imgui_internal.h>  // HoveredWindow, HoveredIdUsingMouseWheel (1.86)

namespace aelab::app {

namespace {

// The code point of a one-character UTF-8 string; 0 for anything longer or malformed.
unsigned single_code_point(const char* s) {
    const unsigned char c = static_cast<unsigned char>(s[0]);
    return c != 0 && c < 0x80 && s[1] == 0 ? c : 0;
}

}  // namespace

bool HandleShortcut(Controller& ctl, KeysState& st, const SDL_Event& e) {
    if (ImGui::GetCurrentContext() == nullptr) return false;
    // io.WantTextInput is the previous frame's; a text field clicked in the last frame says so
    // only in WantTextInputNextFrame (shortcuts run between frames, and the event queue hands
    // a click's release and the typing after it to the next frame together).
    const bool text_field = ImGui::GetIO().WantTextInput || GImGui->WantTextInputNextFrame > 0;
    if (e.type == SDL_KEYDOWN && e.key.keysym.sym == SDLK_ESCAPE && st.overlay && !text_field) {
        st.overlay = false;
        return true;
    }
    if (e.type != SDL_TEXTINPUT) return false;
    const KeyAction a = key_action(single_code_point(e.text.text), text_field);
    if (a.kind == KeyAction::None) return false;
    if (a.kind == KeyAction::Help) st.overlay = !st.overlay;
    else run_key(ctl, a, st.armed);
    return true;
}

void ShowKeysOverlay(KeysState& st) {
    if (!st.overlay) return;
    const ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, io.DisplaySize.y * 0.5f), ImGuiCond_Always,
                            ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowBgAlpha(0.96f);
    ImGui::SetNextWindowFocus();
    if (ImGui::Begin("Keys", &st.overlay,
                     ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings |
                         ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoMove)) {
        ImGui::TextColored(theme::kTextDim, "Not while a text field has the keyboard.");
        // Two columns by hand: ImGui's tables would add ~40 kB to the page's wasm (nothing else
        // uses them).
        const float col = ImGui::CalcTextSize("Space").x + ImGui::GetStyle().ItemSpacing.x * 3;
        for (const auto& [keys, what] : key_help()) {
            ImGui::TextColored(theme::kTextAe, "%s", keys.c_str());
            ImGui::SameLine(col);
            ImGui::TextUnformatted(what.c_str());
        }
        if (ImGui::Button("Close (? or Esc)")) st.overlay = false;
    }
    ImGui::End();
}

bool PointerWantsWheel() {
    ImGuiContext* g = ImGui::GetCurrentContext();
    if (g == nullptr) return false;
    if (g->HoveredIdUsingMouseWheel) return true;  // this frame's hovered widget took it
    // ImGui scrolls the hovered window, or the first parent that scrolls (child windows).
    for (ImGuiWindow* w = g->HoveredWindow; w != nullptr; w = w->ParentWindow) {
        if (!(w->Flags & ImGuiWindowFlags_NoScrollWithMouse) && !(w->Flags & ImGuiWindowFlags_NoMouseInputs) &&
            w->ScrollMax.y > 0.0f)
            return true;
        if (!(w->Flags & ImGuiWindowFlags_ChildWindow)) break;
    }
    return false;
}

}  // namespace aelab::app
