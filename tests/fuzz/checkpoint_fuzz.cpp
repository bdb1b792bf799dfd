// tests/fuzz/checkpoint_fuzz.cpp — libFuzzer harness for the checkpoint container and the
// config text parser (core/src/checkpoint.cpp).
//
// What: each input is parsed three ways:
//   1. read_checkpoint() on the bytes as they are (magic, version, size, checksum paths);
//   2. read_checkpoint() on a copy whose size field and FNV-1a trailer are recomputed, so
//      that mutated sections reach the structural parser instead of the checksum check;
//      a checkpoint that parses must survive write_checkpoint() -> read_checkpoint() with
//      every array, scalar and integer bit-identical and the same config text;
//   3. parse_config() on the checkpoint's config text and on the raw bytes as text (model
//      files and AEConfig / OptimizerConfig texts all go through it): a parsed map must
//      format (format_config) and parse back to the same map; AEConfig::from_text and
//      optimizer_config_from_text on the same text must throw only aelab::Error.
// Why: checkpoints and model files are uploaded by users and read by `aelab eval` /
// `--resume`; their lengths and names must be checked before anything is allocated.
// Usage: scripts/fuzz 60 checkpoint   (seeds: tests/fuzz/corpus/checkpoint/, dict:
// tests/fuzz/checkpoint.dict)
#include "fuzz_util.hpp"

#include "aelab/autoencoder.hpp"
#include "aelab/checkpoint.hpp"
#include "aelab/model_io.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

using namespace aelab;
using aelab_fuzz::expect_errors_only;
using aelab_fuzz::same_bits;

namespace {

void check_same(const Checkpoint& a, const Checkpoint& b) {
    FUZZ_CHECK(a.config_text == b.config_text, "config text changed in a write/read round trip");
    FUZZ_CHECK(a.arrays.size() == b.arrays.size() && a.scalars.size() == b.scalars.size() &&
                   a.integers.size() == b.integers.size(),
               "entry counts changed in a write/read round trip");
    for (const auto& [name, v] : a.arrays) {
        auto it = b.arrays.find(name);
        FUZZ_CHECK(it != b.arrays.end() && it->second.size() == v.size() &&
                       same_bits(it->second, v, v.size(), sizeof(float)),
                   "array '" + name + "' changed in a write/read round trip");
    }
    for (const auto& [name, x] : a.scalars) {
        auto it = b.scalars.find(name);
        FUZZ_CHECK(it != b.scalars.end() && same_bits(&it->second, &x, 1, sizeof(double)),
                   "scalar '" + name + "' changed in a write/read round trip");
    }
    for (const auto& [name, x] : a.integers) {
        auto it = b.integers.find(name);
        FUZZ_CHECK(it != b.integers.end() && it->second == x,
                   "integer '" + name + "' changed in a write/read round trip");
    }
}

void check_config_text(const std::string& text) {
    std::map<std::string, std::string> kv;
    if (expect_errors_only("parse_config", [&] { kv = parse_config(text); })) {
        std::string again;
        FUZZ_CHECK(expect_errors_only("format_config", [&] { again = format_config(kv); }),
                   "format_config refused a map that parse_config produced");
        std::map<std::string, std::string> kv2;
        FUZZ_CHECK(expect_errors_only("parse_config", [&] { kv2 = parse_config(again); }) && kv2 == kv,
                   "parse_config(format_config(m)) != m");
    }
    expect_errors_only("AEConfig::from_text", [&] { (void)AEConfig::from_text(text); });
    expect_errors_only("optimizer_config_from_text", [&] { (void)optimizer_config_from_text(text); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    expect_errors_only("read_checkpoint(raw)", [&] { (void)read_checkpoint(data, size); });

    const std::vector<std::uint8_t> fixed = aelab_fuzz::fix_checkpoint_frame(data, size);
    Checkpoint ck;
    if (expect_errors_only("read_checkpoint(fixed)", [&] { ck = read_checkpoint(fixed.data(), fixed.size()); })) {
        std::vector<std::uint8_t> bytes;
        FUZZ_CHECK(expect_errors_only("write_checkpoint", [&] { bytes = write_checkpoint(ck); }),
                   "write_checkpoint refused a checkpoint that read_checkpoint accepted");
        Checkpoint back;
        FUZZ_CHECK(expect_errors_only("read_checkpoint(written)",
                                      [&] { back = read_checkpoint(bytes.data(), bytes.size()); }),
                   "read_checkpoint refused what write_checkpoint wrote");
        check_same(ck, back);
        check_config_text(ck.config_text);
    }
    check_config_text(std::string(reinterpret_cast<const char*>(data), size));
    return 0;
}
