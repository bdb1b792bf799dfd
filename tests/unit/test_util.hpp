// Shared helpers for the unit tests.
#pragma once

#include <doctest.h>

#include "aelab/common.hpp"

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

}  // namespace aelab_test
