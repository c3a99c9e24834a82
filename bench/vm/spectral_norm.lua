local function a(i, j) local ij = i + j return 1.0 / (ij * (ij + 1) // 2 + i + 1) end
local function mul_av(v, n) local out = {} for i = 0, n - 1 do local s = 0.0 for j = 0, n - 1 do s = s + a(i, j) * v[j] end out[i] = s end return out end
local function mul_atv(v, n) local out = {} for i = 0, n - 1 do local s = 0.0 for j = 0, n - 1 do s = s + a(j, i) * v[j] end out[i] = s end return out end
local function mul_atav(v, n) return mul_atv(mul_av(v, n), n) end
local n = 400
local u, v = {}, {}
for i = 0, n - 1 do u[i] = 1.0 end
for k = 1, 10 do v = mul_atav(u, n); u = mul_atav(v, n) end
local vbv, vv = 0.0, 0.0
for i = 0, n - 1 do vbv = vbv + u[i] * v[i]; vv = vv + v[i] * v[i] end
print(string.format("%.9f", math.sqrt(vbv / vv)))
