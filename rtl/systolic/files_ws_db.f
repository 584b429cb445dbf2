mac_bf16.sv
systolic_pe_ws_db.sv
systolic_array_ws_db.sv
