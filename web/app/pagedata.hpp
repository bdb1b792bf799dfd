// pagedata.hpp: the playground's MNIST / Fashion-MNIST subsets, cut one way everywhere.
//
// What: cut_page_subsets() draws a class-stratified subset of a full training and test set
// (aelab::subset_stratified; training with `seed`, test with `seed + 1`; original order
// kept) and returns both as IDX bytes (images u8 {n, rows, cols}, labels u8 {n}), checked
// by parsing them back with the parser the app uses.
// Why: the page's build step (native/tools/mkpagedata.cpp, whose files the browser fetches)
// and the desktop app (native/main_desktop.cpp, which reads data/ directly) must show the
// same images; each used to carry its own copy of the subsetting with its own seed
// constants. Pure (no file I/O): unit-tested in tests/unit/test_controller.cpp.
// Usage:
//     PageSubsets s = cut_page_subsets(full_train, full_test);            // 5000 / 1000
//     app.on_image_data(kind, s.train.images, s.train.labels, s.test.images, s.test.labels, dir);
#pragma once

#include "aelab/datasets.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace aelab::app {

constexpr Index kPageTrain = 5000;               // training images served to the page
constexpr Index kPageTest = 1000;                // test images
constexpr std::uint64_t kPageSeed = 20240517;    // training subset; the test subset uses +1

struct IdxPair {
    std::vector<std::uint8_t> images, labels;
};
struct PageSubsets {
    IdxPair train, test;
};

// A labelled image Dataset (X = bytes / 255) as IDX bytes; throws aelab::Error when the
// bytes do not parse back to the same data.
IdxPair dataset_to_idx(const Dataset& ds);

// n_train / n_test must not exceed the sets' sizes (aelab::Error otherwise).
PageSubsets cut_page_subsets(const Dataset& train, const Dataset& test, Index n_train = kPageTrain,
                             Index n_test = kPageTest, std::uint64_t seed = kPageSeed);

}  // namespace aelab::app
