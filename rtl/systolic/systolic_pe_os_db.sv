// Double-buffered output-stationary processing element: the accumulator of the tile in flight plus
// one drain register that holds the previous tile's finished sum while it shifts down the column
// (docs/systolic.md, "Double-buffered array"). Precision as systolic_pe.sv (parameter BF16):
//   0: int8 x int8 -> int32 (wraps mod 2^32); 1: bf16 x bf16 -> fp32 (systolic_db_mac.sv).
//
// Contract (all synchronous to the rising edge of clk):
//   !rst_n | clear : every register <= 0
//   otherwise, while en:
//     a_out <= a_in, b_out <= b_in, first_out <= first_in, last_out <= last_in  (A operands and the
//                     tile flags travel right, B operands down, one PE a cycle)
//     acc   <= sum = (first_in ? 0 : acc) + a_in * b_in  (first_in: a tile's first MAC, from +0)
//     last_in        : drain <= sum (the tile's last MAC: its sum into the drain register)
//     else d_shift   : drain <= d_in (drain registers shift down the column; d_out is the drain)
//   while !en: hold.
module systolic_pe_os_db #(
    parameter int BF16 = 0,  // 0: int8 operands, int32 sums; 1: bf16 operands, fp32 sums
    parameter int OPW = (BF16 != 0) ? 16 : 8  // operand width (derived; do not override)
) (
    input  logic           clk,
    input  logic           rst_n,
    input  logic           clear,
    input  logic           en,
    input  logic           d_shift,
    input  logic           first_in,
    input  logic           last_in,
    input  logic [OPW-1:0] a_in,
    input  logic [OPW-1:0] b_in,
    input  logic [   31:0] d_in,
    output logic           first_out,
    output logic           last_out,
    output logic [OPW-1:0] a_out,
    output logic [OPW-1:0] b_out,
    output logic [   31:0] d_out
);
  if (OPW != ((BF16 != 0) ? 16 : 8)) begin : g_bad_width
    $error("systolic_pe_os_db: OPW follows from BF16 (8 for int8, 16 for bf16)");
  end

  logic [31:0] acc, acc_use, sum;
  assign acc_use = first_in ? '0 : acc;

  systolic_db_mac #(
      .BF16(BF16)
  ) u_mac (
      .a  (a_in),
      .b  (b_in),
      .acc(acc_use),
      .sum(sum)
  );

  always_ff @(posedge clk) begin
    if (!rst_n || clear) begin
      a_out     <= '0;
      b_out     <= '0;
      first_out <= 1'b0;
      last_out  <= 1'b0;
      acc       <= '0;
      d_out     <= '0;
    end else if (en) begin
      a_out     <= a_in;
      b_out     <= b_in;
      first_out <= first_in;
      last_out  <= last_in;
      acc       <= sum;
      if (last_in) d_out <= sum;
      else if (d_shift) d_out <= d_in;
    end
  end
endmodule
