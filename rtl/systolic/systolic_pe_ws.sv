// Weight-stationary processing element, in one of two precisions (parameter BF16):
//   0: int8 activation x int8 weight -> int32 partial sum (wraps mod 2^32);
//   1: bf16 activation x bf16 weight -> fp32 partial sum, the product exact and the add rounded
//      to nearest even (mac_bf16.sv).
//
// Contract (all synchronous to the rising edge of clk, priority top to bottom):
//   !rst_n | clear : weight, activation and partial-sum registers <= 0
//   w_shift        : w_out <= w_in (weights shift down one row per cycle while loading)
//   mac_en         : a_out <= a_in, psum_out <= psum_next
//   otherwise      : hold
// psum_next = psum_in + a_in * w_out is also an output, so the bottom row's sums can be written
// into the result buffer on the same edge. Activations travel left to right, partial sums top to
// bottom, one PE per cycle; the weight stays.
module systolic_pe_ws #(
    parameter int BF16 = 0,  // 0: int8 operands, int32 sums; 1: bf16 operands, fp32 sums
    parameter int OPW = (BF16 != 0) ? 16 : 8  // operand width (derived; do not override)
) (
    input  logic           clk,
    input  logic           rst_n,
    input  logic           clear,
    input  logic           w_shift,
    input  logic           mac_en,
    input  logic [OPW-1:0] w_in,
    input  logic [OPW-1:0] a_in,
    input  logic [   31:0] psum_in,
    output logic [OPW-1:0] w_out,
    output logic [OPW-1:0] a_out,
    output logic [   31:0] psum_out,
    output logic [   31:0] psum_next
);
  if (OPW != ((BF16 != 0) ? 16 : 8)) begin : g_bad_width
    $error("systolic_pe_ws: OPW follows from BF16 (8 for int8, 16 for bf16)");
  end

  if (BF16 != 0) begin : g_bf16
    mac_bf16 u_mac (
        .a  (a_in),
        .b  (w_out),
        .acc(psum_in),
        .sum(psum_next)
    );
  end else begin : g_int8
    logic signed [2*OPW-1:0] prod;
    assign prod = $signed(a_in) * $signed(w_out);
    assign psum_next = psum_in + 32'(prod);
  end

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
