// panels.hpp: the playground's panels, one function and one small state struct each.
//
// What: in the manner of imgui_demo.cpp, every panel is `void ShowXxx(PanelContext&,
// XxxState&)` drawing into the current ImGui window (app.cpp begins the tiled window and
// lays the panels out): the control column's sections (panel_controls.cpp), loss
// (panel_loss.cpp), latent scatter (panel_scatter.cpp), reconstructions (panel_recon.cpp),
// decoder manifold / interpolation / draw-a-digit (panel_decoder.cpp), linear AE vs PCA
// (panel_pca.cpp), the 2-D / 3-D data view (panel_data.cpp) and the 2-D Gaussian explorer
// (panel_gauss.cpp). A panel reads the model
// through the Controller, changes settings through Controller::settings_mut() (the
// controller reconciles them next frame), and keeps its pictures and view in its own state.
// Why: one 1,800-line class mixed eleven panels' pictures with the control logic; here each
// panel's state is visible in one struct and new panels add a file, not members.
// Usage (app.cpp):
//     PanelContext cx{controller, stats, now, "..."};
//     if (begin_panel("Loss ...")) ShowLossPanel(cx);
//     if (controller.visuals_version() != seen) { recon.reset(session); scatter.reset(); ... }
#pragma once

#include "classify.hpp"
#include "controller.hpp"
#include "gltex.hpp"
#include "mc_views.hpp"
#include "model_views.hpp"
#include "refresh.hpp"
#include "scatter.hpp"
#include "scatter_proj.hpp"
#include "sensitivity.hpp"
#include "stats.hpp"
#include "view_budget.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace aelab::app {

class ClipReport;  // layout.hpp

struct PanelContext {
    Controller& ctl;
    const Stats& stats;
    double now = 0;               // seconds, for the refresh timers and message expiry
    std::string query;            // the state as URL parameters (Share section)
    ClipReport* clips = nullptr;  // labels cut this frame (window.aelab.ui.truncated), if set
    // The model views' recompute turns while training (view_budget.hpp); null: every due
    // view recomputes (claim_view()).
    ViewBudget* views = nullptr;
};

// ---- control column (panel_controls.cpp) ------------------------------------------------------
struct ControlsState {
    std::vector<int> width_edit;  // hidden widths being edited (committed on release)
    char path[512] = "model.aelab";
};
// The whole column: title, then the sections below in order, then the messages.
void ShowControls(PanelContext& cx, ControlsState& st);
void ShowPresetsSection(PanelContext& cx);
void ShowTrainingSection(PanelContext& cx);
void ShowDataSection(PanelContext& cx);
void ShowModelSection(PanelContext& cx, ControlsState& st);
void ShowOptimizerSection(PanelContext& cx);
// The Monte Carlo search's settings (panel_mc.cpp), shown by ShowOptimizerSection when opt = mc.
void ShowMcSettings(PanelContext& cx);
void ShowFileSection(PanelContext& cx, ControlsState& st);
void ShowShareSection(PanelContext& cx);
// Play / Pause, Step, Reset (the column and the toolbar when the column is hidden).
void ShowTrainingButtons(Controller& ctl);
// The message list, newest first, each with a close button; compact = the last two.
void ShowMessages(Controller& ctl, bool compact);
// panel_safety.cpp: the training watch's warning with "Undo to last good" (nothing when
// all is well), and the "Build a new model?" modal (Rebuild / Keep model) while
// Controller::confirm_pending().
void ShowTrainingWarning(Controller& ctl);
void ShowRebuildConfirm(Controller& ctl);

// ---- loss (panel_loss.cpp) ------------------------------------------------------------------------
void ShowLossPanel(PanelContext& cx);

