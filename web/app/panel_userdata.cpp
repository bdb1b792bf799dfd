// panel_userdata.cpp: the "Your data" part of the control column's Data section: the
// options for reading a CSV / IDX file (label column, header, skipped lines, scaling, test
// fraction), the button that opens it (browser: the page's file picker; desktop: typed
// paths), the page's size cap, a line describing what was loaded, and the exports (codes
// as CSV, the frame as PNG). The reading and every check are in Controller::on_data_file
// (userdata.hpp); this file only edits Controller::data_options and sends commands.
#include "panels.hpp"
#include "theme.hpp"
#include "widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <string>

namespace aelab::app {

namespace {

// A text field bound to a std::string (ImGui keeps the edit buffer while it is active).
bool StringField(const char* id, std::string* s, float width) {
    char buf[512];
    std::snprintf(buf, sizeof buf, "%s", s->c_str());
    ImGui::SetNextItemWidth(width);
    if (!ImGui::InputText(id, buf, sizeof buf)) return false;
    *s = buf;
    return true;
}

void ShowReadOptions(UserDataOptions& o, float full) {
    // label column: none / first / last / a name or 1-based number
    const char* modes[] = {"no label column", "first column", "last column", "column named / numbered"};
    int mode = o.label_column.empty() || o.label_column == "none" ? 0
               : o.label_column == "first"                       ? 1
               : o.label_column == "last"                        ? 2
                                                                 : 3;
    ImGui::SetNextItemWidth(full * 0.62f);
    if (ImGui::Combo("label##ud", &mode, modes, 4)) {
        const char* keys[] = {"none", "first", "last", "label"};
        o.label_column = keys[mode];
    }
    Tip("user.label");
    if (mode == 3) StringField("##udlabel", &o.label_column, full * 0.62f);
    int header = static_cast<int>(o.header);
    const char* headers[] = {"header: auto", "header: yes", "header: no"};
    ImGui::SetNextItemWidth(full * 0.62f);
    if (ImGui::Combo("##udheader", &header, headers, 3)) o.header = static_cast<CsvHeader>(header);
    Tip("user.header");
    int skip = static_cast<int>(o.skip_rows);
    ImGui::SetNextItemWidth(full * 0.62f);
    if (ImGui::InputInt("skip lines##ud", &skip)) o.skip_rows = std::clamp(skip, 0, 1000);
    Tip("user.skip");
    int sc = static_cast<int>(o.scaling);
    const char* scalings[] = {"no scaling", "min-max to [0, 1]", "standard (mean 0, sd 1)"};
    ImGui::SetNextItemWidth(full * 0.62f);
    if (ImGui::Combo("##udscale", &sc, scalings, 3)) o.scaling = static_cast<Scaling>(sc);
    Tip("user.scaling");
    float tf = static_cast<float>(o.test_fraction);
    ImGui::SetNextItemWidth(full * 0.62f);
    if (ImGui::SliderFloat("test part##ud", &tf, 0.05f, 0.5f, "%.2f")) o.test_fraction = tf;
    Tip("user.test");
}

}  // namespace

// Called from ShowDataSection (panel_controls.cpp).
void ShowYourData(PanelContext& cx, float full) {
    Controller& ctl = cx.ctl;
    ImGui::Spacing();
    if (!ImGui::TreeNodeEx("Your data (CSV / IDX)", ctl.has_user_data() ? ImGuiTreeNodeFlags_DefaultOpen : 0)) return;
    ShowReadOptions(ctl.data_options, full);
    char cap[160];
    std::snprintf(cap, sizeof cap, "at most %d MB, %lld rows, %lld numbers; read in this page only",
                  static_cast<int>(kPageDataMaxBytes >> 20), static_cast<long long>(kPageDataMaxRows),
                  kPageDataMaxCells);
    TextWrappedColored(theme::kTextDim, cap);
    if (ctl.platform().browser) {
        if (ImGui::Button("Open a data file...", ImVec2(full, 0))) ctl.command("data");
        Tip("user.open");
    } else {
        ImGui::TextColored(theme::kTextDim, "file (CSV or IDX images)");
        StringField("##udpath", &ctl.data_path, full);
        ImGui::TextColored(theme::kTextDim, "IDX labels file (optional)");
        StringField("##udlabels", &ctl.labels_path, full);
        if (ImGui::Button("Load data file", ImVec2(full, 0))) ctl.command("data");
        Tip("user.open");
    }
    if (ctl.has_user_data()) {
        TextWrappedColored(theme::kTextGood, ctl.user_summary().c_str());
        if (ctl.settings().dataset == DatasetKind::User)
            TextWrappedColored(theme::kTextWarn, "links to this page (the URL) do not include your file");
        else if (ImGui::Button("Use your data again", ImVec2(full, 0)))
            ctl.choose_dataset(DatasetKind::User);
    }
    if (ctl.ready()) {
        const float half = (full - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
        if (ImGui::Button("Codes as CSV", ImVec2(half, 0))) ctl.command("codes");
        Tip("user.codes");
        ImGui::SameLine();
        if (ImGui::Button("Frame as PNG", ImVec2(half, 0))) ctl.command("screenshot");
        Tip("user.png");
        if (!ctl.platform().browser) {
            ImGui::TextColored(theme::kTextDim, "codes / PNG paths");
            StringField("##udcodes", &ctl.codes_path, full);
            StringField("##udshot", &ctl.screenshot_path, full);
        }
    }
    ImGui::TreePop();
}

}  // namespace aelab::app
