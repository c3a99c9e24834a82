s, sign = 0.0, 1.0
for k in range(30000000):
    s += sign / (2.0 * k + 1.0)
    sign = -sign
print(repr(s * 4.0))
