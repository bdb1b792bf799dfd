// gltex.hpp: small RGBA textures from float images (inputs, reconstructions, eigen-digits,
// the decoder manifold), for ImGui::Image.
//
// What: ImageTexture owns one GL texture and re-uploads into it (glTexSubImage2D when the
// size is unchanged, so the id stays valid frame after frame). Images are float arrays,
// h rows x w cols, row-major: pixel (r, c) at img[r * w + c]. That is one COLUMN of a
// 784 x N aelab::Mat (core keeps one sample per column), so image k of a data set or a
// reconstruction batch is X.data() + k * 784.
// Values are mapped from [vmin, vmax] to the colour map and clamped (NaN shows magenta).
// Why: one helper for every image panel; NEAREST filtering keeps 28x28 digits crisp when
// drawn large. Uploads query no GL state (synchronous in WebGL) and leave GL_TEXTURE_2D
// bound to 0 and GL_UNPACK_ALIGNMENT at 4 (the default).
// Usage:
//     aelab::app::ImageTexture tex;                              // GL context current
//     tex.upload(X.col(k).data(), 28, 28);                       // one digit in [0, 1]
//     ImGui::Image(tex.imgui_id(), ImVec2(112, 112));
//     aelab::app::ImageStyle st; st.cmap = aelab::app::ImageColormap::Diverging;
//     st.per_image_range = true;                                 // eigen-digits: +-max|v| each
//     comps.upload_grid(U.data(), /*count=*/16, 28, 28, /*cols=*/8, st);   // U: 784 x 16
#pragma once

#include "gl.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace aelab::app {

enum class ImageColormap {
    Gray,         // vmin -> black, vmax -> white
    GrayInverse,  // vmin -> white, vmax -> black (ink on paper)
    Diverging,    // blue (vmin) - near black (middle) - orange/red (vmax), for signed values
};

struct ImageStyle {
    float vmin = 0.0f, vmax = 1.0f;
    ImageColormap cmap = ImageColormap::Gray;
    // Each image of a grid (or the single image) scaled to its own range: [min, max] for the
    // gray maps, [-m, m] with m = max |v| for Diverging (so 0 stays the middle colour).
    bool per_image_range = false;
    std::uint32_t pad_rgba = 0xFF302A28u;   // grid padding colour, IM_COL32 layout (40,42,48)
};

class ImageTexture {
public:
    ImageTexture() = default;
    ~ImageTexture();                             // frees nothing: call release() with GL current
    ImageTexture(const ImageTexture&) = delete;
    ImageTexture& operator=(const ImageTexture&) = delete;
    ImageTexture(ImageTexture&& o) noexcept;
    ImageTexture& operator=(ImageTexture&& o) noexcept;

    // One w x h image (w, h >= 1). Returns the texture id (0 on bad arguments).
    unsigned upload(const float* img, int w, int h, const ImageStyle& style = {});
    unsigned upload(const float* img, int w, int h, float vmin, float vmax,
                    ImageColormap cm = ImageColormap::Gray);

    // `count` images of img_w x img_h laid out `cols` per row (rows = ceil(count / cols)),
    // `pad` pixels of style.pad_rgba between and around them. Image k starts at
    // imgs + k * img_stride (img_stride 0 = img_w * img_h: consecutive columns of a
    // (img_w*img_h) x count matrix). Texture size: cols*(img_w+pad)+pad x rows*(img_h+pad)+pad.
    unsigned upload_grid(const float* imgs, int count, int img_w, int img_h, int cols,
                         const ImageStyle& style = {}, int pad = 1, std::ptrdiff_t img_stride = 0);

    // Raw RGBA8 pixels (IM_COL32 layout, row-major, top row first).
    unsigned upload_rgba(const std::uint32_t* rgba, int w, int h);

    // Pixel rectangle of image k in the last upload_grid (for hover/click mapping):
    // returns false if k is out of range.
    bool grid_cell(int k, int* x, int* y) const;

    unsigned id() const { return id_; }
    int width() const { return w_; }
    int height() const { return h_; }
    // For ImGui::Image(tex.imgui_id(), size): ImTextureID is void* in ImGui 1.86.
    void* imgui_id() const { return reinterpret_cast<void*>(static_cast<std::intptr_t>(id_)); }
    void release();   // deletes the GL texture (GL context current)

private:
    unsigned put_(int w, int h);   // uploads pixels_ (w x h) into the texture

    GLuint id_ = 0;
    int w_ = 0, h_ = 0;
    int grid_cols_ = 0, grid_count_ = 0, grid_iw_ = 0, grid_ih_ = 0, grid_pad_ = 0;
    std::vector<std::uint32_t> pixels_;   // staging buffer, reused
};

// Maps one value to an IM_COL32 colour (exposed for legends / tests).
std::uint32_t image_color(float v, float vmin, float vmax, ImageColormap cm);

}  // namespace aelab::app
