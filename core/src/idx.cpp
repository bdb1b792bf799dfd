// IDX parsing: see aelab/idx.hpp. Every size is validated before any allocation.
#include "aelab/idx.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>

namespace aelab {
namespace {

std::string hex32(std::uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08X", static_cast<unsigned>(v));
    return buf;
}

std::string hex8(std::uint32_t v) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02X", static_cast<unsigned>(v & 0xFFu));
    return buf;
}

std::uint32_t read_be32(const std::uint8_t* p) {
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) |
           (std::uint32_t(p[2]) << 8) | std::uint32_t(p[3]);
}

const char* idx_type_name(std::uint8_t t) {
    switch (t) {
        case 0x08: return "unsigned byte";
        case 0x09: return "signed byte";
        case 0x0B: return "int16";
        case 0x0C: return "int32";
        case 0x0D: return "float32";
        case 0x0E: return "float64";
        default: return "unknown";
    }
}

std::string dims_to_string(const std::vector<std::uint32_t>& dims) {
    std::string s;
    for (std::size_t i = 0; i < dims.size(); ++i) {
        if (i) s += " x ";
        s += std::to_string(dims[i]);
    }
    return s;
}

// Checks that the file is an unsigned-byte IDX file of the given rank (MNIST helpers).
IdxHeader expect_idx(const char* what, std::uint32_t expected_magic, const std::uint8_t* data,
                     std::size_t size, const IdxLimits& limits) {
    if (data != nullptr && size >= 4) {
        std::uint32_t magic = read_be32(data);
        if (magic != expected_magic && (magic >> 16) == 0 && data[2] == 0x08)
            throw Error(std::string(what) + ": expected magic " + hex32(expected_magic) +
                        " (unsigned bytes, rank " + std::to_string(expected_magic & 0xFFu) +
                        "), got " + hex32(magic) + " (rank " + std::to_string(data[3]) +
                        ") - wrong file (images and labels swapped?)");
    }
    try {
        return parse_idx_header(data, size, limits);
    } catch (const Error& e) {
        throw Error(std::string(what) + ": " + e.what());
    }
}

}  // namespace

IdxHeader parse_idx_header(const std::uint8_t* data, std::size_t size, const IdxLimits& limits) {
    if (data == nullptr || size == 0)
        throw Error("IDX file: empty input (0 bytes); expected at least a 4-byte magic number");
    if (size < 4)
        throw Error("IDX file: too short (" + std::to_string(size) +
                    " bytes) to hold the 4-byte magic number");
    const std::uint32_t magic = read_be32(data);
    if (data[0] == 0x1F && data[1] == 0x8B)
        throw Error("IDX file: input is gzip-compressed (starts with 1f 8b); decompress it "
                    "first (gunzip), core does not decompress");
    if (data[0] != 0 || data[1] != 0)
        throw Error("IDX file: expected magic 0x000008NN (first two bytes zero), got " +
                    hex32(magic) + " - not an IDX file");
    IdxHeader h;
    h.type_code = data[2];
    if (h.type_code != 0x08)
        throw Error("IDX file: unsupported element type " + hex8(h.type_code) + " (" +
                    idx_type_name(h.type_code) +
                    "); only unsigned-byte IDX (type 0x08, as MNIST) is supported");
    const unsigned rank = data[3];
    if (rank < 1 || rank > 4)
        throw Error("IDX file: unsupported rank " + std::to_string(rank) +
                    " (magic " + hex32(magic) + "); expected 1 to 4 dimensions");
    h.data_offset = 4 + 4 * std::size_t(rank);
    if (size < h.data_offset)
        throw Error("IDX file: truncated header: rank " + std::to_string(rank) + " needs " +
                    std::to_string(h.data_offset) + " header bytes, file has " +
                    std::to_string(size));
    h.dims.resize(rank);
    std::uint64_t product = 1;
    bool overflow = false;
    for (unsigned i = 0; i < rank; ++i) {
        h.dims[i] = read_be32(data + 4 + 4 * i);
        if (h.dims[i] == 0)
            throw Error("IDX file: dimension " + std::to_string(i) + " is 0 (dims " +
                        dims_to_string(h.dims) + "); the file contains no items");
        if (!overflow) {
            if (product > std::numeric_limits<std::uint64_t>::max() / h.dims[i])
                overflow = true;
            else
                product *= h.dims[i];
        }
    }
    if (overflow)
        throw Error("IDX file: dimensions " + dims_to_string(h.dims) +
                    " describe more than 2^64 elements; the header is corrupt");
    if (product > limits.max_elements)
        throw Error("IDX file: dimensions " + dims_to_string(h.dims) + " describe " +
                    std::to_string(product) + " elements, more than the limit of " +
                    std::to_string(limits.max_elements) + "; the header is corrupt or the "
                    "file is too large for this build (raise IdxLimits::max_elements)");
    h.num_elements = product;
    const std::uint64_t have = size - h.data_offset;
    if (have < product)
        throw Error("IDX file: truncated: header (dims " + dims_to_string(h.dims) + ") says " +
                    std::to_string(product) + " bytes of data, file has " +
                    std::to_string(have) + " (incomplete download?)");
    if (have > product)
        throw Error("IDX file: " + std::to_string(have - product) +
                    " unexpected trailing bytes after the data: header (dims " +
                    dims_to_string(h.dims) + ") says " + std::to_string(product) +
                    " bytes of data, file has " + std::to_string(have));
    return h;
}

