# The stack VM of 451_stack_vm.vx in Python, running the programs quoted in that file.
import re
src = open("tests/run/451_stack_vm.vx").read()
progs = {m.group(1): m.group(2).encode().decode("unicode_escape") for m in re.finditer(r'let (\w+) = "([^"]*)"', src)}
def asm(s):
    labels = {}; lines = []
    for raw in s.split("\n"):
        l = raw.strip()
        if not l or l.startswith("#"): continue
        if l.endswith(":"): labels[l[:-1]] = len(lines); continue
        lines.append(l.split(" "))
    code = []
    for i, w in enumerate(lines):
        if w[0] in ("jz", "jmp", "call"):
            if w[1] not in labels: return None, "line %d: unknown label %s" % (i, w[1])
            code.append((w[0], labels[w[1]]))
        elif w[0] == "push": code.append(("push", int(w[1])))
        elif w[0] in "add sub mul mod dup swap over drop ret print halt".split(): code.append((w[0], None))
        else: return None, "unknown instruction `%s`" % w[0]
    return code, None
def run(code):
    st, calls, out, pc, steps = [], [], [], 0, 0
    def pop():
        if not st: raise ValueError("stack underflow")
        return st.pop()
    try:
        while pc < len(code):
            steps += 1; op, a = code[pc]; pc += 1
            if op == "push": st.append(a)
            elif op in ("add", "sub", "mul", "mod"):
                y = pop(); x = pop(); st.append({"add": x + y, "sub": x - y, "mul": x * y, "mod": x % y}[op])
            elif op == "dup": x = pop(); st += [x, x]
            elif op == "swap": y = pop(); x = pop(); st += [y, x]
            elif op == "over": y = pop(); x = pop(); st += [x, y, x]
            elif op == "drop": pop()
            elif op == "jz":
                if pop() == 0: pc = a
            elif op == "jmp": pc = a
            elif op == "call": calls.append(pc); pc = a
            elif op == "ret":
                if not calls: return 'Err("return outside a call")'
                pc = calls.pop()
            elif op == "print": out.append(pop())
            elif op == "halt": break
    except ValueError as e: return 'Err("%s")' % e
    print("  (", steps, "steps, stack", st, ")")
    return "Ok(%s)" % out
for name, label in [("fact", "fact:"), ("gcd", "gcd:"), ("squares", "squares then their sum:")]:
    c, e = asm(progs[name]); r = run(c); print(label, r)
for s in ["push 1\njmp nowhere", "push 1\nfrobnicate"]: print('Err("%s")' % asm(s)[1])
for s in ["push 1\nadd", "ret"]: print(run(asm(s)[0]))
