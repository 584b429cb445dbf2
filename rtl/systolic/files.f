mac_bf16.sv
systolic_pe.sv
systolic_array.sv
