// classify.hpp: the playground's classifier table — L2 logistic regression (aelab/logreg.hpp,
// as `aelab classify`) on the raw features, on PCA-k codes and on the autoencoder's codes.
//
// What: a ClassifyJob holds the three feature sets of one data set (train and test, d x N or
// k x N) and fits one LogisticRegression per step(), so the page spends at most one fit per
// frame; rows() are the finished rows: features, dim, train / test accuracy, test ROC AUC
// (binary, or one-vs-rest macro for 3+ classes), L-BFGS iterations, whether it converged.
// classify_limits() bounds the work by the problem's size: small data (the tables, the 2-D /
// 3-D sets) use every row and the CLI's options (C = 1, max_iter 1000, tol 1e-6), so the
// numbers equal `aelab classify`'s on the same split; large ones (784-D images) use the
// first kClassifyMaxRows training and test rows and at most kClassifyBigIter iterations
// (the table says so in its note), and the page fits their raw features only on request
// (a 784-feature, 10-class fit takes seconds in WebAssembly; the k-D codes take milliseconds).
// Why: the course (and KernelML's article) ask "are the codes good features?"; a table that
// answers it on the page, next to PCA at the same k, without freezing the page on MNIST.
// Pure (no ImGui): tests/unit/test_tabdata.cpp checks it against a direct fit.
// Usage:
//     ClassifyJob job;
//     job.start(feature_sets, ytrain, ytest, K, limits);   // FeatureSet{name, train, test}
//     while (!job.done()) job.step();                       // the page: one step per frame
//     for (const ClassifyRow& r : job.rows()) ...
#pragma once

#include "aelab/common.hpp"
#include "aelab/logreg.hpp"

#include <string>
#include <vector>

namespace aelab::app {

constexpr Index kClassifyMaxRows = 500;    // rows per split when the data are large
constexpr int kClassifyBigIter = 50;       // L-BFGS iterations when the data are large
constexpr double kClassifyBigWork = 2e6;   // rows * features * classes above which data are "large"

struct ClassifyLimits {
    Index max_train = 0, max_test = 0;  // 0: all rows
    LogRegOptions options;              // the CLI's defaults, or max_iter bounded
    std::string note;                   // "" or what was bounded
};
// The limits for a data set of n_train rows x dim features in `classes` classes.
ClassifyLimits classify_limits(Index n_train, Index n_test, Index dim, int classes);

struct ClassifyFeatures {
    std::string name;  // "raw", "PCA-2", "AE codes"
    Mat train, test;   // k x N_train, k x N_test (already limited to the rows used)
};

struct ClassifyRow {
    std::string features;
    Index dim = 0;
    double train_acc = 0, test_acc = 0, test_auc = 0;
    int iterations = 0;
    bool converged = false;
    std::string error;  // non-empty: this row failed (non-finite codes, ...); the numbers are NaN
};

// One fit as `aelab classify` does it (double precision, labels in [0, classes)).
ClassifyRow classify_one(const ClassifyFeatures& f, const std::vector<int>& ytrain, const std::vector<int>& ytest,
                         int classes, const LogRegOptions& options);

class ClassifyJob {
public:
    // Takes the feature sets (fitted in order by step()). Throws aelab::Error when there are
    // fewer than 2 classes or the labels do not match the columns.
    void start(std::vector<ClassifyFeatures> sets, std::vector<int> ytrain, std::vector<int> ytest, int classes,
               const ClassifyLimits& limits);
    // Fits the next feature set; returns true while more remain.
    bool step();
    bool done() const { return next_ >= sets_.size(); }
    bool started() const { return !sets_.empty(); }
    const std::vector<ClassifyRow>& rows() const { return rows_; }
    int classes() const { return classes_; }
    Index train_rows() const { return n_train_; }
    Index test_rows() const { return n_test_; }
    const ClassifyLimits& limits() const { return limits_; }

private:
    std::vector<ClassifyFeatures> sets_;
    std::vector<int> ytr_, yte_;
    int classes_ = 0;
    Index n_train_ = 0, n_test_ = 0;
    ClassifyLimits limits_;
    std::size_t next_ = 0;
    std::vector<ClassifyRow> rows_;
};

}  // namespace aelab::app
