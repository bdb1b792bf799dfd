// panel_controls.cpp: the control column (see panels.hpp): presets, training, data, model,
// optimizer, model file, share / embed, messages. Settings are edited in place
// (Controller::settings_mut()); the controller rebuilds or keeps the model next frame.
// The activation / optimizer / loss / noise / sparsity lists come from core's tables
// (all_activations(), all_optimizers(), all_losses(), all_noises(), all_sparsities()).
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
namespace {

double round_sig(double x, int digits) {
    if (!(x > 0) || !std::isfinite(x)) return x;
    const double m = std::pow(10.0, digits - 1 - std::floor(std::log10(x)));
    return std::round(x * m) / m;
}

// A combo over `items` (shown by name()); returns true when the user picked another one.
template <class T, class NameFn>
bool EnumCombo(const char* label, T* value, const std::vector<T>& items, NameFn name, const char* preview = nullptr) {
    bool changed = false;
    if (ImGui::BeginCombo(label, preview ? preview : name(*value))) {
        for (const T& it : items)
            if (ImGui::Selectable(name(it), !preview && it == *value)) {
                changed = it != *value || preview != nullptr;
                *value = it;
            }
        ImGui::EndCombo();
    }
    return changed;
}

std::string loss_label(ReconLoss l) {
    std::string s = loss_name(l);
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return l == ReconLoss::BCE ? s + " (sigmoid output)" : s;
}

}  // namespace

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
    } else if (ctl.loading()) {
        ImGui::TextColored(theme::kTextWarn, "loading %s ...", dataset_label(ctl.loading_kind()));
    }
    ShowYourData(cx, full);
}

