mac_bf16.sv
systolic_pe_ws.sv
systolic_array_ws.sv
