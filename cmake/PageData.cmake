# cmake/PageData.cmake: build step of the web build that prepares the playground's image
# data (run with cmake -P by the aelab_pagedata target in web/CMakeLists.txt).
#
#   cmake -DTOOL=<native aelab_mkpagedata> -DDATA_DIR=<data> -DSTAGE_DIR=<dir> \
#         -DOUT_DIR=<build/web/playground/data> -DGZIP=<gzip> [-DTRAIN=5000 -DTEST=1000] \
#         -P PageData.cmake
#
# Runs the NATIVE tool (the web build cannot run native code of its own: the tool comes from
# the native-release build, AELAB_NATIVE_BUILD_DIR), which writes the uncompressed subsets
# (native/tools/mkpagedata.cpp documents names and contents) into STAGE_DIR, then
# `gzip -9 -n` (no name or time stamp: identical bytes on every build) each into
# OUT_DIR/<name>.idx.gz. Skips the work when every output is newer than the tool and the
# source IDX files. Fails the build with instructions when the tool or the data is missing.
cmake_minimum_required(VERSION 3.20)

set(sets mnist fashion)
set(splits train test)
set(kinds images labels)
set(src_names train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)

if(NOT EXISTS "${TOOL}")
  message(FATAL_ERROR
    "aelab: the page data tool ${TOOL} does not exist.\n"
    "The web build cuts the playground's MNIST / Fashion-MNIST subsets with a NATIVE tool. Run\n"
    "    scripts/setup\n"
    "    cmake --preset native-release && cmake --build --preset native-release --target aelab_mkpagedata\n"
    "first (scripts/run and scripts/test do both), then build web-release again.")
endif()
set(inputs "${TOOL}")
foreach(set ${sets})
  foreach(n ${src_names})
    if(NOT EXISTS "${DATA_DIR}/${set}/${n}")
      message(FATAL_ERROR
        "aelab: ${DATA_DIR}/${set}/${n} is missing: run scripts/setup (it fetches MNIST and "
        "Fashion-MNIST and checks their SHA-256), then build web-release again.")
    endif()
    list(APPEND inputs "${DATA_DIR}/${set}/${n}")
  endforeach()
endforeach()

set(outputs "")
foreach(set ${sets})
  foreach(split ${splits})
    foreach(kind ${kinds})
      list(APPEND outputs "${set}-${split}-${kind}.idx")
    endforeach()
  endforeach()
endforeach()

if(NOT TRAIN)
  set(TRAIN 5000)
endif()
if(NOT TEST)
  set(TEST 1000)
endif()
set(args --data "${DATA_DIR}" --out "${STAGE_DIR}" --train ${TRAIN} --test ${TEST})

# Up to date? Same arguments as last time, and every output newer than every input.
set(stale FALSE)
set(stamp "${STAGE_DIR}/aelab_mkpagedata.args")
if(NOT EXISTS "${stamp}")
  set(stale TRUE)
else()
  file(READ "${stamp}" old_args)
  if(NOT old_args STREQUAL "${args}")
    set(stale TRUE)
  endif()
endif()
foreach(o ${outputs})
  foreach(i ${inputs})
    if(NOT EXISTS "${OUT_DIR}/${o}.gz" OR "${i}" IS_NEWER_THAN "${OUT_DIR}/${o}.gz")
      set(stale TRUE)
    endif()
  endforeach()
endforeach()
if(NOT stale)
  return()
endif()

file(MAKE_DIRECTORY "${STAGE_DIR}" "${OUT_DIR}")
file(REMOVE "${stamp}")
execute_process(COMMAND "${TOOL}" ${args} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "aelab: ${TOOL} failed (${rc}); see its message above "
                      "(missing data: run scripts/setup)")
endif()
set(total 0)
foreach(o ${outputs})
  execute_process(COMMAND "${GZIP}" -9 -n -c "${STAGE_DIR}/${o}"
                  OUTPUT_FILE "${OUT_DIR}/${o}.gz.tmp" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "aelab: gzip failed on ${STAGE_DIR}/${o}")
  endif()
  file(RENAME "${OUT_DIR}/${o}.gz.tmp" "${OUT_DIR}/${o}.gz")
  file(SIZE "${OUT_DIR}/${o}.gz" sz)
  math(EXPR total "${total} + ${sz}")
  message(STATUS "aelab page data: data/${o}.gz ${sz} bytes")
endforeach()
file(WRITE "${stamp}" "${args}")
message(STATUS "aelab page data: ${total} bytes in ${OUT_DIR}")
