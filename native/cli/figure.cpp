// figure.cpp: see figure.hpp.
#include "figure.hpp"

#include "aelab/common.hpp"
#include "aelab/ticks.hpp"
#include "font.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace aelab::cli {

namespace {

// Pixel coordinates in SVG: two decimals, trailing zeros dropped.
std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    std::string s = buf;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s == "-0" ? "0" : s;
}

std::string base64(const std::string& bytes) {
    static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (size_t i = 0; i < bytes.size(); i += 3) {
        const unsigned b0 = std::uint8_t(bytes[i]);
        const unsigned b1 = i + 1 < bytes.size() ? std::uint8_t(bytes[i + 1]) : 0u;
        const unsigned b2 = i + 2 < bytes.size() ? std::uint8_t(bytes[i + 2]) : 0u;
        const unsigned v = (b0 << 16) | (b1 << 8) | b2;
        out += k[(v >> 18) & 63];
        out += k[(v >> 12) & 63];
        out += i + 1 < bytes.size() ? k[(v >> 6) & 63] : '=';
        out += i + 2 < bytes.size() ? k[v & 63] : '=';
    }
    return out;
}

const Rgb kInk{0, 0, 0}, kAxis{90, 90, 90}, kGrid{232, 232, 232}, kTickText{40, 40, 40};

}  // namespace

std::string xml_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '&') out += "&amp;";
        else if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '"') out += "&quot;";
        else out += c;
    }
    return out;
}

Figure::Figure(int w, int h, Rgb background) : w_(std::max(1, w)), h_(std::max(1, h)), bg_(background) {}

void Figure::fill_rect(float x, float y, float w, float h, Rgb c) {
    Item it{Kind::FillRect, c};
    it.x = x, it.y = y, it.w = w, it.h = h;
    items_.push_back(std::move(it));
}

void Figure::stroke_rect(float x, float y, float w, float h, Rgb c) {
    Item it{Kind::StrokeRect, c};
    it.x = x, it.y = y, it.w = w, it.h = h;
    items_.push_back(std::move(it));
}

void Figure::line(float x0, float y0, float x1, float y1, Rgb c, float width, bool dashed) {
    Item it{Kind::Line, c};
    it.x = x0, it.y = y0, it.w = x1, it.h = y1, it.width = width, it.dashed = dashed;
    items_.push_back(std::move(it));
}

void Figure::polyline(const std::vector<std::pair<float, float>>& pts, Rgb c, float width) {
    if (pts.empty()) return;
    Item it{Kind::Polyline, c};
    it.pts = pts, it.width = width;
    items_.push_back(std::move(it));
}

void Figure::dot(float x, float y, float radius, Rgb c, float alpha) {
    Item it{Kind::Dot, c};
    it.x = x, it.y = y, it.w = radius, it.alpha = alpha;
    items_.push_back(std::move(it));
}

void Figure::text(float x, float y, const std::string& s, Rgb c, int scale, Anchor a, bool up) {
    Item it{Kind::Text, c};
    it.x = x, it.y = y, it.text = s, it.scale = std::max(1, scale), it.anchor = a, it.up = up;
    items_.push_back(std::move(it));
}

void Figure::image(float x, float y, std::vector<std::uint8_t> rgb, int w, int h, int scale) {
    if (w <= 0 || h <= 0 || rgb.size() != size_t(w) * size_t(h) * 3) throw Error("Figure::image: pixel count does not match the size");
    Item it{Kind::Image, {}};
    it.x = x, it.y = y, it.iw = w, it.ih = h, it.scale = std::max(1, scale), it.rgb = std::move(rgb);
    items_.push_back(std::move(it));
}

int Figure::count_dots() const {
    return int(std::count_if(items_.begin(), items_.end(), [](const Item& i) { return i.kind == Kind::Dot; }));
}

int Figure::count_texts() const {
    return int(std::count_if(items_.begin(), items_.end(), [](const Item& i) { return i.kind == Kind::Text; }));
}

