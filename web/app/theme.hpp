// theme.hpp: the playground's named colours and ImGui style, in one place.
//
// What: every colour the panels and widgets draw with, by role: text (dim, good, warn, err,
// brand, and the series colours "AE" / "PCA" as text), plot series (train, test, PCA,
// accent), plot chrome (background, grid, tick text, frame, legend), the 2-D / 3-D data view
// and the draw canvas; apply_style() sets ImGui's own colours and metrics.
// The values are data: apply_style() loads them from the embedded assets/theme/dark.txt
// (parsed strictly by theme_data.hpp: a missing or unknown name is an error), once, before
// the first frame; until then they are zero. The file names each colour as below without
// the k, in snake_case (kTextDim = text_dim, kBarInK = bar_in_k); ImGui's own as imgui_*.
// Why: the panels used to carry ~40 colour literals each; changing the look, or keeping the
// same role the same colour across panels, needs one table, and a data file lets a theme
// change without code. The categorical palette and the colormaps of the data are not
// here: they live with the scatter renderer (scatter.hpp palette_color / colormap_color).
// Usage:
//     ImGui::TextColored(theme::kTextDim, "...");
//     plot.line(xs, ys, n, theme::kTest);
//     theme::apply_style();   // once, after ImGui::CreateContext()
#pragma once

#include <imgui.h>

namespace aelab::app::theme {

// ---- text (ImGui::TextColored) ---------------------------------------------------------------
inline ImVec4 kTextDim;                 // explanations, secondary numbers
inline ImVec4 kTextGood;                // "AE 12% lower", converged angles
inline ImVec4 kTextWarn;                // loading, hints, caveats
inline ImVec4 kTextErr;                 // error messages
inline ImVec4 kTextBright;              // a value that needs no colour
inline ImVec4 kTextBrand;               // the "aelab" title
inline ImVec4 kTextAe;                  // headings / numbers of the autoencoder
inline ImVec4 kTextPca;                 // headings / numbers of PCA

// ---- buttons -----------------------------------------------------------------------------------
inline ImVec4 kButtonPlay;              // "Play" stands out when paused
inline ImVec4 kButtonPlayHovered;
inline ImVec4 kButtonCurrent;           // the preset in use

// ---- plot series (ImDrawList) ------------------------------------------------------------------
inline ImU32 kTrain = 0;                // train loss (batches)
inline ImU32 kTest = 0;                 // test loss, AE rows
inline ImU32 kPca = 0;                  // PCA bound, PCA rows, PCA axes in k
inline ImU32 kAccent = 0;               // AE labels, cumulative variance
inline ImU32 kRowLabel = 0;             // "input" / "pixels" row labels
inline ImU32 kMarker = 0;               // "your digit" in the scatter
inline ImU32 kBarInK = 0;               // variance bars kept by k
inline ImU32 kBarOutK = 0;              // variance bars beyond k
inline ImU32 kRowNoisy = 0;             // "noisy" / "AE(noisy)" row labels
inline ImU32 kBarCode = 0;              // code activity bars
inline ImU32 kBarCodeHover = 0;
inline ImU32 kTargetRate = 0;           // KL target rate line

// ---- plot chrome (widgets.cpp, panel_data.cpp) ---------------------------------------------------
inline ImU32 kPlotBg = 0;
inline ImU32 kPlotGrid = 0;
inline ImU32 kPlotGridMinor = 0;
inline ImU32 kPlotText = 0;             // tick labels
inline ImU32 kPlotAxisTitle = 0;
inline ImU32 kPlotFrame = 0;
inline ImU32 kPlotCursor = 0;           // hover line
inline ImU32 kLegendBg = 0;
inline ImU32 kLegendText = 0;

// ---- scatter widget (scatter.cpp ScatterWidget; the renderer's own background is the same
// colour, set in scatter.hpp) --------------------------------------------------------------------
inline ImU32 kScatterBg = 0;            // before the first render
inline ImU32 kScatterHover = 0;         // ring round the hovered point

// ---- 2-D / 3-D data view (panel_data.cpp) ----------------------------------------------------------
inline ImU32 kDataPcaLine = 0;          // PCA line (k = 1)
inline ImU32 kDataPcaPlane = 0;         // PCA plane wireframe (k = 2)
inline ImU32 kDataPcaLegend = 0;
inline ImU32 kDataDecoder = 0;          // AE decoder curve, legend
inline ImU32 kDataDecoderMesh = 0;
inline ImU32 kDataRecon = 0;            // AE reconstructions
inline ImU32 kDataAxisOther = 0;        // principal axes beyond k
inline ImU32 kDataLegendText = 0;
inline ImU32 kDataHint = 0;             // "drag to rotate"

// ---- draw-a-digit canvas (panel_decoder.cpp) -------------------------------------------------------
inline ImU32 kCanvasFrame = 0;
inline ImU32 kCanvasHint = 0;

// ---- messages (status line / toast, panel_messages.cpp) --------------------------------------------
inline ImU32 kMsgInfo = 0;              // severity swatches
inline ImU32 kMsgWarning = 0;
inline ImU32 kMsgError = 0;
inline ImVec4 kToastBg;                 // the toast's background

// Loads the colours above from assets/theme/<name>.txt (throws aelab::Error when the file is
// malformed) and sets ImGui's style: dark, square tiles, rounded controls, orange grabs and
// check marks, ImGui's own colours from the same file.
void apply_style(const char* name = "dark");

}  // namespace aelab::app::theme
