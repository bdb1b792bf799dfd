// panel_grid.cpp: see panel_grid.hpp.
#include "panel_grid.hpp"

#include <cstddef>

namespace aelab::app {

// The panels of a data set, in display order, with their grid units.
// A model with conv layers shows its filters / feature maps instead of linear AE vs PCA.
// The built-in tables show the classifier table in the grid (and no data panel: it could draw
// only 2 of their 13 or 30 features; panel=data still shows them); any other data set shows
// the classifier on request (panel=classify, `classify` true). The Monte Carlo search
// (opt = mc, `mc` true) adds its intervals panel after the loss.
std::vector<GridItem> panel_items(DatasetKind kind, bool conv, bool mc, bool classify) {
    std::vector<GridItem> v;
    if (is_image_dataset(kind))
        v = {{kPanelScatter, 2}, {kPanelLoss, 1}, {kPanelRecon, 1}, {kPanelDecoder, 1}, {conv ? kPanelConv : kPanelPca, 1}};
    else if (is_table_dataset(kind))
        v = {{kPanelScatter, 2}, {kPanelLoss, 1}, {kPanelClassify, 2}, {kPanelPca, 1}};  // panel=data: 2 of d features
    else if (kind == DatasetKind::Gauss2D)
        v = {{kPanelGauss, 1}, {kPanelData, 1}, {kPanelLoss, 1}, {kPanelScatter, 2}, {kPanelPca, 1}};
    else
        v = {{kPanelData, 2}, {kPanelLoss, 1}, {kPanelScatter, 2}, {kPanelPca, 1}};
    if (mc)
        for (std::size_t i = 0; i < v.size(); ++i)
            if (v[i].panel == kPanelLoss) {
                v.insert(v.begin() + static_cast<std::ptrdiff_t>(i) + 1, GridItem{kPanelMc, 2});
                break;
            }
    if (classify && !is_table_dataset(kind)) v.push_back({kPanelClassify, 1});
    return v;
}


PanelTitles panel_titles(Panel p) {
    switch (p) {
        case kPanelLoss: return {"Loss: test MSE vs PCA's bound", "Loss vs PCA", "Loss"};
        case kPanelScatter: return {"Latent codes of the test set: autoencoder | PCA", "Latent codes: AE | PCA", "Codes"};
        case kPanelRecon: return {"Reconstructions", "Recon.", "Recon."};
        case kPanelDecoder: return {"Decoder", "Decoder", "Decoder"};
        case kPanelPca: return {"Linear AE vs PCA", "AE vs PCA", "PCA"};
        case kPanelData: return {"Data, reconstructions and principal axes", "Data and axes", "Data"};
        case kPanelGauss: return {"2-D Gaussian explorer: edit mean and covariance", "2-D Gaussian", "Gaussian"};
        case kPanelConv: return {"Conv layers: learned filters and feature maps", "Conv filters", "Conv"};
        case kPanelMc: return {"Monte Carlo search: weak confidence intervals and the loss landscape", "MC intervals", "MC"};
        case kPanelClassify: return {"Classifier: logistic regression on raw, PCA and AE features", "Classifier", "Classify"};
        default: return {"?", "?", "?"};
    }
}

const char* tab_label(Panel p) { return panel_titles(p).tab; }

int panel_prof_slot(Panel p) {
    switch (p) {
        case kPanelScatter: return 0;
        case kPanelLoss: return 1;
        case kPanelRecon: return 2;
        case kPanelDecoder: return 3;
        case kPanelPca: return 4;
        case kPanelConv: return 5;
        default: return 6;
    }
}

}  // namespace aelab::app
