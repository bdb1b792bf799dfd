// scatter.hpp: GL point-cloud renderer for the latent / PCA scatter plots, plus an ImGui widget.
//
// What: ScatterRenderer draws up to ~100k 2-D points as round, anti-aliased GL points
// (shaders/scatter.{vert,frag}.glsl, embedded by CMake) into an offscreen colour texture;
// ImGui shows the texture as one image. ScatterWidget() wraps it with pan (drag), zoom
// (mouse wheel, around the cursor), double-click to re-fit, hover (nearest point within a
// few pixels, via a CPU uniform grid) and axis ticks drawn with ImDrawList.
// Why: 70k points as ImDrawList circles would cost ~70k * 20 vertices per frame; the GL path
// uploads 8 bytes per point (glBufferSubData into a preallocated VBO) and the point sprite
// does the rest, so the latent codes can move every frame while training runs.
//
// Data layout: positions are 2 x n column-major (x0, y0, x1, y1, ...), which is exactly the
// .data() of an Eigen 2 x n float matrix; with `stride` = d, point i is
// (p[i*d], p[i*d + 1]), i.e. the first two rows of a d x n matrix.
// Colours: labels through the 10-colour categorical palette (Tableau 10, colour-blind
// friendly; label < 0 is grey), continuous values through a colour map, or explicit RGBA.
// The texture is stored top row first: ImGui::Image(id, size) with the default UVs shows
// it upright.
//
// Usage (inside a frame, GL context current):
//     static aelab::app::ScatterRenderer sc;            // sc.init() once after GL is up
//     sc.set_points(Z.data(), labels.data(), (int)Z.cols());   // Z: 2 x n, every frame
//     aelab::app::ScatterWidgetResult res;
//     if (aelab::app::ScatterWidget("latent", sc, ImVec2(400, 400), &res))
//         show_image(res.hovered);                       // index of the hovered point
// Lower level: unsigned tex = sc.render(w_px, h_px);  ImGui::Image((ImTextureID)(intptr_t)tex, size);
#pragma once

#include "gl.hpp"

#include <imgui.h>

#include <cstdint>
#include <vector>

namespace aelab::app {

// ---- colours ------------------------------------------------------------------------------
// Colours are 32-bit RGBA in ImGui's IM_COL32 layout (R in the low byte): usable directly
// with ImDrawList (legends) and as GL_UNSIGNED_BYTE RGBA vertex data.
inline constexpr int kPaletteSize = 10;
// matplotlib's tab10 (aelab/palette.hpp): label k -> colour k % 10; label < 0 -> no-label grey.
std::uint32_t palette_color(int label, std::uint8_t alpha = 255);

enum class ColorMap {
    Viridis,   // perceptually uniform, colour-blind safe (sequential values, e.g. roll angle)
    Coolwarm,  // diverging blue - light grey - red (signed values)
};
// t in [0, 1] (clamped; NaN -> grey).
std::uint32_t colormap_color(ColorMap cm, float t, std::uint8_t alpha = 255);

// ---- renderer -------------------------------------------------------------------------------
// How a point reaches the rasterizer (same picture either way):
//  Points: GL_POINTS + gl_PointSize, the fragment shader shapes the disc from gl_PointCoord.
//  Quads:  one instanced 4-vertex triangle strip per point (glDrawArraysInstanced with
//          per-instance attributes); not limited by GL_ALIASED_POINT_SIZE_RANGE (large
//          markers), but much slower on software GL: 2.5x on Mesa llvmpipe, 4x+ on
//          Chromium's SwiftShader (6000 points: 213 vs 49 ms/frame). Points is the default;
//          use Quads only for a few large markers on real GPUs.
enum class ScatterMode { Points, Quads };

struct ScatterView {
    float xmin = -1, xmax = 1, ymin = -1, ymax = 1;   // visible data rectangle
};

class ScatterRenderer {
public:
    ScatterRenderer() = default;
    ~ScatterRenderer();                       // frees GL objects if release() was not called
    ScatterRenderer(const ScatterRenderer&) = delete;
    ScatterRenderer& operator=(const ScatterRenderer&) = delete;

    // Compiles the shaders and creates the buffers. Needs a current GL context (call from
    // App::init); leaves VAO and GL_ARRAY_BUFFER bound to 0. Idempotent. Returns false (and prints the GL log) on failure; every
    // other call is then a harmless no-op and render() returns 0.
    bool init();
    // Frees the GL objects (call before the context goes away, e.g. in App::shutdown).
    void release();
    bool ready() const { return program_ != 0; }