// ---- decoder: manifold / interpolation / draw (panel_decoder.cpp) -----------------------------------
struct DecoderState {
    ImageTexture manifold_tex, interp_tex, canvas_tex, draw_out_tex;
    Refresh manifold, interp, draw;
    bool manifold_pca = false;
    // A manifold recompute under way: while training, the AE decoder's G*G decodes (225; a
    // VAE's 784-500-500-2 decoder: 30+ ms in WASM) are spread over frames, ~2.5 ms a frame,
    // and the picture is swapped in when all are done. done < 0: none under way.
    Mat manifold_codes, manifold_out;  // 2 x G*G codes, their decodes so far (d x G*G)
    Index manifold_done = -1;
    double manifold_sec = 0;           // seconds spent on the recompute under way
    double manifold_sec_per_col = 0;   // measured per decode (smoothed; 0 = not yet)
    int interp_a = 0, interp_b = 1;
    bool pick_a = true;           // the next scatter click picks A (else B)
    std::vector<float> canvas = std::vector<float>(784, 0.0f);
    bool canvas_ink = false, canvas_dirty = false;
    Mat code_ae, code_pca;        // the drawn digit's codes (marked in the scatter)
    // VAE: decoded samples from the prior (fixed z: Session::prior_samples) and a latent
    // traversal of one chosen code dimension, both re-decoded as training goes.
    ImageTexture prior_tex, trav_tex;
    Refresh prior, trav;
    int trav_dim = 0;
    // New data or model: pictures due at once, A / B = the 2nd and 8th recon images.
    void reset(const std::vector<int>& recon_idx, int n_test);
    void release();
};
void ShowDecoderPanel(PanelContext& cx, DecoderState& st);

// ---- latent scatter (panel_scatter.cpp) ---------------------------------------------------------------
struct ScatterState {
    ScatterRenderer ae, pca, kpca; // kpca: proj=kpca's middle plot (2-D / 3-D data sets)
    bool ok = false;              // the GL renderers started
    std::vector<float> xy_ae, xy_pca, xy_kpca;
    KpcaView kview;               // kernel PCA of the test data (proj=kpca), refitted on gamma / kernel / data
    std::uint64_t colour_version = 1, coloured_version = 0;
    ImageTexture hover_tex;       // input | AE | PCA of the hovered test image
    int hover_shown = -1;
    Refresh hover;
    // Thumbnails (image sets): small images of the test inputs at their AE codes, spaced by
    // thumbnail_subset(); all candidates live in one atlas texture, uploaded once per data set.
    // On / off is Settings::thumbs (URL thumbs=1).
    ImageTexture atlas;
    int atlas_count = 0;          // test images in the atlas (0: not uploaded yet)
    int thumbs_drawn = 0;         // thumbnails drawn in the last frame
    std::vector<float> sx, sy;    // screen positions (workspace)
    // VAE: the 1-sigma ellipses of the code Gaussians (Session::test_logvar) around a spaced
    // subset of the means (a checkbox, on by default).
    bool ellipses = true;
    // The codes' projection (Settings::proj): the codes' own PCA (recomputed at most every
    // 0.1 s) or the live t-SNE (stepped in the panel with a few ms per frame).
    LiveTsne tsne;
    double proj_pca_t = -1e30;
    Mat proj_xy;                  // 2 x N projected codes (dims / pca)
    bool init();
    void reset();
    void release();
};
// Clicks pick the decoder's interpolation ends; the drawn digit is marked.
void ShowScatterPanel(PanelContext& cx, ScatterState& st, DecoderState& dec);

// ---- reconstructions (panel_recon.cpp) ------------------------------------------------------------------
// With input noise on, the rows are input / noisy / AE(noisy) / AE / PCA (model_views.hpp).
// Below the images, the code activity histogram (mean activation per code unit over the
// test codes): shown when a sparsity penalty is on, or when the user ticks it.
// The contractive AE's sensitivity view (panel_sensitivity.cpp; sensitivity.hpp), drawn
// under the reconstructions when ticked or while the contractive penalty is on.
struct SensState {
    ImageTexture tex;             // the row: inputs x + t v above their reconstructions
    Refresh refresh{0.5};         // recomputed at most every 0.5 s while the model trains
    int image = 0;                // x = the recon panel's image `image`, other = the next one
    int direction = 0;            // SensDirection
    bool has = false;
    SensitivityCurve cur, prev;   // prev: the curve before the contractive lambda last changed (grey)
    double cur_lambda = -1, prev_lambda = -1;
    std::string error;            // why there is no curve (a zero direction...)
    void reset() {                // keeps prev: the comparison outlives a rebuild
        refresh.invalidate();
        has = false;
    }
};

