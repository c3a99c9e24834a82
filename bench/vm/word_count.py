# word_count: as word_count.vx.
vocab = [f"w{i * 7919 % 100003}" for i in range(5000)]
parts = []
x = 12345
for _ in range(3000000):
    x = (x * 1103515245 + 12345) % 2147483648
    parts.append(vocab[x % 5000])
text = " ".join(parts)
counts = {}
for w in text.split(" "):
    counts[w] = counts.get(w, 0) + 1
print(len(counts), counts.get(vocab[42], 0), len(text))
