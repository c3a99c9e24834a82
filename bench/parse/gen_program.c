/* gen_program.c - write a large, realistic program for the parse benchmark.
 *
 *   gen_program vx|lua|py LINES > FILE
 *
 * The program is a sequence of "modules", each with the same pieces in all
 * three languages: a struct (Lua table / Python class) with a constructor
 * and methods, an enum (tagged tables / small classes), a function that
 * matches on it (if/elseif in Lua, `match` in Python), a simulation loop
 * with closures, tensor arithmetic (`@`, `.*`, `./`, `**`), gcd with
 * `loop`/`while`, statistics over an array, a binary search, a string
 * classifier and a training loop.  Each module differs in its names and
 * constants.  The output has exactly LINES lines: after the last whole
 * module, short constant definitions fill the rest.
 *
 * Vortex output must parse with zero diagnostics (bench_parse checks). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *buf;
static size_t blen, bcap;

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(buf + blen, bcap - blen, fmt, ap);
        va_end(ap);
        if (n < 0) { perror("vsnprintf"); exit(1); }
        if ((size_t)n < bcap - blen) { blen += (size_t)n; return; }
        bcap = bcap ? bcap * 2 : 1 << 16;
        while (bcap - blen <= (size_t)n) bcap *= 2;
        buf = realloc(buf, bcap);
        if (!buf) { perror("realloc"); exit(1); }
    }
}

static long count_lines(const char *s, size_t n)
{
    long c = 0;
    for (size_t i = 0; i < n; i++) c += s[i] == '\n';
    return c;
}

/* ---- Vortex ---------------------------------------------------------------- */

static void vx_module(int k)
{
    int a = k % 97 + 3, b = k % 13 + 2, c = k % 7 + 1;
    out("// ---- module %d: particles, events, tensors ----\n", k);
    out("struct Particle%d {\n    pos: Tensor<f32, [3]>\n    vel: Tensor<f32, [3]>\n    mass: f64\n    id: i64\n}\n\n", k);
    out("enum Event%d {\n    Spawn(i64)\n    Move { dx: f64, dy: f64 }\n    Collide(i64, i64)\n    Quit\n}\n\n", k);
    out("trait Body%d {\n    fn energy(&self) -> f64\n    fn step(&mut self, dt: f64)\n}\n\n", k);
    out("impl Particle%d {\n    fn new(id: i64, mass: f64) -> Particle%d {\n"
        "        Particle%d { pos: zeros([3]), vel: ones([3]), mass: mass, id }\n    }\n}\n\n", k, k, k);
    out("impl Body%d for Particle%d {\n", k, k);
    out("    fn energy(&self) -> f64 {\n        let v = self.vel.norm()\n        0.5 * self.mass * v * v\n    }\n\n");
    out("    fn step(&mut self, dt: f64) {\n        self.pos = self.pos + self.vel * dt\n"
        "        if self.mass > %d.0 {\n            self.vel = self.vel * 0.99\n"
        "        } else if self.mass < 1.0 {\n            self.vel = self.vel * 1.01\n"
        "        } else {\n            self.vel = self.vel * 0.95\n        }\n    }\n}\n\n", b);
    out("fn handle%d(e: Event%d, count: i64) -> i64 {\n    match e {\n"
        "        Event%d::Spawn(n) => count + n,\n"
        "        Event%d::Move { dx, dy } => count + (dx * dy) as i64,\n"
        "        Event%d::Collide(a, b) if a == b => count,\n"
        "        Event%d::Collide(a, b) => count + a - b * %d,\n"
        "        Event%d::Quit => 0,\n    }\n}\n\n", k, k, k, k, k, k, c, k);
    out("fn simulate%d(n: i64, steps: i64) -> f64 {\n    var ps: Vec<Particle%d> = Vec::new()\n"
        "    for i in 0..n {\n        ps.push(Particle%d::new(i, (i %% %d) as f64 + 1.5))\n    }\n"
        "    var total = 0.0\n    var t = 0\n    while t < steps {\n"
        "        for p in ps.iter_mut() {\n            p.step(0.01)\n        }\n"
        "        total += ps.iter().map(|p| p.energy()).sum()\n        t += 1\n    }\n"
        "    let scale = |x: f64| -> f64 { x * %d.0 + 1.0 }\n    scale(total / (n as f64))\n}\n\n", k, k, k, c, b);
    out("@inline\nfn layer%d(x: Tensor<f32, [B, 64]>, w: Tensor<f32, [64, 32]>, b: Tensor<f32, [32]>) -> Tensor<f32, [B, 32]> {\n"
        "    let h = x @ w + b\n    let g = h .* sigmoid(h) ./ (h ** 2 + %d.0)\n    return relu(g)\n}\n\n", k, c);
    out("kernel saxpy%d(a: f32, x: Tensor<f32, [N]>, y: Tensor<f32, [N]>) -> Tensor<f32, [N]> {\n"
        "    a .* x + y\n}\n\n", k);
    out("fn gcd%d(a: i64, b: i64) -> i64 {\n    var x = a\n    var y = b\n    loop {\n"
        "        if y == 0 { break }\n        let r = x %% y\n        x = y\n        y = r\n    }\n    x\n}\n\n", k);
    out("fn stats%d(xs: [f64]) -> (f64, f64) {\n    var sum = 0.0\n    var sq = 0.0\n"
        "    for x in xs {\n        sum += x\n        sq += x * x\n    }\n"
        "    let n = xs.len() as f64\n    let mean = sum / n\n    (mean, sq / n - mean * mean)\n}\n\n", k);
    out("fn classify%d(code: i64) -> String {\n    let label = match code {\n        0 => \"zero\",\n"
        "        1 | 2 | 3 => \"small\",\n        n if n < 0 => \"negative\",\n        _ => \"large\",\n    }\n"
        "    let parts = [label, \"code %d\", \"done\"]\n    let joined = parts.join(\", \")\n"
        "    format(\"{}: {}\", joined, code)\n}\n\n", k, k);
    out("fn search%d(xs: [i64], target: i64) -> i64 {\n    var lo = 0\n    var hi = xs.len() as i64 - 1\n"
        "    while lo <= hi {\n        let mid = (lo + hi) / 2\n        if xs[mid] == target {\n"
        "            return mid\n        } else if xs[mid] < target {\n            lo = mid + 1\n"
        "        } else {\n            hi = mid - 1\n        }\n    }\n    -1\n}\n\n", k);
    out("fn train%d(model: &mut Model, data: [Batch], lr: f64 = 0.001, epochs: i64 = %d) -> f64 {\n"
        "    var loss = 0.0\n    for epoch in 0..epochs {\n        for batch in data {\n"
        "            let pred = model.forward(batch.x)\n            let l = mse(pred, batch.y)\n"
        "            l.backward()\n            no_grad {\n                model.update(lr = lr)\n            }\n"
        "            loss = l.item()\n        }\n        if epoch %% %d == 0 {\n"
        "            println(format(\"epoch {} loss {}\", epoch, loss))\n        }\n    }\n    loss\n}\n\n",
        k, a, b);
}

