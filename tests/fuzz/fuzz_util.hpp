// tests/fuzz/fuzz_util.hpp — shared pieces of the libFuzzer harnesses.
//
// What: fuzz_fail() reports a broken property and aborts (libFuzzer keeps the input as a
// crash); expect_errors_only() runs a parser and accepts only the errors the product
// promises (aelab::Error, and optionally the CLI's UsageError) — any other exception
// (std::out_of_range from a substr, std::bad_alloc, std::length_error...) is a finding;
// fix_checkpoint_frame() rewrites the size field and FNV-1a trailer of checkpoint-shaped
// bytes so that mutations reach the section parser instead of dying at the checksum.
// Why: the fuzzer finds crashes by itself (ASan / UBSan); these helpers turn silent wrong
// behaviour (unexpected exception types, failed round trips) into crashes too.
// Usage:
//     if (!expect_errors_only("read_model", [&] { f = aelab::read_model(d, n); })) return 0;
//     std::vector<std::uint8_t> fixed = fix_checkpoint_frame(d, n);
#pragma once

#include "aelab/checkpoint.hpp"
#include "aelab/common.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

namespace aelab_fuzz {

[[noreturn]] inline void fuzz_fail(const std::string& what) {
    std::fprintf(stderr, "\n=== aelab fuzz property violated: %s\n", what.c_str());
    std::fflush(stderr);
    std::abort();
}

#define FUZZ_CHECK(cond, msg)                                                            \
    do {                                                                                 \
        if (!(cond)) ::aelab_fuzz::fuzz_fail(std::string(#cond) + " — " + (msg));        \
    } while (0)

// Runs f. Returns true if it returned normally, false if it threw an accepted error
// (aelab::Error, or any exception derived from Accepted). Anything else aborts.
template <class Accepted = aelab::Error, class F> bool expect_errors_only(const char* where, F&& f) {
    try {
        f();
        return true;
    } catch (const aelab::Error&) {
        return false;
    } catch (const Accepted&) {
        return false;
    } catch (const std::exception& e) {
        fuzz_fail(std::string(where) + " threw a non-aelab exception: " + e.what());
    } catch (...) {
        fuzz_fail(std::string(where) + " threw a non-std exception");
    }
}

// Checkpoint bytes with the header's total-size field and the FNV-1a trailer recomputed
// (only when the input starts with the magic and can hold header + trailer; otherwise a
// plain copy). The structure inside is left exactly as the fuzzer made it.
inline std::vector<std::uint8_t> fix_checkpoint_frame(const std::uint8_t* data, std::size_t size) {
    std::vector<std::uint8_t> b(data, data + size);
    if (size < 32 || std::memcmp(data, "AELABCK1", 8) != 0) return b;
    for (int i = 0; i < 8; ++i) b[16 + i] = static_cast<std::uint8_t>(std::uint64_t(size) >> (8 * i));
    const std::uint64_t h = aelab::fnv1a64(b.data(), size - 8);
    for (int i = 0; i < 8; ++i) b[size - 8 + i] = static_cast<std::uint8_t>(h >> (8 * i));
    return b;
}

// Bitwise equality of float / double sequences (NaN payloads and -0 included).
template <class A, class B> bool same_bits(const A& a, const B& b, std::size_t n, std::size_t bytes_each) {
    return n == 0 || std::memcmp(&a[0], &b[0], n * bytes_each) == 0;
}

}  // namespace aelab_fuzz
