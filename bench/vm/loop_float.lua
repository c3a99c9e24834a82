local sum, sign = 0.0, 1.0
for k = 0, 30000000 - 1 do
  sum = sum + sign / (2.0 * k + 1.0)
  sign = -sign
end
print(string.format("%.17g", sum * 4.0))
