x, acc = 12345, 0
for i in range(30000000):
    x = (x * 1103515245 + 12345) % 2147483648
    acc = (acc + x % 1000) % 1000000007
print(acc)
