// no_fp_contract.hpp — private to core/src: include it last among the includes of a .cpp
// whose arithmetic must round every product before the sum (numpy's legacy random stream
// and LAPACK's 2x2 SVD in course.cpp / course_mvn.cpp).
//
// Why: numpy's C code and LAPACK round x1 * x1 before they add x2 * x2 (numpy's x86-64 build
// has no FMA); g++ in C++ mode fuses `a + b * c` into one fma on FMA hardware
// (-march=native) and changes the last bit (for a singular covariance, even the sign LAPACK
// picks). From here to the end of the file, no contraction; an fma that numpy does (OpenBLAS's
// dgemm) is written out as std::fma.
#pragma once

#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif
