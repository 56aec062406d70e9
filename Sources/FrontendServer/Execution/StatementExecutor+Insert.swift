import CatalogStore
import Expressions
import Foundation
import LoadPipeline
import SQLParser
import Storage

/// INSERT INTO ... VALUES / SELECT through the one write path every load uses: convert rows to the
/// table's types (strict mode), write a segment, commit it as the table's next version, and bring the
/// table cache up to date so the next SELECT on any connection sees the rows.
extension StatementExecutor {
    func insert(_ statement: Insert) throws(SQLError) -> StatementResult {
        try require("INSERT", table: statement.table.name, in: try databaseFor(statement.table))
        let table = try userTable(statement.table)
        let columns = table.definition.columns
        let targets = try targetColumns(statement.columns, table: table)
        let source = try sourceRows(statement.source, width: targets.count)
        guard !source.isEmpty else { return .ok(affectedRows: 0, info: "") }

        var autoIncrement: Int64?
        if let auto = columns.firstIndex(where: \.autoIncrement) {
            let given = targets.firstIndex(of: auto)
            let needed = source.filter { given == nil || $0[given!] == .null }.count
            if needed > 0 { autoIncrement = try catalog { try server.catalog.reserveAutoIncrement(tableID: table.id, count: Int64(needed)) } }
        }
        var rows: [[Value]] = []
        rows.reserveCapacity(source.count)
        var filtered = 0
        var firstError: String?
        for (r, values) in source.enumerated() {
            var row = [Value](repeating: .null, count: columns.count)
            var given = [Bool](repeating: false, count: columns.count)
            for (i, target) in targets.enumerated() { row[target] = values[i]; given[target] = true }
            do throws(ConversionError) {
                for (c, column) in columns.enumerated() {
                    var raw: Value? = given[c] ? row[c] : nil
                    if column.autoIncrement, raw == nil || raw == .null, let next = autoIncrement {
                        raw = .int(next)
                        autoIncrement = next + 1
                    }
                    do throws(ConversionError) { row[c] = try column.converted(raw, strict: true) } catch {
                        throw ConversionError("row \(r + 1)\(error.message.hasPrefix("column ") ? " " : ": ")\(error.message)")
                    }
                }
                rows.append(row)
            } catch {
                filtered += 1
                if firstError == nil { firstError = error.message }
            }
        }
        if let firstError {
            throw SQLError(1064, "HY000", "Insert has filtered data in strict mode. Filtered rows: \(filtered). First error: \(firstError)")
        }
        let label = statement.label ?? "insert_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let txn = try commit(rows, into: table, label: label)
        return .ok(affectedRows: UInt64(rows.count), info: "{'label':'\(label)', 'status':'VISIBLE', 'txnId':'\(txn)'}")
    }

    /// Writes the rows as one segment and makes it visible; aborts and cleans up on any failure.
    private func commit(_ rows: [[Value]], into table: TableInfo, label: String) throws(SQLError) -> Int64 {
        let volume = server.volume
        let (txn, segment) = try catalog {
            try server.catalog.beginTransaction(tableID: table.id, label: label) {
                volume.segmentPath(databaseID: table.databaseID, tableID: table.id, txnID: $0)
            }
        }
        do {
            let columns = table.definition.columns.map { Relation.Column($0.name, $0.type, nullable: $0.nullable) }
            try Segment.write(to: volume.absolute(segment), columns: columns, rows: rows)
            try server.segments.publish(segment)
            try server.catalog.commitTransaction(txn, rowCount: Int64(rows.count))
        } catch {
            try? server.catalog.abortTransaction(txn, reason: "\(error)")
            server.segments.remove(segment)
            throw SQLError(1105, "HY000", "Insert failed and was rolled back: \(error)")
        }
        try? server.cache.catchUp(table, catalog: server.catalog)
        return txn
    }

    private func targetColumns(_ names: [String]?, table: TableInfo) throws(SQLError) -> [Int] {
        let columns = table.definition.columns
        guard let names else { return Array(columns.indices) }
        var out: [Int] = []
        for n in names {
            guard let i = columns.firstIndex(where: { $0.name.lowercased() == n.lowercased() }) else {
                throw SQLError(5509, "42S22", "Unknown column '\(n)' in '\(table.name)'")
            }
            guard !out.contains(i) else { throw SQLError(1110, "42000", "Column '\(columns[i].name)' specified twice") }
            out.append(i)
        }
        return out
    }

    /// The rows to insert, each with one value per target column.
    private func sourceRows(_ source: Insert.Source, width: Int) throws(SQLError) -> [[Value]] {
        switch source {
        case .values(let rows):
            var out: [[Value]] = []
            out.reserveCapacity(rows.count)
            for exprs in rows {
                guard exprs.count == width else { throw SQLError.analysis("Column count doesn't match value count") }
                if exprs.allSatisfy({ if case .literal = $0 { return true }; return false }) {
                    out.append(exprs.map { if case .literal(let l) = $0 { return Value(l) }; return .null })
                } else {
                    var select = Select()
                    select.items = exprs.enumerated().map { SelectItem(expr: $0.element, alias: "c\($0.offset)", text: "c\($0.offset)") }
                    out.append(try runSelect(select).rows.first ?? [])
                }
            }
            return out
        case .select(let select):
            let result = try runSelect(select)
            guard result.columns.count == width else {
                throw SQLError(5604, "42000", "Inserted target column count: \(width) doesn't match select/value column count: \(result.columns.count)")
            }
            return result.rows
        }
    }

}