static void vx_pad(int i) { out("const PAD%d: i64 = %d\n", i, i * 7 % 1000); }

/* ---- Lua 5.4 ----------------------------------------------------------------- */

static void lua_module(int k)
{
    int a = k % 97 + 3, b = k % 13 + 2, c = k % 7 + 1;
    out("-- ---- module %d: particles, events, tensors ----\n", k);
    out("Particle%d = {}\nParticle%d.__index = Particle%d\n\n", k, k, k);
    out("Event%d = {\n    Spawn = function(n) return { tag = \"Spawn\", n = n } end,\n"
        "    Move = function(dx, dy) return { tag = \"Move\", dx = dx, dy = dy } end,\n"
        "    Collide = function(a, b) return { tag = \"Collide\", a = a, b = b } end,\n"
        "    Quit = { tag = \"Quit\" },\n}\n\n", k);
    out("function Particle%d.new(id, mass)\n"
        "    local self = { pos = zeros({3}), vel = ones({3}), mass = mass, id = id }\n"
        "    return setmetatable(self, Particle%d)\nend\n\n", k, k);
    out("function Particle%d:energy()\n    local v = self.vel:norm()\n    return 0.5 * self.mass * v * v\nend\n\n", k);
    out("function Particle%d:step(dt)\n    self.pos = self.pos + self.vel * dt\n"
        "    if self.mass > %d.0 then\n        self.vel = self.vel * 0.99\n"
        "    elseif self.mass < 1.0 then\n        self.vel = self.vel * 1.01\n"
        "    else\n        self.vel = self.vel * 0.95\n    end\nend\n\n", k, b);
    out("function handle%d(e, count)\n    local tag = e.tag\n"
        "    if tag == \"Spawn\" then\n        return count + e.n\n"
        "    elseif tag == \"Move\" then\n        return count + math.floor(e.dx * e.dy)\n"
        "    elseif tag == \"Collide\" and e.a == e.b then\n        return count\n"
        "    elseif tag == \"Collide\" then\n        return count + e.a - e.b * %d\n"
        "    else\n        return 0\n    end\nend\n\n", k, c);
    out("function simulate%d(n, steps)\n    local ps = {}\n    for i = 0, n - 1 do\n"
        "        ps[#ps + 1] = Particle%d.new(i, (i %% %d) + 1.5)\n    end\n"
        "    local total = 0.0\n    local t = 0\n    while t < steps do\n"
        "        for _, p in ipairs(ps) do\n            p:step(0.01)\n        end\n"
        "        total = total + sum(map(ps, function(p) return p:energy() end))\n        t = t + 1\n    end\n"
        "    local scale = function(x) return x * %d.0 + 1.0 end\n    return scale(total / n)\nend\n\n", k, k, c, b);
    out("function layer%d(x, w, b)\n    local h = matmul(x, w) + b\n"
        "    local g = emul(h, sigmoid(h)) / (h ^ 2 + %d.0)\n    return relu(g)\nend\n\n", k, c);
    out("function saxpy%d(a, x, y)\n    return emul(a, x) + y\nend\n\n", k);
    out("function gcd%d(a, b)\n    local x = a\n    local y = b\n    while true do\n"
        "        if y == 0 then break end\n        local r = x %% y\n        x = y\n        y = r\n    end\n"
        "    return x\nend\n\n", k);
    out("function stats%d(xs)\n    local sum = 0.0\n    local sq = 0.0\n"
        "    for _, x in ipairs(xs) do\n        sum = sum + x\n        sq = sq + x * x\n    end\n"
        "    local n = #xs\n    local mean = sum / n\n    return mean, sq / n - mean * mean\nend\n\n", k);
    out("function classify%d(code)\n    local label\n    if code == 0 then\n        label = \"zero\"\n"
        "    elseif code == 1 or code == 2 or code == 3 then\n        label = \"small\"\n"
        "    elseif code < 0 then\n        label = \"negative\"\n    else\n        label = \"large\"\n    end\n"
        "    local parts = { label, \"code %d\", \"done\" }\n    local joined = table.concat(parts, \", \")\n"
        "    return string.format(\"%%s: %%d\", joined, code)\nend\n\n", k, k);
    out("function search%d(xs, target)\n    local lo = 1\n    local hi = #xs\n"
        "    while lo <= hi do\n        local mid = (lo + hi) // 2\n        if xs[mid] == target then\n"
        "            return mid\n        elseif xs[mid] < target then\n            lo = mid + 1\n"
        "        else\n            hi = mid - 1\n        end\n    end\n    return -1\nend\n\n", k);
    out("function train%d(model, data, lr, epochs)\n    lr = lr or 0.001\n    epochs = epochs or %d\n"
        "    local loss = 0.0\n    for epoch = 0, epochs - 1 do\n        for _, batch in ipairs(data) do\n"
        "            local pred = model:forward(batch.x)\n            local l = mse(pred, batch.y)\n"
        "            l:backward()\n            no_grad(function()\n                model:update(lr)\n            end)\n"
        "            loss = l:item()\n        end\n        if epoch %% %d == 0 then\n"
        "            print(string.format(\"epoch %%d loss %%f\", epoch, loss))\n        end\n    end\n    return loss\nend\n\n",
        k, a, b);
}