    // Points: xy as described at the top (n points, `stride` floats apart, stride >= 2).
    // labels: n class labels coloured with the palette; nullptr keeps the current colours
    // when n is unchanged (the usual case when codes move while training), else grey.
    // Cheap to call every frame: positions are copied on the CPU and uploaded once in
    // render() with glBufferSubData; colours are re-uploaded only when they change.
    void set_points(const float* xy, const int* labels, int n, int stride = 2);
    // Colour by a continuous value per point, mapped from [vmin, vmax] through `cm`
    // (vmin == vmax: the range of v). n must equal size().
    void set_values(const float* v, int n, float vmin, float vmax, ColorMap cm = ColorMap::Viridis);
    // Explicit per-point colours (IM_COL32 layout). n must equal size().
    void set_colors(const std::uint32_t* rgba, int n);
    int size() const { return n_; }
    const std::vector<float>& positions() const { return pos_; }   // 2 x n, column-major

    // View (data rectangle shown). set_view() turns auto-fit off.
    void set_view(float xmin, float xmax, float ymin, float ymax);
    const ScatterView& view() const { return view_; }
    // Fits the view to the finite points once, with `margin` (fraction of the range) on
    // every side. Does not change the auto-fit setting.
    void auto_fit(float margin = 0.05f);
    // When on (the default), render() re-fits the view to the points every frame, so a
    // moving latent cloud stays in frame. ScatterWidget turns it off when the user pans or
    // zooms, and back on with a double-click.
    void set_auto_fit(bool on) {
        if (on && !auto_fit_on_) force_redraw_ = true;
        auto_fit_on_ = on;
    }
    bool auto_fit_enabled() const { return auto_fit_on_; }
    // When on, render() widens the view (never narrows it) so that one data unit is as long
    // on x as on y in the output texture (PCA / course plots). ScatterWidget sets it from
    // its options every frame.
    void set_equal_aspect(bool on) { equal_aspect_ = on; }
    bool equal_aspect() const { return equal_aspect_; }

    // Style. Point size is the diameter in logical pixels (times pixel_scale in render()).
    void set_point_size(float px) { point_size_ = px > 0.5f ? px : 0.5f; }
    float point_size() const { return point_size_; }
    void set_alpha(float a) { alpha_ = a < 0 ? 0 : (a > 1 ? 1 : a); }
    float alpha() const { return alpha_; }
    void set_background(std::uint32_t rgba) { background_ = rgba; }   // IM_COL32 layout
    // One point drawn last, larger, with a ring (e.g. the digit drawn by the user, or the
    // selected test image). -1 = none.
    void highlight(int index) { highlight_ = index; }
    int highlighted() const { return highlight_; }
    void set_highlight_color(std::uint32_t rgba) { highlight_color_ = rgba; }
    void set_mode(ScatterMode m) { mode_ = m; }
    ScatterMode mode() const { return mode_; }

    // Renders into the offscreen texture (resized to width_px x height_px when needed) and
    // returns the GL texture id (0 if not ready). pixel_scale multiplies the point size
    // (pass io.DisplayFramebufferScale.x on HiDPI). Call it while building the frame,
    // before ImGui::Render(). It queries no GL state (a glGet is a synchronous round trip
    // in WebGL) and leaves behind: the default framebuffer bound, program / VAO /
    // GL_ARRAY_BUFFER / GL_TEXTURE_2D bound to 0, blending and scissor disabled, and the
    // VIEWPORT AND CLEAR COLOUR CHANGED; set them again before drawing to the screen
    // (App::frame does, and ImGui's backend sets its own state in RenderDrawData).
    //
    // Caching: render() redraws only when something it shows changed (points, colours,
    // view, size, style, highlight); otherwise it returns the last texture and issues no GL
    // call at all. With set_min_interval(s) > 0, a redraw caused only by the data (points or
    // colours moved, or the auto-fitted view following them) happens at most every s
    // seconds; the last texture is kept in between (and view() stays the drawn view, so
    // ticks and hover match the picture). User-driven changes (a view set by pan / zoom,
    // size, style, highlight, re-fit) redraw at once. The newest data is always drawn
    // eventually: a pending change stays pending until the next allowed redraw.
    unsigned render(int width_px, int height_px, float pixel_scale = 1.0f);
    void set_min_interval(double seconds) { min_interval_ = seconds > 0 ? seconds : 0; }
    double min_interval() const { return min_interval_; }
    void invalidate() { force_redraw_ = true; }    // the next render() redraws
    long long redraws() const { return redraws_; } // how many times render() really drew
    unsigned texture() const { return tex_; }
    int texture_width() const { return fb_w_; }
    int texture_height() const { return fb_h_; }

