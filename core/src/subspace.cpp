// subspace.cpp — principal angles and kNN scoring (see aelab/subspace.hpp).

#include "aelab/subspace.hpp"

#include <Eigen/QR>
#include <Eigen/SVD>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>

namespace aelab {

namespace {

// Orthonormal basis (d x rank) of range(A) by column-pivoted Householder QR.
MatD orthonormal_basis(const MatD& A, const char* name) {
    AELAB_REQUIRE(A.rows() >= 1 && A.cols() >= 1,
                  std::string("principal_angles: ") + name + " is empty (" + std::to_string(A.rows()) +
                      " x " + std::to_string(A.cols()) + "); pass a d x k basis, one vector per column");
    AELAB_REQUIRE(A.allFinite(), std::string("principal_angles: ") + name + " contains NaN or Inf");
    Eigen::ColPivHouseholderQR<MatD> qr(A);
    const Index r = qr.rank();
    AELAB_REQUIRE(r >= 1, std::string("principal_angles: ") + name +
                              " has rank 0 (all columns are zero); it spans no subspace");
    MatD Q = MatD::Identity(A.rows(), r);
    qr.householderQ().applyThisOnTheLeft(Q);
    return Q;
}

std::vector<int> knn_predict_finite(const Eigen::Ref<const Mat>& train, const std::vector<int>& train_labels,
                                    const Eigen::Ref<const Mat>& test, int k,
                                    const std::vector<Index>* train_subset);

// The power of two that brings the largest |value| of the codes into [0.5, 1), or 1 when
// the codes are already of a safe size. kNN ranks by squared distances computed in float
// as ||a||^2 + ||b||^2 - 2 a.b: codes above ~1e19 make those squares inf (and inf - inf
// NaN), codes below ~1e-19 make them 0. Multiplying every code by the same power of two
// keeps the neighbour order and is exact in binary floating point (barring underflow of
// values that are negligible next to the largest one), so typical codes take no copy.
float knn_code_scale(const Eigen::Ref<const Mat>& train, const Eigen::Ref<const Mat>& test) {
    const float big = std::max(train.cwiseAbs().maxCoeff(), test.cwiseAbs().maxCoeff());
    if (big == 0.0f || (big >= std::ldexp(1.0f, -40) && big <= std::ldexp(1.0f, 40))) return 1.0f;
    int e = 0;
    std::frexp(big, &e);  // big = f * 2^e, f in [0.5, 1)
    // 2^-e must itself be a float: codes below 2^-125 (subnormal) are scaled up by 2^125 only.
    return std::ldexp(1.0f, -std::clamp(e, -125, 128));
}

}  // namespace

VecD principal_angles_d(const MatD& A, const MatD& B) {
    AELAB_REQUIRE(A.rows() == B.rows(), "principal_angles: A and B must have the same number of rows "
                                        "(ambient dimension d); got " + std::to_string(A.rows()) +
                                            " and " + std::to_string(B.rows()));
    const MatD QA = orthonormal_basis(A, "A");
    const MatD QB = orthonormal_basis(B, "B");
    const Index q = std::min(QA.cols(), QB.cols());

    const MatD M = QA.transpose() * QB;  // ra x rb
    Eigen::JacobiSVD<MatD> svc(M);
    const VecD cosv = svc.singularValues();  // descending, q of them

    // Sines: singular values of the part of Q_B outside range(Q_A). The smallest q of them
    // are sin(theta_1..q) ascending (any others equal 1).
    const MatD Bperp = QB - QA * M;  // d x rb
    Eigen::JacobiSVD<MatD> svs(Bperp);
    VecD sinv = svs.singularValues();
    std::sort(sinv.data(), sinv.data() + sinv.size());

    VecD th(q);
    for (Index i = 0; i < q; ++i) {
        const double c = std::min(1.0, cosv(i));
        const double s = i < sinv.size() ? std::min(1.0, sinv(i)) : 0.0;
        // Knyazev & Argentati: sine-based below pi/4 (cos^2 > 1/2), cosine-based above.
        th(i) = (c * c > 0.5) ? std::asin(s) : std::acos(c);
    }
    std::sort(th.data(), th.data() + th.size());
    return th;
}

// ---------------------------------------------------------------------------------------

std::vector<int> knn_predict(const Eigen::Ref<const Mat>& train, const std::vector<int>& train_labels,
                             const Eigen::Ref<const Mat>& test, int k,
                             const std::vector<Index>* train_subset) {
    const Index m = train.rows(), Ntr = train.cols(), Nte = test.cols();
    AELAB_REQUIRE(k >= 1, "knn: k must be >= 1 (got " + std::to_string(k) + ")");
    AELAB_REQUIRE(test.rows() == m, "knn: train codes have " + std::to_string(m) +
                                        " rows but test codes have " + std::to_string(test.rows()) +
                                        " (both must be m x N, one code per column)");
    AELAB_REQUIRE(static_cast<Index>(train_labels.size()) == Ntr,
                  "knn: " + std::to_string(train_labels.size()) + " train labels for " +
                      std::to_string(Ntr) + " train columns");
    AELAB_REQUIRE(m >= 1, "knn: codes have no rows");
    AELAB_REQUIRE(train.allFinite(), "knn: train codes contain NaN or Inf");
    AELAB_REQUIRE(test.allFinite(), "knn: test codes contain NaN or Inf");
    if (train.cols() >= 1 && test.cols() >= 1) {
        const float scale = knn_code_scale(train, test);
        if (scale != 1.0f) {  // see knn_code_scale: same neighbours, no overflow
            const Mat tr_s = train * scale, te_s = test * scale;
            return knn_predict_finite(tr_s, train_labels, te_s, k, train_subset);
        }
    }
    return knn_predict_finite(train, train_labels, test, k, train_subset);
}

namespace {

// knn_predict on checked codes of a safe magnitude (see knn_code_scale).
std::vector<int> knn_predict_finite(const Eigen::Ref<const Mat>& train, const std::vector<int>& train_labels,
                                    const Eigen::Ref<const Mat>& test, int k,
                                    const std::vector<Index>* train_subset) {
    const Index m = train.rows(), Ntr = train.cols(), Nte = test.cols();

    // Neighbour pool as rows of TrT (n x m) so a block of distances is one GEMM.
    std::vector<Index> idx;
    if (train_subset) {
        idx = *train_subset;
        std::sort(idx.begin(), idx.end());
        idx.erase(std::unique(idx.begin(), idx.end()), idx.end());
        for (Index i : idx)
            AELAB_REQUIRE(i >= 0 && i < Ntr, "knn: train_subset index " + std::to_string(i) +
                                                 " is outside [0, " + std::to_string(Ntr) + ")");
    } else {
        idx.resize(static_cast<std::size_t>(Ntr));
        for (Index i = 0; i < Ntr; ++i) idx[static_cast<std::size_t>(i)] = i;
    }
    const Index n = static_cast<Index>(idx.size());
    AELAB_REQUIRE(n >= 1, "knn: no train samples to take neighbours from");
    Mat TrT(n, m);
    std::vector<int> lab(static_cast<std::size_t>(n));
    if (train_subset) {
        for (Index i = 0; i < n; ++i) {
            TrT.row(i) = train.col(idx[static_cast<std::size_t>(i)]).transpose();
            lab[static_cast<std::size_t>(i)] = train_labels[static_cast<std::size_t>(idx[static_cast<std::size_t>(i)])];
        }
    } else {
        TrT = train.transpose();
        lab = train_labels;
    }
    const Vec tr2 = TrT.rowwise().squaredNorm();
    const Index kk = std::min<Index>(k, n);

    const Index tb = 256, rb = 2048;
    Mat D(std::min(rb, n), std::min(tb, std::max<Index>(Nte, 1)));
    std::vector<float> bd(static_cast<std::size_t>(tb * kk));
    std::vector<Index> bi(static_cast<std::size_t>(tb * kk));
    std::vector<int> pred(static_cast<std::size_t>(Nte));

    for (Index t0 = 0; t0 < Nte; t0 += tb) {
        const Index nt = std::min(tb, Nte - t0);
        std::fill(bd.begin(), bd.end(), std::numeric_limits<float>::infinity());
        std::fill(bi.begin(), bi.end(), Index(-1));
        for (Index r0 = 0; r0 < n; r0 += rb) {
            const Index rn = std::min(rb, n - r0);
            D.topLeftCorner(rn, nt).noalias() = TrT.middleRows(r0, rn) * test.middleCols(t0, nt);
            for (Index t = 0; t < nt; ++t) {
                float* dist = bd.data() + t * kk;
                Index* id = bi.data() + t * kk;
                const float* dot = D.col(t).data();
                const float* n2 = tr2.data() + r0;
                float worst = dist[kk - 1];
                for (Index i = 0; i < rn; ++i) {
                    // ||a - b||^2 minus the constant ||b||^2 of this test code.
                    const float v = n2[i] - 2.0f * dot[i];
                    if (v < worst) {
                        Index p = kk - 1;
                        while (p > 0 && dist[p - 1] > v) {
                            dist[p] = dist[p - 1];
                            id[p] = id[p - 1];
                            --p;
                        }
                        dist[p] = v;
                        id[p] = r0 + i;
                        worst = dist[kk - 1];
                    }
                }
            }
        }
        // Majority vote; ties to the class met first in nearest-first order.
        for (Index t = 0; t < nt; ++t) {
            const Index* id = bi.data() + t * kk;
            // Every slot holds a neighbour: the codes are finite and scaled, so every
            // distance is finite and beats the initial +inf. Checked, never assumed.
            for (Index a = 0; a < kk; ++a)
                AELAB_REQUIRE(id[a] >= 0, "knn: no finite distance from test code " + std::to_string(t0 + t) +
                                              " to " + std::to_string(kk) + " train codes (codes of magnitude " +
                                              "beyond float range?)");
            int best = lab[static_cast<std::size_t>(id[0])];
            int best_count = 0;
            for (Index a = 0; a < kk; ++a) {
                const int la = lab[static_cast<std::size_t>(id[a])];
                int c = 0;
                for (Index b = 0; b < kk; ++b) c += lab[static_cast<std::size_t>(id[b])] == la;
                if (c > best_count) {
                    best_count = c;
                    best = la;
                }
            }
            pred[static_cast<std::size_t>(t0 + t)] = best;
        }
    }
    return pred;
}

}  // namespace

double knn_accuracy(const Eigen::Ref<const Mat>& train, const std::vector<int>& train_labels,
                    const Eigen::Ref<const Mat>& test, const std::vector<int>& test_labels, int k,
                    const std::vector<Index>* train_subset) {
    AELAB_REQUIRE(test.cols() >= 1, "knn_accuracy: no test samples");
    AELAB_REQUIRE(static_cast<Index>(test_labels.size()) == test.cols(),
                  "knn_accuracy: " + std::to_string(test_labels.size()) + " test labels for " +
                      std::to_string(test.cols()) + " test columns");
    const std::vector<int> pred = knn_predict(train, train_labels, test, k, train_subset);
    std::size_t hits = 0;
    for (std::size_t i = 0; i < pred.size(); ++i) hits += pred[i] == test_labels[i];
    return static_cast<double>(hits) / static_cast<double>(pred.size());
}

std::vector<Index> select_per_class(const std::vector<int>& labels, int per_class, std::uint64_t seed) {
    AELAB_REQUIRE(per_class >= 1, "select_per_class: per_class must be >= 1 (got " +
                                      std::to_string(per_class) + ")");
    AELAB_REQUIRE(!labels.empty(), "select_per_class: no labels");
    std::map<int, std::vector<Index>> by_class;  // ascending label order
    for (std::size_t i = 0; i < labels.size(); ++i) by_class[labels[i]].push_back(static_cast<Index>(i));
    Rng rng(seed);
    std::vector<Index> out;
    for (auto& kv : by_class) {
        std::vector<Index>& v = kv.second;
        const std::size_t take = std::min<std::size_t>(static_cast<std::size_t>(per_class), v.size());
        for (std::size_t i = 0; i < take; ++i) {  // partial Fisher-Yates
            const std::size_t j = i + rng.below(static_cast<std::uint32_t>(v.size() - i));
            std::swap(v[i], v[j]);
        }
        out.insert(out.end(), v.begin(), v.begin() + static_cast<std::ptrdiff_t>(take));
    }
    std::sort(out.begin(), out.end());
    return out;
}

double knn_accuracy_few_labels(const Eigen::Ref<const Mat>& train, const std::vector<int>& train_labels,
                               const Eigen::Ref<const Mat>& test, const std::vector<int>& test_labels,
                               int per_class, int k, std::uint64_t seed) {
    AELAB_REQUIRE(static_cast<Index>(train_labels.size()) == train.cols(),
                  "knn_accuracy_few_labels: " + std::to_string(train_labels.size()) +
                      " train labels for " + std::to_string(train.cols()) + " train columns");
    const std::vector<Index> subset = select_per_class(train_labels, per_class, seed);
    return knn_accuracy(train, train_labels, test, test_labels, k, &subset);
}

}  // namespace aelab
