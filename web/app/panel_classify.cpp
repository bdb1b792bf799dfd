// panel_classify.cpp: the classifier table (see panels.hpp): L2 logistic regression, as
// `aelab classify` fits it, on the raw features, on PCA-k codes (PCA fitted on the training
// split, k = the autoencoder's code size) and on the autoencoder's codes, scored on the test
// split: accuracy and ROC AUC. A run starts for new data or a new model, when training pauses,
// on "Compute", and every kClassifyPeriod s while small data train. It fits one feature set
// per frame (classify.hpp bounds the work on large data): a frame waits for one fit at most.
#include "panels.hpp"
#include "theme.hpp"
#include "widgets.hpp"

#include "aelab/pca.hpp"

#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace aelab::app {
namespace {

double now_ms() {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

Mat first_cols(const Mat& X, Index n) { return n > 0 && n < X.cols() ? Mat(X.leftCols(n)) : X; }
std::vector<int> first(const std::vector<int>& y, Index n) {
    return n > 0 && n < Index(y.size()) ? std::vector<int>(y.begin(), y.begin() + n) : y;
}

// The feature sets of the current data and model; false (and `why`) when there are no labels.
bool start_run(Session& session, ClassifyState& st, std::string* why) {
    const Dataset& tr = session.data().train;
    const Dataset& te = session.data().test;
    int K = 0;
    for (int v : tr.y) K = std::max(K, v + 1);
    for (int v : te.y) K = std::max(K, v + 1);
    if (K < 2 || Index(tr.y.size()) != tr.size() || Index(te.y.size()) != te.size()) {
        *why = "This data set has no class labels: a classifier needs 2 or more classes.";
        return false;
    }
    const ClassifyLimits lim = classify_limits(tr.size(), te.size(), tr.dim(), K);
    const Mat Xtr = first_cols(tr.X, lim.max_train), Xte = first_cols(te.X, lim.max_test);
    std::vector<ClassifyFeatures> sets;
    // Large data: the raw features only on "Compute" (that fit takes seconds in WebAssembly).
    if (lim.note.empty() || st.want_raw) sets.push_back({"raw", Xtr, Xte});
    const int k = session.has_model() ? session.k() : 2;
    if (k >= 1 && k < tr.dim()) {
        char name[32];
        std::snprintf(name, sizeof name, "PCA-%d", k);
        if (lim.note.empty()) {  // small data: PCA fitted as `aelab classify --on pca:K` fits it
            PcaOptions po;
            po.n_components = NComponents(static_cast<long long>(k));
            PCA p(po);
            p.fit(tr.X);
            sets.push_back({name, p.transform(Xtr), p.transform(Xte)});
        } else {  // large data: the page's PCA (fitted on the training split when the data came)
            sets.push_back({name, session.pca_encode(Xtr), session.pca_encode(Xte)});
        }
    }
    if (session.has_model()) {
        sets.push_back({"AE codes", session.encode(Xtr), session.encode(Xte)});
        st.at_step = session.total_steps();
    } else {
        st.at_step = -1;
    }
    st.job.start(std::move(sets), first(tr.y, lim.max_train), first(te.y, lim.max_test), K, lim);
    st.fit_ms = 0;
    return true;
}

std::string num(double v, int digits) {
    if (!std::isfinite(v)) return "null";
    char b[32];
    std::snprintf(b, sizeof b, "%.*f", digits, v);
    return b;
}

}  // namespace

std::string classify_json(const ClassifyState& st) {
    if (!st.job.started()) return "";
    std::string o = "{\"done\":" + std::string(st.job.done() ? "true" : "false") +
                    ",\"runs\":" + std::to_string(st.runs) + ",\"step\":" + std::to_string(st.at_step) +
                    ",\"train\":" + std::to_string(st.job.train_rows()) + ",\"test\":" +
                    std::to_string(st.job.test_rows()) + ",\"classes\":" + std::to_string(st.job.classes()) +
                    ",\"fitMs\":" + num(st.fit_ms, 3) + ",\"rows\":[";
    bool comma = false;
    for (const ClassifyRow& r : st.job.rows()) {
        o += std::string(comma ? "," : "") + "{\"features\":" + json_string(r.features) + ",\"dim\":" +
             std::to_string(r.dim) + ",\"trainAcc\":" + num(r.train_acc, 10) + ",\"testAcc\":" + num(r.test_acc, 10) +
             ",\"testAuc\":" + num(r.test_auc, 10) + ",\"iterations\":" + std::to_string(r.iterations) +
             ",\"converged\":" + (r.converged ? "true" : "false") + ",\"error\":" + json_string(r.error) + "}";
        comma = true;
    }
    return o + "]}";
}

void ShowClassifyPanel(PanelContext& cx, ClassifyState& st) {
    Controller& ctl = cx.ctl;
    Session& session = ctl.session();
    PanelCaption("panel.classify");
    const bool playing = ctl.playing();
    if (st.was_playing && !playing) st.want = true;  // paused, or the training budget ended
    st.was_playing = playing;
    // Small data (no bounds needed): refresh the AE row while it trains.
    if (playing && st.job.done() && st.job.limits().note.empty() && cx.now - st.started_at >= kClassifyPeriod)
        st.want = true;
    if (ImGui::SmallButton("Compute")) st.want = st.want_raw = true;
    Tip("classify.compute");
    if (st.want && session.has_data() && (!st.job.started() || st.job.done())) {
        st.want = false;
        try {
            st.why.clear();
            st.started_at = cx.now;
            if (!start_run(session, st, &st.why)) st.job = ClassifyJob();
            st.want_raw = false;
        } catch (const std::exception& e) {
            st.why = e.what();
            st.job = ClassifyJob();
        }
    }
    if (st.job.started() && !st.job.done()) {  // one fit per frame
        const double t0 = now_ms();
        st.job.step();
        st.fit_ms += now_ms() - t0;
        if (st.job.done()) ++st.runs;
    }
    ImGui::SameLine();
    if (!st.job.started()) {
        ImGui::TextColored(theme::kTextDim, "%s", st.why.empty() ? "no run yet" : "no run");
        if (!st.why.empty()) TextWrappedColored(theme::kTextWarn, st.why.c_str());
        return;
    }
    const std::vector<std::string>& names = ctl.class_names();
    std::string classes = std::to_string(st.job.classes()) + " classes";
    if (!names.empty()) {
        classes += " (";
        for (std::size_t i = 0; i < names.size(); ++i) classes += (i ? ", " : "") + names[i];
        classes += ")";
    }
    ImGui::TextColored(theme::kTextDim, "%lld train / %lld test, %s", static_cast<long long>(st.job.train_rows()),
                       static_cast<long long>(st.job.test_rows()), classes.c_str());
    if (ImGui::BeginTable("##classify", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                                ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn("features");
        ImGui::TableSetupColumn("dim");
        ImGui::TableSetupColumn("test acc");
        ImGui::TableSetupColumn("test AUC");
        ImGui::TableSetupColumn("train acc");
        ImGui::TableHeadersRow();
        for (const ClassifyRow& r : st.job.rows()) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextColored(r.features == "AE codes" ? ImGui::ColorConvertU32ToFloat4(theme::kAccent)
                               : r.features == "raw"    ? theme::kTextBright
                                                        : ImGui::ColorConvertU32ToFloat4(theme::kPca),
                               "%s", r.features.c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%lld", static_cast<long long>(r.dim));
            if (!r.error.empty()) {
                ImGui::TableNextColumn();
                ImGui::TextColored(theme::kTextWarn, "failed");
                if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", r.error.c_str());
                ImGui::TableNextColumn();
                ImGui::TableNextColumn();
                continue;
            }
            ImGui::TableNextColumn();
            ImGui::Text("%.1f%%", 100.0 * r.test_acc);
            ImGui::TableNextColumn();
            ImGui::Text("%.4f", r.test_auc);
            ImGui::TableNextColumn();
            ImGui::Text("%.1f%%", 100.0 * r.train_acc);
        }
        ImGui::EndTable();
    }
    if (!st.job.done()) {
        ImGui::TextColored(theme::kTextWarn, "fitting ...");
        return;
    }
    ImGui::PushTextWrapPos(0.0f);
    const bool binary = st.job.classes() == 2;
    ImGui::TextColored(theme::kTextDim,
                       "L2 logistic regression (C = 1, as aelab classify), fitted on the training split; "
                       "AUC %s. AE codes %s; fits took %.0f ms.",
                       binary ? "binary" : "one-vs-rest, macro mean",
                       st.at_step >= 0 ? ("at step " + std::to_string(st.at_step)).c_str() : "not available (no model)",
                       st.fit_ms);
    if (!st.job.limits().note.empty()) {
        ImGui::TextColored(theme::kTextWarn, "%s", st.job.limits().note.c_str());
        if (st.job.rows().empty() || st.job.rows().front().features != "raw")
            ImGui::TextColored(theme::kTextDim, "raw features: press Compute (a fit of %lld features takes seconds)",
                               static_cast<long long>(session.dim()));
    }
    ImGui::PopTextWrapPos();
}

}  // namespace aelab::app
