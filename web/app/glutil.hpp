// glutil.hpp: compiling the playground's GLSL programs on either GL flavour.
//
// What: glsl_prelude() is the text put in front of every shader body from shaders/*.glsl
// (which CMake embeds into <aelab/shaders_embedded.hpp> as aelab::shaders::<file>_<stage>):
//   WebGL2 / GLES3:  "#version 300 es\nprecision highp float;\n"
//   desktop GL 3.3:  "#version 330 core\n"
// decided by the AELAB_GLES macro of gl.hpp (the one place that picks the GL API).
// compile_program() compiles + links a vertex/fragment pair and logs errors to stderr
// (the browser console on the web).
// Usage:
//     #include <aelab/shaders_embedded.hpp>
//     GLuint prog = aelab::app::compile_program(aelab::shaders::scatter_vert,
//                                               aelab::shaders::scatter_frag, "scatter");
//     if (!prog) { /* errors were printed */ }
#pragma once

#include "gl.hpp"

#include <string>

namespace aelab::app {

// "#version ...\n" (+ "precision highp float;\n" on GLES).
const char* glsl_prelude();

// Compiles one shader stage: prelude + body. Returns 0 on failure (log printed, with `name`).
GLuint compile_shader(GLenum stage, const char* body, const char* name);

// Compiles both stages and links them. Returns the program id, or 0 on failure.
GLuint compile_program(const char* vert_body, const char* frag_body, const char* name);

}  // namespace aelab::app
