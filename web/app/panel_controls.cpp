// panel_controls.cpp: the control column (see panels.hpp): presets, training, data, model
// (its section is in panel_model.cpp),
// optimizer, model file, share / embed, messages. Settings are edited in place
// (Controller::settings_mut()); the controller rebuilds or keeps the model next frame.
// The activation / optimizer / loss / noise / sparsity lists come from core's tables
// (all_activations(), all_optimizers(), all_losses(), all_noises(), all_sparsities()).
#include "controls_util.hpp"
#include "layout.hpp"
#include "help.hpp"
#include "panels.hpp"
#include "safety.hpp"
#include "theme.hpp"
#include "widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace aelab::app {

void ShowTrainingButtons(Controller& ctl) {
    const float bw = ImGui::GetFontSize() * 4.2f;
    if (!ctl.ready()) {  // nothing can train yet: say why instead of a Pause that pauses nothing
        ImGui::BeginDisabled();
        ImGui::Button("Play", ImVec2(bw, 0));
        ImGui::EndDisabled();
        ImGui::SameLine();
        ImGui::TextColored(theme::kTextDim, "%s", ctl.loading() ? "loading data ..." : "preparing ...");
        return;
    }
    if (ctl.playing()) {
        if (ImGui::Button("Pause", ImVec2(bw, 0))) ctl.set_playing(false);
        Tip("train.play");
    } else {
        ImGui::PushStyleColor(ImGuiCol_Button, theme::kButtonPlay);
        ImGui::PushStyleColor(ImGuiCol_ButtonHovered, theme::kButtonPlayHovered);
        if (ImGui::Button("Play", ImVec2(bw, 0))) ctl.set_playing(true);
        ImGui::PopStyleColor(2);
        Tip("train.play");
    }
    ImGui::SameLine();
    if (ImGui::Button("Step", ImVec2(bw, 0))) ctl.step_once();
    Tip("train.step");
    ImGui::SameLine();
    if (ImGui::Button("Reset", ImVec2(bw, 0))) ctl.reset();
    Tip("train.reset");
}

void ShowMessages(Controller& ctl, bool compact) {
    const auto& messages = ctl.messages();
    if (messages.empty()) return;
    ImGui::PushTextWrapPos(0.0f);
    int remove = -1;
    const int first = compact ? std::max(0, static_cast<int>(messages.size()) - 2) : 0;
    for (int i = static_cast<int>(messages.size()) - 1; i >= first; --i) {
        const Message& m = messages[i];
        ImGui::PushID(i);
        if (ImGui::SmallButton("x")) remove = i;
        ImGui::SameLine();
        ImGui::TextColored(m.error ? theme::kTextErr : theme::kTextDim, "%s", m.text.c_str());
        ImGui::PopID();
    }
    ImGui::PopTextWrapPos();
    if (remove >= 0) ctl.remove_message(static_cast<std::size_t>(remove));
}

void ShowPresetsSection(PanelContext& cx) {
    if (!ImGui::CollapsingHeader("Presets", ImGuiTreeNodeFlags_DefaultOpen)) return;
    const float full = ImGui::GetContentRegionAvail().x;
    for (const Preset& p : presets()) {
        const bool cur = cx.ctl.settings().preset == p.key;
        if (cur) ImGui::PushStyleColor(ImGuiCol_Button, theme::kButtonCurrent);
        if (ImGui::Button(p.title.c_str(), ImVec2(full, 0))) cx.ctl.load_preset(p);
        if (cur) ImGui::PopStyleColor();
        if (cx.clips)
            cx.clips->check("preset:" + p.key, ImGui::CalcTextSize(p.title.c_str()).x,
                            full - 2 * ImGui::GetStyle().FramePadding.x);
        if (ImGui::IsItemHovered()) TooltipWrapped(p.description.c_str(), 28);
    }
    if (const Preset* p = find_preset(cx.ctl.settings().preset)) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextColored(theme::kTextDim, "%s", p->description.c_str());
        if (p->key == "linear-mnist") ImGui::TextColored(theme::kTextWarn, "Next: press \"Nonlinear beats linear\".");
        ImGui::PopTextWrapPos();
    }
}

