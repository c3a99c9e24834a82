-- word_count: as word_count.vx.
local vocab = {}
for i = 0, 4999 do vocab[#vocab + 1] = "w" .. (i * 7919 % 100003) end
local parts = {}
local x = 12345
for _ = 1, 3000000 do
  x = (x * 1103515245 + 12345) % 2147483648
  parts[#parts + 1] = vocab[x % 5000 + 1]
end
local text = table.concat(parts, " ")
local counts, n = {}, 0
for w in string.gmatch(text, "[^ ]+") do
  local c = counts[w]
  if c then counts[w] = c + 1 else counts[w] = 1; n = n + 1 end
end
print(string.format("%d %d %d", n, counts[vocab[43]] or 0, #text))
