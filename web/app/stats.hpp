// stats.hpp: the numbers the playground publishes every frame, and their JSON form.
//
// What: `Stats` (frame time, training speed, losses, step, model, messages...) is filled by
// the App each frame; stats_json() writes it as one JSON object with the names the page
// exposes on `window.aelab` (frameTimeMs, fps, stepsPerSec, samplesPerSec, trainMs, cpuMs,
// step, epoch, trainLoss, testLoss, pcaLoss, maxAngleDeg, playing, ready, diverged, frames,
// params, messages, knn10, pcaKnn10, dataset, preset, query, arch, message, profile, shareUrl, ui,
// stepsPerFrame, tooltip, helpMissing, warning, confirmRebuild, controls, modelKind, vae, conv,
// testRecon, testKl, beta, tsneIter, tsneKl, tsneReads, tsneSpread, tsneMs, kpcaPoints, kpcaGamma,
// kpcaFits, kpcaMs); numbers that are not
// finite (a loss not known yet) are null.
// Why: the browser main used to pass 24 arguments to a JavaScript function whose parameter
// list was mirrored in three other places; one JSON string through web/stats_library.js
// (a --js-library file: Object.assign(window.aelab, JSON.parse(json))) keeps the names in
// this one file, and the format is unit-tested (tests/unit/test_controller.cpp).
// Usage:
//     const std::string j = stats_json(app.stats());   // {"frameTimeMs":16.7,...}
#pragma once

#include <cmath>
#include <cstdint>
#include <string>

namespace aelab::app {

struct Stats {
    double frame_ms = 0;          // smoothed frame time
    double fps = 0;
    double steps_per_sec = 0;
    double samples_per_sec = 0;
    double train_ms = 0;          // training time in the last frame
    double cpu_ms = 0;            // whole App::frame() time (training + UI + GL calls), smoothed
    long step = 0;
    double epoch = 0;
    double train_mse = 0, test_mse = 0, pca_mse = 0;  // NaN until known
    double max_angle_deg = 0;     // largest principal angle AE decoder vs PCA (NaN if none)
    long params = 0;
    // Image data sets: 1-NN accuracy of the test codes with 10 labelled training images per
    // class, for the AE's codes and PCA's at the same k (Session::knn()); NaN (null) otherwise.
    double knn10 = std::nan(""), pca_knn10 = std::nan("");
    // The latent scatter's live t-SNE (proj=tsne; scatter_proj.hpp): iterations over all its
    // schedules, KL divergence, code read-ins, layout spread (occupied cells), ms last frame.
    double tsne_iter = 0, tsne_kl = std::nan(""), tsne_reads = 0, tsne_spread = 0, tsne_ms = 0;
    // The kernel PCA view (proj=kpca; scatter_proj.hpp KpcaView): points shown, the gamma of
    // the layout shown, fits since the data / model was set, the last fit's time in ms.
    double kpca_points = 0, kpca_gamma = std::nan(""), kpca_fits = 0, kpca_ms = 0;
    std::string classify_json;  // the classifier table's last run (panels.hpp classify_json), "" = null
    bool playing = false;
    bool ready = false;           // data loaded and model built
    bool diverged = false;
    std::uint64_t frames = 0;
    std::string dataset, preset, query, arch, message;
    std::string profile;          // where a frame's time goes, smoothed ms: sync, train, codes, ui
                                  // (tsne; controls and each panel), render (for tuning)
    int messages = 0;             // messages shown since start (warnings, errors)
    std::string share_url;        // shareUrl: the page's full address for this state
    // ui: the screen layout as a JSON object (layout_json, web/app/layout.hpp: panels,
    // tabs, message rectangle and severity, truncated labels); "" = null.
    std::string ui_json;
    // Explanations and safe controls (help.hpp, safety.hpp): optimizer steps that really ran
    // per frame (smoothed), the help key whose tooltip shows ("" = none), help lookups that
    // missed, the training watch's warning ("", "stalled", "diverged") and whether the
    // "rebuild / keep model" question is open.
    double steps_per_frame = 0;
    std::string tooltip;
    int help_missing = 0;
    std::string warning;
    bool confirm_rebuild = false;
    // "controls": where each explained control was drawn, a JSON object written as is
    // (help.hpp's noted_items_json(): {"opt.lr":[x0,y0,x1,y1],...}); "" = {}.
    std::string controls_json;
    // The model: modelKind "dense" | "graph" (aelab::model_kind_name), vae (a Gaussian code),
    // conv (conv layers: the conv panel shows); for a VAE the test subset's reconstruction
    // and KL in nats per image (mean code; test -ELBO = testRecon + testKl) and beta.
    std::string model_kind;
    bool vae = false, conv = false;
    double test_recon = std::nan(""), test_kl = std::nan(""), beta = std::nan("");
    // "mc": the Monte Carlo panel's data while it shows (mc_views.hpp mc_json(): best loss,
    // samples, the bars' intervals, the landscape's progress), written as is; "" = null.
    std::string mc_json;
    // Layer-wise pretraining (Session::phase_label()): phase "pretraining phase 2/3:
    // 256-64-256, step 40/200" / "fine-tuning ..." / "" (none); pretrainPhase the 1-based
    // phase training now (phases + 1 while fine-tuning, 0 without pretraining).
    std::string phase;
    double pretrain_phase = 0;
    // The sensitivity view under the reconstructions (panel_sensitivity.cpp), its last curve
    // (NaN before it computed one): sensJacobian ||J_f(x)||_F, sensRecon / sensCode how far
    // the reconstruction / code moved at the largest t.
    double sens_jacobian = std::nan(""), sens_recon = std::nan(""), sens_code = std::nan("");
};

// One JSON object (keys as listed above); strings escaped, non-finite numbers as null.
std::string stats_json(const Stats& s);
// A JSON string literal (with quotes) for s: ", \, control characters escaped.
std::string json_string(const std::string& s);

}  // namespace aelab::app
