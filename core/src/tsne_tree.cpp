// tsne_tree.cpp — t-SNE's output side: the Barnes-Hut quadtree repulsion, the sparse
// attraction, the exact normaliser and the KL divergence (see aelab/tsne.hpp).
#include "tsne_detail.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace aelab::tsne_detail {

namespace {

// A quadtree over the points in perm[begin, end): square cells, children of a cell stored
// contiguously (only the non-empty quadrants). A cell becomes a leaf when it holds one
// point, or at depth kMaxDepth (then it holds duplicates or near-duplicates and is treated
// point by point, so coincident points cost no infinite subdivision).
struct QuadTree {
    static constexpr int kMaxDepth = 48;
    struct Node {
        double comx = 0, comy = 0, side = 0;
        Index count = 0, begin = 0, end = 0, first_child = -1;
        int n_child = 0;
    };
    std::vector<Node> nodes;
    std::vector<Index> perm;
    const MatD* Y = nullptr;

    void build(const MatD& Yin) {
        Y = &Yin;
        const Index N = Yin.cols();
        perm.resize(static_cast<std::size_t>(N));
        for (Index i = 0; i < N; ++i) perm[static_cast<std::size_t>(i)] = i;
        nodes.clear();
        nodes.reserve(static_cast<std::size_t>(2 * N + 8));
        const double x0 = Yin.row(0).minCoeff(), x1 = Yin.row(0).maxCoeff();
        const double y0 = Yin.row(1).minCoeff(), y1 = Yin.row(1).maxCoeff();
        const double half = 0.5 * std::max({x1 - x0, y1 - y0, 1e-12}) * (1.0 + 1e-9);
        nodes.push_back(Node{});
        make(0, 0, N, 0.5 * (x0 + x1), 0.5 * (y0 + y1), half, 0);
    }

    void make(Index ni, Index begin, Index end, double cx, double cy, double half, int depth) {
        const MatD& P = *Y;
        double sx = 0, sy = 0;
        for (Index t = begin; t < end; ++t) {
            const Index j = perm[static_cast<std::size_t>(t)];
            sx += P(0, j);
            sy += P(1, j);
        }
        const Index n = end - begin;
        {
            Node& nd = nodes[static_cast<std::size_t>(ni)];
            nd.count = n;
            nd.begin = begin;
            nd.end = end;
            nd.side = 2.0 * half;
            nd.comx = sx / static_cast<double>(n);
            nd.comy = sy / static_cast<double>(n);
        }
        if (n <= 1 || depth >= kMaxDepth) return;
        // partition by x, then each half by y: quadrants (x<, y<), (x<, y>=), (x>=, y<), (x>=, y>=)
        auto first = perm.begin() + begin, last = perm.begin() + end;
        auto mx = std::partition(first, last, [&](Index j) { return P(0, j) < cx; });
        auto m0 = std::partition(first, mx, [&](Index j) { return P(1, j) < cy; });
        auto m1 = std::partition(mx, last, [&](Index j) { return P(1, j) < cy; });
        const Index cut[5] = {begin, begin + (m0 - first), begin + (mx - first), begin + (m1 - first), end};
        const double h = 0.5 * half;
        const double ccx[4] = {cx - h, cx - h, cx + h, cx + h}, ccy[4] = {cy - h, cy + h, cy - h, cy + h};
        const Index fc = static_cast<Index>(nodes.size());
        int nc = 0;
        Index child_of[4];
        for (int q = 0; q < 4; ++q)
            if (cut[q + 1] > cut[q]) {
                child_of[q] = fc + nc++;
                nodes.push_back(Node{});
            }
        nodes[static_cast<std::size_t>(ni)].first_child = fc;
        nodes[static_cast<std::size_t>(ni)].n_child = nc;
        for (int q = 0; q < 4; ++q)
            if (cut[q + 1] > cut[q]) make(child_of[q], cut[q], cut[q + 1], ccx[q], ccy[q], h, depth + 1);
    }
};

}  // namespace

