// Checkpoint container: see aelab/checkpoint.hpp for the byte layout.
#include "aelab/checkpoint.hpp"

#include <cstdio>
#include <cstring>
#include <limits>

namespace aelab {
namespace {

constexpr char kMagic[8] = {'A', 'E', 'L', 'A', 'B', 'C', 'K', '1'};
constexpr std::size_t kHeaderSize = 24;   // magic + version + flags + total size
constexpr std::size_t kTrailerSize = 8;   // FNV-1a 64
constexpr std::size_t kSectionHead = 12;  // tag + u64 payload length
constexpr std::size_t kMaxNameLength = 256;

std::string hex64(std::uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%016llX", static_cast<unsigned long long>(v));
    return buf;
}

// ---- little-endian writer ----
struct Writer {
    std::vector<std::uint8_t> out;
    void u32(std::uint32_t v) {
        for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    }
    void u64(std::uint64_t v) {
        for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    }
    void f32(float f) {
        std::uint32_t bits;
        std::memcpy(&bits, &f, 4);  // bit pattern of one scalar, not a struct
        u32(bits);
    }
    void f64(double d) {
        std::uint64_t bits;
        std::memcpy(&bits, &d, 8);
        u64(bits);
    }
    void bytes(const void* p, std::size_t n) {
        const auto* b = static_cast<const std::uint8_t*>(p);
        out.insert(out.end(), b, b + n);
    }
    void tag(const char* t) { bytes(t, 4); }
};

std::uint32_t get_u32(const std::uint8_t* p) {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}
std::uint64_t get_u64(const std::uint8_t* p) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

// Strict UTF-8 validation (no overlongs, no surrogates, <= U+10FFFF). Returns the byte
// offset of the first invalid sequence, or npos.
std::size_t utf8_error_at(const std::uint8_t* s, std::size_t n) {
    std::size_t i = 0;
    while (i < n) {
        const std::uint8_t c = s[i];
        if (c < 0x80) { ++i; continue; }
        std::size_t len;
        std::uint32_t cp;
        if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1Fu; }
        else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0Fu; }
        else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07u; }
        else return i;
        if (n - i < len) return i;
        for (std::size_t k = 1; k < len; ++k) {
            if ((s[i + k] & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (s[i + k] & 0x3Fu);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += len;
    }
    return std::string::npos;
}

void check_name(const char* kind, const std::string& name) {
    AELAB_REQUIRE(!name.empty() && name.size() <= kMaxNameLength,
                  std::string("checkpoint: ") + kind + " name must be 1 to " +
                      std::to_string(kMaxNameLength) + " bytes, got " +
                      std::to_string(name.size()));
    for (unsigned char c : name)
        AELAB_REQUIRE(c >= 0x20 && c != 0x7F, std::string("checkpoint: ") + kind + " name '" +
                                                  name + "' contains a control character");
    AELAB_REQUIRE(utf8_error_at(reinterpret_cast<const std::uint8_t*>(name.data()), name.size()) ==
                      std::string::npos,
                  std::string("checkpoint: ") + kind + " name is not valid UTF-8");
}

void write_section_head(Writer& w, const char* tag, std::uint64_t payload) {
    w.tag(tag);
    w.u64(payload);
}

void write_name(Writer& w, const std::string& name) {
    w.u32(static_cast<std::uint32_t>(name.size()));
    w.bytes(name.data(), name.size());
}

// ---- bounds-checked reader ----
struct Reader {
    const std::uint8_t* p;
    std::size_t end;  // exclusive limit for this reader
    std::size_t pos;
    const char* where;  // what is being read, for messages

    void need(std::size_t n, const char* what) const {
        if (end - pos < n)
            throw Error("checkpoint: malformed " + std::string(where) + ": " + what + " needs " +
                        std::to_string(n) + " bytes at offset " + std::to_string(pos) +
                        " but only " + std::to_string(end - pos) + " remain");
    }
    std::uint32_t u32(const char* what) { need(4, what); pos += 4; return get_u32(p + pos - 4); }
    std::uint64_t u64(const char* what) { need(8, what); pos += 8; return get_u64(p + pos - 8); }
    std::string name(const char* kind) {
        const std::size_t at = pos;
        const std::uint32_t len = u32("name length");
        if (len == 0 || len > kMaxNameLength)
            throw Error("checkpoint: malformed " + std::string(where) + " at offset " +
                        std::to_string(at) + ": " + kind + " name length " + std::to_string(len) +
                        " is outside 1.." + std::to_string(kMaxNameLength));
        need(len, "name");
        std::string s(reinterpret_cast<const char*>(p + pos), len);
        pos += len;
        try {
            check_name(kind, s);
        } catch (const Error& e) {
            throw Error(std::string(e.what()) + " (offset " + std::to_string(at) + ")");
        }
        return s;
    }
};

}  // namespace

std::uint64_t fnv1a64(const std::uint8_t* data, std::size_t size) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (std::size_t i = 0; i < size; ++i) {
        h ^= data[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

std::vector<std::uint8_t> write_checkpoint(const Checkpoint& ck) {
    const auto* conf = reinterpret_cast<const std::uint8_t*>(ck.config_text.data());
    const std::size_t bad = utf8_error_at(conf, ck.config_text.size());
    AELAB_REQUIRE(bad == std::string::npos,
                  "checkpoint: config text is not valid UTF-8 (byte " + std::to_string(bad) + ")");
    for (const auto& kv : ck.arrays) check_name("array", kv.first);
    for (const auto& kv : ck.doubles) check_name("array", kv.first);
    for (const auto& kv : ck.scalars) check_name("scalar", kv.first);
    for (const auto& kv : ck.integers) check_name("integer", kv.first);

    std::size_t total = kHeaderSize + kSectionHead + ck.config_text.size();
    for (const auto& kv : ck.arrays)
        total += kSectionHead + 4 + kv.first.size() + 8 + 4 * kv.second.size();
    for (const auto& kv : ck.doubles)
        total += kSectionHead + 4 + kv.first.size() + 8 + 8 * kv.second.size();
    for (const auto& kv : ck.scalars) total += kSectionHead + 4 + kv.first.size() + 8;
    for (const auto& kv : ck.integers) total += kSectionHead + 4 + kv.first.size() + 8;
    total += kSectionHead + kTrailerSize;

    Writer w;
    w.out.reserve(total);
    w.bytes(kMagic, 8);
    w.u32(ck.doubles.empty() ? 1u : 2u);  // version 1 stays byte-identical for v1 content
    w.u32(0);  // flags
    w.u64(total);
    write_section_head(w, "CONF", ck.config_text.size());
    w.bytes(ck.config_text.data(), ck.config_text.size());
    for (const auto& kv : ck.arrays) {
        write_section_head(w, "ARRF", 4 + kv.first.size() + 8 + 4 * std::uint64_t(kv.second.size()));
        write_name(w, kv.first);
        w.u64(kv.second.size());
        for (float f : kv.second) w.f32(f);
    }
    for (const auto& kv : ck.doubles) {
        write_section_head(w, "ARRD", 4 + kv.first.size() + 8 + 8 * std::uint64_t(kv.second.size()));
        write_name(w, kv.first);
        w.u64(kv.second.size());
        for (double d : kv.second) w.f64(d);
    }
    for (const auto& kv : ck.scalars) {
        write_section_head(w, "SCLD", 4 + kv.first.size() + 8);
        write_name(w, kv.first);
        w.f64(kv.second);
    }
    for (const auto& kv : ck.integers) {
        write_section_head(w, "SCLU", 4 + kv.first.size() + 8);
        write_name(w, kv.first);
        w.u64(kv.second);
    }
    write_section_head(w, "END!", 0);
    w.u64(fnv1a64(w.out.data(), w.out.size()));
    AELAB_REQUIRE(w.out.size() == total, "checkpoint: internal size mismatch");
    return std::move(w.out);
}

Checkpoint read_checkpoint(const std::uint8_t* data, std::size_t size) {
    if (data == nullptr || size == 0)
        throw Error("checkpoint: empty input (0 bytes); not an aelab checkpoint");
    if (size < 8 || std::memcmp(data, kMagic, 8) != 0) {
        const bool older = size >= 8 && std::memcmp(data, kMagic, 7) == 0;
        throw Error(std::string("checkpoint: not an aelab checkpoint (expected magic \"AELABCK1\" "
                                "in the first 8 bytes") +
                    (size < 8 ? ", input has only " + std::to_string(size) + " bytes)"
                              : older ? "; this looks like a different aelab checkpoint "
                                        "generation)"
                                      : ")"));
    }
    if (size < kHeaderSize)
        throw Error("checkpoint: truncated: the header needs " + std::to_string(kHeaderSize) +
                    " bytes, input has " + std::to_string(size));
    const std::uint32_t version = get_u32(data + 8);
    if (version == 0)
        throw Error("checkpoint: invalid format version 0 (corrupt header)");
    if (version > kCheckpointVersion)
        throw Error("checkpoint: unsupported format version " + std::to_string(version) +
                    "; this build reads versions up to " + std::to_string(kCheckpointVersion) +
                    " (written by a newer aelab?)");
    const std::uint32_t flags = get_u32(data + 12);
    if (flags != 0)
        throw Error("checkpoint: unknown flags " + hex64(flags) + " for format version " +
                    std::to_string(version) + " (corrupt, or written by a newer aelab)");
    const std::uint64_t total = get_u64(data + 16);
    if (total != size)
        throw Error(std::string("checkpoint: ") +
                    (total > size ? "truncated: " : "size mismatch: ") + "header says " +
                    std::to_string(total) + " bytes, input has " + std::to_string(size) +
                    (total > size ? " (incomplete write or download?)"
                                  : " (trailing bytes, or a corrupt header)"));
    if (size < kHeaderSize + kSectionHead + kTrailerSize)
        throw Error("checkpoint: truncated: " + std::to_string(size) +
                    " bytes cannot hold the header, an end section and the checksum");
    const std::size_t body_end = size - kTrailerSize;
    const std::uint64_t stored = get_u64(data + body_end);
    const std::uint64_t actual = fnv1a64(data, body_end);
    if (stored != actual)
        throw Error("checkpoint: checksum mismatch (stored " + hex64(stored) + ", computed " +
                    hex64(actual) + "): the file is corrupt");

    Checkpoint ck;
    bool have_conf = false, have_end = false;
    std::size_t pos = kHeaderSize;
    while (pos < body_end) {
        if (have_end)
            throw Error("checkpoint: malformed: data after the END! section at offset " +
                        std::to_string(pos));
        if (body_end - pos < kSectionHead)
            throw Error("checkpoint: malformed: section header at offset " + std::to_string(pos) +
                        " needs 12 bytes but only " + std::to_string(body_end - pos) + " remain");
        const char* tag = reinterpret_cast<const char*>(data + pos);
        const std::string tag_s(tag, 4);
        const std::uint64_t len = get_u64(data + pos + 4);
        const std::size_t payload = pos + kSectionHead;
        if (len > body_end - payload)
            throw Error("checkpoint: malformed: section '" + tag_s + "' at offset " +
                        std::to_string(pos) + " claims " + std::to_string(len) +
                        " payload bytes but only " + std::to_string(body_end - payload) +
                        " remain before the checksum");
        const std::size_t next = payload + static_cast<std::size_t>(len);
        Reader r{data, next, payload, nullptr};
        const std::string where = "section '" + tag_s + "' at offset " + std::to_string(pos);
        r.where = where.c_str();
        if (tag_s == "CONF") {
            if (have_conf)
                throw Error("checkpoint: duplicate config section (CONF) at offset " +
                            std::to_string(pos));
            have_conf = true;
            const std::size_t bad = utf8_error_at(data + payload, static_cast<std::size_t>(len));
            if (bad != std::string::npos)
                throw Error("checkpoint: config text is not valid UTF-8 (offset " +
                            std::to_string(payload + bad) + ")");
            ck.config_text.assign(reinterpret_cast<const char*>(data + payload),
                                  static_cast<std::size_t>(len));
            r.pos = next;
        } else if (tag_s == "ARRF" || (tag_s == "ARRD" && version >= 2)) {
            const bool f64 = tag_s == "ARRD";
            const std::size_t width = f64 ? 8 : 4;
            std::string name = r.name("array");
            const std::uint64_t count = r.u64("element count");
            if (count > (r.end - r.pos) / width || count * width != r.end - r.pos)
                throw Error("checkpoint: malformed " + where + ": array '" + name + "' claims " +
                            std::to_string(count) + (f64 ? " doubles (" : " floats (") +
                            (count > std::numeric_limits<std::uint64_t>::max() / width
                                 ? std::string("overflow")
                                 : std::to_string(count * width) + " bytes") +
                            ") but the section holds " + std::to_string(r.end - r.pos) +
                            " data bytes");
            if (ck.arrays.count(name) || ck.doubles.count(name))
                throw Error("checkpoint: duplicate array '" + name + "' in " + where);
            if (f64) {
                std::vector<double>& v = ck.doubles[name];
                v.resize(static_cast<std::size_t>(count));
                for (std::size_t i = 0; i < v.size(); ++i) {
                    const std::uint64_t bits = get_u64(data + r.pos + 8 * i);
                    std::memcpy(&v[i], &bits, 8);
                }
            } else {
                std::vector<float>& v = ck.arrays[name];
                v.resize(static_cast<std::size_t>(count));
                for (std::size_t i = 0; i < v.size(); ++i) {
                    const std::uint32_t bits = get_u32(data + r.pos + 4 * i);
                    std::memcpy(&v[i], &bits, 4);
                }
            }
            r.pos = next;
        } else if (tag_s == "SCLD" || tag_s == "SCLU") {
            const bool is_double = tag_s == "SCLD";
            std::string name = r.name(is_double ? "scalar" : "integer");
            const std::uint64_t bits = r.u64("value");
            if (r.pos != next)
                throw Error("checkpoint: malformed " + where + ": " +
                            std::to_string(next - r.pos) + " unexpected extra payload bytes");
            if (is_double) {
                if (ck.scalars.count(name))
                    throw Error("checkpoint: duplicate scalar '" + name + "' in " + where);
                double d;
                std::memcpy(&d, &bits, 8);
                ck.scalars[name] = d;
            } else {
                if (ck.integers.count(name))
                    throw Error("checkpoint: duplicate integer '" + name + "' in " + where);
                ck.integers[name] = bits;
            }
        } else if (tag_s == "END!") {
            if (len != 0)
                throw Error("checkpoint: malformed " + where + ": END! must be empty, has " +
                            std::to_string(len) + " bytes");
            have_end = true;
        } else {
            std::string printable;
            for (char c : tag_s) printable += (c >= 0x20 && c < 0x7F) ? c : '?';
            throw Error("checkpoint: unknown section tag '" + printable + "' at offset " +
                        std::to_string(pos) + " in a version " + std::to_string(version) +
                        " checkpoint (corrupt?)");
        }
        pos = next;
    }
    if (!have_conf) throw Error("checkpoint: missing config section (CONF)");
    if (!have_end)
        throw Error("checkpoint: missing END! section before the checksum (truncated write?)");
    return ck;
}

const std::vector<float>& require_array(const Checkpoint& ck, const std::string& name,
                                        long long expected_size) {
    auto it = ck.arrays.find(name);
    if (it == ck.arrays.end()) {
        std::string have;
        for (const auto& kv : ck.arrays) have += (have.empty() ? "" : ", ") + kv.first;
        throw Error("checkpoint: missing array '" + name + "' (arrays present: " +
                    (have.empty() ? std::string("none") : have) + ")");
    }
    if (expected_size >= 0 && it->second.size() != static_cast<unsigned long long>(expected_size))
        throw Error("checkpoint: array '" + name + "' has " + std::to_string(it->second.size()) +
                    " values, expected " + std::to_string(expected_size) +
                    " (checkpoint from a different architecture?)");
    return it->second;
}

const std::vector<double>& require_doubles(const Checkpoint& ck, const std::string& name,
                                           long long expected_size) {
    auto it = ck.doubles.find(name);
    if (it == ck.doubles.end()) throw Error("checkpoint: missing float64 array '" + name + "'");
    if (expected_size >= 0 && it->second.size() != static_cast<unsigned long long>(expected_size))
        throw Error("checkpoint: float64 array '" + name + "' has " + std::to_string(it->second.size()) +
                    " values, expected " + std::to_string(expected_size));
    return it->second;
}

double require_scalar(const Checkpoint& ck, const std::string& name) {
    auto it = ck.scalars.find(name);
    if (it == ck.scalars.end()) throw Error("checkpoint: missing scalar '" + name + "'");
    return it->second;
}

std::uint64_t require_integer(const Checkpoint& ck, const std::string& name) {
    auto it = ck.integers.find(name);
    if (it == ck.integers.end()) throw Error("checkpoint: missing integer '" + name + "'");
    return it->second;
}

// ---- config text -------------------------------------------------------------------------

namespace {
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }
std::string trim(const std::string& s) {
    std::size_t a = 0, b = s.size();
    while (a < b && is_space(s[a])) ++a;
    while (b > a && is_space(s[b - 1])) --b;
    return s.substr(a, b - a);
}
bool valid_key(const std::string& k) {
    if (k.empty()) return false;
    for (char c : k) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        c == '_' || c == '.' || c == '-';
        if (!ok) return false;
    }
    return true;
}
}  // namespace

std::map<std::string, std::string> parse_config(const std::string& text) {
    std::map<std::string, std::string> kv;
    std::size_t start = 0;
    int line_no = 0;
    while (start <= text.size()) {
        std::size_t nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        ++line_no;
        const std::string raw = text.substr(start, nl - start);
        start = nl + 1;
        const std::string line = trim(raw);
        if (line.empty() || line[0] == '#') {
            if (nl == text.size()) break;
            continue;
        }
        const std::size_t eq = line.find('=');
        if (eq == std::string::npos)
            throw Error("config line " + std::to_string(line_no) + ": expected 'key = value', got '" +
                        line + "'");
        const std::string key = trim(line.substr(0, eq));
        const std::string value = trim(line.substr(eq + 1));
        if (!valid_key(key))
            throw Error("config line " + std::to_string(line_no) + ": invalid key '" + key +
                        "' (use letters, digits, '_', '.', '-')");
        if (!kv.emplace(key, value).second)
            throw Error("config line " + std::to_string(line_no) + ": duplicate key '" + key + "'");
        if (nl == text.size()) break;
    }
    return kv;
}

std::string format_config(const std::map<std::string, std::string>& kv) {
    std::string out;
    for (const auto& e : kv) {
        AELAB_REQUIRE(valid_key(e.first), "format_config: invalid key '" + e.first +
                                              "' (use letters, digits, '_', '.', '-')");
        AELAB_REQUIRE(e.second.find('\n') == std::string::npos,
                      "format_config: value of '" + e.first + "' contains a newline");
        AELAB_REQUIRE(trim(e.second) == e.second,
                      "format_config: value of '" + e.first +
                          "' has leading/trailing whitespace, which parse_config would drop");
        out += e.first;
        out += '=';
        out += e.second;
        out += '\n';
    }
    return out;
}

}  // namespace aelab
