import SQLParser

/// Where a result column comes from, for clients that map results back to tables (DBeaver).
public struct ColumnOrigin: Equatable, Hashable, Sendable {
    public var schema: String
    public var table: String
    public var orgTable: String
    public var orgName: String
    public init(schema: String, table: String, orgTable: String, orgName: String) {
        self.schema = schema; self.table = table; self.orgTable = orgTable; self.orgName = orgName
    }
}

public struct ResultColumn: Equatable, Hashable, Sendable {
    public var name: String
    public var type: SQLType
    public var nullable: Bool
    public var origin: ColumnOrigin?
    public init(name: String, type: SQLType, nullable: Bool = true, origin: ColumnOrigin? = nil) {
        self.name = name; self.type = type; self.nullable = nullable; self.origin = origin
    }
}

/// A complete, materialized query result.
public struct ResultSet: Equatable, Sendable {
    public var columns: [ResultColumn]
    public var rows: [[Value]]
    public init(columns: [ResultColumn], rows: [[Value]]) { self.columns = columns; self.rows = rows }

    /// A result of text columns, the shape of most SHOW statements.
    public init(textColumns names: [String], rows: [[Value]]) {
        columns = Self.textColumns(names)
        self.rows = rows
    }

    /// Columns of text named `names`.
    public static func textColumns(_ names: [String]) -> [ResultColumn] {
        names.map { ResultColumn(name: $0, type: .varchar(SQLType.stringLength)) }
    }
}