IdxArray parse_idx(const std::uint8_t* data, std::size_t size, const IdxLimits& limits) {
    IdxHeader h = parse_idx_header(data, size, limits);
    IdxArray a;
    a.type_code = h.type_code;
    a.dims = std::move(h.dims);
    const std::uint8_t* begin = data + h.data_offset;
    a.data.assign(begin, begin + static_cast<std::size_t>(h.num_elements));
    return a;
}

ImageSet load_images(const std::uint8_t* data, std::size_t size, const IdxLimits& limits) {
    IdxHeader h = expect_idx("IDX images", 0x00000803u, data, size, limits);
    if (h.dims.size() != 3)
        throw Error("IDX images: expected magic 0x00000803 (unsigned bytes, rank 3 = "
                    "N x rows x cols), got rank " + std::to_string(h.dims.size()) +
                    " (dims " + dims_to_string(h.dims) + ")");
    const std::uint32_t n = h.dims[0], rows = h.dims[1], cols = h.dims[2];
    const auto int_max = static_cast<std::uint32_t>(std::numeric_limits<int>::max());
    if (n > int_max || rows > int_max || cols > int_max ||
        std::uint64_t(rows) * cols > int_max)
        throw Error("IDX images: dimensions " + dims_to_string(h.dims) + " are too large");
    // On wasm32 Index and size_t are 32-bit: the float matrix must be addressable.
    if (h.num_elements > static_cast<std::uint64_t>(std::numeric_limits<Index>::max()) ||
        h.num_elements > std::numeric_limits<std::size_t>::max() / sizeof(float))
        throw Error("IDX images: " + std::to_string(h.num_elements) + " pixels (dims " +
                    dims_to_string(h.dims) + ") do not fit in memory as floats on this "
                    "platform; load a subset of the file");
    ImageSet s;
    s.rows = static_cast<int>(rows);
    s.cols = static_cast<int>(cols);
    const Index d = Index(rows) * Index(cols);
    s.X.resize(d, Index(n));
    // Row-major pixels of image j are contiguous and so is column j of X (column-major).
    const std::uint8_t* src = data + h.data_offset;
    float* dst = s.X.data();
    const std::size_t total = static_cast<std::size_t>(h.num_elements);
    constexpr float inv255 = 1.0f / 255.0f;
    for (std::size_t i = 0; i < total; ++i) dst[i] = float(src[i]) * inv255;
    return s;
}

std::vector<int> load_labels(const std::uint8_t* data, std::size_t size, const IdxLimits& limits) {
    IdxHeader h = expect_idx("IDX labels", 0x00000801u, data, size, limits);
    if (h.dims.size() != 1)
        throw Error("IDX labels: expected magic 0x00000801 (unsigned bytes, rank 1 = N), got "
                    "rank " + std::to_string(h.dims.size()) + " (dims " +
                    dims_to_string(h.dims) + ")");
    const std::uint8_t* src = data + h.data_offset;
    return std::vector<int>(src, src + h.dims[0]);
}

Dataset make_image_dataset(const std::uint8_t* images, std::size_t images_size,
                           const std::uint8_t* labels, std::size_t labels_size,
                           const std::string& name, const IdxLimits& limits) {
    // Validate both headers (cheap) before converting the images.
    IdxHeader hi = expect_idx("IDX images", 0x00000803u, images, images_size, limits);
    IdxHeader hl = expect_idx("IDX labels", 0x00000801u, labels, labels_size, limits);
    if (hi.dims.size() == 3 && hl.dims.size() == 1 && hi.dims[0] != hl.dims[0])
        throw Error("data set '" + name + "': the image file has " + std::to_string(hi.dims[0]) +
                    " images but the label file has " + std::to_string(hl.dims[0]) +
                    " labels; do the files belong together (train vs t10k)?");
    std::vector<int> y = load_labels(labels, labels_size, limits);
    ImageSet im = load_images(images, images_size, limits);
    Dataset ds;
    ds.X = std::move(im.X);
    ds.y = std::move(y);
    ds.image_rows = im.rows;
    ds.image_cols = im.cols;
    ds.num_classes = 1 + *std::max_element(ds.y.begin(), ds.y.end());
    ds.name = name;
    return ds;
}

std::vector<std::uint8_t> write_idx(const std::vector<std::uint32_t>& dims,
                                    const std::vector<std::uint8_t>& data) {
    AELAB_REQUIRE(!dims.empty() && dims.size() <= 4,
                  "write_idx: rank must be 1 to 4, got " + std::to_string(dims.size()));
    std::uint64_t product = 1;
    for (std::uint32_t d : dims) {
        AELAB_REQUIRE(d > 0, "write_idx: every dimension must be > 0");
        // product <= data.size() so far; check before multiplying so it cannot overflow.
        AELAB_REQUIRE(product <= data.size() / d,
                      "write_idx: dims " + dims_to_string(dims) + " need more than the " +
                          std::to_string(data.size()) + " bytes given");
        product *= d;
    }
    AELAB_REQUIRE(product == data.size(), "write_idx: dims " + dims_to_string(dims) + " need " +
                                              std::to_string(product) + " bytes, got " +
                                              std::to_string(data.size()));
    std::vector<std::uint8_t> out;
    out.reserve(4 + 4 * dims.size() + data.size());
    out.push_back(0);
    out.push_back(0);
    out.push_back(0x08);
    out.push_back(static_cast<std::uint8_t>(dims.size()));
    for (std::uint32_t d : dims)
        for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<std::uint8_t>(d >> s));
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

}  // namespace aelab
