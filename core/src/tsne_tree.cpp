// tsne_tree.cpp — t-SNE's output side: the Barnes-Hut quadtree repulsion, the sparse
// attraction, the exact normaliser and the KL divergence (see aelab/tsne.hpp).
#include "tsne_detail.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace aelab::tsne_detail {

namespace {

// A quadtree over the points, stored in depth-first pre-order so that a traversal is a
// linear scan: a cell either is summarised or is a leaf (then `skip` jumps past its
// subtree) or is opened (then the next node is its first child). Cells are rectangles: the
// root is the points' bounding box and each split halves both sides, as in scikit-learn's
// and bhtsne's trees; a cell's size in the opening criterion is its LONGER side (their
// max_width). Only the non-empty quadrants get children. A cell becomes a leaf when it holds one point, or at
// depth kMaxDepth (duplicates or near-duplicates, then treated point by point, so
// coincident points cost no infinite subdivision).
struct QuadTree {
    static constexpr int kMaxDepth = 48;
    struct Node {
        double comx, comy, side2;  // centre of mass, squared longer side of the cell
        double count;
        Index skip;                // index of the node after this subtree
        Index begin, end;          // leaf: its points perm[begin, end); inner: begin = -1
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
        const double hx = 0.5 * std::max(x1 - x0, 1e-12) * (1.0 + 1e-9);
        const double hy = 0.5 * std::max(y1 - y0, 1e-12) * (1.0 + 1e-9);
        make(0, N, 0.5 * (x0 + x1), 0.5 * (y0 + y1), hx, hy, 0);
    }

    // The cell centred at (cx, cy) with half-sides hx, hy over perm[begin, end).
    void make(Index begin, Index end, double cx, double cy, double hx, double hy, int depth) {
        const MatD& P = *Y;
        double sx = 0, sy = 0;
        for (Index t = begin; t < end; ++t) {
            const Index j = perm[static_cast<std::size_t>(t)];
            sx += P(0, j);
            sy += P(1, j);
        }
        const Index n = end - begin;
        const Index me = static_cast<Index>(nodes.size());
        const bool leaf = n <= 1 || depth >= kMaxDepth;
        const double hmax = std::max(hx, hy);
        nodes.push_back(Node{sx / static_cast<double>(n), sy / static_cast<double>(n), 4.0 * hmax * hmax,
                             static_cast<double>(n), me + 1, leaf ? begin : Index(-1), end});
        if (leaf) return;
        // partition by x, then each half by y: quadrants (x<, y<), (x<, y>=), (x>=, y<), (x>=, y>=)
        auto first = perm.begin() + begin, last = perm.begin() + end;
        auto mx = std::partition(first, last, [&](Index j) { return P(0, j) < cx; });
        auto m0 = std::partition(first, mx, [&](Index j) { return P(1, j) < cy; });
        auto m1 = std::partition(mx, last, [&](Index j) { return P(1, j) < cy; });
        const Index cut[5] = {begin, begin + (m0 - first), begin + (mx - first), begin + (m1 - first), end};
        const double gx = 0.5 * hx, gy = 0.5 * hy;
        const double ccx[4] = {cx - gx, cx - gx, cx + gx, cx + gx}, ccy[4] = {cy - gy, cy + gy, cy - gy, cy + gy};
        for (int q = 0; q < 4; ++q)
            if (cut[q + 1] > cut[q]) make(cut[q], cut[q + 1], ccx[q], ccy[q], gx, gy, depth + 1);
        nodes[static_cast<std::size_t>(me)].skip = static_cast<Index>(nodes.size());
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
    const QuadTree::Node* nodes = tree.nodes.data();
    const Index nn = static_cast<Index>(tree.nodes.size());
    // Points in tree order: consecutive points open nearly the same cells (cache locality).
    for (Index pi = 0; pi < N; ++pi) {
        const Index i = tree.perm[static_cast<std::size_t>(pi)];
        const double yx = Y(0, i), yy = Y(1, i);
        double fx = 0, fy = 0, z = 0;
        for (Index at = 0; at < nn;) {
            const QuadTree::Node& nd = nodes[at];
            if (nd.begin >= 0) {  // leaf: its points one by one, skipping i itself
                if (nd.end - nd.begin == 1) {
                    if (tree.perm[static_cast<std::size_t>(nd.begin)] != i) {
                        const double ex = yx - nd.comx, ey = yy - nd.comy;
                        const double w = 1.0 / (1.0 + ex * ex + ey * ey);
                        z += w;
                        fx += w * w * ex;
                        fy += w * w * ey;
                    }
                } else {
                    for (Index t = nd.begin; t < nd.end; ++t) {
                        const Index j = tree.perm[static_cast<std::size_t>(t)];
                        if (j == i) continue;
                        const double ex = yx - Y(0, j), ey = yy - Y(1, j);
                        const double w = 1.0 / (1.0 + ex * ex + ey * ey);
                        z += w;
                        fx += w * w * ex;
                        fy += w * w * ey;
                    }
                }
                at = nd.skip;
                continue;
            }
            const double dx = yx - nd.comx, dy = yy - nd.comy, d2 = dx * dx + dy * dy;
            if (nd.side2 < th2 * d2) {  // far enough: the cell as one mass
                const double w = 1.0 / (1.0 + d2), cw = nd.count * w;
                z += cw;
                fx += cw * w * dx;
                fy += cw * w * dy;
                at = nd.skip;
            } else {
                ++at;
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
