// Reference block for the area flow (rtl/synth/synth_area.py): a bare signed 8 x 8 -> 16 multiplier,
// the arithmetic core of the int8 PE, synthesised alone so its gate count can be compared with the
// textbook array multiplier (n^2 AND gates, n(n-2) full adders, n half adders; docs/rtl_area.md).
module synth_mult8 (
    input  logic signed [ 7:0] a,
    input  logic signed [ 7:0] b,
    output logic signed [15:0] p
);
  assign p = a * b;
endmodule
