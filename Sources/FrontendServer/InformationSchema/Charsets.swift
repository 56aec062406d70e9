/// Character sets, collations and engines Tributary reports (SHOW CHARSET / COLLATION / ENGINES and
/// their information_schema tables). Everything is stored and sent as UTF-8.
enum Charsets {
    struct Charset { let name, defaultCollation, description: String; let maxLength: Int64 }
    struct Collation { let name, charset: String; let id: Int64; let isDefault: Bool }

    static let all: [Charset] = [
        Charset(name: "ascii", defaultCollation: "ascii_general_ci", description: "US ASCII", maxLength: 1),
        Charset(name: "binary", defaultCollation: "binary", description: "Binary pseudo charset", maxLength: 1),
        Charset(name: "latin1", defaultCollation: "latin1_swedish_ci", description: "cp1252 West European", maxLength: 1),
        Charset(name: "utf8", defaultCollation: "utf8_general_ci", description: "UTF-8 Unicode", maxLength: 3),
        Charset(name: "utf8mb3", defaultCollation: "utf8_general_ci", description: "UTF-8 Unicode", maxLength: 3),
        Charset(name: "utf8mb4", defaultCollation: "utf8mb4_general_ci", description: "UTF-8 Unicode", maxLength: 4),
    ]

    static let collations: [Collation] = [
        Collation(name: "ascii_general_ci", charset: "ascii", id: 11, isDefault: true),
        Collation(name: "binary", charset: "binary", id: 63, isDefault: true),
        Collation(name: "latin1_swedish_ci", charset: "latin1", id: 8, isDefault: true),
        Collation(name: "utf8_general_ci", charset: "utf8", id: 33, isDefault: true),
        Collation(name: "utf8mb4_0900_ai_ci", charset: "utf8mb4", id: 255, isDefault: false),
        Collation(name: "utf8mb4_bin", charset: "utf8mb4", id: 46, isDefault: false),
        Collation(name: "utf8mb4_general_ci", charset: "utf8mb4", id: 45, isDefault: true),
        Collation(name: "utf8mb4_unicode_ci", charset: "utf8mb4", id: 224, isDefault: false),
    ]

    /// ENGINE, SUPPORT, COMMENT, TRANSACTIONS, XA, SAVEPOINTS.
    static let engine = ["OLAP", "DEFAULT", "StarRocks-compatible analytic table storage", "YES", "NO", "NO"]
}
