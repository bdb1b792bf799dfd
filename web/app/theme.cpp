// theme.cpp: see theme.hpp.
#include "theme.hpp"

namespace aelab::app::theme {

void apply_style() {
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

}  // namespace aelab::app::theme
