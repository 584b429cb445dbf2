// Output-stationary processing element, in one of two precisions (parameter BF16):
//   0: int8 x int8 -> int32 multiply-accumulate (wraps mod 2^32);
//   1: bf16 x bf16 -> fp32, the product exact and the add rounded to nearest even (mac_bf16.sv).
//
// Contract (all synchronous to the rising edge of clk, priority top to bottom):
//   !rst_n | clear : operand registers and accumulator <= 0
//   shift          : acc <= acc_in (drain: the column's accumulators move down one row)
//   mac_en         : a_out <= a_in, b_out <= b_in, acc <= acc + a_in * b_in
//   otherwise      : hold
// A operands travel left to right, B operands top to bottom, one PE per cycle.
module systolic_pe #(
    parameter int BF16 = 0,  // 0: int8 operands, int32 accumulator; 1: bf16 operands, fp32 accumulator
    parameter int OPW = (BF16 != 0) ? 16 : 8,  // operand width (derived; do not override)
    parameter int ACCW = 32  // accumulator width (int32 or fp32)
) (
    input  logic            clk,
    input  logic            rst_n,
    input  logic            clear,
    input  logic            mac_en,
    input  logic            shift,
    input  logic [ OPW-1:0] a_in,
    input  logic [ OPW-1:0] b_in,
    input  logic [ACCW-1:0] acc_in,
    output logic [ OPW-1:0] a_out,
    output logic [ OPW-1:0] b_out,
    output logic [ACCW-1:0] acc_out
);
  if (OPW != ((BF16 != 0) ? 16 : 8) || ACCW != 32) begin : g_bad_width
    $error("systolic_pe: OPW and ACCW follow from BF16 (8/32 for int8, 16/32 for bf16)");
  end

  logic [ACCW-1:0] acc_next;
  if (BF16 != 0) begin : g_bf16
    mac_bf16 u_mac (
        .a  (a_in),
        .b  (b_in),
        .acc(acc_out),
        .sum(acc_next)
    );
  end else begin : g_int8
    logic signed [2*OPW-1:0] prod;
    assign prod = $signed(a_in) * $signed(b_in);
    assign acc_next = acc_out + ACCW'(prod);
  end

  always_ff @(posedge clk) begin
    if (!rst_n || clear) begin
      a_out   <= '0;
      b_out   <= '0;
      acc_out <= '0;
    end else if (shift) begin
      acc_out <= acc_in;
    end else if (mac_en) begin
      a_out   <= a_in;
      b_out   <= b_in;
      acc_out <= acc_next;
    end
  end
endmodule
