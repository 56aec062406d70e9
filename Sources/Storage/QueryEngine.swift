import Expressions
import Foundation
import GRDB
import GRDBSQLite
import SQLParser

/// Runs SELECT statements: translates them with ``SelectTranslator``, loads the relations they read
/// into an in-memory SQLite database as temporary tables, executes, and types the result.
/// Catalog tables are read from the ``TableCache`` file, attached read-only as `cache`.
/// One engine per connection; not thread-safe (a connection runs one statement at a time).
public final class QueryEngine {
    private let db: DatabaseQueue
    private let context: ContextBox
    /// This connection's recent statements over catalog tables, translated and prepared.
    private var translations = TranslationCache()
    /// How many statements the engine keeps now, and how many runs used a kept one.
    var keptTranslations: Int { translations.count }
    var translationHits: Int { translations.hits }
    /// Interrupts, times out and bounds this engine's statements (``QueryControl``).
    public let control: QueryControl
    /// Longest string or blob SQLite may build or read.
    static let maxValueBytes: Int32 = 64 << 20

    /// The session time zone seen by date/time functions.
    public var timeZone: TimeZone {
        get { context.value.timeZone }
        set { context.value.timeZone = newValue }
    }

    /// Mutable function context shared with the SQLite function closures of this engine's connection.
    private final class ContextBox: @unchecked Sendable { var value = FunctionContext() }

    /// - Parameter cachePath: the table cache to attach; nil for an engine over materialized relations only.
    public init(cachePath: String? = nil) throws {
        let context = ContextBox()
        self.context = context
        let control = QueryControl()
        self.control = control
        var config = Configuration()
        config.label = "tributary.query"
        // Many sessions may attach the WAL cache at the same moment; wait instead of failing with SQLITE_BUSY.
        config.busyMode = .timeout(10)
        config.prepareDatabase { [weak control] db in                  // weak: the queue must not keep its engine's control alive
            NumericCollation.register(on: db)
            // No string or blob over 64 MB (randomblob, zeroblob, replace ...): SQLite refuses it with "string or blob
            // too big" instead of allocating it within one step the progress handler cannot interrupt.
            sqlite3_limit(db.sqliteConnection, SQLITE_LIMIT_LENGTH, Self.maxValueBytes)
            // Every 4,096 VM steps SQLite asks whether to go on: KILL QUERY, query_timeout and the memory budget stop it.
            if let control {
                sqlite3_progress_handler(db.sqliteConnection, 4096, { raw in
                    guard let raw else { return 0 }
                    return Unmanaged<QueryControl>.fromOpaque(raw).takeUnretainedValue().stop == nil ? 0 : 1
                }, Unmanaged.passUnretained(control).toOpaque())
            }
            if let cachePath {
                try db.execute(sql: "ATTACH DATABASE ? AS cache", arguments: [cachePath])
                try db.execute(sql: "PRAGMA cache.mmap_size = \(TableCache.mmapSize)")
            }
            db.add(function: DatabaseFunction("regexp", argumentCount: 2, pure: true) { values in
                guard let pattern = String.fromDatabaseValue(values[0].databaseValue),
                      let subject = String.fromDatabaseValue(values[1].databaseValue) else { return nil }
                guard let re = try? NSRegularExpression(pattern: pattern) else { return false }
                return re.firstMatch(in: subject, range: NSRange(subject.startIndex..., in: subject)) != nil
            })
            for f in FunctionLibrary.functions.values {
                let counts: [Int?] = f.arity.count <= 4 ? f.arity.map { $0 } : [nil]
                for count in counts {
                    db.add(function: DatabaseFunction(f.sqliteName, argumentCount: count, pure: false) { values in
                        f.evaluate(values.map { Self.value($0, as: .null) }, context.value).databaseValue
                    })
                }
            }
            // XOR and ^ as functions: written out in SQL they would repeat their operands, doubling the text per level.
            db.add(function: DatabaseFunction("tr_xor", argumentCount: 2, pure: true) { values in
                let (a, b) = (Self.value(values[0].databaseValue, as: .null), Self.value(values[1].databaseValue, as: .null))
                guard !a.isNull, !b.isNull else { return nil }
                return ((a.number ?? 0) != 0) != ((b.number ?? 0) != 0)
            })
            db.add(function: DatabaseFunction("tr_bitxor", argumentCount: 2, pure: true) { values in
                let (a, b) = (Self.value(values[0].databaseValue, as: .null), Self.value(values[1].databaseValue, as: .null))
                guard !a.isNull, !b.isNull else { return nil }
                return (a.integer ?? 0) ^ (b.integer ?? 0)
            })
            db.add(function: DatabaseFunction("concat_ws", argumentCount: -1, pure: true) { values in
                guard let sep = String.fromDatabaseValue(values[0].databaseValue) else { return nil }
                return values.dropFirst().compactMap { String.fromDatabaseValue($0.databaseValue) }.joined(separator: sep)
            })
        }
        let queue = try DatabaseQueue(configuration: config)
        db = queue
        control.setWake { [weak queue] in queue?.interrupt() }
    }

