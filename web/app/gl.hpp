// gl.hpp: the one place that decides which OpenGL API the playground talks to.
//
// Browser (Emscripten): OpenGL ES 3.0 == WebGL2, shaders start with "#version 300 es".
// Desktop: OpenGL 3.3 core profile, shaders start with "#version 330 core".
// Everything else in web/app includes this header instead of any GL header, and shader
// bodies are written without a #version line; kGlslVersion is prepended at run time.
#pragma once

#if defined(__EMSCRIPTEN__)
#include <GLES3/gl3.h>
#define AELAB_GLES 1
#else
#ifndef GL_GLEXT_PROTOTYPES
#define GL_GLEXT_PROTOTYPES 1  // Mesa/libglvnd export the GL 3.3 entry points directly
#endif
#include <GL/gl.h>
#include <GL/glext.h>
#define AELAB_GLES 0
#endif

namespace aelab::app {
#if AELAB_GLES
inline constexpr const char* kGlslVersion = "#version 300 es";
#else
inline constexpr const char* kGlslVersion = "#version 330 core";
#endif
}  // namespace aelab::app
