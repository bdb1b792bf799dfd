// panel_loss.cpp: the loss panel (see panels.hpp): train (batches) and test MSE over the
// optimizer steps against PCA's bounds on the train and the test data (dashed, named in the
// legend), the training watch's warning (panel_safety.cpp), the AE / PCA ratio, a log-scale toggle and
// a tooltip with the nearest recorded point. A VAE gets its own plot (ShowVaeLoss): the
// negative ELBO (train and test), the reconstruction and the KL in nats per image. A conv
// AE draws its curves without PCA's bounds (its code is not k numbers PCA can match).
// Layer-wise pretraining (Session::pretrainer()): each phase's train and test MSE in its own
// colour (phase 1 on the images, later phases on the previous layer's codes), the phase
// boundaries as vertical lines named at the top, then the fine-tuning curves after them.
#include "panels.hpp"
#include "safety.hpp"
#include "theme.hpp"
#include "widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace aelab::app {
namespace {

// The "log" (y scale) checkbox, right-aligned on the header line (a new line when it is full).
void LogCheckbox(Settings& settings) {
    const float cbw = ImGui::CalcTextSize("log").x + ImGui::GetFrameHeight() + 8;
    const float x = ImGui::GetWindowContentRegionMax().x - cbw;
    if (x > ImGui::GetCursorPosX()) ImGui::SetCursorPosX(x);
    else ImGui::NewLine();
    ImGui::Checkbox("log", &settings.logy);
    Tip("loss.log");
}
// PCA's bound on the training data: the train curve's blue, opaque (dashed like the test bound).
constexpr ImU32 kTrainBound = IM_COL32(140, 180, 240, 235);
constexpr ImU32 kRecon = IM_COL32(120, 200, 140, 230);
constexpr ImU32 kKl = IM_COL32(230, 160, 80, 230);
constexpr ImU32 kTestKl = IM_COL32(240, 200, 90, 255);

// The VAE's curves (nats per image): -ELBO = recon + KL (train: the batches' mean since the
// previous point, sampled z; test: the mean code on the test subset), recon and KL apart.
void ShowVaeLoss(PanelContext& cx) {
    Session& session = cx.ctl.session();
    Settings& settings = cx.ctl.settings_mut();
    const auto& h = session.trainer().history();
    PanelCaption("panel.loss_vae");
    ShowTrainingWarning(cx.ctl);
    const HistoryPoint* last = nullptr;
    for (auto it = h.rbegin(); it != h.rend(); ++it)
        if (std::isfinite(it->test_kl)) {
            last = &*it;
            break;
        }
    if (last) {
        ImGui::TextColored(theme::kTextDim, "test -ELBO");
        ImGui::SameLine(0, 4);
        ImGui::TextColored(theme::kTextAe, "%.2f", last->test_loss + last->test_kl);
        ImGui::SameLine();
        ImGui::TextColored(theme::kTextDim, "= recon %.2f + KL %.2f nats/image", last->test_loss, last->test_kl);
        ImGui::SameLine();
    }
    LogCheckbox(settings);
    const int n = static_cast<int>(h.size());
    const int stride = std::max(1, (n + 799) / 800);
    std::vector<float> xs, elbo_tr, elbo_te, rec, kl, kl_te;
    const long off = session.step_offset();
    auto push = [&](const HistoryPoint& p) {
        xs.push_back(static_cast<float>(p.step + off));
        elbo_tr.push_back(static_cast<float>(p.train_recon + p.train_kl));
        elbo_te.push_back(static_cast<float>(p.test_loss + p.test_kl));
        rec.push_back(static_cast<float>(p.train_recon));
        kl.push_back(static_cast<float>(p.train_kl));
        kl_te.push_back(static_cast<float>(p.test_kl));
    };
    for (int i = 0; i < n; i += stride) push(h[i]);
    if (n > 0 && (n - 1) % stride != 0) push(h.back());
    double ymin = 1e30, ymax = 0;
    for (const auto* v : {&elbo_tr, &elbo_te, &rec, &kl, &kl_te})
        for (float y : *v)
            if (std::isfinite(y) && y > 0) ymin = std::min<double>(ymin, y), ymax = std::max<double>(ymax, y);
    if (!(ymax > 0)) ymax = 1, ymin = 0.1;
    if (settings.logy) {
        ymin *= 0.85;
        ymax *= 1.2;
    } else {
        ymin = 0;
        ymax *= 1.08;
    }
    const double x0 = static_cast<double>(off);
    const double x1 = std::max<double>(x0 + 10, static_cast<double>(session.total_steps()));
    LinePlot plot;
    if (!plot.begin("##vaeloss", ImGui::GetContentRegionAvail(), x0, x1, ymin, ymax, settings.logy, "optimizer steps",
                    "nats per image"))
        return;
    // The first point (before training) has no train values; NaNs break a line, so skip it.
    const int m = static_cast<int>(xs.size());
    if (m > 1) {
        plot.line(xs.data() + 1, elbo_tr.data() + 1, m - 1, theme::kTrain, 1.2f);
        plot.line(xs.data() + 1, rec.data() + 1, m - 1, kRecon, 1.2f);
        plot.line(xs.data() + 1, kl.data() + 1, m - 1, kKl, 1.2f);
    }
    plot.line(xs.data(), elbo_te.data(), m, theme::kTest, 2.2f);
    plot.line(xs.data(), kl_te.data(), m, kTestKl, 1.6f);
    plot.legend({{"-ELBO train", theme::kTrain}, {"-ELBO test", theme::kTest}, {"recon (train)", kRecon},
                 {"KL (train)", kKl}, {"KL (test)", kTestKl}},
                {}, true);
    if (plot.hovered() && !h.empty()) {
        const double mx = plot.mouse_x() - off;
        size_t best = 0;
        for (size_t i = 0; i < h.size(); ++i)
            if (std::fabs(h[i].step - mx) < std::fabs(h[best].step - mx)) best = i;
        const HistoryPoint& p = h[best];
        ImGui::SetTooltip("step %ld (epoch %.2f)\ntrain: -ELBO %.4g = recon %.4g + KL %.4g\n"
                          "test (mean code): -ELBO %.4g = recon %.4g + KL %.4g\nnats per image",
                          p.step + off, p.epoch, p.train_recon + p.train_kl, p.train_recon, p.train_kl,
                          p.test_loss + p.test_kl, p.test_loss, p.test_kl);
    }
    plot.end();
}

// One colour per pretraining phase (at most kMaxHiddenLayers + 1 phases).
constexpr ImU32 kPhaseCols[] = {IM_COL32(240, 150, 60, 255), IM_COL32(190, 110, 230, 255), IM_COL32(60, 200, 200, 255),
                                IM_COL32(240, 110, 170, 255), IM_COL32(170, 200, 70, 255)};
ImU32 phase_col(int p) { return kPhaseCols[static_cast<size_t>(p) % (sizeof(kPhaseCols) / sizeof(kPhaseCols[0]))]; }

// The x offset of each phase's step 0 on the plot (its planned steps follow the previous ones).
std::vector<long> phase_starts(const LayerwisePretrainer& pre, long x0) {
    std::vector<long> v;
    long c = x0;
    for (const PretrainPhase& ph : pre.phases()) {
        v.push_back(c);
        c += ph.total_steps;
    }
    v.push_back(c);  // fine-tuning's step 0
    return v;
}

// The range of the phases' MSE values (for the y axis).
void phase_range(const LayerwisePretrainer& pre, double* ymin, double* ymax) {
    for (const PretrainPhase& ph : pre.phases())
        for (size_t i = 0; i < ph.history.size(); ++i)
            for (double v : {ph.history[i].train_mse, ph.history[i].test_mse})
                if (std::isfinite(v) && v > 0 && (i > 0 || v == ph.history[i].test_mse)) {
                    *ymin = std::min(*ymin, v);
                    *ymax = std::max(*ymax, v);
                }
}

// Each phase's curves, the boundaries and their names; the legend entries it adds.
void draw_phases(LinePlot& plot, const LayerwisePretrainer& pre, long x0,
                 std::vector<std::pair<std::string, ImU32>>* legend) {
    const std::vector<long> at = phase_starts(pre, x0);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float ytop = plot.plot_min().y, ybot = plot.plot_max().y;
    for (const PretrainPhase& ph : pre.phases()) {
        const ImU32 col = phase_col(ph.index);
        std::vector<float> xs, tr, te;
        for (const HistoryPoint& h : ph.history) {
            xs.push_back(static_cast<float>(at[static_cast<size_t>(ph.index)] + h.step));
            tr.push_back(static_cast<float>(h.train_mse));
            te.push_back(static_cast<float>(h.test_mse));
        }
        const int n = static_cast<int>(xs.size());
        if (n > 1) plot.line(xs.data() + 1, tr.data() + 1, n - 1, (col & 0x00ffffffu) | 0x90000000u, 1.0f);
        plot.line(xs.data(), te.data(), n, col, 2.0f);
        const std::string name = "P" + std::to_string(ph.index + 1) + " " + std::to_string(ph.in) + "-" +
                                 std::to_string(ph.out) + "-" + std::to_string(ph.in);
        legend->emplace_back(name, col);
        const float x = plot.to_screen(static_cast<double>(at[static_cast<size_t>(ph.index)]), 1.0).x;
        if (ph.index > 0) dl->AddLine(ImVec2(x, ytop), ImVec2(x, ybot), IM_COL32(200, 200, 200, 110), 1.0f);
        dl->AddText(ImVec2(x + 3, ytop + 2), col, ("P" + std::to_string(ph.index + 1)).c_str());
    }
    const float xf = plot.to_screen(static_cast<double>(at.back()), 1.0).x;
    dl->AddLine(ImVec2(xf, ytop), ImVec2(xf, ybot), IM_COL32(200, 200, 200, 160), 1.5f);
    dl->AddText(ImVec2(xf + 3, ytop + 2), IM_COL32(220, 220, 220, 255), "fine-tune");
}

// The tooltip of a point in a phase (mouse_x before fine-tuning's start): true when shown.
bool phase_tooltip(const LayerwisePretrainer& pre, long x0, double mouse_x) {
    const std::vector<long> at = phase_starts(pre, x0);
    if (mouse_x >= static_cast<double>(at.back())) return false;
    for (const PretrainPhase& ph : pre.phases()) {
        const double mx = mouse_x - static_cast<double>(at[static_cast<size_t>(ph.index)]);
        if (mx < 0 || mx >= static_cast<double>(ph.total_steps) || ph.history.empty()) continue;
        size_t best = 0;
        for (size_t i = 0; i < ph.history.size(); ++i)
            if (std::fabs(ph.history[i].step - mx) < std::fabs(ph.history[best].step - mx)) best = i;
        const HistoryPoint& h = ph.history[best];
        ImGui::SetTooltip("pretraining phase %d: %d-%d-%d on %s\nphase step %ld (epoch %.2f)\ntrain MSE %.5g\ntest MSE %.5g",
                          ph.index + 1, ph.in, ph.out, ph.in, ph.index == 0 ? "the data" : "the previous phase's codes",
                          h.step, h.epoch, h.train_mse, h.test_mse);
        return true;
    }
    return false;
}

}  // namespace

