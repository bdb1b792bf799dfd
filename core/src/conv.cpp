// conv.cpp — convolution geometry, im2col / col2im, Conv2D and ConvTranspose2D (see
// aelab/layers.hpp). Both layers are one kernels::gemm per batch plus O(size) rearranging:
//   Conv2D           colT = im2col(X)            (P*B x C*k*k)
//                    R    = colT * K             (P*B x F),  Z = NCHW(R) + b
//   backward         dR = rows(dZ);  dK += colT^T dR;  dX = col2im(dR K^T)
//   ConvTranspose2D  Xr = rows(X) (P*B x C);  col = Xr K^T (P*B x F*k*k);  Z = col2im(col) + b
//   backward         dcol = im2col(dZ);  dK += dcol^T Xr;  dX = NCHW(dcol K)
// (P = window positions, i.e. output pixels of the conv, input pixels of the transpose.)
#include "conv_layers.hpp"

#include "aelab/kernels.hpp"

#include <algorithm>

namespace aelab {

namespace {
std::string dims(Index h, Index w) { return std::to_string(h) + "x" + std::to_string(w); }
}  // namespace

ConvGeom conv_geometry(const Shape& in, int kernel, int stride, Padding pad) {
    AELAB_REQUIRE(kernel >= 1 && stride >= 1, "convolution: kernel and stride must be >= 1");
    ConvGeom g;
    g.c = in.c;
    g.h = in.h;
    g.w = in.w;
    g.k = kernel;
    g.s = stride;
    if (pad == Padding::Valid) {
        AELAB_REQUIRE(in.h >= kernel && in.w >= kernel,
                      "a " + std::to_string(kernel) + "x" + std::to_string(kernel) +
                          " window with VALID padding needs an image of at least that size, got " + dims(in.h, in.w));
        g.ho = (in.h - kernel) / stride + 1;
        g.wo = (in.w - kernel) / stride + 1;
    } else {
        g.ho = (in.h + stride - 1) / stride;
        g.wo = (in.w + stride - 1) / stride;
        g.pt = std::max<Index>((g.ho - 1) * stride + kernel - in.h, 0) / 2;
        g.pl = std::max<Index>((g.wo - 1) * stride + kernel - in.w, 0) / 2;
    }
    return g;
}

ConvGeom conv_transpose_geometry(const Shape& in, int filters, int kernel, int stride, Padding pad,
                                 int output_padding) {
    AELAB_REQUIRE(kernel >= 1 && stride >= 1, "transposed convolution: kernel and stride must be >= 1");
    AELAB_REQUIRE(output_padding < stride,
                  "transposed convolution: output padding " + std::to_string(output_padding) +
                      " must be smaller than the stride " + std::to_string(stride));
    ConvGeom g;
    g.c = filters;
    g.k = kernel;
    g.s = stride;
    g.ho = in.h;
    g.wo = in.w;
    const Index op = std::max(output_padding, 0);
    auto out_len = [&](Index n) -> Index {
        if (pad == Padding::Valid) return (n - 1) * stride + kernel + op;
        if (output_padding < 0) return n * stride;
        return (n - 1) * stride + kernel - 2 * (kernel / 2) + op;
    };
    g.h = out_len(in.h);
    g.w = out_len(in.w);
    AELAB_REQUIRE(g.h >= 1 && g.w >= 1, "transposed convolution: empty output for input " + dims(in.h, in.w));
    if (pad == Padding::Same) {
        g.pt = std::max<Index>((in.h - 1) * stride + kernel - g.h, 0) / 2;
        g.pl = std::max<Index>((in.w - 1) * stride + kernel - g.w, 0) / 2;
    }
    return g;
}

namespace conv {
namespace {
// Output columns ox whose input column ox*s - pl + kx lies in [0, w): [lo, hi).
inline void valid_range(const ConvGeom& g, Index kx, Index& lo, Index& hi) {
    const Index a = g.pl - kx;  // ox*s >= a
    lo = a <= 0 ? 0 : (a + g.s - 1) / g.s;
    const Index b = g.w - 1 + g.pl - kx;  // ox*s <= b
    hi = b < 0 ? 0 : std::min(g.wo, b / g.s + 1);
    lo = std::min(lo, g.wo);
    hi = std::max(hi, lo);
}
}  // namespace

template <class T> void im2col(const ConvGeom& g, const T* X, Index ldx, Index B, MatT<T>& colT) {
    const Index P = g.ho * g.wo, HW = g.h * g.w;
    colT.resize(P * B, g.c * g.k * g.k);
    for (Index ci = 0; ci < g.c; ++ci)
        for (Index ky = 0; ky < g.k; ++ky)
            for (Index kx = 0; kx < g.k; ++kx) {
                T* out = colT.data() + ((ci * g.k + ky) * g.k + kx) * P * B;
                Index lo, hi;
                valid_range(g, kx, lo, hi);
                const Index shift = kx - g.pl;
                for (Index j = 0; j < B; ++j) {
                    const T* xc = X + j * ldx + ci * HW;
                    for (Index oy = 0; oy < g.ho; ++oy) {
                        T* o = out + j * P + oy * g.wo;
                        const Index iy = oy * g.s - g.pt + ky;
                        if (iy < 0 || iy >= g.h) {
                            std::fill(o, o + g.wo, T(0));
                            continue;
                        }
                        const T* row = xc + iy * g.w + shift;
                        for (Index ox = 0; ox < lo; ++ox) o[ox] = T(0);
                        if (g.s == 1)
                            for (Index ox = lo; ox < hi; ++ox) o[ox] = row[ox];
                        else
                            for (Index ox = lo; ox < hi; ++ox) o[ox] = row[ox * g.s];
                        for (Index ox = hi; ox < g.wo; ++ox) o[ox] = T(0);
                    }
                }
            }
}

template <class T> void col2im(const ConvGeom& g, const MatT<T>& colT, Index B, T* X, Index ldx) {
    const Index P = g.ho * g.wo, HW = g.h * g.w;
    AELAB_REQUIRE(colT.rows() == P * B && colT.cols() == g.c * g.k * g.k, "col2im: patch matrix has the wrong shape");
    for (Index ci = 0; ci < g.c; ++ci)
        for (Index ky = 0; ky < g.k; ++ky)
            for (Index kx = 0; kx < g.k; ++kx) {
                const T* in = colT.data() + ((ci * g.k + ky) * g.k + kx) * P * B;
                Index lo, hi;
                valid_range(g, kx, lo, hi);
                const Index shift = kx - g.pl;
                for (Index j = 0; j < B; ++j) {
                    T* xc = X + j * ldx + ci * HW;
                    for (Index oy = 0; oy < g.ho; ++oy) {
                        const Index iy = oy * g.s - g.pt + ky;
                        if (iy < 0 || iy >= g.h) continue;
                        const T* o = in + j * P + oy * g.wo;
                        T* row = xc + iy * g.w + shift;
                        if (g.s == 1)
                            for (Index ox = lo; ox < hi; ++ox) row[ox] += o[ox];
                        else
                            for (Index ox = lo; ox < hi; ++ox) row[ox * g.s] += o[ox];
                    }
                }
            }
}
}  // namespace conv

namespace detail {

template <class T> void nchw_to_rows(const Eigen::Ref<const MatT<T>>& Z, Index C, Index P, MatT<T>& R) {
    const Index B = Z.cols();
    R.resize(P * B, C);
    for (Index j = 0; j < B; ++j)
        for (Index c = 0; c < C; ++c) R.col(c).segment(j * P, P) = Z.col(j).segment(c * P, P);
}

template <class T> void rows_to_nchw(const MatT<T>& R, Index C, Index P, MatT<T>& Z) {
    const Index B = R.rows() / P;
    Z.resize(C * P, B);
    for (Index j = 0; j < B; ++j)
        for (Index c = 0; c < C; ++c) Z.col(j).segment(c * P, P) = R.col(c).segment(j * P, P);
}

namespace {

// Adds b(c) to every pixel of channel c in each column of Z (C*P x B).
template <class T> void add_channel_bias(const T* b, Index C, Index P, MatT<T>& Z) {
    for (Index j = 0; j < Z.cols(); ++j)
        for (Index c = 0; c < C; ++c) Z.col(j).segment(c * P, P).array() += b[c];
}

// g(c) += sum of channel c over pixels and samples of dZ (C*P x B).
template <class T> void channel_bias_grad(const MatT<T>& dZ, Index C, Index P, T* g) {
    for (Index c = 0; c < C; ++c) {
        T s(0);
        for (Index j = 0; j < dZ.cols(); ++j) s += dZ.col(j).segment(c * P, P).sum();
        g[c] += s;
    }
}

template <class T> class Conv2D : public Layer<T> {
public:
    Conv2D(const LayerSpec& s, const Shape& in) : Layer<T>(s, in) {
        AELAB_REQUIRE(s.units >= 1, "conv2d: needs at least one filter");
        g_ = conv_geometry(in, s.kernel, s.stride, s.padding);
        this->out_ = Shape{s.units, g_.ho, g_.wo};
        this->set_num_params(double(in.c) * double(g_.k * g_.k) * s.units + s.units);  // before Index products
        ckk_ = in.c * g_.k * g_.k;
    }
    std::unique_ptr<Layer<T>> clone() const override { return std::make_unique<Conv2D<T>>(*this); }
    void init_params(T* p, Rng& rng) const override {
        const double kk = double(g_.k * g_.k);
        this->init_weights(p, ckk_ * this->spec_.units, kk * double(this->in_.c), kk * this->spec_.units, rng);
        std::fill(p + ckk_ * this->spec_.units, p + this->n_params_, T(0));
    }

protected:
    void forward_linear(const T* p, const Eigen::Ref<const MatT<T>>& X, MatT<T>& Z) override {
        const Index B = X.cols(), F = this->spec_.units, P = g_.ho * g_.wo;
        conv::im2col(g_, X.data(), X.outerStride(), B, colT_);
        R_.resize(P * B, F);
        Eigen::Map<const MatT<T>> K(p, ckk_, F);
        kernels::gemm<T>(false, false, colT_, K, T(0), R_);
        rows_to_nchw(R_, F, P, Z);
        add_channel_bias(p + ckk_ * F, F, P, Z);
    }
    void backward_linear(const T* p, const Eigen::Ref<const MatT<T>>&, const MatT<T>& dZ, T* g,
                         MatT<T>* dX) override {
        const Index B = dZ.cols(), F = this->spec_.units, P = g_.ho * g_.wo;
        nchw_to_rows<T>(dZ, F, P, dR_);
        channel_bias_grad(dZ, F, P, g + ckk_ * F);
        Eigen::Map<MatT<T>> dK(g, ckk_, F);
        kernels::gemm<T>(true, false, colT_, dR_, T(1), dK);
        if (!dX) return;
        Eigen::Map<const MatT<T>> K(p, ckk_, F);
        dcol_.resize(P * B, ckk_);
        kernels::gemm<T>(false, true, dR_, K, T(0), dcol_);
        dX->setZero(this->in_.size(), B);
        conv::col2im(g_, dcol_, B, dX->data(), this->in_.size());
    }

private:
    ConvGeom g_;
    Index ckk_ = 0;
    MatT<T> colT_, R_, dR_, dcol_;
};

template <class T> class ConvTranspose2D : public Layer<T> {
public:
    ConvTranspose2D(const LayerSpec& s, const Shape& in) : Layer<T>(s, in) {
        AELAB_REQUIRE(s.units >= 1, "conv2d_transpose: needs at least one filter");
        g_ = conv_transpose_geometry(in, s.units, s.kernel, s.stride, s.padding, s.output_padding);
        this->out_ = Shape{s.units, g_.h, g_.w};
        this->set_num_params(double(s.units) * double(g_.k * g_.k) * double(in.c) + s.units);
        fkk_ = Index(s.units) * g_.k * g_.k;
    }
    std::unique_ptr<Layer<T>> clone() const override { return std::make_unique<ConvTranspose2D<T>>(*this); }
    void init_params(T* p, Rng& rng) const override {
        // Keras' kernel shape (k, k, filters, in_channels): fan_in = k*k*filters.
        const double kk = double(g_.k * g_.k);
        this->init_weights(p, fkk_ * this->in_.c, kk * this->spec_.units, kk * double(this->in_.c), rng);
        std::fill(p + fkk_ * this->in_.c, p + this->n_params_, T(0));
    }

protected:
    void forward_linear(const T* p, const Eigen::Ref<const MatT<T>>& X, MatT<T>& Z) override {
        const Index B = X.cols(), C = this->in_.c, F = this->spec_.units, P = g_.ho * g_.wo;
        nchw_to_rows<T>(X, C, P, Xr_);
        col_.resize(P * B, fkk_);
        Eigen::Map<const MatT<T>> K(p, fkk_, C);
        kernels::gemm<T>(false, true, Xr_, K, T(0), col_);
        Z.setZero(this->out_.size(), B);
        conv::col2im(g_, col_, B, Z.data(), this->out_.size());
        add_channel_bias(p + fkk_ * C, F, g_.h * g_.w, Z);
    }
    void backward_linear(const T* p, const Eigen::Ref<const MatT<T>>&, const MatT<T>& dZ, T* g,
                         MatT<T>* dX) override {
        const Index B = dZ.cols(), C = this->in_.c, F = this->spec_.units, P = g_.ho * g_.wo;
        channel_bias_grad(dZ, F, g_.h * g_.w, g + fkk_ * C);
        conv::im2col(g_, dZ.data(), dZ.rows(), B, dcol_);
        Eigen::Map<MatT<T>> dK(g, fkk_, C);
        kernels::gemm<T>(true, false, dcol_, Xr_, T(1), dK);
        if (!dX) return;
        Eigen::Map<const MatT<T>> K(p, fkk_, C);
        dXr_.resize(P * B, C);
        kernels::gemm<T>(false, false, dcol_, K, T(0), dXr_);
        rows_to_nchw(dXr_, C, P, *dX);
    }

private:
    ConvGeom g_;
    Index fkk_ = 0;
    MatT<T> Xr_, col_, dcol_, dXr_;
};

}  // namespace

template <class T> std::unique_ptr<Layer<T>> make_conv2d(const LayerSpec& s, const Shape& in) {
    return std::make_unique<Conv2D<T>>(s, in);
}
template <class T> std::unique_ptr<Layer<T>> make_conv_transpose2d(const LayerSpec& s, const Shape& in) {
    return std::make_unique<ConvTranspose2D<T>>(s, in);
}

#define AELAB_INST(T)                                                                                     \
    template std::unique_ptr<Layer<T>> make_conv2d<T>(const LayerSpec&, const Shape&);                   \
    template std::unique_ptr<Layer<T>> make_conv_transpose2d<T>(const LayerSpec&, const Shape&);         \
    template void nchw_to_rows<T>(const Eigen::Ref<const MatT<T>>&, Index, Index, MatT<T>&);             \
    template void rows_to_nchw<T>(const MatT<T>&, Index, Index, MatT<T>&);
AELAB_INST(float)
AELAB_INST(double)
#undef AELAB_INST
}  // namespace detail

namespace conv {
template void im2col<float>(const ConvGeom&, const float*, Index, Index, MatT<float>&);
template void im2col<double>(const ConvGeom&, const double*, Index, Index, MatT<double>&);
template void col2im<float>(const ConvGeom&, const MatT<float>&, Index, float*, Index);
template void col2im<double>(const ConvGeom&, const MatT<double>&, Index, double*, Index);
}  // namespace conv

}  // namespace aelab
