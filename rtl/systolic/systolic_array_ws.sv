// ROWS x COLS weight-stationary systolic array with operand buffers, an accumulating result buffer
// and a controller that runs one pass: C[m][j] (+)= sum_i A[m][i] * W[i][j] for m < M, i < K,
// with W a K x N block of B (K <= ROWS on rows, N <= COLS on columns), int8 in and int32 out,
// or with BF16 = 1 bf16 in and fp32 out (mac_bf16.sv; only the operand packing differs below).
//
// Every port is at most 64 bits wide (Verilator maps wider ports to slow sc_bv<N>). See
// docs/systolic.md.
//
// Load port: ld_data carries E = 8 consecutive elements of one lane (E = 4 for bf16), element e
//   in bits [W*(e%E) +: W] (W = 64/E); lanes 0..ROWS-1 are activation lanes (lane i: A[m][i] for
//   m = 0..M-1), lanes ROWS..ROWS+COLS-1 weight lanes (lane ROWS+j: W[i][j] for i = 0..K-1);
//   ld_addr = lane * (MMAX/E) + e/E. One word per cycle while ld_en is high.
// Pass: start is sampled while idle. That edge clears the PE registers and latches m_len (M,
//   1..MMAX), k_len (K, 1..ROWS) and accumulate. Then ROWS weight-load cycles (weight row ROWS-1-s
//   enters the top in step s and shifts down; rows >= K load zeros) and M+ROWS+COLS-2 stream cycles:
//   activation lane i enters row i skewed by i cycles (zeros for lanes >= K), and the bottom PE of
//   column j finishes C[m][j] in stream step m + ROWS-1 + j, written into the result buffer on
//   that edge. The partial sum of row m enters the top of column j in step m + j: zero, or with
//   accumulate the buffer's C[m][j] of the previous K fold, so the K folds form one chain of
//   additions, k ascending, in every precision (docs/systolic.md, "bf16 path"). busy is
//   high from the start edge to the last stream edge; done rises with the last stream edge and
//   stays high until the next start. A pass therefore takes 1 + ROWS + (M+ROWS+COLS-2) =
//   M + 2*ROWS + COLS - 1 rising edges, start edge included.
// Read port: rd_data <= {C[m][2p+1], C[m][2p]} on the edge where rd_en is high, with
//   rd_addr = m * 2^PW + p, PW = max(1, clog2(ceil(COLS/2))); the upper half is 0 past the last column.
//   fp32 results are their IEEE bit patterns.
module systolic_array_ws #(
    parameter int ROWS = 4,
    parameter int COLS = 4,
    parameter int MMAX = 256,  // longest M of one pass: a power of two, at least 16 and 8*ceil(ROWS/8)
    parameter int BF16 = 0  // 0: int8 x int8 -> int32; 1: bf16 x bf16 -> fp32
) (
    input  logic                                                 clk,
    input  logic                                                 rst_n,
    input  logic                                                 ld_en,
    input  logic [$clog2(ROWS + COLS) + $clog2(MMAX / ((BF16 != 0) ? 4 : 8)) - 1:0] ld_addr,
    input  logic [                                         63:0] ld_data,
    input  logic                                                 start,
    input  logic [                           $clog2(MMAX + 1)-1:0] m_len,
    input  logic [                           $clog2(ROWS + 1)-1:0] k_len,
    input  logic                                                 accumulate,
    output logic                                                 busy,
    output logic                                                 done,
    input  logic                                                 rd_en,
    input  logic [$clog2(MMAX) + (((COLS + 1) / 2 > 2) ? $clog2((COLS + 1) / 2) : 1) - 1:0] rd_addr,
    output logic [                                         63:0] rd_data
);
  localparam int EPW = (BF16 != 0) ? 4 : 8;  // operands per load word
  localparam int OPW = 64 / EPW;  // operand width
  localparam int EW = $clog2(EPW);  // element-in-word index bits
  localparam int WW = $clog2(MMAX / EPW);  // word-in-lane address bits
  localparam int LW = $clog2(ROWS + COLS);  // lane address bits
  localparam int MLW = $clog2(MMAX + 1);
  localparam int KLW = $clog2(ROWS + 1);
  localparam int MW = $clog2(MMAX);  // result row address bits
  localparam int CPAIRS = (COLS + 1) / 2;  // result words per row
  localparam int PW = (CPAIRS > 2) ? $clog2(CPAIRS) : 1;
  localparam int TW = $clog2(MMAX + ROWS + COLS + 1);  // weight-load / stream step counter

  if (ROWS < 2 || COLS < 2) begin : g_bad_shape
    $error("systolic_array_ws: ROWS and COLS must be at least 2");
  end
  if (MMAX < 16 || (MMAX & (MMAX - 1)) != 0 || MMAX < 8 * ((ROWS + 7) / 8)) begin : g_bad_mmax
    $error("systolic_array_ws: MMAX must be a power of two, at least 16 and at least 8*ceil(ROWS/8)");
  end

  // ---------------------------------------------------------------- controller
  typedef enum logic [1:0] {
    S_IDLE,
    S_WLOAD,
    S_STREAM
  } state_t;

  state_t           state;
  logic   [ TW-1:0] step;
  logic   [MLW-1:0] m_q;
  logic   [KLW-1:0] k_q;
  logic             acc_q;
  logic             done_q;
  logic             clear, w_shift, mac_en;
  logic   [ TW-1:0] last_stream_step;

  assign clear = (state == S_IDLE) && start;
  assign w_shift = (state == S_WLOAD);
  assign mac_en = (state == S_STREAM);
  // M + ROWS + COLS - 3: the step in which the bottom PE of the last column finishes C[M-1][COLS-1].
  assign last_stream_step = TW'(m_q) + TW'(ROWS + COLS - 3);

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      state  <= S_IDLE;
      step   <= '0;
      m_q    <= '0;
      k_q    <= '0;
      acc_q  <= 1'b0;
      done_q <= 1'b0;
    end else begin
      unique case (state)
        S_IDLE:
        if (start) begin
          state  <= S_WLOAD;
          step   <= '0;
          m_q    <= m_len;
          k_q    <= k_len;
          acc_q  <= accumulate;
          done_q <= 1'b0;
        end
        S_WLOAD: begin
          step <= step + 1'b1;
          if (step == TW'(ROWS - 1)) begin
            state <= S_STREAM;
            step  <= '0;
          end
        end
        S_STREAM: begin
          step <= step + 1'b1;
          if (step == last_stream_step) begin
            state  <= S_IDLE;
            done_q <= 1'b1;
          end
        end
        default: state <= S_IDLE;
      endcase
    end
  end

  assign busy = (state != S_IDLE);
  assign done = done_q;

  // ---------------------------------------------------------------- array fabric
  logic [OPW-1:0] a_h   [ROWS][COLS+1];  // a_h[i][j]: activation entering PE(i,j) from the left
  logic [OPW-1:0] w_v   [ROWS+1][COLS];  // w_v[i][j]: weight entering PE(i,j) from above
  logic [   31:0] p_v   [ROWS+1][COLS];  // p_v[i][j]: partial sum entering PE(i,j) from above
  logic [   31:0] p_next[ROWS][COLS];  // PE(i,j)'s partial sum after this step's MAC

  // Rows i >= K hold zero weights (+0) and get the activation A_PAD: 0 for int8; for bf16 -0, so
  // the product is -0 and leaves every partial sum bit-exact (x + (-0) = x for every x, -0 and NaN
  // included; a +0 product would turn a -0 sum into +0).
  localparam logic [OPW-1:0] A_PAD = (BF16 != 0) ? {1'b1, {(OPW - 1) {1'b0}}} : '0;

  logic [LW-1:0] ld_lane;
  logic [WW-1:0] ld_word;
  assign ld_lane = ld_addr[LW+WW-1:WW];
  assign ld_word = ld_addr[WW-1:0];

  // Activation feeder of row i: element m = step - i of lane i while 0 <= m < M and i < K. Before
  // the lane's turn (step < i) m wraps to at least 2^TW - ROWS > MMAX, so one compare does.
  for (genvar i = 0; i < ROWS; i++) begin : g_a_lane
    logic [63:0] mem[MMAX/EPW];
    logic [TW-1:0] m;
    logic [63:0] word;
    always_ff @(posedge clk) if (ld_en && ld_lane == LW'(i)) mem[ld_word] <= ld_data;
    assign m = step - TW'(i);
    assign word = mem[m[WW+EW-1:EW]];
    assign a_h[i][0] = (mac_en && m < TW'(m_q) && KLW'(i) < k_q) ? word[{m[EW-1:0], {(6 - EW) {1'b0}}}+:OPW] : A_PAD;
  end

  // Weight feeder of column j: in weight-load step s, row r = ROWS-1-s of the lane (0 for r >= K).
  for (genvar j = 0; j < COLS; j++) begin : g_w_lane
    logic [63:0] mem[MMAX/EPW];
    logic [TW-1:0] r;
    logic [63:0] word;
    always_ff @(posedge clk) if (ld_en && ld_lane == LW'(ROWS + j)) mem[ld_word] <= ld_data;
    assign r = TW'(ROWS - 1) - step;
    assign word = mem[r[WW+EW-1:EW]];
    assign w_v[0][j] = (w_shift && r < TW'(k_q)) ? word[{r[EW-1:0], {(6 - EW) {1'b0}}}+:OPW] : '0;
  end

  for (genvar i = 0; i < ROWS; i++) begin : g_row
    for (genvar j = 0; j < COLS; j++) begin : g_col
      systolic_pe_ws #(
          .BF16(BF16)
      ) u_pe (
          .clk      (clk),
          .rst_n    (rst_n),
          .clear    (clear),
          .w_shift  (w_shift),
          .mac_en   (mac_en),
          .w_in     (w_v[i][j]),
          .a_in     (a_h[i][j]),
          .psum_in  (p_v[i][j]),
          .w_out    (w_v[i+1][j]),
          .a_out    (a_h[i][j+1]),
          .psum_out (p_v[i+1][j]),
          .psum_next(p_next[i][j])
      );
    end
  end

  // ---------------------------------------------------------------- result buffer and read port
  // Column j's bottom PE finishes row m = step - (ROWS-1) - j into the buffer. Row m_top = step - j
  // enters the top of the column with the buffer's previous sum (accumulate) or zero (+0). Negative
  // rows wrap to at least 2^TW - ROWS - COLS > MMAX; the two rows of a step differ by ROWS-1 >= 1.
  logic [MW-1:0] rd_m;
  logic [PW-1:0] rd_p;
  assign rd_m = rd_addr[MW+PW-1:PW];
  assign rd_p = rd_addr[PW-1:0];
  logic [31:0] rd_col[2<<PW];  // columns, padded with zeros to a power of two

  for (genvar j = 0; j < COLS; j++) begin : g_res_col
    logic [31:0] mem[MMAX];
    logic [TW-1:0] m, m_top;
    assign m = step - TW'(ROWS - 1 + j);
    assign m_top = step - TW'(j);
    always_ff @(posedge clk) begin
      if (mac_en && m < TW'(m_q)) mem[m[MW-1:0]] <= p_next[ROWS-1][j];
    end
    assign p_v[0][j] = (mac_en && acc_q && m_top < TW'(m_q)) ? mem[m_top[MW-1:0]] : '0;
    assign rd_col[j] = mem[rd_m];
  end
  for (genvar j = COLS; j < (2 << PW); j++) begin : g_res_pad
    assign rd_col[j] = '0;
  end

  always_ff @(posedge clk) begin
    if (!rst_n) rd_data <= '0;
    else if (rd_en) rd_data <= {rd_col[{rd_p, 1'b1}], rd_col[{rd_p, 1'b0}]};
  end

  // The last column's activation outputs, the bottom row's weight outputs and registered partial
  // sums, and the inner rows' next sums leave the array unused.
  logic unused_edges;
  always_comb begin
    unused_edges = 1'b0;
    for (int i = 0; i < ROWS; i++) unused_edges = unused_edges ^ (^a_h[i][COLS]);
    for (int j = 0; j < COLS; j++) unused_edges = unused_edges ^ (^w_v[ROWS][j]) ^ (^p_v[ROWS][j]);
    for (int i = 0; i < ROWS - 1; i++)
      for (int j = 0; j < COLS; j++) unused_edges = unused_edges ^ (^p_next[i][j]);
  end
endmodule
