# Runs the determinism program natively and as WASM under node and compares the printed
# loss sequences: every value must agree to 1e-4 relative.
execute_process(COMMAND ${NATIVE} OUTPUT_VARIABLE native_out RESULT_VARIABLE native_rc)
execute_process(COMMAND ${NODE} --no-experimental-fetch ${WASM} OUTPUT_VARIABLE wasm_out RESULT_VARIABLE wasm_rc)
if(NOT native_rc EQUAL 0 OR NOT wasm_rc EQUAL 0)
  message(FATAL_ERROR "determinism program failed: native rc=${native_rc}, wasm rc=${wasm_rc}")
endif()
string(REPLACE "\n" ";" nat "${native_out}")
string(REPLACE "\n" ";" was "${wasm_out}")
list(LENGTH nat n1)
list(LENGTH was n2)
if(NOT n1 EQUAL n2 OR n1 LESS 10)
  message(FATAL_ERROR "different line counts: native ${n1}, wasm ${n2}")
endif()
# CMake has no floating point: compare with a tiny inline script in node instead.
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/determinism_native.txt "${native_out}")
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/determinism_wasm.txt "${wasm_out}")
execute_process(COMMAND ${NODE} -e "
const fs=require('fs');
const a=fs.readFileSync('${CMAKE_CURRENT_BINARY_DIR}/determinism_native.txt','utf8').trim().split('\\n');
const b=fs.readFileSync('${CMAKE_CURRENT_BINARY_DIR}/determinism_wasm.txt','utf8').trim().split('\\n');
let worst=0;
for(let i=0;i<a.length;i++){const x=parseFloat(a[i].split(' ').pop()),y=parseFloat(b[i].split(' ').pop());
 const r=Math.abs(x-y)/Math.max(1e-30,Math.abs(x)); worst=Math.max(worst,r);}
console.log('native vs wasm: '+a.length+' values, worst relative difference '+worst.toExponential(3));
process.exit(worst<=1e-4?0:1);" RESULT_VARIABLE cmp_rc)
if(NOT cmp_rc EQUAL 0)
  message(FATAL_ERROR "native and WASM loss sequences differ by more than 1e-4 relative")
endif()
