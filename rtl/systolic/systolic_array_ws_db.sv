// ROWS x COLS double-buffered weight-stationary systolic array (docs/systolic.md, "Double-buffered
// array" and "The double-buffered RTL arrays"): one start runs a whole GEMM
// C[M x N] = A[M x K] * B[K x N] with its passes pipelined behind each other's wavefront, int8 in
// and int32 out, or with BF16 = 1 bf16 in and fp32 out.
//
// The passes are those of the single-buffered systolic_array_ws.sv, in its order: N folds of COLS
// outer, M chunks of MMAX, K folds of ROWS inner; pass p streams m_p rows of A over k_p array rows,
// every K fold after a chunk's first continuing the result buffer's sums. Each pass's operands sit
// in their own slot of the operand buffers, loaded before the start; the results of the whole GEMM
// stay in the result buffer until they are read after done. Every port is at most 64 bits wide.
// The operand slots, the result buffer and both host ports are in systolic_db_buffers.sv.
//
// Load port: ld_data carries E = 8 consecutive elements of one lane of one pass (E = 4 for bf16),
//   element e in bits [W*(e%E) +: W] (W = 64/E); ld_addr = (lane * PMAX + p) * (MMAX/E) + e/E for
//   pass p < PMAX. Lanes 0..ROWS-1 are activation lanes (lane i: A[m0+m][k0+i] for m < m_p), lanes
//   ROWS..ROWS+COLS-1 weight lanes (lane ROWS+j: B[k0+i][n0+j] for i < k_p).
// GEMM: start is sampled while idle. That edge clears the PEs and latches m_len, n_len and k_len
//   (M, N, K, each at least 1; at most PMAX passes and ceil(N/COLS)*M <= RMAX result rows).
//   Then ROWS cycles shift pass 0's weights into the shadow registers, and pass p's stream starts
//   S_p = ROWS + sum_{q<p} max(m_q, ROWS) steps after the start edge: activation lane i enters row i
//   skewed by i, a swap flag travels with each pass's first activation, and pass p+1's weights shift
//   down column j into the shadows in steps S_p + j .. S_p + j + ROWS-1 (weight row ROWS-1-s in
//   step S_p + j + s; PE(i,j) takes part from step S_p + j + i, after its own swap). The bottom PE
//   of column j finishes C[m][j] of pass p in step S_p + m + ROWS-1 + j, written into the result
//   buffer on that edge; the partial sum of row m enters the top of column j in step S_p + m + j:
//   zero, or for a K fold after the first the buffer's sum of the previous fold. done rises with the
//   edge that writes the last sum and stays high until the next start; busy is high from the start
//   edge to that edge. A GEMM of P passes takes
//     1 + ROWS + sum_{p<P-1} max(m_p, ROWS) + (m_{P-1} + ROWS + COLS - 2) rising edges,
//   start edge included: the double-buffered compute of sysc::gemm_cycles.
// Read port: rd_data <= {C[m][n0+2q+1], C[m][n0+2q]} on the edge where rd_en is high, for the
//   column fold f = n0/COLS, with rd_addr = (f*M + m) * 2^PW + q, PW = max(1, clog2(ceil(COLS/2)));
//   the upper half is 0 past the last column. fp32 results are their IEEE bit patterns.
module systolic_array_ws_db #(
    parameter int ROWS = 4,
    parameter int COLS = 4,
    parameter int MMAX = 64,  // longest stream of one pass: a power of two, at least 16 and 8*ceil(ROWS/8)
    parameter int PMAX = 64,  // operand slots: passes of one GEMM (a power of two, at least 2)
    parameter int RMAX = 1024,  // result rows: ceil(N/COLS)*M of one GEMM (a power of two, at least 2)
    parameter int BF16 = 0  // 0: int8 x int8 -> int32; 1: bf16 x bf16 -> fp32
) (
    input  logic                                                                       clk,
    input  logic                                                                       rst_n,
    input  logic                                                                       ld_en,
    input  logic [$clog2(ROWS + COLS) + $clog2(PMAX) + $clog2(MMAX / ((BF16 != 0) ? 4 : 8)) - 1:0] ld_addr,
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
  localparam int PB = $clog2(PMAX);  // slot (pass) address bits
  localparam int DW = 16;  // GEMM dimensions
  localparam int MW = $clog2(MMAX);  // row within a pass
  localparam int MLW = $clog2(MMAX + 1);
  localparam int KLW = $clog2(ROWS + 1);
  localparam int RW = $clog2(RMAX);  // result row address bits
  localparam int UW = $clog2(MMAX + 2 * ROWS + COLS + 1);  // step within a pass's window
  localparam int DEPTH = ROWS + COLS - 1;  // steps a pass's control travels behind its wavefront

  if (ROWS < 2 || COLS < 2) begin : g_bad_shape
    $error("systolic_array_ws_db: ROWS and COLS must be at least 2");
  end
  if (MMAX < 16 || (MMAX & (MMAX - 1)) != 0 || MMAX < 8 * ((ROWS + 7) / 8)) begin : g_bad_mmax
    $error("systolic_array_ws_db: MMAX must be a power of two, at least 16 and at least 8*ceil(ROWS/8)");
  end
  // PMAX and RMAX are checked by systolic_db_buffers.

  // ---------------------------------------------------------------- controller
  // The pass in flight at PE(0,0) (k0, m0, n0 its origin in the GEMM, slot its operand slot, rb the
  // result row of its column fold's row 0), and the window counter u: the pass streams m_p rows in
  // u = 0..m_p-1 and the next one starts at u = max(m_p, ROWS); after the last pass, u runs on to
  // m_p + ROWS + COLS - 3, the step of the last sum.
  typedef enum logic [1:0] {
    S_IDLE,
    S_WLOAD,
    S_STREAM
  } state_t;

  state_t state;
  logic [UW-1:0] u;
  logic [DW-1:0] m_q, n_q, k_q;
  logic [DW-1:0] k0, m0, n0;
  logic [PB-1:0] slot;
  logic [RW-1:0] rb;
  logic done_q;

  // This pass's rows and array rows; the next pass's origin.
  logic [DW:0] k_rest, m_rest, k0_next, m0_next, n0_next;
  logic [MLW-1:0] m_p;
  logic [KLW-1:0] k_p, k_nx;
  logic k_more, m_more, n_more, last;
  logic [DW-1:0] k0_nx, m0_nx, n0_nx;
  logic [DW:0] k_rest_nx;
  logic [RW-1:0] rb_nx;
  logic [UW-1:0] window_end;

  assign k_rest = {1'b0, k_q} - {1'b0, k0};
  assign m_rest = {1'b0, m_q} - {1'b0, m0};
  assign k_p = (k_rest >= (DW + 1)'(ROWS)) ? KLW'(ROWS) : KLW'(k_rest);
  assign m_p = (m_rest >= (DW + 1)'(MMAX)) ? MLW'(MMAX) : MLW'(m_rest);
  assign k0_next = {1'b0, k0} + (DW + 1)'(ROWS);
  assign m0_next = {1'b0, m0} + (DW + 1)'(MMAX);
  assign n0_next = {1'b0, n0} + (DW + 1)'(COLS);
  assign k_more = k0_next < {1'b0, k_q};
  assign m_more = m0_next < {1'b0, m_q};
  assign n_more = n0_next < {1'b0, n_q};
  assign last = !(k_more || m_more || n_more);
  assign k0_nx = k_more ? k0_next[DW-1:0] : '0;
  assign m0_nx = k_more ? m0 : (m_more ? m0_next[DW-1:0] : '0);
  assign n0_nx = (k_more || m_more) ? n0 : n0_next[DW-1:0];
  assign rb_nx = (k_more || m_more) ? rb : rb + RW'(m_q);
  assign k_rest_nx = {1'b0, k_q} - {1'b0, k0_nx};
  assign k_nx = (k_rest_nx >= (DW + 1)'(ROWS)) ? KLW'(ROWS) : KLW'(k_rest_nx);
  assign window_end = last ? UW'(m_p) + UW'(ROWS + COLS - 3) :
                             ((UW'(m_p) > UW'(ROWS)) ? UW'(m_p) - 1'b1 : UW'(ROWS - 1));

  logic clear, en;
  assign clear = (state == S_IDLE) && start;
  assign en = (state != S_IDLE);
  assign busy = en;
  assign done = done_q;

  // The start edge latches the GEMM's dimensions; it and reset both put the pass walk at its
  // beginning.
  always_ff @(posedge clk) begin
    if (!rst_n) begin
      m_q <= '0;
      n_q <= '0;
      k_q <= '0;
    end else if (clear) begin
      m_q <= m_len;
      n_q <= n_len;
      k_q <= k_len;
    end
  end

  always_ff @(posedge clk) begin
    if (!rst_n || clear) begin
      state  <= rst_n ? S_WLOAD : S_IDLE;  // rst_n high here: the start edge
      u      <= '0;
      k0     <= '0;
      m0     <= '0;
      n0     <= '0;
      slot   <= '0;
      rb     <= '0;
      done_q <= 1'b0;
    end else begin
      unique case (state)
        S_IDLE: ;
        S_WLOAD: begin
          u <= u + 1'b1;
          if (u == UW'(ROWS - 1)) begin
            state <= S_STREAM;
            u     <= '0;
          end
        end
        S_STREAM: begin
          u <= u + 1'b1;
          if (u == window_end) begin
            if (last) begin
              state  <= S_IDLE;
              done_q <= 1'b1;
            end else begin
              u    <= '0;
              k0   <= k0_nx;
              m0   <= m0_nx;
              n0   <= n0_nx;
              slot <= slot + 1'b1;
              rb   <= rb_nx;
            end
          end
        end
        default: state <= S_IDLE;
      endcase
    end
  end

  // ---------------------------------------------------------------- control behind the wavefront
  // A pass's row control leaves PE(0,0)'s row feeder in step t and reaches row i's feeder and the
  // top of column i in step t + i, the bottom of column j in step t + ROWS-1 + j (rq[d]: d steps
  // old). Weight-preload control reaches column j's top port in step t + j (wq[j]).
  typedef struct packed {
    logic valid;
    logic first;  // the pass's first row: swap
    logic acc;  // a K fold after the first: continue the buffer's sums
    logic [KLW-1:0] k;  // array rows in use
    logic [PB+MW-1:0] aidx;  // {slot, row}: the activation element
    logic [RW-1:0] row;  // result row
  } row_ctl_t;
  typedef struct packed {
    logic valid;
    logic [PB-1:0] slot;
    logic [KLW-1:0] k;
    logic [KLW-1:0] s;  // preload step: weight row ROWS-1-s enters the top
  } wl_ctl_t;

  row_ctl_t rq[DEPTH];
  wl_ctl_t  wq[COLS];

  always_comb begin
    rq[0] = '0;
    if (state == S_STREAM && u < UW'(m_p)) begin
      rq[0].valid = 1'b1;
      rq[0].first = (u == '0);
      rq[0].acc   = (k0 != '0);
      rq[0].k     = k_p;
      rq[0].aidx  = {slot, u[MW-1:0]};
      rq[0].row   = rb + RW'(m0) + RW'(u);
    end
    wq[0] = '0;
    if (state == S_WLOAD) begin
      wq[0].valid = 1'b1;
      wq[0].slot  = slot;
      wq[0].k     = k_p;
      wq[0].s     = KLW'(u);
    end else if (state == S_STREAM && !last && u < UW'(ROWS)) begin
      wq[0].valid = 1'b1;
      wq[0].slot  = slot + 1'b1;
      wq[0].k     = k_nx;
      wq[0].s     = KLW'(u);
    end
  end

  always_ff @(posedge clk) begin
    for (int d = 1; d < DEPTH; d++) rq[d] <= (!rst_n || clear) ? '0 : rq[d-1];
    for (int j = 1; j < COLS; j++) wq[j] <= (!rst_n || clear) ? '0 : wq[j-1];
  end

  // ---------------------------------------------------------------- array fabric
  logic [OPW-1:0] a_h   [ROWS][COLS+1];  // a_h[i][j]: activation entering PE(i,j) from the left
  logic           s_h   [ROWS][COLS+1];  // s_h[i][j]: swap flag entering PE(i,j) from the left
  logic [OPW-1:0] w_v   [ROWS+1][COLS];  // w_v[i][j]: shadow weight entering PE(i,j) from above
  logic [   31:0] p_v   [ROWS+1][COLS];  // p_v[i][j]: partial sum entering PE(i,j) from above
  logic [   31:0] p_next[ROWS][COLS];  // PE(i,j)'s partial sum after this step's MAC

  // As systolic_array_ws.sv: rows i >= k_p get A_PAD (-0 for bf16) against zero weights.
  localparam logic [OPW-1:0] A_PAD = (BF16 != 0) ? {1'b1, {(OPW - 1) {1'b0}}} : '0;

  // ---------------------------------------------------------------- operand slots, result buffer
  // Column j writes the row its bottom PE finishes (control ROWS-1+j steps old) and feeds its top
  // the row entering (control j steps old): zero, or the previous K fold's sum.
  logic [ROWS+COLS-1:0][PB+MW-1:0] op_addr;
  logic [ROWS+COLS-1:0][OPW-1:0] op_data;
  logic [COLS-1:0] res_we;
  logic [COLS-1:0][RW-1:0] res_waddr, sum_addr;
  logic [COLS-1:0][31:0] res_wdata, sum_data;

  systolic_db_buffers #(
      .ROWS(ROWS),
      .COLS(COLS),
      .SMAX(MMAX),
      .PMAX(PMAX),
      .RMAX(RMAX),
      .BF16(BF16),
      .SUMS(1)
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
      .sum_addr (sum_addr),
      .sum_data (sum_data),
      .rd_en    (rd_en),
      .rd_addr  (rd_addr),
      .rd_data  (rd_data)
  );

  for (genvar j = 0; j < COLS; j++) begin : g_res_col
    assign res_we[j] = rq[ROWS-1+j].valid;
    assign res_waddr[j] = rq[ROWS-1+j].row;
    assign res_wdata[j] = p_next[ROWS-1][j];
    assign sum_addr[j] = rq[j].row;
    assign p_v[0][j] = (rq[j].valid && rq[j].acc) ? sum_data[j] : '0;
  end

  // Activation feeder of row i: row m of the pass's slot while the pass streams and i < k_p.
  for (genvar i = 0; i < ROWS; i++) begin : g_a_lane
    assign op_addr[i] = rq[i].aidx;
    assign a_h[i][0] = (rq[i].valid && KLW'(i) < rq[i].k) ? op_data[i] : A_PAD;
    assign s_h[i][0] = rq[i].valid && rq[i].first;
  end

  // Weight feeder of column j: in preload step s, row r = ROWS-1-s of the pass's lane (0 for
  // r >= k_p); PE(i,j)'s shadow shifts in steps s >= i.
  logic sh_en[ROWS][COLS];
  for (genvar j = 0; j < COLS; j++) begin : g_w_lane
    logic [KLW-1:0] r;
    assign r = KLW'(ROWS - 1) - wq[j].s;
    assign op_addr[ROWS+j] = {wq[j].slot, MW'(r)};
    assign w_v[0][j] = (wq[j].valid && r < wq[j].k) ? op_data[ROWS+j] : '0;
    assign sh_en[0][j] = wq[j].valid;
    for (genvar i = 1; i < ROWS; i++) begin : g_sh
      assign sh_en[i][j] = wq[j].valid && wq[j].s >= KLW'(i);
    end
  end

  for (genvar i = 0; i < ROWS; i++) begin : g_row
    for (genvar j = 0; j < COLS; j++) begin : g_col
      systolic_pe_ws_db #(
          .BF16(BF16)
      ) u_pe (
          .clk      (clk),
          .rst_n    (rst_n),
          .clear    (clear),
          .en       (en),
          .sh_en    (sh_en[i][j]),
          .sw_in    (s_h[i][j]),
          .w_in     (w_v[i][j]),
          .a_in     (a_h[i][j]),
          .psum_in  (p_v[i][j]),
          .sw_out   (s_h[i][j+1]),
          .w_out    (w_v[i+1][j]),
          .a_out    (a_h[i][j+1]),
          .psum_out (p_v[i+1][j]),
          .psum_next(p_next[i][j])
      );
    end
  end

  // The last column's activation and swap outputs, the bottom row's shadow outputs and registered
  // partial sums, the inner rows' next sums and the control fields a stage does not read leave
  // unused.
  logic unused_edges;
  always_comb begin
    unused_edges = 1'b0;
    for (int i = 0; i < ROWS; i++) unused_edges = unused_edges ^ (^a_h[i][COLS]) ^ s_h[i][COLS];
    for (int j = 0; j < COLS; j++) unused_edges = unused_edges ^ (^w_v[ROWS][j]) ^ (^p_v[ROWS][j]);
    for (int i = 0; i < ROWS - 1; i++)
      for (int j = 0; j < COLS; j++) unused_edges = unused_edges ^ (^p_next[i][j]);
    for (int d = 0; d < DEPTH; d++) unused_edges = unused_edges ^ (^rq[d]);
  end
endmodule