std::string Figure::png() const {
    Canvas cv(w_, h_, bg_);
    auto ri = [](float v) { return int(std::lround(v)); };
    for (const Item& it : items_) {
        switch (it.kind) {
            case Kind::FillRect: cv.fill_rect(ri(it.x), ri(it.y), ri(it.w), ri(it.h), it.color); break;
            case Kind::StrokeRect: cv.rect_outline(ri(it.x), ri(it.y), ri(it.w), ri(it.h), it.color); break;
            case Kind::Line: {
                if (!it.dashed) {
                    cv.line(it.x, it.y, it.w, it.h, it.color, it.width);
                    break;
                }
                const float dx = it.w - it.x, dy = it.h - it.y, len = std::sqrt(dx * dx + dy * dy);
                for (float s = 0; s < len; s += 10) {  // 6 on, 4 off, as stroke-dasharray="6 4"
                    const float e = std::min(len, s + 6);
                    cv.line(it.x + dx * s / len, it.y + dy * s / len, it.x + dx * e / len, it.y + dy * e / len, it.color, it.width);
                }
                break;
            }
            case Kind::Polyline:
                if (it.pts.size() == 1) cv.dot(it.pts[0].first, it.pts[0].second, it.width, it.color, 1.f);
                for (size_t i = 1; i < it.pts.size(); ++i)
                    cv.line(it.pts[i - 1].first, it.pts[i - 1].second, it.pts[i].first, it.pts[i].second, it.color, it.width);
                break;
            case Kind::Dot: cv.dot(it.x, it.y, it.w, it.color, it.alpha); break;
            case Kind::Text: {
                const int tw = font::text_width(it.text, it.scale);
                const int shift = it.anchor == Anchor::Middle ? tw / 2 : it.anchor == Anchor::End ? tw : 0;
                if (it.up) cv.text(ri(it.x), ri(it.y) + shift, it.text, it.color, it.scale, true);
                else cv.text(ri(it.x) - shift, ri(it.y), it.text, it.color, it.scale);
                break;
            }
            case Kind::Image: cv.image(ri(it.x), ri(it.y), it.rgb, it.iw, it.ih, it.scale); break;
        }
    }
    return cv.encode_png();
}

std::string Figure::svg() const {
    std::string s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    s += "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"" +
         std::to_string(w_) + "\" height=\"" + std::to_string(h_) + "\" viewBox=\"0 0 " + std::to_string(w_) + " " +
         std::to_string(h_) + "\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\">\n";
    s += "<rect width=\"" + std::to_string(w_) + "\" height=\"" + std::to_string(h_) + "\" fill=\"" + palette::hex(bg_) + "\"/>\n";
    const char* anchors[] = {"start", "middle", "end"};
    std::string group;  // the open <g> of a run of dots with one colour, alpha and radius
    for (const Item& it : items_) {
        std::string key;
        if (it.kind == Kind::Dot) key = palette::hex(it.color) + num(it.alpha) + "/" + num(it.w);
        if (key != group) {
            if (!group.empty()) s += "</g>\n";
            if (!key.empty())
                s += "<g fill=\"" + palette::hex(it.color) + "\" fill-opacity=\"" + num(it.alpha) + "\">\n";
            group = key;
        }
        const std::string col = palette::hex(it.color);
        switch (it.kind) {
            case Kind::FillRect:
                s += "<rect x=\"" + num(it.x) + "\" y=\"" + num(it.y) + "\" width=\"" + num(it.w) + "\" height=\"" + num(it.h) +
                     "\" fill=\"" + col + "\"/>\n";
                break;
            case Kind::StrokeRect:
                s += "<rect x=\"" + num(it.x + 0.5) + "\" y=\"" + num(it.y + 0.5) + "\" width=\"" + num(it.w - 1) +
                     "\" height=\"" + num(it.h - 1) + "\" fill=\"none\" stroke=\"" + col + "\"/>\n";
                break;
            case Kind::Line:
                s += "<line x1=\"" + num(it.x) + "\" y1=\"" + num(it.y) + "\" x2=\"" + num(it.w) + "\" y2=\"" + num(it.h) +
                     "\" stroke=\"" + col + "\" stroke-width=\"" + num(it.width) + "\"" +
                     (it.dashed ? " stroke-dasharray=\"6 4\"" : "") + "/>\n";
                break;
            case Kind::Polyline: {
                s += "<polyline fill=\"none\" stroke=\"" + col + "\" stroke-width=\"" + num(it.width) +
                     "\" stroke-linejoin=\"round\" stroke-linecap=\"round\" points=\"";
                for (size_t i = 0; i < it.pts.size(); ++i)
                    s += (i ? " " : "") + num(it.pts[i].first) + "," + num(it.pts[i].second);
                s += "\"/>\n";
                break;
            }
            case Kind::Dot:
                s += "<circle cx=\"" + num(it.x) + "\" cy=\"" + num(it.y) + "\" r=\"" + num(it.w) + "\"/>\n";
                break;
            case Kind::Text: {
                const float cap = float(font::kCapH * it.scale);
                std::string pos = it.up ? "transform=\"translate(" + num(it.x + cap) + "," + num(it.y) + ") rotate(-90)\""
                                        : "x=\"" + num(it.x) + "\" y=\"" + num(it.y + cap) + "\"";
                s += "<text " + pos + " font-size=\"" + std::to_string(10 * it.scale) + "\" text-anchor=\"" +
                     anchors[int(it.anchor)] + "\" fill=\"" + col + "\">" + xml_escape(it.text) + "</text>\n";
                break;
            }
            case Kind::Image:
                s += "<image x=\"" + num(it.x) + "\" y=\"" + num(it.y) + "\" width=\"" + std::to_string(it.iw * it.scale) +
                     "\" height=\"" + std::to_string(it.ih * it.scale) +
                     "\" preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\" xlink:href=\"data:image/png;base64," +
                     base64(encode_png(it.rgb, it.iw, it.ih)) + "\"/>\n";
                break;
        }
    }
    if (!group.empty()) s += "</g>\n";
    s += "</svg>\n";
    return s;
}

