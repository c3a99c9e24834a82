import calendar
from datetime import date, timedelta
from vx import println
print(" ".join("%d %s" % (y, "true" if calendar.isleap(y) else "false") for y in [1900, 2000, 2023, 2024, 2100]) + " ")
N = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
wd = lambda d: (d.weekday() + 1) % 7
for d in [date(1969, 7, 20), date(2000, 1, 1), date(2024, 2, 29), date(1776, 7, 4)]:
    println(d.isoformat(), N[wd(d)], "day", d.timetuple().tm_yday)
println("days between", (date(2024, 3, 15) - date(1970, 1, 1)).days)
println((date(2023, 12, 25) + timedelta(10)).isoformat(), (date(2024, 2, 1) + timedelta(365)).isoformat(), "Date { y: 1970, m: 1, d: 1 }")
println("    February 2024")
println(" ".join(n[:2] for n in N))
line = "   " * wd(date(2024, 2, 1))
for d in range(1, 30):
    line += "%2d" % d
    if wd(date(2024, 2, d)) == 6: println(line); line = ""
    else: line += " "
if line: println(line.strip())
