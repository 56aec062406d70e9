import CatalogStore
import SQLParser

/// Everything a compute node needs to turn Kafka messages into rows of one table, as the FE sends it with a
/// task: the format options and COLUMNS/WHERE of the job and the table's schema at scheduling time.
public struct LoadSpec: Codable, Equatable, Sendable {
    public var format: LoadFormat
    /// Column separator and row delimiter as written (`\x01` and `0x01` hex forms allowed).
    public var columnSeparator = "\t"
    public var rowDelimiter = "\n"
    /// Enclose and escape bytes; 0 means none.
    public var enclose: UInt8 = 0
    public var escape: UInt8 = 0
    public var trimSpace = false
    /// JSON options: a JSON array of JsonPath strings, a JsonPath root, and whether an outer array holds rows.
    public var jsonPaths = ""
    public var jsonRoot = ""
    public var stripOuterArray = false
    public var columns: [ColumnMapping]?
    public var whereClause: String?
    public var strictMode = false
    /// Time zone of date functions (from_unixtime, now ...) in COLUMNS expressions.
    public var timeZone = "UTC"
    public var tableColumns: [TableColumn]
    public var keysType: KeysType
    /// PRIMARY KEY tables: update only the columns the load names (`partial_update`), and replace a stored row only if
    /// the new row's `merge_condition` column is at least the stored one's.
    public var partialUpdate = false
    public var mergeCondition: String?
    /// `confluent.schema.registry.url` of an Avro load (with its credentials: tasks travel encrypted).
    public var schemaRegistryURL: String?

    public init(format: LoadFormat, tableColumns: [TableColumn], keysType: KeysType) {
        self.format = format; self.tableColumns = tableColumns; self.keysType = keysType
    }
}

/// The `format` of a routine load (reference routine_load.md §2.2). The job document stores the raw value.
public enum LoadFormat: String, Codable, Equatable, Hashable, Sendable, CaseIterable {
    case csv, json
    /// Accepted (with `confluent.schema.registry.url`) but not decoded yet: a plan for it fails with a clear message.
    case avro
}
