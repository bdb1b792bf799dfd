// aelab/idx.hpp — parser for IDX files (the MNIST / Fashion-MNIST format) from bytes.
//
// What: parse_idx() validates and decodes an unsigned-byte IDX file held in memory;
// load_images() / load_labels() / make_image_dataset() turn MNIST-style files into a
// Dataset (X is rows*cols x N in [0, 1], one image per COLUMN, pixels row-major).
// Why: core does no file I/O, so callers (the CLI, the browser's fetch) hand over bytes.
// The parser treats its input as hostile: every header field is checked, sizes are
// computed with overflow checks and compared with the real byte count BEFORE anything is
// allocated, so an absurd header gives an aelab::Error, never a huge allocation.
// Files must be uncompressed (gunzip *.gz first; a gzip header is reported as such).
// Usage:
//     aelab::Dataset train = aelab::make_image_dataset(img.data(), img.size(),
//                                                      lab.data(), lab.size(), "mnist-train");
//     // train.X: 784 x 60000, train.y: 60000 labels, train.image_rows == 28
//
// IDX layout (big-endian): bytes 0-1 zero, byte 2 element type (0x08 = unsigned byte; the
// only type accepted here), byte 3 rank r, then r u32 dimensions, then the elements in
// row-major order (last dimension fastest).
#pragma once

#include "aelab/common.hpp"
#include "aelab/datasets.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace aelab {

struct IdxLimits {
    // Largest accepted number of elements (product of dims). The data must also be
    // present in the buffer, so this mainly bounds what callers derive from it (a float
    // matrix is 4x the bytes). 2^31 elements is ~36x full MNIST training images.
    std::uint64_t max_elements = std::uint64_t(1) << 31;
};

struct IdxArray {
    std::uint8_t type_code = 0;          // 0x08 (unsigned byte)
    std::vector<std::uint32_t> dims;     // rank 1..4; dims[0] is the item count
    std::vector<std::uint8_t> data;      // product(dims) bytes, row-major
    std::size_t num_items() const { return dims.empty() ? 0 : dims[0]; }
};

// Header information only; data starts at `data_offset` in the buffer.
struct IdxHeader {
    std::uint8_t type_code = 0;
    std::vector<std::uint32_t> dims;
    std::size_t data_offset = 0;          // 4 + 4 * rank
    std::uint64_t num_elements = 0;       // product(dims)
};

// Validates the whole file (magic, type, rank, dims, limits, exact size) without
// allocating anything proportional to the claimed sizes. Throws aelab::Error.
IdxHeader parse_idx_header(const std::uint8_t* data, std::size_t size,
                           const IdxLimits& limits = {});

// parse_idx_header() + a copy of the elements.
IdxArray parse_idx(const std::uint8_t* data, std::size_t size, const IdxLimits& limits = {});

// MNIST image file (magic 0x00000803: unsigned bytes, rank 3 = N x rows x cols).
// X is rows*cols x N with values byte / 255 in [0, 1]; column n is image n, row-major.
struct ImageSet {
    Mat X;        // rows*cols x N
    int rows = 0;
    int cols = 0;
};
ImageSet load_images(const std::uint8_t* data, std::size_t size, const IdxLimits& limits = {});

// MNIST label file (magic 0x00000801: unsigned bytes, rank 1 = N). Values 0..255.
std::vector<int> load_labels(const std::uint8_t* data, std::size_t size,
                             const IdxLimits& limits = {});

// Images + labels -> Dataset. Counts must match. num_classes = max label + 1 (10 for
// MNIST). name is free text shown in the UI ("mnist-train").
Dataset make_image_dataset(const std::uint8_t* images, std::size_t images_size,
                           const std::uint8_t* labels, std::size_t labels_size,
                           const std::string& name, const IdxLimits& limits = {});

// Serialises an unsigned-byte array to IDX bytes (tests, exporting subsets).
// dims.size() in 1..4, every dim > 0, data.size() == product(dims).
std::vector<std::uint8_t> write_idx(const std::vector<std::uint32_t>& dims,
                                    const std::vector<std::uint8_t>& data);

}  // namespace aelab
