from vx import println
ramp = " .:-=+*#%@"; w, h, lim = 60, 24, 60; inside = 0
def esc(cr, ci):
    zr = zi = 0.0
    for i in range(lim):
        if zr * zr + zi * zi > 4.0: return i
        zr, zi = zr * zr - zi * zi + cr, zr * zi + zi * zr + ci
    return lim
for r in range(h):
    line = ""
    for c in range(w):
        n = esc(-2.2 + 3.0 * c / w, -1.2 + 2.4 * r / h)
        if n == lim: inside += 1; line += "@"
        else: line += ramp[n * 9 // lim]
    println(line)
println("inside %d cells, area ~ %.4f" % (inside, inside * (3.0 / w) * (2.4 / h)))
