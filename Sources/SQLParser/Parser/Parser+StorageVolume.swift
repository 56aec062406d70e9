/// Storage volume statements (grammar as StarRocks 3.3's, names as identifiers or strings).
extension Parser {
    /// After `CREATE STORAGE VOLUME`.
    mutating func parseCreateStorageVolume() throws(ParseError) -> Statement {
        let ifNotExists = acceptKeywords("IF", "NOT", "EXISTS")
        let name = try identifierOrString()
        try expectKeyword("TYPE")
        try expectSymbol("=")
        let type = try identifierOrString()
        try expectKeyword("LOCATIONS")
        try expectSymbol("=")
        try expectSymbol("(")
        var locations = [try stringLiteral()]
        while acceptSymbol(",") { locations.append(try stringLiteral()) }
        try expectSymbol(")")
        var comment: String?
        if acceptKeyword("COMMENT") {
            _ = acceptSymbol("=")
            comment = try stringLiteral()
        }
        let properties = acceptKeyword("PROPERTIES") ? try parsePropertyList() : []
        return .storageVolume(.create(CreateStorageVolume(name: name, ifNotExists: ifNotExists, type: type, locations: locations,
                                                          comment: comment, properties: properties)))
    }

    /// After `ALTER STORAGE VOLUME`: `[IF EXISTS] name clause [, clause]` with `COMMENT = '…'` or `SET (…)`.
    mutating func parseAlterStorageVolume() throws(ParseError) -> Statement {
        let ifExists = acceptKeywords("IF", "EXISTS")
        let name = try identifierOrString()
        var comment: String?
        var properties: [Property] = []
        repeat {
            if acceptKeyword("COMMENT") {
                _ = acceptSymbol("=")
                comment = try stringLiteral()
            } else if acceptKeyword("SET") {
                properties += try parsePropertyList()
            } else {
                throw unexpected(["'COMMENT'", "'SET'"])
            }
        } while acceptSymbol(",")
        return .storageVolume(.alter(name: name, ifExists: ifExists, comment: comment, properties: properties))
    }

    /// After `DROP STORAGE VOLUME`.
    mutating func parseDropStorageVolume() throws(ParseError) -> Statement {
        let ifExists = acceptKeywords("IF", "EXISTS")
        return .storageVolume(.drop(name: try identifierOrString(), ifExists: ifExists))
    }

    /// `SET name AS DEFAULT STORAGE VOLUME`.
    mutating func parseSetDefaultStorageVolume() throws(ParseError) -> Statement {
        try expectKeyword("SET")
        let name = try identifierOrString()
        try expectKeyword("AS")
        try expectKeyword("DEFAULT")
        try expectKeyword("STORAGE")
        try expectKeyword("VOLUME")
        return .storageVolume(.setDefault(name))
    }
}
