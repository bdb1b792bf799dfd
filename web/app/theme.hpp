// theme.hpp: the playground's named colours and ImGui style, in one place.
//
// What: every colour the panels and widgets draw with, by role: text (dim, good, warn, err,
// brand, and the series colours "AE" / "PCA" as text), plot series (train, test, PCA,
// accent), plot chrome (background, grid, tick text, frame, legend), the 2-D / 3-D data view
// and the draw canvas; apply_style() sets ImGui's own colours and metrics.
// Why: the panels used to carry ~40 colour literals each; changing the look, or keeping the
// same role the same colour across panels, needs one table. The categorical palette and
// the colormaps of the data are not here: they live with the scatter renderer
// (scatter.hpp palette_color / colormap_color).
// Usage:
//     ImGui::TextColored(theme::kTextDim, "...");
//     plot.line(xs, ys, n, theme::kTest);
//     theme::apply_style();   // once, after ImGui::CreateContext()
#pragma once

#include <imgui.h>

namespace aelab::app::theme {

// ---- text (ImGui::TextColored) ---------------------------------------------------------------
inline const ImVec4 kTextDim(0.62f, 0.64f, 0.70f, 1.0f);    // explanations, secondary numbers
inline const ImVec4 kTextGood(0.45f, 0.88f, 0.58f, 1.0f);   // "AE 12% lower", converged angles
inline const ImVec4 kTextWarn(1.0f, 0.72f, 0.35f, 1.0f);    // loading, hints, caveats
inline const ImVec4 kTextErr(1.0f, 0.45f, 0.42f, 1.0f);     // error messages
inline const ImVec4 kTextBright(1.0f, 1.0f, 1.0f, 1.0f);    // a value that needs no colour
inline const ImVec4 kTextBrand(1.0f, 0.66f, 0.28f, 1.0f);   // the "aelab" title
inline const ImVec4 kTextAe(1.0f, 0.63f, 0.24f, 1.0f);      // headings / numbers of the autoencoder
inline const ImVec4 kTextPca(0.35f, 0.86f, 0.55f, 1.0f);    // headings / numbers of PCA

// ---- buttons -----------------------------------------------------------------------------------
inline const ImVec4 kButtonPlay(0.75f, 0.45f, 0.14f, 1.0f);        // "Play" stands out when paused
inline const ImVec4 kButtonPlayHovered(0.88f, 0.55f, 0.20f, 1.0f);
inline const ImVec4 kButtonCurrent(0.30f, 0.36f, 0.50f, 1.0f);     // the preset in use

// ---- plot series (ImDrawList) ------------------------------------------------------------------
inline constexpr ImU32 kTrain = IM_COL32(110, 160, 230, 150);   // train loss (batches)
inline constexpr ImU32 kTest = IM_COL32(255, 160, 60, 255);     // test loss, AE rows
inline constexpr ImU32 kPca = IM_COL32(90, 220, 140, 255);      // PCA bound, PCA rows, PCA axes in k
inline constexpr ImU32 kAccent = IM_COL32(255, 160, 60, 255);   // AE labels, cumulative variance
inline constexpr ImU32 kRowLabel = IM_COL32(200, 200, 205, 255);  // "input" / "pixels" row labels
inline constexpr ImU32 kMarker = IM_COL32(255, 255, 255, 255);    // "your digit" in the scatter
inline constexpr ImU32 kBarInK = IM_COL32(90, 220, 140, 230);     // variance bars kept by k
inline constexpr ImU32 kBarOutK = IM_COL32(120, 130, 150, 160);   // variance bars beyond k
inline constexpr ImU32 kRowNoisy = IM_COL32(230, 120, 200, 255);  // "noisy" / "AE(noisy)" row labels
inline constexpr ImU32 kBarCode = IM_COL32(110, 160, 230, 220);   // code activity bars
inline constexpr ImU32 kBarCodeHover = IM_COL32(170, 205, 255, 255);
inline constexpr ImU32 kTargetRate = IM_COL32(255, 90, 90, 230);  // KL target rate line

// ---- plot chrome (widgets.cpp, panel_data.cpp) ---------------------------------------------------
inline constexpr ImU32 kPlotBg = IM_COL32(20, 22, 27, 255);
inline constexpr ImU32 kPlotGrid = IM_COL32(255, 255, 255, 22);
inline constexpr ImU32 kPlotGridMinor = IM_COL32(255, 255, 255, 8);
inline constexpr ImU32 kPlotText = IM_COL32(200, 200, 205, 200);      // tick labels
inline constexpr ImU32 kPlotAxisTitle = IM_COL32(160, 160, 170, 200);
inline constexpr ImU32 kPlotFrame = IM_COL32(255, 255, 255, 40);
inline constexpr ImU32 kPlotCursor = IM_COL32(255, 255, 255, 60);     // hover line
inline constexpr ImU32 kLegendBg = IM_COL32(18, 19, 24, 215);
inline constexpr ImU32 kLegendText = IM_COL32(220, 220, 225, 230);

// ---- scatter widget (scatter.cpp ScatterWidget; the renderer's own background is the same
// colour, set in scatter.hpp) --------------------------------------------------------------------
inline constexpr ImU32 kScatterBg = IM_COL32(28, 30, 36, 255);        // before the first render
inline constexpr ImU32 kScatterHover = IM_COL32(255, 255, 255, 230);  // ring round the hovered point

// ---- 2-D / 3-D data view (panel_data.cpp) ----------------------------------------------------------
inline constexpr ImU32 kDataPcaLine = IM_COL32(90, 220, 140, 150);    // PCA line (k = 1)
inline constexpr ImU32 kDataPcaPlane = IM_COL32(90, 220, 140, 70);    // PCA plane wireframe (k = 2)
inline constexpr ImU32 kDataPcaLegend = IM_COL32(90, 220, 140, 200);
inline constexpr ImU32 kDataDecoder = IM_COL32(255, 160, 60, 200);    // AE decoder curve, legend
inline constexpr ImU32 kDataDecoderMesh = IM_COL32(255, 160, 60, 110);
inline constexpr ImU32 kDataRecon = IM_COL32(255, 235, 210, 220);     // AE reconstructions
inline constexpr ImU32 kDataAxisOther = IM_COL32(170, 175, 190, 200); // principal axes beyond k
inline constexpr ImU32 kDataLegendText = IM_COL32(210, 210, 215, 230);
inline constexpr ImU32 kDataHint = IM_COL32(150, 150, 160, 200);      // "drag to rotate"

// ---- draw-a-digit canvas (panel_decoder.cpp) -------------------------------------------------------
inline constexpr ImU32 kCanvasFrame = IM_COL32(255, 160, 60, 200);
inline constexpr ImU32 kCanvasHint = IM_COL32(160, 160, 170, 200);

// ImGui's style: dark, square tiles, rounded controls, orange grabs and check marks.
void apply_style();

}  // namespace aelab::app::theme
