/// The python3 side of the corpus test. For each record (Swift pickle, Swift repr):
/// unpickles the Swift bytes, evaluates the Swift repr independently, compares the two
/// structurally (type for type, NaN equal to NaN, -0.0 distinct from 0.0, dict order), and
/// writes back: status, message, pickle.dumps(value, protocol=4), repr(value).
let corpusPythonScript = #"""
import sys, math, pickle, array, datetime, struct

def same(a, b):
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return len(a) == len(b) and all(same(k1, k2) and same(v1, v2)
                                        for (k1, v1), (k2, v2) in zip(a.items(), b.items()))
    if isinstance(a, BaseException):
        return same(a.args, b.args) and same(a.__dict__, b.__dict__)
    if isinstance(a, array.array):
        return a.typecode == b.typecode and a.tolist() == b.tolist()
    if isinstance(a, datetime.datetime):
        return a == b and a.fold == b.fold and a.tzinfo is None and b.tzinfo is None
    return a == b

namespace = {"datetime": datetime, "array": array.array, "inf": float("inf"), "nan": float("nan")}

def fields(data):
    i = 0
    while i < len(data):
        n = struct.unpack_from("<I", data, i)[0]
        i += 4
        yield data[i:i + n]
        i += n

def out(f, b):
    f.write(struct.pack("<I", len(b)))
    f.write(b)

data = open(sys.argv[1], "rb").read()
it = fields(data)
with open(sys.argv[2], "wb") as f:
    for swift_pickle in it:
        swift_repr = next(it).decode("utf-8")
        status, message, py_pickle, py_repr = b"ok", b"", b"", b""
        try:
            loaded = pickle.loads(swift_pickle)
            expected = eval(swift_repr, {"__builtins__": __builtins__}, namespace)
            if not same(loaded, expected):
                status, message = b"mismatch", ("loaded %r, repr gives %r" % (loaded, expected))[:400].encode()
            py_pickle = pickle.dumps(loaded, protocol=4)
            py_repr = repr(loaded).encode("utf-8")
        except Exception as e:
            status, message = b"error", repr(e)[:400].encode()
        out(f, status); out(f, message); out(f, py_pickle); out(f, py_repr)
"""#
