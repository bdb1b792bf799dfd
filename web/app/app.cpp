// app.cpp: see app.hpp. ImGui + SDL2 backend + OpenGL3 backend (ES3 on the web).
#include "app.hpp"

#include "gl.hpp"

#include <imgui.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>

namespace aelab::app {

bool App::init(SDL_Window* window, SDL_GLContext gl_context) {
    window_ = window;
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // no imgui.ini: the web has no file system to keep it in
    ImGui::StyleColorsDark();
    if (!ImGui_ImplSDL2_InitForOpenGL(window, gl_context)) return false;
    if (!ImGui_ImplOpenGL3_Init(kGlslVersion)) return false;
    initialized_ = true;
    return true;
}

bool App::event(const SDL_Event& e) {
    ImGui_ImplSDL2_ProcessEvent(&e);
    if (e.type == SDL_QUIT) return false;
    if (e.type == SDL_WINDOWEVENT && e.window.event == SDL_WINDOWEVENT_CLOSE &&
        e.window.windowID == SDL_GetWindowID(window_))
        return false;
    return true;
}

void App::frame() {
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    ImGui::NewFrame();

    ImGui::SetNextWindowPos(ImVec2(20, 20), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize(ImVec2(320, 120), ImGuiCond_FirstUseEver);
    ImGui::Begin("aelab");
    ImGui::Text("autoencoder laboratory");
    ImGui::Separator();
    ImGui::Text("frame %llu", static_cast<unsigned long long>(frame_count_));
    ImGui::Text("%.1f fps (%.2f ms/frame)", ImGui::GetIO().Framerate,
                1000.0f / (ImGui::GetIO().Framerate > 0 ? ImGui::GetIO().Framerate : 1.0f));
    ImGui::End();

    ImGui::Render();
    const ImGuiIO& io = ImGui::GetIO();
    glViewport(0, 0, static_cast<int>(io.DisplaySize.x * io.DisplayFramebufferScale.x),
               static_cast<int>(io.DisplaySize.y * io.DisplayFramebufferScale.y));
    glClearColor(0.11f, 0.12f, 0.14f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    ++frame_count_;
}

void App::shutdown() {
    if (!initialized_) return;
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
    initialized_ = false;
}

}  // namespace aelab::app