struct ReconState {
    SensState sens;
    bool show_sens = false;       // the "sensitivity" checkbox (forced on while cae > 0)
    ImageTexture tex;
    Refresh refresh;
    std::vector<int> idx;         // test images shown (first_of_each_class)
    ReconLayout layout;           // rows of the last upload
    Refresh activity_refresh;
    CodeActivity activity;
    bool has_activity = false;
    bool show_activity = false;   // the checkbox (forced on while sparsity is on)
    bool sorted = true;           // bars sorted largest first, else in unit order
    void reset(const Session& s);
    void release() {
        tex.release();
        sens.tex.release();
    }
};
void ShowReconPanel(PanelContext& cx, ReconState& st);
// The sensitivity view in `size` (dense models; a layer graph gets a note).
void ShowSensitivity(PanelContext& cx, ReconState& st, ImVec2 size);

// ---- linear AE vs PCA (panel_pca.cpp) -------------------------------------------------------------------
struct PcaState {
    ImageTexture comps_tex, ae_comps_tex;
    Refresh comps;
    void reset() { comps.invalidate(); }
    void release();
};
void ShowPcaPanel(PanelContext& cx, PcaState& st);

// ---- classifier table (panel_classify.cpp) ----------------------------------------------------------
// Logistic regression (as `aelab classify`) on raw features, PCA-k codes and the AE's codes
// (k = the code size): test accuracy and ROC AUC. Computed for new data / a new model, when
// training pauses, on "Compute", and while training every kClassifyPeriod seconds on small
// data (the tables: a run costs a few ms); one fit per frame (classify.hpp).
constexpr double kClassifyPeriod = 3.0;
struct ClassifyState {
    ClassifyJob job;
    bool want = true;            // start a run at the next chance
    bool want_raw = false;       // the run was asked for by "Compute" (large data: raw features too)
    bool was_playing = false;
    long at_step = -1;           // the model's step the run's AE codes are from (-1: no model)
    int runs = 0;                // runs finished since the page opened
    double fit_ms = 0;           // the last run's total fitting time
    std::string why;             // why no run could start (no labels), shown instead of the table
    double started_at = -1e30;   // PanelContext::now of the last run's start
    void reset() {
        job = ClassifyJob();
        why.clear();
        want = true;
        at_step = -1;
    }
};
void ShowClassifyPanel(PanelContext& cx, ClassifyState& st);
// The last finished run as JSON for window.aelab.classify (null before one).
std::string classify_json(const ClassifyState& st);

// ---- 2-D / 3-D data (panel_data.cpp) ----------------------------------------------------------------------
struct DataViewState {
    // 3-D data starts (and "reset view" returns) at readable_view(): PCA's plane seen at
    // about 35 degrees from face-on, never edge-on; these are its fallbacks.
    static constexpr float kYaw0 = 0.7f, kPitch0 = 0.52f;
    float yaw = kYaw0, pitch = kPitch0;
    float home_yaw = kYaw0, home_pitch = kPitch0;
    double view_key = 0;          // the data the home view was computed for (PCA's first axis)
    bool show_data = true, show_ae = true, show_pca_sub = true, show_axes = true, show_manifold = true;
};
void ShowDataPanel(PanelContext& cx, DataViewState& st);

// ---- the 2-D Gaussian explorer (panel_gauss.cpp) -----------------------------------------------------
// The course's numbers for the sample, the mean / covariance fields (written to
// Settings::gauss when valid: the controller then regenerates the data and rebuilds the
// model) and the PC1 projections. Shown for the Gauss2D data set.
struct GaussState {
    Gauss2D edit, synced;         // the fields; the settings' Gaussian they were last set from
    bool have_synced = false;
    std::string error;            // validate()'s reason for the fields ("" = valid)
};
void ShowGaussPanel(PanelContext& cx, GaussState& st);

// ---- Monte Carlo search (panel_mc.cpp) -------------------------------------------------------
// Interval bars (refreshed 4 times a second) and the loss landscape along one parameter.
struct McPanelState {
    McIntervals iv;
    std::vector<McBar> bars;
    int choice = 0;            // the landscape's bar
    McLandscape land;          // computed a few points per frame
    McBar land_bar;            // the bar it was started for (its interval as then)
    std::string land_error;
    double land_cost = 0;      // seconds its points took (wall clock)
    double land_done_at = 0;   // cx.now when it was complete
    double last_refresh = -1;  // cx.now of the last mc_intervals()
    void reset();
};
void ShowMcPanel(PanelContext& cx, McPanelState& st);

}  // namespace aelab::app