    /// Executes `select`, reading tables through `provider`.
    public func run(_ select: Select, provider: any RelationProvider) throws(QueryError) -> ResultSet {
        if let constant = Self.constantResult(select) { return constant }
        let kept = translations.entry(for: select, provider: provider)
        let translated: SelectTranslator.Translated, relations: [String: Relation]
        var lookups: [(name: QualifiedName, relation: Relation)] = []
        if let kept {
            (translated, relations) = (kept.translated, [:])
        } else {
            let recorder = RecordingProvider(provider)
            var translator = SelectTranslator(provider: recorder)
            translated = try translator.translate(select)
            relations = translator.relations
            lookups = recorder.lookups
        }
        do {
            return try db.inDatabase { db in
                // Statements over cached tables only are kept (with their prepared statement) once they ran; those
                // over temporary tables are not, since the tables are recreated for every query.
                guard !relations.isEmpty else {
                    let statement = try kept?.statement ?? db.makeStatement(sql: translated.sql)
                    let result = try Self.fetch(translated, statement: statement, control: control)
                    if kept == nil, TranslationCache.keeps(translated, lookups: lookups) {
                        translations.keep(TranslationCache.Entry(lookups: lookups, translated: translated, statement: statement), for: select)
                    }
                    return result
                }
                defer { for name in relations.keys { try? db.execute(sql: "DROP TABLE IF EXISTS temp.\"\(name)\"") } }
                for (name, relation) in relations { try Self.load(relation, as: name, into: db, control: control) }
                return try Self.fetch(translated, statement: db.makeStatement(sql: translated.sql), control: control)
            }
        } catch let stop as QueryControl.Stop {
            throw .stopped(stop)
        } catch let error as DatabaseError {
            if error.resultCode == .SQLITE_INTERRUPT { throw .stopped(control.stop ?? .interrupted) }
            if error.message?.contains("stack overflow") == true || error.message?.contains("too deep") == true
                || error.message?.contains("too large") == true {
                throw .execution("The statement is nested too deeply")
            }
            throw .execution(error.message ?? "\(error)")
        } catch {
            throw .execution("\(error)")
        }
    }

    /// Rows of `result` that satisfy `condition` (SHOW ... WHERE), optionally sorted and limited.
    public func filter(_ result: ResultSet, where condition: Expr?, orderBy: [OrderItem] = [], limit: Limit? = nil) throws(QueryError) -> ResultSet {
        let relation = Relation(schema: "", name: "show", columns: result.columns.map { Relation.Column($0.name, $0.type) }, rows: result.rows)
        var select = Select()
        select.items = [SelectItem(expr: .star(qualifier: nil), alias: nil, text: "*")]
        select.from = [.table(QualifiedName(["show"]), alias: nil)]
        select.whereClause = condition
        select.orderBy = orderBy
        select.limit = limit
        var filtered = try run(select, provider: SingleRelation(relation: relation))
        filtered.columns = result.columns
        return filtered
    }

    private struct SingleRelation: RelationProvider {
        let relation: Relation
        func relation(_ name: QualifiedName) throws(QueryError) -> Relation {
            guard name.parts.count == 1, name.name.lowercased() == relation.name else { throw .unknownTable(name.name) }
            return relation
        }
    }