float Axes::px(double vx) const { return float(x + (vx - x0) / (x1 - x0) * w); }

float Axes::py(double vy) const {
    if (logy) {
        const double l0 = std::log10(y0), l1 = std::log10(y1), l = std::log10(std::max(vy, 1e-300));
        return float(y + h - (l - l0) / (l1 - l0) * h);
    }
    return float(y + h - (vy - y0) / (y1 - y0) * h);
}

int draw_axes(Figure& f, const Axes& ax, const std::string& xtitle, const std::string& ytitle) {
    const int ts = 2;                      // tick label scale
    const float th = float(font::kCapH * ts), gap = 6.f;  // tick label height, gap to the axis
    int labels = 0, widest = 0;
    // y ticks: nice values, or decades (and 2, 5 over short ranges) on a log axis
    std::vector<std::pair<double, bool>> yt;
    if (ax.logy) {
        for (const LogTick& t : log_ticks(ax.y0, ax.y1)) yt.push_back({t.value, t.major});
    } else {
        for (double v : nice_ticks(ax.y0, ax.y1, std::max(2, int(ax.h / 70)))) yt.push_back({v, true});
    }
    for (const auto& [v, major] : yt) {
        const float y = ax.py(v);
        f.line(ax.x, y, ax.x + ax.w, y, major ? kGrid : Rgb{244, 244, 244}, 1.f);
        if (!major) continue;
        f.line(ax.x - 5, y, ax.x, y, kAxis, 1.f);
        const std::string s = tick_label(v);
        f.text(ax.x - 5 - gap, y - th / 2, s, kTickText, ts, Anchor::End);
        widest = std::max(widest, font::text_width(s, ts));
        ++labels;
    }
    for (double v : nice_ticks(ax.x0, ax.x1, std::max(2, int(ax.w / 90)))) {
        const float x = ax.px(v);
        f.line(x, ax.y, x, ax.y + ax.h, kGrid, 1.f);
        f.line(x, ax.y + ax.h, x, ax.y + ax.h + 5, kAxis, 1.f);
        f.text(x, ax.y + ax.h + 5 + gap, tick_label(v), kTickText, ts, Anchor::Middle);
        ++labels;
    }
    f.stroke_rect(ax.x - 1, ax.y - 1, ax.w + 2, ax.h + 2, kAxis);
    if (!xtitle.empty()) f.text(ax.x + ax.w / 2, ax.y + ax.h + 5 + gap + th + 10, xtitle, kInk, 2, Anchor::Middle);
    if (!ytitle.empty())  // 16 px left of the widest tick label, inside the figure
        f.text(std::max(2.f, ax.x - 5 - gap - float(widest) - 16 - float(font::kCapH * 2)), ax.y + ax.h / 2, ytitle, kInk,
               2, Anchor::Middle, true);
    return labels;
}

void draw_legend(Figure& f, float x, float y, const std::vector<LegendItem>& items, bool lines) {
    for (const LegendItem& it : items) {
        if (lines) f.line(x, y + 7, x + 22, y + 7, it.color, 2.5f, it.dashed);
        else f.fill_rect(x + 4, y, 14, 14, it.color);
        f.text(x + 30, y, it.name, kInk, 2);
        y += 24;
    }
}

}  // namespace aelab::cli
