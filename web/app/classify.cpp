// classify.cpp: see classify.hpp.
#include "classify.hpp"

#include <cmath>
#include <exception>
#include <limits>

namespace aelab::app {

ClassifyLimits classify_limits(Index n_train, Index n_test, Index dim, int classes) {
    ClassifyLimits l;
    const double work = double(n_train) * double(dim) * double(std::max(classes, 2) == 2 ? 1 : classes);
    if (work <= kClassifyBigWork) return l;
    l.max_train = std::min(n_train, kClassifyMaxRows);
    l.max_test = std::min(n_test, kClassifyMaxRows);
    l.options.max_iter = kClassifyBigIter;
    l.note = "large data: the first " + std::to_string(l.max_train) + " train / " + std::to_string(l.max_test) +
             " test rows, at most " + std::to_string(kClassifyBigIter) + " L-BFGS iterations";
    return l;
}

ClassifyRow classify_one(const ClassifyFeatures& f, const std::vector<int>& ytrain, const std::vector<int>& ytest,
                         int classes, const LogRegOptions& options) {
    ClassifyRow r;
    r.features = f.name;
    r.dim = f.train.rows();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    r.train_acc = r.test_acc = r.test_auc = nan;
    if (!f.train.allFinite() || !f.test.allFinite()) {
        r.error = "the features contain NaN or Inf";
        return r;
    }
    try {
        const LogRegScores s = fit_and_score(f.train.cast<double>(), ytrain, f.test.cast<double>(), ytest, classes, options);
        r.train_acc = s.train_acc;
        r.test_acc = s.test_acc;
        r.test_auc = s.test_auc;
        r.iterations = s.model.iterations;
        r.converged = s.model.converged;
    } catch (const std::exception& e) {
        r.error = e.what();
    }
    return r;
}

void ClassifyJob::start(std::vector<ClassifyFeatures> sets, std::vector<int> ytrain, std::vector<int> ytest,
                        int classes, const ClassifyLimits& limits) {
    AELAB_REQUIRE(classes >= 2, "a classifier needs labels of 2 or more classes");
    for (const ClassifyFeatures& f : sets)
        AELAB_REQUIRE(f.train.cols() == Index(ytrain.size()) && f.test.cols() == Index(ytest.size()),
                      "classifier: the features '" + f.name + "' do not match the labels");
    sets_ = std::move(sets);
    ytr_ = std::move(ytrain);
    yte_ = std::move(ytest);
    classes_ = classes;
    n_train_ = Index(ytr_.size());
    n_test_ = Index(yte_.size());
    limits_ = limits;
    next_ = 0;
    rows_.clear();
}

bool ClassifyJob::step() {
    if (done()) return false;
    rows_.push_back(classify_one(sets_[next_], ytr_, yte_, classes_, limits_.options));
    ++next_;
    return !done();
}

}  // namespace aelab::app
