// Weight-stationary processing element: int8 activation x int8 weight -> int32 partial sum.
//
// Contract (all synchronous to the rising edge of clk, priority top to bottom):
//   !rst_n | clear : weight, activation and partial-sum registers <= 0
//   w_shift        : w_out <= w_in (weights shift down one row per cycle while loading)
//   mac_en         : a_out <= a_in, psum_out <= psum_next
//   otherwise      : hold
// psum_next = psum_in + a_in * w_out (wraps mod 2^32) is also an output, so the bottom row's sums
// can be written into the result buffer on the same edge. Activations travel left to right,
// partial sums top to bottom, one PE per cycle; the weight stays.
module systolic_pe_ws (
    input  logic               clk,
    input  logic               rst_n,
    input  logic               clear,
    input  logic               w_shift,
    input  logic               mac_en,
    input  logic signed [ 7:0] w_in,
    input  logic signed [ 7:0] a_in,
    input  logic signed [31:0] psum_in,
    output logic signed [ 7:0] w_out,
    output logic signed [ 7:0] a_out,
    output logic signed [31:0] psum_out,
    output logic signed [31:0] psum_next
);
  logic signed [15:0] prod;
  assign prod = a_in * w_out;
  assign psum_next = psum_in + 32'(prod);

  always_ff @(posedge clk) begin
    if (!rst_n || clear) begin
      w_out    <= '0;
      a_out    <= '0;
      psum_out <= '0;
    end else if (w_shift) begin
      w_out <= w_in;
    end else if (mac_en) begin
      a_out    <= a_in;
      psum_out <= psum_next;
    end
  end
endmodule