static void lua_pad(int i) { out("PAD%d = %d\n", i, i * 7 % 1000); }

/* ---- Python 3 ------------------------------------------------------------------ */

static void py_module(int k)
{
    int a = k % 97 + 3, b = k % 13 + 2, c = k % 7 + 1;
    out("# ---- module %d: particles, events, tensors ----\n", k);
    out("class Particle%d:\n    __slots__ = (\"pos\", \"vel\", \"mass\", \"id\")\n\n"
        "    def __init__(self, id: int, mass: float) -> None:\n        self.pos = zeros([3])\n"
        "        self.vel = ones([3])\n        self.mass = mass\n        self.id = id\n\n", k);
    out("    def energy(self) -> float:\n        v = self.vel.norm()\n        return 0.5 * self.mass * v * v\n\n");
    out("    def step(self, dt: float) -> None:\n        self.pos = self.pos + self.vel * dt\n"
        "        if self.mass > %d.0:\n            self.vel = self.vel * 0.99\n"
        "        elif self.mass < 1.0:\n            self.vel = self.vel * 1.01\n"
        "        else:\n            self.vel = self.vel * 0.95\n\n\n", b);
    out("class Spawn%d:\n    __match_args__ = (\"n\",)\n\n    def __init__(self, n: int) -> None:\n        self.n = n\n\n\n", k);
    out("class Move%d:\n    def __init__(self, dx: float, dy: float) -> None:\n        self.dx = dx\n        self.dy = dy\n\n\n", k);
    out("class Collide%d:\n    __match_args__ = (\"a\", \"b\")\n\n    def __init__(self, a: int, b: int) -> None:\n"
        "        self.a = a\n        self.b = b\n\n\n", k);
    out("def handle%d(e, count: int) -> int:\n    match e:\n"
        "        case Spawn%d(n):\n            return count + n\n"
        "        case Move%d(dx=dx, dy=dy):\n            return count + int(dx * dy)\n"
        "        case Collide%d(a, b) if a == b:\n            return count\n"
        "        case Collide%d(a, b):\n            return count + a - b * %d\n"
        "        case _:\n            return 0\n\n\n", k, k, k, k, k, c);
    out("def simulate%d(n: int, steps: int) -> float:\n    ps: list[Particle%d] = []\n"
        "    for i in range(n):\n        ps.append(Particle%d(i, float(i %% %d) + 1.5))\n"
        "    total = 0.0\n    t = 0\n    while t < steps:\n"
        "        for p in ps:\n            p.step(0.01)\n"
        "        total += sum(map(lambda p: p.energy(), ps))\n        t += 1\n"
        "    scale = lambda x: x * %d.0 + 1.0\n    return scale(total / float(n))\n\n\n", k, k, k, c, b);
    out("@inline\ndef layer%d(x: Tensor, w: Tensor, b: Tensor) -> Tensor:\n    h = x @ w + b\n"
        "    g = h * sigmoid(h) / (h ** 2 + %d.0)\n    return relu(g)\n\n\n", k, c);
    out("def saxpy%d(a: float, x: Tensor, y: Tensor) -> Tensor:\n    return a * x + y\n\n\n", k);
    out("def gcd%d(a: int, b: int) -> int:\n    x = a\n    y = b\n    while True:\n"
        "        if y == 0:\n            break\n        r = x %% y\n        x = y\n        y = r\n    return x\n\n\n", k);
    out("def stats%d(xs: list[float]) -> tuple[float, float]:\n    sum_ = 0.0\n    sq = 0.0\n"
        "    for x in xs:\n        sum_ += x\n        sq += x * x\n"
        "    n = float(len(xs))\n    mean = sum_ / n\n    return (mean, sq / n - mean * mean)\n\n\n", k);
    out("def classify%d(code: int) -> str:\n    match code:\n        case 0:\n            label = \"zero\"\n"
        "        case 1 | 2 | 3:\n            label = \"small\"\n        case n if n < 0:\n            label = \"negative\"\n"
        "        case _:\n            label = \"large\"\n"
        "    parts = [label, \"code %d\", \"done\"]\n    joined = \", \".join(parts)\n"
        "    return \"{}: {}\".format(joined, code)\n\n\n", k, k);
    out("def search%d(xs: list[int], target: int) -> int:\n    lo = 0\n    hi = len(xs) - 1\n"
        "    while lo <= hi:\n        mid = (lo + hi) // 2\n        if xs[mid] == target:\n"
        "            return mid\n        elif xs[mid] < target:\n            lo = mid + 1\n"
        "        else:\n            hi = mid - 1\n    return -1\n\n\n", k);
    out("def train%d(model: Model, data: list[Batch], lr: float = 0.001, epochs: int = %d) -> float:\n"
        "    loss = 0.0\n    for epoch in range(epochs):\n        for batch in data:\n"
        "            pred = model.forward(batch.x)\n            l = mse(pred, batch.y)\n"
        "            l.backward()\n            with no_grad():\n                model.update(lr=lr)\n"
        "            loss = l.item()\n        if epoch %% %d == 0:\n"
        "            print(\"epoch {} loss {}\".format(epoch, loss))\n    return loss\n\n\n", k, a, b);
}

