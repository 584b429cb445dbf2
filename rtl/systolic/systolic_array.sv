// ROWS x COLS output-stationary systolic array with operand buffers, a result buffer and a
// controller that runs one tile: C[ROWS][COLS] = A[ROWS][K] * B[K][COLS], int8 in and int32 out,
// or with BF16 = 1 bf16 in and fp32 out (mac_bf16.sv; only the operand packing differs below).
//
// Every port is at most 64 bits wide (Verilator maps wider ports to slow sc_bv<N>), so operands
// arrive through an indexed load port and results leave through an indexed read port; inside,
// the buffers feed the array and take its drained results at full width. See docs/systolic.md.
//
// Load port: ld_data carries E = 8 consecutive K elements of one lane (E = 4 for bf16), element k
//   in bits [W*(k%E) +: W] (W = 64/E); lanes 0..ROWS-1 are the rows of A, lanes
//   ROWS..ROWS+COLS-1 the columns of B; ld_addr = lane * (KMAX/E) + k/E. One word per cycle
//   while ld_en is high.
// Tile: start is sampled while idle. That edge clears the accumulators and operand registers
//   (unless accumulate is high: a later K chunk adds to the sums in place) and latches k_len
//   (1..KMAX) and keep. Then K+ROWS+COLS-2 stream cycles (A row i and B column j enter
//   skewed by i and j cycles) and ROWS drain cycles (the accumulators shift down one row per
//   cycle into the result buffer). busy is high from the clear edge to the last drain edge; done
//   rises with the last drain edge and stays high until the next start. A tile therefore takes
//   1 + (K+ROWS+COLS-2) + ROWS = 2*ROWS + COLS + K - 1 rising edges, start edge included. With keep
//   high there is no drain (the sums stay for the next chunk): done rises with the last stream
//   edge, after 1 + (K+ROWS+COLS-2) edges. After a full stream every operand register that feeds a
//   PE holds padding again, so a chunk started with accumulate needs no clear.
// Read port: rd_data <= {C[r][2p+1], C[r][2p]} on the edge where rd_en is high, with
//   rd_addr = r * ceil(COLS/2) + p; the upper half is 0 past the last column. fp32 results are
//   their IEEE bit patterns.
module systolic_array #(
    parameter int ROWS = 4,
    parameter int COLS = 4,
    parameter int KMAX = 256,  // largest K of one tile: a power of two, at least 16
    parameter int BF16 = 0  // 0: int8 x int8 -> int32; 1: bf16 x bf16 -> fp32
) (
    input  logic                                                 clk,
    input  logic                                                 rst_n,
    input  logic                                                 ld_en,
    input  logic [$clog2(ROWS + COLS) + $clog2(KMAX / ((BF16 != 0) ? 4 : 8)) - 1:0] ld_addr,
    input  logic [                                         63:0] ld_data,
    input  logic                                                 start,
    input  logic [                           $clog2(KMAX + 1)-1:0] k_len,
    input  logic                                                 accumulate,
    input  logic                                                 keep,
    output logic                                                 busy,
    output logic                                                 done,
    input  logic                                                 rd_en,
    input  logic [              $clog2(ROWS * ((COLS + 1) / 2))-1:0] rd_addr,
    output logic [                                         63:0] rd_data
);
  localparam int EPW = (BF16 != 0) ? 4 : 8;  // operands per load word
  localparam int OPW = 64 / EPW;  // operand width
  localparam int EW = $clog2(EPW);  // element-in-word index bits
  localparam int WW = $clog2(KMAX / EPW);  // word-in-lane address bits
  localparam int LW = $clog2(ROWS + COLS);  // lane address bits
  localparam int KW = $clog2(KMAX + 1);
  localparam int TW = $clog2(KMAX + ROWS + COLS + 1);  // stream/drain step counter
  localparam int CPAIRS = (COLS + 1) / 2;  // result words per row

  if (ROWS < 2 || COLS < 2) begin : g_bad_shape
    $error("systolic_array: ROWS and COLS must be at least 2");
  end
  if (KMAX < 16 || (KMAX & (KMAX - 1)) != 0) begin : g_bad_kmax
    $error("systolic_array: KMAX must be a power of two, at least 16");
  end

  // ---------------------------------------------------------------- controller
  typedef enum logic [1:0] {
    S_IDLE,
    S_STREAM,
    S_DRAIN
  } state_t;

  state_t          state;
  logic   [TW-1:0] step;  // stream step t, or drain step d
  logic   [KW-1:0] k_q;
  logic            done_q, keep_q;
  logic            clear, mac_en, shift;
  logic   [TW-1:0] last_stream_step;

  assign clear  = (state == S_IDLE) && start && !accumulate;
  assign mac_en = (state == S_STREAM);
  assign shift  = (state == S_DRAIN);
  // K + ROWS + COLS - 3, the step in which PE(ROWS-1, COLS-1) does its last MAC.
  assign last_stream_step = TW'(k_q) + TW'(ROWS + COLS - 3);

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      state  <= S_IDLE;
      step   <= '0;
      k_q    <= '0;
      keep_q <= 1'b0;
      done_q <= 1'b0;
    end else begin
      unique case (state)
        S_IDLE:
        if (start) begin
          state  <= S_STREAM;
          step   <= '0;
          k_q    <= k_len;
          keep_q <= keep;
          done_q <= 1'b0;
        end
        S_STREAM: begin
          step <= step + 1'b1;
          if (step == last_stream_step) begin
            state  <= keep_q ? S_IDLE : S_DRAIN;
            done_q <= keep_q;
            step   <= '0;
          end
        end
        S_DRAIN: begin
          step <= step + 1'b1;
          if (step == TW'(ROWS - 1)) begin
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
  logic [OPW-1:0] a_h  [ROWS][COLS+1];  // a_h[i][j]: A operand entering PE(i,j) from the left
  logic [OPW-1:0] b_v  [ROWS+1][COLS];  // b_v[i][j]: B operand entering PE(i,j) from above
  logic [   31:0] acc_v[ROWS+1][COLS];  // acc_v[i+1][j]: accumulator of PE(i,j)

  // Outside 0 <= k < K the feeders present A_PAD x B_PAD, a product that leaves every accumulator
  // unchanged: 0 for int8; for bf16 (-0) x (+0) = -0, and x + (-0) = x for every x, -0 and NaN
  // included (a +0 product would turn a -0 sum into +0).
  localparam logic [OPW-1:0] A_PAD = (BF16 != 0) ? {1'b1, {(OPW - 1) {1'b0}}} : '0;
  localparam logic [OPW-1:0] B_PAD = '0;

  logic [LW-1:0] ld_lane;
  logic [WW-1:0] ld_word;
  assign ld_lane = ld_addr[LW+WW-1:WW];
  assign ld_word = ld_addr[WW-1:0];

  // Feeder for one lane: element k = step - lane of the lane's buffer while 0 <= k < K. Before the
  // lane's turn (step < lane) k wraps to at least 2^TW - ROWS - COLS > KMAX, so one compare does.
  for (genvar i = 0; i < ROWS; i++) begin : g_a_lane
    logic [63:0] mem[KMAX/EPW];
    logic [TW-1:0] k;
    logic [63:0] word;
    always_ff @(posedge clk) if (ld_en && ld_lane == LW'(i)) mem[ld_word] <= ld_data;
    assign k = step - TW'(i);
    assign word = mem[k[WW+EW-1:EW]];
    assign a_h[i][0] = (mac_en && k < TW'(k_q)) ? word[{k[EW-1:0], {(6 - EW) {1'b0}}}+:OPW] : A_PAD;
  end

  for (genvar j = 0; j < COLS; j++) begin : g_b_lane
    logic [63:0] mem[KMAX/EPW];
    logic [TW-1:0] k;
    logic [63:0] word;
    always_ff @(posedge clk) if (ld_en && ld_lane == LW'(ROWS + j)) mem[ld_word] <= ld_data;
    assign k = step - TW'(j);
    assign word = mem[k[WW+EW-1:EW]];
    assign b_v[0][j] = (mac_en && k < TW'(k_q)) ? word[{k[EW-1:0], {(6 - EW) {1'b0}}}+:OPW] : B_PAD;
    assign acc_v[0][j] = '0;  // zeros shift in from the top while draining
  end

  for (genvar i = 0; i < ROWS; i++) begin : g_row
    for (genvar j = 0; j < COLS; j++) begin : g_col
      systolic_pe #(
          .BF16(BF16)
      ) u_pe (
          .clk    (clk),
          .rst_n  (rst_n),
          .clear  (clear),
          .mac_en (mac_en),
          .shift  (shift),
          .a_in   (a_h[i][j]),
          .b_in   (b_v[i][j]),
          .acc_in (acc_v[i][j]),
          .a_out  (a_h[i][j+1]),
          .b_out  (b_v[i+1][j]),
          .acc_out(acc_v[i+1][j])
      );
    end
  end

  // ---------------------------------------------------------------- result buffer and read port
  // Drain step d moves result row ROWS-1-d out of the bottom PE row into the buffer.
  logic [63:0] res[ROWS*CPAIRS];
  for (genvar r = 0; r < ROWS; r++) begin : g_res_row
    for (genvar p = 0; p < CPAIRS; p++) begin : g_res_word
      logic [31:0] hi;
      if (2 * p + 1 < COLS) begin : g_hi
        assign hi = acc_v[ROWS][2*p+1];
      end else begin : g_hi_pad
        assign hi = '0;
      end
      always_ff @(posedge clk) begin
        if (shift && step == TW'(ROWS - 1 - r)) res[r*CPAIRS+p] <= {hi, acc_v[ROWS][2*p]};
      end
    end
  end

  always_ff @(posedge clk) begin
    if (!rst_n) rd_data <= '0;
    else if (rd_en) rd_data <= res[rd_addr];
  end

  // The last column's A outputs and the bottom row's B outputs leave the array unused.
  logic unused_edges;
  always_comb begin
    unused_edges = 1'b0;
    for (int i = 0; i < ROWS; i++) unused_edges = unused_edges ^ (^a_h[i][COLS]);
    for (int j = 0; j < COLS; j++) unused_edges = unused_edges ^ (^b_v[ROWS][j]);
  end
endmodule
