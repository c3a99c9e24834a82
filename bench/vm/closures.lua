-- closures: as closures.vx, with the same helpers written in Lua.
local function map(a, f) local r = {} for i = 1, #a do r[i] = f(a[i]) end return r end
local function filter(a, f) local r, n = {}, 0 for i = 1, #a do if f(a[i]) then n = n + 1; r[n] = a[i] end end return r end
local function fold(a, init, f) local acc = init for i = 1, #a do acc = f(acc, a[i]) end return acc end
local xs = {}
for i = 0, 199999 do xs[#xs + 1] = i % 1000 end
local total = 0
for round = 0, 99 do
  local k = round + 1
  local ys = filter(map(xs, function(x) return x * k end), function(x) return x % 3 == 0 end)
  total = total + fold(ys, 0, function(a, x) return a + x % 7 end)
end
print(total)
