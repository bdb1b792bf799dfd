// Shared helpers for the page's unit tests (suite "app").
#pragma once

#include <doctest.h>

#include "state.hpp"

#include <string>

namespace aelab_test {

// The settings of a page address that must parse without a message.
inline aelab::app::Settings query_ok(const std::string& q) {
    const aelab::app::QueryResult r = aelab::app::parse_query(q);
    INFO(q);
    CHECK(r.messages.empty());
    return r.settings;
}

}  // namespace aelab_test
