// aelab/checkpoint.hpp — a versioned, checksummed binary container for training state.
//
// What: Checkpoint holds a config text (key=value lines), named float32 arrays (e.g.
// "params", "optimizer.m", "optimizer.v"), named float64 arrays (e.g. a loss history, a
// shuffle order), named double scalars (e.g. "loss") and named u64 integers (e.g. "step",
// "rng.state" — exact, unlike doubles above 2^53).
// write_checkpoint() serialises it to bytes, read_checkpoint() parses bytes back; core
// does no file I/O, the CLI / browser store the bytes.
// Why: model parameters and optimizer state are flat float buffers, so a checkpoint is a
// handful of named arrays; the format is generic so the trainer decides what goes in.
// Usage:
//     aelab::Checkpoint ck;
//     ck.config_text = aelab::format_config({{"arch", "784-128-32"}, {"lr", "0.001"}});
//     ck.arrays["params"] = params;            // std::vector<float>
//     ck.integers["step"] = 1200;
//     std::vector<std::uint8_t> bytes = aelab::write_checkpoint(ck);
//     aelab::Checkpoint back = aelab::read_checkpoint(bytes.data(), bytes.size());
//     const auto& p = aelab::require_array(back, "params", expected_size);
//
// Format version 1 or 2: a checkpoint with float64 arrays ("ARRD" sections) is written as
// version 2 (so that builds that only know version 1 refuse it as newer), any other as
// version 1, byte for byte as before. All integers little-endian, written byte by byte (no
// struct memcpy); floats are their IEEE-754 bit patterns, little-endian.
//   offset 0   8 bytes  magic "AELABCK1"
//          8   u32      format version (1 or 2)
//         12   u32      flags (none defined; must be 0)
//         16   u64      total size of the checkpoint in bytes, trailer included
//         24   sections, each: 4-byte ASCII tag, u64 payload length, payload
//                "CONF"  config text, UTF-8 (exactly one)
//                "ARRF"  u32 name length, name, u64 count, count float32
//                "ARRD"  u32 name length, name, u64 count, count float64 (version 2 only)
//                "SCLD"  u32 name length, name, f64
//                "SCLU"  u32 name length, name, u64
//                "END!"  empty payload; ends the section list (exactly one, last)
//   end - 8    u64      FNV-1a 64 of every byte before it
// The reader checks magic, version, flags and total size, then the checksum, then the
// structure (every length against the bytes that remain), so nothing is allocated beyond
// what the buffer itself holds. Names: 1..256 bytes of UTF-8, no control characters;
// unique within their kind.
#pragma once

#include "aelab/common.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace aelab {

constexpr std::uint32_t kCheckpointVersion = 2;  // the newest version read and written

struct Checkpoint {
    std::string config_text;                              // key=value lines (UTF-8)
    std::map<std::string, std::vector<float>> arrays;     // e.g. "params" -> P floats
    std::map<std::string, std::vector<double>> doubles;   // e.g. "history.loss" (version 2)
    std::map<std::string, double> scalars;                // e.g. "loss"
    std::map<std::string, std::uint64_t> integers;        // e.g. "step", "rng.state"
};

// Serialises; throws aelab::Error on invalid names or config text that is not UTF-8.
std::vector<std::uint8_t> write_checkpoint(const Checkpoint& ck);

// Parses and validates; throws aelab::Error naming the problem and the byte offset:
// not a checkpoint (magic), unsupported (newer) version, truncated / trailing bytes,
// checksum mismatch (corrupt), malformed / duplicate / missing sections.
Checkpoint read_checkpoint(const std::uint8_t* data, std::size_t size);

// The array `name`; throws if it is missing (listing the arrays present) or, when
// expected_size >= 0, if its length differs.
const std::vector<float>& require_array(const Checkpoint& ck, const std::string& name,
                                        long long expected_size = -1);
const std::vector<double>& require_doubles(const Checkpoint& ck, const std::string& name,
                                           long long expected_size = -1);
double require_scalar(const Checkpoint& ck, const std::string& name);
std::uint64_t require_integer(const Checkpoint& ck, const std::string& name);

// ---- config text: "key = value" lines ---------------------------------------------------
// One entry per line ('\n' or "\r\n"); blank lines and lines starting with '#' are
// ignored; whitespace around key and value is trimmed. Keys: [A-Za-z0-9_.-]+, unique.
// Values: any text without newlines (may be empty). Errors name the line number.
std::map<std::string, std::string> parse_config(const std::string& text);
// Inverse of parse_config: "key=value\n" lines in key order. Throws on invalid keys or
// values containing newlines / leading or trailing whitespace (they would not round-trip).
std::string format_config(const std::map<std::string, std::string>& kv);

// FNV-1a 64-bit hash (the trailer checksum); exposed for tests and tools.
std::uint64_t fnv1a64(const std::uint8_t* data, std::size_t size);

}  // namespace aelab
