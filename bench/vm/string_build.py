# string_build: as string_build.vx.
lines = []
hits = 0
for i in range(200000):
    key = "k" + str(i % 1000)
    row = key + "="
    for j in range(8):
        row = row + str(i * j % 97) + ","
    rec = f"{key}:{i:>7}|{i / 8.0:.3f}"
    if "99" in rec:
        hits += 1
    lines.append(row + rec)
text = "\n".join(lines)
shouted = text.upper().replace("K", "key")
print(len(lines), len(text), len(shouted), hits)
