// tsne_affinity.cpp — t-SNE's input side: exact kNN, perplexity calibration, the sparse
// symmetric P, and the leave-one-out kNN accuracy of an embedding (see aelab/tsne.hpp).
#include "aelab/kernels.hpp"
#include "aelab/tsne.hpp"
#include "tsne_detail.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <utility>

namespace aelab {

void knn_exact(const Eigen::Ref<const Mat>& X, Index k, std::vector<Index>& idx, MatD& dist2) {
    const Index d = X.rows(), N = X.cols();
    AELAB_REQUIRE(k >= 1 && k < N, "knn_exact: k must be in 1..N-1 = " + std::to_string(N - 1) + ", got " +
                                       std::to_string(k));
    idx.assign(static_cast<std::size_t>(k * N), 0);
    dist2.resize(k, N);
    const Vec sq = X.colwise().squaredNorm().transpose();
    const Index b = std::clamp<Index>((Index(1) << 22) / std::max<Index>(N, 1), 16, 1024);
    Mat D(N, std::min(b, N));  // N x block: one query's distances are a contiguous column
    // per query: the distance column (vectorised), then a scan that keeps candidates below
    // the current k-th best in a buffer, shrunk to the k best by nth_element when it fills
    std::vector<std::pair<float, Index>> heap;
    heap.reserve(static_cast<std::size_t>(4 * k + 1));
    Vec dcol(N);
    for (Index j0 = 0; j0 < N; j0 += b) {
        const Index nb = std::min(b, N - j0);
        auto Db = D.leftCols(nb);
        kernels::gemm<float>(true, false, X, X.middleCols(j0, nb), 0.0f, Db);  // dot products, N x nb
        for (Index q = 0; q < nb; ++q) {
            const Index i = j0 + q;
            dcol = ((sq.array() + sq(i)) - 2.0f * Db.col(q).array()).cwiseMax(0.0f);
            dcol(i) = std::numeric_limits<float>::infinity();
            heap.clear();
            std::pair<float, Index> thr{std::numeric_limits<float>::infinity(), N};
            const auto shrink = [&] {
                std::nth_element(heap.begin(), heap.begin() + (k - 1), heap.end());
                heap.resize(static_cast<std::size_t>(k));
                thr = *std::max_element(heap.begin(), heap.end());
            };
            for (Index j = 0; j < N; ++j) {
                const float dj = dcol(j);
                if (dj <= thr.first) {
                    const std::pair<float, Index> c{dj, j};
                    if (c < thr) {
                        heap.push_back(c);
                        if (static_cast<Index>(heap.size()) >= 4 * k) shrink();
                    }
                }
            }
            if (static_cast<Index>(heap.size()) > k) shrink();
            std::sort(heap.begin(), heap.end());
            for (Index r = 0; r < k; ++r) {
                const Index j = heap[static_cast<std::size_t>(r)].second;
                idx[static_cast<std::size_t>(i * k + r)] = j;
                dist2(r, i) = (X.col(i).cast<double>() - X.col(j).cast<double>()).squaredNorm();  // exact, in double
            }
        }
    }
    (void)d;
}

MatD calibrate_perplexity(const MatD& dist2, double perplexity, VecD* entropy) {
    const Index k = dist2.rows(), N = dist2.cols();
    AELAB_REQUIRE(perplexity >= 1.0 && static_cast<double>(k) >= perplexity,
                  "calibrate_perplexity: need 1 <= perplexity <= number of neighbours");
    const double target = std::log(perplexity);
    MatD P(k, N);
    if (entropy) entropy->resize(N);
    VecD p(k);
    for (Index i = 0; i < N; ++i) {
        // distances relative to the nearest (entropy and P do not change; exp cannot underflow to 0 everywhere)
        const double dmin = dist2.col(i).minCoeff();
        double beta = 1.0, lo = -std::numeric_limits<double>::infinity(), hi = std::numeric_limits<double>::infinity();
        double H = 0.0;
        for (int it = 0; it < 200; ++it) {
            double sum = 0.0;
            for (Index r = 0; r < k; ++r) sum += (p(r) = std::exp(-beta * (dist2(r, i) - dmin)));
            double sd = 0.0;
            for (Index r = 0; r < k; ++r) sd += (p(r) /= sum) * (dist2(r, i) - dmin);
            H = std::log(sum) + beta * sd;
            const double diff = H - target;
            if (std::abs(diff) <= 1e-5) break;
            if (diff > 0) {  // too flat: sharpen
                lo = beta;
                beta = std::isinf(hi) ? beta * 2.0 : 0.5 * (beta + hi);
            } else {
                hi = beta;
                beta = std::isinf(lo) ? beta * 0.5 : 0.5 * (beta + lo);
            }
            if (!(beta < 1e300)) break;  // equidistant neighbours: entropy cannot fall to the target
        }
        P.col(i) = p;
        if (entropy) (*entropy)(i) = H;
    }
    return P;
}

namespace tsne_detail {

SparseP symmetric_p(const std::vector<Index>& idx, const MatD& cond) {
    const Index k = cond.rows(), N = cond.cols();
    std::vector<std::vector<std::pair<Index, double>>> rows(static_cast<std::size_t>(N));
    for (Index i = 0; i < N; ++i)
        for (Index r = 0; r < k; ++r) {
            const Index j = idx[static_cast<std::size_t>(i * k + r)];
            const double v = cond(r, i);
            rows[static_cast<std::size_t>(i)].push_back({j, v});
            rows[static_cast<std::size_t>(j)].push_back({i, v});
        }
    SparseP P;
    P.row_ptr.assign(static_cast<std::size_t>(N + 1), 0);
    double total = 0.0;
    for (Index i = 0; i < N; ++i) {
        auto& r = rows[static_cast<std::size_t>(i)];
        std::sort(r.begin(), r.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (std::size_t t = 0; t < r.size();) {
            const Index j = r[t].first;
            double v = 0.0;
            for (; t < r.size() && r[t].first == j; ++t) v += r[t].second;
            P.col.push_back(j);
            P.val.push_back(v);
            total += v;
        }
        P.row_ptr[static_cast<std::size_t>(i + 1)] = static_cast<Index>(P.col.size());
        r.clear();
        r.shrink_to_fit();
    }
    for (double& v : P.val) v /= std::max(total, std::numeric_limits<double>::min());
    return P;
}

}  // namespace tsne_detail

double knn_loo_accuracy(const Eigen::Ref<const MatD>& Y, const std::vector<int>& labels, int k) {
    const Index N = Y.cols(), dim = Y.rows();
    AELAB_REQUIRE(static_cast<Index>(labels.size()) == N,
                  "knn_loo_accuracy: " + std::to_string(labels.size()) + " labels for " + std::to_string(N) + " points");
    AELAB_REQUIRE(k >= 1 && k < N, "knn_loo_accuracy: k must be in 1..N-1 (N = " + std::to_string(N) + ")");
    AELAB_REQUIRE(dim >= 1 && Y.allFinite(), "knn_loo_accuracy: the points must be finite and have >= 1 dimension");
    // Sort by the first coordinate; scan outwards from each point until the coordinate gap
    // alone exceeds the k-th best distance (exact, O(N sqrt N)-ish for 2-D embeddings).
    std::vector<Index> order(static_cast<std::size_t>(N));
    std::iota(order.begin(), order.end(), Index(0));
    std::sort(order.begin(), order.end(), [&](Index a, Index b) { return Y(0, a) < Y(0, b) || (Y(0, a) == Y(0, b) && a < b); });
    Index correct = 0;
    std::vector<std::pair<double, Index>> best;  // (d2, index), kept sorted, size <= k
    for (Index pos = 0; pos < N; ++pos) {
        const Index i = order[static_cast<std::size_t>(pos)];
        best.clear();
        auto consider = [&](Index j) {
            const double d2 = (Y.col(i) - Y.col(j)).squaredNorm();
            const std::pair<double, Index> c{d2, j};
            if (static_cast<int>(best.size()) < k || c < best.back()) {
                best.insert(std::upper_bound(best.begin(), best.end(), c), c);
                if (static_cast<int>(best.size()) > k) best.pop_back();
            }
        };
        const auto full_and_far = [&](Index j) {
            const double g = Y(0, j) - Y(0, i);
            return static_cast<int>(best.size()) == k && g * g > best.back().first;
        };
        for (Index l = pos - 1, r = pos + 1; l >= 0 || r < N;) {
            bool moved = false;
            if (l >= 0) {
                const Index j = order[static_cast<std::size_t>(l)];
                if (full_and_far(j)) l = -1;
                else consider(j), --l, moved = true;
            }
            if (r < N) {
                const Index j = order[static_cast<std::size_t>(r)];
                if (full_and_far(j)) r = N;
                else consider(j), ++r, moved = true;
            }
            (void)moved;
        }
        std::map<int, std::pair<int, double>> votes;  // label -> (count, summed distance)
        for (const auto& b : best) {
            auto& v = votes[labels[static_cast<std::size_t>(b.second)]];
            v.first += 1;
            v.second += b.first;
        }
        int pred = 0, bc = -1;
        double bd = 0.0;
        for (const auto& [lab, v] : votes)
            if (v.first > bc || (v.first == bc && v.second < bd)) pred = lab, bc = v.first, bd = v.second;
        if (pred == labels[static_cast<std::size_t>(i)]) ++correct;
    }
    return static_cast<double>(correct) / static_cast<double>(N);
}

}  // namespace aelab