void ShowTrainingSection(PanelContext& cx) {
    if (!ImGui::CollapsingHeader("Training", ImGuiTreeNodeFlags_DefaultOpen)) return;
    const float full = ImGui::GetContentRegionAvail().x;
    Settings& s = cx.ctl.settings_mut();
    ShowTrainingButtons(cx.ctl);
    ShowTrainingWarning(cx.ctl);
    // The cap, and what really runs: the time budget usually stops a frame's training first.
    ImGui::SetNextItemWidth(full * 0.45f);
    if (ImGui::SliderInt("##speed", &s.speed, 1, 100000, "max %d", ImGuiSliderFlags_Logarithmic))
        s.speed = std::clamp(s.speed, 1, 100000);
    Tip("train.speed");
    ImGui::SameLine();
    if (cx.ctl.playing() && cx.stats.steps_per_frame > 0)
        ImGui::TextColored(theme::kTextDim, "steps/frame (%.0f run)", cx.stats.steps_per_frame);
    else
        ImGui::TextColored(theme::kTextDim, "steps/frame");
    float budget = static_cast<float>(s.budget_ms);
    ImGui::SetNextItemWidth(full * 0.45f);
    if (ImGui::SliderFloat("ms/frame", &budget, 1, 40, "%.0f ms")) s.budget_ms = std::round(budget);
    Tip("train.budget");
    if (cx.ctl.ready()) {
        const Session& se = cx.ctl.session();
        ImGui::TextColored(theme::kTextDim, "step %ld   epoch %.2f", se.total_steps(), se.total_epoch());
        if (se.pretrainer()) {  // layer-wise pretraining: which layer trains now
            ImGui::PushTextWrapPos(0.0f);
            ImGui::TextColored(se.pretraining() ? theme::kTextWarn : theme::kTextDim, "%s", se.phase_label().c_str());
            ImGui::PopTextWrapPos();
        }
        ImGui::TextColored(theme::kTextDim, "%.0f steps/s   %.0f samples/s", cx.stats.steps_per_sec,
                           cx.stats.samples_per_sec);
    }
}

void ShowYourData(PanelContext& cx, float full);  // panel_userdata.cpp

void ShowDataSection(PanelContext& cx) {
    if (!ImGui::CollapsingHeader("Data", ImGuiTreeNodeFlags_DefaultOpen)) return;
    const float full = ImGui::GetContentRegionAvail().x;
    Controller& ctl = cx.ctl;
    int d = static_cast<int>(ctl.settings().dataset);
    // The built-in sets, and "Your data" once a file was loaded.
    const int n = ctl.has_user_data() ? kNumDatasetKinds : kNumDatasets;
    const char* labels[kNumDatasetKinds];
    for (int i = 0; i < n; ++i) labels[i] = dataset_label(static_cast<DatasetKind>(i));
    ImGui::SetNextItemWidth(full);
    if (ImGui::Combo("##dataset", &d, labels, n)) ctl.choose_dataset(static_cast<DatasetKind>(d));
    Tip("data.set");
    const Session& se = ctl.session();
    if (se.has_data() && se.kind() == ctl.settings().dataset) {
        const DataBundle& b = se.data();
        ImGui::TextColored(theme::kTextDim, "%lld train / %lld test, %d-D", static_cast<long long>(b.train.size()),
                           static_cast<long long>(b.test.size()), se.dim());
        if (is_table_dataset(se.kind())) TextWrappedColored(theme::kTextDim, b.source.c_str());
    } else if (ctl.loading()) {
        ImGui::TextColored(theme::kTextWarn, "loading %s ...", dataset_label(ctl.loading_kind()));
    }
    ShowYourData(cx, full);
}

