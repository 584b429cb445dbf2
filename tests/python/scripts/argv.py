import sys
print("argv:", sys.argv[1:])
