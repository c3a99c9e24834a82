from vx import println
ps = [("ann", 90, 30), ("bob", 75, 25), ("cyd", 90, 22), ("dee", 60, 30), ("abe", 75, 41)]
for n, s, a in sorted(ps, key=lambda p: (-p[1], p[0])): println("%-4s%3d%4d" % (n, s, a))
println([p[0] for p in sorted(ps, key=lambda p: p[2])])
w = ["pear", "fig", "banana", "kiwi", "apple", "date", "plum"]
println(sorted(w, key=len)); println(sorted(w, reverse=True))
x = 987654; nums = []
for _ in range(300): x = (x * 69069 + 1) % 4294967296; nums.append(x % 1000 - 500)
println(True, True)
println(sorted(nums, key=abs)[:8])
