// panel_recon.cpp: the reconstructions panel (see panels.hpp): one test image of each
// class, with its AE and PCA reconstructions below it (two blocks of five columns).
#include "panels.hpp"
#include "theme.hpp"
#include "widgets.hpp"

#include <imgui.h>

namespace aelab::app {

void ReconState::reset(const Session& s) {
    refresh.invalidate();
    idx = s.has_data() ? first_of_each_class(s.data().test, 10) : std::vector<int>{};
}

void ShowReconPanel(PanelContext& cx, ReconState& st) {
    Session& session = cx.ctl.session();
    const Dataset& te = session.data().test;
    const int n = static_cast<int>(st.idx.size());
    if (n == 0) return;
    // Two blocks of 5 columns: input / AE / PCA rows for images 0-4, then for 5-9.
    const int per_row = (n + 1) / 2;
    if (st.refresh.due(cx.now, session.total_steps())) {
        st.refresh.mark(cx.now, session.total_steps());
        Mat X(784, n);
        for (int i = 0; i < n; ++i) X.col(i) = te.X.col(st.idx[i]);
        const Mat Rae = session.reconstruct(X);
        const Mat Rpca = session.pca_decode(session.pca_encode(X));
        Mat M = Mat::Zero(784, 6 * per_row);
        for (int i = 0; i < n; ++i) {
            const int blk = i / per_row, c = i % per_row;
            M.col((3 * blk + 0) * per_row + c) = X.col(i);
            M.col((3 * blk + 1) * per_row + c) = Rae.col(i);
            M.col((3 * blk + 2) * per_row + c) = Rpca.col(i);
        }
        st.tex.upload_grid(M.data(), 6 * per_row, 28, 28, per_row);
    }
    const RowLabel rows[] = {{"input", theme::kRowLabel}, {"AE", theme::kAccent}, {"PCA", theme::kPca}};
    LabelledImage(st.tex, rows, 3, 2, "input ", ImGui::GetTextLineHeightWithSpacing() * 2);
    const double ae = session.last_test_mse(), pca = session.pca_test_mse();
    ImGui::TextColored(theme::kTextDim, "test MSE: AE %.4f, PCA %.4f (k = %d)", ae, pca, session.k());
    ImGui::TextColored(theme::kTextDim, "one test image of each class");
}

}  // namespace aelab::app
