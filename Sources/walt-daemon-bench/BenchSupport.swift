// Small pieces the daemon benchmark shares: a monotonic clock, percentiles, number
// formatting without Foundation, and failures that end the run (after cleanup).
#if canImport(Glibc)
import Glibc
#endif

enum Clock {
    /// Seconds on CLOCK_MONOTONIC.
    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Timings of one kind, in seconds.
struct Samples {
    private(set) var values: [Double] = []

    mutating func add(_ value: Double) { values.append(value) }

    var count: Int { values.count }
    var mean: Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }

    /// Nearest-rank percentile, `fraction` in 0...1.
    func percentile(_ fraction: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// `mean 1.23 p50 1.10 p99 4.56 max 7.89 ms`.
    var summaryMilliseconds: String {
        "mean \(Format.fixed(mean * 1000, 2)) p50 \(Format.fixed(percentile(0.5) * 1000, 2)) "
            + "p99 \(Format.fixed(percentile(0.99) * 1000, 2)) max \(Format.fixed(percentile(1) * 1000, 2)) ms"
    }
}

enum Format {
    /// `value` with `decimals` digits after the point.
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((abs(value) * scale).rounded())
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard decimals > 0 else { return sign + "\(scaled)" }
        let whole = scaled / Int(scale)
        var fraction = String(scaled % Int(scale))
        while fraction.count < decimals { fraction = "0" + fraction }
        return sign + "\(whole).\(fraction)"
    }

    /// `123,456`.
    static func grouped(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }
}
