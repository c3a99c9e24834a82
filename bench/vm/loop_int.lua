local x, acc = 12345, 0
for i = 0, 30000000 - 1 do
  x = (x * 1103515245 + 12345) % 2147483648
  acc = (acc + x % 1000) % 1000000007
end
print(acc)
