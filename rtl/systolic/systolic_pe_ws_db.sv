// Double-buffered weight-stationary processing element: the weight in use plus one shadow weight
// that the next pass's weight shifts into while this pass streams (docs/systolic.md,
// "Double-buffered array"). Precision as systolic_pe_ws.sv (parameter BF16):
//   0: int8 activation x int8 weight -> int32 partial sum (wraps mod 2^32);
//   1: bf16 activation x bf16 weight -> fp32 partial sum (systolic_db_mac.sv).
//
// Contract (all synchronous to the rising edge of clk):
//   !rst_n | clear : every register <= 0
//   otherwise, while en:
//     a_out <= a_in, sw_out <= sw_in, psum_out <= psum_next  (activations and the swap flag travel
//                                                            right, partial sums down, one PE a cycle)
//     sw_in          : weight <= shadow (the swap: this step's MAC already uses the shadow)
//     sh_en          : shadow <= w_in   (shadow weights shift down the column; w_out is the shadow)
//   while !en: hold.
// psum_next = psum_in + a_in * (sw_in ? shadow : weight) is also an output, so the bottom row's
// sums can be written into the result buffer on the same edge. The swap flag enters a row with a
// pass's first activation, so PE(i,j) swaps just before its first MAC of that pass.
module systolic_pe_ws_db #(
    parameter int BF16 = 0,  // 0: int8 operands, int32 sums; 1: bf16 operands, fp32 sums
    parameter int OPW = (BF16 != 0) ? 16 : 8  // operand width (derived; do not override)
) (
    input  logic           clk,
    input  logic           rst_n,
    input  logic           clear,
    input  logic           en,
    input  logic           sh_en,
    input  logic           sw_in,
    input  logic [OPW-1:0] w_in,
    input  logic [OPW-1:0] a_in,
    input  logic [   31:0] psum_in,
    output logic           sw_out,
    output logic [OPW-1:0] w_out,
    output logic [OPW-1:0] a_out,
    output logic [   31:0] psum_out,
    output logic [   31:0] psum_next
);
  if (OPW != ((BF16 != 0) ? 16 : 8)) begin : g_bad_width
    $error("systolic_pe_ws_db: OPW follows from BF16 (8 for int8, 16 for bf16)");
  end

  logic [OPW-1:0] weight, shadow, w_use;
  assign w_use = sw_in ? shadow : weight;
  assign w_out = shadow;

  systolic_db_mac #(
      .BF16(BF16)
  ) u_mac (
      .a  (a_in),
      .b  (w_use),
      .acc(psum_in),
      .sum(psum_next)
  );

  always_ff @(posedge clk) begin
    if (!rst_n || clear) begin
      weight   <= '0;
      shadow   <= '0;
      sw_out   <= 1'b0;
      a_out    <= '0;
      psum_out <= '0;
    end else if (en) begin
      a_out    <= a_in;
      sw_out   <= sw_in;
      psum_out <= psum_next;
      if (sw_in) weight <= shadow;
      if (sh_en) shadow <= w_in;
    end
  end
endmodule
