/// Statement text with its secrets masked, for places that show what a session runs (SHOW PROCESSLIST's Info):
/// the value of any property whose key names a credential (`"aws.s3.secret_key" = '…'`, `"property.sasl.password" =
/// …`) and the password of `IDENTIFIED BY '…'` / `PASSWORD('…')` / `SET PASSWORD = '…'` become `'******'`. Text the
/// lexer cannot read is replaced whole when it mentions one of those words, so a half-typed secret is not shown either.
public enum SecretRedaction {
    static let secretWords = ["secret", "password", "passwd", "access_key", "shared_key", "sas_token", "private_key", "token",
                              "credential", "sasl.jaas", "schema.registry.url"]

    public static func isSecretKey(_ key: String) -> Bool {
        let k = key.lowercased()
        return secretWords.contains { k.contains($0) }
    }

    public static func redact(_ sql: String) -> String {
        let lower = sql.lowercased()
        guard secretWords.contains(where: { lower.contains($0) }) || lower.contains("identified") else { return sql }
        guard let tokens = try? Lexer.tokenize(sql) else { return "<statement with credentials, not shown>" }
        var masked: [Range<Int>] = []
        let setPassword = tokens.count > 1 && tokens[0].kind.isWord("set") && tokens[1].kind.isWord("password")
        for (i, t) in tokens.enumerated() {
            guard case .string = t.kind else { continue }
            func kind(_ back: Int) -> TokenKind? { i - back >= 0 ? tokens[i - back].kind : nil }
            func word(_ back: Int) -> String? {
                switch kind(back) {
                case .word(let w)?, .string(let w)?, .quotedIdentifier(let w)?: return w.lowercased()
                default: return nil
                }
            }
            let afterKey = kind(1) == .symbol("=") && word(2).map(isSecretKey) == true
            let identified = word(1) == "by"                              // IDENTIFIED [WITH plugin] BY '…'
            let passwordCall = kind(1) == .symbol("(") && word(2) == "password"
            if afterKey || identified || passwordCall || (setPassword && kind(1) == .symbol("=")) { masked.append(t.range) }
        }
        guard !masked.isEmpty else { return sql }
        var bytes = Array(sql.utf8)
        for r in masked.reversed() { bytes.replaceSubrange(r, with: Array("'******'".utf8)) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension TokenKind {
    func isWord(_ w: String) -> Bool {
        if case .word(let x) = self { return x.lowercased() == w }
        return false
    }
}
