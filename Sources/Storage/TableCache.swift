import CatalogStore
import Expressions
import Foundation
import GRDB
import SQLParser

/// The FE's local, disposable copy of every table's visible data, in one SQLite file. It applies
/// committed segments in version order with the table's key-model semantics:
/// DUPLICATE appends; PRIMARY and UNIQUE upsert by key (`__op = 1` deletes); AGGREGATE merges value
/// columns with SUM / MAX / MIN / REPLACE / REPLACE_IF_NOT_NULL. If the cache is lost or a table's
/// epoch changes (TRUNCATE), the table is rebuilt from the manifest and the segments (`SegmentSource`).
public final class TableCache: Sendable {
    public let path: String
    private let pool: DatabasePool
    private let segments: any SegmentSource
    /// A connection of its own that copies the write-ahead log into the cache file after catch-ups, so neither the
    /// next catch-up nor a query waits for it (SQLite checkpoints beside a writer).
    private let checkpointer: DatabaseQueue
    private let checkpoints = DispatchQueue(label: "tributary-cache-checkpoint")

    public init(path: String, segments: any SegmentSource) throws {
        self.path = path
        self.segments = segments
        var config = Configuration()
        config.maximumReaderCount = 32
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            NumericCollation.register(on: db)
            // No fsync per applied segment: the cache is disposable, and WAL keeps it consistent. A power loss can only
            // lose the newest applied versions together with their cache_state rows, and the next catch-up re-applies them.
            // 64 KiB pages (for a new file): appending a segment's records costs a fifth of what 4 KiB pages cost.
            // Checkpoints run on `checkpointer`; the automatic one inside a commit is only a backstop.
            try db.execute(sql: """
                PRAGMA page_size = 65536; PRAGMA synchronous = NORMAL; PRAGMA mmap_size = \(Self.mmapSize);
                PRAGMA wal_autocheckpoint = 4096
                """)
            if !db.configuration.readonly {
                // Secure delete FAST (Debian's SQLite zeroes everything freed): a deleted row's bytes are still zeroed inside
                // its page, but the pages a DROP or TRUNCATE frees are not all rewritten.
                try db.execute(sql: "PRAGMA secure_delete = FAST")
            }
        }
        pool = try DatabasePool(path: path, configuration: config)
        var plain = Configuration()
        plain.busyMode = .timeout(10)
        plain.prepareDatabase { db in NumericCollation.register(on: db) }
        checkpointer = try DatabaseQueue(path: path, configuration: plain)
        try pool.write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS cache_state (
                    table_id INTEGER PRIMARY KEY, epoch INTEGER NOT NULL, version INTEGER NOT NULL, schema TEXT NOT NULL)
                """)
        }
    }

    /// Bytes of the cache file SQLite reads through a memory map rather than a read() per page: a scan (count(*)
    /// polled while a load runs) then costs no copy. Address space only; the pages are the OS page cache's.
    public static let mmapSize = 1 << 30

    /// The SQLite name of a table's data inside the cache file.
    public static func tableName(_ tableID: Int64) -> String { "t\(tableID)" }

    /// Brings a table up to its visible version in the catalog: the one way every path (queries, INSERT, loads, the
    /// start) catches the cache up. Reads only the manifest entries the cache has not applied, so it costs the same
    /// with ten segments as with a hundred thousand; cheap when already current.
    public func catchUp(_ table: TableInfo, catalog: CatalogStore) throws {
        let applied = try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT epoch, version FROM cache_state WHERE table_id = ? AND schema = ?",
                             arguments: [table.id, Self.schemaKey(table)])
        }.map { (epoch: $0[0] as Int64, version: $0[1] as Int64) }
        guard var data = try catalog.tableData(tableID: table.id, after: applied?.version ?? 0) else { return }
        if let applied, applied.epoch == data.epoch, data.entries.isEmpty { return }
        if applied?.epoch != data.epoch, data.after > 0 {
            // A TRUNCATE since: versions started again, the table is rebuilt from all of them.
            guard let all = try catalog.tableData(tableID: table.id) else { return }
            data = all
        }
        if try !catchUp(table, data: data), let all = try catalog.tableData(tableID: table.id) {
            _ = try catchUp(table, data: all)               // the cache was rebuilt meanwhile: it needs every entry
        }
    }

    /// Segments applied in one SQLite transaction (each attached under its own name; SQLite allows 10 at a time).
    static let segmentsPerTransaction = 8

    /// Brings a table up to `data` (the catalog's manifest above `data.after`). Returns false, changing nothing, if the
    /// cache needs entries at or below `data.after` (it was rebuilt or is behind them).
    func catchUp(_ table: TableInfo, data: TableData) throws -> Bool {
        let schema = Self.schemaKey(table)
        // Fast path, concurrent with other readers: already at this epoch, schema and version.
        let applied = try pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT version FROM cache_state WHERE table_id = ? AND epoch = ? AND schema = ?",
                               arguments: [table.id, data.epoch, schema])
        }
        if let applied, applied >= data.version { return true }
        // Segments in an object store are fetched now, outside the writer; whatever this catch-up ends up not applying
        // (another one got there first) is released afterwards.
        let fetched = data.entries.filter { $0.version > (applied ?? 0) }.map(\.segment)
        try segments.prefetch(fetched)
        defer { for s in fetched { segments.release(s) } }     // each prefetch is matched by one release
        // The writer is serial and the state is re-read inside it, so two catch-ups never apply a segment twice.
        // SQLite cannot ATTACH/DETACH inside a transaction: segments are attached outside, then applied and
        // recorded in one transaction, so a crash leaves the cache at a consistent version.
        let complete = try pool.writeWithoutTransaction { db -> Bool in
            var pending: [ManifestEntry] = []
            var complete = true
            try db.inTransaction {
                let state = try Row.fetchOne(db, sql: "SELECT epoch, version, schema FROM cache_state WHERE table_id = ?", arguments: [table.id])
                if let state, state["schema"] == schema, try db.tableExists(Self.tableName(table.id)) {
                    let epoch: Int64 = state["epoch"], applied: Int64 = state["version"]
                    // A caller that read the catalog before a newer commit or TRUNCATE must not roll the cache back.
                    if epoch > data.epoch || (epoch == data.epoch && applied >= data.version) { return .commit }
                    if epoch == data.epoch {
                        if applied < data.after { complete = false; return .commit }
                        pending = data.entries.filter { $0.version > applied }
                        return .commit
                    }
                }
                // New table, lost cache, or a TRUNCATE (newer epoch): rebuild from every visible segment.
                guard data.after == 0 else { complete = false; return .commit }
                try Self.createTable(table, in: db)
                try Self.record(table.id, epoch: data.epoch, version: 0, schema: schema, in: db)
                pending = data.entries
                return .commit
            }
            var start = pending.startIndex
            while start < pending.endIndex {
                let batch = pending[start..<min(start + Self.segmentsPerTransaction, pending.endIndex)]
                start = batch.endIndex
                let names = batch.indices.map { "seg\($0 - batch.startIndex)" }
                // Held for this batch too: `pending` may reach below what was prefetched (a rebuild), and another
                // catch-up's release must not delete a file between its fetch and its ATTACH here.
                let held = batch.map(\.segment)
                try segments.prefetch(held)
                defer {
                    for name in names { try? db.execute(sql: "DETACH DATABASE \(name)") }
                    for s in held { segments.release(s) }
                }
                for (entry, name) in zip(batch, names) {
                    try db.execute(sql: "ATTACH DATABASE ? AS \(name)", arguments: [try segments.localFile(entry.segment)])
                }
                try db.inTransaction {
                    for name in names { try apply(table, from: name, in: db) }
                    try Self.record(table.id, epoch: data.epoch, version: batch.last!.version, schema: schema, in: db)
                    return .commit
                }
            }
            return complete
        }
        checkpoints.async { [checkpointer] in
            try? checkpointer.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)") }
        }
        return complete
    }

    private static func record(_ tableID: Int64, epoch: Int64, version: Int64, schema: String, in db: Database) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO cache_state (table_id, epoch, version, schema) VALUES (?, ?, ?, ?)",
                       arguments: [tableID, epoch, version, schema])
    }

    /// Forgets a dropped table.
    public func drop(tableID: Int64) throws {
        try pool.write { db in
            try db.execute(sql: "DROP TABLE IF EXISTS \(Segment.quote(Self.tableName(tableID)))")
            try db.execute(sql: "DELETE FROM cache_state WHERE table_id = ?", arguments: [tableID])
        }
    }

    /// What the cache's copy of a table is built for; another key rebuilds it. `v2`: DUPLICATE tables end with `__op`;
    /// `v3`: DECIMAL and LARGEINT columns hold exact text (``NumericCollation``); `v5`: PRIMARY KEY tables are WITHOUT
    /// ROWID, keyed by their key columns.
    private static func schemaKey(_ t: TableInfo) -> String {
        "v5:" + t.definition.keysType.rawValue + ":" + t.definition.columns.map { "\($0.name) \($0.type.describeName) \($0.aggregate?.rawValue ?? "")" }.joined(separator: ",")
    }

    private static func createTable(_ t: TableInfo, in db: Database) throws {
        let name = Segment.quote(tableName(t.id))
        try db.execute(sql: "DROP TABLE IF EXISTS \(name)")
        var cols = t.definition.columns.map { "\(Segment.quote($0.name)) \(SelectTranslator.columnDeclaration($0.type))" }
        if t.definition.keysType == .duplicate { cols.append(Segment.opColumn) }    // shaped like a segment: see apply
        if t.definition.keysType == .primary {
            // PRIMARY KEY keys are NOT NULL: the table is one B-tree ordered by them (WITHOUT ROWID), so an upsert writes one
            // tree, not a table and an index.
            let keys = t.definition.keyColumns.map(Segment.quote).joined(separator: ", ")
            try db.execute(sql: "CREATE TABLE \(name) (\(cols.joined(separator: ", ")), PRIMARY KEY (\(keys))) WITHOUT ROWID")
            return
        }
        try db.execute(sql: "CREATE TABLE \(name) (\(cols.joined(separator: ", ")))")
        if t.definition.keysType != .duplicate {
            // PRIMARY KEY and UNIQUE tables hold one row per key: the index says so, and upserts replace through it.
            let keys = t.definition.keyColumns.map(Segment.quote).joined(separator: ", ")
            let unique = t.definition.keysType == .aggregate ? "" : "UNIQUE "
            try db.execute(sql: "CREATE \(unique)INDEX \(Segment.quote(tableName(t.id) + "_keys")) ON \(name) (\(keys))")
        }
    }

    /// Applies the rows of the attached segment `schema` with the table's key-model semantics.
    private func apply(_ t: TableInfo, from schema: String, in db: Database) throws {
        let d = t.definition
        let name = Segment.quote(Self.tableName(t.id))
        let cols = d.columns.map { Segment.quote($0.name) }
        if d.keysType == .duplicate {
            // Same shape as the segment and `SELECT *` without ORDER BY: SQLite copies the records as they are, in rowid
            // (load) order, with new rowids after the table's last.
            try db.execute(sql: "INSERT INTO main.\(name) SELECT * FROM \(schema).rows")
            return
        }
        let keyIdx = d.columns.indices.filter { d.columns[$0].isKey }
        let rules = try Self.applyRules(t, schema, db)
        let keys = keyIdx.map { cols[$0] }.joined(separator: ", ")
        let setBased = (d.keysType == .primary || d.keysType == .unique) && rules.updated == nil && rules.condition == nil
        // Whether the segment holds deletes or NULL keys decides how it is applied. The segment says how many deletes it
        // holds and NOT NULL key columns hold no NULL (loads and INSERT refuse them); a scan answers what neither tells.
        let nullableKeys = keyIdx.contains { d.columns[$0].nullable }
        let scan = setBased && (rules.deletes == nil || nullableKeys) ? try Row.fetchOne(db, sql: """
            SELECT coalesce(max("__op" <> 0), 0), coalesce(max(\(keyIdx.map { "\(cols[$0]) IS NULL" }.joined(separator: " OR "))), 0)
            FROM \(schema).rows
            """) : nil
        let scanned: (deletes: Bool, nullKeys: Bool) = (scan?[0] ?? false, scan?[1] ?? false)
        let hasDeletes = rules.deletes.map { $0 > 0 } ?? scanned.deletes
        let hasNullKeys = scanned.nullKeys
        if setBased, !hasNullKeys {
            // Set statements instead of a statement per row (NULL keys, which `=` never matches, take the row path).
            let keyTuple = keyIdx.count == 1 ? keys : "(\(keys))"
            let list = cols.joined(separator: ", ")
            if !hasDeletes {
                // Only upserts (the usual load): each row replaces its key's stored row through the unique index, a key's rows
                // in load order; sorted by key, the index is written in order rather than at random.
                try db.execute(sql: "INSERT OR REPLACE INTO main.\(name) (\(list)) SELECT \(list) FROM \(schema).rows ORDER BY \(keys), rowid")
                return
            }
            // With deletes: every stored row of a key the segment names goes, then each key's last row in load order
            // (SQLite's max(rowid) picks that row's columns) is inserted unless it is a delete.
            try db.execute(sql: "DELETE FROM main.\(name) WHERE \(keyTuple) IN (SELECT \(keys) FROM \(schema).rows)")
            try db.execute(sql: """
                INSERT INTO main.\(name) (\(list)) SELECT \(list) FROM
                (SELECT \(list), "__op", max(rowid) FROM \(schema).rows GROUP BY \(keys)) WHERE "__op" = 0
                """)
            return
        }
        let keyMatch = keyIdx.map { "\(cols[$0]) IS ?" }.joined(separator: " AND ")
        // A stored row is found by its key and rewritten by its rowid; PRIMARY KEY tables have no rowid (WITHOUT ROWID):
        // their key is the row's address, so the select reads a placeholder 0 and the update matches the stored key.
        let primaryTree = d.keysType == .primary
        let address = primaryTree ? keyMatch : "rowid = ?"
        let select = try db.makeStatement(sql: "SELECT \(primaryTree ? "0" : "rowid"), * FROM main.\(name) WHERE \(keyMatch) LIMIT 1")
        let delete = try db.makeStatement(sql: "DELETE FROM main.\(name) WHERE \(keyMatch)")
        let insert = try db.makeStatement(sql: "INSERT INTO main.\(name) VALUES (\(Array(repeating: "?", count: cols.count).joined(separator: ", ")))")
        let update = try db.makeStatement(sql: "UPDATE main.\(name) SET \(cols.map { "\($0) = ?" }.joined(separator: ", ")) WHERE \(address)")
        let rows = try Row.fetchCursor(db, sql: "SELECT \(cols.joined(separator: ", ")), \"__op\" FROM \(schema).rows ORDER BY rowid")
        while let row = try rows.next() {
            let values: [DatabaseValue] = (0..<cols.count).map { row[$0] }
            let keys = StatementArguments(keyIdx.map { values[$0] })
            let op: Int64 = row["__op"]
            switch d.keysType {
            case .primary where rules.updated != nil || rules.condition != nil:
                if op != 0 { try delete.execute(arguments: keys); continue }
                guard let existing = try Row.fetchOne(select, arguments: keys) else {
                    try insert.execute(arguments: StatementArguments(values))       // a new key: the row as loaded (defaults)
                    continue
                }
                let stored: [DatabaseValue] = (0..<cols.count).map { existing[$0 + 1] }
                if let m = rules.condition, Self.order(values[m], stored[m], numeric: d.columns[m].type.isNumeric) == .orderedAscending { continue }
                let merged = rules.updated.map { u in stored.indices.map { u.contains($0) ? values[$0] : stored[$0] } } ?? values
                try update.execute(arguments: StatementArguments(merged + keyIdx.map { stored[$0] }))
            case .primary, .unique:
                try delete.execute(arguments: keys)
                if op == 0 { try insert.execute(arguments: StatementArguments(values)) }
            case .aggregate:
                if let existing = try Row.fetchOne(select, arguments: keys) {
                    let rowid: Int64 = existing[0]
                    let merged: [DatabaseValue] = d.columns.indices.map { i in
                        let old: DatabaseValue = existing[i + 1]
                        return d.columns[i].isKey ? old : Self.merge(old, values[i], d.columns[i].aggregate)
                    }
                    try update.execute(arguments: StatementArguments(merged + [rowid.databaseValue]))
                } else {
                    try insert.execute(arguments: StatementArguments(values))
                }
            case .duplicate: break
            }
        }
    }

    /// How a segment's rows are to be applied, from its `segment_meta`: the partial-update columns and the merge-condition
    /// column (as indices; PRIMARY KEY tables only) and the number of deletes (nil in segments older than that key).
    static func applyRules(_ t: TableInfo, _ schema: String, _ db: Database) throws -> (updated: Set<Int>?, condition: Int?, deletes: Int?) {
        let meta = Dictionary(try Row.fetchAll(db, sql: "SELECT key, value FROM \(schema).segment_meta WHERE key IN (?, ?, ?)",
                                               arguments: [Segment.updateColumnsKey, Segment.mergeConditionKey, Segment.deleteCountKey])
                                .map { ($0[0] as String, $0[1] as String) }, uniquingKeysWith: { a, _ in a })
        let deletes = meta[Segment.deleteCountKey].flatMap { Int($0) }
        guard t.definition.keysType == .primary else { return (nil, nil, deletes) }
        let names = t.definition.columns.map { $0.name.lowercased() }
        let updated = meta[Segment.updateColumnsKey].flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) }
            .map { Set($0.compactMap { names.firstIndex(of: $0.lowercased()) }) }
        let condition = meta[Segment.mergeConditionKey].flatMap { names.firstIndex(of: $0.lowercased()) }
        return (updated, condition, deletes)
    }

    /// How two stored values order (merge_condition): numbers as numbers, DECIMAL/LARGEINT text by value, other text
    /// (dates, datetimes, strings) as text; NULL first.
    static func order(_ a: DatabaseValue, _ b: DatabaseValue, numeric: Bool) -> ComparisonResult {
        switch (a.storage, b.storage) {
        case (.null, .null): return .orderedSame
        case (.null, _): return .orderedAscending
        case (_, .null): return .orderedDescending
        case (.int64(let x), .int64(let y)): return x < y ? .orderedAscending : x > y ? .orderedDescending : .orderedSame
        case (.string(let x), .string(let y)):
            if numeric { return NumericCollation.compare(x, y) }                  // DECIMAL / LARGEINT text
            return x < y ? .orderedAscending : x > y ? .orderedDescending : .orderedSame
        default:
            let x = Double.fromDatabaseValue(a) ?? 0, y = Double.fromDatabaseValue(b) ?? 0
            return x < y ? .orderedAscending : x > y ? .orderedDescending : .orderedSame
        }
    }

    /// Aggregate merge of a stored value with a newly loaded one. NULLs never poison SUM / MAX / MIN.
    static func merge(_ old: DatabaseValue, _ new: DatabaseValue, _ agg: AggregateType?) -> DatabaseValue {
        switch agg {
        case .replaceIfNotNull?: return new.isNull ? old : new
        case .sum?, .max?, .min?:
            if old.isNull { return new }
            if new.isNull { return old }
            switch (old.storage, new.storage) {
            case (.int64(let a), .int64(let b)):
                switch agg! { case .sum: return a.addingReportingOverflow(b).overflow ? (Double(a) + Double(b)).databaseValue : (a + b).databaseValue
                case .max: return max(a, b).databaseValue
                default: return min(a, b).databaseValue }
            default:
                let a = Double.fromDatabaseValue(old) ?? 0, b = Double.fromDatabaseValue(new) ?? 0
                switch agg! { case .sum: return (a + b).databaseValue
                case .max: return (a >= b ? old : new)
                default: return (a <= b ? old : new) }
            }
        default: return new                          // REPLACE and the state types
        }
    }
}
