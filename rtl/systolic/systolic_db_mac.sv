// The MAC of the double-buffered PEs (systolic_pe_ws_db.sv, systolic_pe_os_db.sv):
// sum = acc + a * b, combinational. Precision (parameter BF16):
//   0: int8 x int8 + int32 -> int32 (wraps mod 2^32); 1: bf16 x bf16 + fp32 -> fp32 (mac_bf16.sv).
module systolic_db_mac #(
    parameter int BF16 = 0,  // 0: int8 operands, int32 sums; 1: bf16 operands, fp32 sums
    parameter int OPW = (BF16 != 0) ? 16 : 8  // operand width (derived; do not override)
) (
    input  logic [OPW-1:0] a,
    input  logic [OPW-1:0] b,
    input  logic [   31:0] acc,
    output logic [   31:0] sum
);
  if (OPW != ((BF16 != 0) ? 16 : 8)) begin : g_bad_width
    $error("systolic_db_mac: OPW follows from BF16 (8 for int8, 16 for bf16)");
  end

  if (BF16 != 0) begin : g_bf16
    mac_bf16 u_mac (
        .a  (a),
        .b  (b),
        .acc(acc),
        .sum(sum)
    );
  end else begin : g_int8
    logic signed [2*OPW-1:0] prod;
    assign prod = $signed(a) * $signed(b);
    assign sum  = acc + 32'(prod);
  end
endmodule
