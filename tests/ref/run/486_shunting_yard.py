import re
from vx import println, tdiv, tmod
P = {"+": 1, "-": 1, "*": 2, "/": 2, "%": 2, "neg": 3, "^": 4}
def rpn(ts):
    out, ops, pv = [], [], False
    for t in ts:
        if t.isdigit(): out.append(t); pv = True; continue
        if t == "(": ops.append(t); pv = False; continue
        if t == ")":
            while True:
                if not ops: return None, "unbalanced )"
                o = ops.pop()
                if o == "(": break
                out.append(o)
            pv = True; continue
        op = "neg" if t == "-" and not pv else t
        if op not in P: return None, "unknown token " + t
        while ops and ops[-1] != "(":
            top = ops[-1]; right = op in ("^", "neg")
            if P[top] > P[op] or (P[top] == P[op] and not right): out.append(ops.pop())
            else: break
        ops.append(op); pv = False
    while ops:
        o = ops.pop()
        if o == "(": return None, "unbalanced ("
        out.append(o)
    return out, None
def ev(r):
    st = []
    for t in r:
        if t.isdigit(): st.append(int(t)); continue
        if t == "neg":
            if not st: return 'Err("missing operand")'
            st.append(-st.pop()); continue
        if len(st) < 2: return 'Err("missing operand")'
        b = st.pop(); a = st.pop()
        if t in "/%" and b == 0: return 'Err("division by zero")'
        st.append({"+": a + b, "-": a - b, "*": a * b, "/": tdiv(a, b) if b else 0, "%": tmod(a, b) if b else 0, "^": a ** b}[t])
    return "Ok(%d)" % st[0] if len(st) == 1 else 'Err("leftover values")'
for e in ["3 + 4 * 2", "(3 + 4) * 2", "2 ^ 3 ^ 2", "-2 ^ 2", "10 - 4 - 3", "100 / 7 % 4", "-(5 - 8) * -2", "((1))", "7 / (3 - 3)", "(1 + 2", "1 + 2)", "4 $ 4", "3 +"]:
    r, m = rpn(re.findall(r"\d+|\S", e))
    println("%-16s => %-28s = %s" % (e, " ".join(r), ev(r)) if r is not None else "%-16s => error: %s" % (e, m))
