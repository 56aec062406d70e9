import CatalogStore
import SQLParser

/// Text forms of a table for SHOW CREATE TABLE and DESC, in StarRocks' layout (reference catalog_sql.md §2.6–2.7).
enum TableRendering {
    /// Properties SHOW CREATE TABLE prints when the user did not set them (shared-data defaults).
    static let defaultProperties: [String: String] = ["compression": "LZ4", "replication_num": "1"]

    static func createTable(_ table: TableInfo) -> String {
        let d = table.definition
        var lines: [String] = []
        for c in d.columns {
            var line = "  `\(c.name)` \(c.type.createTableName)"
            if let agg = c.aggregate { line += " \(agg.rawValue)" }
            line += c.nullable ? " NULL" : " NOT NULL"
            if c.autoIncrement { line += " AUTO_INCREMENT" }
            switch c.defaultValue {
            case .currentTimestamp?: line += " DEFAULT CURRENT_TIMESTAMP"
            case .expression(let e)?: line += " DEFAULT \(e)"
            case .value(let v)?: line += " DEFAULT \"\(escape(v))\""
            case .null?, nil: break
            }
            if !c.comment.isEmpty { line += " COMMENT \"\(escape(c.comment))\"" }
            lines.append(line)
        }
        var sql = "CREATE TABLE `\(table.name)` (\n" + lines.joined(separator: ",\n") + "\n) ENGINE=OLAP \n"
        sql += "\(d.keysType.keyword) KEY(\(d.keyColumns.map { "`\($0)`" }.joined(separator: ", ")))\n"
        sql += "COMMENT \"\(escape(d.comment ?? "OLAP"))\"\n"
        if let p = d.partitionClause { sql += p + "\n" }
        switch d.distribution {
        case .hash(let cols, let buckets):
            sql += "DISTRIBUTED BY HASH(\(cols.map { "`\($0)`" }.joined(separator: ", ")))" + (buckets.map { " BUCKETS \($0)" } ?? "") + "\n"
        case .random(let buckets):
            sql += "DISTRIBUTED BY RANDOM" + (buckets.map { " BUCKETS \($0)" } ?? "") + "\n"
        }
        if !d.orderBy.isEmpty { sql += "ORDER BY(\(d.orderBy.map { "`\($0)`" }.joined(separator: ", ")))\n" }
        var props = defaultProperties
        for p in d.properties { props[p.key] = p.value }
        sql += "PROPERTIES (\n" + props.keys.sorted().map { "\"\($0)\" = \"\(escape(props[$0]!))\"" }.joined(separator: ",\n") + "\n);"
        return sql
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            if c == "\"" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// The Default column of DESC / information_schema: the literal, CURRENT_TIMESTAMP, or nil for none.
    static func defaultText(_ d: ColumnDefault?) -> String? {
        switch d {
        case .value(let v)?: return v
        case .currentTimestamp?: return "CURRENT_TIMESTAMP"
        case .expression(let e)?: return e
        case .null?, nil: return nil
        }
    }
}
