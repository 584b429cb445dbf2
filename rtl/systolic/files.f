systolic_pe.sv
systolic_array.sv
