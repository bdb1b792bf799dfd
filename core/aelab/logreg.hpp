// aelab/logreg.hpp — L2-regularised logistic regression (binary and multinomial) with
// accuracy and ROC AUC, for "how good are these features for a linear classifier?".
//
// What: LogisticRegression fits, in double precision,
//     minimise  sum_i CE(y_i, softmax(W x_i + b))  +  1/(2C) * ||W||_F^2
// (the loss SUMMED over samples, the intercepts b NOT penalised: scikit-learn's
// LogisticRegression(solver="lbfgs", C=C) objective). Like scikit-learn's default
// multi_class="auto", two classes are fitted as ONE sigmoid (W: 1 x d, P(class 1) =
// sigmoid(w.x + b)), three or more as a multinomial softmax (W: K x d). The minimiser is
// L-BFGS (double, 10 curvature pairs, backtracking Armijo line search) run until the largest
// gradient entry is below `tol` (an absolute bound on the summed loss's gradient) or
// `max_iter` iterations; the result says which. On large data f's rounding (|f| * 1e-16)
// can hide the last decreases: when no step decreases f any more, the fit stops and counts
// as converged if max |gradient| <= 1e-8 * max(1, |f|) (else converged = false). Data are given as d x N (one sample per
// column, the core's Dataset form).
// Metrics: accuracy(); roc_auc() — binary: the exact Mann-Whitney rank statistic
// P(score(pos) > score(neg)) + 0.5 P(equal) (ties get half credit, as scikit-learn's
// roc_auc_score); multiclass: one-vs-rest, the unweighted (macro) mean over classes of the
// binary AUC of P(class k) for "k vs the rest" (scikit-learn's multi_class="ovr",
// average="macro").
// Why: the tabular experiments (aelab classify, issue 12) compare features (raw, PCA codes,
// autoencoder codes) by a downstream linear classifier, as the course and KernelML do;
// fitting to the optimum (not a fixed number of epochs) makes the figures reproducible
// against scikit-learn (tests/repro/logreg_sklearn.py).
// Usage:
//     aelab::LogisticRegression lr;                     // C = 1
//     lr.fit(Xtrain, ytrain, 2);                        // Xtrain: d x N (MatD), labels in [0, 2)
//     aelab::MatD P = lr.predict_proba(Xtest);          // K x M, columns sum to 1
//     double acc = aelab::accuracy(lr.predict(Xtest), ytest);
//     double auc = aelab::roc_auc(P, ytest);            // binary or macro one-vs-rest
#pragma once

#include "aelab/common.hpp"

#include <vector>

namespace aelab {

struct LogRegOptions {
    double C = 1.0;        // inverse regularisation strength, > 0 (scikit-learn's default)
    int max_iter = 1000;   // L-BFGS iterations, >= 1
    double tol = 1e-6;     // stop when max |gradient| <= tol, > 0
    int history = 10;      // L-BFGS curvature pairs, >= 1
    void validate() const; // throws aelab::Error
};

class LogisticRegression {
public:
    explicit LogisticRegression(const LogRegOptions& o = {}) : opt_(o) { o.validate(); }

    // X: d x N (finite), y: N labels in [0, num_classes), num_classes >= 2, N >= 1.
    // Throws aelab::Error on bad shapes, labels or non-finite values.
    void fit(const MatD& X, const std::vector<int>& y, int num_classes);
    bool fitted() const { return num_classes_ > 0; }

    // K x M class probabilities (K = num_classes; binary: row 0 = 1 - p, row 1 = p).
    MatD predict_proba(const MatD& X) const;
    std::vector<int> predict(const MatD& X) const;  // argmax (ties: the lower class)

    // The objective above and its gradient (same layout as the parameters: W then b,
    // column-major W) at the current parameters; for tests and diagnostics.
    double objective(const MatD& X, const std::vector<int>& y, VecD* grad = nullptr) const;
    // The parameters as one vector (W column-major, then b) and back.
    VecD params() const;
    void set_params(const VecD& p);
    // Prepares an unfitted model of the given shape (all-zero parameters) for objective().
    void init(Index dim, int num_classes);

    MatD coef;            // R x d, R = 1 (binary) or K
    VecD intercept;       // R
    int num_classes() const { return num_classes_; }
    int iterations = 0;   // L-BFGS iterations used by fit()
    bool converged = false;
    double final_objective = 0;
    double final_grad_max = 0;

private:
    LogRegOptions opt_;
    int num_classes_ = 0;
    MatD scores(const MatD& X) const;  // R x M = coef X + intercept
};

// Share of predictions equal to the labels (sizes must match, N >= 1).
double accuracy(const std::vector<int>& pred, const std::vector<int>& y);
// Binary AUC of `score` for the positives (positive[i] true) against the rest: exact rank
// statistic with ties counted 1/2. NaN when one of the two groups is empty.
double roc_auc_binary(const std::vector<double>& score, const std::vector<bool>& positive);
// K x N probabilities: K == 2 -> roc_auc_binary(row 1, y == 1); K > 2 -> macro mean over k of
// roc_auc_binary(row k, y == k), skipping classes absent from y (NaN if fewer than 2 present).
double roc_auc(const MatD& proba, const std::vector<int>& y);

// One fitted classifier and its scores: `aelab classify`'s row and the page's classifier panel.
struct LogRegScores {
    LogisticRegression model;
    double train_acc = 0, test_acc = 0, test_auc = 0;
};
// Fits on (Xtrain, ytrain) with `options` and scores accuracy on both splits and ROC AUC on
// the test split (d x N / d x M, labels in [0, classes)); throws like fit().
LogRegScores fit_and_score(const MatD& Xtrain, const std::vector<int>& ytrain, const MatD& Xtest,
                           const std::vector<int>& ytest, int classes, const LogRegOptions& options);

}  // namespace aelab
