-- string_build: as string_build.vx.
local lines = {}
local hits = 0
for i = 0, 199999 do
  local key = "k" .. tostring(i % 1000)
  local row = key .. "="
  for j = 0, 7 do row = row .. tostring(i * j % 97) .. "," end
  local rec = string.format("%s:%7d|%.3f", key, i, i / 8.0)
  if string.find(rec, "99", 1, true) then hits = hits + 1 end
  lines[#lines + 1] = row .. rec
end
local text = table.concat(lines, "\n")
local shouted = string.gsub(string.upper(text), "K", "key")
print(string.format("%d %d %d %d", #lines, #text, #shouted, hits))
