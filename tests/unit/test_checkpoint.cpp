// Tests for aelab/checkpoint.hpp: round trips, the documented byte layout, corruption and
// truncation detection, hostile length fields, config text parsing. Suite "checkpoint".
#include <doctest.h>

#include "test_util.hpp"

#include "aelab/checkpoint.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

using namespace aelab;

namespace {

using Bytes = std::vector<std::uint8_t>;

using aelab_test::check_error;

void read_err(const Bytes& b, const std::string& needle) {
    check_error([&] { read_checkpoint(b.data(), b.size()); }, needle);
}

// Independent little-endian builder for hand-made checkpoints.
struct Le {
    Bytes b;
    Le& u32(std::uint32_t v) {
        for (int i = 0; i < 4; ++i) b.push_back(std::uint8_t(v >> (8 * i)));
        return *this;
    }
    Le& u64(std::uint64_t v) {
        for (int i = 0; i < 8; ++i) b.push_back(std::uint8_t(v >> (8 * i)));
        return *this;
    }
    Le& f32(float f) {
        std::uint32_t u;
        std::memcpy(&u, &f, 4);
        return u32(u);
    }
    Le& f64(double d) {
        std::uint64_t u;
        std::memcpy(&u, &d, 8);
        return u64(u);
    }
    Le& str(const std::string& s) {
        b.insert(b.end(), s.begin(), s.end());
        return *this;
    }
    Le& header(std::uint64_t total, std::uint32_t version = 1) {
        return str("AELABCK1").u32(version).u32(0).u64(total);
    }
    Le& section(const char* tag, std::uint64_t len) { return str(std::string(tag, 4)).u64(len); }
};

// Sets the total-size field and appends the checksum: a well-formed envelope around
// whatever sections the test put in (to reach the structural checks).
Bytes seal(Bytes body) {
    const std::uint64_t total = body.size() + 8;
    for (int i = 0; i < 8; ++i) body[16 + i] = std::uint8_t(total >> (8 * i));
    const std::uint64_t h = fnv1a64(body.data(), body.size());
    for (int i = 0; i < 8; ++i) body.push_back(std::uint8_t(h >> (8 * i)));
    return body;
}

Checkpoint small_checkpoint() {
    Checkpoint ck;
    ck.config_text = "arch=2-3-2\nlr=0.01\n";
    ck.arrays["params"] = {1.0f, -2.5f, 0.0f, 3.25f};
    ck.arrays["optimizer.m"] = {0.5f};
    ck.scalars["loss"] = 0.125;
    ck.integers["step"] = 42;
    return ck;
}

using aelab_test::same_bits;

}  // namespace