static void py_pad(int i) { out("PAD%d = %d\n", i, i * 7 % 1000); }

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: gen_program vx|lua|py LINES > FILE\n");
        return 2;
    }
    void (*module)(int);
    void (*pad)(int);
    if (strcmp(argv[1], "vx") == 0) { module = vx_module; pad = vx_pad; }
    else if (strcmp(argv[1], "lua") == 0) { module = lua_module; pad = lua_pad; }
    else if (strcmp(argv[1], "py") == 0) { module = py_module; pad = py_pad; }
    else { fprintf(stderr, "gen_program: unknown language `%s` (vx, lua or py)\n", argv[1]); return 2; }
    long target = strtol(argv[2], NULL, 10);
    if (target < 1) { fprintf(stderr, "gen_program: LINES must be positive\n"); return 2; }

    long lines = 0;
    for (int k = 1;; k++) {
        size_t mark = blen;
        module(k);
        long n = count_lines(buf + mark, blen - mark);
        if (lines + n > target) { blen = mark; break; }
        lines += n;
    }
    for (int i = 1; lines < target; i++, lines++) pad(i);
    if (fwrite(buf, 1, blen, stdout) != blen || fflush(stdout) != 0) { perror("gen_program: write"); return 1; }
    free(buf);
    return 0;
}
