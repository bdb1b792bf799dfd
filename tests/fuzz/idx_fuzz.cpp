// tests/fuzz/idx_fuzz.cpp — libFuzzer harness for the IDX parser and the image loaders.
//
// What: the input is an images file followed by a labels file (as one byte string). It is
// split after the size the first file's header claims (or in the middle when that claim
// does not fit), and each part goes through what the product calls on downloaded or local
// IDX bytes: parse_idx_header / parse_idx / load_images / load_labels (core/src/idx.cpp),
// make_image_dataset (CLI load_data, desktop) and the page's make_image_bundle
// (web/app/session.cpp, which also cuts subsets with subset_first).
// Properties checked beyond "no crash": only aelab::Error is thrown; a parsed array has
// product(dims) bytes and write_idx() gives the input back byte for byte; images are in
// [0, 1] with one column per image; labels and images agree in count; num_classes is
// max label + 1; the bundle keeps at most the requested number of samples.
// Why: data files come from downloads and from users' folders; a corrupt header must give
// a message, never a huge allocation or an out-of-bounds read.
// Usage: scripts/fuzz 60 idx   (seeds: tests/fuzz/corpus/idx/, cut from data/mnist)
#include "fuzz_util.hpp"

#include "aelab/idx.hpp"
#include "session.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

using namespace aelab;
using aelab_fuzz::expect_errors_only;

namespace {

std::uint32_t be32(const std::uint8_t* p) {
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
}

// Where the first file ends: after 4 + 4 r header bytes and product(dims) data bytes when
// that fits in the input, else in the middle.
std::size_t split_point(const std::uint8_t* d, std::size_t n) {
    if (n >= 4 && d[0] == 0 && d[1] == 0 && d[3] >= 1 && d[3] <= 4) {
        const std::size_t head = 4 + 4 * std::size_t(d[3]);
        if (n >= head) {
            std::uint64_t prod = 1;
            for (std::size_t i = 0; i < d[3] && prod <= n; ++i) prod *= be32(d + 4 + 4 * i);
            if (prod <= n - head) return head + std::size_t(prod);
        }
    }
    return n / 2;
}

void check_one_file(const std::uint8_t* d, std::size_t n) {
    IdxArray a;
    if (expect_errors_only("parse_idx", [&] { a = parse_idx(d, n); })) {
        std::uint64_t prod = 1;
        for (auto x : a.dims) prod *= x;
        FUZZ_CHECK(!a.dims.empty() && a.dims.size() <= 4, "rank out of 1..4");
        FUZZ_CHECK(a.data.size() == prod, "element count differs from product(dims)");
        FUZZ_CHECK(n == 4 + 4 * a.dims.size() + a.data.size(), "accepted a file of the wrong size");
        std::vector<std::uint8_t> back = write_idx(a.dims, a.data);
        FUZZ_CHECK(back.size() == n && std::equal(back.begin(), back.end(), d),
                   "write_idx(parse_idx(x)) != x");
    }
    ImageSet im;
    if (expect_errors_only("load_images", [&] { im = load_images(d, n); })) {
        FUZZ_CHECK(im.X.rows() == Index(im.rows) * im.cols, "image matrix rows != rows*cols");
        FUZZ_CHECK(im.X.size() == 0 || (im.X.minCoeff() >= 0.0f && im.X.maxCoeff() <= 1.0f),
                   "pixel outside [0, 1]");
    }
    std::vector<int> y;
    if (expect_errors_only("load_labels", [&] { y = load_labels(d, n); }))
        for (int v : y) FUZZ_CHECK(v >= 0 && v <= 255, "label outside 0..255");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::size_t cut = split_point(data, size);
    // Copies, so that ASan sees the exact end of each part.
    const std::vector<std::uint8_t> images(data, data + cut), labels(data + cut, data + size);
    check_one_file(images.data(), images.size());
    check_one_file(labels.data(), labels.size());

    Dataset ds;
    if (expect_errors_only("make_image_dataset", [&] {
            ds = make_image_dataset(images.data(), images.size(), labels.data(), labels.size(), "fuzz");
        })) {
        FUZZ_CHECK(ds.X.cols() == Index(ds.y.size()), "images and labels differ in count");
        FUZZ_CHECK(ds.X.rows() == Index(ds.image_rows) * ds.image_cols, "dimension != rows*cols");
        FUZZ_CHECK(!ds.y.empty() && ds.num_classes == 1 + *std::max_element(ds.y.begin(), ds.y.end()),
                   "num_classes is not max label + 1");
    }
    // The page: train and test are the same pair here; small caps exercise subset_first.
    app::DataBundle b;
    if (expect_errors_only("make_image_bundle", [&] {
            b = app::make_image_bundle(app::DatasetKind::MNIST, images, labels, images, labels, 12, 10);
        })) {
        FUZZ_CHECK(b.train.dim() == 784 && b.test.dim() == 784, "bundle accepted non-28x28 images");
        FUZZ_CHECK(b.train.size() >= 10 && b.train.size() <= 12 && b.test.size() == 10,
                   "bundle sizes outside what was asked");
        FUZZ_CHECK(Index(b.train.y.size()) == b.train.size(), "bundle labels != images");
    }
    return 0;
}
