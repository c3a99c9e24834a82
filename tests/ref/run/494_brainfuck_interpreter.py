from vx import println
def run(src, inp):
    code = [c for c in src if c in "+-<>[].,"]; jump = {}; st = []
    for i, c in enumerate(code):
        if c == "[": st.append(i)
        if c == "]": j = st.pop(); jump[i] = j; jump[j] = i
    t = [0] * 300; p = pc = steps = ip = 0; out = ""
    while pc < len(code):
        steps += 1; c = code[pc]
        if c == "+": t[p] = (t[p] + 1) % 256
        elif c == "-": t[p] = (t[p] - 1) % 256
        elif c == ">": p += 1
        elif c == "<": p -= 1
        elif c == ".": out += chr(t[p]) if t[p] == 10 or 32 <= t[p] < 127 else "?"
        elif c == ",":
            t[p] = ord(inp[ip]) if ip < len(inp) else 0; ip += ip < len(inp)
        elif c == "[":
            if t[p] == 0: pc = jump[pc]
        elif t[p] != 0: pc = jump[pc]
        pc += 1
    return out, steps
o, n = run("++++++++[>++++[>++>+++>+++>+<<<<-]>+>+>->>+[<]<-]>>.>---.+++++++..+++.>>.<-.<.+++.------.--------.>>+.>++.", "")
print(o, end=""); println("steps:", n)
println(run(",[>++++[<-------->-]<.,]", "vortex")[0])
println(*run("-[-]+++++[>+++++++++<-]>.", ""))
