import CatalogStore
import SQLParser

/// CREATE / DROP of databases and tables.
extension StatementExecutor {
    func createDatabase(_ c: CreateDatabase) throws(SQLError) -> StatementResult {
        if InformationSchema.isInformationSchema(c.name) {
            if c.ifNotExists { return .done }
            throw SQLError.ddl("Can't create database '\(c.name)'; database exists")
        }
        try requireSystem("CREATE DATABASE")
        for p in c.properties where p.key.lowercased() != "storage_volume" {
            throw SQLError.ddl("Unknown properties: {\(p.key)=\(p.value)}")
        }
        if c.ifNotExists, try catalog({ try server.catalog.database(named: c.name) }) != nil { return .done }
        let named = c.properties.last { $0.key.lowercased() == "storage_volume" }?.value
        var properties = c.properties.filter { $0.key.lowercased() != "storage_volume" }
        if let volume = try bindVolume(named: named, inherited: nil) { properties.append(Property("storage_volume", volume)) }
        do {
            try server.catalog.createDatabase(name: c.name, properties: properties)
        } catch .databaseExists where c.ifNotExists {
            return .done
        } catch {
            throw SQLError(error)
        }
        return .done
    }

    func dropDatabase(_ name: String, ifExists: Bool) throws(SQLError) -> StatementResult {
        if InformationSchema.isInformationSchema(name) {
            throw SQLError(1044, "42000", "Access denied for user '\(session.user)'@'%' to database '\(name)'")
        }
        try require("DROP", database: name)
        let tables = (try? server.catalog.tables(inDatabase: name)) ?? []
        do {
            try server.catalog.dropDatabase(name: name)
        } catch .unknownDatabase where ifExists {
            return .done
        } catch .unknownDatabase {
            throw SQLError.ddl("Can't drop database '\(name)'; database doesn't exist")
        } catch {
            throw SQLError(error)
        }
        if session.database == name { session.database = nil }
        try discardData(of: tables)
        try cancelRoutineLoads(database: name, table: nil)
        return .done
    }

    /// Removes dropped tables from the cache and deletes the segments nothing references any more.
    func discardData(of tables: [TableInfo]) throws(SQLError) {
        for t in tables { try? server.cache.drop(tableID: t.id) }
        try catalog { try server.segments.collectGarbage { try server.catalog.liveSegments() } }
    }

    func truncateTable(_ name: QualifiedName) throws(SQLError) -> StatementResult {
        let database = try databaseFor(name)
        try require("DELETE", table: name.name, in: database)
        try catalog { try server.catalog.truncateTable(database: database, name: name.name) }
        try discardData(of: [])
        return .done
    }

    /// The database a possibly qualified name lives in: its qualifier or the session's current one.
    func databaseFor(_ name: QualifiedName) throws(SQLError) -> String {
        guard let db = name.qualifier ?? session.database else { throw .noDatabaseSelected }
        return db
    }

    func createTable(_ c: CreateTable) throws(SQLError) -> StatementResult {
        let database = try databaseFor(c.name)
        if InformationSchema.isInformationSchema(database) {
            throw SQLError(1044, "42000", "Access denied for user '\(session.user)'@'%' to database '\(database)'")
        }
        guard try catalog({ try server.catalog.database(named: database) }) != nil else {
            throw SQLError.analysis("Unknown database '\(database)'")
        }
        try require("CREATE TABLE", database: database)
        var definition = try catalog { try TableDefinition.validate(c) }
        let own = definition.properties.last { $0.key.lowercased() == "storage_volume" }?.value
        let inherited = try catalog { try server.catalog.database(named: database) }?.properties
            .last { $0.key.lowercased() == "storage_volume" }?.value
        definition.properties.removeAll { $0.key.lowercased() == "storage_volume" }
        if let volume = try bindVolume(named: own, inherited: inherited) { definition.properties.append(Property("storage_volume", volume)) }
        try catalog { _ = try server.catalog.createTable(database: database, name: c.name.name, definition: definition, ifNotExists: c.ifNotExists) }
        return .done
    }

    func dropTable(_ name: QualifiedName, ifExists: Bool) throws(SQLError) -> StatementResult {
        let database = try databaseFor(name)
        try require("DROP", table: name.name, in: database)
        let table = try? server.catalog.table(database: database, name: name.name)
        do {
            try server.catalog.dropTable(database: database, name: name.name)
        } catch .unknownTable where ifExists {
            return .done
        } catch {
            throw SQLError(error)
        }
        try discardData(of: table.flatMap { $0 }.map { [$0] } ?? [])
        try cancelRoutineLoads(database: database, table: name.name)
        return .done
    }
}
