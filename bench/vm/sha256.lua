-- sha256: as sha256.vx, in pure Lua 5.4 (64-bit integers masked to 32 bits).
local K = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2}
local M = 0xffffffff
local function rotr(x, n) return ((x >> n) | (x << (32 - n))) & M end
local function sha256(msg)
  local h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19}
  local data = {}
  for i = 1, #msg do data[i] = msg[i] end
  local bit_len = #msg * 8
  data[#data + 1] = 0x80
  while #data % 64 ~= 56 do data[#data + 1] = 0 end
  for i = 0, 7 do data[#data + 1] = (bit_len >> (56 - 8 * i)) & 255 end
  local w = {}
  for chunk = 1, #data, 64 do
    for t = 0, 15 do
      local j = chunk + 4 * t
      w[t] = (data[j] << 24) | (data[j + 1] << 16) | (data[j + 2] << 8) | data[j + 3]
    end
    for t = 16, 63 do
      local s0 = rotr(w[t - 15], 7) ~ rotr(w[t - 15], 18) ~ (w[t - 15] >> 3)
      local s1 = rotr(w[t - 2], 17) ~ rotr(w[t - 2], 19) ~ (w[t - 2] >> 10)
      w[t] = (w[t - 16] + s0 + w[t - 7] + s1) & M
    end
    local a, b, c, d, e, f, g, hh = h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8]
    for t = 0, 63 do
      local s1 = rotr(e, 6) ~ rotr(e, 11) ~ rotr(e, 25)
      local ch = (e & f) ~ ((~e) & M & g)
      local t1 = (hh + s1 + ch + K[t + 1] + w[t]) & M
      local s0 = rotr(a, 2) ~ rotr(a, 13) ~ rotr(a, 22)
      local maj = (a & b) ~ (a & c) ~ (b & c)
      local t2 = (s0 + maj) & M
      hh, g, f, e, d, c, b, a = g, f, e, (d + t1) & M, c, b, a, (t1 + t2) & M
    end
    h[1] = (h[1] + a) & M; h[2] = (h[2] + b) & M; h[3] = (h[3] + c) & M; h[4] = (h[4] + d) & M
    h[5] = (h[5] + e) & M; h[6] = (h[6] + f) & M; h[7] = (h[7] + g) & M; h[8] = (h[8] + hh) & M
  end
  local out = {}
  for i = 1, 8 do out[i] = string.format("%08x", h[i]) end
  return table.concat(out)
end
print(sha256({97, 98, 99}))
local msg, x = {}, 1
for i = 1, 1000000 do
  x = (x * 1103515245 + 12345) % 2147483648
  msg[i] = (x >> 16) & 255
end
print(sha256(msg))
