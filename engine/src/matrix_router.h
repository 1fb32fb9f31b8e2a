// Per-pair routing for rooms that need more than mix-minus: outputs = G * inputs.
// G(to, from) is how loud `from` is in `to`'s output. New members start at mix-minus
// (1 for everyone else, 0 for themselves), so G = 1 - I reproduces the fast path; a whisper
// or coach sets some entries to 0, a sub-group zeroes the gains across groups.
// Eigen does the product over the rows in use; all matrices are preallocated at room creation
// and a lazy (coefficient-based) product writes straight into them, so route() does not
// allocate (checked by tests/engine/alloc_test.cpp).
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <vector>

namespace tutti::detail {

class MatrixRouter {
 public:
  // Control plane.
  MatrixRouter(std::size_t capacity, std::size_t frame_samples);

  // Tick plane.
  int attach() noexcept;  // a free row, reset to mix-minus gains; -1 when full
  void detach(int index) noexcept;
  void set_gain(int from, int to, float gain) noexcept;
  float* input_row(int index) noexcept { return inputs_.row(index).data(); }
  const float* output_row(int index) const noexcept { return outputs_.row(index).data(); }
  void route() noexcept;

 private:
  using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  void reset_gains(int index) noexcept;

  Matrix gains_;    // capacity x capacity
  Matrix inputs_;   // capacity x frame
  Matrix outputs_;  // capacity x frame
  std::vector<bool> used_;
  int rows_in_use_ = 0;  // 1 + highest attached index
};

}  // namespace tutti::detail
