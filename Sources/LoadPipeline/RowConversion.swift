import CatalogStore
import Expressions
import Foundation

/// The one conversion of a value into a table column, shared by INSERT and routine loads: the column's default when
/// the statement or load does not give it, the column's type, strict mode, NOT NULL.
extension TableColumn {
    /// `raw` (nil: not given, so the column's default) converted to the column's type. In strict mode a value that does
    /// not convert is an error; otherwise it becomes NULL, which a NOT NULL column refuses. Errors name the column.
    public func converted(_ raw: Value?, strict: Bool, now: Date = Date()) throws(ConversionError) -> Value {
        let given: Value
        if let raw { given = raw } else { given = try defaultValue(now: now) }
        var value = Value.null
        do { value = try given.converted(to: type) } catch {
            if strict { throw ConversionError("column '\(name)': \(error.message)") }
        }
        if value == .null, !nullable {
            throw ConversionError(given == .null ? "NULL value in non-nullable column '\(name)'"
                                                 : "column '\(name)': '\(given.text ?? "")' cannot be converted to \(type.describeName) and the column is NOT NULL")
        }
        return value
    }

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
