// Shared helpers for the unit tests.
#pragma once

#include <doctest.h>

#include "aelab/common.hpp"

#include <cstddef>
#include <cstring>
#include <string>

namespace aelab_test {

// Runs f and requires an aelab::Error whose message contains `needle`.
template <class F> void check_error(F&& f, const std::string& needle) {
    try {
        f();
        FAIL_CHECK("expected aelab::Error containing '" << needle << "', nothing was thrown");
    } catch (const aelab::Error& e) {
        const std::string msg = e.what();
        INFO("message: " << msg);
        CHECK(msg.find(needle) != std::string::npos);
    }
}

// Bit-for-bit equality of two float arrays (Vec or std::vector<float>): NaN payloads and -0
// count, as they must for exact round trips and exact resume.
template <class A, class B> bool same_bits(const A& a, const B& b) {
    const std::size_t n = static_cast<std::size_t>(a.size());
    static_assert(sizeof(*a.data()) == sizeof(*b.data()), "same element size");
    return n == static_cast<std::size_t>(b.size()) && (n == 0 || std::memcmp(a.data(), b.data(), n * sizeof(*a.data())) == 0);
}

}  // namespace aelab_test
