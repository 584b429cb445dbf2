mac_bf16.sv
systolic_pe_os_db.sv
systolic_array_os_db.sv
