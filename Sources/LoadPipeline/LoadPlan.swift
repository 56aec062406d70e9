import CatalogStore
import SQLParser
import TaskContract

/// How source records become table rows, resolved once per task from a ``LoadSpec``
/// (reference routine_load.md §7): which source fields exist (COLUMNS entries without an expression, in
/// order; the table's columns when COLUMNS is absent), where each table column's value comes from, the
/// parsed WHERE, and the JSON paths.
public struct LoadPlan: Sendable {
    /// Where a table column's value comes from.
    public enum Source: Equatable, Sendable {
        case field(Int)
        /// The i-th derived expression of ``derived``.
        case derived(Int)
        case absent
    }

    public let spec: LoadSpec
    /// Names of the source fields, in source order (CSV position, jsonpaths index).
    public let fieldNames: [String]
    public let sources: [Source]
    /// `name = expr` entries of COLUMNS, in order.
    public let derived: [(name: String, expr: Expr)]
    public let whereExpr: Expr?
    public let jsonPaths: [JSONPath]?
    public let jsonRoot: JSONPath?
    /// Where `__op` comes from, for PRIMARY KEY tables.
    public let opSource: Source
    /// A PRIMARY KEY partial update: the table columns the load sets (the others keep their stored values); nil when
    /// every column is set.
    public let updateColumns: [String]?
    public let csv: CSVReader
    /// The JSON fast path, when every wanted field is a distinct top-level key and there is no json_root.
    let scanner: JSONRowScanner?

    public init(_ spec: LoadSpec) throws(LoadError) {
        self.spec = spec
        let table = spec.tableColumns
        var fields: [String] = []
        var derived: [(String, Expr)] = []
        if let columns = spec.columns {
            for c in columns {
                if let text = c.expression {
                    do { derived.append((c.name, try Parser.parseExpression(text))) } catch {
                        throw LoadError("failed to parse the expression of column \(c.name): \(error)")
                    }
                } else {
                    fields.append(c.name)
                }
            }
        } else {
            fields = table.map(\.name)
        }
        func source(_ name: String) -> Source {
            if let d = derived.lastIndex(where: { $0.0.lowercased() == name.lowercased() }) { return .derived(d) }
            if let f = fields.firstIndex(where: { $0.lowercased() == name.lowercased() }) { return .field(f) }
            return .absent
        }
        fieldNames = fields
        self.derived = derived.map { (name: $0.0, expr: $0.1) }
        let sources = table.map { source($0.name) }
        self.sources = sources
        opSource = spec.keysType == .primary ? source("__op") : .absent
        if spec.partialUpdate, spec.keysType == .primary {
            if let missing = table.indices.first(where: { table[$0].isKey && sources[$0] == .absent }) {
                throw LoadError("partial update needs every key column in the load's columns; \(table[missing].name) is missing")
            }
            updateColumns = table.indices.filter { sources[$0] != .absent }.map { table[$0].name }
            if let m = spec.mergeCondition, let i = table.firstIndex(where: { $0.name.lowercased() == m.lowercased() }), sources[i] == .absent {
                throw LoadError("merge_condition column \(m) must be one of the columns a partial update loads")
            }
        } else {
            updateColumns = nil
        }
        if let w = spec.whereClause, !w.trimmed.isEmpty {
            do { whereExpr = try Parser.parseExpression(w) } catch { throw LoadError("failed to parse the WHERE of the load: \(error)") }
        } else {
            whereExpr = nil
        }
        if spec.format != .csv, !spec.jsonPaths.trimmed.isEmpty {
            guard case .array(let items)? = try? JSONParser.parse(spec.jsonPaths) else {
                throw LoadError("Invalid json path: \(spec.jsonPaths)")
            }
            var paths: [JSONPath] = []
            for item in items {
                guard case .string(let s) = item else { throw LoadError("Invalid json path: \(spec.jsonPaths)") }
                paths.append(try JSONPath(s))
            }
            jsonPaths = paths
        } else {
            jsonPaths = nil
        }
        jsonRoot = spec.format != .csv && !spec.jsonRoot.trimmed.isEmpty ? try JSONPath(spec.jsonRoot) : nil
        scanner = Self.scanner(fieldNames: fields, paths: jsonPaths, root: jsonRoot, format: spec.format)
        csv = CSVReader(separator: spec.columnSeparator, delimiter: spec.rowDelimiter, enclose: spec.enclose,
                        escape: spec.escape, trimSpace: spec.trimSpace)
    }

    private static func scanner(fieldNames: [String], paths: [JSONPath]?, root: JSONPath?, format: LoadFormat) -> JSONRowScanner? {
        guard format == .json, root == nil else { return nil }
        var keys: [String]
        if let paths {
            keys = []
            for path in paths.prefix(fieldNames.count) {
                guard path.steps.count == 1, case .key(let k) = path.steps[0] else { return nil }
                keys.append(k)
            }
        } else {
            keys = fieldNames
        }
        guard Set(keys).count == keys.count else { return nil }
        return JSONRowScanner(keys: keys, width: fieldNames.count)
    }
}
