import SQLParser

/// StarRocks' CREATE TABLE rules (reference catalog_sql.md §2.2–2.5), as a pure function from the
/// parsed statement to a stored definition. Error texts are StarRocks' own.
extension TableDefinition {
    public static let reservedColumnNames: Set<String> = ["__op", "__row"]

    /// Properties a table accepts; anything else is refused as StarRocks does.
    static let knownProperties: Set<String> = [
        "replication_num", "storage_volume", "datacache.enable", "datacache.partition_duration", "enable_storage_cache",
        "enable_async_write_back", "enable_persistent_index", "persistent_index_type", "compression", "fast_schema_evolution",
        "bloom_filter_columns", "colocate_with", "storage_medium", "storage_cooldown_time", "partition_live_number",
        "in_memory", "storage_format", "write_quorum", "replicated_storage", "partition_ttl", "labels.location",
        "primary_index_cache_expire_sec", "file_bundling", "base_compaction_forbidden_time_ranges", "unique_constraints",
    ]

    public static func validate(_ statement: CreateTable) throws(CatalogError) -> TableDefinition {
        if let engine = statement.engine, engine.uppercased() != "OLAP" { throw .unknownEngine(engine) }
        var seen: Set<String> = []
        for c in statement.columns {
            guard seen.insert(c.name.lowercased()).inserted else { throw .duplicateColumn(c.name) }
            if reservedColumnNames.contains(c.name.lowercased()) {
                throw .invalidDefinition("Column name [\(c.name)] is a system reserved name. Please choose a different one.")
            }
        }
        let keysType = statement.keysType ?? .duplicate
        let keyNames = statement.keysType == nil ? defaultDuplicateKeys(statement.columns) : statement.keyColumns
        try checkKeys(keyNames, keysType: keysType, columns: statement.columns)
        let keySet = Set(keyNames.map { $0.lowercased() })

        var columns: [TableColumn] = []
        for c in statement.columns {
            let isKey = keySet.contains(c.name.lowercased())
            columns.append(try column(c, isKey: isKey, keysType: keysType))
        }
        let keyColumns = keyNames.map { n in statement.columns.first { $0.name.lowercased() == n.lowercased() }!.name }
        let distribution = try checkDistribution(statement.distribution, keysType: keysType, keys: keyColumns, columns: columns)
        for c in statement.orderBy where !columns.contains(where: { $0.name.lowercased() == c.lowercased() }) {
            throw .invalidDefinition("Unknown column '\(c)' does not exist")
        }
        try checkProperties(statement.properties)
        return TableDefinition(columns: columns, keysType: keysType, keyColumns: keyColumns, distribution: distribution,
                               orderBy: statement.orderBy, partitionClause: statement.partitionClause,
                               comment: statement.comment, properties: statement.properties)
    }

    /// Without a key clause a table is DUPLICATE KEY on a short prefix: up to 3 leading columns within
    /// 36 bytes, stopping after the first string column or before a type that cannot be a key.
    static func defaultDuplicateKeys(_ columns: [ColumnDefinition]) -> [String] {
        var keys: [String] = []
        var width = 0
        for c in columns {
            guard c.type.canBeKey, keys.count < 3, let w = c.type.keyWidth else { break }
            if !keys.isEmpty, width + w > 36 { break }
            keys.append(c.name)
            width += w
            if c.type.isString { break }
        }
        if keys.isEmpty, let first = columns.first { keys = [first.name] }
        return keys
    }

    private static func checkKeys(_ keys: [String], keysType: KeysType, columns: [ColumnDefinition]) throws(CatalogError) {
        guard !keys.isEmpty else { throw .invalidDefinition("The number of key columns is 0.") }
        for (i, k) in keys.enumerated() {
            guard let c = columns.first(where: { $0.name.lowercased() == k.lowercased() }) else {
                throw .invalidDefinition("Key column(\(k)) doesn't exist.")
            }
            guard i < columns.count, columns[i].name.lowercased() == k.lowercased() else {
                throw .invalidDefinition("Key columns should be a ordered prefix of the schema.")
            }
            if c.aggregate != nil { throw .invalidDefinition("Key column[\(c.name)] should not specify aggregate type.") }
            if keysType == .primary {
                let allowed: Bool
                switch c.type {
                case .boolean, .tinyint, .smallint, .int, .bigint, .largeint, .char, .varchar, .date, .datetime: allowed = true
                default: allowed = false
                }
                guard allowed else { throw .invalidDefinition("primary key column[\(c.name)] type not supported: \(c.type.describeName)") }
                if c.nullable == true { throw .invalidDefinition("primary key column[\(c.name)] cannot be nullable") }
            } else if !c.type.canBeKey {
                throw .invalidDefinition("Invalid data type of key column '\(c.name)': '\(c.type.describeName)'")
            }
        }
    }

