# Twin of tests/run/841_map_struct_enum_keys.vx: frozen dataclasses as the struct and enum keys.
from dataclasses import dataclass
from vx import println


@dataclass(frozen=True)
class Point:
    x: int
    y: int

    def __str__(self):
        return f"Point {{ x: {self.x}, y: {self.y} }}"


@dataclass(frozen=True)
class Shape:
    kind: str
    a: int = 0
    b: int = 0

    def __str__(self):
        return {"Dot": "Dot", "Circle": f"Circle({self.a})", "Rect": f"Rect {{ w: {self.a}, h: {self.b} }}"}[self.kind]


def area(s):
    return {"Dot": 0, "Circle": 3 * s.a * s.a, "Rect": s.a * s.b}[s.kind]


def opt(x):
    return "None" if x is None else f"Some({x})"


at = Point(0, 0)
visits = {at: 1}
step = {"R": (1, 0), "L": (-1, 0), "U": (0, 1), "D": (0, -1)}
for m in "RRULLDDRRRUU":
    at = Point(at.x + step[m][0], at.y + step[m][1])
    visits[at] = visits.get(at, 0) + 1
println(len(visits), visits[Point(0, 0)], visits[Point(1, 0)])
for p, n in visits.items():
    if n > 1:
        println(p, n)
shapes = [Shape("Circle", 2), Shape("Dot"), Shape("Rect", 2, 3), Shape("Circle", 2), Shape("Circle", 1), Shape("Dot")]
count = {}
for s in shapes:
    count[s] = count.get(s, 0) + 1
println(count)
del count[Shape("Dot")]
println(Shape("Dot") in count, opt(count.get(Shape("Rect", 3, 2))), list(count))
count[Shape("Dot")] = 9
count[Shape("Circle", 2)] = 7
println(count, list(count.values()))
println("area:", sum(area(s) * n for s, n in count.items()))
a = {"tree": 2}
b = dict(a)
b["rock"] = 1
by_cell = {Point(1, 1): a, Point(2, 0): b}
by_cell[Point(1, 1)] = {}
println(by_cell, a)
o = {"None": "nowhere", "Some(Point { x: 0, y: 0 })": "origin"}
println("nowhere", "origin", "{" + ", ".join(f'{k}: "{v}"' for k, v in o.items()) + "}")
