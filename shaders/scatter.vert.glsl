// scatter.vert.glsl: the vertex stage of ScatterRenderer (web/app/scatter.cpp).
// No #version line: "#version 300 es" + precision (WebGL2) or "#version 330 core" (desktop)
// is prepended at run time by web/app/glutil.cpp.
//
// Two ways to draw a point, same look (the renderer picks one, see ScatterRenderer::Mode):
//  * u_quads == 0: one vertex per point, GL_POINTS, gl_PointSize; the fragment stage
//    shapes the disc from gl_PointCoord.
//  * u_quads == 1: one instance per point, 4 vertices (GL_TRIANGLE_STRIP, gl_VertexID
//    picks the corner); the corner is passed as v_coord. For markers larger than
//    GL_ALIASED_POINT_SIZE_RANGE allows.
//
// a_pos   : data coordinates (x, y) (per vertex, or per instance with divisor 1)
// a_color : RGBA8, normalized (palette / colour-map colour of the point)
// u_view  : (xmin, xmax, ymin, ymax) of the visible data rectangle
// The texture is written top row first (y flipped) so that ImGui::Image with the default
// UVs (0,0)-(1,1) shows it upright.
layout(location = 0) in vec2 a_pos;
layout(location = 1) in vec4 a_color;

uniform vec4 u_view;
uniform vec2 u_viewport;      // target size in pixels
uniform float u_point_size;   // diameter in framebuffer pixels
uniform float u_alpha;        // global opacity multiplier
uniform int u_quads;

out vec4 v_color;
out vec2 v_coord;             // quad mode: corner in [-1, 1]^2

void main() {
    vec2 lo = u_view.xz;
    vec2 hi = u_view.yw;
    vec2 ndc = 2.0 * (a_pos - lo) / (hi - lo) - 1.0;
    ndc.y = -ndc.y;
    if (u_quads != 0) {
        int id = gl_VertexID;
        vec2 corner = vec2((id & 1) != 0 ? 1.0 : -1.0, (id & 2) != 0 ? 1.0 : -1.0);
        v_coord = corner;
        ndc += corner * (u_point_size / u_viewport);
        gl_PointSize = 1.0;
    } else {
        v_coord = vec2(0.0);
        gl_PointSize = u_point_size;
    }
    gl_Position = vec4(ndc, 0.0, 1.0);
    v_color = vec4(a_color.rgb, a_color.a * u_alpha);
}
