// pagedata.cpp: see pagedata.hpp.
#include "pagedata.hpp"

#include "aelab/idx.hpp"

#include <cmath>

namespace aelab::app {

IdxPair dataset_to_idx(const Dataset& ds) {
    AELAB_REQUIRE(ds.image_rows > 0 && ds.image_cols > 0, "dataset_to_idx: '" + ds.name + "' is not an image set");
    AELAB_REQUIRE(static_cast<Index>(ds.y.size()) == ds.size(), "dataset_to_idx: '" + ds.name + "' has no labels");
    const auto n = static_cast<std::uint32_t>(ds.size());
    const auto rows = static_cast<std::uint32_t>(ds.image_rows), cols = static_cast<std::uint32_t>(ds.image_cols);
    std::vector<std::uint8_t> pixels(static_cast<std::size_t>(ds.X.size()));
    const float* x = ds.X.data();  // column-major: image after image, each row-major
    for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<std::uint8_t>(std::lround(x[i] * 255.0f));
    std::vector<std::uint8_t> labels(ds.y.size());
    for (std::size_t i = 0; i < labels.size(); ++i) {
        AELAB_REQUIRE(ds.y[i] >= 0 && ds.y[i] < 256, "dataset_to_idx: label out of the byte range");
        labels[i] = static_cast<std::uint8_t>(ds.y[i]);
    }
    IdxPair p{write_idx({n, rows, cols}, pixels), write_idx({n}, labels)};
    // Round trip through the parser the app uses, so a bad file never reaches it.
    const Dataset check = make_image_dataset(p.images.data(), p.images.size(), p.labels.data(), p.labels.size(), "check");
    AELAB_REQUIRE(check.size() == ds.size() && check.y == ds.y && (check.X.array() == ds.X.array()).all(),
                  "dataset_to_idx: round trip mismatch for '" + ds.name + "'");
    return p;
}

PageSubsets cut_page_subsets(const Dataset& train, const Dataset& test, Index n_train, Index n_test,
                             std::uint64_t seed) {
    AELAB_REQUIRE(n_train > 0 && n_train <= train.size(),
                  "page subset: " + std::to_string(n_train) + " training images requested, the set has " +
                      std::to_string(train.size()));
    AELAB_REQUIRE(n_test > 0 && n_test <= test.size(),
                  "page subset: " + std::to_string(n_test) + " test images requested, the set has " +
                      std::to_string(test.size()));
    return {dataset_to_idx(subset_stratified(train, n_train, seed)), dataset_to_idx(subset_stratified(test, n_test, seed + 1))};
}

}  // namespace aelab::app
