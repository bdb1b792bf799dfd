// imgui_gl_shadow.cpp: answers the GL state queries of ImGui's OpenGL3 backend without
// asking WebGL (browser build only).
//
// Why: ImGui_ImplOpenGL3_RenderDrawData (1.86) backs up ~20 pieces of GL state with
// glGetIntegerv / glIsEnabled every frame and restores them afterwards. In Chromium several
// of them (viewport, scissor box, blend functions and equations) are synchronous round
// trips to the GPU process: the page's main thread waits there until the GPU process has
// executed everything queued before (the scatter FBOs, texture uploads, ...), which showed
// up as most of the "render" time in window.aelab.profile on software WebGL (SwiftShader).
// The playground never relies on GL state surviving RenderDrawData (every GL user sets
// what it needs: scatter.cpp, gltex.cpp, App::frame), so the backend gets the playground's
// documented baseline instead: nothing bound, texture unit 0, blending / culling / depth /
// stencil / scissor off, default blend function and equation, empty viewport and scissor
// box (the app sets the viewport before drawing). Anything else is passed through to GL
// (e.g. GL_MAJOR_VERSION at init).
// How: web/CMakeLists.txt compiles imgui_impl_opengl3.cpp with
// -DglGetIntegerv=aelab_imgui_glGetIntegerv -DglIsEnabled=aelab_imgui_glIsEnabled, which
// renames the two functions in that file only (its GLES3 header declarations included).
#include <GLES3/gl3.h>

extern "C" {

void aelab_imgui_glGetIntegerv(GLenum pname, GLint* v) {
    if (!v) return;
    switch (pname) {
        case GL_ACTIVE_TEXTURE: *v = GL_TEXTURE0; return;
        case GL_CURRENT_PROGRAM:
        case GL_TEXTURE_BINDING_2D:
        case GL_SAMPLER_BINDING:
        case GL_ARRAY_BUFFER_BINDING:
        case GL_ELEMENT_ARRAY_BUFFER_BINDING:
        case GL_VERTEX_ARRAY_BINDING: *v = 0; return;
        case GL_VIEWPORT:
        case GL_SCISSOR_BOX: v[0] = v[1] = v[2] = v[3] = 0; return;
        case GL_BLEND_SRC_RGB:
        case GL_BLEND_SRC_ALPHA: *v = GL_ONE; return;
        case GL_BLEND_DST_RGB:
        case GL_BLEND_DST_ALPHA: *v = GL_ZERO; return;
        case GL_BLEND_EQUATION_RGB:
        case GL_BLEND_EQUATION_ALPHA: *v = GL_FUNC_ADD; return;
        default: glGetIntegerv(pname, v); return;
    }
}

GLboolean aelab_imgui_glIsEnabled(GLenum cap) {
    switch (cap) {
        case GL_BLEND:
        case GL_CULL_FACE:
        case GL_DEPTH_TEST:
        case GL_STENCIL_TEST:
        case GL_SCISSOR_TEST:
        case GL_PRIMITIVE_RESTART_FIXED_INDEX: return GL_FALSE;
        default: return glIsEnabled(cap);
    }
}

}  // extern "C"
