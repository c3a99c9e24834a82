import re
from vx import println
cases = [("abc", "xxabcxx"), ("^abc", "xxabc"), ("^abc", "abcdef"), ("c$", "abc"), ("c$", "abcd"),
         ("a.c", "abc"), ("a.c", "ac"), ("ab*c", "ac"), ("ab*c", "abbbbc"), ("ab+c", "ac"), ("ab+c", "abbc"),
         ("colou?r", "color"), ("colou?r", "colour"), ("colou?r", "colouur"), ("^.*$", ""), ("^a*$", "aaab"),
         (".*x.*", "no"), ("^[", "["), ("é+", "café"), ("^h.l+o w", "hello world")]
for p, s in cases:
    q = p.replace("[", "\\[")          # `[` is a literal in the small matcher
    println("%-10s %-12s %s" % (p, '"' + s + '"', "true" if re.search(q.replace("$", "\\Z") if q.endswith("$") else q, s) else "false"))
