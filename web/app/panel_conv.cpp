// panel_conv.cpp: the conv panel (see panel_conv.hpp): filters or feature maps of one layer.
#include "panel_conv.hpp"

#include "theme.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

namespace aelab::app {
namespace {

bool same_bits(const Vec& a, const Vec& b) {
    return a.size() == b.size() &&
           (a.size() == 0 || std::memcmp(a.data(), b.data(), sizeof(float) * static_cast<size_t>(a.size())) == 0);
}

// The private copy of g for forward passes: made again when the architecture changes, else
// only the weights are copied.
Graph<float>& scratch_for(ConvPanelState& st, const Graph<float>& g) {
    if (!st.scratch || st.scratch->arch_string() != g.arch_string() || st.scratch->input_shape() != g.input_shape())
        st.scratch = std::make_unique<Graph<float>>(weights_copy(g));
    else
        st.scratch->params() = g.params();
    return *st.scratch;
}

// Height x width of the model's input as an image (1 channel), or false.
bool input_image_dims(const Graph<float>& g, int* h, int* w) {
    Shape s = g.input_shape();
    if (s.h == 1 && s.w == 1 && g.num_layers() > 0 && g.layer(0).kind() == LayerKind::Reshape)
        s = g.layer(0).out_shape();
    if (s.c != 1 || s.h < 2 || s.w < 2) return false;
    *h = static_cast<int>(s.h);
    *w = static_cast<int>(s.w);
    return true;
}

void rebuild(ConvPanelState& st, const Graph<float>& g, const Mat& X) {
    ConvViewOptions opt;
    opt.mode = st.mode;
    opt.channel = st.channel;
    try {
        if (st.show_maps) {
            AELAB_REQUIRE(X.cols() > 0, "no test images to run through the model");
            AELAB_REQUIRE(X.rows() == g.input_shape().size(),
                          "the test images have " + std::to_string(X.rows()) + " values, the model takes " +
                              std::to_string(g.input_shape().size()));
            std::vector<ConvImage> maps = feature_maps_of(scratch_for(st, g), X.col(st.image).data(), opt);
            auto it = std::find_if(maps.begin(), maps.end(), [&](const ConvImage& m) { return m.layer == st.layer; });
            AELAB_REQUIRE(it != maps.end(), "layer " + std::to_string(st.layer) + " has no spatial output");
            st.shown = std::move(*it);
            int h = 0, w = 0;
            if (input_image_dims(g, &h, &w)) st.input_tex.upload(X.col(st.image).data(), w, h);
        } else {
            st.shown = filter_montage(g, st.layer, opt);
        }
        st.tex.upload_rgba(st.shown.rgba.data(), st.shown.width, st.shown.height);
        st.drawn_params = g.params();
        st.has_shown = true;
        st.error.clear();
    } catch (const Error& e) {
        st.has_shown = false;
        st.error = e.what();
    }
}

// The layer picker over `layers`; returns true when the choice changed.
bool LayerCombo(ConvPanelState& st, const Graph<float>& g, const std::vector<int>& layers) {
    bool changed = false;
    const std::string cur = "#" + std::to_string(st.layer) + " " + layer_label(g, st.layer);
    ImGui::SetNextItemWidth(std::min(260.0f, ImGui::GetContentRegionAvail().x));
    if (ImGui::BeginCombo("layer", cur.c_str())) {
        for (int i : layers) {
            const std::string name = "#" + std::to_string(i) + " " + layer_label(g, i);
            if (ImGui::Selectable(name.c_str(), i == st.layer) && i != st.layer) {
                st.layer = i;
                changed = true;
            }
        }
        ImGui::EndCombo();
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("graph layer: kind, channels @ output height x width");
    return changed;
}

// The montage scaled to fit `avail`, with the hovered pixel's value as a tooltip.
void ShowMontage(const ConvPanelState& st, ImVec2 avail) {
    const ConvImage& m = st.shown;
    const float s = std::max(0.1f, std::min(avail.x / m.width, avail.y / m.height));
    const ImVec2 size(std::floor(m.width * s), std::floor(m.height * s));
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, (avail.x - size.x) * 0.5f));
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    ImGui::Image(st.tex.imgui_id(), size);
    if (!ImGui::IsItemHovered()) return;
    const ImVec2 mp = ImGui::GetMousePos();
    const int px = static_cast<int>((mp.x - p0.x) / s), py = static_cast<int>((mp.y - p0.y) / s);
    int tx = 0, ty = 0;
    const int k = m.tile_at(px, py, &tx, &ty);
    if (k < 0) return;
    const float v = m.value[static_cast<size_t>(py) * m.width + px];
    if (st.show_maps)
        ImGui::SetTooltip("channel %d, (x %d, y %d): %.4g", k, tx, ty, v);
    else
        ImGui::SetTooltip("filter %d, kernel (%d, %d): %s %.4g", k, ty, tx,
                          st.mode == FilterMode::MeanAbs ? "mean |w|" : "w", v);
}

}  // namespace