    // Index of the point nearest to (x, y) in data coordinates with distance <= max_dist,
    // or -1. max_dist <= 0 or infinite: no limit. Uses a uniform grid rebuilt lazily after
    // the points move (O(n) counting sort, ~0.2 ms for 70k); a query visits only the
    // cells within reach.
    int nearest(float x, float y, float max_dist) const;
    // Same with an axis-aligned ellipse: accepts points with (dx/rx)^2 + (dy/ry)^2 <= 1 and
    // picks the smallest such normalized distance (the widget passes a radius in pixels
    // converted per axis, so hovering is round on screen whatever the aspect).
    int nearest(float x, float y, float rx, float ry) const;

private:
    void upload_();
    void ensure_target_(int w, int h);
    void build_grid_() const;

    // GL objects
    GLuint program_ = 0, vao_ = 0, vao_inst_ = 0, vbo_pos_ = 0, vbo_col_ = 0, fbo_ = 0, tex_ = 0;
    GLint u_view_ = -1, u_viewport_ = -1, u_point_size_ = -1, u_alpha_ = -1, u_ring_ = -1,
          u_ring_color_ = -1, u_quads_ = -1;
    int fb_w_ = 0, fb_h_ = 0;
    int capacity_ = 0;               // points the VBOs can hold
    float max_point_size_ = 64.0f;   // GL_ALIASED_POINT_SIZE_RANGE

    // CPU side
    int n_ = 0;
    std::vector<float> pos_;                 // 2 x n
    std::vector<std::uint32_t> col_;         // n
    std::vector<int> labels_;                // last labels (to skip unchanged colour uploads)
    bool pos_dirty_ = false, col_dirty_ = false;

    // Redraw cache (see render()).
    std::uint64_t data_version_ = 1, drawn_version_ = 0;
    bool force_redraw_ = true;
    double min_interval_ = 0, last_draw_s_ = -1e9;
    long long redraws_ = 0;
    ScatterView drawn_view_;
    int drawn_w_ = 0, drawn_h_ = 0, drawn_highlight_ = -2;
    float drawn_scale_ = 0, drawn_point_size_ = 0, drawn_alpha_ = -1;
    std::uint32_t drawn_background_ = 0, drawn_highlight_color_ = 0;
    ScatterMode drawn_mode_ = ScatterMode::Points;

    ScatterView view_;
    bool auto_fit_on_ = true;
    bool equal_aspect_ = false;
    ScatterMode mode_ = ScatterMode::Points;
    float point_size_ = 3.0f, alpha_ = 0.75f;
    std::uint32_t background_ = 0xFF241E1Cu;        // IM_COL32(28, 30, 36, 255)
    std::uint32_t highlight_color_ = 0xFFFFFFFFu;   // white
    int highlight_ = -1;

    // Lazy uniform grid for nearest()
    mutable bool grid_dirty_ = true;
    mutable int grid_nx_ = 0, grid_ny_ = 0;
    mutable float grid_x0_ = 0, grid_y0_ = 0, grid_cw_ = 1, grid_ch_ = 1;
    mutable std::vector<int> grid_start_;   // nx*ny + 1 offsets into grid_items_
    mutable std::vector<int> grid_items_;   // point indices sorted by cell
};

// ---- ImGui widget ---------------------------------------------------------------------------
struct ScatterWidgetOptions {
    float hover_radius_px = 8.0f;   // hover picks the nearest point within this many pixels
    bool show_axes = true;          // tick marks + labels left of and below the plot
    bool equal_aspect = false;      // one data unit is as long on x as on y (e.g. PCA plots)
    bool interactive = true;        // pan / zoom / double-click re-fit
    bool mark_hovered = true;       // a circle around the hovered point (ImDrawList)
    const char* x_label = nullptr;  // optional axis titles
    const char* y_label = nullptr;
    bool y_ticks = true;            // false: no y tick labels (a 1-D code jittered vertically)
};

struct ScatterWidgetResult {
    int hovered = -1;               // index of the hovered point, or -1
    int clicked = -1;               // point under a left click (press + release without drag), or -1
    bool mouse_in_plot = false;
    float mouse_x = 0, mouse_y = 0; // mouse position in data coordinates (when in the plot)
    bool view_changed = false;      // the user panned / zoomed / re-fitted this frame
    ImVec2 plot_min, plot_max;      // screen rectangle of the plot image (for overlays)
};

// Draws the scatter plot in a `size` (logical pixels, axes included) area at the cursor.
// Returns true when a point is hovered (index in out->hovered).
bool ScatterWidget(const char* id, ScatterRenderer& r, ImVec2 size,
                   ScatterWidgetResult* out = nullptr, const ScatterWidgetOptions& opt = {});

// Data coordinates -> screen position inside the plot of the last ScatterWidget call that
// filled `res` (for overlays drawn with ImGui::GetWindowDrawList(): axes, paths, labels).
ImVec2 ScatterToScreen(const ScatterWidgetResult& res, const ScatterView& view, float x, float y);

}  // namespace aelab::app