namespace {

// Hidden widths: edited in st.width_edit, committed when the slider is released.
void ShowHiddenLayers(Settings& s, ControlsState& st, float full, int dim) {
    if (st.width_edit.size() != s.hidden.size() || !ImGui::IsAnyItemActive()) st.width_edit = s.hidden;
    ImGui::TextColored(theme::kTextDim, "hidden layers (decoder mirrors them)");
    int remove = -1;
    for (size_t i = 0; i < st.width_edit.size(); ++i) {
        ImGui::PushID(static_cast<int>(i));
        // Value inside the slider, "layer i" as its label on the right (like the other
        // controls), then the remove button.
        char lab[32];
        std::snprintf(lab, sizeof lab, "layer %d", static_cast<int>(i) + 1);
        const ImGuiStyle& sty = ImGui::GetStyle();
        const float lw = ImGui::CalcTextSize(lab).x + sty.ItemInnerSpacing.x;
        ImGui::SetNextItemWidth(std::max(40.0f, full - ImGui::GetFrameHeight() - sty.ItemSpacing.x - lw));
        ImGui::SliderInt(lab, &st.width_edit[i], 1, 512, "%d", ImGuiSliderFlags_Logarithmic);
        Tip("model.hidden");
        if (ImGui::IsItemDeactivatedAfterEdit()) {
            s.hidden = st.width_edit;
            s.preset.clear();
        }
        ImGui::SameLine();
        if (ImGui::Button("-", ImVec2(ImGui::GetFrameHeight(), 0))) remove = static_cast<int>(i);
        Tip("model.remove");
        ImGui::PopID();
    }
    if (remove >= 0) {
        s.hidden.erase(s.hidden.begin() + remove);
        s.acts.erase(s.acts.begin() + remove);
        s.acts.erase(s.acts.end() - 1 - remove);
        s.fit_acts();
        s.preset.clear();
    }
    const bool add = static_cast<int>(s.hidden.size()) < kMaxHiddenLayers && ImGui::Button("+ hidden layer", ImVec2(full, 0));
    if (static_cast<int>(s.hidden.size()) < kMaxHiddenLayers) Tip("model.add");
    if (add) {
        const int w = s.hidden.empty() ? (dim > 100 ? 128 : 16) : std::max(2, s.hidden.back() / 2);
        const Activation a = s.acts.empty() ? Activation::ELU : s.acts.front();
        s.hidden.push_back(w);
        s.acts.assign(2 * s.hidden.size(), a);
        s.preset.clear();
    }
}

void ShowActivations(Settings& s, float full) {
    const auto name = [](Activation a) { return activation_name(a); };
    if (!s.hidden.empty()) {
        Activation a = s.acts.empty() ? Activation::ReLU : s.acts.front();
        ImGui::SetNextItemWidth(full * 0.5f);
        if (EnumCombo("hidden act", &a, all_activations(), name, s.all_acts_equal() ? nullptr : "(per layer)")) {
            s.set_all_acts(a);
            s.preset.clear();
        }
        Tip("model.hidden_act");
        const bool open = ImGui::TreeNode("per layer");
        Tip("model.per_layer");
        if (open) {
            const int nh = static_cast<int>(s.hidden.size());
            for (int i = 0; i < 2 * nh; ++i) {
                ImGui::PushID(100 + i);
                char lab[48];
                std::snprintf(lab, sizeof lab, i < nh ? "enc %d (%d)" : "dec %d (%d)", i < nh ? i + 1 : i - nh + 1,
                              i < nh ? s.hidden[i] : s.hidden[2 * nh - 1 - i]);
                ImGui::SetNextItemWidth(full * 0.45f);
                if (EnumCombo(lab, &s.acts[i], all_activations(), name)) s.preset.clear();
                Tip("model.hidden_act");
                ImGui::PopID();
            }
            ImGui::TreePop();
        }
    }
    ImGui::SetNextItemWidth(full * 0.5f);
    if (EnumCombo("code act", &s.code_act, all_activations(), name)) s.preset.clear();
    Tip("model.code_act");
    // The output layer: the activations core accepts there (linear or sigmoid).
    std::vector<Activation> outs;
    for (Activation a : all_activations())
        if (a == Activation::Identity || a == Activation::Sigmoid) outs.push_back(a);
    ImGui::SetNextItemWidth(full * 0.5f);
    if (EnumCombo("output act", &s.out_act, outs, name)) {
        if (s.out_act != Activation::Sigmoid) s.loss = ReconLoss::MSE;
        s.preset.clear();
    }
    Tip("model.out_act");
}

// The combos' labels of noise and sparsity kinds are core's noise_label / sparsity_label.

// A typical level for a newly chosen corruption (the course's: Gaussian 0.2, dropout 0.5).
double default_noise_level(Noise n) {
    switch (n) {
        case Noise::Gaussian: return 0.2;
        case Noise::Dropout: return 0.5;
        case Noise::Masking: return 0.3;
        case Noise::SaltPepper: return 0.1;
        case Noise::None: break;
    }
    return 0;
}

// Input noise, code sparsity and weight decay: they change the loss, not the layers, so the
// controller keeps the weights (Settings::objective_differs).
void ShowObjectiveControls(Settings& s, float full) {
    ImGui::TextColored(theme::kTextDim, "regularization (weights kept on change)");
    ImGui::SetNextItemWidth(full * 0.5f);
    if (EnumCombo("input noise", &s.noise, all_noises(), noise_label)) {
        s.noise_level = default_noise_level(s.noise);
        s.preset.clear();
    }
    Tip("reg.noise");
    if (s.noise != Noise::None) {
        float lv = static_cast<float>(s.noise_level);
        const bool gauss = s.noise == Noise::Gaussian;
        ImGui::SetNextItemWidth(full * 0.5f);
        if (ImGui::SliderFloat(gauss ? "noise stddev" : "noise probability", &lv, 0.0f, gauss ? 1.0f : 0.95f, "%.2f")) {
            s.noise_level = round_sig(std::clamp(static_cast<double>(lv), 0.0, gauss ? 1.0 : 0.95), 2);
            s.preset.clear();
        }
        Tip("reg.noise_level");
    }
    ImGui::SetNextItemWidth(full * 0.5f);
    if (EnumCombo("sparsity", &s.sparsity, all_sparsities(), sparsity_label)) {
        s.sparsity_weight = s.sparsity == Sparsity::KL ? 0.05 : s.sparsity == Sparsity::L1 ? 1e-3 : 0;
        s.sparsity_target = s.sparsity == Sparsity::KL ? 0.1 : 0.05;
        if (s.sparsity == Sparsity::KL) s.code_act = Activation::Sigmoid;  // KL compares rates
        s.preset.clear();
    }
    Tip("reg.sparsity");
    if (s.sparsity != Sparsity::None) {
        float w = static_cast<float>(s.sparsity_weight);
        ImGui::SetNextItemWidth(full * 0.5f);
        // "%.6g": see the learning rate below (a "%.2g" log slider starts at 0.01).
        if (ImGui::SliderFloat("sparsity weight", &w, 1e-5f, 10.0f, "%.6g", ImGuiSliderFlags_Logarithmic)) {
            s.sparsity_weight = round_sig(std::clamp(static_cast<double>(w), 1e-5, 10.0), 3);
            s.preset.clear();
        }
        Tip("reg.sparsity_weight");
    }
    if (s.sparsity == Sparsity::KL) {
        float t = static_cast<float>(s.sparsity_target);
        ImGui::SetNextItemWidth(full * 0.5f);
        if (ImGui::SliderFloat("target rate", &t, 0.01f, 0.5f, "%.2f")) {
            s.sparsity_target = round_sig(std::clamp(static_cast<double>(t), 0.01, 0.5), 2);
            s.preset.clear();
        }
        Tip("reg.target_rate");
        if (s.code_act != Activation::Sigmoid) {
            ImGui::TextColored(theme::kTextWarn, "KL needs a sigmoid code");
            ImGui::SameLine();
            if (ImGui::SmallButton("use sigmoid")) s.code_act = Activation::Sigmoid;
        } else {
            ImGui::TextColored(theme::kTextDim, "KL: the code is sigmoid (rates in [0, 1])");
        }
    }
    float wd = static_cast<float>(s.weight_decay);
    ImGui::SetNextItemWidth(full * 0.5f);
    if (ImGui::SliderFloat("weight decay", &wd, 0.0f, 0.1f, wd > 0 ? "%.6g" : "off", ImGuiSliderFlags_Logarithmic)) {
        s.weight_decay = wd < 1e-6f ? 0.0 : round_sig(std::clamp(static_cast<double>(wd), 0.0, 0.1), 3);
        s.preset.clear();
    }
    Tip("reg.weight_decay");
}

}  // namespace

