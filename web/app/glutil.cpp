// glutil.cpp: see glutil.hpp.
#include "glutil.hpp"

#include <cstdio>
#include <string>
#include <vector>

namespace aelab::app {

const char* glsl_prelude() {
#if AELAB_GLES
    return "#version 300 es\nprecision highp float;\nprecision highp int;\n";
#else
    return "#version 330 core\n";
#endif
}

GLuint compile_shader(GLenum stage, const char* body, const char* name) {
    const std::string head = glsl_prelude();
    const char* parts[2] = {head.c_str(), body};
    GLuint sh = glCreateShader(stage);
    if (!sh) return 0;
    glShaderSource(sh, 2, parts, nullptr);
    glCompileShader(sh);
    GLint ok = GL_FALSE;
    glGetShaderiv(sh, GL_COMPILE_STATUS, &ok);
    if (ok != GL_TRUE) {
        GLint len = 0;
        glGetShaderiv(sh, GL_INFO_LOG_LENGTH, &len);
        std::vector<char> log(static_cast<size_t>(len > 1 ? len : 1), '\0');
        glGetShaderInfoLog(sh, static_cast<GLsizei>(log.size()), nullptr, log.data());
        std::fprintf(stderr, "aelab: %s %s shader failed to compile:\n%s\n", name,
                     stage == GL_VERTEX_SHADER ? "vertex" : "fragment", log.data());
        glDeleteShader(sh);
        return 0;
    }
    return sh;
}

GLuint compile_program(const char* vert_body, const char* frag_body, const char* name) {
    GLuint vs = compile_shader(GL_VERTEX_SHADER, vert_body, name);
    if (!vs) return 0;
    GLuint fs = compile_shader(GL_FRAGMENT_SHADER, frag_body, name);
    if (!fs) {
        glDeleteShader(vs);
        return 0;
    }
    GLuint prog = glCreateProgram();
    glAttachShader(prog, vs);
    glAttachShader(prog, fs);
    glLinkProgram(prog);
    glDeleteShader(vs);  // flagged for deletion; freed with the program
    glDeleteShader(fs);
    GLint ok = GL_FALSE;
    glGetProgramiv(prog, GL_LINK_STATUS, &ok);
    if (ok != GL_TRUE) {
        GLint len = 0;
        glGetProgramiv(prog, GL_INFO_LOG_LENGTH, &len);
        std::vector<char> log(static_cast<size_t>(len > 1 ? len : 1), '\0');
        glGetProgramInfoLog(prog, static_cast<GLsizei>(log.size()), nullptr, log.data());
        std::fprintf(stderr, "aelab: %s program failed to link:\n%s\n", name, log.data());
        glDeleteProgram(prog);
        return 0;
    }
    return prog;
}

}  // namespace aelab::app
