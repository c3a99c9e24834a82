-- binary-trees (the Benchmarks Game, depth 16), as binary_trees.vx.
local function make(d)
  if d == 0 then return { {}, {} } end
  return { make(d - 1), make(d - 1) }
end
local function check(t)
  if t[1] then return 1 + check(t[1]) + check(t[2]) end
  return 0
end
local max_depth = 16
local stretch = max_depth + 1
print(string.format("stretch tree of depth %d\t check: %d", stretch, check(make(stretch))))
local long_lived = make(max_depth)
for d = 4, max_depth, 2 do
  local iters = 1 << (max_depth - d + 4)
  local sum = 0
  for _ = 1, iters do sum = sum + check(make(d)) end
  print(string.format("%d\t trees of depth %d\t check: %d", iters, d, sum))
end
print(string.format("long lived tree of depth %d\t check: %d", max_depth, check(long_lived)))
