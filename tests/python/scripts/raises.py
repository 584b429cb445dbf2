def inner():
    raise ValueError("a bad value from the script")


inner()
