import Foundation
import GRDB
import SQLParser

/// Row types of the catalog tables. Internal: callers see ``DatabaseInfo`` / ``TableInfo``.
struct DatabaseRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "databases"
    var id: Int64?
    var name: String
    var properties: String
    var created_at: Double

    func info() -> DatabaseInfo {
        let props = (try? JSONDecoder().decode([Property].self, from: Data(properties.utf8))) ?? []
        return DatabaseInfo(id: id ?? 0, name: name, properties: props, createdAt: created_at)
    }
}

struct TableRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "tables"
    var id: Int64?
    var database_id: Int64
    var name: String
    var definition: String
    var created_at: Double

    func info(databaseName: String) throws -> TableInfo {
        let def = try JSONDecoder().decode(TableDefinition.self, from: Data(definition.utf8))
        return TableInfo(id: id ?? 0, databaseID: database_id, databaseName: databaseName, name: name, definition: def, createdAt: created_at)
    }
}

struct UserRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "users"
    var name: String
    var host: String
    var native_hash: Data?
    var sha2_hash: Data?
    var created_at: Double
    var plugin: String

    func info() -> AccountInfo {
        AccountInfo(user: name, host: host, nativeHash: native_hash.map { [UInt8]($0) }, sha2Hash: sha2_hash.map { [UInt8]($0) }, plugin: plugin)
    }
}

enum JSON {
    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) -> T? {
        try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
