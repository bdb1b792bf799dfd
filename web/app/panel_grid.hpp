// panel_grid.hpp: which panels a data set shows, in what order and size, and their titles.
//
// What: panel_items() lists the grid's panels for a data set and model (images, 2-D / 3-D
// sets, the 2-D Gaussian explorer, the built-in tables; a conv model's filters in place of
// linear AE vs PCA; the Monte Carlo search's intervals after the loss; the classifier on
// request), each with its grid units; panel_titles() gives each panel's long and short title
// and its tab label; panel_prof_slot() its slot in the frame profile.
// Why: pure functions of the settings, kept out of app.cpp (the frame sequence) so the grid's
// rules live in one short file.
// Usage (app.cpp):
//     for (const GridItem& it : panel_items(kind, conv, mc, classify)) ...
//     const PanelTitles t = panel_titles(kPanelLoss);   // t.long_title, t.short_title, t.tab
#pragma once

#include "state.hpp"

#include <vector>

namespace aelab::app {

struct GridItem {
    Panel panel;
    int units;
};

// The panels of a data set, in display order, with their grid units (see the header).
std::vector<GridItem> panel_items(DatasetKind kind, bool conv, bool mc, bool classify);

struct PanelTitles {
    const char* long_title;
    const char* short_title;
    const char* tab;
};

PanelTitles panel_titles(Panel p);
const char* tab_label(Panel p);

// The profile's slot of a panel (AppImpl::Prof::panel): scatter, loss, recon, decoder, pca,
// conv, and 6 for every other panel (data, Gaussian, MC, classifier).
int panel_prof_slot(Panel p);

}  // namespace aelab::app