void ShowModelSection(PanelContext& cx, ControlsState& st) {
    if (!ImGui::CollapsingHeader("Model", ImGuiTreeNodeFlags_DefaultOpen)) return;
    const float full = ImGui::GetContentRegionAvail().x;
    Settings& s = cx.ctl.settings_mut();
    const int dim = dataset_dim(s.dataset);
    ShowHiddenLayers(s, st, full, dim);
    int k = s.latent;
    ImGui::SetNextItemWidth(full * 0.5f);
    if (ImGui::InputInt("latent k", &k, 1, 1)) {
        k = std::clamp(k, 1, std::min(kMaxLatent, dim - 1));
        if (k != s.latent) {
            s.latent = k;
            s.preset.clear();
        }
    }
    Tip("model.latent");
    ShowActivations(s, full);
    // BCE needs the sigmoid output; the generated sets offer MSE only.
    std::vector<ReconLoss> losses;
    for (ReconLoss l : all_losses())
        if (l == ReconLoss::MSE || is_image_dataset(s.dataset)) losses.push_back(l);
    ImGui::SetNextItemWidth(full * 0.5f);
    const std::string cur = loss_label(s.loss);
    if (ImGui::BeginCombo("loss", cur.c_str())) {
        for (ReconLoss l : losses)
            if (ImGui::Selectable(loss_label(l).c_str(), l == s.loss) && l != s.loss) {
                s.loss = l;
                if (l == ReconLoss::BCE) s.out_act = Activation::Sigmoid;
                s.preset.clear();
            }
        ImGui::EndCombo();
    }
    Tip("model.loss");
    if (ImGui::Checkbox("tied weights", &s.tied)) s.preset.clear();
    Tip("model.tied");
    ImGui::SameLine();
    int seed = static_cast<int>(s.seed % 1000000);
    ImGui::SetNextItemWidth(full * 0.35f);
    if (ImGui::InputInt("seed", &seed, 1, 10)) {
        s.seed = static_cast<std::uint64_t>(std::max(0, seed));
        s.preset.clear();
    }
    Tip("model.seed");
    ShowObjectiveControls(s, full);
    if (cx.ctl.ready()) {
        Session& se = cx.ctl.session();
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextColored(theme::kTextDim, "%s, %lld parameters", se.model().config().arch_string().c_str(),
                           static_cast<long long>(se.model().num_params()));
        ImGui::PopTextWrapPos();
    }
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
