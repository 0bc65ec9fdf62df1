#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// The cluster's programs fail as `StoreError.cluster`, like everything else here.
extension Subprocess {
    func runChecked() throws(StoreError) -> Outcome {
        do {
            return try run()
        } catch {
            throw StoreError(kind: .cluster, message: error.message)
        }
    }

    func startChecked(logFile: String) throws(StoreError) -> pid_t {
        do {
            return try start(logFile: logFile)
        } catch {
            throw StoreError(kind: .cluster, message: error.message)
        }
    }
}
