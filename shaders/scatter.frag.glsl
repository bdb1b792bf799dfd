// scatter.frag.glsl: round, anti-aliased points for ScatterRenderer (see scatter.vert.glsl).
// No #version line (prepended at run time).
//
// The disc has radius 1 in point coordinates (gl_PointCoord mapped to [-1, 1]^2 for
// GL_POINTS, v_coord for instanced quads); its edge is smoothed over about one framebuffer
// pixel (u_point_size pixels span the diameter). With u_ring > 0 (the highlighted point)
// the outer part is drawn in u_ring_color around the point's own colour.
in vec4 v_color;
in vec2 v_coord;

uniform float u_point_size;
uniform float u_ring;         // 0: filled disc, 1: highlight ring
uniform vec4 u_ring_color;
uniform int u_quads;

out vec4 frag_color;

void main() {
    vec2 p = u_quads != 0 ? v_coord : gl_PointCoord * 2.0 - 1.0;
    float r = length(p);
    float aa = 2.0 / max(u_point_size, 1.0);   // one pixel in point coordinates
    float a = 1.0 - smoothstep(1.0 - aa, 1.0, r);
    if (a <= 0.0) discard;
    vec4 c = v_color;
    if (u_ring > 0.5) {
        float inner = 1.0 - smoothstep(0.55 - aa, 0.55, r);
        c = mix(u_ring_color, vec4(v_color.rgb, 1.0), inner);
    }
    frag_color = vec4(c.rgb, c.a * a);
}
