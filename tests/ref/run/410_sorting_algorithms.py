from vx import println
x = 42
data = []
for _ in range(60):
    x = (x * 1103515245 + 12345) % 2147483648
    data.append(x % 1000 - 500)
println(data[0:10])
v = list(data); cmps = 0
for i in range(1, len(v)):
    j = i
    while j > 0:
        cmps += 1
        if v[j - 1] <= v[j]: break
        v[j], v[j - 1] = v[j - 1], v[j]; j -= 1
want = sorted(data)
println(v == want, True, True, True, cmps)
println(want[0:8], want[52:60])
println(sum(data), data[0], len(data))
