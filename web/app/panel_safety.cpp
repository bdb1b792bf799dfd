// panel_safety.cpp: the safe controls' UI (see panels.hpp): the training watch's warning
// with "undo to last good" (Controller::watch(), undo_to_good()) and the "rebuild / keep
// model" question before a shape change discards a trained or loaded model
// (Controller::confirm_pending(), answer_rebuild()). The rules are in safety.hpp and the
// controller, unit-tested; this file only draws them.
#include "panels.hpp"
#include "theme.hpp"
#include "widgets.hpp"

#include <imgui.h>

#include <string>

namespace aelab::app {

void ShowTrainingWarning(Controller& ctl) {
    const TrainingWatch& w = ctl.watch();
    if (!w.shown()) return;
    const bool diverged = w.state() == WatchState::Diverged;
    ImGui::PushStyleColor(ImGuiCol_ChildBg, diverged ? ImVec4(0.35f, 0.08f, 0.08f, 0.9f) : ImVec4(0.32f, 0.24f, 0.05f, 0.9f));
    ImGui::PushID("training-warning");
    const float full = ImGui::GetContentRegionAvail().x;
    // Height: the wrapped message plus one row of buttons.
    const std::string msg = w.message();
    ImGui::PushTextWrapPos(0.0f);
    const float th = ImGui::CalcTextSize(msg.c_str(), nullptr, false, full - 16).y;
    ImGui::PopTextWrapPos();
    const float h = th + ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().WindowPadding.y * 2 + 4;
    if (ImGui::BeginChild("##warn", ImVec2(full, h), false, ImGuiWindowFlags_NoScrollbar)) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextColored(diverged ? theme::kTextErr : theme::kTextWarn, "%s", msg.c_str());
        ImGui::PopTextWrapPos();
        ImGui::BeginDisabled(!w.can_undo());
        if (ImGui::Button("Undo to last good")) ctl.undo_to_good();
        ImGui::EndDisabled();
        Tip("guard.undo");
        ImGui::SameLine();
        if (ImGui::Button("Dismiss")) ctl.dismiss_warning();
        Tip("guard.dismiss");
    }
    ImGui::EndChild();
    ImGui::PopID();
    ImGui::PopStyleColor();
}

void ShowRebuildConfirm(Controller& ctl) {
    const char* title = "Build a new model?";
    if (ctl.confirm_pending() && !ImGui::IsPopupOpen(title)) ImGui::OpenPopup(title);
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (!ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings))
        return;
    if (!ctl.confirm_pending()) {  // answered elsewhere (a command, a preset)
        ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
        return;
    }
    const Session& se = ctl.session();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 26);
    if (ctl.model_from_file())
        ImGui::Text("The model loaded from a file (step %ld) would be replaced by a new one.", se.total_steps());
    else
        ImGui::Text("This shape change builds a new model: the current one (step %ld) and its loss history "
                    "are discarded.", se.total_steps());
    ImGui::PopTextWrapPos();
    ImGui::Spacing();
    const float bw = ImGui::GetFontSize() * 8;
    if (ImGui::Button("Rebuild", ImVec2(bw, 0))) {
        ctl.answer_rebuild(true);
        ImGui::CloseCurrentPopup();
    }
    Tip("confirm.rebuild");
    ImGui::SameLine();
    if (ImGui::Button("Keep model", ImVec2(bw, 0))) {
        ctl.answer_rebuild(false);
        ImGui::CloseCurrentPopup();
    }
    Tip("confirm.keep");
    ImGui::EndPopup();
}

}  // namespace aelab::app
