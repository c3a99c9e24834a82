import base64
from vx import println
for s in ["", "f", "fo", "foo", "foob", "fooba", "foobar", "Man is distinguished", "{~Vortex~}"]:
    println("%22s %-30s true" % ('"' + s + '"', base64.b64encode(s.encode()).decode()))
