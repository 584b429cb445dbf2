// Output-stationary processing element: int8 x int8 -> int32 multiply-accumulate.
//
// Contract (all synchronous to the rising edge of clk, priority top to bottom):
//   !rst_n | clear : operand registers and accumulator <= 0
//   shift          : acc <= acc_in (drain: the column's accumulators move down one row)
//   mac_en         : a_out <= a_in, b_out <= b_in, acc <= acc + a_in * b_in (wraps mod 2^32)
//   otherwise      : hold
// A operands travel left to right, B operands top to bottom, one PE per cycle.
module systolic_pe (
    input  logic               clk,
    input  logic               rst_n,
    input  logic               clear,
    input  logic               mac_en,
    input  logic               shift,
    input  logic signed [ 7:0] a_in,
    input  logic signed [ 7:0] b_in,
    input  logic signed [31:0] acc_in,
    output logic signed [ 7:0] a_out,
    output logic signed [ 7:0] b_out,
    output logic signed [31:0] acc_out
);
  logic signed [15:0] prod;
  assign prod = a_in * b_in;

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
      acc_out <= acc_out + 32'(prod);
    end
  end
endmodule
