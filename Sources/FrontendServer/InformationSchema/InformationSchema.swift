import CatalogStore
import Expressions
import Foundation
import JobScheduler
import LoadPipeline
import SQLParser
import Storage

/// information_schema, materialized from the catalog on each query: SCHEMATA, TABLES and COLUMNS
/// with real rows, plus the tables DBeaver, Workbench and mycli probe (reference mysql_clients.md
/// §3.3–3.4), with MySQL's column names. Column names are upper-case as in MySQL.
struct InformationSchema {
    static let name = "information_schema"
    static func isInformationSchema(_ db: String) -> Bool { db.lowercased() == name }

    let server: ServerContext
    let privileges: Privileges

    private typealias Col = Relation.Column
    private static let text = SQLType.varchar(SQLType.stringLength)

    /// Every table, in SHOW TABLES order, with its columns.
    static let tables: [(name: String, columns: [Relation.Column])] = [
        ("CHARACTER_SETS", ["CHARACTER_SET_NAME", "DEFAULT_COLLATE_NAME", "DESCRIPTION"].map { Col($0, text) } + [Col("MAXLEN", .bigint)]),
        ("COLLATIONS", ["COLLATION_NAME", "CHARACTER_SET_NAME"].map { Col($0, text) } + [Col("ID", .bigint)]
            + ["IS_DEFAULT", "IS_COMPILED"].map { Col($0, text) } + [Col("SORTLEN", .bigint)]),
        ("COLUMNS", ["TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "COLUMN_NAME"].map { Col($0, text) } + [Col("ORDINAL_POSITION", .bigint),
            Col("COLUMN_DEFAULT", text), Col("IS_NULLABLE", text), Col("DATA_TYPE", text), Col("CHARACTER_MAXIMUM_LENGTH", .bigint),
            Col("CHARACTER_OCTET_LENGTH", .bigint), Col("NUMERIC_PRECISION", .bigint), Col("NUMERIC_SCALE", .bigint),
            Col("DATETIME_PRECISION", .bigint)] + ["CHARACTER_SET_NAME", "COLLATION_NAME", "COLUMN_TYPE", "COLUMN_KEY", "EXTRA",
            "PRIVILEGES", "COLUMN_COMMENT"].map { Col($0, text) } + [Col("COLUMN_SIZE", .bigint), Col("DECIMAL_DIGITS", .bigint),
            Col("GENERATION_EXPRESSION", text), Col("SRS_ID", .bigint)]),
        ("ENGINES", ["ENGINE", "SUPPORT", "COMMENT", "TRANSACTIONS", "XA", "SAVEPOINTS"].map { Col($0, text) }),
        ("EVENTS", ["EVENT_CATALOG", "EVENT_SCHEMA", "EVENT_NAME", "DEFINER", "TIME_ZONE", "EVENT_BODY", "EVENT_DEFINITION",
                    "EVENT_TYPE", "EXECUTE_AT", "INTERVAL_VALUE", "INTERVAL_FIELD", "SQL_MODE", "STARTS", "ENDS", "STATUS",
                    "ON_COMPLETION", "CREATED", "LAST_ALTERED", "LAST_EXECUTED", "EVENT_COMMENT"].map { Col($0, text) }),
        ("KEY_COLUMN_USAGE", ["CONSTRAINT_CATALOG", "CONSTRAINT_SCHEMA", "CONSTRAINT_NAME", "TABLE_CATALOG", "TABLE_SCHEMA",
            "TABLE_NAME", "COLUMN_NAME"].map { Col($0, text) } + [Col("ORDINAL_POSITION", .bigint), Col("POSITION_IN_UNIQUE_CONSTRAINT", .bigint)]
            + ["REFERENCED_TABLE_SCHEMA", "REFERENCED_TABLE_NAME", "REFERENCED_COLUMN_NAME"].map { Col($0, text) }),
        ("LOAD_TRACKING_LOGS", [Col("ID", .bigint), Col("JOB_ID", .bigint)] + ["LABEL", "DATABASE_NAME", "TRACKING_LOG", "TYPE"].map { Col($0, text) }),
        ("PARTITIONS", ["TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "PARTITION_NAME", "SUBPARTITION_NAME"].map { Col($0, text) }
            + [Col("PARTITION_ORDINAL_POSITION", .bigint), Col("TABLE_ROWS", .bigint), Col("PARTITION_COMMENT", text)]),
        ("REFERENTIAL_CONSTRAINTS", ["CONSTRAINT_CATALOG", "CONSTRAINT_SCHEMA", "CONSTRAINT_NAME", "UNIQUE_CONSTRAINT_CATALOG",
            "UNIQUE_CONSTRAINT_SCHEMA", "UNIQUE_CONSTRAINT_NAME", "MATCH_OPTION", "UPDATE_RULE", "DELETE_RULE", "TABLE_NAME",
            "REFERENCED_TABLE_NAME"].map { Col($0, text) }),
        ("ROUTINE_LOAD_JOBS", ["ID", "NAME", "CREATE_TIME", "PAUSE_TIME", "END_TIME", "DB_NAME", "TABLE_NAME", "STATE",
            "DATA_SOURCE_TYPE", "CURRENT_TASK_NUM", "JOB_PROPERTIES", "DATA_SOURCE_PROPERTIES", "CUSTOM_PROPERTIES", "STATISTICS",
            "PROGRESS", "REASONS_OF_STATE_CHANGED", "ERROR_LOG_URLS", "TRACKING_SQL", "OTHER_MSG", "LATEST_SOURCE_POSITION",
            "OFFSET_LAG", "TIMESTAMP_PROGRESS"].map { Col($0, $0 == "ID" || $0 == "CURRENT_TASK_NUM" ? .bigint : $0.hasSuffix("_TIME") ? .datetime : text) }),
        ("ROUTINES", ["SPECIFIC_NAME", "ROUTINE_CATALOG", "ROUTINE_SCHEMA", "ROUTINE_NAME", "ROUTINE_TYPE", "DTD_IDENTIFIER",
            "ROUTINE_BODY", "ROUTINE_DEFINITION", "EXTERNAL_NAME", "EXTERNAL_LANGUAGE", "PARAMETER_STYLE", "IS_DETERMINISTIC",
            "SQL_DATA_ACCESS", "SQL_PATH", "SECURITY_TYPE", "CREATED", "LAST_ALTERED", "SQL_MODE", "ROUTINE_COMMENT", "DEFINER",
            "CHARACTER_SET_CLIENT", "COLLATION_CONNECTION", "DATABASE_COLLATION"].map { Col($0, text) }),
        ("SCHEMATA", ["CATALOG_NAME", "SCHEMA_NAME", "DEFAULT_CHARACTER_SET_NAME", "DEFAULT_COLLATION_NAME", "SQL_PATH"].map { Col($0, text) }),
        ("STATISTICS", ["TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME"].map { Col($0, text) } + [Col("NON_UNIQUE", .bigint)]
            + ["INDEX_SCHEMA", "INDEX_NAME"].map { Col($0, text) } + [Col("SEQ_IN_INDEX", .bigint), Col("COLUMN_NAME", text),
            Col("COLLATION", text), Col("CARDINALITY", .bigint), Col("SUB_PART", .bigint)] + ["PACKED", "NULLABLE", "INDEX_TYPE",
            "COMMENT", "INDEX_COMMENT"].map { Col($0, text) }),
        // StarRocks' own: key model, keys and distribution per table (the starrocks SQLAlchemy dialect reflects from it).
        ("TABLES_CONFIG", ["TABLE_SCHEMA", "TABLE_NAME", "TABLE_ENGINE", "TABLE_MODEL", "PRIMARY_KEY", "PARTITION_KEY", "DISTRIBUTE_KEY",
            "DISTRIBUTE_TYPE"].map { Col($0, text) } + [Col("DISTRIBUTE_BUCKET", .bigint), Col("SORT_KEY", text), Col("PROPERTIES", text),
            Col("TABLE_ID", .bigint)]),
        ("TABLE_CONSTRAINTS", ["CONSTRAINT_CATALOG", "CONSTRAINT_SCHEMA", "CONSTRAINT_NAME", "TABLE_SCHEMA", "TABLE_NAME",
            "CONSTRAINT_TYPE"].map { Col($0, text) }),
        ("TABLES", ["TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "TABLE_TYPE", "ENGINE"].map { Col($0, text) }
            + [Col("VERSION", .bigint), Col("ROW_FORMAT", text)] + ["TABLE_ROWS", "AVG_ROW_LENGTH", "DATA_LENGTH", "MAX_DATA_LENGTH",
            "INDEX_LENGTH", "DATA_FREE", "AUTO_INCREMENT"].map { Col($0, .bigint) } + ["CREATE_TIME", "UPDATE_TIME", "CHECK_TIME"].map { Col($0, .datetime) }
            + [Col("TABLE_COLLATION", text), Col("CHECKSUM", .bigint), Col("CREATE_OPTIONS", text), Col("TABLE_COMMENT", text)]),
        ("TRIGGERS", ["TRIGGER_CATALOG", "TRIGGER_SCHEMA", "TRIGGER_NAME", "EVENT_MANIPULATION", "EVENT_OBJECT_CATALOG",
            "EVENT_OBJECT_SCHEMA", "EVENT_OBJECT_TABLE", "ACTION_ORDER", "ACTION_STATEMENT", "ACTION_TIMING", "CREATED", "SQL_MODE",
            "DEFINER"].map { Col($0, text) }),
        ("VIEWS", ["TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "VIEW_DEFINITION", "CHECK_OPTION", "IS_UPDATABLE", "DEFINER",
            "SECURITY_TYPE", "CHARACTER_SET_CLIENT", "COLLATION_CONNECTION"].map { Col($0, text) }),
    ]

    static func columns(of table: String) -> [Relation.Column]? {
        tables.first { $0.name.lowercased() == table.lowercased() }?.columns
    }

    func relation(_ table: String) -> Relation? {
        guard let entry = Self.tables.first(where: { $0.name.lowercased() == table.lowercased() }) else { return nil }
        let rows: [[Value]]
        switch entry.name {
        case "SCHEMATA": rows = schemata()
        case "TABLES": rows = tablesRows()
        case "COLUMNS": rows = columnsRows()
        case "CHARACTER_SETS": rows = Charsets.all.map { [.string($0.name), .string($0.defaultCollation), .string($0.description), .int($0.maxLength)] }
        case "COLLATIONS": rows = Charsets.collations.map { [.string($0.name), .string($0.charset), .int($0.id), .string($0.isDefault ? "Yes" : ""), .string("Yes"), .int(1)] }
        case "ENGINES": rows = [Charsets.engine.map(Value.string)]
        case "ROUTINE_LOAD_JOBS": rows = routineLoadJobs()
        case "TABLES_CONFIG": rows = userTables().map(Self.tablesConfigRow)
        case "LOAD_TRACKING_LOGS": rows = loadTrackingLogs()
        default: rows = []
        }
        var relation = Relation(schema: Self.name, name: entry.name, columns: entry.columns, rows: rows)
        relation.caseInsensitive = true
        return relation
    }

    /// Databases visible to the session, information_schema included.
    private func databaseNames() -> [String] {
        let names = ((try? server.catalog.databases()) ?? []).map(\.name).filter(privileges.seesDatabase)
        return ([Self.name] + names).sorted()
    }

    private func userTables() -> [TableInfo] {
        ((try? server.catalog.databases()) ?? []).flatMap { (try? server.catalog.tables(inDatabase: $0.name)) ?? [] }
            .filter { privileges.seesTable($0.databaseName, $0.name) }
    }

    /// A table as StarRocks' tables_config shows it: model names as in its docs (DUP_KEYS, AGG_KEYS, UNQ_KEYS,
    /// PRI_KEYS), key lists back-quoted and comma-separated, properties as a JSON object.
    static func tablesConfigRow(_ t: TableInfo) -> [Value] {
        let d = t.definition
        func keys(_ names: [String]) -> String { names.map { "`\($0)`" }.joined(separator: ", ") }
        let model: String
        switch d.keysType {
        case .duplicate: model = "DUP_KEYS"
        case .aggregate: model = "AGG_KEYS"
        case .unique: model = "UNQ_KEYS"
        case .primary: model = "PRI_KEYS"
        }
        let (distributeKey, distributeType, buckets): (String, String, Int?)
        switch d.distribution {
        case .hash(let columns, let b): (distributeKey, distributeType, buckets) = (keys(columns), "HASH", b)
        case .random(let b): (distributeKey, distributeType, buckets) = ("", "RANDOM", b)
        }
        let properties = "{" + d.properties.map { "\(JSONString.quoted($0.key)):\(JSONString.quoted($0.value))" }.joined(separator: ",") + "}"
        return [.string(t.databaseName), .string(t.name), .string("OLAP"), .string(model),
                .string(d.keysType == .primary || d.keysType == .unique ? keys(d.keyColumns) : ""), .string(""),
                .string(distributeKey), .string(distributeType), buckets.map { .int(Int64($0)) } ?? .int(0),
                .string(keys(d.orderBy.isEmpty ? d.keyColumns : d.orderBy)), .string(properties), .int(t.id)]
    }

    /// Every job on a table the user may insert into; the SHOW ROUTINE LOAD cells in this table's column order.
    private func routineLoadJobs() -> [[Value]] {
        let privileges = privileges
        let shown = server.loads.shownRows(database: nil, include: { privileges.allows("INSERT", database: $0.databaseName, table: $0.tableName) }) {
            ($0, $1)
        }
        return shown.map { job, row in
            let cells = TextRow.values(row)                                                // SHOW ROUTINE LOAD's 22 cells
            // Here STATE never says UNSTABLE and the reason is shown only for PAUSED or CANCELLED jobs (reference §4.7).
            return [.int(job.id.raw), cells[1], cells[2], cells[3], cells[4], cells[5], cells[6], .string(job.state.rawValue), cells[8],
                    .int(Int64(job.stamp.taskCount)), cells[10], cells[11], cells[12], cells[13], cells[14], .string(job.displayedReason),
                    .string(job.errorLogURLs.reversed().joined(separator: ",")), cells[18], cells[19], cells[20], cells[21], cells[15]]
        }
    }

    /// The rejected rows of each routine-load job with error logs (what TrackingSQL selects): the job's latest
    /// error logs, fetched from the nodes that wrote them.
    private func loadTrackingLogs() -> [[Value]] {
        return server.loads.views(database: nil).map(\.job).filter { !$0.errorLogURLs.isEmpty && privileges.allows("INSERT", database: $0.databaseName, table: $0.tableName) }.map { job in
            let log = job.errorLogURLs.reversed().compactMap { url -> String? in
                guard let (status, body, _) = try? BlockingHTTP.call("GET", url), status == 200 else { return nil }
                return String(decoding: body, as: UTF8.self)
            }.joined()
            return [.int(job.id), .int(job.id), .string(job.name), .string(job.databaseName), log.isEmpty ? .null : .string(log), .string("ROUTINE_LOAD")]
        }
    }

    private func schemata() -> [[Value]] {
        databaseNames().map { [.string("def"), .string($0), .string("utf8mb4"), .string("utf8mb4_general_ci"), .null] }
    }

    static func datetime(_ t: Double) -> Value { .string(DateTimeText.format(epochSeconds: t)) }

    private func tablesRows() -> [[Value]] {
        var rows: [[Value]] = Self.tables.map { t in
            [.string("def"), .string(Self.name), .string(t.name), .string("SYSTEM VIEW"), .string("MEMORY"), .int(10), .string("Fixed"),
             .null, .int(0), .int(0), .null, .null, .null, .null, .null, .null, .null, .string("utf8mb4_general_ci"), .null, .string(""), .string("")]
        }
        for t in userTables() {
            rows.append([.string("def"), .string(t.databaseName), .string(t.name), .string("BASE TABLE"), .string("StarRocks"), .null, .null,
                         .int(0), .int(0), .int(0), .null, .null, .null, .null, Self.datetime(t.createdAt), .null, .null,
                         .string("utf8mb4_general_ci"), .null, .string(""), .string(t.definition.comment ?? "")])
        }
        return rows
    }

    private func columnsRows() -> [[Value]] {
        var rows: [[Value]] = []
        for t in Self.tables {
            for (i, c) in t.columns.enumerated() {
                rows.append(Self.columnRow(schema: Self.name, table: t.name, position: i + 1, name: c.name, type: c.type,
                                           nullable: true, key: "", defaultValue: .null, extra: "", comment: ""))
            }
        }
        for t in userTables() {
            let keyTag: String
            switch t.definition.keysType {
            case .primary: keyTag = "PRI"
            case .unique: keyTag = "UNI"
            case .aggregate: keyTag = "AGG"
            case .duplicate: keyTag = "DUP"
            }
            for (i, c) in t.definition.columns.enumerated() {
                rows.append(Self.columnRow(schema: t.databaseName, table: t.name, position: i + 1, name: c.name, type: c.type,
                                           nullable: c.nullable, key: c.isKey ? keyTag : "", defaultValue: TableRendering.defaultText(c.defaultValue).map(Value.string) ?? .null,
                                           extra: c.aggregate?.rawValue ?? (c.autoIncrement ? "auto_increment" : ""), comment: c.comment))
            }
        }
        return rows
    }

    private static func columnRow(schema: String, table: String, position: Int, name: String, type: SQLType, nullable: Bool,
                                  key: String, defaultValue: Value, extra: String, comment: String) -> [Value] {
        var charLen: Value = .null, octetLen: Value = .null, precision: Value = .null, scale: Value = .null, dtPrecision: Value = .null
        var charset: Value = .null, collation: Value = .null
        switch type {
        case .char(let n), .varchar(let n):
            charLen = .int(Int64(n)); octetLen = .int(Int64(n) * 4); charset = .string("utf8mb4"); collation = .string("utf8mb4_general_ci")
        case .tinyint: precision = .int(3); scale = .int(0)
        case .smallint: precision = .int(5); scale = .int(0)
        case .int: precision = .int(10); scale = .int(0)
        case .bigint: precision = .int(19); scale = .int(0)
        case .largeint: precision = .int(39); scale = .int(0)
        case .float: precision = .int(12)
        case .double: precision = .int(22)
        case .decimal(let p, let s): precision = .int(Int64(p)); scale = .int(Int64(s))
        case .datetime: dtPrecision = .int(0)
        default: break
        }
        let dataType = type.describeName.prefix { $0 != "(" && $0 != "<" }
        return [.string("def"), .string(schema), .string(table), .string(name), .int(Int64(position)), defaultValue,
                .string(nullable ? "YES" : "NO"), .string(String(dataType)), charLen, octetLen, precision, scale, dtPrecision,
                charset, collation, .string(type.createTableName), .string(key), .string(extra), .string("select,insert,update,references"),
                .string(comment), precision == .null ? charLen : precision, scale, .null, .null]
    }
}