void ShowLossPanel(PanelContext& cx) {
    if (cx.ctl.session().is_vae()) {
        ShowVaeLoss(cx);
        return;
    }
    Session& session = cx.ctl.session();
    Settings& settings = cx.ctl.settings_mut();
    const auto& h = session.trainer().history();
    // A layer graph's code (a conv AE's feature maps) is not k numbers: no PCA bound.
    const bool dense = session.dense() != nullptr;
    const double pca = dense ? session.pca_test_mse() : 0;
    // The train curve is read against PCA's bound on the training data, the test curve
    // against the test data's (safety.hpp's pca_train_mse: the discarded variance).
    const double pca_train = dense ? pca_train_mse(session.pca(), session.k()) : 0;
    PanelCaption("panel.loss");
    ShowTrainingWarning(cx.ctl);
    const double test = session.last_test_mse();
    if (std::isfinite(test) && pca > 0) {
        const double ratio = test / pca;
        ImGui::TextColored(theme::kTextDim, "test");
        ImGui::SameLine(0, 4);
        ImGui::TextColored(theme::kTextAe, "%.4f", test);
        ImGui::SameLine();
        ImGui::TextColored(theme::kTextDim, "PCA");
        ImGui::SameLine(0, 4);
        ImGui::TextColored(theme::kTextPca, "%.4f", pca);
        ImGui::SameLine();
        if (ratio < 0.995) ImGui::TextColored(theme::kTextGood, "AE %.0f%% lower", (1 - ratio) * 100);
        else ImGui::TextColored(theme::kTextDim, "AE/PCA %.2f", ratio);
        ImGui::SameLine();
    }
    LogCheckbox(settings);
    if (session.has_knn() && session.knn().step >= 0) {  // k-NN with 10 labels per class
        const KnnScores& kn = session.knn();
        ImGui::TextColored(theme::kTextDim, "1-NN, 10 labels/class:");
        ImGui::SameLine(0, 4);
        ImGui::TextColored(theme::kTextAe, "AE %.1f%%", 100.0 * kn.ae);
        ImGui::SameLine(0, 6);
        ImGui::TextColored(theme::kTextPca, "PCA %.1f%%", 100.0 * kn.pca);
        ImGui::SameLine(0, 4);
        HelpKey("loss.knn");
    }
    // Decimate to <= 800 points.
    const int n = static_cast<int>(h.size());
    const int stride = std::max(1, (n + 799) / 800);
    std::vector<float> xs, tr, te;
    double ymin = pca > 0 ? pca : 1e30, ymax = pca > 0 ? pca : 0;
    if (pca_train > 0) ymin = std::min(ymin, pca_train), ymax = std::max(ymax, pca_train);
    // With layer-wise pretraining the fine-tuning history follows the phases' steps; during
    // the phases it has only its step 0 (not drawn).
    const LayerwisePretrainer* pre = session.pretrainer();
    const long off = session.step_offset() + session.pretrain_steps();
    for (int i = 0; i < n && !session.pretraining(); i += stride) {
        const int j = std::min(n - 1, i);
        xs.push_back(static_cast<float>(h[j].step + off));
        tr.push_back(static_cast<float>(h[j].train_mse));
        te.push_back(static_cast<float>(h[j].test_mse));
    }
    if (n > 0 && (n - 1) % stride != 0 && !session.pretraining()) {
        xs.push_back(static_cast<float>(h.back().step + off));
        tr.push_back(static_cast<float>(h.back().train_mse));
        te.push_back(static_cast<float>(h.back().test_mse));
    }
    for (size_t i = 0; i < xs.size(); ++i)
        for (float v : {tr[i], te[i]})
            if (std::isfinite(v) && v > 0 && h.size() > 0 && (i > 0 || v == te[i])) {
                ymin = std::min<double>(ymin, v);
                ymax = std::max<double>(ymax, v);
            }
    if (pre) phase_range(*pre, &ymin, &ymax);
    if (!(ymax > 0)) ymax = 1, ymin = 0.1;
    if (settings.logy) {
        ymin *= 0.85;
        ymax *= 1.2;
    } else {
        const double pad = (ymax - ymin) * 0.08 + 1e-12;
        ymin = std::max(0.0, ymin - pad);
        ymax += pad;
    }
    const double x0 = static_cast<double>(session.step_offset());
    // During the phases the axis spans every planned phase step (the boundaries ahead show).
    const double x1 = std::max<double>({x0 + 10, static_cast<double>(session.total_steps()),
                                        pre ? x0 + static_cast<double>(pre->total_steps()) + 10 : 0.0});
    LinePlot plot;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    if (!plot.begin("##lossplot", avail, x0, x1, ymin, ymax, settings.logy, "optimizer steps", "MSE per value")) return;
    // The first point has no train loss yet (recorded before training).
    if (xs.size() > 1) plot.line(xs.data() + 1, tr.data() + 1, static_cast<int>(xs.size()) - 1, theme::kTrain, 1.2f);
    plot.line(xs.data(), te.data(), static_cast<int>(xs.size()), theme::kTest, 2.2f);
    // The bounds are named in the legend (a label box on the line covered the curves).
    const std::string k = std::to_string(session.k());
    const std::string test_bound = "PCA k=" + k + " on test " + fmt("%.4g", pca);
    const std::string train_bound = "PCA k=" + k + " on train " + fmt("%.4g", pca_train);
    std::vector<std::pair<std::string, ImU32>> phases;
    if (pre) draw_phases(plot, *pre, session.step_offset(), &phases);
    if (!dense) {
        plot.legend({{"train (batches)", theme::kTrain}, {"test", theme::kTest}}, {}, true);
    } else {
        plot.hline(pca, theme::kPca, nullptr);
        if (pca_train > 0) plot.hline(pca_train, kTrainBound, nullptr);
        // Top right: the curves start high at the left and end near the bounds on the right.
        std::vector<std::pair<std::string, ImU32>> items = {
            {"train (batches)", theme::kTrain}, {"test", theme::kTest}};
        items.insert(items.end(), phases.begin(), phases.end());
        items.emplace_back(train_bound, kTrainBound);
        items.emplace_back(test_bound, theme::kPca);
        plot.legend(items, {train_bound, test_bound}, true);
    }
    if (plot.hovered() && pre && phase_tooltip(*pre, session.step_offset(), plot.mouse_x())) {
        // a pretraining phase's point
    } else if (plot.hovered() && !h.empty() && !session.pretraining()) {
        // Nearest recorded point to the mouse.
        const double mx = plot.mouse_x() - off;
        size_t best = 0;
        for (size_t i = 0; i < h.size(); ++i)
            if (std::fabs(h[i].step - mx) < std::fabs(h[best].step - mx)) best = i;
        if (dense)
            ImGui::SetTooltip("step %ld (epoch %.2f)\ntrain MSE %.5g (PCA on train %.5g)\ntest MSE %.5g (PCA on test %.5g)",
                              h[best].step + off, h[best].epoch, h[best].train_mse, pca_train, h[best].test_mse, pca);
        else
            ImGui::SetTooltip("step %ld (epoch %.2f)\ntrain MSE %.5g\ntest MSE %.5g\ntest loss (%s) %.5g", h[best].step + off,
                              h[best].epoch, h[best].train_mse, h[best].test_mse, loss_name(session.model().loss()),
                              h[best].test_loss);
    }
    plot.end();
}

}  // namespace aelab::app