void draw_conv_panel(ConvPanelState& st, const Graph<float>& g, const Mat& test_images,
                     const std::vector<int>& labels, float width, float height) {
    if (!ImGui::BeginChild("##conv_panel", ImVec2(width, height), false, ImGuiWindowFlags_NoScrollbar)) {
        ImGui::EndChild();
        return;
    }
    const std::vector<int> convs = conv_layers(g), spatial = spatial_layers(g);
    if (spatial.empty()) {
        ImGui::TextColored(theme::kTextDim, "No convolutional or image-shaped layer in this model: nothing to show.");
        ImGui::EndChild();
        return;
    }
    if (convs.empty()) st.show_maps = true;
    bool changed = false;
    if (!convs.empty()) {
        if (ImGui::RadioButton("filters", !st.show_maps)) changed |= std::exchange(st.show_maps, false);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("the learned kernels of a conv layer, one tile per filter");
        ImGui::SameLine();
    }
    if (ImGui::RadioButton("feature maps", st.show_maps)) changed |= !std::exchange(st.show_maps, true);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("one test image's activations at a layer, one tile per channel");
    const std::vector<int>& layers = st.show_maps ? spatial : convs;
    if (std::find(layers.begin(), layers.end(), st.layer) == layers.end()) {
        // Keep the same layer across the toggle when it is in both lists, else the first.
        st.layer = layers.front();
        changed = true;
    }
    ImGui::SameLine();
    changed |= LayerCombo(st, g, layers);

    if (st.show_maps) {
        const int n = static_cast<int>(test_images.cols());
        st.image = std::clamp(st.image, 0, std::max(0, n - 1));
        ImGui::SetNextItemWidth(std::min(220.0f, ImGui::GetContentRegionAvail().x * 0.6f));
        if (n > 0 && ImGui::SliderInt("test image", &st.image, 0, n - 1)) changed = true;
        if (st.image < static_cast<int>(labels.size())) {
            ImGui::SameLine();
            ImGui::TextColored(theme::kTextDim, "label %d", labels[static_cast<size_t>(st.image)]);
        }
    } else {
        const int C = static_cast<int>(g.layer(st.layer).in_shape().c);
        st.channel = std::clamp(st.channel, 0, C - 1);
        if (ImGui::RadioButton("input channel", st.mode == FilterMode::Channel)) {
            changed |= st.mode != FilterMode::Channel;
            st.mode = FilterMode::Channel;
        }
        if (C > 1 && st.mode == FilterMode::Channel) {
            ImGui::SameLine();
            ImGui::SetNextItemWidth(std::min(160.0f, ImGui::GetContentRegionAvail().x * 0.4f));
            if (ImGui::SliderInt("##channel", &st.channel, 0, C - 1)) changed = true;
        }
        ImGui::SameLine();
        if (ImGui::RadioButton("mean |w| over channels", st.mode == FilterMode::MeanAbs)) {
            changed |= st.mode != FilterMode::MeanAbs;
            st.mode = FilterMode::MeanAbs;
        }
    }
    if (changed) st.refresh.invalidate();

    // Redraw when asked, or at most every Refresh period when the weights moved.
    const double now = ImGui::GetTime();
    const bool forced = !st.refresh.marked();
    if (st.refresh.due(now, 0)) {
        st.refresh.mark(now);
        if (forced || !st.has_shown || !same_bits(st.drawn_params, g.params())) rebuild(st, g, test_images);
    }
    if (!st.error.empty()) {
        ImGui::TextColored(theme::kTextErr, "%s", st.error.c_str());
        ImGui::EndChild();
        return;
    }
    if (!st.has_shown) {
        ImGui::EndChild();
        return;
    }
    const float line = ImGui::GetTextLineHeightWithSpacing();
    ImVec2 avail = ImGui::GetContentRegionAvail();
    avail.y = std::max(16.0f, avail.y - 2 * line);
    if (st.show_maps && st.input_tex.id() != 0) {
        // The input beside the maps, as large as one tile row allows.
        const float t = std::min(avail.y, std::min(avail.x * 0.2f, 112.0f));
        ImGui::Image(st.input_tex.imgui_id(), ImVec2(t, t));
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("test image %d", st.image);
        ImGui::SameLine();
        avail.x = std::max(16.0f, avail.x - t - ImGui::GetStyle().ItemSpacing.x);
    }
    ShowMontage(st, avail);
    ImGui::TextColored(theme::kTextBright, "%s", st.shown.label.c_str());
    ImGui::SameLine();
    ImGui::TextColored(theme::kTextDim, "%s", st.shown.detail.c_str());
    ImGui::TextColored(theme::kTextDim, "%s",
                       st.show_maps ? "viridis: the layer's minimum (dark) to its maximum (yellow)"
                                    : "red > 0, blue < 0, white 0; scaled to the layer's max |w|");
    ImGui::EndChild();
}

}  // namespace aelab::app