    private static func column(_ c: ColumnDefinition, isKey: Bool, keysType: KeysType) throws(CatalogError) -> TableColumn {
        if !isKey {
            if keysType == .aggregate, c.aggregate == nil {
                throw .invalidDefinition("AGG_KEYS table should specify aggregate type for non-key column[\(c.name)]")
            }
            if keysType != .aggregate, let agg = c.aggregate {
                _ = agg
                throw .invalidDefinition("\(keysType.rawValue) table should not specify aggregate type for non-key column[\(c.name)]")
            }
        }
        switch (c.aggregate, c.type) {
        case (.hllUnion?, let t) where t != .hll, (.bitmapUnion?, let t) where t != .bitmap, (.percentileUnion?, let t) where t != .percentile:
            throw .invalidDefinition("Invalid aggregate function '\(c.aggregate!.rawValue)' for '\(c.name)'")
        default: break
        }
        // Primary-key key columns are NOT NULL unless declared otherwise (declaring NULL was refused above).
        let nullable = c.nullable ?? !(isKey && keysType == .primary)
        if c.autoIncrement {
            guard c.type == .bigint else { throw .invalidDefinition("The AUTO_INCREMENT column must be BIGINT") }
            guard !nullable else { throw .invalidDefinition("AUTO_INCREMENT column \(c.name) must be NOT NULL") }
        }
        if let d = c.defaultValue { try checkDefault(d, column: c, nullable: nullable) }
        return TableColumn(name: c.name, type: c.type, isKey: isKey, nullable: nullable, aggregate: c.aggregate,
                           defaultValue: c.defaultValue, autoIncrement: c.autoIncrement, comment: c.comment ?? "")
    }

    private static func checkDefault(_ d: ColumnDefault, column c: ColumnDefinition, nullable: Bool) throws(CatalogError) {
        let invalid = CatalogError.invalidDefinition("Invalid default value for '\(c.name)'")
        switch d {
        case .null:
            if !nullable { throw invalid }
        case .currentTimestamp:
            guard c.type == .datetime else { throw invalid }
        case .expression: break
        case .value(let v):
            switch c.type {
            case .tinyint, .smallint, .int, .bigint:
                guard let n = Int64(v), c.type.integerRange!.contains(n) else { throw invalid }
            case .largeint: guard v.allSatisfy({ $0.isNumber || $0 == "-" }), !v.isEmpty else { throw invalid }
            case .float, .double, .decimal: guard Double(v) != nil else { throw invalid }
            case .boolean: guard ["true", "false", "0", "1"].contains(v.lowercased()) else { throw invalid }
            case .date: guard Self.isDate(v) else { throw invalid }
            case .datetime: guard Self.isDate(String(v.prefix(10))), v.count == 10 || v.count >= 19 else { throw invalid }
            case .char(let n), .varchar(let n): guard v.utf8.count <= n else { throw invalid }
            case .bitmap, .hll, .percentile, .array, .map, .structure, .json:
                throw .invalidDefinition("Default value for '\(c.name)' of type \(c.type.describeName) is not supported")
            default: break
            }
        }
    }

    static func isDate(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return false }
        return y >= 0 && (1...12).contains(m) && (1...31).contains(d)
    }

    private static func checkDistribution(_ d: Distribution?, keysType: KeysType, keys: [String], columns: [TableColumn]) throws(CatalogError) -> Distribution {
        switch d {
        case nil:
            return keysType == .duplicate ? .random(buckets: nil) : .hash(columns: keys, buckets: nil)
        case .random(let buckets)?:
            guard keysType == .duplicate else {
                throw .invalidDefinition("Random distribution must be used in DUP_KEYS table")
            }
            try checkBuckets(buckets)
            return .random(buckets: buckets)
        case .hash(let cols, let buckets)?:
            var resolved: [String] = []
            for c in cols {
                guard let col = columns.first(where: { $0.name.lowercased() == c.lowercased() }) else {
                    throw .invalidDefinition("Distribution column(\(c)) doesn't exist.")
                }
                if keysType != .duplicate, !col.isKey {
                    throw .invalidDefinition("Distribution column[\(col.name)] is not key column")
                }
                resolved.append(col.name)
            }
            try checkBuckets(buckets)
            return .hash(columns: resolved, buckets: buckets)
        }
    }

    private static func checkBuckets(_ buckets: Int?) throws(CatalogError) {
        if let b = buckets, b <= 0 { throw .invalidDefinition("Number of hash distribution should be greater than zero.") }
    }

    private static func checkProperties(_ properties: [Property]) throws(CatalogError) {
        for p in properties {
            let key = p.key.lowercased()
            guard knownProperties.contains(key) || key.hasPrefix("dynamic_partition.") || key.hasPrefix("datacache.") else {
                throw .invalidDefinition("Unknown properties: {\(p.key)=\(p.value)}")
            }
            switch key {
            case "replication_num":
                guard let n = Int(p.value), n > 0, n <= Int(Int16.max) else {
                    throw .invalidDefinition("Replication num should larger than 0. (suggested 3)")
                }
            case "enable_persistent_index", "datacache.enable", "enable_async_write_back", "in_memory", "fast_schema_evolution":
                guard ["true", "false"].contains(p.value.lowercased()) else {
                    throw .invalidDefinition("Property \(p.key) must be bool type(false/true)")
                }
            case "compression":
                guard ["LZ4", "LZ4_FRAME", "ZSTD", "ZLIB", "SNAPPY", "NO_COMPRESSION", "DEFAULT_COMPRESSION"].contains(p.value.uppercased()) else {
                    throw .invalidDefinition("unknown compression type: \(p.value)")
                }
            default: break
            }
        }
    }
}
