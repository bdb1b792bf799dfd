// gemm.cpp — kernels::gemm and the blocked SIMD product it uses in WebAssembly.
//
// Eigen 3.4 has no WebAssembly packet math, so in WASM its GEBP kernel runs with scalar
// "packets" (mr = 1) and reaches 16-19 GFLOP/s only through LLVM's autovectorizer. The
// product below is the classic blocked algorithm (Goto & van de Geijn 2008): op(B) is
// packed into KC x NR column panels, op(A) into MC x KC row panels of MR rows, and an
// MR x NR register-tile micro-kernel multiplies them with 4-lane vectors. It is written
// with GCC/Clang vector extensions, which clang lowers to simd128 under -msimd128 and to
// SSE/AVX natively, so the same code is tested natively and in WASM
// (tests/unit/test_kernels.cpp compares it with Eigen's product on awkward shapes).
// Natively gemm<float> stays with Eigen (and OpenBLAS under EIGEN_USE_BLAS), which is faster.

#include "aelab/kernels.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

namespace aelab {
namespace kernels {

namespace {

typedef float v4 __attribute__((vector_size(16)));
typedef float v4u __attribute__((vector_size(16), aligned(4)));  // unaligned access

inline v4 load(const float* p) { return *reinterpret_cast<const v4u*>(p); }
inline void store(float* p, v4 v) { *reinterpret_cast<v4u*>(p) = v; }
inline v4 splat(float x) { return v4{x, x, x, x}; }

// Measured in node (V8, 1 thread) on 256x784 * 784x128: 8 x 4 tiles 40 GFLOP/s; 8 x 6 and
// 12 x 4 (12 accumulators) 28, 4 x 4 20; Eigen's own kernel 17. KC 128..384 and MC 48..128
// are within noise of the values below.
constexpr Index MR = 8;    // rows of the register tile (two vectors)
constexpr Index NR = 4;    // columns of the register tile: 8 accumulators + 2 A + 1 B vectors
constexpr Index KC = 256;  // depth of a packed panel
constexpr Index MC = 64;   // rows of a packed A block (MC x KC floats = 64 KB)
constexpr Index NC = 3072; // columns of a packed B block

// op(X)(i, j) of a column-major X with leading dimension ld.
struct Operand {
    const float* p;
    Index ld;
    bool t;
};

// A block (rows i0..i0+mc, depth p0..p0+kc of op(A)) into panels of MR rows:
// panel q holds, for each depth p, the MR values op(A)(i0 + q*MR + r, p0 + p); rows past
// mc are zero.
void pack_a(const Operand& A, Index i0, Index mc, Index p0, Index kc, float* out) {
    for (Index ib = 0; ib < mc; ib += MR) {
        const Index mr = std::min(MR, mc - ib);
        float* o = out + ib * kc;
        if (!A.t) {
            const float* src = A.p + (i0 + ib) + p0 * A.ld;
            if (mr == MR) {
                for (Index p = 0; p < kc; ++p)
                    for (Index v = 0; v < MR; v += 4) store(o + p * MR + v, load(src + p * A.ld + v));
            } else {
                for (Index p = 0; p < kc; ++p) {
                    for (Index r = 0; r < mr; ++r) o[p * MR + r] = src[p * A.ld + r];
                    for (Index r = mr; r < MR; ++r) o[p * MR + r] = 0.0f;
                }
            }
        } else {  // op(A)(i, p) = A[p + i*ld]: each row of op(A) is contiguous
            for (Index r = 0; r < mr; ++r) {
                const float* src = A.p + p0 + (i0 + ib + r) * A.ld;
                for (Index p = 0; p < kc; ++p) o[p * MR + r] = src[p];
            }
            for (Index r = mr; r < MR; ++r)
                for (Index p = 0; p < kc; ++p) o[p * MR + r] = 0.0f;
        }
    }
}

// A block (depth p0..p0+kc, columns j0..j0+nc of op(B)) into panels of NR columns:
// panel q holds, for each depth p, the NR values op(B)(p0 + p, j0 + q*NR + c); columns past
// nc are zero.
void pack_b(const Operand& B, Index p0, Index kc, Index j0, Index nc, float* out) {
    for (Index jb = 0; jb < nc; jb += NR) {
        const Index nr = std::min(NR, nc - jb);
        float* o = out + jb * kc;
        if (!B.t) {  // op(B)(p, j) = B[p + j*ld]: each column contiguous in p
            for (Index c = 0; c < nr; ++c) {
                const float* src = B.p + p0 + (j0 + jb + c) * B.ld;
                for (Index p = 0; p < kc; ++p) o[p * NR + c] = src[p];
            }
        } else {  // op(B)(p, j) = B[j + p*ld]: NR consecutive values per depth
            for (Index p = 0; p < kc; ++p) {
                const float* src = B.p + (j0 + jb) + (p0 + p) * B.ld;
                for (Index c = 0; c < nr; ++c) o[p * NR + c] = src[c];
            }
        }
        if (nr < NR)
            for (Index p = 0; p < kc; ++p)
                for (Index c = nr; c < NR; ++c) o[p * NR + c] = 0.0f;
    }
}

// C[0:mr, 0:nr] (= or +=) Apanel * Bpanel over depth kc.
void micro_kernel(Index kc, const float* a, const float* b, float* C, Index ldc, Index mr, Index nr, bool add) {
    constexpr Index MV = MR / 4;  // vectors per tile column
    v4 acc[NR][MV];
    for (Index j = 0; j < NR; ++j)
        for (Index v = 0; v < MV; ++v) acc[j][v] = splat(0.0f);
    for (Index p = 0; p < kc; ++p) {
        v4 av[MV];
        for (Index v = 0; v < MV; ++v) av[v] = load(a + 4 * v);
        for (Index j = 0; j < NR; ++j) {
            const v4 bj = splat(b[j]);
            for (Index v = 0; v < MV; ++v) acc[j][v] += av[v] * bj;
        }
        a += MR;
        b += NR;
    }
    if (mr == MR && nr == NR) {
        for (Index j = 0; j < NR; ++j) {
            float* cj = C + j * ldc;
            for (Index v = 0; v < MV; ++v) store(cj + 4 * v, add ? load(cj + 4 * v) + acc[j][v] : acc[j][v]);
        }
        return;
    }
    float tile[MR * NR];
    for (Index j = 0; j < NR; ++j)
        for (Index v = 0; v < MV; ++v) store(tile + j * MR + 4 * v, acc[j][v]);
    for (Index j = 0; j < nr; ++j)
        for (Index i = 0; i < mr; ++i) C[i + j * ldc] = (add ? C[i + j * ldc] : 0.0f) + tile[i + j * MR];
}

}  // namespace

void gemm_blocked(bool ta, bool tb, Index m, Index n, Index k, const float* A, Index lda, const float* B,
                  Index ldb, float beta, float* C, Index ldc) {
    if (m <= 0 || n <= 0) return;
    if (beta != 0.0f && beta != 1.0f)
        for (Index j = 0; j < n; ++j)
            for (Index i = 0; i < m; ++i) C[i + j * ldc] *= beta;
    if (k <= 0) {
        if (beta == 0.0f)
            for (Index j = 0; j < n; ++j) std::fill(C + j * ldc, C + j * ldc + m, 0.0f);
        return;
    }
    // Packing buffers live as long as the thread: a training step calls this a dozen
    // times with the same shapes.
    thread_local std::vector<float> abuf, bbuf;
    const Operand opA{A, lda, ta}, opB{B, ldb, tb};
    const Index ncap = std::min(NC, (n + NR - 1) / NR * NR);
    const Index kcap = std::min(KC, k);
    const Index mcap = std::min(MC, (m + MR - 1) / MR * MR);
    if (static_cast<Index>(bbuf.size()) < ncap * kcap) bbuf.resize(static_cast<size_t>(ncap * kcap));
    if (static_cast<Index>(abuf.size()) < mcap * kcap) abuf.resize(static_cast<size_t>(mcap * kcap));
    for (Index jc = 0; jc < n; jc += NC) {
        const Index nc = std::min(NC, n - jc);
        for (Index pc = 0; pc < k; pc += KC) {
            const Index kc = std::min(KC, k - pc);
            const bool add = pc > 0 || beta != 0.0f;
            pack_b(opB, pc, kc, jc, nc, bbuf.data());
            for (Index ic = 0; ic < m; ic += MC) {
                const Index mc = std::min(MC, m - ic);
                pack_a(opA, ic, mc, pc, kc, abuf.data());
                for (Index jr = 0; jr < nc; jr += NR) {
                    const Index nr = std::min(NR, nc - jr);
                    const float* bp = bbuf.data() + jr * kc;
                    for (Index ir = 0; ir < mc; ir += MR) {
                        const Index mr = std::min(MR, mc - ir);
                        micro_kernel(kc, abuf.data() + ir * kc, bp, C + (ic + ir) + (jc + jr) * ldc, ldc, mr, nr, add);
                    }
                }
            }
        }
    }
}

template <class T>
void gemm(bool ta, bool tb, const Eigen::Ref<const MatT<T>>& A, const Eigen::Ref<const MatT<T>>& B, T beta,
          Eigen::Ref<MatT<T>> C) {
    const Index m = ta ? A.cols() : A.rows(), k = ta ? A.rows() : A.cols();
    const Index kb = tb ? B.cols() : B.rows(), n = tb ? B.rows() : B.cols();
    AELAB_REQUIRE(k == kb && C.rows() == m && C.cols() == n,
                  "gemm: shapes do not match (op(A) " + std::to_string(m) + "x" + std::to_string(k) + ", op(B) " +
                      std::to_string(kb) + "x" + std::to_string(n) + ", C " + std::to_string(C.rows()) + "x" +
                      std::to_string(C.cols()) + ")");
#if defined(__wasm_simd128__)
    if constexpr (std::is_same_v<T, float>) {
        gemm_blocked(ta, tb, m, n, k, A.data(), A.outerStride(), B.data(), B.outerStride(), beta, C.data(),
                     C.outerStride());
        return;
    }
#endif
    if (beta == T(0)) {
        if (!ta && !tb) C.noalias() = A * B;
        else if (ta && !tb) C.noalias() = A.transpose() * B;
        else if (!ta && tb) C.noalias() = A * B.transpose();
        else C.noalias() = A.transpose() * B.transpose();
        return;
    }
    if (beta != T(1)) C *= beta;
    if (!ta && !tb) C.noalias() += A * B;
    else if (ta && !tb) C.noalias() += A.transpose() * B;
    else if (!ta && tb) C.noalias() += A * B.transpose();
    else C.noalias() += A.transpose() * B.transpose();
}

template void gemm<float>(bool, bool, const Eigen::Ref<const MatT<float>>&, const Eigen::Ref<const MatT<float>>&,
                          float, Eigen::Ref<MatT<float>>);
template void gemm<double>(bool, bool, const Eigen::Ref<const MatT<double>>&, const Eigen::Ref<const MatT<double>>&,
                           double, Eigen::Ref<MatT<double>>);

}  // namespace kernels
}  // namespace aelab