void ShowOptimizerSection(PanelContext& cx) {
    if (!ImGui::CollapsingHeader("Optimizer", ImGuiTreeNodeFlags_DefaultOpen)) return;
    const float full = ImGui::GetContentRegionAvail().x;
    Settings& s = cx.ctl.settings_mut();
    ImGui::SetNextItemWidth(full * 0.5f);
    if (EnumCombo("optimizer", &s.opt, all_optimizers(), [](OptimizerKind o) { return optimizer_label(o); })) {
        s.lr = OptimizerConfig::defaults_for(s.opt).lr;
        s.preset.clear();
    }
    Tip("opt.optimizer");
    // Logarithmic (LogScale{kLrMin, kLrMax}, safety.hpp): each sixth of the slider is a
    // decade; ctrl-click or double-click to type a value. The format's precision matters:
    // ImGui 1.86's log slider treats values below 0.1^precision as its minimum, so "%.2g"
    // made this a 0.01 .. 1 slider (the old 45 px drag from 0.002 to 0.048); "%.6g" keeps
    // the whole 1e-5 .. 10 range logarithmic.
    float lr = static_cast<float>(s.lr);
    const float lr_w = std::floor(full * 0.6f);
    ImGui::SetNextItemWidth(lr_w);
    if (ImGui::SliderFloat("learning rate", &lr, static_cast<float>(kLrMin), static_cast<float>(kLrMax), "%.6g",
                           ImGuiSliderFlags_Logarithmic)) {
        s.lr = round_sig(std::clamp(static_cast<double>(lr), kLrMin, kLrMax), 3);
        s.preset.clear();
    }
    Tip("opt.lr");
    {  // the slider's frame alone (the item rect includes the label): for the browser test
        const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
        note_item("opt.lr.frame", a.x, a.y, a.x + lr_w, b.y);
    }
    ImGui::SetNextItemWidth(full * 0.6f);
    if (ImGui::SliderInt("batch size", &s.batch, 1, 1024, "%d", ImGuiSliderFlags_Logarithmic)) {
        s.batch = std::clamp(s.batch, 1, 1024);
        s.preset.clear();
    }
    Tip("opt.batch");
    if (s.opt == OptimizerKind::MonteCarlo) ShowMcSettings(cx);
    TextWrappedColored(theme::kTextDim, "lr / optimizer / batch changes keep the weights");
}

