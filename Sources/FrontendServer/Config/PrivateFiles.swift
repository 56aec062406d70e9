import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// meta_dir holds secrets (SASL/SSL passwords of routine loads and password hashes in the catalog and its WAL, the
/// cluster token, the TLS key), so the FE keeps it private: the directory is 0700, files are 0600, and the FE runs
/// with umask 077 so SQLite's journal and WAL files are born private too.
enum PrivateFiles {
    /// Makes every file the process creates from now on private to its user.
    static func restrictProcessUmask() { umask(0o077) }

    /// Creates `path` (and parents) as 0700, or tightens an existing directory to 0700. Throws a one-line error
    /// naming the path when it cannot be created or written; returns a warning when it stays open to others (a
    /// directory the FE's user does not own).
    @discardableResult
    static func prepareDirectory(_ path: String) throws -> String? {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw ServerError.config("meta_dir \(path) exists and is not a directory") }
        } else {
            do { try fm.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) } catch {
                throw ServerError.config("cannot create meta_dir \(path): \(reason(errno, fallback: error))")
            }
        }
        let tightened = chmod(path, 0o700) == 0
        guard access(path, R_OK | W_OK | X_OK) == 0 else {
            throw ServerError.config("meta_dir \(path) is not writable by this user: \(String(cString: strerror(errno)))")
        }
        var info = stat()
        if !tightened, stat(path, &info) == 0, info.st_mode & 0o077 != 0 {
            return "meta_dir \(path) is open to other users (mode \(String(info.st_mode & 0o777, radix: 8))) and could not be made 0700: "
                + "it holds passwords; restrict it"
        }
        return nil
    }

    /// Tightens existing files (catalog and WAL written by older versions, TLS key) to 0600.
    static func restrict(_ paths: [String]) {
        for p in paths where FileManager.default.fileExists(atPath: p) { _ = chmod(p, 0o600) }
    }

    /// Writes `data` to `path` as a 0600 file.
    static func write(_ data: Data, to path: String) throws {
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        guard chmod(path, 0o600) == 0 else { throw ServerError.config("cannot make \(path) private: \(String(cString: strerror(errno)))") }
    }

    private static func reason(_ code: Int32, fallback: any Error) -> String {
        code != 0 ? String(cString: strerror(code)) : "\(fallback)"
    }
}
