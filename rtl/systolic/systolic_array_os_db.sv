// ROWS x COLS double-buffered output-stationary systolic array (docs/systolic.md, "Double-buffered
// array" and "The double-buffered output-stationary RTL array"): one start runs a whole GEMM
// C[M x N] = A[M x K] * B[K x N] with its tiles pipelined behind each other's wavefront, int8 in
// and int32 out, or with BF16 = 1 bf16 in and fp32 out.
//
// The tiles are those of the single-buffered systolic_array.sv, in its order: row folds of ROWS
// outer, column folds of COLS inner; a tile's K chunks of KMAX (its passes) stream back to back as
// one stream of K. Each pass's operands sit in their own slot of the operand buffers, loaded before
// the start; the results of the whole GEMM stay in the result buffer until they are read after
// done. Every port is at most 64 bits wide.
// The operand slots, the result buffer and both host ports are in systolic_db_buffers.sv.
//
// Load port: ld_data carries E = 8 consecutive K elements of one lane of one pass (E = 4 for bf16),
//   element e in bits [W*(e%E) +: W] (W = 64/E); ld_addr = (lane * PMAX + p) * (KMAX/E) + e/E for
//   pass p < PMAX (tile t's chunk c is pass t * ceil(K/KMAX) + c). Lanes 0..ROWS-1: rows of A
//   (lane i: A[m0+i][k0+e]), lanes ROWS..ROWS+COLS-1: columns of B (lane ROWS+j: B[k0+e][n0+j]).
// GEMM: start is sampled while idle. That edge clears the PEs and latches m_len, n_len and k_len
//   (M, N, K, each at least 1; at most PMAX passes and ceil(N/COLS)*M <= RMAX result rows). Tile t
//   streams from step S_t = sum_{q<t} max(K, ROWS) after the start edge: A row i enters row i skewed
//   by i, B column j enters column j skewed by j, and a tile's first and last flags travel with the
//   A operands, so PE(i,j) starts its sum from +0 in step S_t + i + j and moves the finished sum
//   into its drain register with its last MAC (step S_t + K-1 + i + j). Once the bottom PE of
//   column j has done so, the column's drain registers shift down one row per cycle for ROWS cycles
//   (PE(i,j) takes part in shifts 1..i only), the bottom one into the result buffer: row ROWS-s of
//   the tile in shift s. done rises with the edge that writes the last result and stays high until
//   the next start; busy is high from the start edge to that edge. A GEMM of T tiles takes
//     1 + sum_{t<T-1} max(K, ROWS) + K + 2*ROWS + COLS - 2 rising edges,
//   start edge included: the double-buffered compute of sysc::gemm_cycles.
// Read port: rd_data <= {C[m][n0+2q+1], C[m][n0+2q]} on the edge where rd_en is high, for the
//   column fold f = n0/COLS, with rd_addr = (f*M + m) * 2^PW + q, PW = max(1, clog2(ceil(COLS/2)));
//   the upper half is 0 past the last column. fp32 results are their IEEE bit patterns.
module systolic_array_os_db #(
    parameter int ROWS = 4,
    parameter int COLS = 4,
    parameter int KMAX = 64,  // K of one pass (chunk): a power of two, at least 16
    parameter int PMAX = 256,  // operand slots: passes of one GEMM (a power of two, at least 2)
    parameter int RMAX = 4096,  // result rows: ceil(N/COLS)*M of one GEMM (a power of two, at least 2)
    parameter int BF16 = 0  // 0: int8 x int8 -> int32; 1: bf16 x bf16 -> fp32
) (
    input  logic                                                                       clk,
    input  logic                                                                       rst_n,
    input  logic                                                                       ld_en,
    input  logic [$clog2(ROWS + COLS) + $clog2(PMAX) + $clog2(KMAX / ((BF16 != 0) ? 4 : 8)) - 1:0] ld_addr,
    input  logic [                                                               63:0] ld_data,
    input  logic                                                                       start,
    input  logic [                                                               15:0] m_len,
    input  logic [                                                               15:0] n_len,
    input  logic [                                                               15:0] k_len,
    output logic                                                                       busy,
    output logic                                                                       done,
    input  logic                                                                       rd_en,
    input  logic [$clog2(RMAX) + (((COLS + 1) / 2 > 2) ? $clog2((COLS + 1) / 2) : 1) - 1:0] rd_addr,
    output logic [                                                               63:0] rd_data
);
  localparam int OPW = (BF16 != 0) ? 16 : 8;  // operand width
  localparam int KW = $clog2(KMAX);  // element-in-slot index bits
  localparam int PB = $clog2(PMAX);  // slot (pass) address bits
  localparam int DW = 16;  // GEMM dimensions
  localparam int UW = DW + 2;  // step within a tile's window (up to K + 2*ROWS + COLS - 3)
  localparam int KLW = $clog2(ROWS + 1);
  localparam int RW = $clog2(RMAX);  // result row address bits
  localparam int DEPTH = (ROWS > COLS) ? ROWS : COLS;  // steps a tile's control travels behind its wavefront

  if (ROWS < 2 || COLS < 2) begin : g_bad_shape
    $error("systolic_array_os_db: ROWS and COLS must be at least 2");
  end
  if (KMAX < 16 || (KMAX & (KMAX - 1)) != 0) begin : g_bad_kmax
    $error("systolic_array_os_db: KMAX must be a power of two, at least 16");
  end
  // PMAX and RMAX are checked by systolic_db_buffers.

  // ---------------------------------------------------------------- controller
  // The tile in flight at PE(0,0) (m0, n0 its origin, fm the result row of its column fold's row 0
  // less m0, slot0 its first operand slot) and the window counter u: the tile streams K steps in
  // u = 0..K-1 and the next one starts at u = max(K, ROWS); after the last tile, u runs on to
  // K + 2*ROWS + COLS - 3, the step of the last result.
  typedef enum logic [1:0] {
    S_IDLE,
    S_STREAM
  } state_t;

  state_t state;
  logic [UW-1:0] u;
  logic [DW-1:0] m_q, n_q, k_q;
  logic [DW-1:0] m0, n0;
  logic [PB-1:0] slot0, chunks;
  logic [RW-1:0] fm;
  logic done_q;

  logic [DW:0] m_rest, m0_next, n0_next;
  logic [KLW-1:0] m_t;
  logic m_more, n_more, last;
  logic [UW-1:0] window_end, k_u;
  logic [PB-1:0] k_chunks;

  assign m_rest = {1'b0, m_q} - {1'b0, m0};
  assign m_t = (m_rest >= (DW + 1)'(ROWS)) ? KLW'(ROWS) : KLW'(m_rest);
  assign m0_next = {1'b0, m0} + (DW + 1)'(ROWS);
  assign n0_next = {1'b0, n0} + (DW + 1)'(COLS);
  assign m_more = m0_next < {1'b0, m_q};
  assign n_more = n0_next < {1'b0, n_q};
  assign last = !(m_more || n_more);
  assign k_u = UW'(k_q);
  assign window_end = last ? k_u + UW'(2 * ROWS + COLS - 3) : ((k_u > UW'(ROWS)) ? k_u - 1'b1 : UW'(ROWS - 1));
  assign k_chunks = PB'(({1'b0, k_len} + (DW + 1)'(KMAX - 1)) >> KW);  // passes per tile, at start

  logic clear, en;
  assign clear = (state == S_IDLE) && start;
  assign en = (state != S_IDLE);
  assign busy = en;
  assign done = done_q;

  // The start edge latches the GEMM's dimensions; it and reset both put the tile walk at its
  // beginning.
  always_ff @(posedge clk) begin
    if (!rst_n) begin
      m_q    <= '0;
      n_q    <= '0;
      k_q    <= '0;
      chunks <= '0;
    end else if (clear) begin
      m_q    <= m_len;
      n_q    <= n_len;
      k_q    <= k_len;
      chunks <= k_chunks;
    end
  end

  always_ff @(posedge clk) begin
    if (!rst_n || clear) begin
      state  <= rst_n ? S_STREAM : S_IDLE;  // rst_n high here: the start edge
      u      <= '0;
      m0     <= '0;
      n0     <= '0;
      slot0  <= '0;
      fm     <= '0;
      done_q <= 1'b0;
    end else begin
      unique case (state)
        S_IDLE: ;
        S_STREAM: begin
          u <= u + 1'b1;
          if (u == window_end) begin
            if (last) begin
              state  <= S_IDLE;
              done_q <= 1'b1;
            end else begin
              u     <= '0;
              slot0 <= slot0 + chunks;
              if (n_more) begin
                n0 <= n0_next[DW-1:0];
                fm <= fm + RW'(m_q);
              end else begin
                n0 <= '0;
                m0 <= m0_next[DW-1:0];
                fm <= '0;
              end
            end
          end
        end
        default: state <= S_IDLE;
      endcase
    end
  end

  // ---------------------------------------------------------------- control behind the wavefront
  // A tile's control leaves PE(0,0)'s feeders in step t and reaches row i's and column i's feeders
  // in step t + i (rq[i]). The drain of column j starts when its bottom PE takes its last MAC:
  // control that reaches column 0 in that step and column j j steps later (dq[j]).
  typedef struct packed {
    logic valid;
    logic first;  // the tile's first K element: sums start from +0
    logic last;  // its last: sums into the drain registers
    logic [PB+KW-1:0] aidx;  // {slot, element}: the operand element
    logic [RW-1:0] base;  // result row of the tile's row 0
    logic [KLW-1:0] m;  // the tile's rows
  } row_ctl_t;
  typedef struct packed {
    logic valid;
    logic [RW-1:0] base;
    logic [KLW-1:0] m;
  } drain_ctl_t;

  row_ctl_t   rq[DEPTH];
  drain_ctl_t dq[COLS];

  always_comb begin
    rq[0] = '0;
    if (state == S_STREAM && u < k_u) begin
      rq[0].valid = 1'b1;
      rq[0].first = (u == '0);
      rq[0].last  = (u == k_u - 1'b1);
      rq[0].aidx  = {slot0 + PB'(u >> KW), u[KW-1:0]};
      rq[0].base  = fm + RW'(m0);
      rq[0].m     = m_t;
    end
    dq[0] = '0;
    if (rq[ROWS-1].valid && rq[ROWS-1].last) begin
      dq[0].valid = 1'b1;
      dq[0].base  = rq[ROWS-1].base;
      dq[0].m     = rq[ROWS-1].m;
    end
  end

  always_ff @(posedge clk) begin
    for (int d = 1; d < DEPTH; d++) rq[d] <= (!rst_n || clear) ? '0 : rq[d-1];
    for (int j = 1; j < COLS; j++) dq[j] <= (!rst_n || clear) ? '0 : dq[j-1];
  end

  // ---------------------------------------------------------------- array fabric
  logic [OPW-1:0] a_h[ROWS][COLS+1];  // a_h[i][j]: A operand entering PE(i,j) from the left
  logic           f_h[ROWS][COLS+1];  // f_h[i][j]: first flag entering PE(i,j) from the left
  logic           l_h[ROWS][COLS+1];  // l_h[i][j]: last flag entering PE(i,j) from the left
  logic [OPW-1:0] b_v[ROWS+1][COLS];  // b_v[i][j]: B operand entering PE(i,j) from above
  logic [   31:0] d_v[ROWS+1][COLS];  // d_v[i][j]: drain register of PE(i-1,j), entering PE(i,j)
  logic           sh [ROWS][COLS];  // PE(i,j) takes the drain register above it

  // ---------------------------------------------------------------- operand slots, result buffer
  // Operand feeders: lane l's element of the tile's K stream, l steps behind PE(0,0)'s. Column j's
  // drain writes the bottom drain register into the result buffer (see below).
  logic [ROWS+COLS-1:0][PB+KW-1:0] op_addr;
  logic [ROWS+COLS-1:0][OPW-1:0] op_data;
  logic [COLS-1:0] res_we;
  logic [COLS-1:0][RW-1:0] res_waddr;
  logic [COLS-1:0][31:0] res_wdata;
  logic [COLS-1:0][31:0] unused_sums;  // no partial-sum port (SUMS = 0)

  systolic_db_buffers #(
      .ROWS(ROWS),
      .COLS(COLS),
      .SMAX(KMAX),
      .PMAX(PMAX),
      .RMAX(RMAX),
      .BF16(BF16),
      .SUMS(0)
  ) u_buf (
      .clk      (clk),
      .rst_n    (rst_n),
      .ld_en    (ld_en),
      .ld_addr  (ld_addr),
      .ld_data  (ld_data),
      .op_addr  (op_addr),
      .op_data  (op_data),
      .res_we   (res_we),
      .res_waddr(res_waddr),
      .res_wdata(res_wdata),
      .sum_addr ('0),
      .sum_data (unused_sums),
      .rd_en    (rd_en),
      .rd_addr  (rd_addr),
      .rd_data  (rd_data)
  );

  logic [OPW-1:0] feed[ROWS+COLS];
  for (genvar l = 0; l < ROWS + COLS; l++) begin : g_lane
    localparam int D = (l < ROWS) ? l : l - ROWS;  // the lane's row or column
    assign op_addr[l] = rq[D].aidx;
    assign feed[l] = rq[D].valid ? op_data[l] : '0;
  end
  for (genvar i = 0; i < ROWS; i++) begin : g_row_in
    assign a_h[i][0] = feed[i];
    assign f_h[i][0] = rq[i].valid && rq[i].first;
    assign l_h[i][0] = rq[i].valid && rq[i].last;
  end
  for (genvar j = 0; j < COLS; j++) begin : g_col_in
    assign b_v[0][j] = feed[ROWS+j];
    assign d_v[0][j] = '0;
  end

  for (genvar i = 0; i < ROWS; i++) begin : g_row
    for (genvar j = 0; j < COLS; j++) begin : g_col
      systolic_pe_os_db #(
          .BF16(BF16)
      ) u_pe (
          .clk      (clk),
          .rst_n    (rst_n),
          .clear    (clear),
          .en       (en),
          .d_shift  (sh[i][j]),
          .first_in (f_h[i][j]),
          .last_in  (l_h[i][j]),
          .a_in     (a_h[i][j]),
          .b_in     (b_v[i][j]),
          .d_in     (d_v[i][j]),
          .first_out(f_h[i][j+1]),
          .last_out (l_h[i][j+1]),
          .a_out    (a_h[i][j+1]),
          .b_out    (b_v[i+1][j]),
          .d_out    (d_v[i+1][j])
      );
    end
  end

  // ---------------------------------------------------------------- drain
  // Column j's drain: shift s = 1..ROWS in the ROWS steps after its bottom PE's last MAC; the
  // bottom drain register, row ROWS-s of the tile, into the result buffer unless past the tile's
  // rows.
  for (genvar j = 0; j < COLS; j++) begin : g_drain
    logic [KLW-1:0] s, dm;
    logic [RW-1:0] dbase;
    logic [KLW-1:0] row;
    always_ff @(posedge clk) begin
      if (!rst_n || clear) begin
        s     <= '0;
        dm    <= '0;
        dbase <= '0;
      end else if (dq[j].valid) begin
        s     <= KLW'(1);
        dm    <= dq[j].m;
        dbase <= dq[j].base;
      end else if (s != '0) begin
        s <= (s == KLW'(ROWS)) ? '0 : s + 1'b1;
      end
    end
    assign row = KLW'(ROWS) - s;
    assign res_we[j] = (s != '0) && row < dm;
    assign res_waddr[j] = dbase + RW'(row);
    assign res_wdata[j] = d_v[ROWS][j];
    assign sh[0][j] = 1'b0;
    for (genvar i = 1; i < ROWS; i++) begin : g_sh
      assign sh[i][j] = (s != '0) && s <= KLW'(i);
    end
  end

  // The last column's A operands and flags, the bottom row's B operands, and the control fields a
  // stage does not read leave unused.
  logic unused_edges;
  always_comb begin
    unused_edges = 1'b0;
    for (int i = 0; i < ROWS; i++) unused_edges = unused_edges ^ (^a_h[i][COLS]) ^ f_h[i][COLS] ^ l_h[i][COLS];
    for (int j = 0; j < COLS; j++) unused_edges = unused_edges ^ (^b_v[ROWS][j]);
    for (int d = 0; d < DEPTH; d++) unused_edges = unused_edges ^ (^rq[d]);
    for (int j = 0; j < COLS; j++) unused_edges = unused_edges ^ (^dq[j]);
  end
endmodule
