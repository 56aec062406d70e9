import Foundation
import GRDB

/// Why the FE cannot start or serve: one line for the operator, naming the path, port or key at fault.
enum ServerError: Error, CustomStringConvertible {
    case socket(String)
    case config(String)

    var description: String {
        switch self { case .socket(let m), .config(let m): return m }
    }

    /// A library error as one readable line: SQLite's message rather than `SQLite error 14`, the POSIX reason
    /// rather than an NSCocoaErrorDomain dump.
    static func describe(_ error: any Error) -> String {
        if let e = error as? ServerError { return e.description }
        if let e = error as? DatabaseError {
            let text = e.message ?? "SQLite error \(e.resultCode.rawValue)"
            return e.resultCode == .SQLITE_CANTOPEN || e.resultCode == .SQLITE_READONLY || e.resultCode == .SQLITE_PERM
                ? "\(text) (is the directory writable by this user?)" : text
        }
        let ns = error as NSError
        if let posix = ns.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        if ns.domain == NSCocoaErrorDomain {
            switch ns.code {
            case CocoaError.fileWriteNoPermission.rawValue, CocoaError.fileReadNoPermission.rawValue: return "permission denied"
            case CocoaError.fileNoSuchFile.rawValue, CocoaError.fileReadNoSuchFile.rawValue: return "no such file or directory"
            case CocoaError.fileWriteOutOfSpace.rawValue: return "no space left on device"
            case CocoaError.fileWriteVolumeReadOnly.rawValue: return "read-only file system"
            default: return ns.localizedDescription
            }
        }
        return String("\(error)".prefix { $0 != "\n" })
    }
}
