# cmake/EmbedText.cmake: what the generators that embed text files into C++ share
# (EmbedAssets.cmake, EmbedShaders.cmake); included by them in script mode.
#
#   aelab_raw_string(<out-var> <text> <delimiter> <file name for errors>)
#       sets <out-var> to the C++ raw string literal R"<delimiter>(<text>)<delimiter>";
#       a text that contains )<delimiter>" is a FATAL_ERROR naming the file.
#   aelab_write_if_changed(<file> <text>)
#       writes <text> only when the file does not already hold it, so an unchanged
#       generated file triggers no recompiles.

function(aelab_raw_string out text delimiter what)
  string(FIND "${text}" ")${delimiter}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${what} contains the raw-string delimiter )${delimiter}\"")
  endif()
  set(${out} "R\"${delimiter}(${text})${delimiter}\"" PARENT_SCOPE)
endfunction()

function(aelab_write_if_changed file text)
  set(old "")
  if(EXISTS "${file}")
    file(READ "${file}" old)
  endif()
  if(NOT "${old}" STREQUAL "${text}")
    file(WRITE "${file}" "${text}")
  endif()
endfunction()
