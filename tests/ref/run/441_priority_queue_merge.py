import heapq
from vx import println
println("max-heap order:", sorted([5, 1, 9, 3, 7, 9, 2, 8], reverse=True))
t = sorted([(3, "write tests"), (1, "fix build"), (2, "review"), (1, "coffee")])
println(len(t), "tasks")
for p, s in t: println(" ", p, s)
x = 12345; xs = []
for _ in range(50):
    x = (x * 1103515245 + 12345) % 2147483648; xs.append(x % 1000)
println("5 smallest:", sorted(xs)[:5])
println("merged:", list(heapq.merge([1, 4, 9, 16], [2, 3, 5, 7, 11, 13], [0, 10, 20], [], [6])))