    private static func load(_ relation: Relation, as name: String, into db: Database, control: QueryControl) throws {
        let cols = relation.columns.map { c -> String in
            // An untyped (.null) column has no affinity: values keep the storage class they were given.
            let affinity = c.type == .null ? "" : SelectTranslator.columnDeclaration(c.type)
            let collation = relation.caseInsensitive && affinity == "TEXT" ? " COLLATE NOCASE" : ""
            return "\"\(c.name.replacingAll("\"", with: "\"\""))\" \(affinity)\(collation)"
        }
        try db.execute(sql: "CREATE TEMP TABLE \"\(name)\" (\(cols.joined(separator: ", ")))")
        guard !relation.rows.isEmpty else { return }
        let marks = Array(repeating: "?", count: relation.columns.count).joined(separator: ", ")
        let statement = try db.makeStatement(sql: "INSERT INTO temp.\"\(name)\" VALUES (\(marks))")
        for (i, row) in relation.rows.enumerated() {
            control.charge(rowBytes(row))
            if i & 255 == 0 { try control.check() }
            try statement.execute(arguments: StatementArguments(row.map(\.databaseValue)))
        }
    }

    /// `SELECT <literals> [LIMIT n]` after binding (e.g. `SELECT 1`, `SELECT @@version_comment LIMIT 1`):
    /// answered without translating or running SQL. Columns are named and typed as the translator would.
    static func constantResult(_ select: Select) -> ResultSet? {
        guard select.from.isEmpty, select.whereClause == nil, select.groupBy.isEmpty, select.having == nil,
              select.unions.isEmpty, !select.distinct, select.orderBy.isEmpty, select.limit?.offset == nil else { return nil }
        var columns: [ResultColumn] = []
        var values: [Value] = []
        for item in select.items {
            guard case .literal(let lit) = item.expr, lit != .null else { return nil }
            guard let type = SelectTranslator.literalType(lit) else { return nil }
            columns.append(ResultColumn(name: item.alias ?? item.text, type: type, nullable: false))
            values.append(Value(lit))
        }
        switch select.limit?.count {
        case nil: return ResultSet(columns: columns, rows: [values])
        case .literal(.integer(let n))?: return ResultSet(columns: columns, rows: Int(n) == 0 ? [] : [values])
        default: return nil
        }
    }

    private static func fetch(_ translated: SelectTranslator.Translated, statement: GRDB.Statement, control: QueryControl) throws -> ResultSet {
        var columns = translated.columns
        var rows: [[Value]] = []
        let cursor = try Row.fetchCursor(statement)
        while let row = try cursor.next() {
            var values: [Value] = []
            values.reserveCapacity(columns.count)
            for i in 0..<columns.count { values.append(Self.value(row[i] as DatabaseValue, as: columns[i].type)) }
            let bytes = rowBytes(values)
            control.charge(bytes)
            rows.append(values)
            if rows.count & 255 == 0 || bytes > 1 << 16 { try control.check() }       // every 256 rows, and after a wide one
        }
        // A numeric column that returned text SQLite could not make a number of (`IF(c, 1, 'x')`, `COALESCE(n, 'none')`):
        // the column is text, so every client can read every value of it.
        for i in columns.indices where columns[i].type.isNumeric && rows.contains(where: { if case .string = $0[i] { return true }; return false }) {
            columns[i].type = .varchar(SQLType.stringLength)
        }
        // Likewise an integer column that returned fractions (`IF(c, 1, 2.5)`) is DOUBLE.
        for i in columns.indices where columns[i].type.isInteger && rows.contains(where: { if case .double = $0[i] { return true }; return false }) {
            columns[i].type = .double
        }
        // Columns whose type only the data can tell (e.g. a NULL-typed expression): infer from values.
        for i in columns.indices where columns[i].type == .null {
            if let v = rows.lazy.map({ $0[i] }).first(where: { !$0.isNull }) {
                switch v {
                case .int: columns[i].type = .bigint
                case .double: columns[i].type = .double
                default: columns[i].type = .varchar(SQLType.stringLength)
                }
            }
        }
        return ResultSet(columns: columns, rows: rows)
    }

    /// About what a row of values holds in memory while the statement runs and its result is sent: the array, each
    /// value and the text of strings past the inline size, times the copies that exist until the client has it (the
    /// rows, their encoded packets, the send buffer). Summed into the statement's memory budget.
    static func rowBytes(_ row: [Value]) -> Int64 {
        var bytes = 32 + row.count * MemoryLayout<Value>.stride
        for v in row {
            switch v {
            case .string(let s), .decimal(let s): if s.utf8.count > 15 { bytes += 32 + s.utf8.count }
            case .bytes(let b): bytes += 32 + b.count
            default: break
            }
        }
        return Int64(bytes * copiesWhileSent)
    }

    static let copiesWhileSent = 3

    static func value(_ dbValue: DatabaseValue, as type: SQLType) -> Value {
        switch dbValue.storage {
        case .null: return .null
        case .int64(let i):
            switch type {
            case .null: return .int(i)
            case .double, .float: return .double(Double(i))
            case .decimal(_, let s): return .decimal(s == 0 ? String(i) : String(format: "%.\(s)f", Double(i)))
            case .char, .varchar, .date, .datetime, .json: return .string(String(i))
            default: return .int(i)
            }
        case .double(let d):
            switch type {
            case .decimal(_, let s): return .decimal(String(format: "%.\(s)f", d))
            case .tinyint, .smallint, .int, .bigint, .boolean: return d == d.rounded() && abs(d) < 9.2e18 ? .int(Int64(d)) : .double(d)
            default: return .double(d)
            }
        case .string(let s):
            switch type {
            case .bigint, .int, .smallint, .tinyint, .boolean: return Int64(s).map(Value.int) ?? .string(s)
            case .double, .float: return Double(s).map(Value.double) ?? .string(s)
            case .largeint: return Int64(s).map(Value.int) ?? (NumericCollation.Decimal(s) != nil ? .decimal(s) : .string(s))
            case .decimal(_, let scale): return Value.decimal(s, precision: 76, scale: scale).map(Value.decimal) ?? .string(s)
            default: return .string(s)
            }
        case .blob(let data): return .bytes([UInt8](data))
        }
    }
}

extension Value {
    var databaseValue: DatabaseValue {
        switch self {
        case .null: return .null
        case .int(let v): return v.databaseValue
        case .double(let d): return d.databaseValue
        case .decimal(let s): return s.databaseValue                          // exact text (NumericCollation)
        case .string(let s): return s.databaseValue
        case .bytes(let b): return Data(b).databaseValue
        }
    }
}
