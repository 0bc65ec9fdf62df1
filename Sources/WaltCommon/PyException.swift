/// An instance of a Python builtin exception, as the upstream server returns one for a
/// crashed API method (`builtins.<Name>` + REDUCE, sometimes + BUILD).
///
/// Only names of Python 3.11's builtin exception classes are accepted, so decoding one
/// never reaches code on the Python side that could do anything but store `args`.
public struct PyException: Equatable, Sendable {
    /// The class name in `builtins`, e.g. `"ValueError"`.
    public let typeName: String
    /// The exception's `args`.
    public var args: [PyValue]
    /// The `__dict__` state restored by pickle's BUILD (e.g. `{'name': ...}` for
    /// ImportError), nil when the pickle had none.
    public var state: PyValue?

    public init(_ typeName: String, args: [PyValue] = [], state: PyValue? = nil) throws(PyValueError) {
        guard Self.builtinNames.contains(typeName) else {
            throw .typeMismatch(expected: "builtin exception class", found: typeName)
        }
        self.typeName = typeName
        self.args = args
        self.state = state
    }

    /// Builtin exception classes of CPython 3.11 (`EnvironmentError` and `IOError` are
    /// aliases of `OSError` there).
    public static let builtinNames: Set<String> = [
        "ArithmeticError", "AssertionError", "AttributeError", "BaseException", "BaseExceptionGroup",
        "BlockingIOError", "BrokenPipeError", "BufferError", "BytesWarning", "ChildProcessError",
        "ConnectionAbortedError", "ConnectionError", "ConnectionRefusedError", "ConnectionResetError",
        "DeprecationWarning", "EOFError", "EncodingWarning", "EnvironmentError", "Exception",
        "ExceptionGroup", "FileExistsError", "FileNotFoundError", "FloatingPointError", "FutureWarning",
        "GeneratorExit", "IOError", "ImportError", "ImportWarning", "IndentationError", "IndexError",
        "InterruptedError", "IsADirectoryError", "KeyError", "KeyboardInterrupt", "LookupError",
        "MemoryError", "ModuleNotFoundError", "NameError", "NotADirectoryError", "NotImplementedError",
        "OSError", "OverflowError", "PendingDeprecationWarning", "PermissionError", "ProcessLookupError",
        "RecursionError", "ReferenceError", "ResourceWarning", "RuntimeError", "RuntimeWarning",
        "StopAsyncIteration", "StopIteration", "SyntaxError", "SyntaxWarning", "SystemError",
        "SystemExit", "TabError", "TimeoutError", "TypeError", "UnboundLocalError",
        "UnicodeDecodeError", "UnicodeEncodeError", "UnicodeError", "UnicodeTranslateError",
        "UnicodeWarning", "UserWarning", "ValueError", "Warning", "ZeroDivisionError",
    ]
}
