// bf16 x bf16 -> fp32 multiply-accumulate in one combinational step: sum = acc + a * b.
//
// The product of two bf16 significands (8 bits each) is exact in 16 bits, so a * b is formed
// exactly and made an fp32 value (above the fp32 range: +-Inf; below 2^-126: +-0). The fp32
// addition then rounds once, to nearest, ties to even (guard, round and sticky bits).
// Deviations from IEEE 754 binary32 (docs/systolic.md, "bf16 path"):
//   - subnormal a, b and acc are read as zeros of their sign (denormals-are-zero);
//   - a product or a rounded sum below 2^-126 in magnitude becomes a zero of its sign
//     (flush-to-zero), so sum is never subnormal;
//   - every NaN result is the quiet NaN 0x7FC00000 (no payload propagation).
// Everything else is IEEE: Inf * 0 and Inf - Inf are NaN, overflow gives +-Inf, x + (-x) = +0,
// (-0) + (-0) = -0 and x + (-0) = x for every x.
module mac_bf16 (
    input  logic [15:0] a,
    input  logic [15:0] b,
    input  logic [31:0] acc,
    output logic [31:0] sum
);
  localparam logic [31:0] QNAN = 32'h7fc0_0000;

  // ---------------------------------------------------------------- operands
  logic a_s, b_s, c_s;
  logic [7:0] a_e, b_e, c_e;
  logic [6:0] a_f, b_f;
  logic [22:0] c_f;
  assign {a_s, a_e, a_f} = a;
  assign {b_s, b_e, b_f} = b;
  assign {c_s, c_e, c_f} = acc;

  logic a_zero, b_zero, c_zero, a_inf, b_inf, c_inf, a_nan, b_nan, c_nan;
  assign a_zero = (a_e == 8'd0);  // zero, or subnormal read as zero
  assign b_zero = (b_e == 8'd0);
  assign c_zero = (c_e == 8'd0);
  assign a_inf  = (a_e == 8'hff) && (a_f == '0);
  assign b_inf  = (b_e == 8'hff) && (b_f == '0);
  assign c_inf  = (c_e == 8'hff) && (c_f == '0);
  assign a_nan  = (a_e == 8'hff) && (a_f != '0);
  assign b_nan  = (b_e == 8'hff) && (b_f != '0);
  assign c_nan  = (c_e == 8'hff) && (c_f != '0);

  // ---------------------------------------------------------------- exact product as fp32
  logic p_s, p_nan, p_inf, p_zero;
  logic [15:0] p_sig;  // 1.a_f * 1.b_f in [1, 4), 14 fraction bits
  logic signed [9:0] p_exp;  // biased fp32 exponent of the normalised product
  logic [22:0] p_f;  // its fp32 fraction (the 15 product bits below the leading one, then zeros)

  assign p_s   = a_s ^ b_s;
  assign p_sig = {1'b1, a_f} * {1'b1, b_f};
  assign p_exp = $signed({2'b00, a_e}) + $signed({2'b00, b_e}) - 10'sd127 + $signed({9'd0, p_sig[15]});
  assign p_f   = p_sig[15] ? {p_sig[14:0], 8'd0} : {p_sig[13:0], 9'd0};
  assign p_nan = a_nan || b_nan || (a_inf && b_zero) || (b_inf && a_zero);
  assign p_inf = !p_nan && (a_inf || b_inf || (!a_zero && !b_zero && p_exp > 10'sd254));
  assign p_zero = !p_nan && !p_inf && (a_zero || b_zero || p_exp < 10'sd1);

  // ---------------------------------------------------------------- fp32 addition of two normals
  // |big| >= |small|; both significands carry the hidden one.
  logic swap;
  logic big_s;
  logic [7:0] big_e, small_e, d;
  logic [23:0] big_m, small_m;
  assign swap    = {p_exp[7:0], p_f} > {c_e, c_f};
  assign big_s   = swap ? p_s : c_s;
  assign big_e   = swap ? p_exp[7:0] : c_e;
  assign small_e = swap ? c_e : p_exp[7:0];
  assign big_m   = swap ? {1'b1, p_f} : {1'b1, c_f};
  assign small_m = swap ? {1'b1, c_f} : {1'b1, p_f};
  assign d       = big_e - small_e;

  // small_m and three guard bits shifted right by d (at most 31: from 27 on, only sticky is left);
  // the bits shifted out OR into the last bit (sticky).
  logic [4:0] d_c;
  logic [58:0] window;
  logic [27:0] big_x, small_x, s;
  assign d_c     = (d > 8'd31) ? 5'd31 : d[4:0];
  assign window  = {small_m, 3'b000, 32'd0} >> d_c;
  assign big_x   = {1'b0, big_m, 3'b000};
  assign small_x = {1'b0, window[58:33], window[32] | (|window[31:0])};
  assign s       = (c_s != p_s) ? big_x - small_x : big_x + small_x;

  // Normalise: a carry shifts right by one, a cancellation left by the leading zeros of s[26:0].
  logic [4:0] lz;
  always_comb begin
    lz = 5'd0;
    for (int i = 0; i <= 26; i++) if (s[i]) lz = 5'(26 - i);
  end

  logic [27:0] n;  // normalised: leading one at bit 26, then 23 fraction bits, guard, round|sticky
  logic signed [9:0] n_exp;
  always_comb begin
    if (s[27]) begin
      n     = {1'b0, s[27:2], s[1] | s[0]};
      n_exp = $signed({2'b00, big_e}) + 10'sd1;
    end else begin
      n     = s << lz;
      n_exp = $signed({2'b00, big_e}) - $signed({5'd0, lz});
    end
  end

  // Round to nearest, ties to even; a carry out of the significand bumps the exponent.
  logic round_up;
  logic [24:0] r_m;
  logic signed [9:0] r_exp;
  assign round_up = n[2] && (n[1] || n[0] || n[3]);
  assign r_m      = {1'b0, n[26:3]} + {24'd0, round_up};
  assign r_exp    = r_m[24] ? n_exp + 10'sd1 : n_exp;

  logic [31:0] add_res;
  always_comb begin
    if (s == '0) add_res = '0;  // exact cancellation: +0
    else if (r_exp > 10'sd254) add_res = {big_s, 8'hff, 23'd0};  // overflow
    else if (r_exp < 10'sd1) add_res = {big_s, 31'd0};  // flush to zero
    else add_res = {big_s, r_exp[7:0], r_m[24] ? 23'd0 : r_m[22:0]};
  end

  // ---------------------------------------------------------------- special cases first
  always_comb begin
    if (c_nan || p_nan || (c_inf && p_inf && c_s != p_s)) sum = QNAN;
    else if (c_inf) sum = {c_s, 8'hff, 23'd0};
    else if (p_inf) sum = {p_s, 8'hff, 23'd0};
    else if (c_zero && p_zero) sum = {c_s && p_s, 31'd0};
    else if (p_zero) sum = acc;
    else if (c_zero) sum = {p_s, p_exp[7:0], p_f};
    else sum = add_res;
  end

  // n[27] is always 0 (normalised), r_m[23] the hidden one.
  logic unused_bits;
  assign unused_bits = n[27] ^ r_m[23];
endmodule