TEST_SUITE("checkpoint") {

TEST_CASE("checkpoint: round trip is exact (arrays bitwise, config, scalars, integers)") {
    Checkpoint ck;
    ck.config_text = "# comment\nmodel = dense\nname=caf\xC3\xA9\n";
    std::vector<float> special = {0.0f, -0.0f, 1.0f, -1.0f,
                                  std::numeric_limits<float>::infinity(),
                                  -std::numeric_limits<float>::infinity(),
                                  std::numeric_limits<float>::quiet_NaN(),
                                  std::numeric_limits<float>::denorm_min(),
                                  std::numeric_limits<float>::max(),
                                  std::numeric_limits<float>::lowest(), 1e-20f, 3.14159265f};
    std::uint32_t nan_payload = 0x7FC12345u;
    float nanp;
    std::memcpy(&nanp, &nan_payload, 4);
    special.push_back(nanp);
    ck.arrays["params"] = special;
    std::vector<float> big(1000);
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = std::sin(float(i)) * 1e3f;
    ck.arrays["optimizer.v"] = big;
    ck.arrays["empty"] = {};
    ck.scalars["loss"] = 0.1;
    ck.scalars["nan"] = std::numeric_limits<double>::quiet_NaN();
    ck.scalars["neg0"] = -0.0;
    ck.integers["step"] = 123456789;
    ck.integers["rng.state"] = std::numeric_limits<std::uint64_t>::max();

    const Bytes bytes = write_checkpoint(ck);
    const Checkpoint back = read_checkpoint(bytes.data(), bytes.size());
    CHECK(back.config_text == ck.config_text);
    REQUIRE(back.arrays.size() == 3);
    for (const auto& kv : ck.arrays) {
        CAPTURE(kv.first);
        REQUIRE(back.arrays.count(kv.first) == 1);
        CHECK(same_bits(back.arrays.at(kv.first), kv.second));
    }
    REQUIRE(back.scalars.size() == 3);
    for (const auto& kv : ck.scalars)
        CHECK(std::memcmp(&back.scalars.at(kv.first), &kv.second, 8) == 0);
    CHECK(back.integers == ck.integers);
    // Writing again gives identical bytes (deterministic serialisation).
    CHECK(write_checkpoint(back) == bytes);

    // Empty checkpoint.
    Checkpoint none;
    Bytes e = write_checkpoint(none);
    CHECK(e.size() == 24 + 12 + 12 + 8);
    Checkpoint eb = read_checkpoint(e.data(), e.size());
    CHECK(eb.config_text.empty());
    CHECK(eb.arrays.empty());

    // Helpers.
    CHECK(require_array(back, "params", long(special.size())).size() == special.size());
    check_error([&] { require_array(back, "params", 7); }, "has 13 values, expected 7");
    check_error([&] { require_array(back, "weights"); }, "missing array 'weights' (arrays present: empty, optimizer.v, params)");
    CHECK(require_scalar(back, "loss") == 0.1);
    CHECK(require_integer(back, "step") == 123456789u);
    check_error([&] { require_scalar(back, "lr"); }, "missing scalar 'lr'");
}

TEST_CASE("checkpoint: bytes follow the documented little-endian layout") {
    Checkpoint ck;
    ck.config_text = "a=1\n";
    ck.arrays["p"] = {1.0f, -2.0f};
    ck.scalars["loss"] = 0.5;
    ck.integers["step"] = 7;
    Le le;
    le.header(0);
    le.section("CONF", 4).str("a=1\n");
    le.section("ARRF", 4 + 1 + 8 + 8).u32(1).str("p").u64(2).f32(1.0f).f32(-2.0f);
    le.section("SCLD", 4 + 4 + 8).u32(4).str("loss").f64(0.5);
    le.section("SCLU", 4 + 4 + 8).u32(4).str("step").u64(7);
    le.section("END!", 0);
    const Bytes expected = seal(le.b);
    const Bytes got = write_checkpoint(ck);
    CHECK(got == expected);
    // Spot checks of the raw bytes: version 1 LE, 1.0f = 00 00 80 3F.
    REQUIRE(got.size() > 60);
    CHECK(got[8] == 1);
    CHECK(got[9] == 0);
    const std::size_t f0 = 24 + 12 + 4 + 12 + 4 + 1 + 8;
    CHECK(got[f0 + 0] == 0x00);
    CHECK(got[f0 + 2] == 0x80);
    CHECK(got[f0 + 3] == 0x3F);
    // FNV-1a 64 reference values.
    CHECK(fnv1a64(nullptr, 0) == 0xcbf29ce484222325ULL);
    const std::uint8_t a = 'a';
    CHECK(fnv1a64(&a, 1) == 0xaf63dc4c8601ec8cULL);
}

TEST_CASE("checkpoint: every single-byte corruption is detected") {
    const Bytes good = write_checkpoint(small_checkpoint());
    REQUIRE(good.size() < 400);
    int detected = 0, total = 0;
    for (std::size_t i = 0; i < good.size(); ++i) {
        for (std::uint8_t mask : {std::uint8_t(0x01), std::uint8_t(0x80), std::uint8_t(0xFF)}) {
            Bytes bad = good;
            bad[i] ^= mask;
            ++total;
            try {
                read_checkpoint(bad.data(), bad.size());
                FAIL_CHECK("flip of byte " << i << " with mask " << int(mask) << " not detected");
            } catch (const Error&) {
                ++detected;
            }
        }
    }
    CHECK(detected == total);
    // A flip in the body is reported as a checksum mismatch.
    Bytes body = good;
    body[40] ^= 0x10;
    read_err(body, "checksum mismatch");
    Bytes trailer = good;
    trailer.back() ^= 0x01;
    read_err(trailer, "checksum mismatch");
}

TEST_CASE("checkpoint: every truncation and trailing bytes are rejected") {
    const Bytes good = write_checkpoint(small_checkpoint());
    for (std::size_t n = 0; n < good.size(); ++n) {
        CAPTURE(n);
        CHECK_THROWS_AS(read_checkpoint(good.data(), n), Error);
    }
    read_err(Bytes(good.begin(), good.begin() + 20), "truncated: the header needs 24 bytes");
    read_err(Bytes(good.begin(), good.end() - 1),
             "truncated: header says " + std::to_string(good.size()) + " bytes, input has " +
                 std::to_string(good.size() - 1));
    Bytes extra = good;
    extra.push_back(0);
    read_err(extra, "size mismatch");
    read_err({}, "empty input");
    check_error([] { read_checkpoint(nullptr, 0); }, "not an aelab checkpoint");
}

TEST_CASE("checkpoint: wrong magic, future version, unknown flags") {
    const Bytes good = write_checkpoint(small_checkpoint());
    Bytes m = good;
    m[0] = 'X';
    read_err(m, "not an aelab checkpoint");
    Bytes idx = {0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0};
    read_err(idx, "not an aelab checkpoint");
    Bytes gen = good;
    gen[7] = '2';
    read_err(gen, "different aelab checkpoint generation");
    read_err(Bytes{'A', 'E', 'L'}, "only 3 bytes");

    Bytes v = good;
    v[8] = 3;  // version 3: reported before the checksum (which would not match anyway)
    read_err(v, "unsupported format version 3; this build reads versions up to 2");
    Bytes v0 = good;
    v0[8] = 0;
    read_err(v0, "invalid format version 0");
    Bytes vb = good;
    vb[11] = 0x80;
    read_err(vb, "unsupported format version 2147483649");
    Bytes f = good;
    f[12] = 1;
    read_err(f, "unknown flags");
}

TEST_CASE("checkpoint: absurd or inconsistent length fields are rejected (valid checksum)") {
    // Section length far beyond the buffer.
    {
        Le le;
        le.header(0).section("CONF", 0).section("ARRF", std::uint64_t(1) << 62).section("END!", 0);
        read_err(seal(le.b), "claims 4611686018427387904 payload bytes");
    }
    // Array element count absurd inside a small section.
    {
        Le le;
        le.header(0).section("CONF", 0);
        le.section("ARRF", 4 + 1 + 8 + 4).u32(1).str("p").u64(std::uint64_t(1) << 61).f32(1.0f);
        le.section("END!", 0);
        read_err(seal(le.b), "array 'p' claims 2305843009213693952 floats");
    }
    {
        Le le;
        le.header(0).section("CONF", 0);
        le.section("ARRF", 4 + 1 + 8 + 4).u32(1).str("p").u64(~std::uint64_t(0)).f32(1.0f);
        le.section("END!", 0);
        read_err(seal(le.b), "(overflow)");
    }
    // Count disagreeing with the section length.
    {
        Le le;
        le.header(0).section("CONF", 0);
        le.section("ARRF", 4 + 1 + 8 + 8).u32(1).str("p").u64(1).f32(1.0f).f32(2.0f);
        le.section("END!", 0);
        read_err(seal(le.b), "the section holds 8 data bytes");
    }
    // Name length absurd.
    {
        Le le;
        le.header(0).section("CONF", 0);
        le.section("SCLD", 4 + 8).u32(0x7FFFFFFF).f64(1.0);
        le.section("END!", 0);
        read_err(seal(le.b), "name length 2147483647 is outside 1..256");
    }
    // Name running past its section.
    {
        Le le;
        le.header(0).section("CONF", 0);
        le.section("SCLD", 4 + 2).u32(200).str("ab");
        le.section("END!", 0);
        read_err(seal(le.b), "name needs 200 bytes");
    }
    // Section header cut by the checksum.
    {
        Le le;
        le.header(0).section("CONF", 0).str("END!");
        read_err(seal(le.b), "needs 12 bytes but only 4 remain");
    }
    // Scalar section with extra payload.
    {
        Le le;
        le.header(0).section("CONF", 0);
        le.section("SCLU", 4 + 1 + 8 + 3).u32(1).str("s").u64(1).str("xyz");
        le.section("END!", 0);
        read_err(seal(le.b), "3 unexpected extra payload bytes");
    }
}

TEST_CASE("checkpoint: duplicate, missing and unknown sections") {
    {
        Le le;
        le.header(0).section("CONF", 0).section("CONF", 0).section("END!", 0);
        read_err(seal(le.b), "duplicate config section");
    }
    {
        Le le;
        le.header(0).section("CONF", 0);
        for (int i = 0; i < 2; ++i) le.section("ARRF", 4 + 1 + 8 + 4).u32(1).str("p").u64(1).f32(1.0f);
        le.section("END!", 0);
        read_err(seal(le.b), "duplicate array 'p'");
    }
    {
        Le le;
        le.header(0).section("CONF", 0);
        for (int i = 0; i < 2; ++i) le.section("SCLU", 4 + 1 + 8).u32(1).str("s").u64(1);
        le.section("END!", 0);
        read_err(seal(le.b), "duplicate integer 's'");
    }
    {
        Le le;
        le.header(0).section("END!", 0);
        read_err(seal(le.b), "missing config section");
    }
    {
        Le le;
        le.header(0).section("CONF", 0);
        read_err(seal(le.b), "missing END! section");
    }
    {
        Le le;
        le.header(0).section("CONF", 0).section("END!", 0).section("CONF", 0);
        read_err(seal(le.b), "data after the END! section");
    }
    {
        Le le;
        le.header(0).section("CONF", 0).section("XY\x01Z", 0).section("END!", 0);
        read_err(seal(le.b), "unknown section tag 'XY?Z' at offset 36");
    }
    {
        Le le;
        le.header(0).section("CONF", 2).str("\xC3\x28").section("END!", 0);
        read_err(seal(le.b), "config text is not valid UTF-8 (offset 36)");
    }
    {
        Le le;
        le.header(0).section("CONF", 0).section("SCLD", 4 + 2 + 8).u32(2).str("a\n").f64(1.0);
        le.section("END!", 0);
        read_err(seal(le.b), "contains a control character");
    }
    // The writer refuses what the reader would refuse.
    Checkpoint bad;
    bad.arrays[""] = {1.0f};
    check_error([&] { write_checkpoint(bad); }, "array name must be 1 to 256 bytes");
    Checkpoint bad2;
    bad2.config_text = "x=\xFF";
    check_error([&] { write_checkpoint(bad2); }, "not valid UTF-8");
}

TEST_CASE("checkpoint: float64 arrays round-trip bitwise and make the file version 2") {
    // Without float64 arrays the bytes are version 1, as before they existed.
    const Bytes v1 = write_checkpoint(small_checkpoint());
    CHECK(v1[8] == 1);
    Checkpoint ck = small_checkpoint();
    const double nan_payload = [] {
        std::uint64_t u = 0x7FF8000000012345ULL;
        double d;
        std::memcpy(&d, &u, 8);
        return d;
    }();
    ck.doubles["history.loss"] = {0.1, -0.0, std::numeric_limits<double>::infinity(), nan_payload,
                                  std::numeric_limits<double>::denorm_min(), 1e308};
    ck.doubles["empty"] = {};
    const Bytes b = write_checkpoint(ck);
    CHECK(b[8] == 2);
    const Checkpoint back = read_checkpoint(b.data(), b.size());
    REQUIRE(back.doubles.size() == 2);
    const auto& h = require_doubles(back, "history.loss", 6);
    CHECK(std::memcmp(h.data(), ck.doubles["history.loss"].data(), 6 * 8) == 0);
    CHECK(require_doubles(back, "empty").empty());
    CHECK(same_bits(back.arrays.at("params"), ck.arrays.at("params")));
    check_error([&] { require_doubles(back, "nope"); }, "missing float64 array 'nope'");
    check_error([&] { require_doubles(back, "history.loss", 5); }, "has 6 values, expected 5");
    CHECK(write_checkpoint(back) == b);

    // Hand-made: an ARRD section in a version-1 file is unknown; in version 2 its count is checked.
    {
        Le le;
        le.header(0, 1).section("CONF", 0).section("ARRD", 4 + 1 + 8 + 8).u32(1).str("d").u64(1).f64(2.0);
        le.section("END!", 0);
        read_err(seal(le.b), "unknown section tag 'ARRD'");
    }
    {
        Le le;
        le.header(0, 2).section("CONF", 0).section("ARRD", 4 + 1 + 8 + 8).u32(1).str("d").u64(1).f64(2.0);
        le.section("END!", 0);
        const Bytes ok = seal(le.b);
        const Checkpoint c = read_checkpoint(ok.data(), ok.size());
        CHECK(c.doubles.at("d") == std::vector<double>{2.0});
    }
    {
        Le le;
        le.header(0, 2).section("CONF", 0).section("ARRD", 4 + 1 + 8 + 8).u32(1).str("d").u64(2).f64(2.0);
        le.section("END!", 0);
        read_err(seal(le.b), "claims 2 doubles (16 bytes) but the section holds 8 data bytes");
    }
    {
        Le le;
        le.header(0, 2).section("CONF", 0).section("ARRD", 4 + 1 + 8).u32(1).str("d").u64(0x2000000000000001ULL);
        le.section("END!", 0);
        read_err(seal(le.b), "overflow");
    }
    {
        Le le;  // a float and a float64 array may not share a name
        le.header(0, 2).section("CONF", 0).section("ARRF", 4 + 1 + 8 + 4).u32(1).str("d").u64(1).f32(1.0f);
        le.section("ARRD", 4 + 1 + 8 + 8).u32(1).str("d").u64(1).f64(2.0).section("END!", 0);
        read_err(seal(le.b), "duplicate array 'd'");
    }
}

TEST_CASE("checkpoint: config text parsing") {
    auto kv = parse_config("# header\n\narch = 784-128-32\r\nlr=0.001\nname=  my run \nempty=\nx.y_z-1=a=b");
    CHECK(kv.size() == 5);
    CHECK(kv.at("arch") == "784-128-32");
    CHECK(kv.at("lr") == "0.001");
    CHECK(kv.at("name") == "my run");
    CHECK(kv.at("empty").empty());
    CHECK(kv.at("x.y_z-1") == "a=b");
    CHECK(parse_config("").empty());
    CHECK(parse_config(format_config(kv)) == kv);
    CHECK(format_config({{"b", "2"}, {"a", "1"}}) == "a=1\nb=2\n");

    check_error([] { parse_config("a=1\nno equals here\n"); }, "config line 2: expected 'key = value'");
    check_error([] { parse_config("a=1\nb c=2\n"); }, "config line 2: invalid key 'b c'");
    check_error([] { parse_config("=5"); }, "config line 1: invalid key ''");
    check_error([] { parse_config("a=1\n#\na=2"); }, "config line 3: duplicate key 'a'");
    check_error([] { format_config({{"a", "1\n2"}}); }, "contains a newline");
    check_error([] { format_config({{"a b", "1"}}); }, "invalid key");
    check_error([] { format_config({{"a", " 1"}}); }, "leading/trailing whitespace");
}

}  // TEST_SUITE("checkpoint")
