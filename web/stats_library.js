// stats_library.js: the page's live stats, published by the app every frame (a
// --js-library file linked into aelab_playground, web/CMakeLists.txt).
//
// main_web.cpp calls aelab_publish_stats(json) with one JSON object written by
// aelab::app::stats_json() (web/app/stats.hpp lists the keys: frameTimeMs, fps, stepsPerSec,
// samplesPerSec, trainMs, cpuMs, step, epoch, trainLoss, testLoss, pcaLoss, maxAngleDeg,
// playing, ready, diverged, frames, params, messages, dataset, preset, query, arch,
// message, profile; unknown numbers are null). They are copied onto window.aelab, which
// also records performance.now() at the first frame (firstFrameMs) and when the app first
// reported ready (readyMs). The names live in stats.cpp only; this file does not list them.
mergeInto(LibraryManager.library, {
  aelab_publish_stats: function(json_c) {
    var a = window.aelab = window.aelab || {};
    var s = JSON.parse(UTF8ToString(json_c));
    if (a.firstFrameMs === undefined) {
      a.firstFrameMs = performance.now();
      a.startup = a.startup || {};
      a.startup.firstFrame = a.firstFrameMs;
    }
    if (s.ready && a.readyMs === undefined) a.readyMs = performance.now();
    Object.assign(a, s);
  },
  // The browser shell's per-frame flags (main_web.cpp): wantsWheel (the wheel at the pointer
  // scrolls or zooms something; index.html passes the others to the browser), lossPoints
  // (points of the loss curve), keysShown (the '?' keys overlay).
  aelab_publish_shell: function(wants_wheel, loss_points, keys_shown) {
    var a = window.aelab = window.aelab || {};
    a.wantsWheel = !!wants_wheel;
    a.lossPoints = loss_points;
    a.keysShown = !!keys_shown;
  }
});
