import CatalogStore
import Expressions
import Foundation

extension TableColumn {
    /// The value a row gets when neither the statement nor the load gives this column: its DEFAULT,
    /// NULL when nullable, otherwise an error. AUTO_INCREMENT values are handed out by the caller.
    public func defaultValue(now: Date = Date()) throws(ConversionError) -> Value {
        switch defaultValue {
        case .value(let v)?: return .string(v)
        case .currentTimestamp?: return .string(DateTimeText.format(now))
        case .expression(let e)? where e.lowercased().contains("uuid_numeric"):
            return .decimal(String(UInt64.random(in: 1...UInt64.max)))
        case .expression(let e)? where e.lowercased().contains("uuid"):
            return .string(UUID().uuidString.lowercased())
        case .expression(let e)?: throw ConversionError("unsupported default expression \(e)")
        case .null?: return .null
        case nil:
            if nullable { return .null }
            throw ConversionError("Field '\(name)' doesn't have a default value")
        }
    }
}
