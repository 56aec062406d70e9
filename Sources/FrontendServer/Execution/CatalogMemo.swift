import CatalogStore

/// One connection's memo of catalog reads: tables by name and which tables the table cache is known to
/// be current for. Valid while the catalog's generation has not moved; any catalog write clears it. Lock-free
/// for the reader: a query on an unchanged catalog reads no metadata from SQLite.
final class CatalogMemo {
    private var generation = -1
    private var tables: [String: TableInfo] = [:]
    private var current: Set<Int64> = []

    private func validate(_ catalog: CatalogStore) {
        let g = catalog.generation
        if g != generation { generation = g; tables = [:]; current = [] }
    }

    /// The table, from the memo or the catalog (nil if it does not exist).
    func table(_ catalog: CatalogStore, database: String, name: String) throws(CatalogError) -> TableInfo? {
        validate(catalog)
        let key = database + "\u{0}" + name
        if let t = tables[key] { return t }
        let t = try catalog.table(database: database, name: name)
        if let t { tables[key] = t }
        return t
    }

    /// Whether the table cache was brought up to date for this table at the current generation.
    func isCurrent(_ tableID: Int64, _ catalog: CatalogStore) -> Bool { validate(catalog); return current.contains(tableID) }
    func markCurrent(_ tableID: Int64) { current.insert(tableID) }
}
