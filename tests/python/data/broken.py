def f(p):
    return (1 +