double bh_repulsion(const MatD& Y, double theta, MatD& neg) {
    const Index N = Y.cols();
    QuadTree tree;
    tree.build(Y);
    neg.setZero(2, N);
    const double th2 = theta * theta;
    double Z = 0.0;
    std::vector<Index> stack;
    stack.reserve(256);
    for (Index i = 0; i < N; ++i) {
        const double yx = Y(0, i), yy = Y(1, i);
        double fx = 0, fy = 0, z = 0;
        stack.clear();
        stack.push_back(0);
        while (!stack.empty()) {
            const QuadTree::Node& nd = tree.nodes[static_cast<std::size_t>(stack.back())];
            stack.pop_back();
            const double dx = yx - nd.comx, dy = yy - nd.comy, d2 = dx * dx + dy * dy;
            if (nd.first_child < 0) {  // leaf: its points one by one, skipping i itself
                for (Index t = nd.begin; t < nd.end; ++t) {
                    const Index j = tree.perm[static_cast<std::size_t>(t)];
                    if (j == i) continue;
                    const double ex = yx - Y(0, j), ey = yy - Y(1, j);
                    const double w = 1.0 / (1.0 + ex * ex + ey * ey);
                    z += w;
                    fx += w * w * ex;
                    fy += w * w * ey;
                }
            } else if (nd.side * nd.side < th2 * d2) {  // far enough: the cell as one mass
                const double w = 1.0 / (1.0 + d2), c = static_cast<double>(nd.count);
                z += c * w;
                fx += c * w * w * dx;
                fy += c * w * w * dy;
            } else {
                for (int q = 0; q < nd.n_child; ++q) stack.push_back(nd.first_child + q);
            }
        }
        neg(0, i) = fx;
        neg(1, i) = fy;
        Z += z;
    }
    return Z;
}

void attraction(const SparseP& P, const MatD& Y, double scale, MatD& pos) {
    const Index N = P.n();
    pos.setZero(2, N);
    for (Index i = 0; i < N; ++i) {
        double fx = 0, fy = 0;
        for (Index t = P.row_ptr[static_cast<std::size_t>(i)]; t < P.row_ptr[static_cast<std::size_t>(i + 1)]; ++t) {
            const Index j = P.col[static_cast<std::size_t>(t)];
            const double ex = Y(0, i) - Y(0, j), ey = Y(1, i) - Y(1, j);
            const double pw = P.val[static_cast<std::size_t>(t)] / (1.0 + ex * ex + ey * ey);
            fx += pw * ex;
            fy += pw * ey;
        }
        pos(0, i) = scale * fx;
        pos(1, i) = scale * fy;
    }
}

double exact_zsum(const MatD& Y) {
    const Index N = Y.cols();
    double Z = 0.0;
    for (Index i = 0; i < N; ++i) {
        double z = 0.0;
        const double yx = Y(0, i), yy = Y(1, i);
        for (Index j = i + 1; j < N; ++j) {
            const double ex = yx - Y(0, j), ey = yy - Y(1, j);
            z += 1.0 / (1.0 + ex * ex + ey * ey);
        }
        Z += 2.0 * z;
    }
    return Z;
}

double kl_sparse(const SparseP& P, const MatD& Y, double Z) {
    const Index N = P.n();
    double kl = 0.0;
    for (Index i = 0; i < N; ++i)
        for (Index t = P.row_ptr[static_cast<std::size_t>(i)]; t < P.row_ptr[static_cast<std::size_t>(i + 1)]; ++t) {
            const double p = P.val[static_cast<std::size_t>(t)];
            if (p <= 0.0) continue;
            const Index j = P.col[static_cast<std::size_t>(t)];
            const double ex = Y(0, i) - Y(0, j), ey = Y(1, i) - Y(1, j);
            const double q = 1.0 / (1.0 + ex * ex + ey * ey) / Z;
            kl += p * std::log(p / std::max(q, std::numeric_limits<double>::min()));
        }
    return kl;
}

}  // namespace aelab::tsne_detail