void ShowFileSection(PanelContext& cx, ControlsState& st) {
    if (!ImGui::CollapsingHeader("Model file", ImGuiTreeNodeFlags_DefaultOpen)) return;
    const float full = ImGui::GetContentRegionAvail().x;
    Controller& ctl = cx.ctl;
    const bool browser = ctl.platform().browser;
    if (!browser) {
        ImGui::SetNextItemWidth(full);
        if (ImGui::InputText("##path", st.path, sizeof st.path)) ctl.model_path = st.path;
    }
    const float bw = (full - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
    ImGui::BeginDisabled(!ctl.ready());
    if (ImGui::Button(browser ? "Save (download)" : "Save", ImVec2(bw, 0))) ctl.save_model_file();
    ImGui::EndDisabled();
    Tip("file.save");
    ImGui::SameLine();
    if (ImGui::Button(browser ? "Load (upload)" : "Load", ImVec2(bw, 0))) ctl.load_model_file();
    Tip("file.load");
    ImGui::TextColored(theme::kTextDim, ".aelab files up to %d MB", static_cast<int>(kMaxModelFileBytes >> 20));
}

void ShowShareSection(PanelContext& cx) {
    if (!ImGui::CollapsingHeader("Share / embed")) return;
    const float full = ImGui::GetContentRegionAvail().x;
    const ImGuiStyle& sty = ImGui::GetStyle();
    Controller& ctl = cx.ctl;
    Settings& s = ctl.settings_mut();
    const std::string url = share_url(ctl.platform().page_url, cx.query);
    const std::string iframe = iframe_snippet(url, 800, 500);
    auto copy = [&](const std::string& text, const char* what) {
        if (ctl.platform().copy_text) ctl.platform().copy_text(text);
        else ImGui::SetClipboardText(text.c_str());
        ctl.say(std::string("copied ") + what + " to the clipboard");
    };
    TextWrappedColored(theme::kTextDim, "This state's address (the page URL follows it):");
    static char ubuf[2048];
    std::snprintf(ubuf, sizeof ubuf, "%s", url.c_str());
    ImGui::SetNextItemWidth(full);
    ImGui::InputText("##share_url", ubuf, sizeof ubuf, ImGuiInputTextFlags_ReadOnly);
    const float bw = (full - sty.ItemSpacing.x) * 0.5f;
    if (ImGui::Button("Copy URL", ImVec2(bw, 0))) copy(url, "the URL");
    ImGui::SameLine();
    if (ImGui::Button("Copy iframe", ImVec2(bw, 0))) copy(iframe, "the <iframe> snippet");
    if (ImGui::IsItemHovered()) TooltipWrapped(iframe.c_str(), 30);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(theme::kTextDim, "%s", iframe.c_str());
    ImGui::PopTextWrapPos();
    // One panel only (panel=) and the layout (layout=): for embeds.
    const char* solo = s.panel ? panel_key(static_cast<Panel>(s.panel)) : "all panels";
    ImGui::SetNextItemWidth(full * 0.5f);
    if (ImGui::BeginCombo("show", solo)) {
        if (ImGui::Selectable("all panels", s.panel == 0)) s.panel = 0;
        for (Panel p : all_panels())
            if (p != kPanelControls && ImGui::Selectable(panel_key(p), s.panel == p)) s.panel = p;
        ImGui::EndCombo();
    }
    ImGui::SetNextItemWidth(full * 0.5f);
    int mode = static_cast<int>(s.layout);
    const char* modes[] = {"auto", "grid", "tabs"};
    if (ImGui::Combo("layout", &mode, modes, 3)) s.layout = static_cast<LayoutMode>(mode);
    // The hide checkboxes wrap onto as many lines as the column needs.
    ImGui::TextColored(theme::kTextDim, "show these panels:");
    float x = 0;
    bool first = true;
    for (Panel p : all_panels()) {
        if (p == kPanelControls) continue;
        const float w = ImGui::GetFrameHeight() + sty.ItemInnerSpacing.x + ImGui::CalcTextSize(panel_key(p)).x;
        if (!first && x + sty.ItemSpacing.x + w <= full) {
            ImGui::SameLine();
            x += sty.ItemSpacing.x + w;
        } else {
            x = w;
        }
        first = false;
        bool shown = !(s.hide & p);
        if (ImGui::Checkbox(panel_key(p), &shown)) s.hide = shown ? s.hide & ~p : s.hide | p;
    }
    if (ImGui::Button("Hide this column (hide=controls)", ImVec2(full, 0))) s.hide |= kPanelControls;
    if (ImGui::IsItemHovered())
        TooltipWrapped("Lecture mode: the panels take the whole page; the toolbar's \"Show controls\" brings the column back.", 28);
}

void ShowControls(PanelContext& cx, ControlsState& st) {
    ImGui::TextColored(theme::kTextBrand, "aelab");
    ImGui::SameLine();
    ImGui::TextColored(theme::kTextDim, "autoencoders vs PCA, live");
    // The frame rate at the right, when the column has room for it (not over the subtitle).
    const float fps_x = ImGui::GetContentRegionMax().x - ImGui::CalcTextSize("000 fps").x;
    ImGui::SameLine();
    if (ImGui::GetCursorPosX() <= fps_x) {
        ImGui::SameLine(fps_x);
        ImGui::TextColored(theme::kTextDim, "%3.0f fps", cx.stats.fps);
    } else {
        ImGui::NewLine();
    }
    ImGui::Separator();
    PushReadableSliders();
    ShowPresetsSection(cx);
    ShowTrainingSection(cx);
    ShowDataSection(cx);
    ShowModelSection(cx, st);
    ShowOptimizerSection(cx);
    ShowFileSection(cx, st);
    PopReadableSliders();
    ShowRebuildConfirm(cx.ctl);
    ShowShareSection(cx);
    ImGui::Separator();
    ShowMessages(cx.ctl, false);
}

}  // namespace aelab::app
