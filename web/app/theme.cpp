// theme.cpp: see theme.hpp. The colours come from assets/theme/<name>.txt (theme_data.hpp).
#include "theme.hpp"

#include "theme_data.hpp"

namespace aelab::app::theme {
namespace {

ImVec4 vec4(const ThemeColor& c) { return ImVec4(c.r / 255.0f, c.g / 255.0f, c.b / 255.0f, c.a / 255.0f); }
ImU32 u32(const ThemeColor& c) { return IM_COL32(c.r, c.g, c.b, c.a); }

}  // namespace

void apply_style(const char* name) {
    const ThemeColors t = load_theme(name);
    const struct {
        const char* name;
        ImVec4* v;
    } vecs[] = {{"text_dim", &kTextDim}, {"text_good", &kTextGood}, {"text_warn", &kTextWarn},
                {"text_err", &kTextErr}, {"text_bright", &kTextBright}, {"text_brand", &kTextBrand},
                {"text_ae", &kTextAe}, {"text_pca", &kTextPca}, {"button_play", &kButtonPlay},
                {"button_play_hovered", &kButtonPlayHovered}, {"button_current", &kButtonCurrent},
                {"toast_bg", &kToastBg}};
    for (const auto& e : vecs) *e.v = vec4(t.at(e.name));
    const struct {
        const char* name;
        ImU32* u;
    } u32s[] = {{"train", &kTrain}, {"test", &kTest}, {"pca", &kPca}, {"accent", &kAccent},
                {"row_label", &kRowLabel}, {"marker", &kMarker}, {"bar_in_k", &kBarInK}, {"bar_out_k", &kBarOutK},
                {"row_noisy", &kRowNoisy}, {"bar_code", &kBarCode}, {"bar_code_hover", &kBarCodeHover},
                {"target_rate", &kTargetRate}, {"plot_bg", &kPlotBg}, {"plot_grid", &kPlotGrid},
                {"plot_grid_minor", &kPlotGridMinor}, {"plot_text", &kPlotText}, {"plot_axis_title", &kPlotAxisTitle},
                {"plot_frame", &kPlotFrame}, {"plot_cursor", &kPlotCursor}, {"legend_bg", &kLegendBg},
                {"legend_text", &kLegendText}, {"scatter_bg", &kScatterBg}, {"scatter_hover", &kScatterHover},
                {"data_pca_line", &kDataPcaLine}, {"data_pca_plane", &kDataPcaPlane},
                {"data_pca_legend", &kDataPcaLegend}, {"data_decoder", &kDataDecoder},
                {"data_decoder_mesh", &kDataDecoderMesh}, {"data_recon", &kDataRecon},
                {"data_axis_other", &kDataAxisOther}, {"data_legend_text", &kDataLegendText},
                {"data_hint", &kDataHint}, {"canvas_frame", &kCanvasFrame}, {"canvas_hint", &kCanvasHint},
                {"msg_info", &kMsgInfo}, {"msg_warning", &kMsgWarning}, {"msg_error", &kMsgError}};
    for (const auto& e : u32s) *e.u = u32(t.at(e.name));

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
    const struct {
        const char* name;
        ImGuiCol col;
    } cols[] = {{"imgui_window_bg", ImGuiCol_WindowBg}, {"imgui_child_bg", ImGuiCol_ChildBg},
                {"imgui_border", ImGuiCol_Border}, {"imgui_title_bg", ImGuiCol_TitleBg},
                {"imgui_title_bg_active", ImGuiCol_TitleBgActive}, {"imgui_frame_bg", ImGuiCol_FrameBg},
                {"imgui_frame_bg_hovered", ImGuiCol_FrameBgHovered}, {"imgui_frame_bg_active", ImGuiCol_FrameBgActive},
                {"imgui_button", ImGuiCol_Button}, {"imgui_button_hovered", ImGuiCol_ButtonHovered},
                {"imgui_button_active", ImGuiCol_ButtonActive}, {"imgui_header", ImGuiCol_Header},
                {"imgui_header_hovered", ImGuiCol_HeaderHovered}, {"imgui_header_active", ImGuiCol_HeaderActive},
                {"imgui_slider_grab", ImGuiCol_SliderGrab}, {"imgui_slider_grab_active", ImGuiCol_SliderGrabActive},
                {"imgui_check_mark", ImGuiCol_CheckMark}, {"imgui_tab", ImGuiCol_Tab},
                {"imgui_tab_hovered", ImGuiCol_TabHovered}, {"imgui_tab_active", ImGuiCol_TabActive},
                {"imgui_separator", ImGuiCol_Separator}};
    for (const auto& e : cols) s.Colors[e.col] = vec4(t.at(e.name));
}

}  // namespace aelab::app::theme
