/// Upstream's `re.sub("[^<kept>]+", "-", text)`: every run of characters outside the kept
/// set becomes one `-` (device names from DHCP, image names given to clone).
enum DashRuns {
    static func replacing(_ text: some StringProtocol, keeping kept: (Unicode.Scalar) -> Bool) -> String {
        var out = ""
        var inRun = false
        for scalar in text.unicodeScalars {
            if kept(scalar) {
                out.unicodeScalars.append(scalar)
                inRun = false
            } else if !inRun {
                out += "-"
                inRun = true
            }
        }
        return out
    }
}
