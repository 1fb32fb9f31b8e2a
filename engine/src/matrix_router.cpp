#include "matrix_router.h"

#include "rt.h"

namespace tutti::detail {

MatrixRouter::MatrixRouter(std::size_t capacity, std::size_t frame_samples)
    : gains_(
          Matrix::Zero(static_cast<Eigen::Index>(capacity), static_cast<Eigen::Index>(capacity))),
      inputs_(Matrix::Zero(static_cast<Eigen::Index>(capacity),
                           static_cast<Eigen::Index>(frame_samples))),
      outputs_(Matrix::Zero(static_cast<Eigen::Index>(capacity),
                            static_cast<Eigen::Index>(frame_samples))),
      used_(capacity, false) {}

TUTTI_RT int MatrixRouter::attach() noexcept {
  for (std::size_t i = 0; i < used_.size(); ++i) {
    if (used_[i]) continue;
    used_[i] = true;
    const int index = static_cast<int>(i);
    reset_gains(index);
    inputs_.row(index).setZero();
    if (index >= rows_in_use_) rows_in_use_ = index + 1;
    return index;
  }
  return -1;
}

TUTTI_RT void MatrixRouter::detach(int index) noexcept {
  if (index < 0) return;
  used_[static_cast<std::size_t>(index)] = false;
  inputs_.row(index).setZero();
  while (rows_in_use_ > 0 && !used_[static_cast<std::size_t>(rows_in_use_ - 1)]) --rows_in_use_;
}

TUTTI_RT void MatrixRouter::reset_gains(int index) noexcept {
  gains_.row(index).setOnes();
  gains_.col(index).setOnes();
  gains_(index, index) = 0.0f;
}

TUTTI_RT void MatrixRouter::set_gain(int from, int to, float gain) noexcept {
  if (from >= 0 && to >= 0) gains_(to, from) = gain;
}

TUTTI_RT void MatrixRouter::route() noexcept {
  const Eigen::Index n = rows_in_use_;
  if (n == 0) return;
  // lazyProduct: a coefficient-based product evaluated straight into outputs_. The blocked GEMM
  // that operator* picks for these sizes mallocs its packing buffers on every call.
  outputs_.topRows(n).noalias() = gains_.topLeftCorner(n, n).lazyProduct(inputs_.topRows(n));
}

}  // namespace tutti::detail
