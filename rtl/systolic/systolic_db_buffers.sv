// The buffers of the double-buffered systolic arrays (systolic_array_ws_db.sv,
// systolic_array_os_db.sv; docs/systolic.md, "The double-buffered RTL arrays"): the operand slots
// behind the host load port, the GEMM-wide result buffer and the host read port. The arrays keep
// their controllers and PE fabrics; what they read and write here, and when, is theirs.
//
// Load port (as the arrays'): ld_data carries E = 8 consecutive elements of one lane of one pass
//   (E = 4 for bf16), element e in bits [W*(e%E) +: W] (W = 64/E); ld_addr = (lane * PMAX + p) *
//   (SMAX/E) + e/E. Lanes 0..ROWS-1 feed the rows, lanes ROWS..ROWS+COLS-1 the columns.
// Operand read: op_data[l] is element op_addr[l] = {slot, element} of lane l (combinational).
// Result buffer: one column of RMAX 32-bit rows per array column; res_we[j] writes res_wdata[j]
//   into row res_waddr[j] of column j on the rising edge. With SUMS = 1, sum_data[j] is row
//   sum_addr[j] of column j (combinational); with SUMS = 0, sum_data is 0 and sum_addr unused.
// Read port (as the arrays'): rd_data <= {col[2q+1][m], col[2q][m]} on the edge where rd_en is high,
//   with rd_addr = m * 2^PW + q, PW = max(1, clog2(ceil(COLS/2))); the upper half is 0 past the last
//   column.
module systolic_db_buffers #(
    parameter int ROWS = 4,
    parameter int COLS = 4,
    parameter int SMAX = 64,  // elements of one lane in one slot (KMAX, MMAX): a power of two, at least 8
    parameter int PMAX = 64,  // operand slots (a power of two, at least 2)
    parameter int RMAX = 1024,  // result rows (a power of two, at least 2)
    parameter int BF16 = 0,  // 0: int8 operands; 1: bf16 operands
    parameter int SUMS = 0  // 1: the partial-sum read port sum_addr/sum_data
) (
    input  logic                                                                            clk,
    input  logic                                                                            rst_n,
    input  logic                                                                            ld_en,
    input  logic [$clog2(ROWS + COLS) + $clog2(PMAX) + $clog2(SMAX / ((BF16 != 0) ? 4 : 8)) - 1:0] ld_addr,
    input  logic [                                                                    63:0] ld_data,
    input  logic [ROWS+COLS-1:0][                      $clog2(PMAX) + $clog2(SMAX) - 1:0] op_addr,
    output logic [ROWS+COLS-1:0][                                ((BF16 != 0) ? 16 : 8) - 1:0] op_data,
    input  logic [     COLS-1:0]                                                            res_we,
    input  logic [     COLS-1:0][                                        $clog2(RMAX) - 1:0] res_waddr,
    input  logic [     COLS-1:0][                                                    31:0] res_wdata,
    input  logic [     COLS-1:0][                                        $clog2(RMAX) - 1:0] sum_addr,
    output logic [     COLS-1:0][                                                    31:0] sum_data,
    input  logic                                                                            rd_en,
    input  logic [$clog2(RMAX) + (((COLS + 1) / 2 > 2) ? $clog2((COLS + 1) / 2) : 1) - 1:0] rd_addr,
    output logic [                                                                    63:0] rd_data
);
  localparam int EPW = (BF16 != 0) ? 4 : 8;  // operands per load word
  localparam int OPW = 64 / EPW;  // operand width
  localparam int EW = $clog2(EPW);  // element-in-word index bits
  localparam int WW = $clog2(SMAX / EPW);  // word-in-slot address bits
  localparam int PB = $clog2(PMAX);  // slot (pass) address bits
  localparam int LW = $clog2(ROWS + COLS);  // lane address bits
  localparam int RW = $clog2(RMAX);  // result row address bits
  localparam int CPAIRS = (COLS + 1) / 2;  // result words per row
  localparam int PW = (CPAIRS > 2) ? $clog2(CPAIRS) : 1;

  if (SMAX < 8 || (SMAX & (SMAX - 1)) != 0) begin : g_bad_smax
    $error("systolic_db_buffers: SMAX must be a power of two, at least 8");
  end
  if (PMAX < 2 || (PMAX & (PMAX - 1)) != 0 || RMAX < 2 || (RMAX & (RMAX - 1)) != 0) begin : g_bad_depth
    $error("systolic_db_buffers: PMAX and RMAX must be powers of two, at least 2");
  end

  // ---------------------------------------------------------------- operand slots
  logic [LW-1:0] ld_lane;
  logic [PB+WW-1:0] ld_word;
  assign ld_lane = ld_addr[LW+PB+WW-1:PB+WW];
  assign ld_word = ld_addr[PB+WW-1:0];

  for (genvar l = 0; l < ROWS + COLS; l++) begin : g_lane
    logic [63:0] mem[PMAX*SMAX/EPW];
    logic [63:0] word;
    always_ff @(posedge clk) if (ld_en && ld_lane == LW'(l)) mem[ld_word] <= ld_data;
    assign word = mem[op_addr[l][PB+WW+EW-1:EW]];
    assign op_data[l] = word[{op_addr[l][EW-1:0], {(6 - EW) {1'b0}}}+:OPW];
  end

  // ---------------------------------------------------------------- result buffer, read port
  logic [RW-1:0] rd_m;
  logic [PW-1:0] rd_p;
  assign rd_m = rd_addr[RW+PW-1:PW];
  assign rd_p = rd_addr[PW-1:0];
  logic [31:0] rd_col[2<<PW];  // columns, padded with zeros to a power of two

  for (genvar j = 0; j < COLS; j++) begin : g_res_col
    logic [31:0] mem[RMAX];
    always_ff @(posedge clk) if (res_we[j]) mem[res_waddr[j]] <= res_wdata[j];
    if (SUMS != 0) begin : g_sum
      assign sum_data[j] = mem[sum_addr[j]];
    end else begin : g_no_sum
      assign sum_data[j] = '0;
    end
    assign rd_col[j] = mem[rd_m];
  end
  for (genvar j = COLS; j < (2 << PW); j++) begin : g_res_pad
    assign rd_col[j] = '0;
  end

  always_ff @(posedge clk) begin
    if (!rst_n) rd_data <= '0;
    else if (rd_en) rd_data <= {rd_col[{rd_p, 1'b1}], rd_col[{rd_p, 1'b0}]};
  end

  // Without the partial-sum port its addresses leave unused.
  logic unused_sum_addr;
  assign unused_sum_addr = (SUMS != 0) ? 1'b0 : ^sum_addr;
endmodule
